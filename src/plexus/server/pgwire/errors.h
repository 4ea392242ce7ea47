// The wire protocol's own error conditions (protocol violations, connection limits, shutdown)
// and the one place that turns a Status into the fields of an ErrorResponse/NoticeResponse.
// SQL errors already carry their SQLSTATE (sql/sqlstate.h); this maps the rest.
#pragma once

#include <string>
#include <string_view>

#include "plexus/base/status.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::server::pgwire {

inline constexpr sql::SqlState kProtocolViolation{"08P01", StatusCode::kInvalidArgument};
inline constexpr sql::SqlState kTooManyConnections{"53300", StatusCode::kResourceExhausted};
inline constexpr sql::SqlState kAdminShutdown{"57P01", StatusCode::kAborted};
inline constexpr sql::SqlState kInvalidAuthorization{"28000", StatusCode::kInvalidArgument};
inline constexpr sql::SqlState kUndefinedPreparedStatement{"26000", StatusCode::kNotFound};
inline constexpr sql::SqlState kUndefinedCursor{"34000", StatusCode::kNotFound};
inline constexpr sql::SqlState kDuplicatePreparedStatement{"42P05", StatusCode::kAlreadyExists};
inline constexpr sql::SqlState kDuplicateCursor{"42P03", StatusCode::kAlreadyExists};

// PostgreSQL's texts, written once.
inline constexpr std::string_view kTooManyClientsText = "sorry, too many clients already";
inline constexpr std::string_view kInvalidMessageFormatText = "invalid message format";

// The SQLSTATE reported for `status`: its own, or the one PostgreSQL uses for its kind.
std::string_view SqlStateOf(const Status& status);

enum class Severity : uint8_t { kError, kFatal, kNotice, kWarning };

// Appends an ErrorResponse ('E') or NoticeResponse ('N') with S, V, C, M and, when present,
// D, H and P fields.
void AppendErrorResponse(std::string* out, Severity severity, const Status& status);
// A NoticeResponse ('N') of the given severity ("WARNING", "NOTICE", ...) and SQLSTATE.
void AppendNoticeResponse(std::string* out, std::string_view severity, std::string_view sql_state,
                          std::string_view message);

}  // namespace plexus::server::pgwire
