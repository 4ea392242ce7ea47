// Tests of the names of Durability and IsolationLevel values.
#include "plexus/options.h"

#include <gtest/gtest.h>

namespace plexus {
namespace {

TEST(OptionsTest, DurabilityNamesRoundTrip) {
  for (const Durability durability : {Durability::kSync, Durability::kPeriodic, Durability::kOff}) {
    const Result<Durability> parsed = ParseDurability(DurabilityName(durability));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(*parsed, durability);
  }
  EXPECT_EQ(DurabilityName(Durability::kSync), "sync");
  EXPECT_EQ(DurabilityName(Durability::kPeriodic), "periodic");
  EXPECT_EQ(DurabilityName(Durability::kOff), "off");
}

TEST(OptionsTest, DurabilityIgnoresCase) {
  EXPECT_EQ(*ParseDurability("SYNC"), Durability::kSync);
  EXPECT_EQ(*ParseDurability("Periodic"), Durability::kPeriodic);
}

TEST(OptionsTest, DurabilityErrorNamesAcceptedValues) {
  const Result<Durability> parsed = ParseDurability("fsync");
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(parsed.status().IsInvalidArgument());
  EXPECT_EQ(parsed.status().message(),
            "unknown durability \"fsync\"; expected one of: sync, periodic, off");
  EXPECT_FALSE(ParseDurability("").ok());
  EXPECT_FALSE(ParseDurability(" sync").ok());
}

TEST(OptionsTest, IsolationLevelNamesRoundTrip) {
  for (const IsolationLevel isolation :
       {IsolationLevel::kReadCommitted, IsolationLevel::kRepeatableRead}) {
    const Result<IsolationLevel> parsed = ParseIsolationLevel(IsolationLevelName(isolation));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(*parsed, isolation);
  }
  EXPECT_EQ(IsolationLevelName(IsolationLevel::kReadCommitted), "read committed");
  EXPECT_EQ(IsolationLevelName(IsolationLevel::kRepeatableRead), "repeatable read");
}

TEST(OptionsTest, IsolationLevelAcceptsSeparatorsAndCase) {
  for (const char* text : {"repeatable read", "REPEATABLE READ", "repeatable_read",
                           "Repeatable-Read", "REPEATABLE_READ"}) {
    const Result<IsolationLevel> parsed = ParseIsolationLevel(text);
    ASSERT_TRUE(parsed.ok()) << text;
    EXPECT_EQ(*parsed, IsolationLevel::kRepeatableRead) << text;
  }
  EXPECT_EQ(*ParseIsolationLevel("read_committed"), IsolationLevel::kReadCommitted);
}

TEST(OptionsTest, IsolationLevelErrorNamesAcceptedValues) {
  const Result<IsolationLevel> parsed = ParseIsolationLevel("serializable");
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(parsed.status().IsInvalidArgument());
  EXPECT_EQ(parsed.status().message(),
            "unknown isolation level \"serializable\"; expected one of: read committed, "
            "repeatable read");
  EXPECT_FALSE(ParseIsolationLevel("repeatableread").ok());
  EXPECT_FALSE(ParseIsolationLevel("repeatable  read").ok());
}

}  // namespace
}  // namespace plexus
