// Status/Result for use inside Plexus: the public types plus the propagation macros.
#pragma once

#include "plexus/status.h"

#define PLEXUS_CONCAT_INNER(a, b) a##b
#define PLEXUS_CONCAT(a, b) PLEXUS_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when `expr` fails.
#define PLEXUS_RETURN_IF_ERROR(expr)               \
  do {                                             \
    ::plexus::Status plexus_status_ = (expr);      \
    if (!plexus_status_.ok()) return plexus_status_; \
  } while (0)

// `lhs = value of expr` or returns its Status. `lhs` may declare a variable: `auto x`.
#define PLEXUS_ASSIGN_OR_RETURN(lhs, expr) \
  PLEXUS_ASSIGN_OR_RETURN_IMPL(PLEXUS_CONCAT(plexus_result_, __LINE__), lhs, expr)
#define PLEXUS_ASSIGN_OR_RETURN_IMPL(result, lhs, expr) \
  auto result = (expr);                                 \
  if (!result.ok()) return std::move(result).status();  \
  lhs = std::move(result).value()
