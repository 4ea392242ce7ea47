// Values in the wire protocol's formats: PostgreSQL's binary send/receive format of every
// supported type (big-endian integers and IEEE floats; dates, times and timestamps as days or
// microseconds since 2000-01-01; interval as int64 microseconds, int32 days, int32 months;
// numeric as int16 ndigits, weight, sign, dscale and base-10000 digits; uuid as 16 bytes; jsonb
// as version byte 1 and the text; arrays as ndim, has-null flag, element OID, dimensions and
// length-prefixed elements), and text input through the engine's casts.
#pragma once

#include <string>
#include <string_view>

#include "plexus/base/status.h"
#include "plexus/sql/exec/vector.h"
#include "plexus/sql/types/value.h"

namespace plexus::server::pgwire {

// Appends the binary form of row `row` of `vector` (not NULL).
Status EncodeBinary(const sql::Vector& vector, size_t row, std::string* out);
// The value of `type` whose binary form is `bytes`; 22P03 when the bytes are malformed.
Result<sql::Value> DecodeBinary(const sql::Type& type, std::string_view bytes);
// The value of `type` whose text form is `text` (PostgreSQL's input function and errors).
Result<sql::Value> DecodeText(const sql::Type& type, std::string_view text);

// PostgreSQL's binary numeric from / to the decimal text of a numeric ("-12.340", "NaN",
// "Infinity"). Exposed for tests.
Status NumericTextToBinary(std::string_view text, std::string* out);
Result<std::string> NumericBinaryToText(std::string_view bytes);

}  // namespace plexus::server::pgwire
