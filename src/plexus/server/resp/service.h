// The RESP front end: Service holds what every connection shares (keyspace, settings,
// statistics, the client registry); it is the net::Protocol of the RESP listener and makes a
// Handler (client state + request loop) per connection.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "plexus/kv/keyspace.h"
#include "plexus/server/net/server.h"
#include "plexus/server/resp/acl.h"
#include "plexus/server/resp/command.h"
#include "plexus/server/resp/limits.h"
#include "plexus/server/resp/parser.h"

namespace plexus::server::resp {

struct ServiceOptions {
  std::string requirepass;  // empty: no password
  uint64_t bulk_bytes_max = kBulkBytesMaxDefault;
  std::string address = "127.0.0.1";
  uint16_t port = 6380;
  std::string data_dir;
  std::string unixsocket;  // also listening there; empty: not
  uint32_t threads = 1;    // event loops serving the clients (net::Protocol::loop_count); 0: all
};

struct WatchedKey {
  int db;
  std::string key;
  uint64_t stripe_version;
};

// One connection's state. Touched only on the connection's thread, except what CLIENT LIST
// reads from other threads (last_command is atomic; the rest is best-effort display).
struct Client {
  uint64_t id = 0;
  int db = 0;
  int protocol = 2;
  bool authenticated = false;
  std::string user = "default";
  std::string name;
  std::string peer;
  std::string local;
  int64_t created_ms = 0;
  int64_t last_interaction_ms = 0;
  // For CLIENT LIST (read from other threads): the last command run; null before the first.
  std::atomic<const CommandSpec*> last_command{nullptr};
  bool close_after_reply = false;
  // MULTI state: queued commands (owned copies) and whether one of them failed to queue.
  bool in_multi = false;
  bool unix_socket = false;  // connected over the Unix-domain socket (CLIENT LIST flag U)
  bool multi_failed = false;
  std::vector<std::vector<std::string>> queued;
  std::vector<WatchedKey> watched;
  std::weak_ptr<net::Connection> connection;
  // A command of the current batch committed without fsync (sync durability): the WAL is
  // synced once before the batch's replies are sent.
  bool needs_sync = false;
  // Group commit: the keyed commands that every connection of one event-loop thread runs in
  // one loop turn share one op (one commit, one WAL write; see Service::Dispatch). Replies of
  // commands run meanwhile wait in `held` until that op has committed; `in_group` says the
  // client ran a command in the thread's open op, `batch_failed` that such a commit failed.
  std::string held;
  bool in_group = false;
  bool batch_failed = false;
  bool in_exec = false;  // running EXEC's commands: blocking commands do not block
  // A blocking command (BLPOP, ...) waiting for one of its keys: its arguments (empty when not
  // blocked) and a generation that makes wake-ups and timeouts of an earlier block moot.
  std::vector<std::string> blocked_args;
  uint64_t block_generation = 0;
  bool block_retry = false;    // set while a woken blocking command runs again
  bool still_blocked = false;  // ... and it found nothing yet
  // Pub/sub subscriptions (RESP2 clients with any are in subscribe mode).
  std::set<std::string> channels;
  std::set<std::string> patterns;
  bool subscribed() const { return !channels.empty() || !patterns.empty(); }
};

struct ScanCursor;

class Service final : public net::Protocol, public kv::KeyEventListener {
 public:
  Service(kv::Keyspace* keyspace, const ServiceOptions& options);
  ~Service() override;

  std::string_view name() const override { return "resp"; }
  std::unique_ptr<net::Handler> NewHandler(std::weak_ptr<net::Connection> connection) override;
  std::string ConnectionLimitMessage() const override;
  uint32_t loop_count() const override { return options_.threads; }

  kv::Keyspace* keyspace() const { return keyspace_; }
  const ServiceOptions& options() const { return options_; }
  std::string requirepass() const { return acl_.RequirePass(); }
  void set_requirepass(std::string password) { acl_.SetRequirePass(password); }
  Acl& acl() { return acl_; }
  uint64_t bulk_bytes_max() const { return bulk_bytes_max_.load(); }
  void set_bulk_bytes_max(uint64_t value) { bulk_bytes_max_.store(value); }
  int64_t started_ms() const { return started_ms_; }

  // Runs one request (args[0] is the command name) for `client`, appending the reply. The
  // request's writes may wait in the thread's commit group: its replies must not leave before
  // FinishBatch (or the group's posted flush) has committed them.
  // `now_ms`: the command's wall-clock time (kv::NowMs when it started).
  void Execute(Client& client, std::span<const std::string_view> args, int64_t now_ms,
               std::string* output);
  // Commits the calling thread's commit group: sends the held replies of its other clients
  // (Connection::Write) and leaves `client`'s in client.held. False when `client` was in the
  // group and its commit failed (client.batch_failed): none of its held replies may be sent.
  bool FinishBatch(Client& client);
  // After OnInput of a client in the group: makes sure the group is committed after the loop
  // has handled the other connections that are ready (one posted task per group).
  void ScheduleFlush(Client& client);
  // A client in the group is closing: commits the group (its own replies are dropped).
  void LeaveGroup(Client& client);

  // Client registry, for CLIENT LIST / KILL / INFO clients.
  void Register(Client* client);
  void Unregister(Client* client);
  std::string ClientListText(int64_t only_id = 0);
  bool KillClient(uint64_t id);
  size_t client_count();

