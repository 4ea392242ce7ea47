// Status and Result<T>: how every fallible call in Plexus reports failure. No exception crosses
// the API. A successful Status costs one null pointer; a failure carries a code and a message.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace plexus {

// Internal kinds of failure. Front ends map them to wire errors (SQLSTATE, RESP, HTTP) at the edge.
enum class StatusCode : unsigned char {
  kOk = 0,
  kNotFound,
  kInvalidArgument,
  kAlreadyExists,
  kCorruption,
  kIOError,
  kNotSupported,
  kBusy,                  // a resource (such as a data directory) is held by someone else
  kLockTimeout,           // waited longer than the lock timeout for a row/key lock
  kDeadlock,              // chosen as the victim of a deadlock
  kSerializationFailure,  // a concurrent transaction changed what this one read or writes
  kAborted,               // the transaction is no longer usable
  kResourceExhausted,
  kInternal,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() noexcept = default;
  Status(StatusCode code, std::string_view message);
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&& other) noexcept = default;
  Status& operator=(Status&& other) noexcept = default;
  ~Status() = default;

  static Status Ok() { return Status(); }
  static Status NotFound(std::string_view message) { return {StatusCode::kNotFound, message}; }
  static Status InvalidArgument(std::string_view message) {
    return {StatusCode::kInvalidArgument, message};
  }
  static Status AlreadyExists(std::string_view message) {
    return {StatusCode::kAlreadyExists, message};
  }
  static Status Corruption(std::string_view message) { return {StatusCode::kCorruption, message}; }
  static Status IOError(std::string_view message) { return {StatusCode::kIOError, message}; }
  static Status NotSupported(std::string_view message) {
    return {StatusCode::kNotSupported, message};
  }
  static Status Busy(std::string_view message) { return {StatusCode::kBusy, message}; }
  static Status LockTimeout(std::string_view message) {
    return {StatusCode::kLockTimeout, message};
  }
  static Status Deadlock(std::string_view message) { return {StatusCode::kDeadlock, message}; }
  static Status SerializationFailure(std::string_view message) {
    return {StatusCode::kSerializationFailure, message};
  }
  static Status Aborted(std::string_view message) { return {StatusCode::kAborted, message}; }
  static Status ResourceExhausted(std::string_view message) {
    return {StatusCode::kResourceExhausted, message};
  }
  static Status Internal(std::string_view message) { return {StatusCode::kInternal, message}; }

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return state_ ? state_->code : StatusCode::kOk; }
  // Empty for OK.
  std::string_view message() const { return state_ ? std::string_view(state_->message) : ""; }
  // "OK" or "<code name>: <message>".
  std::string ToString() const;

  bool IsNotFound() const { return code() == StatusCode::kNotFound; }
  bool IsInvalidArgument() const { return code() == StatusCode::kInvalidArgument; }
  bool IsCorruption() const { return code() == StatusCode::kCorruption; }
  bool IsIOError() const { return code() == StatusCode::kIOError; }
  bool IsBusy() const { return code() == StatusCode::kBusy; }
  bool IsLockTimeout() const { return code() == StatusCode::kLockTimeout; }
  bool IsDeadlock() const { return code() == StatusCode::kDeadlock; }
  bool IsSerializationFailure() const { return code() == StatusCode::kSerializationFailure; }
  bool IsAborted() const { return code() == StatusCode::kAborted; }

  // A copy whose message starts with `context: `, for adding where a failure happened.
  Status WithContext(std::string_view context) const;

  // SQL errors also carry the SQLSTATE (the SQL standard's five-character condition code, which
  // every front end reports) and PostgreSQL's optional fields. Empty / 0 when absent.
  std::string_view sql_state() const {
    return state_ ? std::string_view(state_->sql_state) : std::string_view();
  }
  std::string_view detail() const {
    return state_ ? std::string_view(state_->detail) : std::string_view();
  }
  std::string_view hint() const {
    return state_ ? std::string_view(state_->hint) : std::string_view();
  }
  // 1-based character position in the statement text that the error points at.
  int position() const { return state_ ? state_->position : 0; }
  // REQUIRES: !ok(). Each returns *this for chaining.
  Status& SetSqlState(std::string_view sql_state);
  Status& SetDetail(std::string_view detail);
  Status& SetHint(std::string_view hint);
  Status& SetPosition(int position);

 private:
  struct State {
    StatusCode code;
    std::string message;
    std::string sql_state;
    std::string detail;
    std::string hint;
    int position = 0;
  };
  State& MutableState();
  std::unique_ptr<State> state_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    if (status_.ok()) status_ = Status::Internal("Result constructed from an OK status");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const& { return status_; }
  Status status() && { return std::move(status_); }

  // REQUIRES: ok().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T&& operator*() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace plexus
