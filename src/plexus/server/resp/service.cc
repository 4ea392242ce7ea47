// The request loop of a RESP connection and command dispatch: parse, look up, check arity and
// authentication, queue inside MULTI, lock the command's keys, run, commit, reply.
#include "plexus/server/resp/service.h"

#include <algorithm>
#include <chrono>

#include "plexus/base/assert.h"
#include "plexus/base/logging.h"
#include "plexus/server/resp/command_metrics.h"
#include "plexus/server/resp/errors.h"
#include "plexus/server/resp/glob.h"

namespace plexus::server::resp {
namespace {

class Handler final : public net::Handler {
 public:
  Handler(Service* service, std::weak_ptr<net::Connection> connection) : service_(service) {
    auto shared = connection.lock();
    PLEXUS_ASSERT(shared != nullptr);
    client_.id = shared->id();
    client_.peer = shared->peer();
    client_.local = shared->local();
    if (client_.peer == net::kLocalPeer) {
      // As Redis names a Unix-domain socket client: its path, port 0.
      client_.unix_socket = true;
      client_.peer = service_->options().unixsocket + ":0";
      client_.local = client_.peer;
    }
    client_.connection = connection;
    client_.created_ms = kv::NowMs();
    client_.last_interaction_ms = client_.created_ms;
    client_.authenticated = !service_->acl().DefaultNeedsAuth();
    service_->connections_received.fetch_add(1, std::memory_order_relaxed);
    service_->Register(&client_);
  }
  ~Handler() override {
    service_->UnblockClient(client_);
    for (const std::string& channel : std::set<std::string>(client_.channels)) {
      service_->Unsubscribe(client_, channel, false);
    }
    for (const std::string& pattern : std::set<std::string>(client_.patterns)) {
      service_->Unsubscribe(client_, pattern, true);
    }
    service_->Unregister(&client_);
  }

  net::Disposition OnInput(std::string_view input, size_t* consumed, std::string* output) override {
    size_t offset = 0;
    // A command's duration runs from the previous one's end (its parsing included): one clock
    // read per command. The metrics batched meanwhile go to the shared ones on every return.
    struct FlushAtReturn {
      ~FlushAtReturn() { FlushCommandMetrics(); }
    } flush_at_return;
    auto command_started = std::chrono::steady_clock::now();
    // Commands' wall-clock time (expiry, idle time) follows the steady clock from one reading
    // per input: one clock read per command.
    const auto input_started = command_started;
    const int64_t input_started_ms = kv::NowMs();
    // Replies go to client_.held: they leave once the commit group they read or wrote in has
    // committed (Release).
    while (offset < input.size() && output->size() + client_.held.size() < net::kOutputBytesHigh) {
      ParserLimits limits;
      limits.bulk_bytes_max = service_->bulk_bytes_max();
      limits.authenticated = client_.authenticated;
      const ParseStatus status = parser_.Parse(input.substr(offset), limits);
      if (status == ParseStatus::kIncomplete) break;
      if (status == ParseStatus::kError) {
        *consumed = input.size();
        if (Release(output, /*now=*/true) == net::Disposition::kContinue) {
          Reply reply(output, client_.protocol);
          reply.Error("ERR " + parser_.error());
        }
        parser_.Reset();
        return net::Disposition::kClose;
      }
      const size_t used = parser_.consumed();
      if (status == ParseStatus::kRequest) {
        const int64_t now_ms =
            input_started_ms +
            std::chrono::duration_cast<std::chrono::milliseconds>(command_started - input_started)
                .count();
        service_->Execute(client_, parser_.args(), now_ms, &client_.held);
        const auto command_finished = std::chrono::steady_clock::now();
        RecordCommandDuration(
            std::chrono::duration<double>(command_finished - command_started).count());
        command_started = command_finished;
      }
      offset += used;
      parser_.Reset();
      if (!client_.blocked_args.empty()) {
        // A blocking command waits; what follows it in the pipeline waits too.
        *consumed = offset;
        const net::Disposition released = Release(output, /*now=*/true);
        return released == net::Disposition::kClose ? released : net::Disposition::kPause;
      }
      if (client_.close_after_reply) {
        *consumed = input.size();
        Release(output, /*now=*/true);
        return net::Disposition::kClose;
      }
    }
    *consumed = offset;
    return Release(output, output->size() + client_.held.size() >= net::kOutputBytesHigh);
  }

