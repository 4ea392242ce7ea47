// Binding of sequences: CREATE SEQUENCE with PostgreSQL's options and defaults, and the
// sequences that serial and identity columns own.
#include <limits>

#include "plexus/sql/bind/binder_internal.h"

namespace plexus::sql {

namespace {

// The values a sequence of `type` can reach.
std::pair<int64_t, int64_t> TypeRange(TypeId type) {
  switch (type) {
    case TypeId::kInt16: return {std::numeric_limits<int16_t>::min(), std::numeric_limits<int16_t>::max()};
    case TypeId::kInt32: return {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()};
    default: return {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
  }
}

Result<int64_t> OptionInteger(const PgQuery__DefElem& option) {
  const PgQuery__Node* arg = option.arg;
  if (arg != nullptr && arg->node_case == PG_QUERY__NODE__NODE_INTEGER) return int64_t{arg->integer->ival};
  if (arg != nullptr && arg->node_case == PG_QUERY__NODE__NODE_FLOAT) {
    const std::string text = arg->float_->fval;
    char* end = nullptr;
    errno = 0;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    if (errno == 0 && *end == '\0') return int64_t{value};
  }
  return SqlError(kInvalidParameterValue,
                  std::string(option.defname) + " requires an integer value in bigint range");
}

Status InvalidSequence(std::string message) {
  return SqlError(kInvalidParameterValue, std::move(message));
}

}  // namespace

Status Binder::Impl::ApplySequenceOptions(PgQuery__Node* const* options, size_t count,
                                          catalog::SequenceDef* sequence) {
  std::optional<int64_t> start, min_value, max_value;
  bool no_min = false, no_max = false;
  for (size_t i = 0; i < count; ++i) {
    const PgQuery__DefElem& option = *options[i]->def_elem;
    const std::string_view name = option.defname;
    if (name == "as") {
      PLEXUS_ASSIGN_OR_RETURN(sequence->type, BindTypeName(*option.arg->type_name));
      if (!catalog::IsInteger(sequence->type.id)) {
        return InvalidSequence("sequence type must be smallint, integer, or bigint");
      }
    } else if (name == "increment") {
      PLEXUS_ASSIGN_OR_RETURN(sequence->increment, OptionInteger(option));
      if (sequence->increment == 0) return InvalidSequence("INCREMENT must not be zero");
    } else if (name == "start") {
      PLEXUS_ASSIGN_OR_RETURN(start, OptionInteger(option));
    } else if (name == "minvalue") {
      if (option.arg == nullptr) {
        no_min = true;
      } else {
        PLEXUS_ASSIGN_OR_RETURN(min_value, OptionInteger(option));
      }
    } else if (name == "maxvalue") {
      if (option.arg == nullptr) {
        no_max = true;
      } else {
        PLEXUS_ASSIGN_OR_RETURN(max_value, OptionInteger(option));
      }
    } else if (name == "cache") {
      PLEXUS_ASSIGN_OR_RETURN(sequence->cache, OptionInteger(option));
      if (sequence->cache <= 0) {
        return InvalidSequence("CACHE (" + std::to_string(sequence->cache) + ") must be greater than zero");
      }
    } else if (name == "cycle") {
      sequence->cycle = option.arg == nullptr ||
                        (option.arg->node_case == PG_QUERY__NODE__NODE_BOOLEAN && option.arg->boolean->boolval) ||
                        (option.arg->node_case == PG_QUERY__NODE__NODE_INTEGER && option.arg->integer->ival != 0);
    } else if (name == "owned_by") {
      const PgQuery__List& list = *option.arg->list;
      if (list.n_items == 1 && StringValue(list.items[0]) == "none") {
        sequence->owned_by_table.clear();
        sequence->owned_by_column.clear();
      } else if (list.n_items >= 2) {
        sequence->owned_by_table = StringValue(list.items[list.n_items - 2]);
        sequence->owned_by_column = StringValue(list.items[list.n_items - 1]);
      } else {
        return SqlError(kSyntaxError, "invalid OWNED BY option");
      }
    } else if (name == "sequence_name") {
      const PgQuery__List& list = *option.arg->list;
      sequence->name = StringValue(list.items[list.n_items - 1]);
      if (list.n_items >= 2) sequence->schema = StringValue(list.items[list.n_items - 2]);
    } else {
      return SqlError(kFeatureNotSupported, "sequence option \"" + std::string(name) + "\" is not supported");
    }
  }
  // PostgreSQL's defaults: the type's range on the side the increment goes, 1 / -1 on the other.
  const auto [type_min, type_max] = TypeRange(sequence->type.id);
  const bool up = sequence->increment > 0;
  sequence->min_value = min_value && !no_min ? *min_value : (up ? 1 : type_min);
  sequence->max_value = max_value && !no_max ? *max_value : (up ? type_max : -1);
  const std::string type_name = catalog::FormatType(sequence->type);
  if (sequence->min_value < type_min || sequence->min_value > type_max) {
    return InvalidSequence("MINVALUE (" + std::to_string(sequence->min_value) +
                           ") is out of range for sequence data type " + type_name);
  }
  if (sequence->max_value < type_min || sequence->max_value > type_max) {
    return InvalidSequence("MAXVALUE (" + std::to_string(sequence->max_value) +
                           ") is out of range for sequence data type " + type_name);
  }
  if (sequence->min_value >= sequence->max_value) {
    return InvalidSequence("MINVALUE (" + std::to_string(sequence->min_value) +
                           ") must be less than MAXVALUE (" + std::to_string(sequence->max_value) + ")");
  }
  sequence->start = start ? *start : (up ? sequence->min_value : sequence->max_value);
  if (sequence->start < sequence->min_value) {
    return InvalidSequence("START value (" + std::to_string(sequence->start) +
                           ") cannot be less than MINVALUE (" + std::to_string(sequence->min_value) + ")");
  }
  if (sequence->start > sequence->max_value) {
    return InvalidSequence("START value (" + std::to_string(sequence->start) +
                           ") cannot be greater than MAXVALUE (" + std::to_string(sequence->max_value) + ")");
  }
  return Status::Ok();
}

Result<BoundStatement> Binder::Impl::BindCreateSequence(const PgQuery__CreateSeqStmt& create) {
  BoundStatement bound;
  bound.kind = StatementKind::kCreateSequence;
  bound.command_tag = "CREATE SEQUENCE";
  bound.if_not_exists = create.if_not_exists;
  catalog::SequenceDef sequence;
  sequence.name = create.sequence->relname;
  sequence.schema = SchemaOf(*create.sequence);
  PLEXUS_RETURN_IF_ERROR(ApplySequenceOptions(create.options, create.n_options, &sequence));
  if (!sequence.owned_by_table.empty()) {
    PgQuery__RangeVar range = *create.sequence;
    range.relname = sequence.owned_by_table.data();
    PLEXUS_ASSIGN_OR_RETURN(catalog::TableDefPtr table, FindTable(range));
    if (!table->FindColumn(sequence.owned_by_column)) {
      return SqlError(kUndefinedColumn, "column \"" + sequence.owned_by_column + "\" of relation \"" +
                                            table->name + "\" does not exist");
    }
  }
  bound.sequences.push_back(std::move(sequence));
  return bound;
}

Status Binder::Impl::AddOwnedSequence(const catalog::TableDef& table, catalog::ColumnDef* column,
                                      PgQuery__Node* const* options, size_t count,
                                      std::vector<catalog::SequenceDef>* sequences) {
  catalog::SequenceDef sequence;
  sequence.schema = table.schema;
  sequence.name = table.name + "_" + column->name + "_seq";
  sequence.type = column->type;
  sequence.owned_by_table = table.name;
  sequence.owned_by_column = column->name;
  PLEXUS_RETURN_IF_ERROR(ApplySequenceOptions(options, count, &sequence));
  const std::string qualified = sequence.schema == catalog::kDefaultSchema
                                    ? sequence.name
                                    : sequence.schema + "." + sequence.name;
  column->default_expression = "nextval('" + qualified + "')";
  column->not_null = true;
  sequences->push_back(std::move(sequence));
  return Status::Ok();
}

}  // namespace plexus::sql
