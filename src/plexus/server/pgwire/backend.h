// Backend: one pgwire connection's session after startup. The connection's loop thread queues
// complete messages (Deliver); a worker thread runs them in order (one job at a time per
// backend) and hands their replies back to the connection, waiting while the client is slow to
// read them. Batches of point reads run on the loop thread instead. CancelRequest and a closing connection reach a running statement through atomics.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/server/net/server.h"
#include "plexus/server/pgwire/protocol.h"
#include "plexus/session/copy.h"
#include "plexus/session/session.h"

namespace plexus::server::pgwire {

class Service;

// Not a protocol message type: the loop queues a message of this type, its body the error
// text, when it finds a protocol violation after earlier messages, so that the worker reports
// it (FATAL, then close) in order, after their replies.
inline constexpr char kViolationMessageType = '\0';

// Queued input above which the loop stops reading from the client until the worker caught up.
inline constexpr size_t kInboxBytesHigh = size_t{1} << 20;
// How long a worker that ran out of messages waits for the client's next ones, reading the
// socket itself, before it hands reading back to the connection's loop and ends its job (a
// client's next request after a reply comes within a round trip; idle clients cost nothing).
inline constexpr uint32_t kWorkerReadWaitMs = 10;
// Bytes a worker reads from the socket at once; longer messages go through the loop.
inline constexpr size_t kWorkerReadBytes = size_t{16} << 10;

class Backend : public std::enable_shared_from_this<Backend> {
 public:
  // Sends the output of a worker to the client: through the connection, encrypted first when
  // the connection uses TLS. Called on the worker thread; must be safe there.
  using SendFunction = std::function<void(std::string bytes)>;

  Backend(Service* service, std::weak_ptr<net::Connection> connection, SendFunction send,
          int32_t process_id, int32_t secret_key);
  ~Backend();

  int32_t process_id() const { return process_id_; }
  int32_t secret_key() const { return secret_key_; }
  session::TransactionState transaction_state() const { return session_.transaction_state(); }
  // The session, for the greeting (startup parameters, ParameterStatus). REQUIRES: no message
  // has been delivered yet (no job runs).
  session::Session& session_for_startup() { return session_; }

  // On the loop thread: queues `frames` (whole messages) and starts a job if none runs.
  // Returns kPause when the loop should stop reading until the backend resumes it, kHandOver
  // when the job reads the client's next messages itself meanwhile (only with
  // `worker_may_read`: the loop has no input left over, and no TLS), else kContinue. With
  // `worker_may_read` and no job running, point reads (RunsOnLoop) run at once on the loop.
  net::Disposition Deliver(std::string_view frames, bool worker_may_read = false);
  // Thread-safe: cancels the statement running now (CancelRequest).
  void Cancel() { cancel_.store(true, std::memory_order_relaxed); }
  // On the loop thread: the connection closed. The running statement is canceled and waiting
  // workers wake up.
  void Closed();
  // Makes the session's notification inbox wake this backend (notification_responses.cc).
  // REQUIRES: owned by a shared_ptr; called once, before any message is delivered.
  void WatchNotifications();
  // Any thread: a notification arrived for the session; an idle backend runs a job to send it.
  void NotificationArrived();

 private:
  friend class MessageRunner;

  // Whether `frames` may run on the loop: point reads only (MessageRunner::RunsWithoutWaiting)
  // whose commits need not wait for a WAL sync. REQUIRES: no job runs, or on the job's thread.
  bool RunsOnLoop(std::string_view frames) const;

  // Worker side (and the loop's, for what RunsOnLoop).
  void RunJob();
  // Takes the next queued message into current_; false when none is queued (without waiting).
  bool TakeMessage(Message* message);
  // Waits for the next message (COPY FROM STDIN); false when the connection closed.
  bool WaitMessage(Message* message);
  bool PopLocked(Message* message);
  // While worker_reads_: waits (kWorkerReadWaitMs at most) for the client's next whole
  // messages on the socket and queues them; false when none came (or only part of one).
  bool ReadInput();
  // Gives reading back to the connection's loop (resumes it, with unread_ as its input).
  void StopReading();
  // Hands the output to the connection. With `wait`, blocks while the client has more than
  // net::kOutputBytesHigh unread (false when the connection closed meanwhile).
  bool Flush(bool wait);
  // Appends the session's notifications to output_ when it is idle.
  void DeliverNotifications();
  bool closed() const { return closed_.load(std::memory_order_relaxed); }

  Service* service_;
  std::weak_ptr<net::Connection> connection_;
  SendFunction send_;
  const int32_t process_id_;
  const int32_t secret_key_;
  std::atomic<bool> cancel_{false};
  std::atomic<bool> closed_{false};

  std::mutex mutex_;
  std::condition_variable wake_;
  std::string inbox_;         // queued frames, from inbox_begin_
  size_t inbox_begin_ = 0;
  bool job_running_ = false;
  bool reader_paused_ = false;
  bool worker_reads_ = false;  // the job reads the socket; the loop is paused meanwhile
  bool drained_ = false;      // set by the WhenDrained callback the worker waits for
  bool notifications_pending_ = false;  // NotificationArrived since the job last delivered

  // Touched only by the job's thread (one job at a time).
  session::Session session_;
  std::string current_;  // the message being run
  std::string output_;   // replies not yet handed to the connection
  std::string read_buffer_;  // of ReadInput
  std::string unread_;       // read from the socket by the job, not yet a whole message
  // What the job read last runs on the loop: it gives reading back instead of reading more.
  bool hand_back_ = false;
  bool on_loop_ = false;  // the job runs on the connection's loop: Flush never waits
  std::unique_ptr<class MessageRunner> runner_;
};

}  // namespace plexus::server::pgwire
