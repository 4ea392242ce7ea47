#include "plexus/base/scram.h"

#include <gtest/gtest.h>

namespace plexus::base {
namespace {

// RFC 7677, section 3: user "user", password "pencil".
constexpr std::string_view kClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
constexpr std::string_view kServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
constexpr std::string_view kServerFirst =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr std::string_view kClientFinal =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr std::string_view kServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

ScramVerifier Rfc7677Verifier() {
  return MakeScramVerifier("pencil", *Base64Decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
}

TEST(ScramTest, Rfc7677Exchange) {
  const ScramVerifier verifier = Rfc7677Verifier();
  ScramServerExchange exchange(&verifier, "user", std::string(kServerNonce));
  auto server_first = exchange.HandleClientFirst(kClientFirst);
  ASSERT_TRUE(server_first.ok()) << server_first.status().ToString();
  EXPECT_EQ(*server_first, kServerFirst);
  auto server_final = exchange.HandleClientFinal(kClientFinal);
  ASSERT_TRUE(server_final.ok()) << server_final.status().ToString();
  EXPECT_EQ(*server_final, kServerFinal);
}

TEST(ScramTest, WrongProofFails) {
  const ScramVerifier verifier = MakeScramVerifier("other", *Base64Decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
  ScramServerExchange exchange(&verifier, "user", std::string(kServerNonce));
  ASSERT_TRUE(exchange.HandleClientFirst(kClientFirst).ok());
  EXPECT_EQ(exchange.HandleClientFinal(kClientFinal).status().code(), StatusCode::kAborted);
}

TEST(ScramTest, UnknownUserRunsTheExchangeAndFails) {
  ScramServerExchange exchange(nullptr, "nobody", std::string(kServerNonce));
  auto server_first = exchange.HandleClientFirst(kClientFirst);
  ASSERT_TRUE(server_first.ok());
  // The same salt each time for one name: probing does not tell that the role is missing.
  ScramServerExchange again(nullptr, "nobody", std::string(kServerNonce));
  EXPECT_EQ(*again.HandleClientFirst(kClientFirst), *server_first);
  EXPECT_EQ(exchange.HandleClientFinal(kClientFinal).status().code(), StatusCode::kAborted);
}

TEST(ScramTest, MalformedMessages) {
  const ScramVerifier verifier = Rfc7677Verifier();
  for (std::string_view message : {"", "n", "x,,n=user,r=abc", "n,,r=abc", "n,,n=user",
                                   "n,,n=user,r=", "p=tls-server-end-point,,n=,r=abc",
                                   "n,,n=user,r=a,bc"}) {
    ScramServerExchange exchange(&verifier, "user", std::string(kServerNonce));
    auto result = exchange.HandleClientFirst(message);
    if (message == "n,,n=user,r=a,bc") {
      EXPECT_TRUE(result.ok()) << message;  // ",bc" is an extension, ignored
      continue;
    }
    EXPECT_FALSE(result.ok()) << message;
  }
  ScramServerExchange exchange(&verifier, "user", std::string(kServerNonce));
  ASSERT_TRUE(exchange.HandleClientFirst(kClientFirst).ok());
  EXPECT_EQ(exchange.HandleClientFinal("c=biws,r=wrongnonce,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
                .status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(exchange.HandleClientFinal("c=eSws,r=x,p=AAAA").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(exchange.HandleClientFinal("garbage").status().code(), StatusCode::kInvalidArgument);
}

TEST(ScramTest, VerifierTextRoundTrip) {
  const std::string text = NewScramVerifierText("secret");
  ASSERT_TRUE(IsScramVerifier(text)) << text;
  EXPECT_EQ(text.rfind("SCRAM-SHA-256$4096:", 0), 0u);
  auto verifier = ParseScramVerifier(text);
  ASSERT_TRUE(verifier.ok());
  EXPECT_EQ(verifier->salt.size(), kScramSaltBytes);
  EXPECT_EQ(FormatScramVerifier(*verifier), text);
  EXPECT_TRUE(ScramCheckPassword(*verifier, "secret"));
  EXPECT_FALSE(ScramCheckPassword(*verifier, "Secret"));
  // Two verifiers of one password differ (random salt).
  EXPECT_NE(NewScramVerifierText("secret"), text);
  // The RFC's keys in PostgreSQL's format.
  EXPECT_EQ(FormatScramVerifier(Rfc7677Verifier()).substr(0, 44),
            "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$");
  for (std::string_view bad : {"secret", "SCRAM-SHA-256$", "SCRAM-SHA-256$0:AAAA$AAAA:AAAA",
                               "SCRAM-SHA-256$4096:AAAA$AAAA:AAAA", "md5abc"}) {
    EXPECT_FALSE(IsScramVerifier(bad)) << bad;
  }
}

TEST(ScramTest, Base64) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(*Base64Decode("Zm9vYg=="), "foob");
  EXPECT_EQ(*Base64Decode("Zm9vYmE="), "fooba");
  EXPECT_FALSE(Base64Decode("Zm9").ok());
  EXPECT_FALSE(Base64Decode("Z=9v").ok());
  EXPECT_FALSE(Base64Decode("Zm9v!A==").ok());
  EXPECT_FALSE(Base64Decode("Zh==").ok());  // bits under the padding
}

}  // namespace
}  // namespace plexus::base
