#include "nft.hpp"

#include <nftables/libnftables.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/netlink.h>

#include <cctype>
#include <map>
#include <memory>
#include <utility>

#include "rkt/base/shorten.hpp"

namespace rkt {
namespace netfilter {

Nft& Nft::current() {
  thread_local std::map<std::pair<dev_t, ino_t>, std::unique_ptr<Nft>> contexts;
  struct stat st {};
  std::pair<dev_t, ino_t> key{0, 0};
  if (::stat("/proc/thread-self/ns/net", &st) == 0) {
    key = {st.st_dev, st.st_ino};
  }
  auto& slot = contexts[key];
  if (!slot) {
    slot = std::make_unique<Nft>();
  }
  return *slot;
}

Nft::Nft() : ctx_(nft_ctx_new(NFT_CTX_DEFAULT)) {
  if (ctx_ != nullptr) {
    // JSON in and out; both buffered so nothing reaches our stdout or stderr.
    nft_ctx_output_set_flags(ctx_, NFT_CTX_OUTPUT_JSON);
    nft_ctx_buffer_output(ctx_);
    nft_ctx_buffer_error(ctx_);
  }
}

Nft::~Nft() {
  if (ctx_ != nullptr) {
    nft_ctx_free(ctx_);
  }
}

bool Nft::kernelHasNfTables() {
  const int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
  if (fd < 0) {
    return false;
  }
  ::close(fd);
  return true;
}

Result<std::string> Nft::run(const std::string& batch, const std::string& what) {
  // libnftables exits the whole process (status 3) when it cannot open its netlink socket:
  // ask the kernel first.
  if (!kernelHasNfTables()) {
    return Error{"cannot " + what + ": " + kNoNfTables};
  }
  if (ctx_ == nullptr) {
    return Error{"cannot " + what + ": cannot create an nftables context"};
  }
  const bool failed = nft_run_cmd_from_buffer(ctx_, batch.c_str()) != 0;
  // Reading a buffer empties it for the next batch of this (kept) context: read both.
  std::string output = nft_ctx_get_output_buffer(ctx_);
  std::string text = nft_ctx_get_error_buffer(ctx_);
  if (failed) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
      text.pop_back();
    }
    // nft's first line is the cause, after its own prefixes ("netlink: Error: Could not
    // process rule: Operation not permitted"); the lines after it echo the input. Each part
    // lowercased, as our messages are.
    std::string cause = text.substr(0, text.find('\n'));
    const auto marker = cause.rfind("Error: ");
    if (marker != std::string::npos) {
      cause = cause.substr(marker + 7);
    }
    for (size_t i = 0; i < cause.size();
         i = cause.find(": ", i) == std::string::npos ? cause.size() : cause.find(": ", i) + 2) {
      if (i + 1 < cause.size() && !std::isupper(static_cast<unsigned char>(cause[i + 1]))) {
        cause[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(cause[i])));
      }
    }
    return Error{oneLine("cannot " + what + ": " + (cause.empty() ? "nftables failed" : cause))};
  }
  return output;
}

}  // namespace netfilter
}  // namespace rkt
