// Fuzzes the server side of SCRAM-SHA-256 (base/scram.h) with untrusted client messages and
// verifier texts: any bytes give a reply or an error, never a crash. Properties: a proof built
// from fuzz bytes never passes for a verifier whose password the fuzzer does not know; a parsed
// verifier formats back to the same text.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "plexus/base/scram.h"

namespace {

const plexus::base::ScramVerifier& KnownVerifier() {
  // Few iterations: the fuzzer runs this per input.
  static const plexus::base::ScramVerifier verifier =
      plexus::base::MakeScramVerifier("not guessable by the fuzzer 0xC0FFEE", "salt-bytes-16by", 2);
  return verifier;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // First message up to the first NUL, the final message after it.
  const size_t split = input.find('\0');
  const std::string_view first = input.substr(0, split);
  const std::string_view final_message =
      split == std::string_view::npos ? std::string_view() : input.substr(split + 1);

  plexus::base::ScramServerExchange exchange(&KnownVerifier(), "user", "servernonce");
  auto server_first = exchange.HandleClientFirst(first);
  if (server_first.ok()) {
    auto server_final = exchange.HandleClientFinal(final_message);
    if (server_final.ok()) std::abort();  // a proof without the password
  }
  plexus::base::ScramServerExchange unknown(nullptr, "user", "servernonce");
  if (unknown.HandleClientFirst(first).ok() && unknown.HandleClientFinal(final_message).ok()) {
    std::abort();  // an unknown role never authenticates
  }
  auto verifier = plexus::base::ParseScramVerifier(input);
  if (verifier.ok() && plexus::base::FormatScramVerifier(*verifier) != input) {
    // Base64 has one spelling per byte string, so only a canonical text parses.
    std::abort();
  }
  return 0;
}
