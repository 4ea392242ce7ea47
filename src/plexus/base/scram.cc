// SCRAM-SHA-256 verifiers and the server side of the exchange (OpenSSL's HMAC, SHA-256, PBKDF2).
#include "plexus/base/scram.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <charconv>

#include "plexus/base/assert.h"
#include "plexus/base/saslprep.h"

namespace plexus::base {

namespace {

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Hmac(std::string_view key, std::string_view message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &length);
  PLEXUS_ASSERT(length == kScramKeyBytes);
  return std::string(reinterpret_cast<const char*>(out), length);
}

std::string Sha256(std::string_view bytes) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), out);
  return std::string(reinterpret_cast<const char*>(out), sizeof(out));
}

std::string SaltedPassword(std::string_view password, std::string_view salt, int iterations) {
  std::string out(kScramKeyBytes, '\0');
  const int ok = PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                                   reinterpret_cast<const unsigned char*>(salt.data()),
                                   static_cast<int>(salt.size()), iterations, EVP_sha256(),
                                   static_cast<int>(out.size()),
                                   reinterpret_cast<unsigned char*>(out.data()));
  PLEXUS_ASSERT(ok == 1);
  return out;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// PostgreSQL's text, with what is wrong as the detail.
Status Malformed(std::string_view detail) {
  Status status = Status::InvalidArgument("malformed SCRAM message");
  status.SetDetail(detail);
  return status;
}

// Printable ASCII except ',' (RFC 5802's "printable").
bool IsPrintableNonce(std::string_view nonce) {
  if (nonce.empty()) return false;
  for (char c : nonce) {
    if (c < 0x21 || c > 0x7e || c == ',') return false;
  }
  return true;
}

