// The web console's static files (console/*), built into the binary: the source defining them is
// generated at build time by cmake/embed_files.cmake from the files in console/.
#pragma once

#include <cstddef>
#include <string_view>

namespace plexus::server::http {

struct EmbeddedFile {
  std::string_view name;   // path relative to console/, e.g. "app.js"
  std::string_view bytes;  // the file's content
  std::string_view etag;   // quoted strong ETag: a digest of the content
};

extern const EmbeddedFile kEmbeddedFiles[];
extern const size_t kEmbeddedFileCount;

}  // namespace plexus::server::http
