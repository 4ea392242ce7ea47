// LISTEN/NOTIFY delivery. The engine's NotificationHub knows which sessions listen on which
// channel; a committing session publishes its transaction's notifications (sql/func/notify.h)
// there, and the hub copies each into the inbox of every listener, the sender included. The
// front end drains an inbox when its session is idle; the inbox's waker tells it (on the
// committing thread) that something arrived, so no one polls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/sql/func/notify.h"

namespace plexus::session {

struct ReceivedNotification {
  int32_t sender_process_id = 0;
  std::string channel;
  std::string payload;
};

// Undelivered notifications one inbox holds at most; past it the oldest are dropped (with a
// log line), so a session that listens but never reads cannot grow without bound.
inline constexpr size_t kInboxNotificationsMax = 100'000;

class NotificationInbox {
 public:
  // `wake` runs, on the publishing thread and without the inbox's lock, after a push into an
  // empty inbox. REQUIRES: set before the inbox listens (the hub may push from then on).
  void set_waker(std::function<void()> wake);
  // Removes and returns everything queued, oldest first.
  std::vector<ReceivedNotification> Take();
  bool empty() const;

 private:
  friend class NotificationHub;
  void Push(int32_t sender_process_id, const sql::Notification& notification);

  mutable std::mutex mutex_;
  std::deque<ReceivedNotification> queue_;  // guarded by mutex_
  std::function<void()> wake_;
};

class NotificationHub {
 public:
  // REQUIRES: the inbox outlives its registration (UnlistenAll before it is destroyed).
  void Listen(NotificationInbox* inbox, const std::string& channel);
  void Unlisten(NotificationInbox* inbox, const std::string& channel);
  void UnlistenAll(NotificationInbox* inbox);
  // Delivers each notification to every inbox listening on its channel now. Publishers are
  // serialized, so every listener sees notifications in the same (commit) order.
  void Publish(int32_t sender_process_id, const std::vector<sql::Notification>& notifications);

 private:
  std::mutex mutex_;
  std::map<std::string, std::set<NotificationInbox*>, std::less<>> listeners_;  // by channel
};

// What one session's open transaction did with LISTEN/UNLISTEN: applied at commit, in order.
struct ListenAction {
  enum class Kind : uint8_t { kListen, kUnlisten, kUnlistenAll };
  Kind kind = Kind::kListen;
  std::string channel;
};

// A session's side of LISTEN: its inbox, the channels it listens on and its transaction's
// pending actions.
class SessionListener {
 public:
  explicit SessionListener(NotificationHub* hub) : hub_(hub) {}
  ~SessionListener();  // stops listening
  SessionListener(const SessionListener&) = delete;
  SessionListener& operator=(const SessionListener&) = delete;

  NotificationInbox& inbox() { return inbox_; }
  const std::set<std::string>& channels() const { return channels_; }
  void AddAction(ListenAction action) { pending_.push_back(std::move(action)); }
  // The transaction ended: its actions take effect (committed) or are forgotten.
  void EndTransaction(bool committed);

 private:
  NotificationHub* hub_;
  NotificationInbox inbox_;
  std::set<std::string> channels_;
  std::vector<ListenAction> pending_;
};

}  // namespace plexus::session
