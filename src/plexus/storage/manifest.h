// PLEXUS_MANIFEST: the human-readable file that marks a directory as a Plexus data directory.
// Format (TOML-compatible `key = value` lines, '#' comments):
//   format_version = 1
//   created_at = "2026-11-26T06:40:12Z"
//   node_id = "9f1c2a7e4b3d5c6f8a9b0c1d2e3f4a5b"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "plexus/base/status.h"

namespace plexus::storage {

inline constexpr std::string_view kManifestFileName = "PLEXUS_MANIFEST";
// The on-disk format this build writes and the newest it can read.
inline constexpr uint32_t kFormatVersion = 1;

struct Manifest {
  uint32_t format_version = kFormatVersion;
  std::string created_at;  // UTC, ISO 8601
  std::string node_id;     // 32 hex digits, random at creation
};

// A manifest for a directory created now.
Manifest NewManifest();

std::string FormatManifest(const Manifest& manifest);
// kCorruption when the text is not a manifest; a newer format_version is not an error here.
Result<Manifest> ParseManifest(std::string_view text);

// Writes the manifest atomically (temporary file, fsync, rename, fsync of the directory).
Status WriteManifest(const std::string& dir, const Manifest& manifest);
// kNotFound when the directory has no manifest.
Result<Manifest> ReadManifest(const std::string& dir);

}  // namespace plexus::storage
