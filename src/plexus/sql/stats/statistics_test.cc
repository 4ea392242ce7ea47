// The statistics ANALYZE computes from a sample (against what PostgreSQL 15 stores for the same
// data when the sample is the whole table) and the selectivities estimated from them.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "plexus/sql/stats/analyze.h"
#include "plexus/sql/stats/estimate.h"

namespace plexus::sql::stats {
namespace {

catalog::ColumnDef IntColumn(std::string name) {
  catalog::ColumnDef column;
  column.name = std::move(name);
  column.type = Type::Of(TypeId::kInt32);
  return column;
}

// Non-null values of f(i) for i in [1, rows] (NULL where f gives nullopt).
ColumnStatistics Compute(size_t rows, const std::function<std::optional<int32_t>(int)>& f) {
  std::vector<SampledValue> values;
  for (size_t i = 1; i <= rows; ++i) {
    std::optional<int32_t> v = f(static_cast<int>(i));
    if (!v) continue;
    Value value = Value::Int32(*v);
    values.push_back({KeyOf(value), value});
  }
  return ComputeColumnStatistics(IntColumn("c"), std::move(values), rows, static_cast<double>(rows));
}

std::vector<std::string> Texts(const std::vector<StatValue>& values) {
  std::vector<std::string> texts;
  for (const StatValue& value : values) texts.push_back(value.text);
  return texts;
}

TEST(ColumnStatisticsTest, FewValuesAreAllCommon) {
  // PostgreSQL: n_distinct 10, most_common_vals {0,...,9}, freqs 0.1 each, no histogram.
  ColumnStatistics stats = Compute(1000, [](int i) { return i % 10; });
  EXPECT_EQ(stats.distinct, 10);
  EXPECT_EQ(Texts(stats.common_values),
            (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
  for (double frequency : stats.common_frequencies) EXPECT_DOUBLE_EQ(frequency, 0.1);
  EXPECT_TRUE(stats.histogram.empty());
  EXPECT_EQ(stats.average_width, 4);
  EXPECT_EQ(stats.null_fraction, 0);
}

TEST(ColumnStatisticsTest, UniqueValuesGetAHistogram) {
  // PostgreSQL: n_distinct -1, histogram {1,10,20,...,990,1000} (101 bounds).
  ColumnStatistics stats = Compute(1000, [](int i) { return i; });
  EXPECT_EQ(stats.distinct, -1);
  EXPECT_TRUE(stats.common_values.empty());
  ASSERT_EQ(stats.histogram.size(), 101u);
  EXPECT_EQ(stats.histogram[0].text, "1");
  EXPECT_EQ(stats.histogram[1].text, "10");
  EXPECT_EQ(stats.histogram[50].text, "500");
  EXPECT_EQ(stats.histogram[100].text, "1000");
  EXPECT_EQ(stats.min->text, "1");
  EXPECT_EQ(stats.max->text, "1000");
}

TEST(ColumnStatisticsTest, NullsCountInTheNullFraction) {
  // PostgreSQL: null_frac 0.25, n_distinct 3, most_common_vals {0,1,2} at 0.25 each.
  ColumnStatistics stats = Compute(1000, [](int i) -> std::optional<int32_t> {
    if (i % 4 == 0) return std::nullopt;
    return i % 3;
  });
  EXPECT_DOUBLE_EQ(stats.null_fraction, 0.25);
  EXPECT_EQ(stats.distinct, 3);
  EXPECT_EQ(Texts(stats.common_values), (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_DOUBLE_EQ(stats.common_frequencies[0], 0.25);
}

TEST(ColumnStatisticsTest, DistinctScalesWithTheTableAboveTenPercent) {
  // PostgreSQL: n_distinct -0.16333333 (49 of 300), all 49 values common, the squares (seen
  // seven times) first.
  ColumnStatistics stats = Compute(300, [](int i) { return (i * i) % 97; });
  EXPECT_NEAR(stats.distinct, -49.0 / 300, 1e-9);
  ASSERT_EQ(stats.common_values.size(), 49u);
  EXPECT_EQ(stats.common_values[0].text, "1");
  EXPECT_EQ(stats.common_values[8].text, "81");
  EXPECT_EQ(stats.common_values[9].text, "2");
  EXPECT_EQ(stats.common_values[48].text, "0");
  EXPECT_NEAR(stats.common_frequencies[0], 7.0 / 300, 1e-12);
}

TEST(ColumnStatisticsTest, HaasStokesFromAPartialSample) {
  // A sample of 1000 rows of a 100,000-row table: 200 values seen twice and 600 once; the
  // estimator scales the singletons up.
  std::vector<SampledValue> values;
  for (int i = 0; i < 1000; ++i) {
    Value value = Value::Int32(i < 400 ? i / 2 : i);  // 200 pairs, 600 singletons
    values.push_back({KeyOf(value), value});
  }
  ColumnStatistics stats = ComputeColumnStatistics(IntColumn("c"), values, 1000, 100000);
  // n*d / (n - f1 + f1*n/N) = 1000*800 / (1000 - 600 + 600*1000/100000) = 800000 / 406
  EXPECT_EQ(stats.distinct, std::floor(800000.0 / 406 + 0.5));
}

TEST(SelectivityTest, EqualityUsesCommonValuesThenTheRest) {
  ColumnStatistics stats = Compute(1000, [](int i) { return i <= 500 ? 0 : i; });
  ColumnInfo column;
  column.statistics = &stats;
  column.table_rows = 1000;
  auto constant = [](int32_t v) { return Expr::Constant(Value::Int32(v)); };
  EXPECT_NEAR(EqualSelectivity(column, *constant(0)), 0.5, 1e-9);
  // The other 500 values share the other half.
  EXPECT_NEAR(EqualSelectivity(column, *constant(700)), 0.5 / 500, 1e-6);
  EXPECT_EQ(EqualSelectivity(column, *Expr::Constant(Value::Null(Type::Of(TypeId::kInt32)))), 0);
}

TEST(SelectivityTest, RangesInterpolateInTheHistogram) {
  ColumnStatistics stats = Compute(1000, [](int i) { return i; });
  ColumnInfo column;
  column.statistics = &stats;
  column.table_rows = 1000;
  auto constant = [](int32_t v) { return Expr::Constant(Value::Int32(v)); };
  auto c250 = constant(250);
  auto c255 = constant(255);
  auto c750 = constant(750);
  EXPECT_NEAR(RangeSelectivity(column, nullptr, false, c250.get(), false), 0.25, 0.002);
  EXPECT_NEAR(RangeSelectivity(column, nullptr, false, c255.get(), false), 0.255, 0.002);
  EXPECT_NEAR(RangeSelectivity(column, c750.get(), false, nullptr, false), 0.25, 0.002);
  EXPECT_NEAR(RangeSelectivity(column, c250.get(), false, c750.get(), false), 0.5, 0.004);
  // Outside the histogram: nothing, or everything.
  auto c5000 = constant(5000);
  EXPECT_NEAR(RangeSelectivity(column, c5000.get(), false, nullptr, false), 0, 1e-9);
  EXPECT_NEAR(RangeSelectivity(column, nullptr, false, c5000.get(), false), 1, 1e-9);
}

TEST(SelectivityTest, DefaultsWithoutStatistics) {
  ColumnInfo column;
  auto value = Expr::Constant(Value::Int32(3));
  EXPECT_DOUBLE_EQ(EqualSelectivity(column, *value), kDefaultEqualSelectivity);
  EXPECT_DOUBLE_EQ(RangeSelectivity(column, value.get(), false, nullptr, false),
                   kDefaultInequalitySelectivity);
  EXPECT_DOUBLE_EQ(RangeSelectivity(column, value.get(), false, value.get(), false),
                   kDefaultRangeSelectivity);
}

TEST(StatisticsJsonTest, RoundTrips) {
  TableStatistics table;
  table.table_id = 17000;
  table.rows = 1000;
  table.columns.push_back(Compute(1000, [](int i) { return i % 10; }));
  table.columns.push_back(Compute(1000, [](int i) { return i; }));
  Result<TableStatistics> back = StatisticsFromJson(StatisticsToJson(table));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->rows, 1000);
  ASSERT_EQ(back->columns.size(), 2u);
  EXPECT_EQ(back->columns[0].common_values.size(), 10u);
  EXPECT_EQ(back->columns[0].common_values[3].key, table.columns[0].common_values[3].key);
  EXPECT_EQ(back->columns[1].histogram.size(), 101u);
  EXPECT_EQ(*back->columns[1].histogram[7].number, 70);
  EXPECT_FALSE(StatisticsFromJson("{\"rows\": 1}").ok());
  EXPECT_FALSE(StatisticsFromJson("not json").ok());
}

}  // namespace
}  // namespace plexus::sql::stats
