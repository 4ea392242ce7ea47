// ACL WHOAMI LIST USERS SETUSER GETUSER DELUSER CAT.
#include "plexus/server/resp/acl_categories.h"
#include "plexus/server/resp/cmd_util.h"
#include "plexus/server/resp/service.h"

namespace plexus::server::resp {
namespace {

void AclGetUser(CommandContext& c) {
  AclUser user;
  if (!c.service.acl().GetUser(c.arg(2), &user)) return c.reply.Null();
  c.reply.Map(6);
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
  c.reply.Bulk(Acl::DescribeCommands(user));
  c.reply.Bulk("keys");
  std::string keys = user.all_keys ? "~*" : "";
  for (const std::string& pattern : user.key_patterns) {
    keys += (keys.empty() ? "~" : " ~") + pattern;
  }
  c.reply.Bulk(keys);
  c.reply.Bulk("channels");
  std::string channels;
  if (user.all_channels) channels = "&*";
  for (const std::string& pattern : user.channel_patterns) {
    channels += (channels.empty() ? "&" : " &") + pattern;
  }
  c.reply.Bulk(channels);
  c.reply.Bulk("selectors");  // Redis 7 selectors: none here
  c.reply.Array(0);
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
  if (sub == "cat" && c.argc() == 2) {
    const auto names = AclCategoryNames();
    c.reply.Array(names.size());
    for (std::string_view category : names) c.reply.Bulk(category);
    return;
  }
  if (sub == "cat" && c.argc() == 3) {
    std::vector<std::string> names;
    if (!Acl::CategoryCommands(c.arg(2), &names)) {
      return c.Error("ERR Unknown category '" + std::string(c.arg(2).substr(0, 128)) + "'");
    }
    c.reply.Array(names.size());
    for (const std::string& name : names) c.reply.Bulk(name);
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
