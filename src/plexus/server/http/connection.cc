// An HTTP connection on its event loop: parsing, dispatch to workers, timeouts, TLS.
#include "plexus/server/http/connection.h"

#include <condition_variable>
#include <mutex>

#include "plexus/base/logging.h"
#include "plexus/server/http/metrics.h"
#include "plexus/server/http/problem.h"
#include "plexus/server/http/service.h"
#include "plexus/server/pgwire/tls.h"

namespace plexus::server::http {
namespace {

// The first byte of a TLS record carrying a handshake (ClientHello).
constexpr char kTlsHandshakeByte = 0x16;
// Decrypted bytes buffered beyond the request in flight before the loop stops reading.
constexpr size_t kPlainInputBytesHigh = size_t{64} << 10;

}  // namespace

// A response streamed by a worker (route.h's ResponseStream). Each piece is handed to the loop,
// which encrypts it under TLS and queues it; the worker then waits until the client has read
// the output down to net::kOutputBytesLow, so a slow reader holds at most about one piece
// beyond that in memory. The handler's OnClose wakes a waiting worker and sets the cancel flag.
class ConnectionStream final : public ResponseStream,
                               public std::enable_shared_from_this<ConnectionStream> {
 public:
  ConnectionStream(ConnectionHandler* handler, std::weak_ptr<net::Connection> connection,
                   bool close)
      : handler_(handler), connection_(std::move(connection)), close_(close) {}

  bool Begin(const Response& head) override { return Send(SerializeChunkedHead(head, close_)); }
  bool Write(std::string_view bytes) override {
    std::string chunk;
    chunk.reserve(bytes.size() + 32);
    AppendChunk(bytes, &chunk);
    return Send(std::move(chunk));
  }
  const std::atomic<bool>* cancel_flag() const override { return &closed_; }

  // On the loop: the connection closed.
  void Closed() {
    closed_.store(true, std::memory_order_relaxed);
    std::lock_guard<std::mutex> lock(mutex_);
    wake_.notify_all();
  }

 private:
  // On the worker: hands `bytes` to the loop and waits until the client has read most of it.
  bool Send(std::string bytes) {
    if (closed_.load(std::memory_order_relaxed)) return false;
    auto connection = connection_.lock();
    if (!connection) return false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      drained_ = false;
    }
    // The handler lives as long as the connection, and Post runs nothing once it has closed.
    // WhenDrained is asked after the bytes are queued (a Send's rest is queued by a post too).
    connection->Post([handler = handler_, weak = connection_, self = shared_from_this(),
                      bytes = std::move(bytes)]() mutable {
      handler->SendOut(std::move(bytes));
      if (auto queued = weak.lock()) {
        queued->WhenDrained([self] {
          std::lock_guard<std::mutex> lock(self->mutex_);
          self->drained_ = true;
          self->wake_.notify_all();
        });
      }
    });
    connection.reset();
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait(lock, [this] { return drained_ || closed_.load(std::memory_order_relaxed); });
    return !closed_.load(std::memory_order_relaxed);
  }

  ConnectionHandler* handler_;
  std::weak_ptr<net::Connection> connection_;
  const bool close_;
  std::atomic<bool> closed_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool drained_ = false;  // guarded by mutex_
};

ConnectionHandler::ConnectionHandler(Service* service, std::weak_ptr<net::Connection> connection)
    : service_(service),
      connection_(std::move(connection)),
      reader_(service->options().header_bytes_max, service->options().body_bytes_max),
      last_activity_(Clock::now()) {
  ArmTimer(service_->options().idle_timeout_ms);
}

ConnectionHandler::~ConnectionHandler() = default;

void ConnectionHandler::OnClose() {
  closing_ = true;
  if (stream_) stream_->Closed();
}

net::Disposition ConnectionHandler::OnInput(std::string_view input, size_t* consumed,
                                            std::string* output) {
  last_activity_ = Clock::now();
  if (transport_ == Transport::kUnknown && !input.empty()) {
    transport_ = service_->tls() != nullptr && input[0] == kTlsHandshakeByte ? Transport::kTls
                                                                             : Transport::kPlain;
    if (transport_ == Transport::kTls) {
      tls_ = std::make_unique<pgwire::TlsSession>(service_->tls());
    }
  }
  if (transport_ != Transport::kTls) return OnPlainInput(input, consumed, output);
  *consumed = input.size();
  Status status = tls_->Decrypt(input, &plain_input_, output);
  if (!status.ok()) {
    base::LogDebug("http TLS error: {}", status.ToString());
    closing_ = true;
    return net::Disposition::kClose;
  }
  if (!tls_->handshake_done()) return net::Disposition::kContinue;
  return OnTlsPlainInput(output);
}

net::Disposition ConnectionHandler::OnTlsPlainInput(std::string* output) {
  net::Disposition disposition = net::Disposition::kContinue;
  if (!in_flight_) {
    size_t used = 0;
    std::string plain_output;
    disposition = OnPlainInput(plain_input_, &used, &plain_output);
    plain_input_.erase(0, used);
    if (!tls_->Encrypt(plain_output, output).ok()) return net::Disposition::kClose;
  }
  if (disposition == net::Disposition::kClose) return disposition;
  // Decrypted input is buffered here, not by the loop: bound it while a request runs.
  if (in_flight_) {
    return plain_input_.size() < kPlainInputBytesHigh ? net::Disposition::kContinue
                                                      : net::Disposition::kPause;
  }
  return disposition;
}

