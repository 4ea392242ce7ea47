// Transactions: MULTI EXEC DISCARD WATCH UNWATCH, optimistic as Redis defines them. EXEC locks
// the keys of every queued command at once and runs them in one op, so the block is atomic
// (no other command sees part of it) and reaches the WAL as one write. WATCH remembers the
// version of each watched key's lock stripe; a committed write to the stripe since then makes
// EXEC fail (a write to another key of the same stripe does too: rare, and allowed, since an
// optimistic transaction may always be retried).
#include <algorithm>

#include "plexus/base/assert.h"
#include "plexus/server/resp/cmd_util.h"
#include "plexus/server/resp/service.h"

namespace plexus::server::resp {
namespace {

void ClearMulti(Client& client) {
  client.in_multi = false;
  client.multi_failed = false;
  client.queued.clear();
  client.watched.clear();
}

void Multi(CommandContext& c) {
  if (c.client.in_multi) return c.Error(errors::kMultiNested);
  c.client.in_multi = true;
  c.client.multi_failed = false;
  c.client.queued.clear();
  c.reply.Ok();
}

void Discard(CommandContext& c) {
  if (!c.client.in_multi) return c.Error(errors::kDiscardWithoutMulti);
  ClearMulti(c.client);
  c.reply.Ok();
}

void Watch(CommandContext& c) {
  if (c.client.in_multi) return c.Error(errors::kWatchInMulti);
  for (size_t i = 1; i < c.argc(); ++i) {
    c.client.watched.push_back(
        {c.db(), std::string(c.arg(i)), c.service.keyspace()->StripeVersion(c.db(), c.arg(i))});
  }
  c.reply.Ok();
}

void Unwatch(CommandContext& c) {
  c.client.watched.clear();
  c.reply.Ok();
}

void Exec(CommandContext& c) {
  if (!c.client.in_multi) return c.Error(errors::kExecWithoutMulti);
  if (c.client.multi_failed) {
    ClearMulti(c.client);
    return c.Error(errors::kExecAbort);
  }
  ExecuteTransaction(c.service, c.client, c.reply);
}

}  // namespace

void ExecuteTransaction(Service& service, Client& client, Reply& reply) {
  std::vector<std::vector<std::string>> queued = std::move(client.queued);
  const std::vector<WatchedKey> watched = std::move(client.watched);
  ClearMulti(client);
  // Views of the queued arguments and each command's spec; keys of every command.
  std::vector<std::vector<std::string_view>> calls;
  std::vector<const CommandSpec*> specs;
  std::vector<kv::KeyRef> keys;
  bool exclusive = false;
  for (const auto& args : queued) {
    calls.emplace_back(args.begin(), args.end());
    const CommandSpec* spec = FindCommand(ToLower(args[0]));
    PLEXUS_ASSERT(spec != nullptr);  // queued only after lookup
    specs.push_back(spec);
    // SELECT inside the block changes the database of the keys that follow: lock everything.
    exclusive = exclusive || (spec->flags & kExclusive) != 0 || spec->name == "select";
    std::vector<size_t> indexes;
    KeyIndexes(*spec, calls.back(), &indexes);
    for (size_t index : indexes) keys.push_back({client.db, calls.back()[index]});
    if (spec->other_db_keys != nullptr) spec->other_db_keys(calls.back(), &keys);
  }
  std::unique_ptr<kv::Op> op =
      exclusive ? service.keyspace()->BeginExclusive(true) : service.keyspace()->Begin(keys, true);
  // Checked under the locks: no write to a watched key can slip in between.
  for (const WatchedKey& key : watched) {
    if (service.keyspace()->StripeVersion(key.db, key.key) != key.stripe_version) {
      return reply.NullArray();
    }
  }
  std::string* output = reply.buffer();
  const size_t start = output->size();
  reply.Array(calls.size());
  client.in_exec = true;
  for (size_t i = 0; i < calls.size(); ++i) {
    Reply inner(output, client.protocol);
    CommandContext context{calls[i], inner, client, service, op.get(), *specs[i]};
    specs[i]->function(context);
  }
  client.in_exec = false;
  const Status committed = op->Commit();
  if (op->needs_sync()) client.needs_sync = true;
  if (!committed.ok()) {
    output->resize(start);
    reply.Error("ERR " + std::string(committed.message()));
    return;
  }
  const std::vector<std::pair<int, std::string>> pushed = op->TakePushedKeys();
  op.reset();  // releases the locks before blocked clients retry
  service.SignalPushed(pushed);
}

void AddTransactionCommands(std::vector<CommandSpec>* table) {
  const uint32_t flags = kNoMulti | kFast | kLoading | kStale;
  table->insert(table->end(), {
                                  {"multi", 1, flags, 0, 0, 0, Multi},
                                  {"exec", 1, kNoMulti | kLoading | kStale, 0, 0, 0, Exec},
                                  {"discard", 1, flags, 0, 0, 0, Discard},
                                  {"watch", -2, flags, 1, -1, 1, Watch},
                                  {"unwatch", 1, flags, 0, 0, 0, Unwatch},
                              });
}

}  // namespace plexus::server::resp
