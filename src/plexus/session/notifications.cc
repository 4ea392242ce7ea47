// The notification hub, inboxes and a session's listening state.
#include "plexus/session/notifications.h"

#include "plexus/base/logging.h"

namespace plexus::session {

void NotificationInbox::set_waker(std::function<void()> wake) {
  std::lock_guard<std::mutex> lock(mutex_);
  wake_ = std::move(wake);
}

std::vector<ReceivedNotification> NotificationInbox::Take() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<ReceivedNotification> taken(std::make_move_iterator(queue_.begin()),
                                          std::make_move_iterator(queue_.end()));
  queue_.clear();
  return taken;
}

bool NotificationInbox::empty() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.empty();
}

void NotificationInbox::Push(int32_t sender_process_id, const sql::Notification& notification) {
  std::function<void()> wake;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (queue_.size() >= kInboxNotificationsMax) {
      base::LogWarn("notification inbox full: dropping the oldest notification on \"{}\"",
                    queue_.front().channel);
      queue_.pop_front();
    }
    const bool was_empty = queue_.empty();
    queue_.push_back({sender_process_id, notification.channel, notification.payload});
    if (was_empty) wake = wake_;
  }
  if (wake) wake();
}

void NotificationHub::Listen(NotificationInbox* inbox, const std::string& channel) {
  std::lock_guard<std::mutex> lock(mutex_);
  listeners_[channel].insert(inbox);
}

void NotificationHub::Unlisten(NotificationInbox* inbox, const std::string& channel) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = listeners_.find(channel);
  if (found == listeners_.end()) return;
  found->second.erase(inbox);
  if (found->second.empty()) listeners_.erase(found);
}

void NotificationHub::UnlistenAll(NotificationInbox* inbox) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = listeners_.begin(); it != listeners_.end();) {
    it->second.erase(inbox);
    it = it->second.empty() ? listeners_.erase(it) : std::next(it);
  }
}

void NotificationHub::Publish(int32_t sender_process_id,
                              const std::vector<sql::Notification>& notifications) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const sql::Notification& notification : notifications) {
    auto found = listeners_.find(notification.channel);
    if (found == listeners_.end()) continue;
    for (NotificationInbox* inbox : found->second) inbox->Push(sender_process_id, notification);
  }
}

SessionListener::~SessionListener() {
  if (!channels_.empty()) hub_->UnlistenAll(&inbox_);
}

void SessionListener::EndTransaction(bool committed) {
  std::vector<ListenAction> actions = std::move(pending_);
  pending_.clear();
  if (!committed) return;
  for (ListenAction& action : actions) {
    switch (action.kind) {
      case ListenAction::Kind::kListen:
        if (channels_.insert(action.channel).second) hub_->Listen(&inbox_, action.channel);
        break;
      case ListenAction::Kind::kUnlisten:
        if (channels_.erase(action.channel) > 0) hub_->Unlisten(&inbox_, action.channel);
        break;
      case ListenAction::Kind::kUnlistenAll:
        if (!channels_.empty()) hub_->UnlistenAll(&inbox_);
        channels_.clear();
        break;
    }
  }
}

}  // namespace plexus::session