// Reads "<letter>=<value>" up to the next ',' (or the end) from `*rest`.
bool ReadAttribute(std::string_view* rest, char letter, std::string_view* value) {
  if (rest->size() < 2 || (*rest)[0] != letter || (*rest)[1] != '=') return false;
  const size_t comma = rest->find(',');
  *value = rest->substr(2, comma == std::string_view::npos ? std::string_view::npos : comma - 2);
  rest->remove_prefix(comma == std::string_view::npos ? rest->size() : comma + 1);
  return true;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t word = (uint32_t{static_cast<uint8_t>(bytes[i])} << 16) |
                          (uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8) |
                          static_cast<uint8_t>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kBase64Alphabet[(word >> shift) & 63]);
  }
  const size_t left = bytes.size() - i;
  if (left > 0) {
    uint32_t word = uint32_t{static_cast<uint8_t>(bytes[i])} << 16;
    if (left == 2) word |= uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8;
    out.push_back(kBase64Alphabet[(word >> 18) & 63]);
    out.push_back(kBase64Alphabet[(word >> 12) & 63]);
    out.push_back(left == 2 ? kBase64Alphabet[(word >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return Status::InvalidArgument("invalid base64");
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    uint32_t word = 0;
    int padding = 0;
    for (size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      uint32_t value = 0;
      if (c == '=' && i + 4 == text.size() && j >= 2) {
        ++padding;
      } else {
        const size_t position = kBase64Alphabet.find(c);
        if (position == std::string_view::npos || padding > 0) {
          return Status::InvalidArgument("invalid base64");
        }
        value = static_cast<uint32_t>(position);
      }
      word = (word << 6) | value;
    }
    // The bits under the padding must be zero: one spelling per byte string.
    if ((padding >= 1 && (word & 0xff) != 0) || (padding == 2 && ((word >> 8) & 0xff) != 0)) {
      return Status::InvalidArgument("invalid base64");
    }
    out.push_back(static_cast<char>((word >> 16) & 0xff));
    if (padding < 2) out.push_back(static_cast<char>((word >> 8) & 0xff));
    if (padding < 1) out.push_back(static_cast<char>(word & 0xff));
  }
  return out;
}

std::string RandomBytes(size_t bytes) {
  std::string out(bytes, '\0');
  const int ok = RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(bytes));
  PLEXUS_ASSERT(ok == 1);
  return out;
}

ScramVerifier MakeScramVerifier(std::string_view password, std::string_view salt, int iterations) {
  const std::string salted = SaltedPassword(SaslPrepPassword(password), salt, iterations);
  ScramVerifier verifier;
  verifier.iterations = iterations;
  verifier.salt = salt;
  verifier.stored_key = Sha256(Hmac(salted, "Client Key"));
  verifier.server_key = Hmac(salted, "Server Key");
  return verifier;
}

std::string NewScramVerifierText(std::string_view password) {
  return FormatScramVerifier(
      MakeScramVerifier(password, RandomBytes(kScramSaltBytes), kScramIterations));
}

std::string FormatScramVerifier(const ScramVerifier& verifier) {
  return std::string(kScramMechanism) + "$" + std::to_string(verifier.iterations) + ":" +
         Base64Encode(verifier.salt) + "$" + Base64Encode(verifier.stored_key) + ":" +
         Base64Encode(verifier.server_key);
}

Result<ScramVerifier> ParseScramVerifier(std::string_view text) {
  const Status invalid = Status::InvalidArgument("not a SCRAM-SHA-256 verifier");
  const std::string prefix = std::string(kScramMechanism) + "$";
  if (text.substr(0, prefix.size()) != prefix) return invalid;
  text.remove_prefix(prefix.size());
  const size_t colon = text.find(':');
  const size_t dollar = text.find('$');
  if (colon == std::string_view::npos || dollar == std::string_view::npos || dollar < colon) {
    return invalid;
  }
  ScramVerifier verifier;
  const std::string_view iterations = text.substr(0, colon);
  const auto parsed = std::from_chars(iterations.data(), iterations.data() + iterations.size(),
                                      verifier.iterations);
  if (parsed.ec != std::errc() || parsed.ptr != iterations.data() + iterations.size() ||
      verifier.iterations <= 0 || verifier.iterations > kScramIterationsMax) {
    return invalid;
  }
  const std::string_view keys = text.substr(dollar + 1);
  const size_t key_colon = keys.find(':');
  if (key_colon == std::string_view::npos) return invalid;
  auto salt = Base64Decode(text.substr(colon + 1, dollar - colon - 1));
  auto stored_key = Base64Decode(keys.substr(0, key_colon));
  auto server_key = Base64Decode(keys.substr(key_colon + 1));
  if (!salt.ok() || !stored_key.ok() || !server_key.ok() || salt->empty() ||
      stored_key->size() != kScramKeyBytes || server_key->size() != kScramKeyBytes) {
    return invalid;
  }
  verifier.salt = std::move(salt).value();
  verifier.stored_key = std::move(stored_key).value();
  verifier.server_key = std::move(server_key).value();
  return verifier;
}

bool IsScramVerifier(std::string_view text) { return ParseScramVerifier(text).ok(); }

bool ScramCheckPassword(const ScramVerifier& verifier, std::string_view password) {
  const ScramVerifier computed = MakeScramVerifier(password, verifier.salt, verifier.iterations);
  return ConstantTimeEqual(computed.stored_key, verifier.stored_key) &&
         ConstantTimeEqual(computed.server_key, verifier.server_key);
}

ScramServerExchange::ScramServerExchange(const ScramVerifier* verifier, std::string_view user,
                                         std::string server_nonce)
    : server_nonce_(std::move(server_nonce)) {
  if (verifier != nullptr) {
    verifier_ = *verifier;
    known_ = true;
  } else {
    // A made-up but stable salt per user name, so that probing twice shows nothing.
    verifier_.salt = Sha256("plexus scram mock " + std::string(user)).substr(0, kScramSaltBytes);
    verifier_.stored_key = RandomBytes(kScramKeyBytes);
    verifier_.server_key = RandomBytes(kScramKeyBytes);
  }
  if (server_nonce_.empty()) server_nonce_ = Base64Encode(RandomBytes(kScramNonceBytes));
}

Result<std::string> ScramServerExchange::HandleClientFirst(std::string_view message) {
  if (first_done_) return Malformed("unexpected client-first-message");
  if (message.size() > kScramMessageBytesMax) return Malformed("message too long");
  std::string_view rest = message;
  // gs2-header: channel binding flag, optional authorization identity.
  if (rest.empty()) return Malformed("Input ended unexpectedly.");
  const char flag = rest[0];
  if (flag == 'p') {
    return Malformed(
        "The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message "
        "includes channel binding data.");
  }
  if (flag != 'n' && flag != 'y') return Malformed("Unexpected channel-binding flag.");
  if (rest.size() < 2 || rest[1] != ',') return Malformed("Comma expected.");
  rest.remove_prefix(2);
  if (!rest.empty() && rest[0] == 'a') {
    return Status::NotSupported("client uses authorization identity, but it is not supported");
  }
  if (rest.empty() || rest[0] != ',') return Malformed("Comma expected.");
  rest.remove_prefix(1);
  gs2_header_ = std::string(message.substr(0, 3));
  client_first_bare_ = std::string(rest);
  // client-first-message-bare: n=user,r=nonce[,extensions]. PostgreSQL ignores the user name
  // here (the startup packet's counts).
  std::string_view user;
  std::string_view client_nonce;
  if (rest.size() >= 2 && rest[0] == 'm' && rest[1] == '=') {
    return Malformed("mandatory extensions are not supported");
  }
  if (!ReadAttribute(&rest, 'n', &user)) return Malformed("Expected attribute \"n\".");
  if (!ReadAttribute(&rest, 'r', &client_nonce)) return Malformed("Expected attribute \"r\".");
  if (!IsPrintableNonce(client_nonce)) return Malformed("Invalid nonce.");
  nonce_ = std::string(client_nonce) + server_nonce_;
  server_first_ = "r=" + nonce_ + ",s=" + Base64Encode(verifier_.salt) +
                  ",i=" + std::to_string(verifier_.iterations);
  first_done_ = true;
  return server_first_;
}

Result<std::string> ScramServerExchange::HandleClientFinal(std::string_view message) {
  if (!first_done_) return Malformed("unexpected client-final-message");
  if (message.size() > kScramMessageBytesMax) return Malformed("message too long");
  std::string_view rest = message;
  std::string_view channel_binding;
  std::string_view nonce;
  if (!ReadAttribute(&rest, 'c', &channel_binding)) return Malformed("Expected attribute \"c\".");
  auto binding = Base64Decode(channel_binding);
  if (!binding.ok() || *binding != gs2_header_) {
    return Malformed("SCRAM channel binding check failed");
  }
  if (!ReadAttribute(&rest, 'r', &nonce)) return Malformed("Expected attribute \"r\".");
  if (nonce != nonce_) return Malformed("Nonce does not match.");
  // Extensions up to the proof, which comes last.
  const size_t proof_start = message.rfind(",p=");
  if (proof_start == std::string_view::npos) return Malformed("Expected attribute \"p\".");
  auto proof = Base64Decode(message.substr(proof_start + 3));
  if (!proof.ok() || proof->size() != kScramKeyBytes) return Malformed("Malformed proof.");
  const std::string auth_message = client_first_bare_ + "," + server_first_ + "," +
                                   std::string(message.substr(0, proof_start));
  const std::string client_signature = Hmac(verifier_.stored_key, auth_message);
  std::string client_key(kScramKeyBytes, '\0');
  for (size_t i = 0; i < kScramKeyBytes; ++i) client_key[i] = (*proof)[i] ^ client_signature[i];
  const bool proof_ok = ConstantTimeEqual(Sha256(client_key), verifier_.stored_key);
  if (!proof_ok || !known_) return Status::Aborted("password authentication failed");
  return "v=" + Base64Encode(Hmac(verifier_.server_key, auth_message));
}

}  // namespace plexus::base
