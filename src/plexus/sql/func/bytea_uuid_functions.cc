// bytea functions (||, length, octet_length, sha224/256/384/512, encode/decode in hex, base64
// and escape), md5 of text and bytea, and gen_random_uuid().
#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "plexus/sql/func/registry.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/uuid.h"

namespace plexus::sql {

namespace {

Status ByteaConcatKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
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

void AppendHex(std::string_view bytes, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char c : bytes) {
    out->push_back(kHex[c >> 4]);
    out->push_back(kHex[c & 0x0F]);
  }
}

// The digest of text or bytea: as bytea (sha224...sha512) or, for md5, as hex text.
template <const EVP_MD* (*kAlgorithm)(), bool kHex>
Status DigestKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  std::string hex;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    const std::string_view bytes = args[0]->GetString(row);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, kAlgorithm(), nullptr) != 1) {
      return SqlError(kInternalError, "could not compute the digest");
    }
    const std::string_view raw(reinterpret_cast<const char*>(digest), size);
    if (!kHex) {
      out->SetString(row, raw);
      continue;
    }
    hex.clear();
    AppendHex(raw, &hex);
    out->SetString(row, hex);
  }
  return Status::Ok();
}

constexpr char kBase64Digits[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Status UnrecognizedEncoding(std::string_view format) {
  return SqlError(kInvalidParameterValue, "unrecognized encoding: \"" + std::string(format) + "\"");
}

// encode(bytes, format) as PostgreSQL writes it: hex; base64 with a newline after every 76
// characters; escape with \\ for a backslash and \ooo for zero and bytes past 0x7f.
Result<std::string> Encode(std::string_view bytes, std::string_view format) {
  std::string text;
  if (format == "hex") {
    text.reserve(2 * bytes.size());
    AppendHex(bytes, &text);
  } else if (format == "base64") {
    size_t line = 0;
    for (size_t i = 0; i < bytes.size(); i += 3) {
      const size_t n = std::min<size_t>(3, bytes.size() - i);
      uint32_t group = 0;
      for (size_t k = 0; k < 3; ++k) {
        group = (group << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0);
      }
      if (line == 76) {
        text.push_back('\n');
        line = 0;
      }
      for (size_t k = 0; k < 4; ++k) {
        text.push_back(k <= n ? kBase64Digits[(group >> (18 - 6 * k)) & 0x3F] : '=');
      }
      line += 4;
    }
  } else if (format == "escape") {
    for (unsigned char c : bytes) {
      if (c == '\\') {
        text += "\\\\";
      } else if (c == 0 || c >= 0x80) {
        text.push_back('\\');
        text.push_back(static_cast<char>('0' + (c >> 6)));
        text.push_back(static_cast<char>('0' + ((c >> 3) & 7)));
        text.push_back(static_cast<char>('0' + (c & 7)));
      } else {
        text.push_back(static_cast<char>(c));
      }
    }
  } else {
    return UnrecognizedEncoding(format);
  }
  return text;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// decode(text, format): the inverse of encode; whitespace between hex pairs and in base64 is
// skipped, as PostgreSQL does.
Result<std::string> Decode(std::string_view text, std::string_view format) {
  std::string bytes;
  auto space = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; };
  if (format == "hex") {
    for (size_t i = 0; i < text.size();) {
      if (space(text[i])) {
        ++i;
        continue;
      }
      const int high = HexValue(text[i]);
      if (high < 0) {
        return SqlError(kInvalidParameterValue,
                        "invalid hexadecimal digit: \"" + std::string(1, text[i]) + "\"");
      }
      if (i + 1 >= text.size()) {
        return SqlError(kInvalidParameterValue, "invalid hexadecimal data: odd number of digits");
      }
      const int low = HexValue(text[i + 1]);
      if (low < 0) {
        return SqlError(kInvalidParameterValue,
                        "invalid hexadecimal digit: \"" + std::string(1, text[i + 1]) + "\"");
      }
      bytes.push_back(static_cast<char>(high << 4 | low));
      i += 2;
    }
  } else if (format == "base64") {
    uint32_t group = 0;
    int count = 0;
    int padding = 0;
    for (char c : text) {
      if (space(c)) continue;
      int value;
      if (c == '=') {
        ++padding;
        value = 0;
      } else {
        const char* found = c == '\0' ? nullptr : std::strchr(kBase64Digits, c);
        if (found == nullptr || padding > 0) {
          return SqlError(kInvalidParameterValue, "invalid symbol \"" + std::string(1, c) +
                                                      "\" found while decoding base64 sequence");
        }
        value = static_cast<int>(found - kBase64Digits);
      }
      group = (group << 6) | static_cast<uint32_t>(value);
      if (++count == 4) {
        for (int k = 0; k < 3 - padding; ++k) bytes.push_back(static_cast<char>(group >> (16 - 8 * k)));
        group = 0;
        count = 0;
      }
    }
    if (count != 0 || padding > 2) {
      return SqlError(kInvalidParameterValue, "invalid base64 end sequence");
    }
  } else if (format == "escape") {
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '\\') {
        bytes.push_back(text[i]);
      } else if (i + 1 < text.size() && text[i + 1] == '\\') {
        bytes.push_back('\\');
        ++i;
      } else if (i + 3 < text.size() + 0 && text[i + 1] >= '0' && text[i + 1] <= '3' &&
                 text[i + 2] >= '0' && text[i + 2] <= '7' && text[i + 3] >= '0' &&
                 text[i + 3] <= '7') {
        bytes.push_back(static_cast<char>((text[i + 1] - '0') << 6 | (text[i + 2] - '0') << 3 |
                                          (text[i + 3] - '0')));
        i += 3;
      } else {
        return SqlError(kInvalidTextRepresentation, "invalid input syntax for type bytea");
      }
    }
  } else {
    return UnrecognizedEncoding(format);
  }
  return bytes;
}

template <bool kEncode>
Status CodingKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(std::string result,
                            kEncode ? Encode(args[0]->GetString(row), args[1]->GetString(row))
                                    : Decode(args[0]->GetString(row), args[1]->GetString(row)));
    out->SetString(row, result);
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
  registry.Add({"||", {bytea, bytea}, bytea, ByteaConcatKernel});
  registry.Add({"length", {bytea}, integer, LengthKernel});
  registry.Add({"octet_length", {bytea}, integer, LengthKernel});
  const Type text = Type::Of(TypeId::kText);
  registry.Add({"md5", {text}, text, DigestKernel<EVP_md5, true>});
  registry.Add({"md5", {bytea}, text, DigestKernel<EVP_md5, true>});
  registry.Add({"encode", {bytea, text}, text, CodingKernel<true>});
  registry.Add({"decode", {text, text}, bytea, CodingKernel<false>});
  registry.Add({"sha224", {bytea}, bytea, DigestKernel<EVP_sha224, false>});
  registry.Add({"sha256", {bytea}, bytea, DigestKernel<EVP_sha256, false>});
  registry.Add({"sha384", {bytea}, bytea, DigestKernel<EVP_sha384, false>});
  registry.Add({"sha512", {bytea}, bytea, DigestKernel<EVP_sha512, false>});
  // uuid-ossp's uuid_generate_v4 is the same random (version 4) UUID.
  for (const char* name : {"gen_random_uuid", "uuid_generate_v4"}) {
    ScalarFunction random_uuid{name, {}, Type::Of(TypeId::kUuid), RandomUuidKernel};
    random_uuid.volatile_ = true;
    registry.Add(random_uuid);
  }
}

}  // namespace plexus::sql
