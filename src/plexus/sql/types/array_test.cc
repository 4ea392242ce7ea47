// Array encoding: building from vector slots and values, reading back, and rejecting bytes
// that are not an array of the expected element type.
#include "plexus/sql/types/array.h"

#include <gtest/gtest.h>

#include <string>

#include "plexus/sql/exec/vector_value.h"

namespace plexus::sql {
namespace {

TEST(ArrayTest, RoundTripsFixedWidthAndNulls) {
  const Type integer = Type::Of(TypeId::kInt32);
  ArrayBuilder builder(integer);
  builder.AppendValue(Value::Int32(7));
  builder.AppendNull();
  builder.AppendValue(Value::Int32(-1));
  EXPECT_EQ(builder.size(), 3u);
  const std::string encoded = builder.Finish();
  EXPECT_EQ(builder.size(), 0u);
  Result<ArrayView> array = ArrayView::Open(encoded, integer);
  ASSERT_TRUE(array.ok());
  ASSERT_EQ(array->size(), 3u);
  EXPECT_EQ(array->Get(0).integer_value(), 7);
  EXPECT_TRUE(array->IsNull(1));
  EXPECT_TRUE(array->Get(1).is_null());
  Vector out(integer);
  array->CopyTo(2, &out, 5);
  EXPECT_FALSE(out.IsNull(5));
  EXPECT_EQ(out.values<int32_t>()[5], -1);
}

TEST(ArrayTest, RoundTripsStringsAndSlices) {
  const Type text = Type::Of(TypeId::kText);
  Vector in(text);
  in.SetString(0, "a");
  in.SetString(1, "");
  in.SetNull(2, true);
  in.SetString(3, std::string(300, 'x'));  // a two-byte length
  ArrayBuilder builder(text);
  for (size_t row = 0; row < 4; ++row) builder.AppendSlot(in, row);
  const std::string encoded = builder.Finish();
  Result<ArrayView> array = ArrayView::Open(encoded, text);
  ASSERT_TRUE(array.ok());
  EXPECT_EQ(array->Bytes(0), "a");
  EXPECT_EQ(array->Bytes(1), "");
  EXPECT_TRUE(array->IsNull(2));
  EXPECT_EQ(array->Bytes(3).size(), 300u);
  ArrayBuilder slice(text);
  slice.AppendElements(*array, 1, 2);
  Result<ArrayView> sliced = ArrayView::Open(slice.Finish(), text);
  ASSERT_TRUE(sliced.ok());
  ASSERT_EQ(sliced->size(), 2u);
  EXPECT_EQ(sliced->Bytes(0), "");
  EXPECT_TRUE(sliced->IsNull(1));
}

TEST(ArrayTest, EmptyArray) {
  Result<ArrayView> array =
      ArrayView::Open(EmptyArray(Type::Of(TypeId::kDate)), Type::Of(TypeId::kDate));
  ASSERT_TRUE(array.ok());
  EXPECT_EQ(array->size(), 0u);
}

TEST(ArrayTest, RejectsMalformedBytes) {
  const Type integer = Type::Of(TypeId::kInt32);
  const std::string good = [&] {
    ArrayBuilder builder(integer);
    builder.AppendValue(Value::Int32(1));
    return builder.Finish();
  }();
  EXPECT_TRUE(ArrayView::Open(good, integer).ok());
  EXPECT_FALSE(ArrayView::Open(good, Type::Of(TypeId::kText)).ok());  // wrong element layout
  EXPECT_FALSE(ArrayView::Open(good.substr(0, good.size() - 1), integer).ok());
  EXPECT_FALSE(ArrayView::Open(good + "x", integer).ok());
  EXPECT_FALSE(ArrayView::Open("", integer).ok());
  EXPECT_FALSE(ArrayView::Open(std::string("\x02\x02\x00", 3), integer).ok());  // format
  std::string bad_flag = good;
  bad_flag[3] = 7;
  EXPECT_FALSE(ArrayView::Open(bad_flag, integer).ok());
}

}  // namespace
}  // namespace plexus::sql
