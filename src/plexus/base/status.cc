// Status: names of the codes and the out-of-line parts of the class.
#include "plexus/base/status.h"

#include "plexus/base/assert.h"

namespace plexus {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kNotFound: return "not found";
    case StatusCode::kInvalidArgument: return "invalid argument";
    case StatusCode::kAlreadyExists: return "already exists";
    case StatusCode::kCorruption: return "corruption";
    case StatusCode::kIOError: return "I/O error";
    case StatusCode::kNotSupported: return "not supported";
    case StatusCode::kBusy: return "busy";
    case StatusCode::kLockTimeout: return "lock timeout";
    case StatusCode::kDeadlock: return "deadlock";
    case StatusCode::kSerializationFailure: return "serialization failure";
    case StatusCode::kAborted: return "aborted";
    case StatusCode::kResourceExhausted: return "resource exhausted";
    case StatusCode::kInternal: return "internal error";
  }
  return "unknown";
}

Status::Status(StatusCode code, std::string_view message)
    : state_(code == StatusCode::kOk ? nullptr : new State{code, std::string(message), {}, {}, {}, 0}) {}

Status::Status(const Status& other)
    : state_(other.state_ ? new State(*other.state_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) state_.reset(other.state_ ? new State(*other.state_) : nullptr);
  return *this;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string text(StatusCodeName(code()));
  if (!state_->message.empty()) {
    text += ": ";
    text += state_->message;
  }
  return text;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return Status();
  Status result(*this);
  result.state_->message = std::string(context) + ": " + state_->message;
  return result;
}

Status::State& Status::MutableState() {
  PLEXUS_ASSERT(state_ != nullptr);  // an OK status carries no error fields
  return *state_;
}

Status& Status::SetSqlState(std::string_view sql_state) {
  MutableState().sql_state = sql_state;
  return *this;
}

Status& Status::SetDetail(std::string_view detail) {
  MutableState().detail = detail;
  return *this;
}

Status& Status::SetHint(std::string_view hint) {
  MutableState().hint = hint;
  return *this;
}

Status& Status::SetPosition(int position) {
  MutableState().position = position;
  return *this;
}

}  // namespace plexus
