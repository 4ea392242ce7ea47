// The extended query protocol on a backend's worker: Parse, Bind, Describe, Execute, Close and
// Sync over the session's prepared statements and portals.
#include <optional>

#include "plexus/server/pgwire/backend.h"
#include "plexus/server/pgwire/binary_format.h"
#include "plexus/server/pgwire/errors.h"
#include "plexus/server/pgwire/limits.h"
#include "plexus/server/pgwire/message_runner.h"
#include "plexus/server/pgwire/result_writer.h"

namespace plexus::server::pgwire {

namespace {

Status BadFormat() { return ProtocolViolation(kInvalidMessageFormatText); }

// Reads an int16 count and that many int16 format codes (0 text, 1 binary).
bool ReadFormats(MessageReader& reader, std::vector<int16_t>* formats, Status* error) {
  int16_t count = 0;
  if (!reader.ReadInt16(&count) || count < 0) {
    *error = BadFormat();
    return false;
  }
  formats->resize(count);
  for (int16_t& format : *formats) {
    if (!reader.ReadInt16(&format)) {
      *error = BadFormat();
      return false;
    }
    if (format != 0 && format != 1) {
      *error = ProtocolViolation("unsupported format code: " + std::to_string(format));
      return false;
    }
  }
  return true;
}

std::string Quoted(std::string_view name) { return "\"" + std::string(name) + "\""; }

}  // namespace

bool MessageRunner::RunsWithoutWaiting(std::string_view frames) const {
  // The portal the batch bound last: drivers pipeline Bind, Execute per statement, so Execute
  // and Describe must name it (else a worker runs the batch). Nothing allocated per request.
  std::optional<std::string_view> bound;
  const auto was_bound = [&bound](std::string_view portal) { return bound == portal; };
  while (!frames.empty()) {
    Message message;
    size_t bytes = 0;
    Status error;
    if (NextMessage(frames, &message, &bytes, &error) != FrameResult::kFrame) return false;
    frames.remove_prefix(bytes);
    MessageReader reader(message.body);
    std::string_view name;
    switch (message.type) {
      case 'B': {
        std::string_view statement;
        if (!reader.ReadString(&name) || !reader.ReadString(&statement)) return false;
        const auto found = statements_.find(statement);
        if (found == statements_.end() ||
            !backend_->session_.RunsWithoutWaiting(*found->second)) {
          return false;
        }
        bound = name;
        break;
      }
      case 'E':
        if (!reader.ReadString(&name) || !was_bound(name)) return false;
        break;
      case 'D': {
        uint8_t kind = 0;
        if (!reader.ReadByte(&kind) || !reader.ReadString(&name)) return false;
        if (kind == 'P' && !was_bound(name)) return false;
        break;
      }
      case 'C':
      case 'H':
      case 'S':
        break;
      default:
        return false;
    }
  }
  return true;
}

Status MessageRunner::RunParse(std::string_view body) {
  MessageReader reader(body);
  std::string_view name;
  std::string_view sql;
  int16_t count = 0;
  if (!reader.ReadString(&name) || !reader.ReadString(&sql) || !reader.ReadInt16(&count) ||
      count < 0) {
    return BadFormat();
  }
  std::vector<catalog::Type> types(count);
  for (catalog::Type& type : types) {
    int32_t oid = 0;
    if (!reader.ReadInt32(&oid)) return BadFormat();
    type = oid == 0 ? catalog::Type() : catalog::TypeFromOid(static_cast<uint32_t>(oid));
    if (oid != 0 && type.id == catalog::TypeId::kUnknown) {
      return sql::SqlError(sql::SqlState{"42704", StatusCode::kNotFound},
                           "type with OID " + std::to_string(static_cast<uint32_t>(oid)) +
                               " does not exist");
    }
  }
  if (!reader.done()) return BadFormat();
  if (!name.empty() && statements_.count(name) != 0) {
    return sql::SqlError(kDuplicatePreparedStatement,
                         "prepared statement " + Quoted(name) + " already exists");
  }
  if (statements_.size() >= kPreparedStatementsMax && statements_.count(name) == 0) {
    return sql::SqlError(sql::SqlState{"54000", StatusCode::kResourceExhausted},
                         "too many prepared statements");
  }
  PLEXUS_ASSIGN_OR_RETURN(auto statement,
                          backend_->session_.Prepare(sql, std::move(types)));
  statements_[std::string(name)] = std::move(statement);
  MessageWriter(&backend_->output_).Begin('1').End();  // ParseComplete
  return Status::Ok();
}

Status MessageRunner::RunBind(std::string_view body) {
  MessageReader reader(body);
  std::string_view portal_name;
  std::string_view statement_name;
  if (!reader.ReadString(&portal_name) || !reader.ReadString(&statement_name)) return BadFormat();
  std::vector<int16_t> parameter_formats;
  Status error;
  if (!ReadFormats(reader, &parameter_formats, &error)) return error;
  int16_t count = 0;
  if (!reader.ReadInt16(&count) || count < 0) return BadFormat();
  auto found = statements_.find(statement_name);
  if (found == statements_.end()) {
    return sql::SqlError(kUndefinedPreparedStatement,
                         "prepared statement " + Quoted(statement_name) + " does not exist");
  }
  const std::shared_ptr<session::PreparedStatement>& statement = found->second;
  const std::vector<catalog::Type>& types = statement->parameter_types();
  if (static_cast<size_t>(count) != types.size()) {
    return ProtocolViolation("bind message supplies " + std::to_string(count) +
                             " parameters, but prepared statement " + Quoted(statement_name) +
                             " requires " + std::to_string(types.size()));
  }
  if (parameter_formats.size() > 1 && parameter_formats.size() != types.size()) {
    return ProtocolViolation("bind message has " + std::to_string(parameter_formats.size()) +
                             " parameter formats but " + std::to_string(count) + " parameters");
  }
  std::vector<sql::Value> parameters;
  parameters.reserve(count);
  for (int16_t i = 0; i < count; ++i) {
    int32_t length = 0;
    if (!reader.ReadInt32(&length)) return BadFormat();
    const catalog::Type& type = types[i];
    if (length == -1) {
      parameters.push_back(sql::Value::Null(type));
      continue;
    }
    std::string_view bytes;
    if (length < 0 || !reader.ReadBytes(static_cast<size_t>(length), &bytes)) return BadFormat();
    const int16_t format = parameter_formats.empty()       ? 0
                           : parameter_formats.size() == 1 ? parameter_formats[0]
                                                           : parameter_formats[i];
    Result<sql::Value> value = format == 1 ? DecodeBinary(type, bytes) : DecodeText(type, bytes);
    if (!value.ok()) return value.status();
    parameters.push_back(std::move(value).value());
  }
  std::vector<int16_t> result_formats;
  if (!ReadFormats(reader, &result_formats, &error)) return error;
  if (!reader.done()) return BadFormat();
  if (!portal_name.empty() && portals_.count(portal_name) != 0) {
    return sql::SqlError(kDuplicateCursor, "portal " + Quoted(portal_name) + " already exists");
  }
  if (portals_.size() >= kPortalsMax && portals_.count(portal_name) == 0) {
    return sql::SqlError(sql::SqlState{"54000", StatusCode::kResourceExhausted},
                         "too many portals");
  }
  PLEXUS_ASSIGN_OR_RETURN(std::unique_ptr<session::Portal> portal,
                          backend_->session_.Bind(statement, std::move(parameters)));
  portals_[std::string(portal_name)] = PortalEntry{std::move(portal), std::move(result_formats)};
  MessageWriter(&backend_->output_).Begin('2').End();  // BindComplete
  return Status::Ok();
}

Status MessageRunner::RunDescribe(std::string_view body) {
  MessageReader reader(body);
  uint8_t kind = 0;
  std::string_view name;
  if (!reader.ReadByte(&kind) || !reader.ReadString(&name) || !reader.done()) return BadFormat();
  std::string* out = &backend_->output_;
  if (kind == 'S') {
    auto found = statements_.find(name);
    if (found == statements_.end()) {
      return sql::SqlError(kUndefinedPreparedStatement,
                           "prepared statement " + Quoted(name) + " does not exist");
    }
    const session::PreparedStatement& statement = *found->second;
    MessageWriter writer(out);
    writer.Begin('t').Int16(static_cast<int16_t>(statement.parameter_types().size()));
    for (const catalog::Type& type : statement.parameter_types()) {
      writer.Int32(static_cast<int32_t>(catalog::TypeOid(type)));
    }
    writer.End();
    if (statement.returns_rows()) {
      AppendRowDescription(out, statement.columns(), {});
    } else {
      MessageWriter(out).Begin('n').End();  // NoData
    }
    return Status::Ok();
  }
  if (kind != 'P') {
    return ProtocolViolation("invalid DESCRIBE message subtype " + std::to_string(kind));
  }
  auto found = portals_.find(name);
  if (found == portals_.end()) {
    return sql::SqlError(kUndefinedCursor, "portal " + Quoted(name) + " does not exist");
  }
  const session::PreparedStatement& statement = found->second.portal->statement();
  if (statement.returns_rows()) {
    AppendRowDescription(out, statement.columns(), found->second.result_formats);
  } else {
    MessageWriter(out).Begin('n').End();
  }
  return Status::Ok();
}

Status MessageRunner::RunExecute(std::string_view body) {
  MessageReader reader(body);
  std::string_view name;
  int32_t max_rows = 0;
  if (!reader.ReadString(&name) || !reader.ReadInt32(&max_rows) || !reader.done()) {
    return BadFormat();
  }
  auto found = portals_.find(name);
  if (found == portals_.end()) {
    return sql::SqlError(kUndefinedCursor, "portal " + Quoted(name) + " does not exist");
  }
  backend_->cancel_.store(backend_->closed(), std::memory_order_relaxed);
  ResultWriter writer(&backend_->output_, [this] { return FlushIfLarge(); });
  writer.set_describe_rows(false);
  writer.set_formats(found->second.result_formats);
  writer.set_copy_channel(this);
  bool suspended = false;
  PLEXUS_RETURN_IF_ERROR(backend_->session_.Execute(
      *found->second.portal, writer, max_rows <= 0 ? 0 : static_cast<uint64_t>(max_rows),
      &suspended));
  if (suspended) MessageWriter(&backend_->output_).Begin('s').End();  // PortalSuspended
  return Status::Ok();
}

Status MessageRunner::RunClose(std::string_view body) {
  MessageReader reader(body);
  uint8_t kind = 0;
  std::string_view name;
  if (!reader.ReadByte(&kind) || !reader.ReadString(&name) || !reader.done()) return BadFormat();
  if (kind == 'S') {
    auto found = statements_.find(name);
    if (found != statements_.end()) statements_.erase(found);
  } else if (kind == 'P') {
    auto found = portals_.find(name);
    if (found != portals_.end()) portals_.erase(found);
  } else {
    return ProtocolViolation("invalid CLOSE message subtype " + std::to_string(kind));
  }
  MessageWriter(&backend_->output_).Begin('3').End();  // CloseComplete (also for unknown names)
  return Status::Ok();
}

void MessageRunner::RunSync() {
  skip_until_sync_ = false;
  // Outside a transaction block, Sync ends the implicit transaction and with it every portal.
  if (backend_->transaction_state() == session::TransactionState::kIdle) portals_.clear();
  ReadyForQuery();
}

}  // namespace plexus::server::pgwire
