// ACL WHOAMI LIST USERS SETUSER GETUSER DELUSER CAT.
#include "plexus/server/resp/cmd_util.h"
#include "plexus/server/resp/service.h"

namespace plexus::server::resp {
namespace {

void AclGetUser(CommandContext& c) {
  AclUser user;
  if (!c.service.acl().GetUser(c.arg(2), &user)) return c.reply.Null();
  c.reply.Map(5);
  c.reply.Bulk("flags");
  std::vector<std::string_view> flags{user.enabled ? "on" : "off"};
  if (user.nopass) flags.push_back("nopass");
  c.reply.Array(flags.size());
  for (std::string_view flag : flags) c.reply.Bulk(flag);
  c.reply.Bulk("passwords");
  c.reply.Array(user.passwords.size());
  const std::string rules = Acl::DescribeRules(user);
  size_t at = 0;
  for (size_t i = 0; i < user.passwords.size(); ++i) {
    at = rules.find(" #", at);
    const size_t end = rules.find(' ', at + 2);
    c.reply.Bulk(rules.substr(at + 2, end - at - 2));
    at = end;
  }
  c.reply.Bulk("commands");
  std::string commands = user.all_commands ? "+@all" : "-@all";
  for (const std::string& command : user.all_commands ? user.denied : user.allowed) {
    commands += (user.all_commands ? " -" : " +") + command;
  }
  c.reply.Bulk(commands);
  c.reply.Bulk("keys");
  std::string keys = user.all_keys ? "~*" : "";
  for (const std::string& pattern : user.key_patterns) {
    keys += (keys.empty() ? "~" : " ~") + pattern;
  }
  c.reply.Bulk(keys);
  c.reply.Bulk("channels");
  c.reply.Bulk("&*");
}

void AclCommand(CommandContext& c) {
  const std::string sub = ToLower(c.arg(1));
  Acl& acl = c.service.acl();
  if (sub == "whoami" && c.argc() == 2) return c.reply.Bulk(c.client.user);
  if (sub == "list" && c.argc() == 2) {
    const auto lines = acl.Describe();
    c.reply.Array(lines.size());
    for (const std::string& line : lines) c.reply.Bulk(line);
    return;
  }
  if (sub == "users" && c.argc() == 2) {
    const auto names = acl.UserNames();
    c.reply.Array(names.size());
    for (const std::string& name : names) c.reply.Bulk(name);
    return;
  }
  if (sub == "setuser" && c.argc() >= 3) {
    const std::string error = acl.SetUser(c.arg(2), c.args.subspan(3));
    if (!error.empty()) return c.Error(error);
    return c.reply.Ok();
  }
  if (sub == "getuser" && c.argc() == 3) return AclGetUser(c);
  if (sub == "deluser" && c.argc() >= 3) {
    int64_t deleted = 0;
    for (size_t i = 2; i < c.argc(); ++i) {
      if (c.arg(i) == "default") return c.Error("ERR The 'default' user cannot be removed");
      if (acl.DeleteUser(c.arg(i))) ++deleted;
    }
    return c.reply.Integer(deleted);
  }
  if (sub == "cat" && c.argc() <= 3) {
    static constexpr std::string_view kCategories[] = {
        "keyspace", "read",      "write",      "set",        "sortedset", "list",
        "hash",     "string",    "pubsub",     "admin",      "fast",      "slow",
        "blocking", "dangerous", "connection", "transaction"};
    c.reply.Array(std::size(kCategories));
    for (std::string_view category : kCategories) c.reply.Bulk(category);
    return;
  }
  c.Error("ERR unknown subcommand or wrong number of arguments for '" +
          std::string(c.arg(1).substr(0, 128)) + "'. Try ACL HELP.");
}

}  // namespace

void AddAclCommands(std::vector<CommandSpec>* table) {
  table->insert(table->end(),
                {
                    {"acl", -2, kAdmin | kNoMulti | kLoading | kStale, 0, 0, 0, AclCommand},
                });
}

}  // namespace plexus::server::resp
