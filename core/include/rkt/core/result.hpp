// The core uses the Result<T> / Error / Status types of the support base library, which in-tree
// plugins and support libraries share (plugins may not include core headers), and sysError with
// the errno text of support/posix. See support/base/include/rkt/base/result.hpp for the contract.
#ifndef RKT_CORE_RESULT_HPP
#define RKT_CORE_RESULT_HPP

#include "rkt/base/result.hpp"
#include "rkt/support/posix/errno_text.hpp"

#endif  // RKT_CORE_RESULT_HPP
