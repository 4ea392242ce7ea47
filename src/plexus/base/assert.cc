// The failure path of PLEXUS_ASSERT: report and abort, so a core dump or sanitizer shows the stack.
#include "plexus/base/assert.h"

#include <cstdio>
#include <cstdlib>

namespace plexus::base {

void AssertFailed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: assertion failed: %s\n", file, line, condition);
  std::fflush(stderr);
  std::abort();
}

}  // namespace plexus::base
