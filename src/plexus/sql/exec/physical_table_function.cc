// Set-returning functions (kProjectSet, kFunctionScan): for each input row, every call's series
// (generate_series, generate_subscripts, unnest, jsonb_array_elements[_text],
// jsonb_object_keys, jsonb_each[_text]'s halves, regexp_matches; another function in FROM is
// one value) runs in
// lockstep; the row repeats until the longest series ends, shorter ones give NULL. A
// set-returning call with a NULL argument returns no rows.
#include <cstring>
#include <string>

#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/vector_numeric.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/func/datetime_support.h"
#include "plexus/sql/func/jsonb_support.h"
#include "plexus/sql/func/regexp.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/array.h"
#include "plexus/sql/types/datetime_functions.h"

namespace plexus::sql {

namespace {

Status ZeroStep() { return SqlError(kInvalidParameterValue, "step size cannot equal zero"); }

// The remaining values of one call for the current input row.
class Series {
 public:
  // Starts the series of `call` for row `row` of its argument vectors.
  Status Start(const TableFunctionCall& call, const std::vector<const Vector*>& args, size_t row) {
    call_ = &call;
    next_ = 0;
    count_ = 0;
    unbounded_ = false;
    if (call.function == TableFunction::kScalar) {  // one row, even when its value is NULL
      scalar_ = args[0];
      scalar_row_ = row;
      count_ = 1;
      return Status::Ok();
    }
    for (const Vector* arg : args) {
      if (arg->IsNull(row)) return Status::Ok();  // strict: no rows
    }
    switch (call.function) {
      case TableFunction::kUnnest: {
        PLEXUS_ASSIGN_OR_RETURN(array_, ArrayView::Open(args[0]->GetString(row),
                                                        ArrayElementType(args[0]->type())));
        count_ = array_.size();
        return Status::Ok();
      }
      case TableFunction::kGenerateSubscripts: {
        PLEXUS_ASSIGN_OR_RETURN(ArrayView array, ArrayView::Open(args[0]->GetString(row),
                                                                 ArrayElementType(args[0]->type())));
        // Arrays have one dimension: other dimensions (and empty arrays) have no subscripts.
        const bool reverse = args.size() > 2 && args[2]->values<uint8_t>()[row] != 0;
        if (args[1]->values<int32_t>()[row] != 1) return Status::Ok();
        count_ = array.size();
        first_ = reverse ? static_cast<__int128>(count_) : 1;
        step_ = reverse ? -1 : 1;
        return Status::Ok();
      }
      case TableFunction::kGenerateSeries: return StartSeries(args, row);
      case TableFunction::kRegexpMatches: {
        PLEXUS_ASSIGN_OR_RETURN(matches_, RegexpMatches(args[0]->GetString(row),
                                                        args[1]->GetString(row),
                                                        args.size() > 2 ? args[2]->GetString(row)
                                                                        : std::string_view()));
        count_ = matches_.size();
        return Status::Ok();
      }
      case TableFunction::kJsonbArrayElements:
      case TableFunction::kJsonbArrayElementsText:
      case TableFunction::kJsonbObjectKeys:
      case TableFunction::kJsonbEachValue:
      case TableFunction::kJsonbEachValueText: return StartJsonb(*args[0], row);
      case TableFunction::kScalar: break;
    }
    return Status::Ok();
  }

  // Writes the next value into row `out_row` of `out`; false (and NULL there) when the series
  // has ended.
  Result<bool> Next(Vector* out, size_t out_row) {
    if (!unbounded_ && next_ >= count_) {
      out->SetNull(out_row, true);
      return false;
    }
    out->SetNull(out_row, false);
    switch (call_->function) {
      case TableFunction::kUnnest:
        array_.CopyTo(next_, out, out_row);
        break;
      case TableFunction::kScalar:
        out->CopyRow(*scalar_, scalar_row_, out_row);
        break;
      case TableFunction::kJsonbArrayElements:
        StoreJsonb(out, out_row, json_.elements[next_]);
        break;
      case TableFunction::kJsonbArrayElementsText:
        StoreJsonbText(json_.elements[next_], out, out_row);
        break;
      case TableFunction::kJsonbObjectKeys:
        StoreText(out, out_row, json_.members[next_].key);
        break;
      case TableFunction::kJsonbEachValue:
        StoreJsonb(out, out_row, json_.members[next_].value);
        break;
      case TableFunction::kJsonbEachValueText:
        StoreJsonbText(json_.members[next_].value, out, out_row);
        break;
      case TableFunction::kRegexpMatches:
        out->SetString(out_row, matches_[next_]);
        break;
      case TableFunction::kGenerateSubscripts:
      case TableFunction::kGenerateSeries:
        if (unbounded_) {
          PLEXUS_ASSIGN_OR_RETURN(bool more, NextUnbounded(out, out_row));
          if (!more) return false;
          break;
        }
        {
          const __int128 value = first_ + static_cast<__int128>(next_) * step_;
          if (out->physical() == PhysicalType::kInt32) {
            out->values<int32_t>()[out_row] = static_cast<int32_t>(value);
          } else {
            out->values<int64_t>()[out_row] = static_cast<int64_t>(value);
          }
        }
        break;
    }
    ++next_;
    return true;
  }

