// Descriptor and registration of net-cni-exec.so.
#include "rkt/sdk/plugin.hpp"
#include "cni_exec.hpp"

#ifndef RKT_CNI_EXEC_VERSION
#define RKT_CNI_EXEC_VERSION "0.0.0"
#endif

namespace {

void registerFactories(rkt::sdk::Registrar& reg) {
  reg.add<rkt::cniexec::ExecNet>("cni-exec");
  reg.add<rkt::cniexec::ExecIpam>("cni-exec");
}

}  // namespace

RKT_PLUGIN("cni-exec", RKT_CNI_EXEC_VERSION,
           "external CNI plugin binaries (any network or IPAM type) through the CNI exec protocol",
           "Apache-2.0", registerFactories)
