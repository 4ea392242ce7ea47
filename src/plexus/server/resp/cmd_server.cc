// Server commands: INFO DBSIZE FLUSHDB FLUSHALL TIME LASTSAVE SAVE BGSAVE COMMAND CONFIG.
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "plexus/base/logging.h"
#include "plexus/server/resp/errors.h"
#include "plexus/server/resp/glob.h"
#include "plexus/server/resp/notify.h"
#include "plexus/server/resp/service.h"

namespace plexus::server::resp {
namespace {

void DbSize(CommandContext& c) {
  // Inside MULTI the op holds the transaction's earlier writes.
  c.reply.Integer(c.op ? c.op->KeyCount(c.db()) : c.service.keyspace()->KeyCount(c.db()));
}

bool ParseFlushMode(CommandContext& c) {
  if (c.argc() == 1) return true;
  if (c.argc() == 2 &&
      (EqualsIgnoreCase(c.arg(1), "async") || EqualsIgnoreCase(c.arg(1), "sync"))) {
    return true;
  }
  c.Error(errors::kSyntax);
  return false;
}

void FlushDb(CommandContext& c) {
  if (!ParseFlushMode(c)) return;
  const Status status = c.service.keyspace()->Flush(c.op, c.db());
  if (!status.ok()) return c.StorageError(status);
  c.reply.Ok();
}

void FlushAll(CommandContext& c) {
  if (!ParseFlushMode(c)) return;
  const Status status = c.service.keyspace()->Flush(c.op, -1);
  if (!status.ok()) return c.StorageError(status);
  c.reply.Ok();
}

void Time(CommandContext& c) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const int64_t micros = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  c.reply.Array(2);
  c.reply.Bulk(std::to_string(micros / 1'000'000));
  c.reply.Bulk(std::to_string(micros % 1'000'000));
}

// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: stops the server as SIGTERM does (plexus serve
// takes the signal with sigwait, stops the front ends, closes the store). Every acknowledged
// write is already in the WAL, so SAVE and NOSAVE are the same; ABORT has nothing to abort.
void Shutdown(CommandContext& c) {
  for (size_t i = 1; i < c.argc(); ++i) {
    const std::string option = ToLower(c.arg(i));
    if (option == "abort") return c.Error("ERR There is no shutdown in progress.");
    if (option != "nosave" && option != "save" && option != "now" && option != "force") {
      return c.Error(errors::kSyntax);
    }
  }
  base::LogInfo("SHUTDOWN requested by client {} ({})", c.client.id, c.client.peer);
  c.client.close_after_reply = true;  // Redis closes the connection without a reply
  kill(getpid(), SIGTERM);
}

void LastSave(CommandContext& c) { c.reply.Integer(c.service.persistence().last_save_s); }

// SAVE: a checkpoint (checkpoints.cc) on this thread, as Redis's SAVE blocks.
void Save(CommandContext& c) {
  const Status status = c.service.Save();
  if (status.code() == StatusCode::kBusy) return c.Error("ERR " + std::string(status.message()));
  if (!status.ok()) return c.StorageError(status);
  c.reply.Ok();
}

// BGSAVE [SCHEDULE]: the checkpoint on a thread of its own.
void BgSave(CommandContext& c) {
  if (c.argc() > 2 || (c.argc() == 2 && !EqualsIgnoreCase(c.arg(1), "schedule"))) {
    return c.Error(errors::kSyntax);
  }
  if (!c.service.StartBackgroundSave()) {
    return c.Error("ERR Background save already in progress");
  }
  c.reply.Simple("Background saving started");
}

std::string InfoText(Service& service, std::string_view section) {
  const bool all =
      section.empty() || section == "all" || section == "everything" || section == "default";
  const int64_t now = kv::NowMs();
  const int64_t uptime_s = (now - service.started_ms()) / 1000;
  std::string text;
  auto wants = [&](std::string_view name) { return all || section == name; };
  if (wants("server")) {
    text +=
        "# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\nos:Linux\r\n"
        "arch_bits:64\r\nprocess_id:" +
        std::to_string(getpid()) + "\r\ntcp_port:" + std::to_string(service.options().port) +
        "\r\nuptime_in_seconds:" + std::to_string(uptime_s) +
        "\r\nuptime_in_days:" + std::to_string(uptime_s / 86400) +
        "\r\nexecutable:plexus\r\nconfig_file:\r\nplexus_server:1\r\n\r\n";
  }
  if (wants("clients")) {
    text += "# Clients\r\nconnected_clients:" + std::to_string(service.client_count()) +
            "\r\nmaxclients:10000\r\nblocked_clients:0\r\n\r\n";
  }
  if (wants("memory")) {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const int64_t rss = static_cast<int64_t>(usage.ru_maxrss) * 1024;
    text += "# Memory\r\nused_memory:" + std::to_string(rss) +
            "\r\nused_memory_rss:" + std::to_string(rss) +
            "\r\nmaxmemory:0\r\n"
            "maxmemory_policy:noeviction\r\n\r\n";
  }
  if (wants("persistence")) {
    const Service::PersistenceState state = service.persistence();
    text += "# Persistence\r\nloading:0\r\nrdb_changes_since_last_save:" +
            std::to_string(state.changes_since_save) +
            "\r\nrdb_bgsave_in_progress:" + (state.in_progress ? "1" : "0") +
            "\r\nrdb_last_save_time:" + std::to_string(state.last_save_s) +
            "\r\nrdb_last_bgsave_status:" + (state.last_ok ? "ok" : "err") +
            "\r\naof_enabled:1\r\naof_rewrite_in_progress:0\r\naof_last_write_status:ok"
            "\r\nplexus_last_checkpoint:" +
            state.last_directory + "\r\n\r\n";
  }
  if (wants("stats")) {
    text += "# Stats\r\ntotal_connections_received:" +
            std::to_string(service.connections_received.load()) +
            "\r\ntotal_commands_processed:" + std::to_string(service.commands_processed.load()) +
            "\r\nrejected_connections:" + std::to_string(service.rejected_connections.load()) +
            "\r\nexpired_keys:" + std::to_string(service.keyspace()->expired_count()) +
            "\r\nevicted_keys:0\r\nkeyspace_hits:" + std::to_string(service.keyspace_hits.load()) +
            "\r\nkeyspace_misses:" + std::to_string(service.keyspace_misses.load()) + "\r\n\r\n";
  }
  if (wants("replication")) text += "# Replication\r\nrole:master\r\nconnected_slaves:0\r\n\r\n";
  if (wants("keyspace")) {
    text += "# Keyspace\r\n";
    for (int db = 0; db < kv::kDatabaseCount; ++db) {
      const int64_t keys = service.keyspace()->KeyCount(db);
      if (keys > 0) {
        text += "db" + std::to_string(db) + ":keys=" + std::to_string(keys) +
                ",expires=0,avg_ttl=0\r\n";
      }
    }
    text += "\r\n";
  }
  if (text.size() >= 2) text.resize(text.size() - 2);  // no blank line after the last section
  return text;
}

void Info(CommandContext& c) {
  std::string section = c.argc() >= 2 ? ToLower(c.arg(1)) : "";
  c.reply.Verbatim(InfoText(c.service, section));
}

// ---- COMMAND ----

void FlagNames(uint32_t flags, std::vector<std::string_view>* names) {
  if (flags & kWrite) names->push_back("write");
  if (flags & kReadOnly) names->push_back("readonly");
  if (flags & kAdmin) names->push_back("admin");
  if (flags & kPubSub) names->push_back("pubsub");
  if (flags & kNoAuth) names->push_back("no_auth");
  if (flags & kLoading) names->push_back("loading");
  if (flags & kStale) names->push_back("stale");
  if (flags & kFast) names->push_back("fast");
}

void CommandInfo(Reply& reply, const CommandSpec& spec) {
  reply.Array(10);
  reply.Bulk(spec.name);
  reply.Integer(spec.arity);
  std::vector<std::string_view> flags;
  FlagNames(spec.flags, &flags);
  reply.Set(flags.size());
  for (std::string_view flag : flags) reply.Simple(flag);
  reply.Integer(spec.first_key);
  reply.Integer(spec.first_key == 0 ? 0 : spec.last_key);
  reply.Integer(spec.first_key == 0 ? 0 : spec.key_step);
  reply.Set(0);    // ACL categories
  reply.Set(0);    // tips
  reply.Array(0);  // key specs
  reply.Array(0);  // subcommands
}

void Command(CommandContext& c) {
  const auto& all = AllCommands();
  if (c.argc() == 1) {
    c.reply.Array(all.size());
    for (const CommandSpec& spec : all) CommandInfo(c.reply, spec);
    return;
  }
  const std::string sub = ToLower(c.arg(1));
  if (sub == "count" && c.argc() == 2) return c.reply.Integer(static_cast<int64_t>(all.size()));
  if (sub == "info") {
    if (c.argc() == 2) {
      c.reply.Array(all.size());
      for (const CommandSpec& spec : all) CommandInfo(c.reply, spec);
      return;
    }
    c.reply.Array(c.argc() - 2);
    for (size_t i = 2; i < c.argc(); ++i) {
      const CommandSpec* spec = FindCommand(ToLower(c.arg(i)));
      if (spec == nullptr) {
        c.reply.NullArray();
      } else {
        CommandInfo(c.reply, *spec);
      }
    }
    return;
  }
  if (sub == "docs") {
    // Enough for redis-cli: a (possibly empty) map of command name to its documentation.
    std::vector<const CommandSpec*> specs;
    if (c.argc() == 2) {
      for (const CommandSpec& spec : all) specs.push_back(&spec);
    } else {
      for (size_t i = 2; i < c.argc(); ++i) {
        if (const CommandSpec* spec = FindCommand(ToLower(c.arg(i)))) specs.push_back(spec);
      }
    }
    c.reply.Map(specs.size());
    for (const CommandSpec* spec : specs) {
      c.reply.Bulk(spec->name);
      c.reply.Map(2);
      c.reply.Bulk("summary");
      c.reply.Bulk("");
      c.reply.Bulk("group");
      c.reply.Bulk("generic");
    }
    return;
  }
  if (sub == "getkeys" && c.argc() >= 3) {
    const CommandSpec* spec = FindCommand(ToLower(c.arg(2)));
    if (spec == nullptr) return c.Error("ERR Invalid command specified");
    std::vector<size_t> indexes;
    KeyIndexes(*spec, c.args.subspan(2), &indexes);
    if (indexes.empty()) return c.Error("ERR The command has no key arguments");
    c.reply.Array(indexes.size());
    for (size_t index : indexes) c.reply.Bulk(c.arg(index + 2));
    return;
  }
  if (sub == "list") {
    c.reply.Array(all.size());
    for (const CommandSpec& spec : all) c.reply.Bulk(spec.name);
    return;
  }
  c.Error("ERR unknown subcommand '" + std::string(c.arg(1).substr(0, 128)) +
          "'. Try COMMAND HELP.");
}

// ---- CONFIG ----

struct ConfigParameter {
  std::string_view name;
  std::string (*get)(Service& service);
  // Null when read-only; returns an error text or "".
  std::string (*set)(Service& service, std::string_view value);
};

const ConfigParameter kParameters[] = {
    {"requirepass", [](Service& s) { return s.requirepass(); },
     [](Service& s, std::string_view v) {
       s.set_requirepass(std::string(v));
       return std::string();
     }},
    {"proto-max-bulk-len", [](Service& s) { return std::to_string(s.bulk_bytes_max()); },
     [](Service& s, std::string_view v) {
       int64_t value = 0;
       if (!ParseInt64(v, &value) || value < static_cast<int64_t>(kBulkBytesMaxMin) ||
           static_cast<uint64_t>(value) > kBulkBytesMaxMax) {
         return std::string("argument must be a memory value");
       }
       s.set_bulk_bytes_max(static_cast<uint64_t>(value));
       return std::string();
     }},
    {"databases", [](Service&) { return std::to_string(kv::kDatabaseCount); }, nullptr},
    {"port", [](Service& s) { return std::to_string(s.options().port); }, nullptr},
    {"bind", [](Service& s) { return s.options().address; }, nullptr},
    {"unixsocket", [](Service& s) { return s.options().unixsocket; }, nullptr},
    {"dir", [](Service& s) { return s.options().data_dir; }, nullptr},
    {"maxclients", [](Service&) { return std::string("10000"); }, nullptr},
    {"timeout", [](Service&) { return std::string("0"); }, nullptr},
    {"appendonly", [](Service&) { return std::string("yes"); }, nullptr},
    {"save", [](Service&) { return std::string(""); }, nullptr},
    {"maxmemory", [](Service&) { return std::string("0"); }, nullptr},
    {"maxmemory-policy", [](Service&) { return std::string("noeviction"); }, nullptr},
    {"notify-keyspace-events", [](Service& s) { return FormatNotifyFlags(s.notify_flags()); },
     [](Service& s, std::string_view v) {
       const std::optional<uint32_t> flags = ParseNotifyFlags(v);
       if (!flags) return std::string("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
       s.set_notify_flags(*flags);
       return std::string();
     }},
};

void ConfigGet(CommandContext& c) {
  std::vector<const ConfigParameter*> found;
  for (size_t i = 2; i < c.argc(); ++i) {
    for (const ConfigParameter& parameter : kParameters) {
      if (GlobMatch(c.arg(i), parameter.name, true) &&
          std::find(found.begin(), found.end(), &parameter) == found.end()) {
        found.push_back(&parameter);
      }
    }
  }
  c.reply.Map(found.size());
  for (const ConfigParameter* parameter : found) {
    c.reply.Bulk(parameter->name);
    c.reply.Bulk(parameter->get(c.service));
  }
}

void ConfigSet(CommandContext& c) {
  if (c.argc() < 4 || c.argc() % 2 != 0) {
    return c.Error("ERR wrong number of arguments for 'config|set' command");
  }
  for (size_t i = 2; i < c.argc(); i += 2) {
    const ConfigParameter* match = nullptr;
    for (const ConfigParameter& parameter : kParameters) {
      if (EqualsIgnoreCase(c.arg(i), parameter.name)) match = &parameter;
    }
    if (match == nullptr) {
      return c.Error("ERR Unknown option or number of arguments for CONFIG SET - '" +
                     std::string(c.arg(i)) + "'");
    }
    if (match->set == nullptr) {
      return c.Error("ERR CONFIG SET failed (possibly related to argument '" +
                     std::string(c.arg(i)) + "') - can't set immutable config");
    }
    const std::string error = match->set(c.service, c.arg(i + 1));
    if (!error.empty()) {
      return c.Error("ERR CONFIG SET failed (possibly related to argument '" +
                     std::string(c.arg(i)) + "') - " + error);
    }
  }
  c.reply.Ok();
}

void Config(CommandContext& c) {
  const std::string sub = ToLower(c.arg(1));
  if (sub == "get") {
    if (c.argc() < 3) return c.Error("ERR wrong number of arguments for 'config|get' command");
    return ConfigGet(c);
  }
  if (sub == "set") return ConfigSet(c);
  if (sub == "resetstat" && c.argc() == 2) {
    c.service.commands_processed = 0;
    c.service.keyspace_hits = 0;
    c.service.keyspace_misses = 0;
    return c.reply.Ok();
  }
  if (sub == "rewrite" && c.argc() == 2) return c.reply.Ok();
  c.Error("ERR unknown subcommand '" + std::string(c.arg(1).substr(0, 128)) +
          "'. Try CONFIG HELP.");
}

}  // namespace

void AddServerCommands(std::vector<CommandSpec>* table) {
  table->insert(table->end(), {
                                  {"dbsize", 1, kReadOnly | kFast, 0, 0, 0, DbSize},
                                  {"flushdb", -1, kWrite | kExclusive, 0, 0, 0, FlushDb},
                                  {"flushall", -1, kWrite | kExclusive, 0, 0, 0, FlushAll},
                                  {"time", 1, kFast | kLoading | kStale, 0, 0, 0, Time},
                                  {"lastsave", 1, kFast | kLoading | kStale, 0, 0, 0, LastSave},
      {"shutdown", -1, kAdmin | kNoMulti | kLoading | kStale, 0, 0, 0, Shutdown},
                                  {"save", 1, kAdmin | kNoMulti, 0, 0, 0, Save},
                                  {"bgsave", -1, kAdmin, 0, 0, 0, BgSave},
                                  {"info", -1, kLoading | kStale, 0, 0, 0, Info},
                                  {"command", -1, kLoading | kStale, 0, 0, 0, Command},
                                  {"config", -2, kAdmin | kLoading | kStale, 0, 0, 0, Config},
                              });
}

}  // namespace plexus::server::resp