 private:
  static __int128 IntegerAt(const Vector& vector, size_t row) {
    return vector.physical() == PhysicalType::kInt32 ? vector.values<int32_t>()[row]
                                                     : vector.values<int64_t>()[row];
  }

  // As ->> prints a value: strings unquoted, JSON null as SQL NULL.
  void StoreJsonbText(const Jsonb& value, Vector* out, size_t out_row) {
    if (value.kind == JsonbKind::kNull) {
      out->SetNull(out_row, true);
    } else if (value.kind == JsonbKind::kString) {
      StoreText(out, out_row, value.scalar);
    } else {
      scratch_.clear();
      FormatJsonb(value, &scratch_);
      StoreText(out, out_row, scratch_);
    }
  }

  // jsonb_array_elements[_text] need an array, jsonb_object_keys and jsonb_each[_text] an
  // object (22023 otherwise, in PostgreSQL's words).
  Status StartJsonb(const Vector& arg, size_t row) {
    PLEXUS_ASSIGN_OR_RETURN(json_, JsonbAt(arg, row));
    const bool elements = call_->function == TableFunction::kJsonbArrayElements ||
                          call_->function == TableFunction::kJsonbArrayElementsText;
    const JsonbKind wanted = elements ? JsonbKind::kArray : JsonbKind::kObject;
    if (json_.kind != wanted) {
      const char* what = json_.kind == JsonbKind::kArray    ? "an array"
                         : json_.kind == JsonbKind::kObject ? "an object"
                                                            : "a scalar";
      if (elements) return SqlError(kInvalidParameterValue, std::string("cannot extract elements from ") + what);
      if (call_->name == "jsonb_object_keys") {
        return SqlError(kInvalidParameterValue, std::string("cannot call jsonb_object_keys on ") + what);
      }
      return SqlError(kInvalidParameterValue, "cannot call " + call_->name + " on a non-object");
    }
    count_ = elements ? json_.elements.size() : json_.members.size();
    return Status::Ok();
  }

  Status StartSeries(const std::vector<const Vector*>& args, size_t row) {
    const TypeId type = call_->type.id;
    if (type == TypeId::kInt32 || type == TypeId::kInt64) {
      first_ = IntegerAt(*args[0], row);
      const __int128 stop = IntegerAt(*args[1], row);
      step_ = args.size() > 2 ? IntegerAt(*args[2], row) : 1;
      if (step_ == 0) return ZeroStep();
      if ((step_ > 0 && stop < first_) || (step_ < 0 && stop > first_)) return Status::Ok();
      count_ = static_cast<size_t>((stop - first_) / step_ + 1);
      return Status::Ok();
    }
    unbounded_ = true;
    done_ = false;
    if (type == TypeId::kNumeric) {
      PLEXUS_ASSIGN_OR_RETURN(numeric_, NumericAt(*args[0], row));
      PLEXUS_ASSIGN_OR_RETURN(numeric_stop_, NumericAt(*args[1], row));
      numeric_step_ = Numeric::FromInt64(1);
      if (args.size() > 2) {
        PLEXUS_ASSIGN_OR_RETURN(numeric_step_, NumericAt(*args[2], row));
      }
      for (const auto& [value, what] : {std::pair{&numeric_, "start"},
                                        std::pair{&numeric_stop_, "stop"},
                                        std::pair{&numeric_step_, "step size"}}) {
        if (value->IsNaN()) return SqlError(kInvalidParameterValue, std::string(what) + " value cannot be NaN");
        if (value->IsInfinite()) {
          return SqlError(kInvalidParameterValue, std::string(what) + " value cannot be infinity");
        }
      }
      if (numeric_step_.IsZero()) return ZeroStep();
      return Status::Ok();
    }
    // timestamp / timestamptz with an interval step.
    micros_ = args[0]->values<int64_t>()[row];
    micros_stop_ = args[1]->values<int64_t>()[row];
    interval_step_ = Slot<Interval>::Get(*args[2], row);
    if (CompareIntervals(interval_step_, Interval{}) == std::strong_ordering::equal) return ZeroStep();
    return Status::Ok();
  }

  // numeric and timestamp series: the current value while it has not passed the stop value.
  Result<bool> NextUnbounded(Vector* out, size_t out_row) {
    if (done_) {
      out->SetNull(out_row, true);
      return false;
    }
    if (call_->type.id == TypeId::kNumeric) {
      const int direction = numeric_.Compare(numeric_stop_);
      if (numeric_step_.IsNegative() ? direction < 0 : direction > 0) return Finish(out, out_row);
      StoreNumeric(out, out_row, numeric_, &scratch_);
      PLEXUS_ASSIGN_OR_RETURN(numeric_, numeric_.Add(numeric_step_));
      return true;
    }
    const bool negative = CompareIntervals(interval_step_, Interval{}) == std::strong_ordering::less;
    if (negative ? micros_ < micros_stop_ : micros_ > micros_stop_) return Finish(out, out_row);
    out->values<int64_t>()[out_row] = micros_;
    // Past the end of the timestamp range the series ends, as PostgreSQL's does.
    if (call_->type.id == TypeId::kTimestampTz) {
      Result<TimestampTz> next =
          AddTimestampTzInterval(TimestampTz{micros_}, interval_step_, SessionTimeZone());
      if (next.ok()) micros_ = next->micros; else done_ = true;
    } else {
      Result<Timestamp> next = AddTimestampInterval(Timestamp{micros_}, interval_step_);
      if (next.ok()) micros_ = next->micros; else done_ = true;
    }
    return true;
  }

