// Backend: the queue between a connection's loop and its worker, and the job that drains it.
#include "plexus/server/pgwire/backend.h"

#include <algorithm>

#include "plexus/base/assert.h"
#include "plexus/server/pgwire/message_runner.h"
#include "plexus/server/pgwire/service.h"
#include "plexus/server/pgwire/statement_metrics.h"
#include "plexus/session/session_info_scope.h"

namespace plexus::server::pgwire {

Backend::Backend(Service* service, std::weak_ptr<net::Connection> connection, SendFunction send,
                 int32_t process_id, int32_t secret_key)
    : service_(service),
      connection_(std::move(connection)),
      send_(std::move(send)),
      process_id_(process_id),
      secret_key_(secret_key),
      session_(service->engine()) {
  session_.set_cancel_flag(&cancel_);
  runner_ = std::make_unique<MessageRunner>(this);
}

Backend::~Backend() = default;

bool Backend::RunsOnLoop(std::string_view frames) const {
  return service_->reads_durable() && runner_->RunsWithoutWaiting(frames);
}

net::Disposition Backend::Deliver(std::string_view frames, bool worker_may_read) {
  std::unique_lock<std::mutex> lock(mutex_);
  inbox_.append(frames);
  // Point reads run here, on the loop: no worker wakes up, and the loop goes on to the next
  // connection with input (with no job running, the session is the loop thread's to use).
  if (!job_running_ && worker_may_read && inbox_begin_ + frames.size() == inbox_.size() &&
      RunsOnLoop(frames)) {
    job_running_ = true;
    lock.unlock();
    RecordLoopBatch();
    on_loop_ = true;
    RunJob();
    on_loop_ = false;
    return net::Disposition::kContinue;
  }
  if (!job_running_) {
    job_running_ = true;
    worker_reads_ = worker_may_read;
    service_->workers().Submit([self = shared_from_this()] { self->RunJob(); });
    // The job reads from now on; it resumes the loop when it stops.
    if (worker_reads_) return net::Disposition::kHandOver;
  } else {
    PLEXUS_ASSERT(!worker_reads_);  // the loop reads only while the job does not
    wake_.notify_all();
  }
  if (inbox_.size() - inbox_begin_ < kInboxBytesHigh) return net::Disposition::kContinue;
  reader_paused_ = true;
  return net::Disposition::kPause;
}

void Backend::Closed() {
  closed_.store(true, std::memory_order_relaxed);
  cancel_.store(true, std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(mutex_);
  wake_.notify_all();
}

bool Backend::PopLocked(Message* message) {
  if (inbox_begin_ == inbox_.size()) return false;
  const std::string_view rest(inbox_.data() + inbox_begin_, inbox_.size() - inbox_begin_);
  Message frame;
  size_t bytes = 0;
  Status error;
  const FrameResult result = NextMessage(rest, &frame, &bytes, &error);
  PLEXUS_ASSERT(result == FrameResult::kFrame);  // the loop queues whole, checked frames only
  current_.assign(frame.body);
  message->type = frame.type;
  message->body = current_;
  inbox_begin_ += bytes;
  if (inbox_begin_ == inbox_.size()) {
    inbox_.clear();
    inbox_begin_ = 0;
  } else if (inbox_begin_ > inbox_.size() / 2) {
    inbox_.erase(0, inbox_begin_);
    inbox_begin_ = 0;
  }
  if (reader_paused_ && inbox_.size() - inbox_begin_ < kInboxBytesHigh / 2) {
    reader_paused_ = false;
    if (auto connection = connection_.lock()) {
      net::Connection* raw = connection.get();  // Post keeps the connection alive for the task
      connection->Post([raw] { raw->Resume(); });
    }
  }
  return true;
}

bool Backend::TakeMessage(Message* message) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (PopLocked(message)) return true;
    if (!worker_reads_) return false;
  }
  // The client waits for the replies before it sends more: hand them over, then read —
  // unless what it sent last runs on the loop, which then reads its next requests.
  Flush(false);
  if (!closed() && !hand_back_ && ReadInput()) {
    std::lock_guard<std::mutex> lock(mutex_);
    return PopLocked(message);
  }
  hand_back_ = false;
  StopReading();
  return false;
}

