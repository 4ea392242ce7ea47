// ACL rules and checks.
#include "plexus/server/resp/acl.h"

#include <openssl/evp.h>

#include <algorithm>

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

}  // namespace

Acl::Acl(std::string_view requirepass) {
  AclUser user;
  user.enabled = true;
  user.all_commands = true;
  user.all_keys = true;
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
  const std::string command(spec.name);
  const bool allowed =
      user.all_commands ? user.denied.count(command) == 0 : user.allowed.count(command) != 0;
  if (!allowed) {
    return "NOPERM this user has no permissions to run the '" + command + "' command";
  }
  if (user.all_keys) return "";
  for (size_t index : key_indexes) {
    const bool matched =
        std::any_of(user.key_patterns.begin(), user.key_patterns.end(),
                    [&](const std::string& pattern) { return GlobMatch(pattern, args[index]); });
    if (!matched) {
      return "NOPERM this user has no permissions to access one of the keys used as arguments";
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
      user.denied.clear();
      user.allowed.clear();
    } else if (lower == "nocommands" || lower == "-@all") {
      user.all_commands = false;
      user.denied.clear();
      user.allowed.clear();
    } else if (!rule.empty() && (rule[0] == '+' || rule[0] == '-') && rule.size() > 1 &&
               rule[1] != '@') {
      const std::string command = ToLower(rule.substr(1));
      if (FindCommand(command) == nullptr) {
        return "ERR Error in ACL SETUSER modifier '" + std::string(rule) +
               "': Unknown command or category name in ACL";
      }
      if (rule[0] == '+') {
        user.allowed.insert(command);
        user.denied.erase(command);
      } else {
        user.denied.insert(command);
        user.allowed.erase(command);
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
    } else if (lower == "&*" || lower == "allchannels" || lower == "resetchannels") {
      // Channel permissions are not enforced; accepted for compatibility.
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
    if (user.key_patterns.empty()) text += " resetkeys";
  }
  text += " &*";
  if (user.all_commands) {
    text += " +@all";
    for (const std::string& command : user.denied) text += " -" + command;
  } else {
    text += " -@all";
    for (const std::string& command : user.allowed) text += " +" + command;
  }
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

bool Acl::GetUser(std::string_view name, AclUser* user) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = users_.find(name);
  if (it == users_.end()) return false;
  *user = it->second;
  return true;
}

}  // namespace plexus::server::resp