  Result<bool> Finish(Vector* out, size_t out_row) {
    done_ = true;
    out->SetNull(out_row, true);
    return false;
  }

  const TableFunctionCall* call_ = nullptr;
  size_t next_ = 0;
  size_t count_ = 0;
  // Integer series and subscripts: value i is first_ + i * step_.
  __int128 first_ = 0;
  __int128 step_ = 1;
  ArrayView array_;
  Jsonb json_;  // jsonb functions: the decoded argument
  const Vector* scalar_ = nullptr;  // kScalar: the value's vector and row
  size_t scalar_row_ = 0;
  bool unbounded_ = false;  // numeric and timestamp series: counted as they go
  bool done_ = false;
  Numeric numeric_;
  Numeric numeric_stop_;
  Numeric numeric_step_;
  int64_t micros_ = 0;
  int64_t micros_stop_ = 0;
  Interval interval_step_;
  std::string scratch_;
  std::vector<std::string> matches_;  // kRegexpMatches' text[] values
};

class TableFunctionOperator final : public Operator {
 public:
  TableFunctionOperator(const PlanNode& plan, OperatorPtr child)
      : Operator(plan), child_(std::move(child)), input_(child_->plan().types),
        series_(plan.functions.size()), args_(plan.functions.size()) {
    for (const TableFunctionCall& call : plan.functions) {
      evaluators_.emplace_back();
      for (const ExprPtr& arg : call.args) evaluators_.back().emplace_back(*arg);
    }
  }

  Status Open(ExecContext& context) override {
    input_.Reset();
    input_row_ = 0;
    row_started_ = false;
    return child_->Open(context);
  }

  Status Next(ExecContext& context, Batch* out) override {
    out->Reset();
    const size_t input_width = input_.column_count();
    size_t rows = 0;
    while (rows < kBatchRowsMax) {
      if (input_row_ >= input_.rows()) {
        PLEXUS_ASSIGN_OR_RETURN(bool more, NextInput(context));
        if (!more) break;
      }
      if (!row_started_) {
        for (size_t i = 0; i < series_.size(); ++i) {
          PLEXUS_RETURN_IF_ERROR(series_[i].Start(plan().functions[i], args_[i], input_row_));
        }
        row_started_ = true;
        ordinal_ = 0;
      }
      bool any = false;
      for (size_t i = 0; i < series_.size(); ++i) {
        PLEXUS_ASSIGN_OR_RETURN(bool produced, series_[i].Next(&out->column(input_width + i), rows));
        any |= produced;
      }
      // LEFT JOIN LATERAL: an input row whose calls return nothing still comes out, padded.
      const bool padded = !any && ordinal_ == 0 && plan().join_type == JoinType::kLeft;
      if (!any && !padded) {
        ++input_row_;
        row_started_ = false;
        continue;
      }
      for (size_t column = 0; column < input_width; ++column) {
        out->column(column).CopyRow(input_.column(column), input_row_, rows);
      }
      ++ordinal_;
      if (plan().ordinality) {
        Vector& ordinality = out->column(input_width + series_.size());
        ordinality.values<int64_t>()[rows] = ordinal_;
        ordinality.SetNull(rows, padded);
      }
      ++rows;
    }
    out->set_rows(rows);
    return Status::Ok();
  }

 private:
  // Reads the next input batch and evaluates every call's arguments over it.
  Result<bool> NextInput(ExecContext& context) {
    input_.Reset();
    input_row_ = 0;
    row_started_ = false;
    PLEXUS_RETURN_IF_ERROR(child_->Next(context, &input_));
    if (input_.rows() == 0) return false;
    for (size_t i = 0; i < evaluators_.size(); ++i) {
      args_[i].resize(evaluators_[i].size());
      for (size_t a = 0; a < evaluators_[i].size(); ++a) {
        PLEXUS_ASSIGN_OR_RETURN(args_[i][a], evaluators_[i][a].Evaluate(context, input_, nullptr));
      }
    }
    return true;
  }

  OperatorPtr child_;
  Batch input_;
  std::vector<std::vector<ExpressionEvaluator>> evaluators_;
  std::vector<Series> series_;
  std::vector<std::vector<const Vector*>> args_;  // per call, over input_
  size_t input_row_ = 0;
  bool row_started_ = false;
  int64_t ordinal_ = 0;
};

}  // namespace

OperatorPtr MakeTableFunctionOperator(const PlanNode& plan, OperatorPtr child) {
  return std::make_unique<TableFunctionOperator>(plan, std::move(child));
}

}  // namespace plexus::sql