  void OnClose() override { service_->LeaveGroup(client_); }

 private:
  // Sends the held replies. A client in the thread's commit group leaves that to the group's
  // flush, after the loop has run the other ready connections (unless `now`). Otherwise the
  // group commits now; in `sync` mode one fsync makes its writes durable before any reply
  // leaves. If the commit or the fsync fails, nothing of the batch is acknowledged: the
  // replies are dropped and the connection closed.
  net::Disposition Release(std::string* output, bool now) {
    if (client_.in_group) {
      if (!now) {
        service_->ScheduleFlush(client_);
        return net::Disposition::kContinue;
      }
      service_->FinishBatch(client_);
    }
    // Not in the group: these replies read nothing it wrote (commands without keys commit the
    // group before they run), so they need not wait for it.
    if (client_.batch_failed) {
      client_.batch_failed = false;
      client_.held.clear();
      return net::Disposition::kClose;
    }
    if (client_.needs_sync) {
      client_.needs_sync = false;
      const Status synced = service_->keyspace()->SyncWal();
      if (!synced.ok()) {
        base::LogError("WAL sync failed, dropping connection {}: {}", client_.id,
                       synced.ToString());
        client_.held.clear();
        return net::Disposition::kClose;
      }
    }
    output->append(client_.held);
    client_.held.clear();
    return net::Disposition::kContinue;
  }

  Service* service_;
  Client client_;
  Parser parser_;
};

std::string UnknownCommandText(std::span<const std::string_view> args) {
  std::string text = "ERR unknown command '" + std::string(args[0].substr(0, 128)) +
                     "', with args beginning with: ";
  std::string listed;
  for (size_t i = 1; i < args.size() && listed.size() < 128; ++i) {
    listed += "'" + std::string(args[i].substr(0, 128 - listed.size())) + "' ";
  }
  return text + listed;
}

}  // namespace

int CommandContext::db() const { return client.db; }

void CommandContext::StorageError(const Status& status) {
  reply.Error("ERR " + std::string(status.message()));
}

Service::Service(kv::Keyspace* keyspace, const ServiceOptions& options)
    : keyspace_(keyspace),
      options_(options),
      bulk_bytes_max_(options.bulk_bytes_max),
      started_ms_(kv::NowMs()),
      last_save_s_(started_ms_ / 1000),
      acl_(options.requirepass) {
  keyspace_->SetListener(this, 0);
}

Service::~Service() {
  keyspace_->SetListener(nullptr, 0);
  if (background_save_.joinable()) background_save_.join();
}

std::unique_ptr<net::Handler> Service::NewHandler(std::weak_ptr<net::Connection> connection) {
  return std::make_unique<Handler>(this, std::move(connection));
}

std::string Service::ConnectionLimitMessage() const {
  return "-" + std::string(errors::kMaxClients) + "\r\n";
}

void Service::Register(Client* client) {
  std::lock_guard<std::mutex> lock(mutex_);
  clients_[client->id] = client;
}

void Service::Unregister(Client* client) {
  std::lock_guard<std::mutex> lock(mutex_);
  clients_.erase(client->id);
}

size_t Service::client_count() {
  std::lock_guard<std::mutex> lock(mutex_);
  return clients_.size();
}

namespace {

// CLIENT LIST's flags as Redis spells them: x in MULTI, U over a Unix-domain socket, else N.
std::string ClientFlags(const Client& client) {
  std::string flags;
  if (client.in_multi) flags += 'x';
  if (client.unix_socket) flags += 'U';
  return flags.empty() ? "N" : flags;
}

}  // namespace

std::string Service::ClientListText(int64_t only_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  const int64_t now = kv::NowMs();
  std::string text;
  for (const auto& [id, client] : clients_) {
    if (only_id != 0 && static_cast<int64_t>(id) != only_id) continue;
    text +=
        "id=" + std::to_string(id) + " addr=" + client->peer + " laddr=" + client->local +
        " fd=0 name=" + client->name + " age=" + std::to_string((now - client->created_ms) / 1000) +
        " idle=" + std::to_string((now - client->last_interaction_ms) / 1000) +
        " flags=" + ClientFlags(*client) + " db=" + std::to_string(client->db) +
        " sub=0 psub=0 ssub=0 multi=" +
        (client->in_multi ? std::to_string(client->queued.size()) : "-1") +
        " qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 "
        "tot-mem=0 events=r cmd=" +
        std::string(client->last_command.load() == nullptr ? "NULL"
                                                           : client->last_command.load()->name) +
        " user=" + client->user + " redir=-1 resp=" + std::to_string(client->protocol) + "\n";
  }
  return text;
}

bool Service::KillClient(uint64_t id) {
  // The connection may end on its own loop meanwhile, leaving this reference its last: it must
  // go after the lock, since destroying the connection unregisters its client (Unregister).
  std::shared_ptr<net::Connection> connection;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = clients_.find(id);
    if (it == clients_.end()) return false;
    connection = it->second->connection.lock();
  }
  if (connection) connection->Close();
  return true;
}

