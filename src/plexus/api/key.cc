// Key: the public composite key, a thin wrapper over the storage key codec
// (src/plexus/storage/key_codec.h holds the byte format).
#include "plexus/key.h"

#include "plexus/storage/key_codec.h"

namespace plexus {

Key& Key::AddNull(NullOrder nulls) {
  storage::AppendNull(&encoded_, nulls);
  return *this;
}

Key& Key::AddBool(bool value, SortOrder order) {
  storage::AppendBool(&encoded_, value, order);
  return *this;
}

Key& Key::AddInt(int64_t value, SortOrder order) {
  storage::AppendInt(&encoded_, value, order);
  return *this;
}

Key& Key::AddUint(uint64_t value, SortOrder order) {
  storage::AppendUint(&encoded_, value, order);
  return *this;
}

Key& Key::AddDouble(double value, SortOrder order) {
  storage::AppendDouble(&encoded_, value, order);
  return *this;
}

Key& Key::AddText(std::string_view value, SortOrder order) {
  storage::AppendText(&encoded_, value, order);
  return *this;
}

Key& Key::AddBytes(std::string_view value, SortOrder order) {
  storage::AppendBytes(&encoded_, value, order);
  return *this;
}

Result<std::vector<KeyPart>> Key::Decode() const { return storage::DecodeKey(encoded_); }

std::string Key::PrefixEnd() const { return storage::PrefixSuccessor(encoded_); }

}  // namespace plexus
