// Parsing and matching of the authentication rules.
#include "plexus/server/pgwire/hba.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include "plexus/server/net/server.h"

namespace plexus::server::pgwire {

namespace {

std::vector<std::string_view> SplitWords(std::string_view line) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) words.push_back(line.substr(start, i - start));
  }
  return words;
}

std::vector<std::string> SplitNames(std::string_view list) {
  std::vector<std::string> names;
  if (list == "all") return names;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = list.find(',', start);
    const size_t end = comma == std::string_view::npos ? list.size() : comma;
    if (end > start) names.emplace_back(list.substr(start, end - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return names;
}

// Parses an address; IPv4-mapped IPv6 addresses count as IPv4.
bool ParseAddress(std::string_view text, bool* ipv6, std::array<uint8_t, 16>* bytes) {
  const std::string copy(text);
  bytes->fill(0);
  if (inet_pton(AF_INET, copy.c_str(), bytes->data()) == 1) {
    *ipv6 = false;
    return true;
  }
  if (inet_pton(AF_INET6, copy.c_str(), bytes->data()) != 1) return false;
  static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(bytes->data(), kMappedPrefix, 12) == 0) {
    std::memmove(bytes->data(), bytes->data() + 12, 4);
    std::memset(bytes->data() + 4, 0, 12);
    *ipv6 = false;
    return true;
  }
  *ipv6 = true;
  return true;
}

Status BadRule(std::string_view rule, std::string_view why) {
  return Status::InvalidArgument("pg.hba rule \"" + std::string(rule) + "\": " + std::string(why));
}

Result<HbaRule> ParseRule(std::string_view line) {
  std::vector<std::string_view> words = SplitWords(line);
  const bool local = !words.empty() && words[0] == "local";
  if (local && words.size() == 4) {
    words.insert(words.begin() + 3, "all");  // a local rule has no address
  } else if (local) {
    return BadRule(line, "expected local DATABASE USER METHOD");
  } else if (words.size() != 5) {
    return BadRule(line, "expected TYPE DATABASE USER ADDRESS METHOD");
  }
  HbaRule rule;
  rule.text = line;
  if (local) {
    rule.type = ConnectionType::kLocal;
  } else if (words[0] == "host") {
    rule.type = ConnectionType::kHost;
  } else if (words[0] == "hostssl") {
    rule.type = ConnectionType::kHostSsl;
  } else if (words[0] == "hostnossl") {
    rule.type = ConnectionType::kHostNoSsl;
  } else {
    return BadRule(line, "connection type must be local, host, hostssl or hostnossl");
  }
  rule.databases = SplitNames(words[1]);
  rule.users = SplitNames(words[2]);
  if (words[3] != "all") {
    rule.any_address = false;
    std::string_view address = words[3];
    const size_t slash = address.find('/');
    if (!ParseAddress(address.substr(0, slash), &rule.ipv6, &rule.address)) {
      return BadRule(line, "invalid IP address");
    }
    const int bits_max = rule.ipv6 ? 128 : 32;
    rule.prefix_bits = bits_max;
    if (slash != std::string_view::npos) {
      const std::string_view bits = address.substr(slash + 1);
      const auto parsed = std::from_chars(bits.data(), bits.data() + bits.size(), rule.prefix_bits);
      if (parsed.ec != std::errc() || parsed.ptr != bits.data() + bits.size() ||
          rule.prefix_bits < 0 || rule.prefix_bits > bits_max) {
        return BadRule(line, "invalid CIDR mask");
      }
    }
  }
  const std::string_view method = words[4];
  if (method == "trust") {
    rule.method = AuthMethod::kTrust;
  } else if (method == "reject") {
    rule.method = AuthMethod::kReject;
  } else if (method == "scram-sha-256") {
    rule.method = AuthMethod::kScramSha256;
  } else if (method == "password") {
    if (rule.type != ConnectionType::kHostSsl && rule.type != ConnectionType::kLocal) {
      return BadRule(line, "method password (cleartext) is allowed on local and hostssl rules only");
    }
    rule.method = AuthMethod::kPassword;
  } else {
    return BadRule(line, "method must be trust, reject, scram-sha-256 or password");
  }
  return rule;
}

bool InList(const std::vector<std::string>& names, std::string_view name) {
  if (names.empty()) return true;
  for (const std::string& candidate : names) {
    if (candidate == name) return true;
  }
  return false;
}

bool AddressMatches(const HbaRule& rule, bool ipv6, const std::array<uint8_t, 16>& address) {
  if (rule.any_address) return true;
  if (rule.ipv6 != ipv6) return false;
  int bits = rule.prefix_bits;
  for (size_t i = 0; bits > 0; ++i, bits -= 8) {
    const uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((rule.address[i] & mask) != (address[i] & mask)) return false;
  }
  return true;
}

}  // namespace

Result<HbaRules> HbaRules::Parse(std::string_view text) {
  HbaRules rules;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find_first_of(";\n", start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    const size_t comment = line.find('#');
    if (comment != std::string_view::npos) line = line.substr(0, comment);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t' || line.front() == '\r')) {
      line.remove_prefix(1);
    }
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
      line.remove_suffix(1);
    }
    if (line.empty()) continue;
    if (rules.rules_.size() == kHbaRulesMax) {
      return Status::InvalidArgument("pg.hba: more than " + std::to_string(kHbaRulesMax) +
                                     " rules");
    }
    PLEXUS_ASSIGN_OR_RETURN(HbaRule rule, ParseRule(line));
    rules.rules_.push_back(std::move(rule));
  }
  return rules;
}

const HbaRule* HbaRules::Match(bool ssl, std::string_view database, std::string_view user,
                               std::string_view peer) const {
  const bool local = peer == net::kLocalPeer;
  bool ipv6 = false;
  std::array<uint8_t, 16> address{};
  const bool known_address = !local && ParseAddress(PeerAddress(peer), &ipv6, &address);
  for (const HbaRule& rule : rules_) {
    if ((rule.type == ConnectionType::kLocal) != local) continue;
    if (rule.type == ConnectionType::kHostSsl && !ssl) continue;
    if (rule.type == ConnectionType::kHostNoSsl && ssl) continue;
    if (!InList(rule.databases, database) || !InList(rule.users, user)) continue;
    if (!rule.any_address && (!known_address || !AddressMatches(rule, ipv6, address))) continue;
    return &rule;
  }
  return nullptr;
}

std::string_view AuthMethodName(AuthMethod method) {
  switch (method) {
    case AuthMethod::kTrust: return "trust";
    case AuthMethod::kReject: return "reject";
    case AuthMethod::kScramSha256: return "scram-sha-256";
    case AuthMethod::kPassword: return "password";
  }
  return "reject";
}

std::string_view PeerAddress(std::string_view peer) {
  if (peer == net::kLocalPeer) return peer;
  if (!peer.empty() && peer.front() == '[') {
    const size_t close = peer.find(']');
    return close == std::string_view::npos ? peer.substr(1) : peer.substr(1, close - 1);
  }
  const size_t colon = peer.rfind(':');
  return colon == std::string_view::npos ? peer : peer.substr(0, colon);
}

}  // namespace plexus::server::pgwire