uint64_t Service::SaveCursor(std::string position) {
  std::lock_guard<std::mutex> lock(mutex_);
  constexpr size_t kCursorsMax = 100'000;
  if (cursors_.size() >= kCursorsMax) cursors_.erase(cursors_.begin());  // the oldest
  const uint64_t cursor = next_cursor_++;
  cursors_[cursor] = std::move(position);
  return cursor;
}

bool Service::LoadCursor(uint64_t cursor, std::string* position) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = cursors_.find(cursor);
  if (it == cursors_.end()) return false;
  *position = it->second;
  return true;
}

bool Service::QueueIfInMulti(Client& client, const CommandSpec& spec,
                             std::span<const std::string_view> args, Reply& reply) {
  if (!client.in_multi || (spec.flags & kNoMulti) != 0) return false;
  client.queued.emplace_back(args.begin(), args.end());
  reply.Simple("QUEUED");
  return true;
}

namespace {

// The command named `name` (any case), or null. A run of one command (a pipeline) skips the
// table: the last command found on this thread is compared first.
const CommandSpec* LookupCommand(std::string_view name) {
  thread_local const CommandSpec* last = nullptr;
  if (last != nullptr && EqualsIgnoreCase(name, last->name)) return last;
  constexpr size_t kNameBytesMax = 64;  // longer than any command's name
  if (name.size() > kNameBytesMax) return nullptr;
  char lower[kNameBytesMax];
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    lower[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const CommandSpec* spec = FindCommand(std::string_view(lower, name.size()));
  if (spec != nullptr) last = spec;
  return spec;
}

}  // namespace

void Service::Execute(Client& client, std::span<const std::string_view> args, int64_t now_ms,
                      std::string* output) {
  commands_processed.fetch_add(1, std::memory_order_relaxed);
  client.last_interaction_ms = now_ms;
  Reply reply(output, client.protocol);
  const CommandSpec* spec = LookupCommand(args[0]);
  if (spec == nullptr) {
    UnknownCommandCounter().Increment();
    if (client.in_multi) client.multi_failed = true;
    reply.Error(UnknownCommandText(args));
    return;
  }
  CountCommand(*spec);
  client.last_command.store(spec, std::memory_order_relaxed);
  if ((spec->arity > 0 && static_cast<int>(args.size()) != spec->arity) ||
      (static_cast<int>(args.size()) < -spec->arity)) {
    if (client.in_multi) client.multi_failed = true;
    reply.Error("ERR wrong number of arguments for '" + std::string(spec->name) + "' command");
    return;
  }
  if (!client.authenticated && (spec->flags & kNoAuth) == 0) {
    if (client.in_multi) client.multi_failed = true;
    reply.Error(errors::kNoAuth);
    return;
  }
  if (acl_.customized()) {
    std::vector<size_t> indexes;
    KeyIndexes(*spec, args, &indexes);
    const std::string denied = acl_.Check(client.user, *spec, args, indexes);
    if (!denied.empty()) {
      if (client.in_multi) client.multi_failed = true;
      reply.Error(denied);
      return;
    }
  }
  if (client.subscribed() && client.protocol == 2 && (spec->flags & kAllowInSubscribe) == 0) {
    reply.Error("ERR Can't execute '" + std::string(spec->name) +
                "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in "
                "this context");
    return;
  }
  if (QueueIfInMulti(client, *spec, args, reply)) return;
  Dispatch(client, *spec, args, client.last_interaction_ms, output);
}

// Group commit. The keyed commands that the connections of one event-loop thread run in one
// loop turn share one op: a command joins it when it can TryLock its keys' stripes (else the
// group commits first and the command waits for its locks holding none, so batching never
// deadlocks). Commands see one another's writes in command order, and every reply waits in
// its client's `held` until the op has committed (and, in `sync` mode, its WAL is synced):
// then each member gets its replies (Connection::Write). The first member to finish its input
// posts the flush to the loop, which runs it after the connections that were ready together;
// a member that closes first commits the group itself (LeaveGroup). So N ready clients cost
// one write batch, one WAL write and one memtable insert per key instead of N.
struct Service::CommitGroup {
  std::unique_ptr<kv::Op> op;
  size_t commands = 0;
  std::vector<Client*> members;  // clients that ran a command in `op`; on this thread
  bool flush_posted = false;     // by a member still in the group
};

Service::CommitGroup& Service::ThreadGroup() {
  thread_local std::vector<std::pair<const Service*, std::unique_ptr<CommitGroup>>> groups;
  for (auto& [service, group] : groups) {
    if (service == this) return *group;
  }
  groups.emplace_back(this, std::make_unique<CommitGroup>());
  return *groups.back().second;
}

void Service::FlushGroup(CommitGroup& group, Client* keep) {
  if (!group.op) return;
  std::unique_ptr<kv::Op> op = std::move(group.op);
  std::vector<Client*> members = std::move(group.members);
  group.members.clear();
  group.commands = 0;
  group.flush_posted = false;
  Status status = op->Commit();
  bool sync = op->needs_sync();
  for (Client* member : members) {
    sync = sync || member->needs_sync;
    member->needs_sync = false;
    member->in_group = false;
  }
  if (status.ok() && sync) status = keyspace_->SyncWal();
  if (!status.ok()) {
    base::LogError("commit failed, dropping {} connection(s): {}", members.size(),
                   status.ToString());
    for (Client* member : members) {
      member->held.clear();
      if (member == keep) {
        member->batch_failed = true;
      } else if (auto connection = member->connection.lock()) {
        connection->Close();
      }
    }
    return;
  }
  const std::vector<std::pair<int, std::string>> pushed = op->TakePushedKeys();
  op.reset();  // releases the locks before blocked clients retry
  SignalPushed(pushed);
  for (Client* member : members) {
    if (member == keep || member->held.empty()) continue;
    if (auto connection = member->connection.lock()) connection->Write(member->held);
    member->held.clear();
  }
  net::FlushWrites();  // the group's replies leave together, in one system call
}

bool Service::FinishBatch(Client& client) {
  FlushGroup(ThreadGroup(), &client);
  return !client.batch_failed;
}

void Service::ScheduleFlush(Client& client) {
  CommitGroup& group = ThreadGroup();
  if (group.flush_posted || !group.op) return;
  auto connection = client.connection.lock();
  if (!connection) return FlushGroup(group, nullptr);
  group.flush_posted = true;
  connection->Post([this] { FlushGroup(ThreadGroup(), nullptr); });
}

void Service::LeaveGroup(Client& client) {
  if (!client.in_group) return;
  FlushGroup(ThreadGroup(), nullptr);
  client.held.clear();
  client.batch_failed = false;
}

// Keyed commands join the thread's commit group (see CommitGroup); before any command without
// keys, an exclusive one, or one that must not run inside MULTI (WATCH, EXEC), the group
// commits first. Each command stays atomic: its keys are locked from before it runs until the
// group commits.
void Service::Dispatch(Client& client, const CommandSpec& spec,
                       std::span<const std::string_view> args, int64_t now_ms,
                       std::string* output) {
  const size_t group_commands_max =
      options_.threads == 1 ? kGroupCommandsOneLoopMax : kGroupCommandsSharedMax;
  Reply reply(output, client.protocol);
  // Scratch reused by every command of the thread (Dispatch never runs inside Dispatch).
  thread_local std::vector<size_t> indexes;
  thread_local std::vector<kv::KeyRef> keys;
  indexes.clear();
  keys.clear();
  const bool exclusive = (spec.flags & kExclusive) != 0;
  if (!exclusive) KeyIndexes(spec, args, &indexes);
  CommitGroup& group = ThreadGroup();
  if (exclusive || indexes.empty() || (spec.flags & kNoMulti) != 0 ||
      group.commands >= group_commands_max) {
    if (!FinishBatch(client)) return;
  }
  if (exclusive) {
    std::unique_ptr<kv::Op> op = keyspace_->BeginExclusive(/*defer_sync=*/true);
    const size_t reply_start = output->size();
    CommandContext context{args, reply, client, *this, op.get(), spec};
    spec.function(context);
    const Status committed = op->Commit();
    if (op->needs_sync()) client.needs_sync = true;
    if (!committed.ok()) {
      output->resize(reply_start);
      context.StorageError(committed);
    }
    return;
  }
  if (indexes.empty()) {
    CommandContext context{args, reply, client, *this, nullptr, spec};
    spec.function(context);
    return;
  }
  for (size_t index : indexes) keys.push_back({client.db, args[index]});
  if (spec.other_db_keys != nullptr) spec.other_db_keys(args, &keys);
  if (group.op && !group.op->TryLock(keys)) {
    if (!FinishBatch(client)) return;
  }
  if (!group.op) {
    group.op = keyspace_->Begin(keys, /*defer_sync=*/true);
  } else {
    group.op->SetClock(now_ms);
  }
  if (!client.in_group) {
    client.in_group = true;
    group.members.push_back(&client);
  }
  CommandContext context{args, reply, client, *this, group.op.get(), spec};
  spec.function(context);
  ++group.commands;
}

namespace {

std::string BlockKey(int db, std::string_view key) {
  std::string text(1, static_cast<char>(db));
  text.append(key);
  return text;
}

}  // namespace

void Service::BlockClient(Client& client, std::span<const std::string_view> args,
                          const std::vector<std::string_view>& keys, uint64_t timeout_ms) {
  client.blocked_args.assign(args.begin(), args.end());
  const uint64_t generation = client.block_generation;
  {
    std::lock_guard<std::mutex> lock(blocked_mutex_);
    for (std::string_view key : keys) {
      blocked_.emplace(BlockKey(client.db, key), Waiter{&client, generation, client.connection});
      blocked_count_.fetch_add(1);
    }
  }
  if (timeout_ms > 0) {
    if (auto connection = client.connection.lock()) {
      Client* target = &client;
      const uint32_t delay_ms = static_cast<uint32_t>(std::min<uint64_t>(timeout_ms, UINT32_MAX));
      connection->PostAfter(delay_ms,
                            [this, target, generation] { TimeoutBlocked(target, generation); });
    }
  }
}

void Service::UnblockClient(Client& client) {
  if (client.blocked_args.empty()) return;
  client.blocked_args.clear();
  ++client.block_generation;
  std::lock_guard<std::mutex> lock(blocked_mutex_);
  for (auto it = blocked_.begin(); it != blocked_.end();) {
    if (it->second.client == &client) {
      it = blocked_.erase(it);
      blocked_count_.fetch_sub(1);
    } else {
      ++it;
    }
  }
}

void Service::SignalPushed(const std::vector<std::pair<int, std::string>>& keys) {
  if (blocked_count_.load() == 0) return;
  for (const auto& [db, key] : keys) SignalKeys(db, {key});
}

void Service::SignalKeys(int db, const std::vector<std::string_view>& keys) {
  std::vector<Waiter> woken;
  {
    std::lock_guard<std::mutex> lock(blocked_mutex_);
    for (std::string_view key : keys) {
      auto [begin, end] = blocked_.equal_range(BlockKey(db, key));
      for (auto it = begin; it != end; ++it) woken.push_back(it->second);
    }
  }
  for (const Waiter& waiter : woken) {
    if (auto connection = waiter.connection.lock()) {
      Client* client = waiter.client;
      const uint64_t generation = waiter.generation;
      connection->Post([this, client, generation] { RetryBlocked(client, generation); });
    }
  }
}

// On the client's thread: run the blocked command again; reply and resume when it found data.
void Service::RetryBlocked(Client* client, uint64_t generation) {
  if (client->blocked_args.empty() || client->block_generation != generation) return;
  const std::vector<std::string> args = client->blocked_args;
  const std::vector<std::string_view> views(args.begin(), args.end());
  const CommandSpec* spec = FindCommand(ToLower(views[0]));
  PLEXUS_ASSERT(spec != nullptr);
  std::string output;
  client->block_retry = true;
  client->still_blocked = false;
  Dispatch(*client, *spec, views, kv::NowMs(), &output);
  client->block_retry = false;
  if (!FinishBatch(*client)) {
    client->batch_failed = false;
    if (auto connection = client->connection.lock()) connection->Close();
    return;
  }
  if (client->still_blocked) {
    client->still_blocked = false;
    return;  // someone else took the element first: keep waiting
  }
  UnblockClient(*client);
  auto connection = client->connection.lock();
  if (!connection) return;
  if (client->needs_sync) {
    client->needs_sync = false;
    const Status synced = keyspace_->SyncWal();
    if (!synced.ok()) {
      base::LogError("WAL sync failed, dropping connection {}: {}", client->id, synced.ToString());
      connection->Close();
      return;
    }
  }
  connection->Send(std::move(output));
  connection->Resume();
}

void Service::TimeoutBlocked(Client* client, uint64_t generation) {
  if (client->blocked_args.empty() || client->block_generation != generation) return;
  UnblockClient(*client);
  auto connection = client->connection.lock();
  if (!connection) return;
  std::string output;
  Reply(&output, client->protocol).NullArray();
  connection->Send(std::move(output));
  connection->Resume();
}

size_t Service::Subscribe(Client& client, std::string_view channel, bool pattern) {
  std::set<std::string>& mine = pattern ? client.patterns : client.channels;
  mine.emplace(channel);
  std::lock_guard<std::mutex> lock(pubsub_mutex_);
  auto& registry = pattern ? patterns_ : channels_;
  registry[std::string(channel)][client.id] = Subscriber{client.protocol, client.connection};
  return client.channels.size() + client.patterns.size();
}

size_t Service::Unsubscribe(Client& client, std::string_view channel, bool pattern) {
  std::set<std::string>& mine = pattern ? client.patterns : client.channels;
  mine.erase(std::string(channel));
  std::lock_guard<std::mutex> lock(pubsub_mutex_);
  auto& registry = pattern ? patterns_ : channels_;
  auto it = registry.find(std::string(channel));
  if (it != registry.end()) {
    it->second.erase(client.id);
    if (it->second.empty()) registry.erase(it);
  }
  return client.channels.size() + client.patterns.size();
}

int64_t Service::Publish(std::string_view channel, std::string_view message) {
  std::vector<std::pair<std::shared_ptr<net::Connection>, std::string>> deliveries;
  {
    std::lock_guard<std::mutex> lock(pubsub_mutex_);
    auto it = channels_.find(std::string(channel));
    if (it != channels_.end()) {
      for (const auto& [id, subscriber] : it->second) {
        auto connection = subscriber.connection.lock();
        if (!connection) continue;
        std::string bytes;
        Reply reply(&bytes, subscriber.protocol);
        reply.Push(3);
        reply.Bulk("message");
        reply.Bulk(channel);
        reply.Bulk(message);
        deliveries.emplace_back(std::move(connection), std::move(bytes));
      }
    }
    for (const auto& [pattern, subscribers] : patterns_) {
      if (!GlobMatch(pattern, channel)) continue;
      for (const auto& [id, subscriber] : subscribers) {
        auto connection = subscriber.connection.lock();
        if (!connection) continue;
        std::string bytes;
        Reply reply(&bytes, subscriber.protocol);
        reply.Push(4);
        reply.Bulk("pmessage");
        reply.Bulk(pattern);
        reply.Bulk(channel);
        reply.Bulk(message);
        deliveries.emplace_back(std::move(connection), std::move(bytes));
      }
    }
  }
  for (auto& [connection, bytes] : deliveries) connection->Send(std::move(bytes));
  return static_cast<int64_t>(deliveries.size());
}

std::vector<std::string> Service::ActiveChannels(std::string_view pattern) {
  std::lock_guard<std::mutex> lock(pubsub_mutex_);
  std::vector<std::string> names;
  for (const auto& [name, subscribers] : channels_) {
    if (pattern.empty() || GlobMatch(pattern, name)) names.push_back(name);
  }
  return names;
}

int64_t Service::SubscriberCount(std::string_view channel) {
  std::lock_guard<std::mutex> lock(pubsub_mutex_);
  auto it = channels_.find(std::string(channel));
  return it == channels_.end() ? 0 : static_cast<int64_t>(it->second.size());
}

int64_t Service::PatternCount() {
  std::lock_guard<std::mutex> lock(pubsub_mutex_);
  return static_cast<int64_t>(patterns_.size());
}

}  // namespace plexus::server::resp
