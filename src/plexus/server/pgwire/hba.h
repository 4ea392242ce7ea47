// Client authentication rules, pg_hba.conf style: the first rule matching the connection's type
// (local: a Unix-domain socket, host: any TCP connection, hostssl: TLS only, hostnossl: plain
// only), database, user and client address picks the method. Text form (config key pg.hba), one
// rule per line or per ';':
//   TYPE DATABASE USER ADDRESS METHOD   (local rules have no ADDRESS)
// DATABASE and USER are `all` or comma-separated names; ADDRESS is `all`, an IPv4/IPv6 CIDR
// (127.0.0.1/32, ::1/128) or a bare address (a host route); METHOD is trust, reject,
// scram-sha-256 or password (cleartext, local and hostssl rules only). '#' starts a comment.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"

namespace plexus::server::pgwire {

enum class AuthMethod : uint8_t { kTrust, kReject, kScramSha256, kPassword };
enum class ConnectionType : uint8_t { kLocal, kHost, kHostSsl, kHostNoSsl };

// Used when pg.hba is empty: trust on Unix-domain sockets and the loopback addresses (local
// development, as before authentication existed), SCRAM everywhere else.
inline constexpr std::string_view kDefaultHbaRules =
    "local all all trust; host all all 127.0.0.1/32 trust; host all all ::1/128 trust; "
    "host all all all scram-sha-256";
// Rules one configuration may hold.
inline constexpr size_t kHbaRulesMax = 1000;

struct HbaRule {
  ConnectionType type = ConnectionType::kHost;
  std::vector<std::string> databases;  // empty: all
  std::vector<std::string> users;      // empty: all
  bool any_address = true;
  bool ipv6 = false;
  std::array<uint8_t, 16> address{};
  int prefix_bits = 0;
  AuthMethod method = AuthMethod::kTrust;
  std::string text;  // the rule as written, for logs
};

class HbaRules {
 public:
  // kInvalidArgument naming the rule when the text is not valid.
  static Result<HbaRules> Parse(std::string_view text);

  // The first rule that matches, or null. `peer`: the net layer's "1.2.3.4:port",
  // "[::1]:port" or net::kLocalPeer (a Unix-domain socket: local rules only).
  const HbaRule* Match(bool ssl, std::string_view database, std::string_view user,
                       std::string_view peer) const;
  const std::vector<HbaRule>& rules() const { return rules_; }

 private:
  std::vector<HbaRule> rules_;
};

std::string_view AuthMethodName(AuthMethod method);
// The address part of a net-layer peer text ("[::1]:5" → "::1"; "[local]" stays).
std::string_view PeerAddress(std::string_view peer);

}  // namespace plexus::server::pgwire
