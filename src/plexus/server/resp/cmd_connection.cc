// Connection commands: PING ECHO QUIT RESET SELECT HELLO AUTH CLIENT.
#include "plexus/server/resp/errors.h"
#include "plexus/server/resp/service.h"

namespace plexus::server::resp {
namespace {

constexpr std::string_view kRedisVersion = "7.0.15";

void Ping(CommandContext& c) {
  if (c.argc() > 2) {
    c.Error("ERR wrong number of arguments for 'ping' command");
  } else if (c.client.subscribed() && c.reply.protocol() == 2) {
    c.reply.Array(2);
    c.reply.Bulk("pong");
    c.reply.Bulk(c.argc() == 2 ? c.arg(1) : "");
  } else if (c.argc() == 2) {
    c.reply.Bulk(c.arg(1));
  } else {
    c.reply.Simple("PONG");
  }
}

void Echo(CommandContext& c) { c.reply.Bulk(c.arg(1)); }

void Quit(CommandContext& c) {
  c.reply.Ok();
  c.client.close_after_reply = true;
}

void Reset(CommandContext& c) {
  c.client.db = 0;
  c.client.protocol = 2;
  c.client.in_multi = false;
  c.client.multi_failed = false;
  c.client.queued.clear();
  c.client.watched.clear();
  c.client.name.clear();
  c.client.authenticated = !c.service.acl().DefaultNeedsAuth();
  c.client.user = "default";
  Reply(c.reply.buffer(), 2).Simple("RESET");
}

void Select(CommandContext& c) {
  int64_t index = 0;
  if (!ParseInt64(c.arg(1), &index)) return c.Error(errors::kNotInteger);
  if (index < 0 || index >= kDatabaseCount) return c.Error(errors::kDbIndexOutOfRange);
  c.client.db = static_cast<int>(index);
  c.reply.Ok();
}

// Checks credentials against the ACL users (a "nopass" user accepts any password).
bool CheckCredentials(Service& service, std::string_view user, std::string_view password) {
  return service.acl().Authenticate(user, password);
}

void Auth(CommandContext& c) {
  if (c.argc() > 3) return c.Error(errors::kSyntax);
  std::string_view user = "default";
  std::string_view password = c.arg(1);
  if (c.argc() == 3) {
    user = c.arg(1);
    password = c.arg(2);
  } else if (!c.service.acl().DefaultNeedsAuth()) {
    return c.Error(errors::kAuthWithoutPassword);
  }
  if (!CheckCredentials(c.service, user, password)) return c.Error(errors::kWrongPass);
  c.client.authenticated = true;
  c.client.user = std::string(user);
  c.reply.Ok();
}

bool ValidClientName(std::string_view name) {
  for (char ch : name) {
    if (ch < '!' || ch > '~') return false;  // no spaces, newlines or special characters
  }
  return true;
}

void Hello(CommandContext& c) {
  int protocol = c.client.protocol;
  size_t i = 1;
  if (c.argc() >= 2) {
    int64_t version = 0;
    if (!ParseInt64(c.arg(1), &version)) {
      return c.Error("ERR Protocol version is not an integer or out of range");
    }
    if (version < 2 || version > 3) return c.Error(errors::kNoProto);
    protocol = static_cast<int>(version);
    i = 2;
  }
  std::string_view set_name;
  bool has_name = false;
  for (; i < c.argc(); ++i) {
    const bool more = i + 1 < c.argc();
    if (EqualsIgnoreCase(c.arg(i), "auth") && i + 2 < c.argc()) {
      if (!CheckCredentials(c.service, c.arg(i + 1), c.arg(i + 2))) {
        return c.Error(errors::kWrongPass);
      }
      c.client.authenticated = true;
      c.client.user = std::string(c.arg(i + 1));
      i += 2;
    } else if (EqualsIgnoreCase(c.arg(i), "setname") && more) {
      set_name = c.arg(i + 1);
      has_name = true;
      ++i;
    } else {
      return c.Error("ERR Syntax error in HELLO option '" + std::string(c.arg(i)) + "'");
    }
  }
  if (!c.client.authenticated) {
    return c.Error(
        "NOAUTH HELLO must be called with the client already authenticated, "
        "otherwise the HELLO <proto> AUTH <user> <pass> option can be used to "
        "authenticate the client and select the RESP protocol version at the same "
        "time");
  }
  if (has_name) {
    if (!ValidClientName(set_name)) {
      return c.Error("ERR Client names cannot contain spaces, newlines or special characters.");
    }
    c.client.name = std::string(set_name);
  }
  c.client.protocol = protocol;
  Reply reply(c.reply.buffer(), protocol);
  reply.Map(7);
  reply.Bulk("server");
  reply.Bulk("redis");
  reply.Bulk("version");
  reply.Bulk(kRedisVersion);
  reply.Bulk("proto");
  reply.Integer(protocol);
  reply.Bulk("id");
  reply.Integer(static_cast<int64_t>(c.client.id));
  reply.Bulk("mode");
  reply.Bulk("standalone");
  reply.Bulk("role");
  reply.Bulk("master");
  reply.Bulk("modules");
  reply.Array(0);
}

void ClientKill(CommandContext& c) {
  // CLIENT KILL addr (old form) or CLIENT KILL ID id / ADDR addr.
  if (c.argc() == 3) {
    const std::string list = c.service.ClientListText();
    // Find the client whose addr= matches.
    const std::string needle = "addr=" + std::string(c.arg(2)) + " ";
    const size_t at = list.find(needle);
    if (at == std::string::npos) return c.Error("ERR No such client");
    const size_t line = list.rfind("id=", at);
    const uint64_t id = std::stoull(list.substr(line + 3));
    c.service.KillClient(id);
    return c.reply.Ok();
  }
  if (c.argc() != 4) return c.Error(errors::kSyntax);
  if (EqualsIgnoreCase(c.arg(2), "id")) {
    int64_t id = 0;
    if (!ParseInt64(c.arg(3), &id) || id <= 0) {
      return c.Error("ERR client-id should be greater than 0");
    }
    return c.reply.Integer(c.service.KillClient(static_cast<uint64_t>(id)) ? 1 : 0);
  }
  if (EqualsIgnoreCase(c.arg(2), "addr")) {
    const std::string list = c.service.ClientListText();
    const std::string needle = "addr=" + std::string(c.arg(3)) + " ";
    const size_t at = list.find(needle);
    if (at == std::string::npos) return c.reply.Integer(0);
    const size_t line = list.rfind("id=", at);
    return c.reply.Integer(c.service.KillClient(std::stoull(list.substr(line + 3))) ? 1 : 0);
  }
  c.Error(errors::kSyntax);
}

void ClientCommand(CommandContext& c) {
  const std::string sub = ToLower(c.arg(1));
  const size_t argc = c.argc();
  if (sub == "id" && argc == 2) return c.reply.Integer(static_cast<int64_t>(c.client.id));
  if (sub == "getname" && argc == 2) {
    if (c.client.name.empty()) return c.reply.Null();
    return c.reply.Bulk(c.client.name);
  }
  if (sub == "setname" && argc == 3) {
    if (!ValidClientName(c.arg(2))) {
      return c.Error("ERR Client names cannot contain spaces, newlines or special characters.");
    }
    c.client.name = std::string(c.arg(2));
    return c.reply.Ok();
  }
  if (sub == "list") return c.reply.Verbatim(c.service.ClientListText());
  if (sub == "info" && argc == 2) {
    return c.reply.Verbatim(c.service.ClientListText(static_cast<int64_t>(c.client.id)));
  }
  if (sub == "kill" && argc >= 3) return ClientKill(c);
  if (sub == "setinfo" && argc == 4) return c.reply.Ok();
  if (sub == "no-evict" || sub == "no-touch") return c.reply.Ok();
  if (sub == "help") {
    c.reply.Array(1);
    return c.reply.Simple(
        "CLIENT <subcommand> [<arg> ...]. Subcommands are: ID GETNAME SETNAME "
        "LIST INFO KILL");
  }
  const bool known = sub == "id" || sub == "getname" || sub == "setname" || sub == "info" ||
                     sub == "kill" || sub == "setinfo";
  if (known) {
    return c.Error("ERR wrong number of arguments for 'client|" + sub + "' command");
  }
  c.Error("ERR unknown subcommand '" + std::string(c.arg(1).substr(0, 128)) +
          "'. Try CLIENT HELP.");
}

}  // namespace

void AddConnectionCommands(std::vector<CommandSpec>* table) {
  const uint32_t conn = kFast | kNoAuth | kLoading | kStale;
  table->insert(table->end(), {
                                  {"ping", -1, kFast | kAllowInSubscribe, 0, 0, 0, Ping},
                                  {"echo", 2, kFast, 0, 0, 0, Echo},
                                  {"quit", -1, conn | kAllowInSubscribe | kNoMulti, 0, 0, 0, Quit},
                                  {"reset", 1, conn | kAllowInSubscribe | kNoMulti, 0, 0, 0, Reset},
                                  {"select", 2, kFast | kLoading, 0, 0, 0, Select},
                                  {"auth", -2, conn | kNoMulti, 0, 0, 0, Auth},
                                  {"hello", -1, conn | kNoMulti, 0, 0, 0, Hello},
                                  {"client", -2, kLoading | kStale, 0, 0, 0, ClientCommand},
                              });
}

}  // namespace plexus::server::resp
