// The SQL endpoint: request JSON to a session's statements, result batches to JSON.
#include "plexus/server/http/sql_api.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "plexus/catalog/type.h"
#include "plexus/server/http/json_body.h"
#include "plexus/server/http/limits.h"
#include "plexus/server/http/metrics.h"
#include "plexus/server/http/problem.h"
#include "plexus/server/http/sql_sessions.h"
#include "plexus/server/pgwire/binary_format.h"
#include "plexus/session/session.h"
#include "plexus/session/session_info_scope.h"
#include "plexus/sql/func/cast.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/array.h"

namespace plexus::server::http {
namespace {

using catalog::TypeId;

// ScratchVector's slot for array elements (the engine's own use slots 0-3 and pgwire's).
constexpr int kArrayElementSlot = 40;
constexpr sql::SqlState kProgramLimitExceeded{"54000", StatusCode::kResourceExhausted};
constexpr sql::SqlState kProtocolViolation{"08P01", StatusCode::kInvalidArgument};

// The last statement's columns, rows (as JSON text) and command tag, as one JSON object. A
// result that grows past kStreamStartBytes streams (with a stream): the head and the rows so
// far go out, then a chunk per kStreamStartBytes more; Finish gives the end. An error after
// streaming began ends the object with an "error" member instead of "command".
class JsonSink final : public session::ResultSink {
 public:
  explicit JsonSink(ResponseStream* stream) : stream_(stream) {}

  Status BeginRows(const std::vector<session::ResultColumn>& columns) override {
    PLEXUS_RETURN_IF_ERROR(CheckNotStreamed());
    columns_ = columns;
    rows_.clear();
    row_count_ = 0;
    began_ = true;
    return Status::Ok();
  }
  Status Rows(const sql::Batch& batch) override {
    for (size_t row = 0; row < batch.rows(); ++row) {
      rows_.push_back(row_count_++ == 0 ? '[' : ',');
      rows_.push_back('[');
      for (size_t column = 0; column < batch.column_count(); ++column) {
        if (column > 0) rows_.push_back(',');
        PLEXUS_RETURN_IF_ERROR(AppendJsonValue(batch.column(column), row, &rows_));
      }
      rows_.push_back(']');
      whole_rows_bytes_ = rows_.size();
    }
    if (stream_ != nullptr) {
      if (rows_.size() >= kStreamStartBytes) return Stream();
      return Status::Ok();
    }
    if (rows_.size() > kResponseBytesMax) {
      return sql::SqlError(kProgramLimitExceeded,
                           "the result exceeds " + std::to_string(kResponseBytesMax) +
                               " bytes of JSON; fetch it in parts (LIMIT/OFFSET)");
    }
    return Status::Ok();
  }
  Status Complete(std::string_view command_tag) override {
    PLEXUS_RETURN_IF_ERROR(CheckNotStreamed());
    // A statement without rows after one with rows: its result replaces theirs.
    if (!began_) {
      columns_.clear();
      rows_.clear();
      row_count_ = 0;
    }
    began_ = false;
    command_ = command_tag;
    completed_ = streaming_;
    RecordSqlStatement(command_tag, std::chrono::steady_clock::now() - started_);
    return Status::Ok();
  }

  const std::string& command() const { return command_; }
  bool streaming() const { return streaming_; }

  // The response for the statements' `status`.
  Response Finish(const Status& status) {
    if (!status.ok()) RecordSqlError();
    if (!streaming_) {
      if (!status.ok()) return SqlProblem(status);
      Response response;
      response.body = ToJson();
      return response;
    }
    Response response;
    response.streamed = true;
    rows_.resize(whole_rows_bytes_);  // a row cut short by the error is left out
    response.body = std::move(rows_);
    response.body += row_count_ == 0 ? "[]" : "]";
    if (status.ok()) {
      response.body += ",\"command\":";
      AppendJsonString(command_, &response.body);
    } else {
      // The client has the status line already: the problem goes into the body.
      response.body += ",\"error\":";
      response.body += SqlProblem(status).body;
    }
    response.body.push_back('}');
    return response;
  }

 private:
  // Statements run after a streamed result would replace it (the last statement's result is
  // the answer), but its rows have gone: that fails, and the block rolls back.
  Status CheckNotStreamed() const {
    if (!completed_) return Status::Ok();
    return sql::SqlError(sql::kFeatureNotSupported,
                         "a statement follows one whose result was streamed; only the last "
                         "statement may return a large result");
  }

  // Sends the head (at the first call) and the rows so far, waiting while the client reads.
  Status Stream() {
    std::string piece;
    if (!streaming_) {
      streaming_ = true;
      Response head;
      if (!stream_->Begin(head)) return ClientGone();
      piece = Head();
    }
    piece.append(rows_, 0, whole_rows_bytes_);
    rows_.erase(0, whole_rows_bytes_);
    whole_rows_bytes_ = 0;
    return stream_->Write(piece) ? Status::Ok() : ClientGone();
  }
  static Status ClientGone() {
    return sql::SqlError(sql::kQueryCanceled, "the client closed the connection");
  }

