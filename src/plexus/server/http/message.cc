// Request parsing with Boost.Beast and response serialization.
#include "plexus/server/http/message.h"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>
#include <optional>

#include "plexus/base/assert.h"
#include "plexus/server/http/problem.h"
#include "plexus/server/http/router.h"

namespace plexus::server::http {

namespace beast_http = boost::beast::http;

struct RequestReader::Parser {
  beast_http::request_parser<beast_http::string_body> parser;
};

RequestReader::RequestReader(uint32_t header_bytes_max, uint64_t body_bytes_max)
    : header_bytes_max_(header_bytes_max), body_bytes_max_(body_bytes_max) {
  Reset();
}

RequestReader::~RequestReader() = default;

void RequestReader::Reset() {
  parser_ = std::make_unique<Parser>();
  parser_->parser.header_limit(header_bytes_max_);
  parser_->parser.body_limit(body_bytes_max_);
  parser_->parser.eager(true);  // the body as it comes, so that the input buffer stays small
  continue_answered_ = false;
}

RequestReader::State RequestReader::Feed(std::string_view input, size_t* consumed) {
  *consumed = 0;
  if (failure_status_ != 0) return State::kFailed;
  auto& parser = parser_->parser;
  while (!parser.is_done()) {
    const std::string_view rest = input.substr(*consumed);
    if (rest.empty()) return State::kIncomplete;
    boost::beast::error_code error;
    const size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), error);
    *consumed += used;
    if (error == beast_http::error::need_more) {
      if (used == 0) return State::kIncomplete;
      continue;
    }
    if (error) {
      if (error == beast_http::error::header_limit) {
        failure_status_ = 431;
        failure_detail_ = "the request's headers exceed " + std::to_string(header_bytes_max_) +
                          " bytes (http.max_header_bytes)";
      } else if (error == beast_http::error::body_limit) {
        failure_status_ = 413;
        failure_detail_ = "the request body exceeds " + std::to_string(body_bytes_max_) +
                          " bytes (http.max_body_bytes)";
      } else {
        failure_status_ = 400;
        failure_detail_ = "malformed HTTP request: " + error.message();
      }
      return State::kFailed;
    }
    if (used == 0 && !parser.is_done()) return State::kIncomplete;
  }
  return State::kComplete;
}

bool RequestReader::header_done() const { return parser_->parser.is_header_done(); }

bool RequestReader::TakeContinueExpected() {
  auto& parser = parser_->parser;
  if (continue_answered_ || !parser.is_header_done() || parser.is_done()) return false;
  const auto& message = parser.get();
  if (!boost::beast::iequals(message[beast_http::field::expect], "100-continue")) return false;
  continue_answered_ = true;
  return true;
}

ParsedRequest RequestReader::Take() {
  PLEXUS_ASSERT(parser_->parser.is_done());
  beast_http::request<beast_http::string_body> message = parser_->parser.release();
  Reset();
  ParsedRequest parsed;
  parsed.keep_alive = message.keep_alive();
  Request& request = parsed.request;
  request.method = std::string(message.method_string());
  const std::string_view target(message.target().data(), message.target().size());
  const size_t question = target.find('?');
  parsed.raw_path = std::string(target.substr(0, question));
  if (!PercentDecode(parsed.raw_path, false, &request.path)) request.path = parsed.raw_path;
  if (question != std::string_view::npos) {
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
      const size_t amp = query.find('&');
      const std::string_view pair = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
      if (pair.empty()) continue;
      const size_t equals = pair.find('=');
      std::string key, value;
      // A malformed escape keeps the text as given: the handler sees what the client sent.
      if (!PercentDecode(pair.substr(0, equals), true, &key)) key = pair.substr(0, equals);
      if (equals != std::string_view::npos &&
          !PercentDecode(pair.substr(equals + 1), true, &value)) {
        value = pair.substr(equals + 1);
      }
      request.query.emplace_back(std::move(key), std::move(value));
    }
  }
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  request.body = std::move(message.body());
  return parsed;
}

namespace {

// A header name or value without CR and LF: a handler's header built from client input (a
// Location with an id) cannot split the response.
void AppendHeaderText(std::string_view text, std::string* out) {
  for (const char c : text) {
    if (c != '\r' && c != '\n') out->push_back(c);
  }
}

}  // namespace

namespace {

// The status line and headers, without the line that ends them.
void AppendHead(const Response& response, std::string* out) {
  *out += "HTTP/1.1 ";
  *out += std::to_string(response.status);
  *out += ' ';
  *out += ReasonPhrase(response.status);
  *out += "\r\n";
  if (!response.content_type.empty() && response.status != 204) {
    *out += "Content-Type: ";
    AppendHeaderText(response.content_type, out);
    *out += "\r\n";
  }
  for (const auto& [name, value] : response.headers) {
    AppendHeaderText(name, out);
    *out += ": ";
    AppendHeaderText(value, out);
    *out += "\r\n";
  }
}

}  // namespace

std::string SerializeChunkedHead(const Response& response, bool close) {
  std::string out;
  AppendHead(response, &out);
  out += "Transfer-Encoding: chunked\r\n";
  if (close) out += "Connection: close\r\n";
  out += "\r\n";
  return out;
}

void AppendChunk(std::string_view data, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  char size[2 * sizeof(size_t)];
  size_t digits = 0;
  for (size_t n = data.size(); n != 0 || digits == 0; n >>= 4) size[digits++] = kHex[n & 15];
  while (digits > 0) out->push_back(size[--digits]);
  *out += "\r\n";
  *out += data;
  *out += "\r\n";
}

std::string SerializeResponse(const Response& response, bool head, bool close) {
  std::string out;
  out.reserve(128 + (head ? 0 : response.body.size()));
  out += "HTTP/1.1 ";
  out += std::to_string(response.status);
  out += ' ';
  out += ReasonPhrase(response.status);
  out += "\r\n";
  if (!response.content_type.empty() && response.status != 204) {
    out += "Content-Type: ";
    AppendHeaderText(response.content_type, &out);
    out += "\r\n";
  }
  if (response.status != 204) {
    out += "Content-Length: ";
    out += std::to_string(response.body.size());
    out += "\r\n";
  }
  for (const auto& [name, value] : response.headers) {
    AppendHeaderText(name, &out);
    out += ": ";
    AppendHeaderText(value, &out);
    out += "\r\n";
  }
  if (close) out += "Connection: close\r\n";
  out += "\r\n";
  if (!head && response.status != 204) out += response.body;
  return out;
}

}  // namespace plexus::server::http
