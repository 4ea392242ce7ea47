// The version line: PLEXUS_VERSION comes from the build (CMake's project version), the RocksDB
// version from the headers compiled against.
#include "plexus/app/version.h"

#include <rocksdb/version.h>

namespace plexus::app {

std::string VersionText() {
  return std::string("plexus ") + PLEXUS_VERSION + " (RocksDB " + std::to_string(ROCKSDB_MAJOR) +
         "." + std::to_string(ROCKSDB_MINOR) + "." + std::to_string(ROCKSDB_PATCH) + ")";
}

}  // namespace plexus::app
