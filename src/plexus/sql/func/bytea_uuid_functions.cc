// bytea functions (||, length, octet_length) and gen_random_uuid().
#include <cstring>

#include "plexus/sql/func/registry.h"
#include "plexus/sql/types/uuid.h"

namespace plexus::sql {

namespace {

Status ConcatKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    std::string_view left = args[0]->GetString(row);
    std::string_view right = args[1]->GetString(row);
    const size_t size = left.size() + right.size();
    if (size == 0) {
      out->values<std::string_view>()[row] = {};
      continue;
    }
    char* bytes = out->arena().Allocate(size);
    if (!left.empty()) std::memcpy(bytes, left.data(), left.size());
    if (!right.empty()) std::memcpy(bytes + left.size(), right.data(), right.size());
    out->values<std::string_view>()[row] = {bytes, size};
  }
  return Status::Ok();
}

Status LengthKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (active[row])
      out->values<int32_t>()[row] = static_cast<int32_t>(args[0]->GetString(row).size());
  }
  return Status::Ok();
}

Status RandomUuidKernel(const Vector* const*, size_t rows, const uint8_t* active, Vector* out,
                        ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    const UuidBytes uuid = RandomUuid();
    std::memcpy(out->values<Bytes16>()[row].bytes, uuid.data(), uuid.size());
  }
  return Status::Ok();
}

}  // namespace

void RegisterByteaUuidFunctions(FunctionRegistry& registry) {
  const Type bytea = Type::Of(TypeId::kBytea);
  const Type integer = Type::Of(TypeId::kInt32);
  registry.Add({"||", {bytea, bytea}, bytea, ConcatKernel});
  registry.Add({"length", {bytea}, integer, LengthKernel});
  registry.Add({"octet_length", {bytea}, integer, LengthKernel});
  ScalarFunction random_uuid{"gen_random_uuid", {}, Type::Of(TypeId::kUuid), RandomUuidKernel};
  random_uuid.volatile_ = true;
  registry.Add(random_uuid);
}

}  // namespace plexus::sql
