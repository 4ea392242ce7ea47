// RFC 7807 problem details for HTTP errors.
#include "plexus/server/http/problem.h"

#include <nlohmann/json.hpp>

#include "plexus/server/pgwire/errors.h"

namespace plexus::server::http {

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

Response Problem(int status, std::string_view detail, std::string_view sqlstate) {
  nlohmann::json body = {{"type", "about:blank"},
                         {"title", ReasonPhrase(status)},
                         {"status", status},
                         {"detail", detail}};
  if (!sqlstate.empty()) body["sqlstate"] = sqlstate;
  Response response;
  response.status = status;
  response.content_type = "application/problem+json";
  // Invalid UTF-8 in a message (an echoed bad input) is replaced, never a thrown exception.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response SqlProblem(const Status& status) {
  const std::string_view sqlstate = pgwire::SqlStateOf(status);
  int http_status = 400;
  switch (status.code()) {
    case StatusCode::kSerializationFailure:
    case StatusCode::kDeadlock:
    case StatusCode::kLockTimeout:
      http_status = 409;
      break;
    case StatusCode::kResourceExhausted:
    case StatusCode::kBusy:
      http_status = 503;
      break;
    case StatusCode::kInternal:
    case StatusCode::kCorruption:
    case StatusCode::kIOError:
      http_status = 500;
      break;
    default:
      // unique_violation: the resource exists (a document's _id taken).
      if (sqlstate == "23505") http_status = 409;
      // insufficient_privilege: the role may not do this.
      if (sqlstate == "42501") http_status = 403;
      break;
  }
  Response response = Problem(http_status, status.message(), sqlstate);
  if (!status.detail().empty() || !status.hint().empty()) {
    nlohmann::json body = nlohmann::json::parse(response.body);
    if (!status.detail().empty()) body["sql_detail"] = status.detail();
    if (!status.hint().empty()) body["hint"] = status.hint();
    response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return response;
}

}  // namespace plexus::server::http
