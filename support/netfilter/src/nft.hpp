// One libnftables context: runs a JSON batch in the calling thread's network namespace as one
// kernel transaction and returns nft's output or its error text.
#ifndef RKT_SUPPORT_NETFILTER_NFT_HPP
#define RKT_SUPPORT_NETFILTER_NFT_HPP

#include <string>

#include "rkt/base/result.hpp"

struct nft_ctx;

namespace rkt {
namespace netfilter {

inline constexpr char kNoNfTables[] =
    "this kernel has no nf_tables (no netlink netfilter socket; CONFIG_NF_TABLES)";

class Nft {
 public:
  /// The calling thread's context for its current network namespace, made on first use and
  /// kept until the thread ends: freeing a context costs ~15 ms (closing its netlink socket
  /// waits for the kernel), 50 times what a masquerade's whole transaction takes. A context's
  /// socket stays in the namespace it was opened in, hence one per namespace.
  static Nft& current();

  Nft();
  ~Nft();
  Nft(const Nft&) = delete;
  Nft& operator=(const Nft&) = delete;

  /// Whether the calling thread's kernel speaks nf_tables' netlink (nfnetlink): libnftables
  /// exits the process when it does not, so run() asks this first.
  static bool kernelHasNfTables();

  /// Runs batch (libnftables JSON); `what` names the operation in the error message. Fails
  /// with kNoNfTables, never calling libnftables, on a kernel without nf_tables.
  Result<std::string> run(const std::string& batch, const std::string& what);

 private:
  nft_ctx* ctx_;
};

}  // namespace netfilter
}  // namespace rkt

#endif  // RKT_SUPPORT_NETFILTER_NFT_HPP
