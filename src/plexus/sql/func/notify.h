// Notifications a transaction has queued (NOTIFY, pg_notify) and not yet committed. They are
// kept per transaction, outside it, because pg_notify runs inside the executor, which knows
// only the transaction; the session takes them at commit and hands them to its engine's hub
// (session/notifications.h), or drops them at rollback.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"

namespace plexus::txn {
class Transaction;
}  // namespace plexus::txn

namespace plexus::sql {

class FunctionRegistry;

struct Notification {
  std::string channel;
  std::string payload;
  bool operator==(const Notification&) const = default;
};

// PostgreSQL's limits: a payload shorter than 8000 bytes (NOTIFY_PAYLOAD_MAX_LENGTH), a channel
// name of at most NAMEDATALEN - 1 bytes.
inline constexpr size_t kNotificationPayloadBytesMax = 7999;
inline constexpr size_t kChannelNameBytesMax = 63;
// Queued by one transaction; past it NOTIFY fails (PostgreSQL's queue is bounded too).
inline constexpr size_t kPendingNotificationsMax = 1 << 20;

// Checks the channel and payload (22023 as PostgreSQL) and queues the pair for `transaction`'s
// commit, unless the transaction already queued the same pair (PostgreSQL folds duplicates).
Status QueueNotification(const txn::Transaction* transaction, std::string_view channel,
                         std::string_view payload);
// Removes and returns what `transaction` queued, in queueing order (empty when nothing).
std::vector<Notification> TakeNotifications(const txn::Transaction* transaction);

// pg_notify(channel text, payload text).
void RegisterNotifyFunctions(FunctionRegistry& registry);

}  // namespace plexus::sql
