// The simple query protocol and the COPY sub-protocol on a backend's worker thread.
#include "plexus/server/pgwire/message_runner.h"

#include "plexus/server/net/server.h"
#include "plexus/server/pgwire/backend.h"
#include "plexus/server/pgwire/binary_format.h"
#include "plexus/server/pgwire/errors.h"
#include "plexus/server/pgwire/limits.h"
#include "plexus/server/pgwire/notification_responses.h"
#include "plexus/server/pgwire/result_writer.h"
#include "plexus/server/pgwire/statement_metrics.h"

namespace plexus::server::pgwire {

namespace {

char TransactionStatusByte(session::TransactionState state) {
  switch (state) {
    case session::TransactionState::kIdle: return 'I';
    case session::TransactionState::kActive: return 'T';
    case session::TransactionState::kFailed: return 'E';
  }
  return 'I';
}

Status ConnectionGone() { return Status::Aborted("the client closed the connection"); }

}  // namespace

bool MessageRunner::Run(const Message& message) {
  if (skip_until_sync_ && message.type != 'S' && message.type != 'X' &&
      message.type != kViolationMessageType) {
    return true;
  }
  Status status;
  switch (message.type) {
    case 'Q':
      RunQuery(message.body);
      return !backend_->closed();
    case 'X':
      return false;
    case 'P': status = RunParse(message.body); break;
    case 'B': status = RunBind(message.body); break;
    case 'D': status = RunDescribe(message.body); break;
    case 'E': status = RunExecute(message.body); break;
    case 'C': status = RunClose(message.body); break;
    case 'S':
      RunSync();
      return !backend_->closed();
    case 'H':
      backend_->Flush(false);
      return !backend_->closed();
    case 'd':
    case 'c':
    case 'f':
      // CopyData/CopyDone/CopyFail after a COPY failed: PostgreSQL ignores them, so that the
      // rest of an aborted copy stream does not break the connection.
      return true;
    case kViolationMessageType:
      Fatal(ProtocolViolation(message.body));
      return false;
    default:
      Fatal(ProtocolViolation("invalid frontend message type " +
                              std::to_string(static_cast<uint8_t>(message.type))));
      return false;
  }
  if (!status.ok()) {
    RecordStatementError();
    AppendErrorResponse(&backend_->output_, Severity::kError, status);
    skip_until_sync_ = true;
  }
  return !backend_->closed();
}

void MessageRunner::Fatal(const Status& status) {
  AppendErrorResponse(&backend_->output_, Severity::kFatal, status);
}

void MessageRunner::ReadyForQuery() {
  AppendNotificationResponses(backend_->session_, &backend_->output_);
  MessageWriter(&backend_->output_)
      .Begin('Z')
      .Byte(static_cast<uint8_t>(TransactionStatusByte(backend_->transaction_state())))
      .End();
}

Status MessageRunner::FlushIfLarge() {
  if (backend_->output_.size() < kWorkerOutputFlushBytes) {
    return backend_->closed() ? ConnectionGone() : Status::Ok();
  }
  return backend_->Flush(true) ? Status::Ok() : ConnectionGone();
}

void MessageRunner::RunQuery(std::string_view body) {
  MessageReader reader(body);
  std::string_view sql;
  if (!reader.ReadString(&sql) || !reader.done()) {
    AppendErrorResponse(&backend_->output_, Severity::kError,
                        ProtocolViolation(kInvalidMessageFormatText));
    ReadyForQuery();
    return;
  }
  // As PostgreSQL's simple query, drop the unnamed statement and portal.
  statements_.erase(std::string());
  portals_.erase(std::string());
  // A cancel that arrived while no statement ran is not meant for this one.
  backend_->cancel_.store(backend_->closed(), std::memory_order_relaxed);
  ResultWriter writer(&backend_->output_, [this] { return FlushIfLarge(); });
  writer.set_copy_channel(this);
  const Status status = backend_->session_.Execute(sql, writer);
  if (!status.ok()) {
    RecordStatementError();
    AppendErrorResponse(&backend_->output_, Severity::kError, status);
  } else if (!writer.completed_any()) {
    MessageWriter(&backend_->output_).Begin('I').End();  // EmptyQueryResponse
  }
  ReadyForQuery();
}

bool MessageRunner::canceled() const {
  return backend_->cancel_.load(std::memory_order_relaxed);
}

namespace {

// CopyInResponse / CopyOutResponse: the overall format (0 textual, 1 binary) and the same
// format for every column.
void AppendCopyResponse(std::string* out, char type, const session::CopyFormat& format,
                        size_t columns) {
  const int16_t code = format.binary ? 1 : 0;
  MessageWriter writer(out);
  writer.Begin(type).Byte(static_cast<uint8_t>(code)).Int16(static_cast<int16_t>(columns));
  for (size_t i = 0; i < columns; ++i) writer.Int16(code);
  writer.End();
}

}  // namespace

Status MessageRunner::BeginCopyIn(const session::CopyFormat& format, size_t columns) {
  AppendCopyResponse(&backend_->output_, 'G', format, columns);
  return Status::Ok();
}

Status MessageRunner::ReadCopyData(std::string* data, bool* done) {
  data->clear();
  *done = false;
  while (true) {
    Message message;
    if (!backend_->WaitMessage(&message)) return ConnectionGone();
    switch (message.type) {
      case 'd':
        data->assign(message.body);
        return Status::Ok();
      case 'c':
        *done = true;
        return Status::Ok();
      case 'f': {
        MessageReader reader(message.body);
        std::string_view reason;
        if (!reader.ReadString(&reason)) reason = message.body;
        return sql::SqlError(sql::kQueryCanceled,
                             "COPY from stdin failed: " + std::string(reason));
      }
      case 'H':
      case 'S':
        // Flush and Sync during COPY IN are ignored (a driver may send them after its data).
        continue;
      default:
        return ProtocolViolation("unexpected message type 0x" +
                                 std::string(1, "0123456789ABCDEF"[(message.type >> 4) & 15]) +
                                 std::string(1, "0123456789ABCDEF"[message.type & 15]) +
                                 " during COPY from stdin");
    }
  }
}

Status MessageRunner::BeginCopyOut(const session::CopyFormat& format, size_t columns) {
  AppendCopyResponse(&backend_->output_, 'H', format, columns);
  return Status::Ok();
}

Status MessageRunner::WriteCopyData(std::string_view data) {
  MessageWriter(&backend_->output_).Begin('d').Bytes(data).End();
  return FlushIfLarge();
}

Result<sql::Value> MessageRunner::DecodeBinaryValue(const sql::Type& type,
                                                    std::string_view bytes) {
  return DecodeBinary(type, bytes);
}

Status MessageRunner::EncodeBinaryValue(const sql::Vector& vector, size_t row, std::string* out) {
  return EncodeBinary(vector, row, out);
}

Status MessageRunner::EndCopyOut() {
  MessageWriter(&backend_->output_).Begin('c').End();
  return Status::Ok();
}

}  // namespace plexus::server::pgwire
