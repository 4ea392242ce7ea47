// The protocol-neutral network layer shared by every front end (RESP now, pgwire and HTTP later):
// event loop threads (two per core by default), accept loops, a connection limit, back-pressure
// on slow readers and graceful shutdown. Asio stays in server.cc; this header is cheap to include.
//
// A front end implements Protocol (one per listener) and Handler (one per connection). The
// connection's thread calls Handler::OnInput with the bytes read so far; the handler consumes
// whole requests and appends replies. Each connection lives on one thread, so a handler needs
// no locking for its own state; other threads reach a connection through Connection's
// thread-safe methods (Send, Post).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"

namespace plexus::server::net {

// What the connection does after a call of Handler::OnInput.
enum class Disposition : uint8_t {
  kContinue,  // keep reading
  kPause,     // stop calling OnInput until Connection::Resume (a blocking command waits)
  kHandOver,  // as kPause, and stop watching the socket too: the handler's own thread reads it
              // (ReadInput) until it calls Resume/ResumeWith
  kClose,     // write what is in the output, then close
};

// A connection as its handler sees it. Methods marked thread-safe may be called from any
// thread for as long as the caller holds the shared_ptr; the others only on the connection's
// own thread (inside OnInput or a task given to Post).
class Connection {
 public:
  virtual ~Connection() = default;
  // Thread-safe. Appends `bytes` to the output (pub/sub messages, replies of woken commands).
  virtual void Send(std::string bytes) = 0;
  // On the connection's thread (a handler's code may call it for any connection of its loop):
  // appends `bytes` to the output, after everything the handler queued before; dropped once
  // the connection has stopped writing. A front end that holds replies back (RESP's commit
  // group) releases them with it outside OnInput.
  virtual void Write(std::string_view bytes) = 0;
  // Thread-safe. Runs `task` on the connection's thread, unless the connection has closed.
  virtual void Post(std::function<void()> task) = 0;
  // Thread-safe. Runs `task` on the connection's thread after `delay_ms`, unless the
  // connection has closed by then (timeouts of blocking commands). Not cancellable: a task
  // that may have become moot must check that itself.
  virtual void PostAfter(uint32_t delay_ms, std::function<void()> task) = 0;
  // Thread-safe. Stops reading, writes what is queued, closes (CLIENT KILL, SHUTDOWN).
  virtual void Close() = 0;
  // Resumes calling OnInput after it returned kPause or kHandOver.
  virtual void Resume() = 0;
  // Bytes queued for the client and not yet written.
  virtual size_t PendingOutputBytes() const = 0;
  // Thread-safe. Runs `task` on the connection's thread once at most kOutputBytesLow bytes are
  // queued for the client (at once when that is so already) or the connection has closed: how
  // a producer on another thread (a pgwire worker streaming rows) applies back-pressure. The
  // task must check for itself whether the connection closed; it may never run if the server
  // stops first, so a waiter must also be woken by the handler's OnClose.
  virtual void WhenDrained(std::function<void()> task) = 0;
  // For a front end whose worker thread reads the next requests itself while the connection is
  // handed over (OnInput returned kHandOver), sparing the loop a wake-up per request;
  // REQUIRES: handed over, and the loop's input fully consumed. Thread-safe. Waits up to
  // `timeout_ms` for input and reads (consumes) up to `size` bytes of it into `buffer`. Returns
  // the bytes read, 0 when none came in time, -1 at end of input, on an error or once the
  // connection closes (the loop, resumed, then reads the same and reports it). Bytes read but
  // not handled go back to the loop with ResumeWith.
  virtual ptrdiff_t ReadInput(char* buffer, size_t size, uint32_t timeout_ms) = 0;
  // On the connection's thread, for a handed-over connection: Resume, with `unread` (read by
  // ReadInput, not handled) as the start of the loop's input.
  virtual void ResumeWith(std::string unread) = 0;

