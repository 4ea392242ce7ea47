// COPY FROM STDIN / TO STDOUT: options, binding to a table (through generated INSERT and SELECT
// statements, so names, defaults and constraints resolve exactly as in SQL), and the row loops.
#include "plexus/session/copy.h"

#include <pg_query/pg_query.pb-c.h>

#include <cctype>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "plexus/session/copy_format.h"
#include "plexus/session/session.h"
#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/exec/operator.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/func/cast.h"
#include "plexus/sql/parse/parser.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/stats/auto_analyze.h"

namespace plexus::session {

namespace {

using sql::SqlError;

Status CopyNotSupported(std::string_view what) {
  return SqlError(sql::kFeatureNotSupported, what);
}

std::string ToUpper(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (const char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

// The text of an option's argument: a string, a number, a boolean, or nothing (true).
std::string OptionText(const PgQuery__DefElem& option) {
  if (option.arg == nullptr) return "true";
  const PgQuery__Node& arg = *option.arg;
  switch (arg.node_case) {
    case PG_QUERY__NODE__NODE_STRING: return arg.string->sval;
    case PG_QUERY__NODE__NODE_INTEGER: return std::to_string(arg.integer->ival);
    case PG_QUERY__NODE__NODE_BOOLEAN: return arg.boolean->boolval ? "true" : "false";
    case PG_QUERY__NODE__NODE_FLOAT: return arg.float_->fval;
    default: return "";
  }
}

Result<bool> OptionBoolean(const PgQuery__DefElem& option) {
  const std::string text = OptionText(option);
  if (text == "true" || text == "on" || text == "1") return true;
  if (text == "false" || text == "off" || text == "0") return false;
  return SqlError(sql::kSyntaxError, std::string(option.defname) + " requires a Boolean value");
}

Result<char> OptionCharacter(const PgQuery__DefElem& option, std::string_view what) {
  const std::string text = OptionText(option);
  if (text.size() != 1) {
    return CopyNotSupported("COPY " + std::string(what) + " must be a single one-byte character");
  }
  return text[0];
}

Result<CopyFormat> ParseOptions(const PgQuery__CopyStmt& copy) {
  bool csv = false;
  bool binary = false;
  for (size_t i = 0; i < copy.n_options; ++i) {
    const PgQuery__DefElem& option = *copy.options[i]->def_elem;
    if (std::string_view(option.defname) != "format") continue;
    const std::string format = OptionText(option);
    if (format == "csv") {
      csv = true;
    } else if (format == "binary") {
      binary = true;
    } else if (format != "text") {
      return SqlError(sql::kInvalidParameterValue, "COPY format \"" + format + "\" not recognized");
    }
  }
  CopyFormat format;
  format.csv = csv;
  format.binary = binary;
  if (csv) {
    format.delimiter = ',';
    format.null_text = "";
  }
  bool escape_given = false;
  for (size_t i = 0; i < copy.n_options; ++i) {
    const PgQuery__DefElem& option = *copy.options[i]->def_elem;
    const std::string_view name = option.defname;
    if (name == "format" || name == "freeze" || name == "encoding") {
      if (name == "encoding") {
        const std::string encoding = OptionText(option);
        if (encoding != "UTF8" && encoding != "utf8" && encoding != "UTF-8" &&
            encoding != "utf-8") {
          return CopyNotSupported("COPY encoding \"" + encoding + "\" is not supported");
        }
      }
      continue;
    }
    if (binary && (name == "delimiter" || name == "null" || name == "header")) {
      return SqlError(sql::kSyntaxError,
                      "cannot specify " + ToUpper(name) + " in BINARY mode");
    }
    if (name == "delimiter") {
      PLEXUS_ASSIGN_OR_RETURN(format.delimiter, OptionCharacter(option, "delimiter"));
      if (format.delimiter == '\n' || format.delimiter == '\r') {
        return SqlError(sql::kInvalidParameterValue,
                        "COPY delimiter cannot be newline or carriage return");
      }
    } else if (name == "null") {
      format.null_text = OptionText(option);
    } else if (name == "header") {
      PLEXUS_ASSIGN_OR_RETURN(format.header, OptionBoolean(option));
    } else if (name == "quote" || name == "escape") {
      if (!csv) {
        return CopyNotSupported("COPY " + std::string(name) + " available only in CSV mode");
      }
      PLEXUS_ASSIGN_OR_RETURN(const char value, OptionCharacter(option, name));
      if (name == "quote") {
        format.quote = value;
      } else {
        format.escape = value;
        escape_given = true;
      }
    } else {
      return CopyNotSupported("COPY option \"" + std::string(name) + "\" is not supported");
    }
  }
  if (csv && !escape_given) format.escape = format.quote;
  if (csv && format.delimiter == format.quote) {
    return SqlError(sql::kInvalidParameterValue,
                    "COPY delimiter and quote must be different");
  }
  return format;
}

// The target table's name as SQL and the columns named (or all of them).
struct CopyTarget {
  std::string table_sql;  // "schema"."table"
  std::vector<std::string> columns;
};

Result<CopyTarget> ResolveTarget(const PgQuery__CopyStmt& copy, Engine& engine,
                                 txn::Transaction& transaction) {
  const PgQuery__RangeVar& relation = *copy.relation;
  CopyTarget target;
  const std::string_view schema = relation.schemaname ? relation.schemaname : "";
  if (!schema.empty()) target.table_sql = QuoteIdentifier(schema) + ".";
  target.table_sql += QuoteIdentifier(relation.relname);
  for (size_t i = 0; i < copy.n_attlist; ++i) {
    target.columns.emplace_back(copy.attlist[i]->string->sval);
  }
  if (target.columns.empty()) {
    auto table = engine.catalog().FindTable(
        transaction, schema.empty() ? std::string_view(catalog::kDefaultSchema) : schema,
        relation.relname);
    if (table.status().IsNotFound()) {
      return SqlError(sql::kUndefinedTable,
                      "relation \"" + std::string(relation.relname) + "\" does not exist");
    }
    PLEXUS_RETURN_IF_ERROR(table.status());
    for (const catalog::ColumnDef& column : (*table)->columns) {
      target.columns.push_back(column.name);
    }
  }
  return target;
}

std::string ColumnListSql(const std::vector<std::string>& columns) {
  std::string sql;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += QuoteIdentifier(columns[i]);
  }
  return sql;
}

// A bound INSERT of `rows` rows of parameters ($1.. row by row), kept with its parse tree.
struct InsertPlan {
  sql::ParseTree tree;
  sql::BoundStatement bound;
  std::vector<sql::Type> parameter_types;
  std::unique_ptr<sql::Operator> root;  // built once, reopened for each group of rows
};

Result<std::unique_ptr<InsertPlan>> BindInsert(const CopyTarget& target, size_t rows,
                                               Engine& engine, txn::Transaction& transaction) {
  std::string sql = "INSERT INTO " + target.table_sql + " (" + ColumnListSql(target.columns) +
                    ") VALUES ";
  size_t parameter = 1;
  for (size_t row = 0; row < rows; ++row) {
    sql += row == 0 ? "(" : ", (";
    for (size_t column = 0; column < target.columns.size(); ++column) {
      if (column > 0) sql += ", ";
      sql += "$" + std::to_string(parameter++);
    }
    sql += ")";
  }
  PLEXUS_ASSIGN_OR_RETURN(sql::ParseTree tree, sql::ParseTree::Parse(sql));
  sql::Binder binder(&transaction, &engine.catalog());
  PLEXUS_ASSIGN_OR_RETURN(sql::BoundStatement bound, binder.Bind(*tree.statement(0).stmt));
  auto plan = std::make_unique<InsertPlan>(
      InsertPlan{std::move(tree), std::move(bound), binder.parameter_types(), nullptr});
  PLEXUS_ASSIGN_OR_RETURN(plan->root, sql::BuildOperator(*plan->bound.plan));
  return plan;
}

// Runs an operator tree to its end; rows it returns go to `on_batch` (when set).
Status RunToEnd(sql::Operator& root, sql::ExecContext& context,
                const std::function<Status(const sql::Batch&)>& on_batch) {
  PLEXUS_RETURN_IF_ERROR(root.Open(context));
  sql::Batch batch(root.plan().types);
  while (true) {
    batch.Reset();
    PLEXUS_RETURN_IF_ERROR(root.Next(context, &batch));
    if (batch.rows() == 0) return Status::Ok();
    if (on_batch) PLEXUS_RETURN_IF_ERROR(on_batch(batch));
  }
}

// Column `column` of text `records` as values of `type`, into every `columns`-th parameter: one
// vectorized cast (PostgreSQL's input functions and errors); the INSERT then applies the
// column's typmod and constraints.
Status CastColumn(const std::vector<CopyRecord>& records, size_t column, const sql::Type& type,
                  size_t columns, std::vector<sql::Value>* parameters) {
  sql::Vector text(sql::Type::Of(sql::TypeId::kText));
  std::vector<uint8_t> active(records.size(), 1);
  for (size_t row = 0; row < records.size(); ++row) {
    const std::optional<std::string>& field = records[row][column];
    if (field) {
      text.SetString(row, *field);
    } else {
      text.SetNull(row, true);
      active[row] = 0;
    }
  }
  if (type.id == sql::TypeId::kText) {
    for (size_t row = 0; row < records.size(); ++row) {
      (*parameters)[row * columns + column] = sql::GetValue(text, row);
    }
    return Status::Ok();
  }
  sql::Vector typed(type);
  PLEXUS_RETURN_IF_ERROR(sql::CastVector(text, records.size(), active.data(), &typed));
  for (size_t row = 0; row < records.size(); ++row) {
    if (!active[row]) typed.SetNull(row, true);
    (*parameters)[row * columns + column] = sql::GetValue(typed, row);
  }
  return Status::Ok();
}

class CopyIn {
 public:
  CopyIn(Engine& engine, txn::Transaction& transaction, const ExecContextFactory& new_context,
         CopyTarget target)
      : engine_(engine),
        transaction_(transaction),
        new_context_(new_context),
        target_(std::move(target)) {}

  // Inserts `records` (each with one field per column: text, or with `binary` set the bytes of
  // the channel's binary format); returns rows inserted.
  Result<uint64_t> Insert(const std::vector<CopyRecord>& records, CopyChannel* binary) {
    std::unique_ptr<InsertPlan>& plan =
        records.size() == kCopyRowsPerInsert ? full_plan_ : partial_plan_;
    if (!plan || plan_rows(plan) != records.size()) {
      PLEXUS_ASSIGN_OR_RETURN(plan, BindInsert(target_, records.size(), engine_, transaction_));
    }
    const size_t columns = target_.columns.size();
    const std::unique_ptr<sql::ExecContext> own_context = new_context_();
    sql::ExecContext& context = *own_context;
    std::vector<sql::Value>& parameters = context.parameters();
    parameters.resize(records.size() * columns);
    for (size_t column = 0; column < columns; ++column) {
      const sql::Type& type = plan->parameter_types[column];
      if (binary != nullptr) {
        for (size_t row = 0; row < records.size(); ++row) {
          const std::optional<std::string>& field = records[row][column];
          if (!field) {
            parameters[row * columns + column] = sql::Value::Null(type);
            continue;
          }
          PLEXUS_ASSIGN_OR_RETURN(parameters[row * columns + column],
                                  binary->DecodeBinaryValue(type, *field));
        }
        continue;
      }
      PLEXUS_RETURN_IF_ERROR(CastColumn(records, column, type, columns, &parameters));
    }
    PLEXUS_RETURN_IF_ERROR(RunToEnd(*plan->root, context, nullptr));
    // Rows loaded count toward the table's next automatic ANALYZE.
    sql::stats::NoteStatementChanges(engine_.catalog().instance(), *plan->bound.plan,
                                     context.affected_rows());
    return context.affected_rows();
  }

 private:
  size_t plan_rows(const std::unique_ptr<InsertPlan>& plan) const {
    return plan->parameter_types.size() / std::max<size_t>(1, target_.columns.size());
  }

  Engine& engine_;
  txn::Transaction& transaction_;
  const ExecContextFactory& new_context_;
  CopyTarget target_;
  std::unique_ptr<InsertPlan> full_plan_;
  std::unique_ptr<InsertPlan> partial_plan_;
};

Status CopyFrom(const PgQuery__CopyStmt& copy, const CopyFormat& format, Engine& engine,
                txn::Transaction& transaction, const ExecContextFactory& new_context,
                CopyChannel& channel, ResultSink& sink) {
  if (copy.where_clause != nullptr) return CopyNotSupported("COPY FROM ... WHERE is not supported");
  PLEXUS_ASSIGN_OR_RETURN(CopyTarget target, ResolveTarget(copy, engine, transaction));
  const size_t columns = target.columns.size();
  const std::vector<std::string> column_names = target.columns;
  CopyIn inserter(engine, transaction, new_context, std::move(target));
  PLEXUS_RETURN_IF_ERROR(channel.BeginCopyIn(format, columns));
  CopyParser parser(format);
  CopyChannel* binary = format.binary ? &channel : nullptr;
  std::vector<CopyRecord> records;
  uint64_t rows = 0;
  bool skip_header = format.header;
  bool done = false;
  Status failed;  // the first error; the rest of the client's data is still read
  std::string data;
  while (!done) {
    PLEXUS_RETURN_IF_ERROR(channel.ReadCopyData(&data, &done));
    if (!failed.ok()) continue;
    parser.Feed(data);
    CopyRecord record;
    while (failed.ok()) {
      Result<bool> next = parser.Next(done, &record);
      if (!next.ok()) {
        failed = next.status();
        break;
      }
      if (!*next) break;
      if (skip_header) {
        skip_header = false;
        continue;
      }
      if (record.size() < columns) {
        failed = SqlError(kBadCopyFileFormat,
                          "missing data for column \"" + column_names[record.size()] + "\"");
        break;
      }
      if (record.size() > columns) {
        failed = SqlError(kBadCopyFileFormat, "extra data after last expected column");
        break;
      }
      records.push_back(std::move(record));
      if (records.size() == kCopyRowsPerInsert) {
        Result<uint64_t> inserted = inserter.Insert(records, binary);
        records.clear();
        if (!inserted.ok()) {
          failed = inserted.status();
          break;
        }
        rows += *inserted;
      }
    }
    if (failed.ok() && channel.canceled()) {
      failed = SqlError(sql::kQueryCanceled, "canceling statement due to user request");
    }
  }
  PLEXUS_RETURN_IF_ERROR(failed);
  if (!records.empty()) {
    PLEXUS_ASSIGN_OR_RETURN(const uint64_t inserted, inserter.Insert(records, binary));
    rows += inserted;
  }
  return sink.Complete("COPY " + std::to_string(rows));
}

Status AppendBinaryRow(const sql::Batch& batch, size_t row, CopyChannel& channel,
                       std::string* out) {
  AppendBinaryCopyFieldCount(batch.column_count(), out);
  for (size_t column = 0; column < batch.column_count(); ++column) {
    const sql::Vector& vector = batch.column(column);
    if (vector.IsNull(row)) {
      AppendBinaryCopyNull(out);
      continue;
    }
    const size_t length_at = out->size();
    out->append(4, '\0');
    PLEXUS_RETURN_IF_ERROR(channel.EncodeBinaryValue(vector, row, out));
    FinishBinaryCopyField(length_at, out);
  }
  return Status::Ok();
}

Status CopyTo(const PgQuery__CopyStmt& copy, const CopyFormat& format, Engine& engine,
              txn::Transaction& transaction, const ExecContextFactory& new_context,
              CopyChannel& channel, ResultSink& sink) {
  std::unique_ptr<sql::ParseTree> tree;
  const PgQuery__Node* query = copy.query;
  if (query == nullptr) {
    PLEXUS_ASSIGN_OR_RETURN(CopyTarget target, ResolveTarget(copy, engine, transaction));
    PLEXUS_ASSIGN_OR_RETURN(sql::ParseTree parsed,
                            sql::ParseTree::Parse("SELECT " + ColumnListSql(target.columns) +
                                                  " FROM " + target.table_sql));
    tree = std::make_unique<sql::ParseTree>(std::move(parsed));
    query = tree->statement(0).stmt;
  }
  sql::Binder binder(&transaction, &engine.catalog());
  PLEXUS_ASSIGN_OR_RETURN(sql::BoundStatement bound, binder.Bind(*query));
  if (bound.kind != sql::StatementKind::kQuery) {
    return CopyNotSupported("COPY query must be a SELECT");
  }
  const sql::PlanNode& plan = *bound.plan;
  PLEXUS_RETURN_IF_ERROR(channel.BeginCopyOut(format, plan.types.size()));
  // One data message per row, as PostgreSQL sends them (clients parse a message as a row); the
  // binary header travels with the first row and the trailer alone.
  std::string out;
  if (format.binary) AppendBinaryCopyHeader(&out);
  if (format.header) {
    for (size_t i = 0; i < plan.names.size(); ++i) {
      if (i > 0) out.push_back(format.delimiter);
      AppendCopyField(format, plan.names[i], &out);
    }
    out.push_back('\n');
    PLEXUS_RETURN_IF_ERROR(channel.WriteCopyData(out));
    out.clear();
  }
  const std::unique_ptr<sql::ExecContext> own_context = new_context();
  sql::ExecContext& context = *own_context;
  uint64_t rows = 0;
  std::string text;
  PLEXUS_ASSIGN_OR_RETURN(std::unique_ptr<sql::Operator> root, sql::BuildOperator(plan));
  PLEXUS_RETURN_IF_ERROR(RunToEnd(*root, context, [&](const sql::Batch& batch) -> Status {
    if (channel.canceled()) {
      return SqlError(sql::kQueryCanceled, "canceling statement due to user request");
    }
    for (size_t row = 0; row < batch.rows(); ++row) {
      if (format.binary) {
        PLEXUS_RETURN_IF_ERROR(AppendBinaryRow(batch, row, channel, &out));
      } else {
        for (size_t column = 0; column < batch.column_count(); ++column) {
          if (column > 0) out.push_back(format.delimiter);
          const sql::Vector& vector = batch.column(column);
          if (vector.IsNull(row)) {
            AppendCopyNull(format, &out);
            continue;
          }
          text.clear();
          PLEXUS_RETURN_IF_ERROR(sql::FormatText(vector, row, &text));
          AppendCopyField(format, text, &out);
        }
        out.push_back('\n');
      }
      PLEXUS_RETURN_IF_ERROR(channel.WriteCopyData(out));
      out.clear();
    }
    rows += batch.rows();
    return Status::Ok();
  }));
  if (format.binary) {
    AppendBinaryCopyTrailer(&out);
    PLEXUS_RETURN_IF_ERROR(channel.WriteCopyData(out));
  }
  PLEXUS_RETURN_IF_ERROR(channel.EndCopyOut());
  return sink.Complete("COPY " + std::to_string(rows));
}

}  // namespace

Status ExecuteCopy(const PgQuery__CopyStmt& copy, Engine& engine, txn::Transaction& transaction,
                   const ExecContextFactory& new_context, CopyChannel* channel, ResultSink& sink) {
  if (copy.is_program || (copy.filename != nullptr && copy.filename[0] != '\0')) {
    return CopyNotSupported(
        "COPY to or from a file or program is not supported; use COPY FROM STDIN or COPY TO "
        "STDOUT");
  }
  PLEXUS_ASSIGN_OR_RETURN(const CopyFormat format, ParseOptions(copy));
  if (channel == nullptr) {
    return CopyNotSupported(copy.is_from ? "COPY FROM STDIN needs a client connection"
                                         : "COPY TO STDOUT needs a client connection");
  }
  if (copy.is_from) {
    if (copy.relation == nullptr) return SqlError(sql::kSyntaxError, "COPY FROM needs a table");
    return CopyFrom(copy, format, engine, transaction, new_context, *channel, sink);
  }
  return CopyTo(copy, format, engine, transaction, new_context, *channel, sink);
}

}  // namespace plexus::session
