// SASLprep (RFC 4013) of a password, with PostgreSQL's rule (common/saslprep.c): a password
// that is valid UTF-8 and passes SASLprep is used normalized (spaces mapped, soft hyphens and
// the like removed, NFKC), any other is used as its raw bytes. libpq does the same on the
// client side, so a verifier made from the normalized password matches what it sends.
#pragma once

#include <string>
#include <string_view>

namespace plexus::base {

// The password SCRAM hashes: SASLprep(password) when that succeeds, else `password` itself.
std::string SaslPrepPassword(std::string_view password);

}  // namespace plexus::base
