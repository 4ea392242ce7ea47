// ACL users of the RESP front end, as Redis 7's ACL: on/off, passwords (or nopass), commands
// (+cmd -cmd +cmd|sub +@category -@category +@all -@all allcommands nocommands, categories as
// acl_categories.h), key patterns (~pattern allkeys resetkeys) and pub/sub channel patterns
// (&pattern allchannels resetchannels). The default user is "on nopass ~* &* +@all" unless
// requirepass sets its password. Thread-safe.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace plexus::server::resp {

struct CommandSpec;

struct AclUser {
  bool enabled = false;
  bool nopass = false;
  std::vector<std::string> passwords;
  // Commands: what the user may run (command names and "container|subcommand" names), and
  // whether commands added later would be allowed too (+@all since the last -@all).
  bool all_commands = false;
  std::set<std::string, std::less<>> allowed;
  bool all_keys = false;
  std::vector<std::string> key_patterns;
  bool all_channels = false;
  std::vector<std::string> channel_patterns;
};

class Acl {
 public:
  explicit Acl(std::string_view requirepass);

  // requirepass: the default user's only password ("" : nopass).
  void SetRequirePass(std::string_view password);
  std::string RequirePass() const;

  // Whether `user` exists, is on, and `password` is one of its passwords (or it is nopass).
  bool Authenticate(std::string_view user, std::string_view password) const;
  // Whether a new connection (logged in as default) needs AUTH first.
  bool DefaultNeedsAuth() const;
  // "" when `user` may run `spec` with these key (and channel) arguments, else the NOPERM
  // error text.
  std::string Check(std::string_view user, const CommandSpec& spec,
                    std::span<const std::string_view> args,
                    const std::vector<size_t>& key_indexes) const;

  // ACL SETUSER name rule...: "" or the error text.
  std::string SetUser(std::string_view name, std::span<const std::string_view> rules);
  bool DeleteUser(std::string_view name);
  std::vector<std::string> Describe() const;  // ACL LIST lines
  std::vector<std::string> UserNames() const;
  bool GetUser(std::string_view name, AclUser* user) const;
  static std::string DescribeRules(const AclUser& user);
  static std::string DescribeCommands(const AclUser& user);  // "-@all +@hash -hdel +get"
  static std::string DescribeChannels(const AclUser& user);  // "&*" or "resetchannels &a ..."
  // ACL CAT category: the commands (and subcommands) in it; false for an unknown category.
  static bool CategoryCommands(std::string_view category, std::vector<std::string>* names);
  // False until an ACL command changes a user: then every command is checked.
  bool customized() const { return customized_.load(std::memory_order_relaxed); }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, AclUser, std::less<>> users_;
  std::atomic<bool> customized_{false};  // false: every user may run everything (fast path)
};

}  // namespace plexus::server::resp
