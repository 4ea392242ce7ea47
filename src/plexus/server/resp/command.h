// The command table's vocabulary: a command's spec (name, arity, flags, key positions, function)
// and the context a command function runs in (arguments, reply, client, service, locked op).
// One file per command family (cmd_string.cc, cmd_hash.cc, ...) registers its specs.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/kv/keyspace.h"
#include "plexus/server/resp/reply.h"

namespace plexus::server::resp {

class Service;
struct Client;
struct CommandContext;

using CommandFunction = void (*)(CommandContext& context);

enum CommandFlag : uint32_t {
  kWrite = 1 << 0,
  kReadOnly = 1 << 1,
  kFast = 1 << 2,
  kAdmin = 1 << 3,
  kNoAuth = 1 << 4,     // allowed before AUTH
  kNoMulti = 1 << 5,    // runs at once even inside MULTI (EXEC, DISCARD, MULTI, WATCH...)
  kExclusive = 1 << 6,  // locks the whole keyspace (FLUSHDB, FLUSHALL, SWAPDB)
  kPubSub = 1 << 7,
  kLoading = 1 << 8,
  kStale = 1 << 9,
  kAllowInSubscribe = 1 << 10,
};

struct CommandSpec {
  std::string_view name;  // lower case
  int arity;              // Redis's: N exact, -N at least N (the name counts)
  uint32_t flags;
  int first_key;  // 0: no keys
  int last_key;   // -1: the last argument, -2: the one before
  int key_step;
  CommandFunction function;
  // Keys that positions cannot describe (ZUNIONSTORE's numkeys): appends argument indexes.
  void (*extra_keys)(std::span<const std::string_view> args, std::vector<size_t>* keys) = nullptr;
  // Keys of other databases the command writes (COPY ... DB n): appended to what it locks.
  void (*other_db_keys)(std::span<const std::string_view> args,
                        std::vector<kv::KeyRef>* keys) = nullptr;
};

struct CommandContext {
  std::span<const std::string_view> args;
  Reply& reply;
  Client& client;
  Service& service;
  kv::Op* op;  // holds the locks of the command's keys; null for commands without keys
  const CommandSpec& spec;

  std::string_view arg(size_t i) const { return args[i]; }
  size_t argc() const { return args.size(); }
  int db() const;
  void Error(std::string_view message) { reply.Error(message); }
  // Replies with the error of a failed storage call (as "ERR <message>").
  void StorageError(const Status& status);
  // A keyspace notification (notify.h's classes) for `key` of the client's database, or `db`.
  void Notify(uint32_t type, std::string_view event, std::string_view key);
  void Notify(uint32_t type, std::string_view event, int db, std::string_view key);
};

// Argument parsing, as Redis's string2ll / strtold checks: no spaces, no '+', nothing after.
bool ParseInt64(std::string_view text, int64_t* value);
bool ParseDouble(std::string_view text, double* value);
// ASCII case-insensitive equality with a lower-case literal.
bool EqualsIgnoreCase(std::string_view text, std::string_view lower);
std::string ToLower(std::string_view text);

// Each family's specs; command_table.cc gathers them.
void AddConnectionCommands(std::vector<CommandSpec>* table);
void AddServerCommands(std::vector<CommandSpec>* table);
void AddStringCommands(std::vector<CommandSpec>* table);
void AddKeyCommands(std::vector<CommandSpec>* table);
void AddHashCommands(std::vector<CommandSpec>* table);
void AddSetCommands(std::vector<CommandSpec>* table);
void AddZSetCommands(std::vector<CommandSpec>* table);
void AddZSetCombineCommands(std::vector<CommandSpec>* table);  // cmd_zset_combine.cc
void AddListCommands(std::vector<CommandSpec>* table);
void AddTransactionCommands(std::vector<CommandSpec>* table);
void AddPubSubCommands(std::vector<CommandSpec>* table);
void AddAclCommands(std::vector<CommandSpec>* table);

// The command table, looked up by lower-case name. Null when unknown.
const CommandSpec* FindCommand(std::string_view name);
const std::vector<CommandSpec>& AllCommands();
// Indexes of the key arguments of a call of `spec` (for locks, WATCH and COMMAND GETKEYS).
void KeyIndexes(const CommandSpec& spec, std::span<const std::string_view> args,
                std::vector<size_t>* keys);

}  // namespace plexus::server::resp
