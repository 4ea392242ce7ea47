// SASLprep through ICU's StringPrep profile for RFC 4013 (USPREP_RFC4013_SASLPREP: the tables of
// RFC 3454, unassigned code points refused as for stored strings — PostgreSQL refuses them too).
#include "plexus/base/saslprep.h"

#include <unicode/usprep.h>
#include <unicode/ustring.h>

#include <vector>

namespace plexus::base {

namespace {

// Passwords are bounded by the pgwire message limit; SASLprep of a longer one is not worth
// the memory (it is then used raw, as any password SASLprep refuses).
inline constexpr size_t kSaslPrepBytesMax = 1 << 20;

bool IsAscii(std::string_view text) {
  for (char ch : text) {
    if (static_cast<unsigned char>(ch) >= 0x80) return false;
  }
  return true;
}

}  // namespace

std::string SaslPrepPassword(std::string_view password) {
  // PostgreSQL takes pure ASCII as it is (a fast path that also keeps control characters).
  if (IsAscii(password) || password.size() > kSaslPrepBytesMax) return std::string(password);
  UErrorCode status = U_ZERO_ERROR;
  int32_t utf16_length = 0;
  u_strFromUTF8(nullptr, 0, &utf16_length, password.data(), static_cast<int32_t>(password.size()),
                &status);
  if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) return std::string(password);
  std::vector<UChar> utf16(static_cast<size_t>(utf16_length) + 1);
  status = U_ZERO_ERROR;
  u_strFromUTF8(utf16.data(), static_cast<int32_t>(utf16.size()), &utf16_length, password.data(),
                static_cast<int32_t>(password.size()), &status);
  if (U_FAILURE(status)) return std::string(password);  // not UTF-8: raw bytes

  UStringPrepProfile* profile = usprep_openByType(USPREP_RFC4013_SASLPREP, &status);
  if (U_FAILURE(status)) return std::string(password);
  // NFKC may grow a string (ligatures, compatibility forms) several times over.
  std::vector<UChar> prepared(static_cast<size_t>(utf16_length) * 4 + 16);
  UParseError parse_error;
  int32_t prepared_length =
      usprep_prepare(profile, utf16.data(), utf16_length, prepared.data(),
                     static_cast<int32_t>(prepared.size()), USPREP_DEFAULT, &parse_error, &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) {
    prepared.resize(static_cast<size_t>(prepared_length) + 1);
    status = U_ZERO_ERROR;
    prepared_length =
        usprep_prepare(profile, utf16.data(), utf16_length, prepared.data(),
                       static_cast<int32_t>(prepared.size()), USPREP_DEFAULT, &parse_error, &status);
  }
  usprep_close(profile);
  // Prohibited or unassigned characters, bad bidirectional text: the raw bytes, as PostgreSQL.
  if (U_FAILURE(status) || prepared_length == 0) return std::string(password);

  int32_t utf8_length = 0;
  status = U_ZERO_ERROR;
  u_strToUTF8(nullptr, 0, &utf8_length, prepared.data(), prepared_length, &status);
  std::string result(static_cast<size_t>(utf8_length), '\0');
  status = U_ZERO_ERROR;
  // Exactly the length: ICU warns (not fails) that it wrote no terminating NUL.
  u_strToUTF8(result.data(), utf8_length, &utf8_length, prepared.data(), prepared_length, &status);
  if (U_FAILURE(status)) return std::string(password);
  return result;
}

}  // namespace plexus::base
