// Reading and writing PLEXUS_MANIFEST.
#include "plexus/storage/manifest.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <fstream>
#include <random>
#include <sstream>

#include "plexus/storage/file_util.h"

namespace plexus::storage {

namespace {

std::string NowUtcIso8601() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string RandomNodeId() {
  std::random_device device;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 4; ++i) {
    uint32_t word = device();
    for (int j = 0; j < 8; ++j) {
      id.push_back(kHex[word & 0xf]);
      word >>= 4;
    }
  }
  return id;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

Manifest NewManifest() {
  Manifest manifest;
  manifest.created_at = NowUtcIso8601();
  manifest.node_id = RandomNodeId();
  return manifest;
}

std::string FormatManifest(const Manifest& manifest) {
  std::ostringstream out;
  out << "# Plexus data directory. Written when the directory was created; do not edit.\n"
      << "format_version = " << manifest.format_version << "\n"
      << "created_at = \"" << manifest.created_at << "\"\n"
      << "node_id = \"" << manifest.node_id << "\"\n";
  return out.str();
}

Result<Manifest> ParseManifest(std::string_view text) {
  Manifest manifest;
  bool has_version = false;
  int line_number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = Trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    size_t equals = line.find('=');
    if (equals == std::string_view::npos) {
      return Status::Corruption("manifest line " + std::to_string(line_number) +
                                ": expected key = value");
    }
    std::string_view key = Trim(line.substr(0, equals));
    std::string_view value = Trim(line.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (key == "format_version") {
      auto [ptr, error] = std::from_chars(value.data(), value.data() + value.size(),
                                          manifest.format_version);
      if (error != std::errc() || ptr != value.data() + value.size()) {
        return Status::Corruption("manifest: format_version is not a number");
      }
      has_version = true;
    } else if (key == "created_at") {
      manifest.created_at = value;
    } else if (key == "node_id") {
      manifest.node_id = value;
    }
    // Other keys may come from a newer minor version of the same format; they are kept out of
    // our way rather than rejected.
  }
  if (!has_version) return Status::Corruption("manifest has no format_version");
  return manifest;
}

Status WriteManifest(const std::string& dir, const Manifest& manifest) {
  return WriteFileAtomically(dir, std::string(kManifestFileName), FormatManifest(manifest));
}

Result<Manifest> ReadManifest(const std::string& dir) {
  const std::string path = dir + "/" + std::string(kManifestFileName);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return Status::NotFound(path);
    return Status::IOError("cannot read " + path + ": " + std::strerror(errno));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  auto manifest = ParseManifest(contents.str());
  if (!manifest.ok()) return manifest.status().WithContext(path);
  return manifest;
}

}  // namespace plexus::storage
