// Tests for reading a baseline and comparing a run's counts with it.
#include "slt/baseline.h"

#include <gtest/gtest.h>

namespace plexus::slt {
namespace {

constexpr std::string_view kBaseline =
    "# file ok fail skipped\n"
    "evidence/in1.test 128 4 86\r\n"
    "select1.test 1031 0 0\n"
    "\n"
    "TOTAL 1159 4 86\n";

TEST(BaselineTest, ParsesEntriesAndSkipsCommentsAndTotal) {
  Result<Baseline> baseline = ParseBaseline(kBaseline);
  ASSERT_TRUE(baseline.ok()) << baseline.status().ToString();
  ASSERT_EQ(baseline->size(), 2u);
  const BaselineEntry& in1 = baseline->at("evidence/in1.test");
  EXPECT_EQ(in1.passed, 128);
  EXPECT_EQ(in1.failed, 4);
  EXPECT_EQ(in1.skipped, 86);
  EXPECT_FALSE(ParseBaseline("a.test 1 2\n").ok());
  EXPECT_FALSE(ParseBaseline("a.test 1 2 3 4\n").ok());
}

TEST(BaselineTest, FindsEntriesBySlashAlignedSuffix) {
  Baseline baseline = *ParseBaseline(kBaseline);
  EXPECT_TRUE(FindInBaseline(baseline, "select1.test").has_value());
  EXPECT_TRUE(FindInBaseline(baseline, "/x/sqllogictest/select1.test").has_value());
  EXPECT_TRUE(FindInBaseline(baseline, "/x/evidence/in1.test").has_value());
  EXPECT_FALSE(FindInBaseline(baseline, "/x/myselect1.test").has_value());
  EXPECT_FALSE(FindInBaseline(baseline, "in1.test").has_value());
}

TEST(BaselineTest, ComparesPassesOrAllCounts) {
  BaselineEntry entry{10, 2, 3};
  FileReport same{"f.test", 10, 2, 3, {}};
  FileReport better{"f.test", 11, 1, 3, {}};
  FileReport worse{"f.test", 9, 3, 3, {}};
  EXPECT_FALSE(CompareWithBaseline(same, entry, false).has_value());
  EXPECT_FALSE(CompareWithBaseline(better, entry, false).has_value());
  EXPECT_TRUE(CompareWithBaseline(worse, entry, false).has_value());
  EXPECT_FALSE(CompareWithBaseline(same, entry, true).has_value());
  EXPECT_TRUE(CompareWithBaseline(better, entry, true).has_value());
  EXPECT_EQ(*CompareWithBaseline(worse, entry, false),
            "f.test: passed 9, failed 3, skipped 3; baseline ok 10, fail 2, skipped 3");
}

}  // namespace
}  // namespace plexus::slt
