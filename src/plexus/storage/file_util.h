// Small POSIX file helpers for the data directory: atomic replace, directory creation, listing.
#pragma once

#include <string>
#include <vector>

#include "plexus/base/status.h"

namespace plexus::storage {

// Creates `dir` and its missing parents (mkdir -p).
Status CreateDirectories(const std::string& dir);

// Replaces dir/name with `contents` so that a crash leaves either the old or the new file:
// write a temporary file, fsync it, rename it over the target, fsync the directory.
Status WriteFileAtomically(const std::string& dir, const std::string& name,
                           const std::string& contents);

// Names in `dir`, without "." and "..".
Result<std::vector<std::string>> ListDirectory(const std::string& dir);

}  // namespace plexus::storage
