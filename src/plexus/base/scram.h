// SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL uses it: password verifiers in PostgreSQL's
// stored format, and the server side of the SASL exchange.
//
// Verifier text: "SCRAM-SHA-256$<iterations>:<salt base64>$<StoredKey base64>:<ServerKey base64>".
// The password is SASLprep-normalized first (base/saslprep.h), as PostgreSQL and libpq do.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "plexus/base/status.h"

namespace plexus::base {

inline constexpr std::string_view kScramMechanism = "SCRAM-SHA-256";
inline constexpr int kScramIterations = 4096;  // PostgreSQL's scram_iterations default
inline constexpr size_t kScramSaltBytes = 16;
inline constexpr size_t kScramKeyBytes = 32;    // SHA-256
inline constexpr size_t kScramNonceBytes = 18;  // the server's part of the nonce, as PostgreSQL
// Client messages longer than this are not SCRAM (PostgreSQL's own bound is the 1 GB message).
inline constexpr size_t kScramMessageBytesMax = 4096;
inline constexpr int kScramIterationsMax = 1 << 24;

struct ScramVerifier {
  int iterations = kScramIterations;
  std::string salt;        // raw bytes
  std::string stored_key;  // H(ClientKey), kScramKeyBytes
  std::string server_key;  // HMAC(SaltedPassword, "Server Key"), kScramKeyBytes
};

std::string Base64Encode(std::string_view bytes);
// Strict (padding required, no whitespace); kInvalidArgument otherwise.
Result<std::string> Base64Decode(std::string_view text);
// `bytes` random bytes from OpenSSL's generator.
std::string RandomBytes(size_t bytes);

ScramVerifier MakeScramVerifier(std::string_view password, std::string_view salt, int iterations);
// With a new random salt and kScramIterations.
std::string NewScramVerifierText(std::string_view password);
std::string FormatScramVerifier(const ScramVerifier& verifier);
// kInvalidArgument when `text` is not a verifier in PostgreSQL's format.
Result<ScramVerifier> ParseScramVerifier(std::string_view text);
bool IsScramVerifier(std::string_view text);
// The password matches the verifier (cleartext `password` authentication).
bool ScramCheckPassword(const ScramVerifier& verifier, std::string_view password);

// The server side of one exchange. With no verifier (unknown role, role without a password)
// the exchange runs with made-up keys and fails at the proof, so a client learns nothing about
// which roles exist.
class ScramServerExchange {
 public:
  // `verifier` may be null. `server_nonce`: printable, no ','; empty for a random one.
  ScramServerExchange(const ScramVerifier* verifier, std::string_view user,
                      std::string server_nonce = "");

  // client-first-message → server-first-message. kInvalidArgument (malformed) with PostgreSQL's
  // detail in the message.
  Result<std::string> HandleClientFirst(std::string_view message);
  // client-final-message → server-final-message when the proof is right; kAborted
  // when it is not (wrong password, unknown role), kInvalidArgument when malformed.
  Result<std::string> HandleClientFinal(std::string_view message);

 private:
  ScramVerifier verifier_;
  bool known_ = false;
  std::string server_nonce_;
  std::string gs2_header_;         // "n,," or "y,,"
  std::string client_first_bare_;  // "n=user,r=nonce"
  std::string server_first_;
  std::string nonce_;              // client nonce + server nonce
  bool first_done_ = false;
};

}  // namespace plexus::base
