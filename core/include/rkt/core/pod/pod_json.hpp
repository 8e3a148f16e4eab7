// rkt's JSON view of a pod (`v1.Pod` of rkt's api/v1/json.go), printed by
// `rkt list --format=json|json-pretty` (an array) and `rkt status --format=…` (one object).
//
// Field order and omissions follow Go's encoding/json on rkt's structs: pod
// {name, state, networks?, app_names?, apps?, created_at?, started_at?, user_annotations?,
// user_labels?}, app {name, state, created_at?, started_at?, finished_at?, exit_code?, image_id,
// mounts?, user_annotations?, user_labels?}. Pod times are seconds since the epoch, app times
// nanoseconds (as in rkt). `?` fields are left out when empty.
#ifndef RKT_CORE_POD_POD_JSON_HPP
#define RKT_CORE_POD_POD_JSON_HPP

#include <string>
#include <vector>

#include "rkt/core/pod/info.hpp"
#include "rkt/core/pod/pod.hpp"
#include "rkt/core/result.hpp"

namespace rkt::pod {

/// The pod as one compact JSON object. Fails like rkt's NewPodFromInternalPod: "invalid creation
/// time" for pods that have none yet (embryo, preparing, aborted prepare), and when the pod
/// manifest of a pod that has one cannot be read.
Result<std::string> podToJson(const Pod& pod);

/// A JSON array of compact objects (podToJson results), as Go marshals a slice: `null` when
/// there are none; tab-indented like json.MarshalIndent(v, "", "\t") when `pretty`.
std::string podJsonArray(const std::vector<std::string>& objects, bool pretty);

/// One object, tab-indented when `pretty`.
std::string podJsonObject(const std::string& object, bool pretty);

/// rkt's NETWORKS column / `networks=` value: "<name>:ip4=<ip>" joined by ", ".
std::string formatNetworks(const std::vector<NetInfo>& networks);

}  // namespace rkt::pod

#endif  // RKT_CORE_POD_POD_JSON_HPP
