// The version line of the plexus binary, shared by `plexus version` and the startup log.
#pragma once

#include <string>

namespace plexus::app {

// "plexus 0.1.0 (RocksDB 7.8.3)": this build's version and the RocksDB it was compiled against.
std::string VersionText();

}  // namespace plexus::app
