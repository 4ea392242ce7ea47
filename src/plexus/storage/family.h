// The column families of the store: one per data family (ARCHITECTURE.md, "One store, several
// models"). Callers above storage/ name a family with this enum and never see RocksDB handles.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace plexus::storage {

enum class Family : uint8_t {
  kCatalog,  // catalog objects: (kind, id) -> definition
  kRows,     // table rows: (table id, primary key) -> row
  kIndex,    // secondary index entries: (index id, index key, primary key) -> covering columns
  kKvMeta,   // Redis keys: key -> type, expiry, version
  kKvData,   // Redis collection elements: (key, version, sub-key) -> element
  kColumn,   // column segments: (table id, segment id, column id) -> encoded segment
  kApp,      // the embedded API's ordered key-value space (plexus::Database)
};

inline constexpr size_t kFamilyCount = 7;

inline constexpr std::array<std::string_view, kFamilyCount> kFamilyNames = {
    "catalog", "rows", "index", "kv_meta", "kv_data", "column", "app"};

inline std::string_view FamilyName(Family family) {
  return kFamilyNames[static_cast<size_t>(family)];
}

}  // namespace plexus::storage
