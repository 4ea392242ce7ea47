#include "plexus/server/pgwire/hba.h"

#include <gtest/gtest.h>

namespace plexus::server::pgwire {
namespace {

TEST(HbaTest, DefaultRulesTrustLoopbackOnly) {
  auto rules = HbaRules::Parse(kDefaultHbaRules);
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  EXPECT_EQ(rules->Match(false, "db", "u", "127.0.0.1:5000")->method, AuthMethod::kTrust);
  EXPECT_EQ(rules->Match(false, "db", "u", "[::1]:5000")->method, AuthMethod::kTrust);
  EXPECT_EQ(rules->Match(false, "db", "u", "[::ffff:127.0.0.1]:5000")->method, AuthMethod::kTrust);
  EXPECT_EQ(rules->Match(false, "db", "u", "10.1.2.3:5000")->method, AuthMethod::kScramSha256);
  EXPECT_EQ(rules->Match(true, "db", "u", "[2001:db8::1]:5000")->method,
            AuthMethod::kScramSha256);
  EXPECT_EQ(rules->Match(false, "db", "u", "[local]")->method, AuthMethod::kTrust);
}

TEST(HbaTest, LocalRulesMatchUnixSocketsOnly) {
  auto rules = HbaRules::Parse(
      "local all postgres trust; local all all password; host all all all scram-sha-256");
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  EXPECT_EQ(rules->Match(false, "db", "postgres", "[local]")->method, AuthMethod::kTrust);
  EXPECT_EQ(rules->Match(false, "db", "alice", "[local]")->method, AuthMethod::kPassword);
  EXPECT_EQ(rules->Match(false, "db", "postgres", "127.0.0.1:1")->method,
            AuthMethod::kScramSha256);
  auto hosts_only = HbaRules::Parse("host all all all trust");
  ASSERT_TRUE(hosts_only.ok());
  EXPECT_EQ(hosts_only->Match(false, "db", "u", "[local]"), nullptr);
  EXPECT_EQ(PeerAddress("[local]"), "[local]");
}

TEST(HbaTest, FirstMatchingRuleWins) {
  auto rules = HbaRules::Parse(
      "# comment line\n"
      "hostssl all all 0.0.0.0/0 password\n"
      "host sales alice,bob 10.0.0.0/8 reject   # trailing comment\n"
      "hostnossl all carol all trust; host all all 10.0.0.0/8 scram-sha-256");
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  EXPECT_EQ(rules->rules().size(), 4u);
  EXPECT_EQ(rules->Match(true, "sales", "alice", "10.0.0.5:1")->method, AuthMethod::kPassword);
  EXPECT_EQ(rules->Match(false, "sales", "alice", "10.0.0.5:1")->method, AuthMethod::kReject);
  EXPECT_EQ(rules->Match(false, "other", "alice", "10.0.0.5:1")->method,
            AuthMethod::kScramSha256);
  EXPECT_EQ(rules->Match(false, "other", "carol", "192.168.1.1:1")->method, AuthMethod::kTrust);
  EXPECT_EQ(rules->Match(true, "other", "carol", "11.0.0.1:1")->method, AuthMethod::kPassword);
  EXPECT_EQ(rules->Match(false, "other", "dave", "11.0.0.1:1"), nullptr);
}

TEST(HbaTest, CidrMasks) {
  auto rules = HbaRules::Parse("host all all 192.168.4.0/22 trust; host all all fe80::/10 trust");
  ASSERT_TRUE(rules.ok());
  EXPECT_NE(rules->Match(false, "d", "u", "192.168.7.255:1"), nullptr);
  EXPECT_EQ(rules->Match(false, "d", "u", "192.168.8.0:1"), nullptr);
  EXPECT_NE(rules->Match(false, "d", "u", "[fe80::1]:1"), nullptr);
  EXPECT_EQ(rules->Match(false, "d", "u", "[fec0::1]:1"), nullptr);
  EXPECT_EQ(rules->Match(false, "d", "u", "?"), nullptr);
}

TEST(HbaTest, BadRulesAreErrors) {
  for (std::string_view text :
       {"host all all", "local all all trust x", "local all all 127.0.0.1/32 trust", "host all all 1.2.3.4/33 trust",
        "host all all 1.2.3.400 trust", "host all all all md5",
        "host all all all password", "host all all ::1/129 trust"}) {
    EXPECT_EQ(HbaRules::Parse(text).status().code(), StatusCode::kInvalidArgument) << text;
  }
  EXPECT_TRUE(HbaRules::Parse("").ok());
}

}  // namespace
}  // namespace plexus::server::pgwire
