// Fuzzes the PLEXUS_MANIFEST parser: any bytes give a manifest or kCorruption, never a crash.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "plexus/storage/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto manifest =
      plexus::storage::ParseManifest(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!manifest.ok() && !manifest.status().IsCorruption()) std::abort();
  if (manifest.ok()) {
    // What we parse, we can write back and parse again to the same values.
    auto again = plexus::storage::ParseManifest(plexus::storage::FormatManifest(*manifest));
    if (!again.ok() || again->format_version != manifest->format_version) std::abort();
  }
  return 0;
}