net::Disposition ConnectionHandler::OnPlainInput(std::string_view input, size_t* consumed,
                                                 std::string* output) {
  *consumed = 0;
  if (closing_) return net::Disposition::kClose;
  if (in_flight_) return net::Disposition::kPause;
  while (*consumed < input.size()) {
    if (!request_pending_) {
      request_pending_ = true;
      request_started_ = Clock::now();
    }
    size_t used = 0;
    const RequestReader::State state = reader_.Feed(input.substr(*consumed), &used);
    *consumed += used;
    if (reader_.TakeContinueExpected()) output->append(kContinueResponse);
    if (state == RequestReader::State::kIncomplete) return net::Disposition::kContinue;
    if (state == RequestReader::State::kFailed) {
      const Response problem = Problem(reader_.failure_status(), reader_.failure_detail());
      service_->metrics().CountRequest("other", problem.status, 0);
      output->append(SerializeResponse(problem, /*head=*/false, /*close=*/true));
      closing_ = true;
      return net::Disposition::kClose;
    }
    request_pending_ = false;
    Dispatch(reader_.Take());
    return net::Disposition::kPause;
  }
  return net::Disposition::kContinue;
}

void ConnectionHandler::Dispatch(ParsedRequest parsed) {
  in_flight_ = true;
  const Clock::time_point started = Clock::now();
  stream_ = std::make_shared<ConnectionStream>(this, connection_, !parsed.keep_alive);
  service_->workers().Submit([this, service = service_, weak = connection_, stream = stream_,
                              parsed = std::move(parsed), started]() mutable {
    const std::string method = parsed.request.method;
    const bool head = method == "HEAD";
    const bool keep_alive = parsed.keep_alive;
    if (!head) parsed.request.stream = stream.get();
    const Response response = service->Handle(std::move(parsed.request), parsed.raw_path);
    // A client whose body was refused (413) may still be sending it: close after answering.
    const bool close = !keep_alive || response.status == 413;
    std::string bytes;
    if (response.streamed) {
      if (!response.body.empty()) AppendChunk(response.body, &bytes);
      bytes += kLastChunk;
    } else {
      bytes = SerializeResponse(response, head, close);
    }
    service->metrics().CountRequest(
        method, response.status,
        std::chrono::duration<double>(Clock::now() - started).count());
    // `this` lives as long as the connection, and Post runs nothing once it has closed.
    if (auto connection = weak.lock()) {
      connection->Post([this, bytes = std::move(bytes), close]() mutable {
        Finish(std::move(bytes), close);
      });
    }
  });
}

void ConnectionHandler::Finish(std::string bytes, bool close) {
  in_flight_ = false;
  stream_.reset();
  last_activity_ = Clock::now();
  SendOut(std::move(bytes));
  auto connection = connection_.lock();
  if (!connection) return;
  if (close) {
    closing_ = true;
    connection->Close();
    return;
  }
  if (transport_ == Transport::kTls && !plain_input_.empty()) {
    // Pipelined requests decrypted already: the loop would not hand them in again.
    std::string output;
    const net::Disposition disposition = OnTlsPlainInput(&output);
    if (!output.empty()) connection->Send(std::move(output));
    if (disposition == net::Disposition::kClose) {
      connection->Close();
      return;
    }
  }
  // Back-pressure: the next pipelined request waits until the client has read its answers.
  connection->WhenDrained([weak = connection_] {
    if (auto drained = weak.lock()) drained->Resume();
  });
}

void ConnectionHandler::SendOut(std::string bytes) {
  auto connection = connection_.lock();
  if (!connection) return;
  if (transport_ != Transport::kTls) {
    connection->Send(std::move(bytes));
    return;
  }
  std::string records;
  if (!tls_->Encrypt(bytes, &records).ok()) {
    connection->Close();
    return;
  }
  connection->Send(std::move(records));
}

void ConnectionHandler::ArmTimer(uint32_t delay_ms) {
  auto connection = connection_.lock();
  if (!connection) return;
  // `this` lives as long as the connection; PostAfter runs nothing once it has closed.
  connection->PostAfter(delay_ms, [this] { OnTimer(); });
}

void ConnectionHandler::OnTimer() {
  if (closing_) return;
  const uint32_t timeout_ms = service_->options().idle_timeout_ms;
  const auto timeout = std::chrono::milliseconds(timeout_ms);
  if (in_flight_) {
    ArmTimer(timeout_ms);  // a long statement is not an idle client
    return;
  }
  // A client must send a request's header within the timeout of its first byte (a slow client
  // cannot hold the connection by trickling bytes); a body must keep coming.
  const Clock::time_point deadline =
      (request_pending_ && !reader_.header_done() ? request_started_ : last_activity_) + timeout;
  const Clock::time_point now = Clock::now();
  if (now < deadline) {
    const auto rest = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    ArmTimer(static_cast<uint32_t>(rest.count()) + 1);
    return;
  }
  closing_ = true;
  if (request_pending_) {
    service_->metrics().CountRequest("other", 408, 0);
    SendOut(SerializeResponse(Problem(408, "the request did not arrive in time"),
                              /*head=*/false, /*close=*/true));
  }
  if (auto connection = connection_.lock()) connection->Close();
}

}  // namespace plexus::server::http