namespace {

// Bytes of the whole, well-formed messages at the front of `input`.
size_t WholeMessagesBytes(std::string_view input) {
  size_t whole = 0;
  while (whole < input.size()) {
    Message message;
    size_t bytes = 0;
    Status error;  // a malformed message is left to the loop, which reports it
    if (NextMessage(input.substr(whole), &message, &bytes, &error) != FrameResult::kFrame) break;
    whole += bytes;
  }
  return whole;
}

}  // namespace

bool Backend::ReadInput() {
  auto connection = connection_.lock();
  if (!connection) return false;
  // After what a previous read left over (the start of a message).
  const size_t kept = unread_.size();
  read_buffer_.resize(kept + kWorkerReadBytes);
  std::copy(unread_.begin(), unread_.end(), read_buffer_.begin());
  const ptrdiff_t read =
      connection->ReadInput(read_buffer_.data() + kept, kWorkerReadBytes, kWorkerReadWaitMs);
  if (read <= 0) return false;
  const std::string_view input(read_buffer_.data(), kept + static_cast<size_t>(read));
  // Whole messages are queued; the rest stays for the next read, or goes back to the loop
  // (StopReading) — which frames, reads and reports long, partial or malformed messages.
  const size_t whole = WholeMessagesBytes(input);
  unread_.assign(input.substr(whole));
  if (whole == 0) return false;
  hand_back_ = unread_.empty() && runner_->RunsWithoutWaiting(input.substr(0, whole));
  std::lock_guard<std::mutex> lock(mutex_);
  inbox_.append(input.data(), whole);
  return true;
}

void Backend::StopReading() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!worker_reads_) return;
    worker_reads_ = false;
  }
  if (auto connection = connection_.lock()) {
    net::Connection* raw = connection.get();  // Post keeps the connection alive for the task
    connection->Post([raw, unread = std::move(unread_)]() mutable { raw->ResumeWith(std::move(unread)); });
  }
  unread_.clear();
}

bool Backend::WaitMessage(Message* message) {
  // The client waits for what was written so far (CopyInResponse) before it sends more, and
  // the loop reads it (COPY data comes in long messages).
  if (!Flush(false)) return false;
  StopReading();
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait(lock, [this] { return closed() || inbox_begin_ < inbox_.size(); });
  if (closed()) return false;
  return PopLocked(message);
}

bool Backend::Flush(bool wait) {
  if (!output_.empty()) {
    std::string bytes;
    bytes.swap(output_);
    send_(std::move(bytes));
  }
  // On the loop, waiting for the client to read would wait for the loop itself.
  if (!wait || on_loop_ || closed()) return !closed();
  auto connection = connection_.lock();
  if (!connection) return false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    drained_ = false;
  }
  std::weak_ptr<Backend> weak = weak_from_this();
  connection->WhenDrained([weak] {
    if (auto self = weak.lock()) {
      std::lock_guard<std::mutex> lock(self->mutex_);
      self->drained_ = true;
      self->wake_.notify_all();
    }
  });
  connection.reset();
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait(lock, [this] { return drained_ || closed(); });
  return !closed();
}

void Backend::RunJob() {
  // The catalog views and functions see this session's user, search_path and settings.
  const session::SessionInfoScope session_info(session_);
  Message message;
  while (!closed()) {
    if (!TakeMessage(&message)) {
      DeliverNotifications();
      Flush(false);
      std::lock_guard<std::mutex> lock(mutex_);
      if (inbox_begin_ == inbox_.size() && !notifications_pending_) {
        job_running_ = false;
        return;
      }
      continue;
    }
    if (runner_->Run(message)) continue;
    // Terminate or a fatal error: write what is queued, then close.
    Flush(false);
    closed_.store(true, std::memory_order_relaxed);
    if (auto connection = connection_.lock()) connection->Close();
    break;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  inbox_.clear();
  inbox_begin_ = 0;
  job_running_ = false;
}

}  // namespace plexus::server::pgwire
