// Asio (C++20 coroutines) behind server.h. Each connection runs two coroutines on its loop's
// thread: a reader (read, hand bytes to the handler, pause while the output is large) and a
// writer (write whatever is queued). Two timers that never expire serve as wake-up signals;
// a loop has one thread, so checking a condition and then waiting cannot miss a wake-up.
// Send from another thread (a pgwire worker's replies) writes to the socket itself while the
// loop has nothing queued for it, sparing the loop a wake-up per reply; so does Write on the
// loop's thread (RESP's commit group), sparing the writer coroutine a wake-up. A connection
// handed over to its handler's thread (kHandOver) is taken out of the loop's epoll set while
// the loop has nothing to write, so that the client's requests do not wake the loop either.
// The reader reads with AsyncReadDraining: no failed recv() before each wait. Write on the
// loop's thread stages the bytes of an idle connection instead, and the loop sends what all its
// connections staged in one loop turn with one system call (SendRing).
#include "plexus/server/net/server.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "plexus/base/assert.h"
#include "plexus/base/logging.h"
#include "plexus/base/metrics.h"
#include "plexus/server/net/draining_read.h"
#include "plexus/server/net/server_internal.h"

namespace plexus::server::net {
namespace {

void ArmSignal(Timer& timer) { timer.expires_at(Timer::time_point::max()); }

}  // namespace

class ConnectionImpl final : public Connection,
                             public std::enable_shared_from_this<ConnectionImpl> {
 public:
  ConnectionImpl(Server::Impl* server, Loop* loop, Stream::socket socket, uint64_t id,
                 base::Gauge* open_gauge)
      : server_(server),
        loop_(loop),
        open_gauge_(open_gauge),
        socket_(std::move(socket)),
        reactor_(asio::use_service<draining::Reactor>(loop->context)),
        descriptor_(socket_.native_handle()),
        reader_signal_(loop->context),
        writer_signal_(loop->context),
        id_(id) {
    ArmSignal(reader_signal_);
    ArmSignal(writer_signal_);
    boost::system::error_code error;
    const Stream::endpoint here = socket_.local_endpoint(error);
    local_ = error ? "?" : EndpointText(here);
    if (!error) protocol_ = here.protocol();
    if (protocol_.family() != AF_UNIX) {
      socket_.set_option(tcp::no_delay(true), error);  // best effort: latency, not correctness
    }
    const Stream::endpoint remote = socket_.remote_endpoint(error);
    peer_ = error ? "?" : EndpointText(remote);
  }

  ~ConnectionImpl() override {
    if (detached_) ::close(descriptor_);
  }

  // On the loop's thread.
  void Begin(Protocol* protocol, bool refused) {
    handler_ = refused ? protocol->NewRefusedHandler(weak_from_this())
                       : protocol->NewHandler(weak_from_this());
    auto self = shared_from_this();
    asio::co_spawn(loop_->context, ReadLoop(), [self](std::exception_ptr error) {
      if (error) self->LogException(error, "reader");
    });
    asio::co_spawn(loop_->context, WriteLoop(), [self](std::exception_ptr error) {
      if (error) self->LogException(error, "writer");
    });
  }

  void Send(std::string bytes) override {
    {
      std::lock_guard<std::mutex> lock(direct_mutex_);
      if (socket_closed_) return;
      if (!loop_writes_) {
        const size_t written = WriteDirect(bytes);
        if (written == bytes.size()) return;
        bytes.erase(0, written);
      }
      // The rest goes through the loop's writer, and so does every later Send until the loop
      // has written it all (bytes must not overtake it).
      loop_writes_ = true;
      ++posted_sends_;
    }
    asio::post(loop_->context, [self = shared_from_this(), bytes = std::move(bytes)]() mutable {
      {
        std::lock_guard<std::mutex> lock(self->direct_mutex_);
        --self->posted_sends_;
      }
      if (self->writer_done_) return;
      self->output_ += bytes;
      self->writer_signal_.cancel();
    });
  }

  void Write(std::string_view bytes) override {
    if (writer_done_ || bytes.empty()) return;
    if (!staged_.empty()) {
      staged_.append(bytes);  // after what this loop turn staged before
      return;
    }
    if (output_.empty() && writing_.empty() && !closing_) {
      // The writer is idle: send now rather than wake it (a timer, a coroutine resumption
      // and an asynchronous write per reply), as Send does from other threads — with the
      // other connections' bytes of this loop turn in one system call where the loop can.
      std::lock_guard<std::mutex> lock(direct_mutex_);
      if (socket_closed_) return;
      if (!loop_writes_) {
        if (loop_->send_ring) {
          loop_writes_ = true;  // Send from another thread queues behind the staged bytes
          staged_.assign(bytes);
          Stage();
          return;
        }
        const size_t written = WriteDirect(bytes);
        if (written == bytes.size()) return;
        bytes.remove_prefix(written);
      }
    }
    output_.append(bytes);
    TakeWriting();
    writer_signal_.cancel();
  }

  // On the loop's thread: whether FlushStaged should send staged_ (the writer may have taken
  // it, or the socket closed meanwhile).
  bool HasStagedToSend() {
    if (staged_.empty()) return false;
    std::lock_guard<std::mutex> lock(direct_mutex_);
    if (!socket_closed_) return true;
    staged_.clear();
    return false;
  }
  int descriptor() const { return descriptor_; }
  std::string_view staged() const { return staged_; }

  // On the loop's thread, after FlushStaged sent staged_ (`result`: bytes sent or -errno).
  void StagedSent(ssize_t result) {
    const size_t sent = result > 0 ? static_cast<size_t>(result) : 0;
    const size_t staged_bytes = staged_.size();
    if (sent < staged_bytes) {
      // What the socket did not take (a slow reader, an error) goes to the writer, ahead of
      // anything queued since; it waits for the socket or meets the error and closes.
      output_.insert(0, staged_, sent);
      staged_.clear();
      writer_signal_.cancel();
      return;
    }
    staged_.clear();
    if (output_.empty() && writing_.empty()) ReleaseWriting();
    // As after the writer's writes: a reader held back by this much output, or a producer
    // waiting for it to drain (WhenDrained), may go on.
    if (staged_bytes > kOutputBytesLow && PendingOutputBytes() <= kOutputBytesLow) {
      reader_signal_.cancel();
      RunDrainWaiters();
    }
  }

  void Post(std::function<void()> task) override {
    asio::post(loop_->context, [self = shared_from_this(), task = std::move(task)] {
      if (!self->finished_) task();
    });
  }

  void PostAfter(uint32_t delay_ms, std::function<void()> task) override {
    asio::post(loop_->context, [self = shared_from_this(), delay_ms, task = std::move(task)] {
      if (self->finished_) return;
      auto timer =
          std::make_shared<Timer>(self->loop_->context, std::chrono::milliseconds(delay_ms));
      // Pending timers would keep the loop running after shutdown: MaybeFinish cancels them.
      self->timers_.erase(std::remove_if(self->timers_.begin(), self->timers_.end(),
                                         [](const auto& weak) { return weak.expired(); }),
                          self->timers_.end());
      self->timers_.push_back(timer);
      timer->async_wait([self, timer, task](boost::system::error_code error) {
        if (!error && !self->finished_) task();
      });
    });
  }

  void Close() override {
    asio::post(loop_->context, [self = shared_from_this()] { self->CloseNow(); });
  }

  void Resume() override {
    paused_ = false;
    reader_signal_.cancel();
  }

  size_t PendingOutputBytes() const override {
    return staged_.size() + output_.size() + writing_.size();
  }

  void WhenDrained(std::function<void()> task) override {
    asio::post(loop_->context, [self = shared_from_this(), task = std::move(task)]() mutable {
      if (self->writer_done_ || self->PendingOutputBytes() <= kOutputBytesLow) {
        task();
        return;
      }
      self->drain_waiters_.push_back(std::move(task));
    });
  }
  ptrdiff_t ReadInput(char* buffer, size_t size, uint32_t timeout_ms) override {
    {
      std::lock_guard<std::mutex> lock(direct_mutex_);
      if (socket_closed_) return -1;
    }
    // Without the lock: the loop may close the socket meanwhile (and the descriptor may then
    // name another socket), but its writer shuts the socket down first, which wakes the poll,
    // and nothing is read below unless the socket is still ours.
    pollfd wait{descriptor_, POLLIN, 0};
    if (::poll(&wait, 1, static_cast<int>(timeout_ms)) <= 0) return 0;  // timeout or EINTR
    std::lock_guard<std::mutex> lock(direct_mutex_);
    if (socket_closed_) return -1;
    const ssize_t result = ::recv(descriptor_, buffer, size, MSG_DONTWAIT);
    if (result > 0) return result;
    if (result < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return 0;
    return -1;
  }

  void ResumeWith(std::string unread) override {
    PLEXUS_ASSERT(input_begin_ == input_.size());
    input_ = std::move(unread);
    input_begin_ = 0;
    Resume();
  }

  uint64_t id() const override { return id_; }
  const std::string& peer() const override { return peer_; }
  const std::string& local() const override { return local_; }

  // On the loop's thread: stop reading; the writer flushes and closes.
  void CloseNow() {
    closing_ = true;
    read_cancel_.emit(asio::cancellation_type::terminal);
    reader_signal_.cancel();
    writer_signal_.cancel();
  }

  // Shutdown's last resort for a client that does not read its output.
  void ForceClose() {
    closing_ = true;
    MarkSocketClosed();
    CloseSocket(/*shutdown=*/false);
    reader_signal_.cancel();
    writer_signal_.cancel();
  }

 private:
  asio::awaitable<void> WaitSignal(Timer& timer) { co_await timer.async_wait(kUseAwaitable); }

  // Writes what the socket takes now without blocking; the bytes written (0 on any error: the
  // loop's writer then meets the error and closes). REQUIRES: direct_mutex_ held, the loop
  // has nothing queued or being written, the socket is open.
  size_t WriteDirect(std::string_view bytes) {
    size_t written = 0;
    while (written < bytes.size()) {
      const ssize_t result = ::send(descriptor_, bytes.data() + written, bytes.size() - written,
                                    MSG_DONTWAIT | MSG_NOSIGNAL);
      if (result > 0) {
        written += static_cast<size_t>(result);
      } else if (result < 0 && errno == EINTR) {
        continue;
      } else {
        break;  // EAGAIN (the client is slow to read) or an error: the loop takes it from here
      }
    }
    return written;
  }

  // Queues this connection's staged_ for the loop's FlushStaged, posted once per loop turn:
  // it runs after the handlers ready now, so it sends what all of them staged.
  void Stage() {
    loop_->staged.push_back(shared_from_this());
    if (loop_->flush_posted) return;
    loop_->flush_posted = true;
    asio::post(loop_->context, [loop = loop_] { FlushStaged(loop); });
  }

  // On the loop's thread, when output is queued: Send must queue behind it.
  void TakeWriting() {
    std::lock_guard<std::mutex> lock(direct_mutex_);
    loop_writes_ = true;
  }

  // On the loop's thread, when it has written everything queued: Send may write directly
  // again, unless a Send's bytes are on their way to the loop.
  void ReleaseWriting() {
    std::lock_guard<std::mutex> lock(direct_mutex_);
    if (posted_sends_ == 0) loop_writes_ = false;
  }

  // Takes the socket out of the loop's epoll set (keeping it open): its input no longer wakes
  // the loop. Only while nothing is being written (that would be aborted).
  void Detach() {
    if (detached_ || !writing_.empty() || closing_) return;
    boost::system::error_code error;
    socket_.release(error);
    detached_ = !error;
  }

  // Puts a detached socket back under the loop. False (and the connection closes) on failure.
  bool Attach() {
    if (!detached_) return true;
    boost::system::error_code error;
    socket_.assign(protocol_, descriptor_, error);
    if (error) {
      base::LogWarn("connection {} ({}): cannot watch the socket again: {}", id_, peer_,
                    error.message());
      return false;
    }
    detached_ = false;
    return true;
  }

  // REQUIRES: MarkSocketClosed first (no direct write or read may use the descriptor after).
  void CloseSocket(bool shutdown) {
    if (detached_) {
      if (shutdown) ::shutdown(descriptor_, SHUT_RDWR);
      ::close(descriptor_);
      detached_ = false;
      return;
    }
    boost::system::error_code ignored;  // the peer may be gone already; nothing to do about it
    if (shutdown) socket_.shutdown(Stream::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  void MarkSocketClosed() {
    std::lock_guard<std::mutex> lock(direct_mutex_);
    socket_closed_ = true;
  }

  // Hands the unread input to the handler. False when the connection should stop reading.
  bool Dispatch() {
    if (input_begin_ == input_.size()) return true;
    size_t consumed = 0;
    const std::string_view unread(input_.data() + input_begin_, input_.size() - input_begin_);
    Disposition disposition = Disposition::kClose;
    try {
      disposition = handler_->OnInput(unread, &consumed, &output_);
    } catch (const std::exception& error) {
      base::LogError("connection {} ({}): handler failed: {}", id_, peer_, error.what());
      consumed = 0;
      disposition = Disposition::kClose;
    }
    PLEXUS_ASSERT(consumed <= unread.size());
    input_begin_ += consumed;
    if (input_begin_ == input_.size()) {
      input_.clear();
      input_begin_ = 0;
    } else if (input_begin_ > input_.size() / 2) {
      input_.erase(0, input_begin_);
      input_begin_ = 0;
    }
    if (!output_.empty()) {
      TakeWriting();
      writer_signal_.cancel();
    }
    if (disposition == Disposition::kPause) paused_ = true;
    if (disposition == Disposition::kHandOver) {
      paused_ = true;
      Detach();
    }
    if (disposition == Disposition::kClose) closing_ = true;
    return !closing_;
  }

  asio::awaitable<void> ReadLoop() {
    std::vector<char> chunk(kReadChunkBytes);
    bool dispatch = false;
    while (!closing_) {
      if (paused_) {
        co_await WaitSignal(reader_signal_);
        dispatch = true;
        continue;
      }
      if (PendingOutputBytes() >= kOutputBytesHigh) {
        co_await WaitSignal(reader_signal_);
        dispatch = true;
        continue;
      }
      if (dispatch) {
        dispatch = false;
        if (!Dispatch()) break;
        if (paused_ || PendingOutputBytes() >= kOutputBytesHigh) continue;
      }
      if (!Attach()) break;
      auto [error, bytes] = co_await draining::AsyncReadDraining(
          socket_, reactor_, asio::buffer(chunk),
          asio::bind_cancellation_slot(read_cancel_.slot(), kUseAwaitable));
      if (error) break;
      input_.append(chunk.data(), bytes);
      dispatch = true;
    }
    closing_ = true;
    reader_done_ = true;
    writer_signal_.cancel();
    MaybeFinish();
  }

  asio::awaitable<void> WriteLoop() {
    for (;;) {
      if (!staged_.empty()) {  // woken before the loop sent what it staged: that goes first
        output_.insert(0, staged_);
        staged_.clear();
      }
      if (output_.empty()) {
        ReleaseWriting();
        if (closing_) break;
        co_await WaitSignal(writer_signal_);
        continue;
      }
      if (!Attach()) break;
      writing_.swap(output_);
      auto [error, bytes] =
          co_await asio::async_write(socket_, asio::buffer(writing_), kUseAwaitable);
      (void)bytes;
      writing_.clear();
      if (writing_.capacity() > kOutputBytesHigh) writing_.shrink_to_fit();
      if (PendingOutputBytes() <= kOutputBytesLow) {
        reader_signal_.cancel();
        RunDrainWaiters();
      }
      if (error) {
        base::LogDebug("connection {} ({}): write failed: {}", id_, peer_, error.message());
        break;
      }
    }
    writer_done_ = true;
    RunDrainWaiters();
    output_.clear();
    MarkSocketClosed();
    CloseSocket(/*shutdown=*/true);
    closing_ = true;
    reader_signal_.cancel();
    MaybeFinish();
  }

  void RunDrainWaiters() {
    std::vector<std::function<void()>> waiters;
    waiters.swap(drain_waiters_);
    for (auto& waiter : waiters) waiter();
  }

  void MaybeFinish() {
    if (!reader_done_ || !writer_done_ || finished_) return;
    finished_ = true;
    for (const auto& weak : timers_) {
      if (auto timer = weak.lock()) timer->cancel();
    }
    timers_.clear();
    handler_->OnClose();
    open_gauge_->Add(-1);
    server_->Remove(loop_, id_);  // may drop the last reference but one (ours, in `self`)
  }

  void LogException(std::exception_ptr error, const char* what) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& exception) {
      base::LogError("connection {} {} failed: {}", id_, what, exception.what());
    } catch (...) {
      base::LogError("connection {} {} failed", id_, what);
    }
    ForceClose();
  }

  Server::Impl* server_;
  Loop* loop_;
  base::Gauge* open_gauge_;  // plexus_connections of the connection's protocol
  draining::ReactorSocket socket_;
  draining::Reactor& reactor_;  // the loop's, for AsyncReadDraining
  const int descriptor_;  // socket_'s, also while detached (socket_ then is not open)
  Stream protocol_{AF_INET, IPPROTO_TCP};
  bool detached_ = false;  // socket_ released from the loop (Detach); descriptor_ still open
  Timer reader_signal_;  // wakes the reader: output drained, resumed, closing
  Timer writer_signal_;  // wakes the writer: output queued, closing
  asio::cancellation_signal read_cancel_;
  uint64_t id_;
  std::string peer_;
  std::string local_;
  std::unique_ptr<Handler> handler_;
  std::string input_;
  size_t input_begin_ = 0;
  std::string output_;   // queued by the handler
  std::string writing_;  // being written
  std::string staged_;   // by Write, for the loop's FlushStaged (see Stage)
  // Direct writes by Send (see WriteDirect). Guarded by direct_mutex_.
  std::mutex direct_mutex_;
  bool loop_writes_ = false;    // output_/writing_ hold bytes, or a posted Send will add some
  size_t posted_sends_ = 0;     // Send tasks posted to the loop and not yet run
  bool socket_closed_ = false;  // the writer closed (or is closing) the socket
  bool paused_ = false;
  bool closing_ = false;
  bool reader_done_ = false;
  bool writer_done_ = false;
  bool finished_ = false;
  std::vector<std::weak_ptr<Timer>> timers_;  // of PostAfter
  std::vector<std::function<void()>> drain_waiters_;  // of WhenDrained
};

// The loop whose thread this is (null on other threads).
thread_local Loop* current_loop = nullptr;

void FlushWrites() {
  if (current_loop != nullptr && !current_loop->staged.empty()) FlushStaged(current_loop);
}

void FlushStaged(Loop* loop) {
  loop->flush_posted = false;
  loop->flushing.swap(loop->staged);
  for (size_t begin = 0; begin < loop->flushing.size(); begin += SendRing::kEntries) {
    const size_t end = std::min<size_t>(begin + SendRing::kEntries, loop->flushing.size());
    loop->send_items.clear();
    loop->senders.clear();
    for (size_t i = begin; i < end; ++i) {
      ConnectionImpl* connection = loop->flushing[i].get();
      if (!connection->HasStagedToSend()) continue;
      loop->send_items.push_back({connection->descriptor(), connection->staged()});
      loop->senders.push_back(connection);
    }
    if (loop->send_items.empty()) continue;
    if (loop->send_ring == nullptr) {
      for (auto& item : loop->send_items) item.result = -EIO;  // the writers send it all
    } else if (!loop->send_ring->Send(loop->send_items)) {
      base::LogWarn("io_uring failed; this event loop sends each connection's bytes on its own");
      loop->send_ring.reset();
    }
    for (size_t i = 0; i < loop->senders.size(); ++i) {
      loop->senders[i]->StagedSent(loop->send_items[i].result);
    }
  }
  loop->flushing.clear();
}

void Server::Impl::Remove(Loop* loop, uint64_t id) {
  if (loop->connections.erase(id) == 1) active.fetch_sub(1, std::memory_order_relaxed);
  if (loop->stopping && loop->connections.empty() && loop->grace_timer) loop->grace_timer->cancel();
}

void Server::Impl::StartConnection(Loop* loop, Stream::socket socket, Listener* listener,
                                   bool refused) {
  const uint64_t id = next_id.fetch_add(1, std::memory_order_relaxed);
  listener->metrics.open->Add(1);
  auto connection = std::make_shared<ConnectionImpl>(this, loop, std::move(socket), id,
                                                     listener->metrics.open);
  loop->connections.emplace(id, connection);
  if (loop->stopping) {
    connection->CloseNow();
  }
  connection->Begin(listener->protocol, refused);
}

Server::Server(const ServerOptions& options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  uint32_t threads = options.threads;
  if (threads == 0) threads = kLoopsPerCore * std::max(1u, std::thread::hardware_concurrency());
  threads = std::min(threads, kThreadsMax);
  impl_->options.threads = threads;
  impl_->options.max_connections =
      std::clamp<uint32_t>(options.max_connections, 1, kConnectionsMax);
  for (uint32_t i = 0; i < threads; ++i) {
    impl_->loops.push_back(std::make_unique<Loop>());
    if (options.batch_sends) impl_->loops.back()->send_ring = SendRing::Create();
  }
}

Server::~Server() { Stop(); }

void Server::Start() {
  PLEXUS_ASSERT(!impl_->started);
  impl_->started = true;
  for (auto& listener : impl_->listeners) {
    asio::co_spawn(impl_->loops[0]->context, impl_->AcceptLoop(listener.get()), asio::detached);
  }
  for (size_t i = 0; i < impl_->loops.size(); ++i) {
    Loop* loop = impl_->loops[i].get();
    loop->work.emplace(loop->context.get_executor());
    loop->thread = std::thread([loop] {
      current_loop = loop;
      loop->context.run();
    });
  }
}

void Server::Stop() {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  Impl* impl = impl_.get();
  asio::post(impl->loops[0]->context, [impl] {
    for (auto& listener : impl->listeners) {
      boost::system::error_code ignored;  // stopping anyway
      listener->acceptor.close(ignored);
      if (!listener->socket_path.empty()) ::unlink(listener->socket_path.c_str());
    }
  });
  for (auto& owned : impl->loops) {
    Loop* loop = owned.get();
    asio::post(loop->context, [loop] {
      loop->stopping = true;
      if (loop->connections.empty()) return;
      loop->grace_timer.emplace(loop->context, std::chrono::milliseconds(kShutdownGraceMs));
      loop->grace_timer->async_wait([loop](boost::system::error_code) {
        std::vector<std::shared_ptr<ConnectionImpl>> left;
        for (auto& [id, connection] : loop->connections) left.push_back(connection);
        for (auto& connection : left) connection->ForceClose();
      });
      std::vector<std::shared_ptr<ConnectionImpl>> open;
      for (auto& [id, connection] : loop->connections) open.push_back(connection);
      for (auto& connection : open) connection->CloseNow();
    });
    loop->work.reset();
  }
  for (auto& loop : impl->loops) {
    if (loop->thread.joinable()) loop->thread.join();
  }
}

uint32_t Server::thread_count() const { return impl_->options.threads; }
size_t Server::connection_count() const { return impl_->active.load(std::memory_order_relaxed); }
uint64_t Server::accepted_count() const { return impl_->accepted.load(std::memory_order_relaxed); }
uint64_t Server::rejected_count() const { return impl_->rejected.load(std::memory_order_relaxed); }

}  // namespace plexus::server::net
