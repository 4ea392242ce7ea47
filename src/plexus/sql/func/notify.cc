// The per-transaction queue of notifications and pg_notify.
#include "plexus/sql/func/notify.h"

#include <mutex>
#include <utility>
#include <unordered_map>

#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/func/function.h"
#include "plexus/sql/func/notify_savepoints.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

struct PendingQueue {
  std::vector<Notification> notifications;
  std::vector<std::pair<std::string, size_t>> marks;  // savepoint name, queue size then
};

struct PendingQueues {
  std::mutex mutex;
  // By transaction; an entry lives from the first NOTIFY or SAVEPOINT until commit or
  // rollback takes it.
  std::unordered_map<const txn::Transaction*, PendingQueue> queues;
};

// The index of the latest mark named `savepoint`, or marks.size().
size_t FindMark(const PendingQueue& queue, std::string_view savepoint) {
  for (size_t i = queue.marks.size(); i > 0; --i) {
    if (queue.marks[i - 1].first == savepoint) return i - 1;
  }
  return queue.marks.size();
}

PendingQueues& Pending() {
  static PendingQueues* pending = new PendingQueues();  // never destroyed: used at exit
  return *pending;
}

}  // namespace

Status QueueNotification(const txn::Transaction* transaction, std::string_view channel,
                         std::string_view payload) {
  if (channel.empty()) return SqlError(kInvalidParameterValue, "channel name cannot be empty");
  if (channel.size() > kChannelNameBytesMax) {
    return SqlError(kInvalidParameterValue, "channel name too long");
  }
  if (payload.size() > kNotificationPayloadBytesMax) {
    return SqlError(kInvalidParameterValue, "payload string too long");
  }
  PendingQueues& pending = Pending();
  std::lock_guard<std::mutex> lock(pending.mutex);
  std::vector<Notification>& queue = pending.queues[transaction].notifications;
  for (const Notification& queued : queue) {
    if (queued.channel == channel && queued.payload == payload) return Status::Ok();
  }
  if (queue.size() >= kPendingNotificationsMax) {
    return SqlError(kProgramLimitExceeded, "too many notifications in the NOTIFY queue");
  }
  queue.push_back(Notification{std::string(channel), std::string(payload)});
  return Status::Ok();
}

std::vector<Notification> TakeNotifications(const txn::Transaction* transaction) {
  PendingQueues& pending = Pending();
  std::lock_guard<std::mutex> lock(pending.mutex);
  auto found = pending.queues.find(transaction);
  if (found == pending.queues.end()) return {};
  std::vector<Notification> taken = std::move(found->second.notifications);
  pending.queues.erase(found);
  return taken;
}

void MarkNotifications(const txn::Transaction* transaction, std::string_view savepoint) {
  PendingQueues& pending = Pending();
  std::lock_guard<std::mutex> lock(pending.mutex);
  PendingQueue& queue = pending.queues[transaction];
  queue.marks.emplace_back(std::string(savepoint), queue.notifications.size());
}

void RollbackNotifications(const txn::Transaction* transaction, std::string_view savepoint) {
  PendingQueues& pending = Pending();
  std::lock_guard<std::mutex> lock(pending.mutex);
  auto found = pending.queues.find(transaction);
  if (found == pending.queues.end()) return;
  PendingQueue& queue = found->second;
  const size_t mark = FindMark(queue, savepoint);
  if (mark == queue.marks.size()) return;
  queue.notifications.resize(std::min(queue.notifications.size(), queue.marks[mark].second));
  queue.marks.resize(mark + 1);
}

void ReleaseNotificationMark(const txn::Transaction* transaction, std::string_view savepoint) {
  PendingQueues& pending = Pending();
  std::lock_guard<std::mutex> lock(pending.mutex);
  auto found = pending.queues.find(transaction);
  if (found == pending.queues.end()) return;
  const size_t mark = FindMark(found->second, savepoint);
  if (mark < found->second.marks.size()) found->second.marks.resize(mark);
}

namespace {

// Not strict: a NULL channel is an empty one (an error), a NULL payload an empty payload.
Status PgNotifyKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                      ExecContext& context) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    const std::string_view channel = args[0]->IsNull(row) ? "" : args[0]->GetString(row);
    const std::string_view payload = args[1]->IsNull(row) ? "" : args[1]->GetString(row);
    PLEXUS_RETURN_IF_ERROR(QueueNotification(&context.transaction(), channel, payload));
    out->SetNull(row, false);
    out->SetString(row, "");  // void: PostgreSQL shows an empty value
  }
  return Status::Ok();
}

}  // namespace

void RegisterNotifyFunctions(FunctionRegistry& registry) {
  const Type text = Type::Of(TypeId::kText);
  registry.Add({"pg_notify", {text, text}, text, PgNotifyKernel, /*strict=*/false,
                /*volatile_=*/true});
}

}  // namespace plexus::sql