  std::string Head() const {
    std::string out = "{\"columns\":[";
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (i > 0) out.push_back(',');
      out += "{\"name\":";
      AppendJsonString(columns_[i].name, &out);
      out += ",\"type\":";
      std::string type(catalog::TypeName(columns_[i].type.id));
      if (columns_[i].type.id == TypeId::kArray) {
        type = "_" + std::string(catalog::TypeName(columns_[i].type.element));
      }
      AppendJsonString(type, &out);
      out.push_back('}');
    }
    out += "],\"rows\":";
    return out;
  }

  std::string ToJson() const {
    std::string out = Head();
    out += row_count_ == 0 ? "[" : "";
    out += rows_;
    out += "],\"command\":";
    AppendJsonString(command_, &out);
    out.push_back('}');
    return out;
  }

  ResponseStream* stream_;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::vector<session::ResultColumn> columns_;
  std::string rows_;  // from the first row not yet sent
  size_t whole_rows_bytes_ = 0;  // of rows_: whole rows (a failing row stops part way)
  size_t row_count_ = 0;
  bool began_ = false;
  bool streaming_ = false;  // the head and some rows have been sent
  bool completed_ = false;  // the streamed statement has completed
  std::string command_;
};

// The text a JSON parameter value gives to the type's input function.
Result<std::string> ParameterText(const nlohmann::json& value, const catalog::Type& type) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return std::string(value.get<bool>() ? "true" : "false");
  if (value.is_array() && type.id == TypeId::kArray) {
    // PostgreSQL's array literal: {"a","b",NULL}, every element quoted.
    std::string text = "{";
    for (size_t i = 0; i < value.size(); ++i) {
      if (i > 0) text.push_back(',');
      const nlohmann::json& element = value[i];
      if (element.is_null()) {
        text += "NULL";
        continue;
      }
      if (element.is_array() || (element.is_object() && type.element != TypeId::kJsonb)) {
        return Status::InvalidArgument("parameter arrays must be one-dimensional");
      }
      const std::string item =
          element.is_string() ? element.get<std::string>() : element.dump();
      text.push_back('"');
      for (const char c : item) {
        if (c == '"' || c == '\\') text.push_back('\\');
        text.push_back(c);
      }
      text.push_back('"');
    }
    text.push_back('}');
    return text;
  }
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<std::vector<sql::Value>> BindParameters(const nlohmann::json& params,
                                               const std::vector<catalog::Type>& types) {
  if (params.size() != types.size()) {
    return sql::SqlError(kProtocolViolation,
                         "the statement has " + std::to_string(types.size()) +
                             " parameters, \"params\" has " + std::to_string(params.size()));
  }
  std::vector<sql::Value> values;
  values.reserve(types.size());
  for (size_t i = 0; i < types.size(); ++i) {
    // A parameter whose type nothing determines is text, as PostgreSQL infers it.
    const catalog::Type type =
        types[i].id == TypeId::kUnknown ? catalog::Type::Of(TypeId::kText) : types[i];
    if (params[i].is_null()) {
      values.push_back(sql::Value::Null(type));
      continue;
    }
    PLEXUS_ASSIGN_OR_RETURN(std::string text, ParameterText(params[i], type));
    PLEXUS_ASSIGN_OR_RETURN(sql::Value value, pgwire::DecodeText(type, text));
    values.push_back(std::move(value));
  }
  return values;
}

Status ExecutePrepared(session::Session& session,
                       const std::shared_ptr<session::PreparedStatement>& prepared,
                       const nlohmann::json& params, JsonSink& sink) {
  PLEXUS_ASSIGN_OR_RETURN(std::vector<sql::Value> values,
                          BindParameters(params, prepared->parameter_types()));
  PLEXUS_ASSIGN_OR_RETURN(auto portal, session.Bind(prepared, std::move(values)));
  return session.Execute(*portal, sink);
}

// A kept statement whose result columns changed with the schema (ALTER TABLE ... ADD COLUMN
// under SELECT *) fails with 0A000 "cached plan must not change result type": a driver would
// prepare it again, and so does the SQL API (another 0A000 then comes again from the new one).
bool IsStaleResultType(const Status& status) {
  return status.sql_state() == sql::kFeatureNotSupported.code;
}

// One statement with parameters in `pooled`'s session, prepared once per session.
Status RunPrepared(PooledSession& pooled, const std::string& sql, const nlohmann::json& params,
                   JsonSink& sink) {
  session::Session& session = *pooled.session;
  if (auto found = pooled.statements.find(sql); found != pooled.statements.end()) {
    const std::shared_ptr<session::PreparedStatement> kept = found->second;
    const Status status = ExecutePrepared(session, kept, params, sink);
    if (!IsStaleResultType(status) || sink.streaming()) return status;
    pooled.statements.erase(sql);
  }
  PLEXUS_ASSIGN_OR_RETURN(std::shared_ptr<session::PreparedStatement> prepared,
                          session.Prepare(sql));
  pooled.statements.emplace(sql, prepared);
  return ExecutePrepared(session, prepared, params, sink);
}

bool IsFloat(TypeId id) { return id == TypeId::kFloat32 || id == TypeId::kFloat64; }

}  // namespace

