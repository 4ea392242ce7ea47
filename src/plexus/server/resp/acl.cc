// ACL rules and checks.
#include "plexus/server/resp/acl.h"

#include <openssl/evp.h>

#include <algorithm>

#include "plexus/server/resp/acl_categories.h"
#include "plexus/server/resp/command.h"
#include "plexus/server/resp/glob.h"

namespace plexus::server::resp {
namespace {

// Passwords are shown as Redis shows them: SHA-256 in hex, never the text.
std::string Sha256Hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return "?";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

// Every name a command permission can name: the commands and the subcommands of containers
// (CONFIG|GET, ...).
const std::vector<std::string>& PermissionNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all;
    for (const CommandSpec& spec : AllCommands()) all.emplace_back(spec.name);
    for (const CommandCategories& entry : AclCommandCategories()) {
      const size_t bar = entry.name.find('|');
      if (bar != std::string_view::npos && FindCommand(entry.name.substr(0, bar)) != nullptr) {
        all.emplace_back(entry.name);
      }
    }
    return all;
  }();
  return names;
}

// PermissionNames in byte order: a container comes right before its subcommands.
const std::vector<std::string>& SortedPermissionNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> sorted = PermissionNames();
    std::sort(sorted.begin(), sorted.end());
    return sorted;
  }();
  return names;
}

bool IsContainer(std::string_view command) {
  const std::string prefix = std::string(command) + "|";
  for (const CommandCategories& entry : AclCommandCategories()) {
    if (entry.name.starts_with(prefix)) return true;
  }
  return false;
}

// The permission a call needs: "container|subcommand" for a container's known subcommand,
// else the command's name.
std::string PermissionName(const CommandSpec& spec, std::span<const std::string_view> args) {
  if (args.size() >= 2 && IsContainer(spec.name)) {
    std::string name = std::string(spec.name) + "|" + ToLower(args[1]);
    if (CategoriesOf(name) != 0) return name;
  }
  return std::string(spec.name);
}

// Channel arguments of a call: PUBLISH's channel, (P)SUBSCRIBE's channels or patterns.
void ChannelArguments(const CommandSpec& spec, std::span<const std::string_view> args,
                      std::vector<std::string_view>* channels, bool* patterns) {
  *patterns = spec.name == "psubscribe";
  if (spec.name == "publish" && args.size() >= 2) channels->push_back(args[1]);
  if (spec.name == "subscribe" || spec.name == "psubscribe") {
    channels->assign(args.begin() + 1, args.end());
  }
}

}  // namespace

Acl::Acl(std::string_view requirepass) {
  AclUser user;
  user.enabled = true;
  user.all_commands = true;
  for (const std::string& name : PermissionNames()) user.allowed.insert(name);
  user.all_keys = true;
  user.all_channels = true;
  users_.emplace("default", std::move(user));
  SetRequirePass(requirepass);
}

void Acl::SetRequirePass(std::string_view password) {
  std::lock_guard<std::mutex> lock(mutex_);
  AclUser& user = users_["default"];
  user.passwords.clear();
  user.nopass = password.empty();
  if (!password.empty()) user.passwords.emplace_back(password);
}

std::string Acl::RequirePass() const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = users_.find("default");
  if (it == users_.end() || it->second.nopass || it->second.passwords.empty()) return "";
  return it->second.passwords.front();
}

bool Acl::Authenticate(std::string_view name, std::string_view password) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = users_.find(name);
  if (it == users_.end() || !it->second.enabled) return false;
  const AclUser& user = it->second;
  return user.nopass ||
         std::find(user.passwords.begin(), user.passwords.end(), password) != user.passwords.end();
}

bool Acl::DefaultNeedsAuth() const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = users_.find("default");
  return it == users_.end() || !it->second.enabled || !it->second.nopass;
}

std::string Acl::Check(std::string_view name, const CommandSpec& spec,
                       std::span<const std::string_view> args,
                       const std::vector<size_t>& key_indexes) const {
  if (!customized_.load(std::memory_order_relaxed)) return "";
  if ((spec.flags & kNoAuth) != 0) return "";  // AUTH, HELLO, QUIT...: always allowed
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = users_.find(name);
  if (it == users_.end()) return "NOPERM User " + std::string(name) + " has no permissions";
  const AclUser& user = it->second;
  const std::string command = PermissionName(spec, args);
  if (user.allowed.count(command) == 0) {
    return "NOPERM this user has no permissions to run the '" + command + "' command";
  }
  if (!user.all_keys) {
    for (size_t index : key_indexes) {
      const bool matched = std::any_of(
          user.key_patterns.begin(), user.key_patterns.end(),
          [&](const std::string& pattern) { return GlobMatch(pattern, args[index]); });
      if (!matched) {
        return "NOPERM this user has no permissions to access one of the keys used as arguments";
      }
    }
  }
  if (user.all_channels) return "";
  std::vector<std::string_view> channels;
  bool patterns = false;
  ChannelArguments(spec, args, &channels, &patterns);
  for (std::string_view channel : channels) {
    // A pattern subscription needs that very pattern; a channel, a pattern matching it.
    const bool matched = std::any_of(
        user.channel_patterns.begin(), user.channel_patterns.end(),
        [&](const std::string& pattern) {
          return patterns ? pattern == channel : GlobMatch(pattern, channel);
        });
    if (!matched) {
      return "NOPERM this user has no permissions to access one of the channels used as "
             "arguments";
    }
  }
  return "";
}

