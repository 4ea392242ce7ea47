// The string, regular expression and math kernels called directly through the registry: results
// for a batch with NULLs and inactive rows, the SQLSTATE of each error, and limits. SQL-level
// answers are in tests/sql/{string_functions,regexp,math_functions}.test.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/func/cast.h"
#include "plexus/sql/func/function.h"

namespace plexus::sql {
namespace {

// The overload of `name` whose parameters are exactly `types` ("any" taking every type).
const ScalarFunction* Find(std::string_view name, const std::vector<Type>& types) {
  for (const ScalarFunction* function : FunctionRegistry::BuiltIn().Overloads(name)) {
    if (!function->AcceptsArgumentCount(types.size())) continue;
    bool same = true;
    for (size_t i = 0; i < types.size(); ++i) {
      const Type& parameter = function->ParameterType(i);
      same &= parameter == types[i] || IsAnyArgument(parameter);
    }
    if (same) return function;
  }
  return nullptr;
}

// Calls `name` on rows of argument values (one vector per argument, as the evaluator does,
// including its NULL handling for strict functions) and returns each row's text or nullopt.
Result<std::vector<std::optional<std::string>>> CallRows(
    std::string_view name, const std::vector<std::vector<Value>>& columns) {
  std::vector<Type> types;
  for (const auto& column : columns) types.push_back(column[0].type());
  const ScalarFunction* function = Find(name, types);
  EXPECT_NE(function, nullptr) << name;
  if (function == nullptr) return Status::NotFound("no overload");
  const size_t rows = columns.empty() ? 1 : columns[0].size();
  std::vector<Vector> vectors;
  for (const auto& column : columns) {
    Vector& vector = vectors.emplace_back(column[0].type());
    for (size_t row = 0; row < rows; ++row) SetValue(&vector, row, column[row]);
  }
  std::vector<const Vector*> args;
  for (const Vector& vector : vectors) args.push_back(&vector);
  args.push_back(nullptr);
  Vector out(function->result_type);
  std::vector<uint8_t> active(rows, 1);
  for (size_t row = 0; row < rows; ++row) {
    bool any_null = false;
    for (const Vector& vector : vectors) any_null |= function->strict && vector.IsNull(row);
    out.SetNull(row, any_null);
    active[row] = !any_null;
  }
  ExecContext context(nullptr, nullptr);
  PLEXUS_RETURN_IF_ERROR(function->kernel(args.data(), rows, active.data(), &out, context));
  std::vector<std::optional<std::string>> results;
  for (size_t row = 0; row < rows; ++row) {
    if (out.IsNull(row)) {
      results.emplace_back();
      continue;
    }
    std::string text;
    PLEXUS_RETURN_IF_ERROR(FormatText(out, row, &text));
    results.emplace_back(std::move(text));
  }
  return results;
}

// One row: the result's text ("NULL" for NULL) or the error's SQLSTATE prefixed with "ERROR ".
std::string Call(std::string_view name, const std::vector<Value>& args) {
  std::vector<std::vector<Value>> columns;
  for (const Value& arg : args) columns.push_back({arg});
  auto results = CallRows(name, columns);
  if (!results.ok()) return "ERROR " + std::string(results.status().sql_state());
  return (*results)[0].value_or("NULL");
}

Value Text(std::string_view text) { return Value::Text(text); }
Value Int(int32_t value) { return Value::Int32(value); }
Value Float(double value) { return Value::Float64(value); }

TEST(StringFunctionsTest, StrictFunctionsSkipNullRows) {
  auto results = CallRows("upper", {{Text("abc"), Value::Null(Type::Of(TypeId::kText)),
                                     Text("éa")}});
  ASSERT_TRUE(results.ok());
  EXPECT_EQ((*results)[0], "ABC");
  EXPECT_EQ((*results)[1], std::nullopt);
  EXPECT_EQ((*results)[2], "ÉA");
}

TEST(StringFunctionsTest, CaseMappingIsCharacterWise) {
  EXPECT_EQ(Call("lower", {Text("ÀÉÎ ÑOÜ")}), "àéî ñoü");
  EXPECT_EQ(Call("upper", {Text("straße ǆ")}), "STRAßE Ǆ");
  EXPECT_EQ(Call("initcap", {Text("élan-vital o'neil")}), "Élan-Vital O'Neil");
  // A malformed byte passes through unchanged.
  EXPECT_EQ(Call("upper", {Text("a\xFF" "b")}), "A\xFF" "B");
}

TEST(StringFunctionsTest, ErrorsCarryPostgresSqlStates) {
  EXPECT_EQ(Call("substr", {Text("abc"), Int(1), Int(-1)}), "ERROR 22011");
  EXPECT_EQ(Call("split_part", {Text("a,b"), Text(","), Int(0)}), "ERROR 22023");
  EXPECT_EQ(Call("chr", {Int(0)}), "ERROR 54000");
  EXPECT_EQ(Call("chr", {Int(-1)}), "ERROR 22023");
  EXPECT_EQ(Call("chr", {Int(0x110000)}), "ERROR 54000");
  EXPECT_EQ(Call("chr", {Int(0xD800)}), "ERROR 54000");
}

TEST(StringFunctionsTest, LengthLimits) {
  // kStringBytesMax is 1 GB: a larger result fails before allocating.
  EXPECT_EQ(Call("repeat", {Text("ab"), Int(1 << 29)}), "ERROR 54000");
  EXPECT_EQ(Call("lpad", {Text("a"), Int(1 << 30)}), "ERROR 54000");
  EXPECT_EQ(Call("repeat", {Text("ab"), Int(0)}), "");
  EXPECT_EQ(Call("lpad", {Text("ab"), Int(0)}), "");
  EXPECT_EQ(Call("chr", {Int(0x10FFFF)}), "\xF4\x8F\xBF\xBF");
}

TEST(StringFunctionsTest, SubstrBoundaries) {
  EXPECT_EQ(Call("substr", {Text("hello"), Int(INT32_MIN), Int(INT32_MAX)}), "");
  EXPECT_EQ(Call("substr", {Text("hello"), Int(2), Int(INT32_MAX)}), "ello");
  EXPECT_EQ(Call("left", {Text("hello"), Int(INT32_MIN)}), "");
  EXPECT_EQ(Call("right", {Text("hello"), Int(INT32_MIN)}), "");
  EXPECT_EQ(Call("split_part", {Text("a,b"), Text(","), Int(INT32_MIN)}), "");
}

TEST(StringFunctionsTest, ConcatTakesAnyTypeAndSkipsNulls) {
  const Type text = Type::Of(TypeId::kText);
  std::vector<Value> args = {Text("a"), Value::Null(text), Value::Int32(7), Value::Bool(true),
                             Value::Float64(1.5)};
  EXPECT_EQ(Call("concat", args), "a7t1.5");
  args.insert(args.begin(), Text(", "));
  EXPECT_EQ(Call("concat_ws", args), "a, 7, t, 1.5");
  args[0] = Value::Null(text);
  EXPECT_EQ(Call("concat_ws", args), "NULL");
  const ScalarFunction* concat = FunctionRegistry::BuiltIn().Overloads("concat")[0];
  ASSERT_TRUE(concat->variadic);
  EXPECT_TRUE(concat->AcceptsArgumentCount(1));
  EXPECT_TRUE(concat->AcceptsArgumentCount(kFunctionArgumentsMax));
  EXPECT_FALSE(concat->AcceptsArgumentCount(0));
  EXPECT_TRUE(IsAnyArgument(concat->ParameterType(4)));
}

TEST(RegexpFunctionsTest, MatchesAndReplaces) {
  EXPECT_EQ(Call("~", {Text("foo bar"), Text("\\ybar\\y")}), "t");
  EXPECT_EQ(Call("~*", {Text("ABC"), Text("b")}), "t");
  EXPECT_EQ(Call("!~", {Text("ABC"), Text("b")}), "t");
  EXPECT_EQ(Call("regexp_replace", {Text("ab|abc"), Text("a|ab"), Text("X"), Text("g")}), "X|Xc");
  EXPECT_EQ(Call("regexp_replace", {Text("abc"), Text("x*"), Text("-"), Text("g")}), "-a-b-c-");
  EXPECT_EQ(Call("regexp_replace", {Text("Hello"), Text("l"), Text("[\\&]\\\\\\q")}),
            "He[l]\\\\qlo");
  EXPECT_EQ(Call("substring", {Text("foo"), Text("foo(bar)?")}), "NULL");
  EXPECT_EQ(Call("regexp_count", {Text("abc"), Text("")}), "4");
}

TEST(RegexpFunctionsTest, ErrorsCarryPostgresSqlStates) {
  EXPECT_EQ(Call("~", {Text("a"), Text("(")}), "ERROR 2201B");
  EXPECT_EQ(Call("~", {Text("a"), Text("[a")}), "ERROR 2201B");
  EXPECT_EQ(Call("~", {Text("a"), Text("*")}), "ERROR 2201B");
  EXPECT_EQ(Call("regexp_replace", {Text("a"), Text("a"), Text("b"), Text("z")}), "ERROR 22023");
  EXPECT_EQ(Call("regexp_like", {Text("a"), Text("a"), Text("g")}), "ERROR 22023");
  // What RE2 cannot run is reported as not supported rather than answered wrongly.
  EXPECT_EQ(Call("~", {Text("aa"), Text("(a)\\1")}), "ERROR 0A000");
  EXPECT_EQ(Call("~", {Text("ab"), Text("a(?=b)")}), "ERROR 0A000");
}

TEST(RegexpFunctionsTest, ManyPatternsInOneBatch) {
  // More distinct patterns than the per-thread cache holds (32): every row still compiles its own.
  std::vector<Value> texts;
  std::vector<Value> patterns;
  for (int i = 0; i < 100; ++i) {
    texts.push_back(Text("x" + std::to_string(i)));
    patterns.push_back(Text("^x" + std::to_string(i % 50) + "$"));
  }
  auto results = CallRows("~", {texts, patterns});
  ASSERT_TRUE(results.ok());
  for (int i = 0; i < 100; ++i) EXPECT_EQ((*results)[i], i < 50 ? "t" : "f") << i;
}

TEST(MathFunctionsTest, ErrorsCarryPostgresSqlStates) {
  EXPECT_EQ(Call("sqrt", {Float(-1)}), "ERROR 2201F");
  EXPECT_EQ(Call("ln", {Float(0)}), "ERROR 2201E");
  EXPECT_EQ(Call("asin", {Float(2)}), "ERROR 22003");
  EXPECT_EQ(Call("gcd", {Int(INT32_MIN), Int(0)}), "ERROR 22003");
  EXPECT_EQ(Call("width_bucket", {Float(1), Float(1), Float(1), Int(1)}), "ERROR 2201G");
  EXPECT_EQ(Call("width_bucket", {Float(1), Float(0), Float(2), Int(INT32_MAX)}),
            "1073741824");
  EXPECT_EQ(Call("width_bucket", {Float(3), Float(0), Float(2), Int(INT32_MAX)}), "ERROR 22003");
  EXPECT_EQ(Call("setseed", {Float(1.5)}), "ERROR 22023");
  EXPECT_EQ(Call("factorial", {Value::Int64(-1)}), "ERROR 22003");
  EXPECT_EQ(Call("factorial", {Value::Int64(32178)}), "ERROR 22003");
}

TEST(MathFunctionsTest, SeededRandomRepeatsPostgres) {
  ASSERT_EQ(Call("setseed", {Float(0.5)}), "");
  EXPECT_EQ(Call("random", {}), "0.9851677175347999");
  EXPECT_EQ(Call("random", {}), "0.825301858027981");
}

TEST(MathFunctionsTest, IntegerGcdAndLcmAtTheLimits) {
  EXPECT_EQ(Call("gcd", {Int(INT32_MIN), Int(1)}), "1");
  EXPECT_EQ(Call("gcd", {Int(INT32_MIN), Int(-1)}), "1");
  EXPECT_EQ(Call("gcd", {Int(INT32_MIN), Int(INT32_MIN)}), "ERROR 22003");
  EXPECT_EQ(Call("lcm", {Int(INT32_MIN), Int(1)}), "ERROR 22003");
  EXPECT_EQ(Call("lcm", {Int(65536), Int(32768)}), "65536");
  EXPECT_EQ(Call("gcd", {Value::Int64(INT64_MIN), Value::Int64(2)}), "2");
}

}  // namespace
}  // namespace plexus::sql
