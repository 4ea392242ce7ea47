// TempDir: a fresh directory under $TMPDIR (or /tmp), removed with its contents on destruction.
// For tests and benchmarks.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include "plexus/base/assert.h"

namespace plexus::base {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "plexus") {
    const char* root = std::getenv("TMPDIR");
    std::string pattern = std::string(root ? root : "/tmp") + "/" + prefix + "-XXXXXX";
    PLEXUS_ASSERT(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;  // best effort: a leftover temporary directory harms nobody
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace plexus::base
