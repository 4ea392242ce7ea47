// Assertions for programmer errors. PLEXUS_ASSERT is always on and crashes with file:line;
// PLEXUS_DCHECK is for hot loops and compiles out unless PLEXUS_DCHECK_ON (the test build).
// Bad input and I/O failures return a Status; they never trigger an assertion.
#pragma once

namespace plexus::base {
[[noreturn]] void AssertFailed(const char* condition, const char* file, int line);
}  // namespace plexus::base

#define PLEXUS_ASSERT(condition)                                              \
  do {                                                                        \
    if (!(condition)) [[unlikely]]                                            \
      ::plexus::base::AssertFailed(#condition, __FILE__, __LINE__);           \
  } while (0)

#if defined(PLEXUS_DCHECK_ON)
#define PLEXUS_DCHECK(condition) PLEXUS_ASSERT(condition)
#else
#define PLEXUS_DCHECK(condition) \
  do {                           \
  } while (false && (condition))
#endif
