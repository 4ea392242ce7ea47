// HTTP/1.1 messages on a connection: RequestReader turns the bytes a client sends into Requests
// (Boost.Beast's parser does the parsing; it stays in message.cc), SerializeResponse turns a
// Response into bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "plexus/server/http/route.h"

namespace plexus::server::http {

// A request as read off the wire, before routing.
struct ParsedRequest {
  Request request;         // path_parameters and role not set yet
  std::string raw_path;    // the target's path, still percent-encoded (for the router)
  bool keep_alive = true;  // HTTP/1.1 without "Connection: close", or 1.0 with keep-alive
};

class RequestReader {
 public:
  RequestReader(uint32_t header_bytes_max, uint64_t body_bytes_max);
  ~RequestReader();
  RequestReader(const RequestReader&) = delete;
  RequestReader& operator=(const RequestReader&) = delete;

  enum class State : uint8_t {
    kIncomplete,  // every byte given was consumed or is needed again with more
    kComplete,    // Take() has the request
    kFailed,      // failure_status(): 400, 413, 431; the connection must close after answering
  };
  // Reads from the front of `input`, setting *consumed; bytes of a header not yet complete are
  // not consumed (they are given again with more). Stops at the end of one request.
  State Feed(std::string_view input, size_t* consumed);
  // The request read last; starts reading the next. REQUIRES: Feed returned kComplete.
  ParsedRequest Take();

  // True once, when the request's header asked "Expect: 100-continue" and its body has not
  // all come yet: the server then answers "100 Continue".
  bool TakeContinueExpected();

  // The current request's header has been read whole (its body may still be coming).
  bool header_done() const;
  int failure_status() const { return failure_status_; }
  const std::string& failure_detail() const { return failure_detail_; }

 private:
  struct Parser;  // Beast's request_parser
  void Reset();

  const uint32_t header_bytes_max_;
  const uint64_t body_bytes_max_;
  std::unique_ptr<Parser> parser_;
  bool continue_answered_ = false;
  int failure_status_ = 0;
  std::string failure_detail_;
};

// The status line, headers (Content-Type, Content-Length, the response's own, "Connection:
// close" when `close`) and, unless `head`, the body.
std::string SerializeResponse(const Response& response, bool head, bool close);

// The status line and headers of a response whose body follows in chunks ("Transfer-Encoding:
// chunked" instead of Content-Length).
std::string SerializeChunkedHead(const Response& response, bool close);
// One chunk of a chunked body (`data` not empty), appended to *out.
void AppendChunk(std::string_view data, std::string* out);
// The last chunk: ends a chunked body.
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

// "100 Continue" interim response.
inline constexpr std::string_view kContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace plexus::server::http