std::string Acl::SetUser(std::string_view name, std::span<const std::string_view> rules) {
  std::lock_guard<std::mutex> lock(mutex_);
  AclUser user;
  auto existing = users_.find(name);
  if (existing != users_.end()) user = existing->second;
  for (std::string_view rule : rules) {
    const std::string lower = ToLower(rule);
    if (lower == "on") {
      user.enabled = true;
    } else if (lower == "off") {
      user.enabled = false;
    } else if (lower == "nopass") {
      user.nopass = true;
      user.passwords.clear();
    } else if (lower == "resetpass") {
      user.nopass = false;
      user.passwords.clear();
    } else if (!rule.empty() && rule[0] == '>') {
      user.nopass = false;
      const std::string password(rule.substr(1));
      if (std::find(user.passwords.begin(), user.passwords.end(), password) ==
          user.passwords.end()) {
        user.passwords.push_back(password);
      }
    } else if (!rule.empty() && rule[0] == '<') {
      const std::string password(rule.substr(1));
      user.passwords.erase(std::remove(user.passwords.begin(), user.passwords.end(), password),
                           user.passwords.end());
    } else if (lower == "allcommands" || lower == "+@all") {
      user.all_commands = true;
      user.allowed.clear();
      for (const std::string& name : PermissionNames()) user.allowed.insert(name);
    } else if (lower == "nocommands" || lower == "-@all") {
      user.all_commands = false;
      user.allowed.clear();
    } else if (rule.size() > 2 && (rule[0] == '+' || rule[0] == '-') && rule[1] == '@') {
      const int category = AclCategoryIndex(lower.substr(2));
      if (category < 0) {
        return "ERR Error in ACL SETUSER modifier '" + std::string(rule) +
               "': Unknown command or category name in ACL";
      }
      for (const std::string& name : PermissionNames()) {
        if ((CategoriesOf(name) & (uint32_t{1} << category)) == 0) continue;
        if (rule[0] == '+') {
          user.allowed.insert(name);
        } else {
          user.allowed.erase(name);
        }
      }
    } else if (!rule.empty() && (rule[0] == '+' || rule[0] == '-') && rule.size() > 1) {
      const std::string command = lower.substr(1);
      const size_t bar = command.find('|');
      const bool known = bar == std::string::npos
                             ? FindCommand(command) != nullptr
                             : FindCommand(command.substr(0, bar)) != nullptr &&
                                   CategoriesOf(command) != 0;
      if (!known) {
        return "ERR Error in ACL SETUSER modifier '" + std::string(rule) +
               "': Unknown command or category name in ACL";
      }
      // A command covers its subcommands.
      const std::string subcommands = command + "|";
      for (const std::string& name : PermissionNames()) {
        if (name != command && (bar != std::string::npos || !name.starts_with(subcommands))) {
          continue;
        }
        if (rule[0] == '+') {
          user.allowed.insert(name);
        } else {
          user.allowed.erase(name);
        }
      }
    } else if (lower == "allkeys" || lower == "~*") {
      user.all_keys = true;
      user.key_patterns.clear();
    } else if (lower == "resetkeys") {
      user.all_keys = false;
      user.key_patterns.clear();
    } else if (!rule.empty() && rule[0] == '~') {
      if (!user.all_keys) user.key_patterns.emplace_back(rule.substr(1));
    } else if (lower == "reset") {
      user = AclUser();
    } else if (lower == "allchannels" || rule == "&*") {
      user.all_channels = true;
      user.channel_patterns.clear();
    } else if (lower == "resetchannels") {
      user.all_channels = false;
      user.channel_patterns.clear();
    } else if (!rule.empty() && rule[0] == '&') {
      if (user.all_channels) {
        return "ERR Error in ACL SETUSER modifier '" + std::string(rule) +
               "': Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid "
               "and does not have any effect. Try 'resetchannels' to start with an empty list "
               "of channels";
      }
      const std::string pattern(rule.substr(1));
      if (std::find(user.channel_patterns.begin(), user.channel_patterns.end(), pattern) ==
          user.channel_patterns.end()) {
        user.channel_patterns.push_back(pattern);
      }
    } else {
      return "ERR Error in ACL SETUSER modifier '" + std::string(rule) + "': Syntax error";
    }
  }
  users_[std::string(name)] = std::move(user);
  customized_.store(true);
  return "";
}