  virtual uint64_t id() const = 0;               // unique in the process, from 1
  // "127.0.0.1:53122", "[::1]:53122"; kLocalPeer for a Unix-domain socket.
  virtual const std::string& peer() const = 0;
  virtual const std::string& local() const = 0;  // "127.0.0.1:6380", kLocalPeer
};

class Handler {
 public:
  virtual ~Handler() = default;
  // Consumes whole requests from the front of `input` (setting *consumed) and appends their
  // replies to *output. It handles every complete request in `input` unless it returns kPause
  // or kClose, or *output has reached kOutputBytesHigh (then it is called again, with the rest,
  // once the client has read enough of the output).
  virtual Disposition OnInput(std::string_view input, size_t* consumed, std::string* output) = 0;
  // The connection has closed (client gone, error, Close, or server shutdown).
  virtual void OnClose() {}
};

class Protocol {
 public:
  virtual ~Protocol() = default;
  virtual std::string_view name() const = 0;  // "resp", for logs
  // A handler for a new connection. It may keep `connection` (never a shared_ptr: the
  // connection owns the handler) to reach it from other threads.
  virtual std::unique_ptr<Handler> NewHandler(std::weak_ptr<Connection> connection) = 0;
  // Written to a client refused because the server is at its connection limit.
  virtual std::string ConnectionLimitMessage() const = 0;
  // A protocol whose refusal must follow the client's opening bytes (PostgreSQL answers
  // SSLRequest, and still serves CancelRequest, before its "too many clients" error) returns a
  // handler for a refused client here: it runs as a connection (at most kRefusedConnectionsMax
  // at a time beyond the limit) and must close it soon. Null: ConnectionLimitMessage, closed.
  virtual std::unique_ptr<Handler> NewRefusedHandler(std::weak_ptr<Connection> connection) {
    (void)connection;
    return nullptr;
  }
  virtual bool has_refused_handler() const { return false; }
  // How many event loops serve this protocol's connections (the server's first ones); 0: every
  // loop. A protocol whose clients contend for shared state (RESP's hot keys) may keep them on
  // one loop, where they take turns instead of waiting for one another's locks.
  virtual uint32_t loop_count() const { return 0; }
};

// On an event loop's thread: sends now the bytes Connection::Write calls of this loop turn
// staged for one system call (ServerOptions::batch_sends), which otherwise leave once the loop
// has run the handlers that are ready. A front end that writes many connections' replies in
// one go (RESP's commit group) calls it after the last, so that they leave before the loop
// takes up other work. Does nothing elsewhere.
void FlushWrites();

// The peer (and local) text of a connection over a Unix-domain socket, as PostgreSQL logs it.
inline constexpr std::string_view kLocalPeer = "[local]";

// Output bytes queued for a client above which the connection stops reading (and its handler
// stops handling pipelined requests) until the client has read them down to kOutputBytesLow.
inline constexpr size_t kOutputBytesHigh = size_t{1} << 20;
inline constexpr size_t kOutputBytesLow = size_t{256} << 10;
static_assert(kOutputBytesLow < kOutputBytesHigh);
// Bytes asked of the socket per read.
inline constexpr size_t kReadChunkBytes = size_t{16} << 10;
inline constexpr uint32_t kThreadsMax = 256;
// Event loops per core when ServerOptions::threads is 0. A connection stays on one loop, which
// runs its ready connections' requests one after another (pgwire point reads run on it), so
// when a loop thread is off its core — preempted by the client it just woke with a reply, or
// queued behind another thread there — all its connections wait, even while another core
// idles: the scheduler balances threads, not connections. Two loops per core halve what one
// stalled loop holds up, at a few more wake-ups per request (fewer ready connections per
// epoll_wait): with 4 loops on 2 cores, pgbench -S -M prepared -c 8 preempts a loop half to a
// third as often per request, at about the same server CPU per transaction
// (bench/pgbench/README.md).
inline constexpr uint32_t kLoopsPerCore = 2;
inline constexpr uint32_t kConnectionsMax = 1'000'000;
// Refused clients served by Protocol::NewRefusedHandler at once, beyond max_connections.
inline constexpr uint32_t kRefusedConnectionsMax = 64;
// How long Stop waits for clients to read their last replies before closing them anyway.
inline constexpr uint32_t kShutdownGraceMs = 2000;

struct ServerOptions {
  uint32_t threads = 0;               // event loop threads; 0: kLoopsPerCore per core
  uint32_t max_connections = 10'000;  // over every listener together
  // Connection::Write on a loop's thread sends what all its connections wrote in one loop turn
  // with one system call (io_uring), where io_uring is available; false: a send() each.
  bool batch_sends = true;
};

class Server {
 public:
  explicit Server(const ServerOptions& options);
  ~Server();  // Stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds `address`:`port` (port 0: any free port) for `protocol` and returns the bound port.
  // REQUIRES: before Start. `protocol` outlives the server.
  Result<uint16_t> Listen(std::string_view address, uint16_t port, Protocol* protocol);
  // Listens on a Unix-domain socket at `path` for `protocol` (mode 0777, as PostgreSQL's). A
  // socket file there that nobody answers on (its server died) is replaced; Stop removes the
  // file. REQUIRES: before Start.
  Status ListenLocal(std::string_view path, Protocol* protocol);
  // Starts the event loop threads and the accept loops.
  void Start();
  // Stops accepting, closes every connection once its queued output is written (waiting at
  // most kShutdownGraceMs) and joins the threads. Idempotent.
  void Stop();

  uint32_t thread_count() const;
  size_t connection_count() const;
  uint64_t accepted_count() const;
  uint64_t rejected_count() const;

  struct Impl;  // opaque: Asio lives in server.cc

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace plexus::server::net