void AppendJsonString(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (byte < 0x20) {
          *out += "\\u00";
          out->push_back(kHex[byte >> 4]);
          out->push_back(kHex[byte & 15]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

Status AppendJsonValue(const sql::Vector& vector, size_t row, std::string* out) {
  if (vector.IsNull(row)) {
    *out += "null";
    return Status::Ok();
  }
  const TypeId id = vector.type().id;
  if (id == TypeId::kBool) {
    *out += vector.values<uint8_t>()[row] != 0 ? "true" : "false";
    return Status::Ok();
  }
  if (id == TypeId::kArray) {
    const sql::Type element = sql::ArrayElementType(vector.type());
    PLEXUS_ASSIGN_OR_RETURN(sql::ArrayView array,
                            sql::ArrayView::Open(vector.GetString(row), element));
    sql::Vector& values = sql::ScratchVector(element, kArrayElementSlot);
    out->push_back('[');
    for (size_t i = 0; i < array.size(); ++i) {
      if (i > 0) out->push_back(',');
      // One slot reused: the element's text is written before the next is copied in.
      array.CopyTo(i, &values, 0);
      PLEXUS_RETURN_IF_ERROR(AppendJsonValue(values, 0, out));
    }
    out->push_back(']');
    return Status::Ok();
  }
  std::string text;
  PLEXUS_RETURN_IF_ERROR(sql::FormatText(vector, row, &text));
  if (id == TypeId::kJsonb) {
    *out += text;  // jsonb's output is JSON
  } else if (id == TypeId::kInt16 || id == TypeId::kInt32 ||
             (IsFloat(id) && text != "NaN" && text != "Infinity" && text != "-Infinity")) {
    *out += text;
  } else {
    AppendJsonString(text, out);
  }
  return Status::Ok();
}

Response RunSql(session::Engine* engine, const Request& request, SqlSessionPool* pool) {
  nlohmann::json body;
  Response problem;
  if (!ParseJsonBody(request, &body, &problem)) return problem;
  if (!body.is_object() || !body.contains("sql") || !body["sql"].is_string()) {
    return Problem(400, "expected {\"sql\": string, \"params\": [...]}");
  }
  const nlohmann::json* params = nullptr;
  if (body.contains("params") && !body["params"].is_null()) {
    if (!body["params"].is_array()) return Problem(400, "\"params\" must be an array");
    if (body["params"].size() > kSqlParametersMax) {
      return Problem(400, "more than " + std::to_string(kSqlParametersMax) + " parameters");
    }
    params = &body["params"];
  }
  const std::string sql = body["sql"].get<std::string>();
  JsonSink sink(request.stream);
  // A client gone mid-stream cancels the statement.
  const std::atomic<bool>* cancel = request.stream ? request.stream->cancel_flag() : nullptr;
  Status status;
  if (params != nullptr && pool != nullptr) {
    std::unique_ptr<PooledSession> pooled = pool->Acquire(request.role);
    {
      // The catalog views and functions (current_user, privileges) see this session.
      const session::SessionInfoScope session_info(*pooled->session);
      pooled->session->set_cancel_flag(cancel);
      status = RunPrepared(*pooled, sql, *params, sink);
      pooled->session->set_cancel_flag(nullptr);
    }
    // A session the statement changed (SET, BEGIN, ...) goes; so does one whose statement
    // failed, rather than reason about what a failure leaves.
    if (status.ok() && SqlSessionPool::MayReuse(*pooled, sink.command())) {
      pool->Release(request.role, std::move(pooled));
    }
  } else {
    // Several statements (or no pool): a session of their own, gone with the request.
    PooledSession own(engine, request.role);
    const session::SessionInfoScope session_info(*own.session);
    own.session->set_cancel_flag(cancel);
    status = params != nullptr ? RunPrepared(own, sql, *params, sink)
                               : own.session->Execute(sql, sink);
  }
  return sink.Finish(status);
}

std::vector<RouteEntry> SqlRoutes(session::Engine* engine) {
  auto pool = std::make_shared<SqlSessionPool>(engine);
  std::vector<RouteEntry> routes;
  routes.push_back({"POST", "/api/v1/sql", [engine, pool](const Request& request) {
                      return RunSql(engine, request, pool.get());
                    }});
  return routes;
}

}  // namespace plexus::server::http