  // Blocking commands. REQUIRES (all): on the client's connection thread.
  // Parks `client` until one of `keys` (of its database) is written or `timeout_ms` (0: never)
  // passes; the handler stops reading meanwhile.
  void BlockClient(Client& client, std::span<const std::string_view> args,
                   const std::vector<std::string_view>& keys, uint64_t timeout_ms);
  void UnblockClient(Client& client);
  // After a committed write: wakes clients blocked on any of `keys` of `db`.
  void SignalKeys(int db, const std::vector<std::string_view>& keys);
  // After an op committed: wakes clients blocked on the lists and sorted sets it wrote
  // (Op::TakePushedKeys; any database).
  void SignalPushed(const std::vector<std::pair<int, std::string>>& keys);

  // Keyspace notifications (notify.h): the enabled classes, and publishing one event.
  uint32_t notify_flags() const { return notify_flags_.load(std::memory_order_relaxed); }
  void set_notify_flags(uint32_t flags);
  // Publishes `event` on __keyspace@<db>__:<key> and `key` on __keyevent@<db>__:<event>, as
  // far as the classes K/E and `type` are enabled.
  void Notify(uint32_t type, std::string_view event, int db, std::string_view key);
  // kv::KeyEventListener: expiry ("expired") and key creation ("new").
  void KeyExpired(int db, std::string_view key) override;
  void KeyCreated(int db, std::string_view key) override;

  // Pub/sub.
  size_t Subscribe(Client& client, std::string_view channel, bool pattern);
  size_t Unsubscribe(Client& client, std::string_view channel, bool pattern);
  // Sends `message` to every subscriber of `channel` (and matching patterns); returns how many.
  int64_t Publish(std::string_view channel, std::string_view message);
  std::vector<std::string> ActiveChannels(std::string_view pattern);
  int64_t SubscriberCount(std::string_view channel);
  int64_t PatternCount();

  // SAVE and BGSAVE (checkpoints.cc): a checkpoint of the store in a new directory under
  // <data>/checkpoints (the newest kCheckpointsKept stay). Save runs on the caller's thread;
  // an error when a background save runs. StartBackgroundSave returns false when one runs.
  Status Save();
  bool StartBackgroundSave();
  struct PersistenceState {
    int64_t last_save_s;
    bool in_progress;
    bool last_ok;
    uint64_t changes_since_save;
    std::string last_directory;
  };
  PersistenceState persistence();

  // SCAN cursors: a number standing for "continue after this key".
  uint64_t SaveCursor(std::string position);
  bool LoadCursor(uint64_t cursor, std::string* position);

  // Statistics for INFO.
  std::atomic<uint64_t> commands_processed{0};
  std::atomic<uint64_t> connections_received{0};
  std::atomic<uint64_t> rejected_connections{0};
  std::atomic<uint64_t> keyspace_hits{0};
  std::atomic<uint64_t> keyspace_misses{0};

 private:
  // `now_ms`: the command's time, for expiry decisions.
  void Dispatch(Client& client, const CommandSpec& spec, std::span<const std::string_view> args,
                int64_t now_ms, std::string* output);
  void RetryBlocked(Client* client, uint64_t generation);
  struct CommitGroup;
  CommitGroup& ThreadGroup();
  // Commits `group`'s op; sends each member's held replies (but `keep`'s), or closes every
  // member when the commit (or its WAL sync) failed.
  void FlushGroup(CommitGroup& group, Client* keep);
  void TimeoutBlocked(Client* client, uint64_t generation);

  struct Waiter {
    Client* client;  // dereferenced only on its connection's thread
    uint64_t generation;
    std::weak_ptr<net::Connection> connection;
  };
  struct Subscriber {
    int protocol;  // the subscriber's at subscribe time (messages are RESP3 pushes or arrays)
    std::weak_ptr<net::Connection> connection;
  };
  std::mutex blocked_mutex_;
  std::multimap<std::string, Waiter> blocked_;  // by [db][key]
  std::atomic<size_t> blocked_count_{0};
  std::mutex pubsub_mutex_;
  std::map<std::string, std::map<uint64_t, Subscriber>> channels_;  // by client id
  std::map<std::string, std::map<uint64_t, Subscriber>> patterns_;
  bool QueueIfInMulti(Client& client, const CommandSpec& spec,
                      std::span<const std::string_view> args, Reply& reply);

  kv::Keyspace* keyspace_;
  ServiceOptions options_;
  std::atomic<uint64_t> bulk_bytes_max_;
  int64_t started_ms_;
  std::atomic<uint32_t> notify_flags_{0};

  Status WriteCheckpoint();
  std::mutex save_mutex_;  // the fields below
  bool save_in_progress_ = false;
  bool last_save_ok_ = true;
  int64_t last_save_s_;
  uint64_t changes_at_save_ = 0;
  std::string last_checkpoint_;
  std::thread background_save_;

  Acl acl_;
  mutable std::mutex mutex_;  // clients_, cursors_
  std::map<uint64_t, Client*> clients_;
  std::map<uint64_t, std::string> cursors_;
  uint64_t next_cursor_ = 1;
};

// Runs EXEC's queued commands (cmd_transaction.cc).
void ExecuteTransaction(Service& service, Client& client, Reply& reply);

}  // namespace plexus::server::resp
