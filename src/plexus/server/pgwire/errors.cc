// ErrorResponse / NoticeResponse fields from a Status (the SQLSTATE mapping of the wire edge).
#include "plexus/server/pgwire/errors.h"

#include "plexus/server/pgwire/protocol.h"

namespace plexus::server::pgwire {

std::string_view SqlStateOf(const Status& status) {
  if (!status.sql_state().empty()) return status.sql_state();
  switch (status.code()) {
    case StatusCode::kSerializationFailure: return sql::kSerializationFailure.code;
    case StatusCode::kDeadlock: return sql::kDeadlockDetected.code;
    case StatusCode::kLockTimeout: return sql::kLockNotAvailable.code;
    case StatusCode::kNotSupported: return sql::kFeatureNotSupported.code;
    case StatusCode::kResourceExhausted: return "53000";  // insufficient_resources
    case StatusCode::kIOError: return "58030";            // io_error
    case StatusCode::kCorruption: return "XX001";         // data_corrupted
    default: return sql::kInternalError.code;
  }
}

namespace {

std::string_view SeverityText(Severity severity) {
  switch (severity) {
    case Severity::kError: return "ERROR";
    case Severity::kFatal: return "FATAL";
    case Severity::kNotice: return "NOTICE";
    case Severity::kWarning: return "WARNING";
  }
  return "ERROR";
}

}  // namespace

void AppendErrorResponse(std::string* out, Severity severity, const Status& status) {
  const bool notice = severity == Severity::kNotice || severity == Severity::kWarning;
  MessageWriter writer(out);
  writer.Begin(notice ? 'N' : 'E');
  const std::string_view severity_text = SeverityText(severity);
  writer.Byte('S').String(severity_text);
  writer.Byte('V').String(severity_text);
  writer.Byte('C').String(SqlStateOf(status));
  writer.Byte('M').String(status.message());
  if (!status.detail().empty()) writer.Byte('D').String(status.detail());
  if (!status.hint().empty()) writer.Byte('H').String(status.hint());
  if (status.position() > 0) writer.Byte('P').String(std::to_string(status.position()));
  writer.Byte(0);
  writer.End();
}

void AppendNoticeResponse(std::string* out, std::string_view severity, std::string_view sql_state,
                          std::string_view message) {
  MessageWriter writer(out);
  writer.Begin('N');
  writer.Byte('S').String(severity);
  writer.Byte('V').String(severity);
  writer.Byte('C').String(sql_state);
  writer.Byte('M').String(message);
  writer.Byte(0);
  writer.End();
}

}  // namespace plexus::server::pgwire
