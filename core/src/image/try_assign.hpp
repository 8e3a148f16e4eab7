// RKT_TRY_ASSIGN(var, expr): evaluates a Result-returning `expr`; on failure returns its error
// from the enclosing function, otherwise moves the value into a new variable `var`.
#ifndef RKT_CORE_SRC_IMAGE_TRY_ASSIGN_HPP
#define RKT_CORE_SRC_IMAGE_TRY_ASSIGN_HPP

#include <utility>

#define RKT_TRY_ASSIGN(var, expr) \
  auto var##_result = (expr);     \
  if (!var##_result) {            \
    return var##_result.error();  \
  }                               \
  auto var = std::move(*var##_result)

#endif  // RKT_CORE_SRC_IMAGE_TRY_ASSIGN_HPP
