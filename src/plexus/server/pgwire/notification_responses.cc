// NotificationResponse messages and the backend's side of notification wake-ups.
#include "plexus/server/pgwire/notification_responses.h"

#include "plexus/server/pgwire/backend.h"
#include "plexus/server/pgwire/protocol.h"
#include "plexus/server/pgwire/service.h"

namespace plexus::server::pgwire {

void AppendNotificationResponses(session::Session& session, std::string* out) {
  if (session.transaction_state() != session::TransactionState::kIdle) return;
  if (session.notifications().empty()) return;
  for (const session::ReceivedNotification& notification : session.notifications().Take()) {
    MessageWriter(out)
        .Begin('A')
        .Int32(notification.sender_process_id)
        .String(notification.channel)
        .String(notification.payload)
        .End();
  }
}

void Backend::WatchNotifications() {
  session_.set_process_id(process_id_);
  std::weak_ptr<Backend> weak = weak_from_this();
  session_.notifications().set_waker([weak] {
    if (auto self = weak.lock()) self->NotificationArrived();
  });
}

void Backend::NotificationArrived() {
  std::lock_guard<std::mutex> lock(mutex_);
  notifications_pending_ = true;
  if (job_running_ || closed()) return;  // the job delivers before it ends
  job_running_ = true;
  service_->workers().Submit([self = shared_from_this()] { self->RunJob(); });
}

void Backend::DeliverNotifications() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    notifications_pending_ = false;
  }
  AppendNotificationResponses(session_, &output_);
}

}  // namespace plexus::server::pgwire
