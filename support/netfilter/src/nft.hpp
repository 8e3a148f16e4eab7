// One libnftables context: runs a JSON batch in the calling thread's network namespace as one
// kernel transaction and returns nft's output or its error text.
#ifndef RKT_SUPPORT_NETFILTER_NFT_HPP
#define RKT_SUPPORT_NETFILTER_NFT_HPP

#include <string>

#include "rkt/base/result.hpp"

struct nft_ctx;

namespace rkt {
namespace netfilter {

class Nft {
 public:
  Nft();
  ~Nft();
  Nft(const Nft&) = delete;
  Nft& operator=(const Nft&) = delete;

  /// Runs batch (libnftables JSON); `what` names the operation in the error message.
  Result<std::string> run(const std::string& batch, const std::string& what);

 private:
  nft_ctx* ctx_;
};

}  // namespace netfilter
}  // namespace rkt

#endif  // RKT_SUPPORT_NETFILTER_NFT_HPP