bool Acl::DeleteUser(std::string_view name) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = users_.find(name);
  if (it == users_.end()) return false;
  users_.erase(it);
  customized_.store(true);
  return true;
}

std::string Acl::DescribeRules(const AclUser& user) {
  std::string text = user.enabled ? "on" : "off";
  if (user.nopass) text += " nopass";
  for (const std::string& password : user.passwords) text += " #" + Sha256Hex(password);
  if (user.all_keys) {
    text += " ~*";
  } else {
    for (const std::string& pattern : user.key_patterns) text += " ~" + pattern;
  }
  text += " " + DescribeChannels(user) + " " + DescribeCommands(user);
  return text;
}

// As Redis 7.0 describes a user's commands (ACLDescribeSelectorCommandRules): +@all or -@all by
// whether commands added later would be allowed, then categories picked one at a time as the
// best fit of what still differs (more commands in common than different; fewest different,
// then most in common, then ACL CAT order), then the single commands that still differ. Redis
// lists those in its command table's hash order, which changes with every process; here they
// come sorted.
std::string Acl::DescribeCommands(const AclUser& user) {
  const std::vector<std::string>& names = SortedPermissionNames();
  const bool additive = !user.all_commands;
  std::vector<uint32_t> categories(names.size());
  std::vector<bool> allowed(names.size()), described(names.size(), !additive);
  for (size_t i = 0; i < names.size(); ++i) {
    categories[i] = CategoriesOf(names[i]);
    allowed[i] = user.allowed.contains(names[i]);
  }
  std::string text = additive ? "-@all" : "+@all";
  // What the categories chosen so far leave to describe: a chosen category's commands are
  // flipped to the side that counts as differing for the next choices, as Redis does.
  std::vector<bool> remaining = allowed;
  const std::span<const std::string_view> category_names = AclCategoryNames();
  std::vector<bool> applied(category_names.size());
  while (true) {
    int best = -1;
    size_t fewest_different = SIZE_MAX, most_same = 0;
    for (size_t j = 0; j < category_names.size(); ++j) {
      if (applied[j]) continue;
      size_t on = 0, off = 0;
      for (size_t i = 0; i < names.size(); ++i) {
        if ((categories[i] & (uint32_t{1} << j)) != 0) ++(remaining[i] ? on : off);
      }
      const size_t different = additive ? off : on;
      const size_t same = additive ? on : off;
      if (same > different && (different < fewest_different ||
                               (different == fewest_different && same > most_same))) {
        best = static_cast<int>(j);
        fewest_different = different;
        most_same = same;
      }
    }
    if (best < 0) break;
    applied[static_cast<size_t>(best)] = true;
    text += additive ? " +@" : " -@";
    text += category_names[static_cast<size_t>(best)];
    for (size_t i = 0; i < names.size(); ++i) {
      if ((categories[i] & (uint32_t{1} << best)) == 0) continue;
      described[i] = additive;
      remaining[i] = !additive;
    }
  }
  // Single commands; a container's rule covers its subcommands (which sort right after it).
  for (size_t i = 0; i < names.size(); ++i) {
    if (allowed[i] == described[i]) continue;
    text += allowed[i] ? " +" : " -";
    text += names[i];
    described[i] = allowed[i];
    const std::string subcommands = names[i] + "|";
    for (size_t k = i + 1; k < names.size(); ++k) {
      if (names[k].starts_with(subcommands)) described[k] = allowed[i];
    }
  }
  return text;
}

std::string Acl::DescribeChannels(const AclUser& user) {
  if (user.all_channels) return "&*";
  std::string text = "resetchannels";
  for (const std::string& pattern : user.channel_patterns) text += " &" + pattern;
  return text;
}

std::vector<std::string> Acl::Describe() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> lines;
  for (const auto& [name, user] : users_)
    lines.push_back("user " + name + " " + DescribeRules(user));
  return lines;
}

std::vector<std::string> Acl::UserNames() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> names;
  for (const auto& [name, user] : users_) names.push_back(name);
  return names;
}

bool Acl::CategoryCommands(std::string_view category, std::vector<std::string>* names) {
  const int index = AclCategoryIndex(ToLower(category));
  if (index < 0) return false;
  for (const std::string& name : PermissionNames()) {
    if (CategoriesOf(name) & (uint32_t{1} << index)) names->push_back(name);
  }
  return true;
}

bool Acl::GetUser(std::string_view name, AclUser* user) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = users_.find(name);
  if (it == users_.end()) return false;
  *user = it->second;
  return true;
}

}  // namespace plexus::server::resp
