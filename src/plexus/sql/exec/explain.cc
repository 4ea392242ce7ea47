// EXPLAIN: plan nodes named as PostgreSQL names them, conditions printed from the bound
// expressions with the input's column names, row estimates of scans, filters, joins and
// groupings from table statistics where ANALYZE collected them (sql/stats/estimate.h; else
// PostgreSQL's defaults), and for ANALYZE the counts of a counting run.
#include "plexus/sql/exec/explain.h"

#include <pg_query/pg_query.pb-c.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <unordered_map>

#include "plexus/catalog/catalog.h"
#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/exec/join_keys.h"
#include "plexus/sql/exec/operator.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/func/cast.h"
#include "plexus/sql/stats/cost.h"
#include "plexus/sql/stats/estimate.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

// Row estimates of set-returning functions: PostgreSQL's defaults (1000 rows of a function,
// 100 of unnest).
constexpr double kFunctionRowsGuess = 1000;
constexpr double kUnnestRowsGuess = 100;

bool ParseBoolean(std::string_view text, bool* value) {
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "true" || lower == "on" || lower == "yes" || lower == "1" || lower == "t") {
    *value = true;
    return true;
  }
  if (lower == "false" || lower == "off" || lower == "no" || lower == "0" || lower == "f") {
    *value = false;
    return true;
  }
  return false;
}

Result<bool> BooleanOption(const PgQuery__DefElem& option) {
  if (option.arg == nullptr) return true;
  bool value = false;
  switch (option.arg->node_case) {
    case PG_QUERY__NODE__NODE_INTEGER:
      if (option.arg->integer->ival == 0 || option.arg->integer->ival == 1) {
        return option.arg->integer->ival == 1;
      }
      break;
    case PG_QUERY__NODE__NODE_BOOLEAN: return static_cast<bool>(option.arg->boolean->boolval);
    case PG_QUERY__NODE__NODE_STRING:
      if (ParseBoolean(option.arg->string->sval, &value)) return value;
      break;
    default: break;
  }
  return SqlError(kSyntaxError, std::string(option.defname) + " requires a Boolean value");
}

// ---- expressions ----

bool IsOperatorName(std::string_view name) {
  return !name.empty() && std::none_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::string ConstantText(const Value& value) {
  if (value.is_null()) return "NULL";
  Vector vector(value.type());
  SetValue(&vector, 0, value);
  std::string text;
  if (!FormatText(vector, 0, &text).ok()) return "?";
  const TypeId id = value.type().id;
  if (catalog::IsInteger(id) || id == TypeId::kNumeric || id == TypeId::kFloat64) {
    return text.empty() || text[0] != '-' ? text : "'" + text + "'::" + catalog::FormatType(value.type());
  }
  if (id == TypeId::kBool) return text == "t" ? "true" : "false";
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'::" + catalog::FormatType(value.type());
}

std::string ExprText(const Expr& expr, const std::vector<std::string>& names);

std::string ListText(const std::vector<ExprPtr>& args, size_t first,
                     const std::vector<std::string>& names) {
  std::string text;
  for (size_t i = first; i < args.size(); ++i) {
    if (i > first) text += ", ";
    text += ExprText(*args[i], names);
  }
  return text;
}

std::string JoinedText(const Expr& expr, const char* separator,
                       const std::vector<std::string>& names) {
  std::string text = "(";
  for (size_t i = 0; i < expr.args.size(); ++i) {
    if (i > 0) text += separator;
    text += ExprText(*expr.args[i], names);
  }
  return text + ")";
}

// The numbers of the hashed subplans the explainer at work has labeled (IN / NOT IN subqueries
// hashed once, printed as PostgreSQL prints them: "(hashed SubPlan N)").
thread_local std::unordered_map<const Expr*, int> t_hashed_subplans;

// An expression in PostgreSQL's deparsed style: (a > 1), (t.x = u.y) without qualifiers.
std::string ExprText(const Expr& expr, const std::vector<std::string>& names) {
  switch (expr.kind) {
    case ExprKind::kConstant: return ConstantText(expr.constant);
    case ExprKind::kColumn:
      return expr.column < names.size() ? names[expr.column] : expr.name;
    case ExprKind::kOuterColumn: return expr.name.empty() ? "(outer)" : expr.name;
    case ExprKind::kParameter: return "$" + std::to_string(expr.parameter + 1);
    case ExprKind::kCall:
      if (IsOperatorName(expr.name) && expr.args.size() == 2) {
        return "(" + ExprText(*expr.args[0], names) + " " + expr.name + " " +
               ExprText(*expr.args[1], names) + ")";
      }
      if (IsOperatorName(expr.name) && expr.args.size() == 1) {
        return "(" + expr.name + " " + ExprText(*expr.args[0], names) + ")";
      }
      return expr.name + "(" + ListText(expr.args, 0, names) + ")";
    case ExprKind::kCast:
      return "(" + ExprText(*expr.args[0], names) + ")::" + catalog::FormatType(expr.type);
    case ExprKind::kAnd: return JoinedText(expr, " AND ", names);
    case ExprKind::kOr: return JoinedText(expr, " OR ", names);
    case ExprKind::kNot: return "(NOT " + ExprText(*expr.args[0], names) + ")";
    case ExprKind::kIsNull: return "(" + ExprText(*expr.args[0], names) + " IS NULL)";
    case ExprKind::kIsNotNull: return "(" + ExprText(*expr.args[0], names) + " IS NOT NULL)";
    case ExprKind::kIsDistinctFrom:
    case ExprKind::kIsNotDistinctFrom:
      return "(" + ExprText(*expr.args[0], names) +
             (expr.kind == ExprKind::kIsDistinctFrom ? " IS DISTINCT FROM " : " IS NOT DISTINCT FROM ") +
             ExprText(*expr.args[1], names) + ")";
    case ExprKind::kCase: {
      std::string text = "CASE";
      const size_t pairs = (expr.args.size() - (expr.has_else ? 1 : 0)) / 2;
      for (size_t i = 0; i < pairs; ++i) {
        text += " WHEN " + ExprText(*expr.args[2 * i], names) + " THEN " +
                ExprText(*expr.args[2 * i + 1], names);
      }
      if (expr.has_else) text += " ELSE " + ExprText(*expr.args.back(), names);
      return text + " END";
    }
    case ExprKind::kCoalesce: return "COALESCE(" + ListText(expr.args, 0, names) + ")";
    case ExprKind::kNullIf:
      return "NULLIF(" + ExprText(*expr.args[0], names) + ", " + ExprText(*expr.args[1], names) + ")";
    case ExprKind::kGreatest: return "GREATEST(" + ListText(expr.args, 0, names) + ")";
    case ExprKind::kLeast: return "LEAST(" + ListText(expr.args, 0, names) + ")";
    case ExprKind::kInList:
      return "(" + ExprText(*expr.args[0], names) + " IN (" + ListText(expr.args, 1, names) + "))";
    case ExprKind::kSubquery:
      if (auto hashed = t_hashed_subplans.find(&expr); hashed != t_hashed_subplans.end()) {
        const std::string text = "(hashed SubPlan " + std::to_string(hashed->second) + ")";
        return expr.subquery_kind == SubqueryKind::kAll ? "(NOT " + text + ")" : text;
      }
      switch (expr.subquery_kind) {
        case SubqueryKind::kExists: return "(EXISTS (SubPlan))";
        case SubqueryKind::kScalar: return "(SubPlan)";
        default: {
          const std::string left = expr.args.size() == 1
                                       ? ExprText(*expr.args[0], names)
                                       : "ROW(" + ListText(expr.args, 0, names) + ")";
          return "(" + left + " = ANY (SubPlan))";
        }
      }
  }
  return "?";
}

// ---- nodes ----

// A node as printed: its name, detail lines, estimate and the nodes under it.
struct ExplainNode {
  const PlanNode* plan = nullptr;  // the node whose actual counts it shows
  std::string name;
  std::vector<std::string> details;
  std::vector<ExplainNode> children;
  // Subqueries of the node's expressions: "SubPlan N" (correlated, run per row) or "InitPlan N"
  // (run once), each with its plan. Their operators are not counted by ANALYZE.
  std::vector<std::pair<std::string, ExplainNode>> subplans;
  double rows = 0;
  double startup_cost = 0;
  double total_cost = 0;
  int width = 0;
};

int TypeWidth(const Type& type) {
  switch (PhysicalTypeOf(type)) {
    case PhysicalType::kBool: return 1;
    case PhysicalType::kInt16: return 2;
    case PhysicalType::kInt32:
    case PhysicalType::kFloat32: return 4;
    case PhysicalType::kInt64:
    case PhysicalType::kFloat64: return 8;
    case PhysicalType::kBytes16: return 16;
    case PhysicalType::kString: return type.id == TypeId::kNumeric ? 8 : 32;
  }
  return 8;
}

int RowWidth(const PlanNode& plan) {
  int width = 0;
  for (const Type& type : plan.types) width += TypeWidth(type);
  return width;
}

std::string NamesText(const std::vector<std::string>& names) {
  std::string text;
  for (size_t i = 0; i < names.size(); ++i) text += (i > 0 ? ", " : "") + names[i];
  return text;
}

std::string IndexCondition(const PlanNode& scan) {
  const catalog::TableDef& table = *scan.table;
  std::vector<std::string> parts;
  const std::vector<std::string> none;
  const std::vector<uint32_t>& key =
      scan.index >= 0 ? table.indexes[scan.index].columns : table.primary_key;
  auto key_name = [&](size_t i) { return table.columns[key[i]].name; };
  for (size_t i = 0; i < scan.key_prefix.size(); ++i) {
    parts.push_back("(" + key_name(i) + " = " + ExprText(*scan.key_prefix[i], none) + ")");
  }
  const size_t next = scan.key_prefix.size();
  if (scan.key_lower) {
    parts.push_back("(" + key_name(next) + (scan.lower_inclusive ? " >= " : " > ") +
                    ExprText(*scan.key_lower, none) + ")");
  }
  if (scan.key_upper) {
    parts.push_back("(" + key_name(next) + (scan.upper_inclusive ? " <= " : " < ") +
                    ExprText(*scan.key_upper, none) + ")");
  }
  if (parts.size() == 1) return parts[0];
  std::string text = "(";
  for (size_t i = 0; i < parts.size(); ++i) text += (i > 0 ? " AND " : "") + parts[i];
  return text + ")";
}

std::string ScanTarget(const std::string& name, const std::string& alias) {
  return alias.empty() || alias == name ? name : name + " " + alias;
}

const char* JoinTypeSuffix(JoinType type) {
  switch (type) {
    case JoinType::kLeft: return " Left Join";
    case JoinType::kRight: return " Right Join";
    case JoinType::kFull: return " Full Join";
    case JoinType::kSemi: return " Semi Join";
    case JoinType::kAnti: return " Anti Join";
    default: return "";
  }
}

class Explainer {
 public:
  Explainer(const ExplainOptions& options, const stats::Estimator& estimator)
      : options_(options), estimator_(estimator) {
    t_hashed_subplans.clear();
  }
  ~Explainer() { t_hashed_subplans.clear(); }
  Explainer(const Explainer&) = delete;
  Explainer& operator=(const Explainer&) = delete;

  ExplainNode Describe(const PlanNode& plan) {
    ExplainNode node;
    node.plan = &plan;
    node.width = RowWidth(plan);
    std::vector<const PlanNode*> inputs;
    for (const auto& child : plan.children) inputs.push_back(child.get());
    double input_rows = 0;
    switch (plan.kind) {
      case PlanKind::kProject:
        // Projections are part of the node below them, as in PostgreSQL (except over no input).
        if (plan.children[0]->kind != PlanKind::kOneRow) {
          ExplainNode below = Describe(*plan.children[0]);
          AddSubplans(plan, &below);
          return below;
        }
        node.name = "Result";
        node.rows = 1;
        AddSubplans(plan, &node);
        return Finish(std::move(node), 0);
      case PlanKind::kFilter: {
        ExplainNode below = Describe(*plan.children[0]);
        AddSubplans(plan, &below);
        below.details.push_back("Filter: " + ExprText(*plan.predicate, plan.children[0]->names));
        below.plan = &plan;
        below.total_cost += below.rows * stats::kOperatorCost;  // the condition, per row read
        below.rows = estimator_.Rows(plan);
        return below;
      }
      case PlanKind::kOneRow: node.name = "Result"; node.rows = 1; break;
      case PlanKind::kValues:
        node.name = "Values Scan on \"*VALUES*\"";
        node.rows = static_cast<double>(plan.rows.size());
        break;
      case PlanKind::kTableScan: DescribeScan(plan, &node); break;
      case PlanKind::kAggregate: {
        node.name = plan.groups.empty() ? "Aggregate" : "HashAggregate";
        if (!plan.grouping_sets.empty()) {
          // One hash table for all the sets: PostgreSQL's MixedAggregate shows each.
          node.name = "MixedAggregate";
          for (const uint64_t set : plan.grouping_sets) {
            std::vector<std::string> keys;
            for (size_t g = 0; g < plan.groups.size(); ++g) {
              if ((set >> g) & 1) keys.push_back(ExprText(*plan.groups[g], plan.children[0]->names));
            }
            node.details.push_back(keys.empty() ? "Group Key: ()" : "Hash Key: " + NamesText(keys));
          }
        } else if (!plan.groups.empty()) {
          std::vector<std::string> keys;
          for (const ExprPtr& group : plan.groups) {
            keys.push_back(ExprText(*group, plan.children[0]->names));
          }
          node.details.push_back("Group Key: " + NamesText(keys));
        }
        break;
      }
      case PlanKind::kSort: {
        node.name = "Sort";
        std::vector<std::string> keys;
        for (const SortKey& key : plan.sort_keys) {
          std::string text = ExprText(*key.expr, plan.children[0]->names);
          if (key.descending) text += " DESC";
          if (key.nulls_first != key.descending) text += key.nulls_first ? " NULLS FIRST" : " NULLS LAST";
          keys.push_back(text);
        }
        node.details.push_back("Sort Key: " + NamesText(keys));
        break;
      }
      case PlanKind::kLimit: node.name = "Limit"; break;
      case PlanKind::kLockRows:
        // UPDATE's and DELETE's row locks are part of PostgreSQL's ModifyTable node.
        if (plan.table) return Describe(*plan.children[0]);
        node.name = "LockRows";
        break;
      case PlanKind::kDistinct:
        if (plan.column_map.empty()) {
          node.name = "HashAggregate";
          node.details.push_back("Group Key: " + NamesText(plan.children[0]->names));
        } else {
          node.name = "Unique";
        }
        break;
      case PlanKind::kJoin: return DescribeJoin(plan, std::move(node));
      case PlanKind::kUnion: node.name = "Append"; break;
      case PlanKind::kIntersect:
      case PlanKind::kExcept:
        node.name = std::string("HashSetOp ") +
                    (plan.kind == PlanKind::kIntersect ? "Intersect" : "Except") +
                    (plan.set_all ? " All" : "");
        break;
      case PlanKind::kInsert: node.name = "Insert on " + plan.table->name; break;
      case PlanKind::kUpdate: node.name = "Update on " + plan.table->name; break;
      case PlanKind::kDelete: node.name = "Delete on " + plan.table->name; break;
      case PlanKind::kWindow: node.name = "WindowAgg"; break;
      case PlanKind::kRecursiveUnion: node.name = "Recursive Union"; break;
      case PlanKind::kWorkTableScan: node.name = "WorkTable Scan"; node.rows = 10; break;
      case PlanKind::kProjectSet: node.name = "ProjectSet"; break;
      case PlanKind::kApply:
        // Its subquery runs once per input row, as PostgreSQL's nested loop over a LATERAL
        // subquery scan.
        node.name = std::string("Nested Loop") + JoinTypeSuffix(plan.join_type);
        if (plan.predicate) {
          node.details.push_back("Join Filter: " + ExprText(*plan.predicate, plan.names));
        }
        break;
      case PlanKind::kFunctionScan: {
        node.name = "Function Scan on " + ScanTarget(plan.functions[0].name, plan.alias);
        // Over no input it is a scan of its own; LATERAL, it runs once per row of its input.
        if (plan.children[0]->kind == PlanKind::kOneRow) inputs.clear();
        break;
      }
    }
    for (const PlanNode* input : inputs) {
      node.children.push_back(Describe(*input));
      input_rows += node.children.back().rows;
    }
    AddSubplans(plan, &node);
    EstimateRows(plan, &node, input_rows);
    return Finish(std::move(node), input_rows);
  }

 private:
  // The subqueries in the expressions `plan` evaluates itself, in the order PostgreSQL lists
  // them (by first appearance).
  void AddSubplans(const PlanNode& plan, ExplainNode* node) {
    std::vector<const Expr*> found;
    std::function<void(const Expr*)> visit = [&](const Expr* expr) {
      if (expr == nullptr) return;
      if (expr->kind == ExprKind::kSubquery) found.push_back(expr);
      for (const ExprPtr& arg : expr->args) visit(arg.get());
    };
    visit(plan.predicate.get());
    for (const ExprPtr& expr : plan.expressions) visit(expr.get());
    for (const ExprPtr& expr : plan.groups) visit(expr.get());
    for (const AggregateCall& call : plan.aggregates) {
      for (const ExprPtr& arg : call.args) visit(arg.get());
      visit(call.filter.get());
    }
    for (const SortKey& key : plan.sort_keys) visit(key.expr.get());
    for (const TableFunctionCall& call : plan.functions) {
      for (const ExprPtr& arg : call.args) visit(arg.get());
    }
    for (const Expr* subquery : found) {
      const bool hashed = SubqueryHashes(*subquery);
      const std::string label = (subquery->correlated || hashed ? "SubPlan " : "InitPlan ") +
                                std::to_string(++subplan_count_);
      if (hashed) t_hashed_subplans[subquery] = subplan_count_;
      node->subplans.emplace_back(label, Describe(*subquery->subquery));
    }
  }

  void DescribeScan(const PlanNode& plan, ExplainNode* node) {
    const catalog::TableDef& table = *plan.table;
    const bool keyed = !plan.key_prefix.empty() || plan.key_lower || plan.key_upper;
    if (!keyed) {
      node->name = "Seq Scan on " + ScanTarget(table.name, plan.alias);
      node->rows = estimator_.Rows(plan);
      return;
    }
    const std::string index =
        plan.index >= 0 ? table.indexes[plan.index].name : PrimaryKeyName(table);
    node->name = "Index Scan using " + index + " on " + ScanTarget(table.name, plan.alias);
    node->details.push_back("Index Cond: " + IndexCondition(plan));
    node->rows = estimator_.Rows(plan);
  }

  static std::string PrimaryKeyName(const catalog::TableDef& table) {
    return table.primary_key_name.empty() ? table.name + "_pkey" : table.primary_key_name;
  }

  ExplainNode DescribeJoin(const PlanNode& plan, ExplainNode node) {
    ExplainNode left = Describe(*plan.children[0]);
    ExplainNode right = Describe(*plan.children[1]);
    const double left_rows = left.rows;
    const double right_rows = right.rows;
    std::vector<std::string> names = plan.children[0]->names;
    names.insert(names.end(), plan.children[1]->names.begin(), plan.children[1]->names.end());
    if (JoinUsesHash(plan)) {
      node.name = std::string("Hash") +
                  (plan.join_type == JoinType::kInner ? " Join" : JoinTypeSuffix(plan.join_type));
      node.details.push_back("Hash Cond: " + ExprText(*plan.predicate, names));
      if (LookupJoinApplies(plan)) {
        // Decided while running: reads by key when the outer side turns out small.
        const PlanNode& right_plan = *plan.children[1];
        const PlanNode& scan = right_plan.kind == PlanKind::kFilter ? *right_plan.children[0]
                                                                     : right_plan;
        node.details.push_back("Lookup: by " + PrimaryKeyName(*scan.table) +
                               " when the outer side has at most " +
                               std::to_string(LookupJoinRowsMax()) + " rows");
      }
      ExplainNode hash;
      hash.plan = plan.children[1].get();
      hash.name = "Hash";
      hash.rows = right_rows;
      hash.width = right.width;
      hash.startup_cost = right.total_cost;
      hash.total_cost = right.total_cost;
      hash.children.push_back(std::move(right));
      right = std::move(hash);
    } else {
      node.name = std::string("Nested Loop") + JoinTypeSuffix(plan.join_type);
      if (plan.predicate) node.details.push_back("Join Filter: " + ExprText(*plan.predicate, names));
    }
    node.rows = estimator_.Rows(plan);
    node.children.push_back(std::move(left));
    node.children.push_back(std::move(right));
    AddSubplans(plan, &node);
    return Finish(std::move(node), left_rows + right_rows);
  }

  void EstimateRows(const PlanNode& plan, ExplainNode* node, double input_rows) {
    if (node->rows > 0) return;
    const double child = node->children.empty() ? 1 : node->children[0].rows;
    switch (plan.kind) {
      case PlanKind::kAggregate:
      case PlanKind::kDistinct: node->rows = estimator_.Rows(plan); break;
      case PlanKind::kLimit:
        node->rows = child;
        if (plan.limit && plan.limit->kind == ExprKind::kConstant && !plan.limit->constant.is_null()) {
          node->rows = std::min(child, static_cast<double>(plan.limit->constant.integer_value()));
        }
        break;
      case PlanKind::kUnion:
      case PlanKind::kRecursiveUnion: node->rows = input_rows; break;
      case PlanKind::kApply: node->rows = child * node->children[1].rows; break;
      case PlanKind::kProjectSet:
      case PlanKind::kFunctionScan: {
        double most = 1;
        for (const TableFunctionCall& call : plan.functions) {
          most = std::max(most, call.function == TableFunction::kUnnest ? kUnnestRowsGuess
                                                                         : kFunctionRowsGuess);
        }
        node->rows = plan.children[0]->kind == PlanKind::kOneRow ? most : child * most;
        break;
      }
      case PlanKind::kInsert:
      case PlanKind::kUpdate:
      case PlanKind::kDelete: node->rows = 0; break;
      default: node->rows = child; break;
    }
  }

  ExplainNode Finish(ExplainNode node, double input_rows) {
    double below = 0;
    for (const ExplainNode& child : node.children) below += child.total_cost;
    node.total_cost = below + OwnCost(node, input_rows);
    node.startup_cost = StartupCost(node);
    if (options_.verbose) node.details.insert(node.details.begin(), "Output: " + NamesText(node.plan->names));
    return node;
  }

  // Costs, in the planner's units (sql/stats/cost.h: a row read in key order is 1): scans and
  // joins cost what the planner compared when it chose them; other nodes cost kOperatorCost per
  // input row (a sort n log2 n of them) and kOutputRowCost per row they emit.
  double OwnCost(const ExplainNode& node, double input_rows) const {
    const PlanNode& plan = *node.plan;
    switch (plan.kind) {
      case PlanKind::kTableScan: {
        const double rows = estimator_.ScanRows(plan);
        if (plan.key_prefix.empty() && !plan.key_lower && !plan.key_upper) {
          return stats::FullScanCost(rows);
        }
        return plan.index >= 0 ? stats::IndexRangeCost(rows) : stats::KeyRangeCost(rows);
      }
      case PlanKind::kJoin: {
        const double left = node.children[0].rows;
        const double right = node.children[1].rows;
        if (JoinUsesHash(plan)) return stats::HashJoinCost(left, right, node.rows);
        return left * right * stats::kOperatorCost + node.rows * stats::kOutputRowCost;
      }
      case PlanKind::kSort:
        return input_rows * std::log2(std::max(2.0, input_rows)) * stats::kOperatorCost +
               node.rows * stats::kOutputRowCost;
      case PlanKind::kLimit: {
        // The part of the input read before the limit is reached.
        const ExplainNode& child = node.children[0];
        const double fraction = child.rows > 0 ? std::min(1.0, node.rows / child.rows) : 1.0;
        return (child.total_cost - child.startup_cost) * (fraction - 1) +
               node.rows * stats::kOutputRowCost;
      }
      default:
        return input_rows * stats::kOperatorCost + node.rows * stats::kOutputRowCost;
    }
  }

  // What the node costs before its first row: everything but emitting for a node that reads
  // its whole input first (a hash join: its hash table), the inputs' startup for the others.
  static double StartupCost(const ExplainNode& node) {
    const PlanNode& plan = *node.plan;
    double below = 0;
    for (const ExplainNode& child : node.children) below += child.startup_cost;
    switch (plan.kind) {
      case PlanKind::kTableScan:
        return plan.key_prefix.empty() && !plan.key_lower && !plan.key_upper ? 0 : stats::kSeekCost;
      case PlanKind::kSort:
      case PlanKind::kAggregate:
      case PlanKind::kWindow:
        return std::max(below, node.total_cost - node.rows * stats::kOutputRowCost);
      case PlanKind::kDistinct:
        if (plan.column_map.empty()) {
          return std::max(below, node.total_cost - node.rows * stats::kOutputRowCost);
        }
        return below;
      case PlanKind::kJoin:
        if (JoinUsesHash(plan)) {
          const double left = node.children[0].rows;
          const double right = node.children[1].rows;
          return node.children[0].startup_cost + node.children[1].total_cost +
                 std::min(left, right) * stats::kHashBuildRowCost;
        }
        return below;
      default: return below;
    }
  }

  const ExplainOptions& options_;
  const stats::Estimator& estimator_;
  int subplan_count_ = 0;
};

std::string Format(const char* format, double a, double b) {
  char buffer[96];
  std::snprintf(buffer, sizeof(buffer), format, a, b);
  return buffer;
}

// A node's line starts with "->  " at column `prefix` (the root's has none), its details follow
// six columns further in (two for the root), as in PostgreSQL's text format. Without `stats`
// (plain EXPLAIN, subplans) no actual counts are shown.
void Render(const ExplainNode& node, size_t prefix, bool root, const ExplainOptions& options,
            const OperatorStatsMap* stats, std::vector<std::string>* lines) {
  std::string line = root ? "" : std::string(prefix, ' ') + "->  ";
  line += node.name;
  if (options.costs) {
    line += Format("  (cost=%.2f..%.2f", node.startup_cost, node.total_cost);
    line += " rows=" + std::to_string(static_cast<int64_t>(node.rows)) +
            " width=" + std::to_string(node.width) + ")";
  }
  if (stats != nullptr) {
    auto found = stats->find(node.plan);
    const OperatorStats counts = found == stats->end() ? OperatorStats{} : found->second;
    if (counts.loops == 0) {
      line += " (never executed)";
    } else {
      const double loops = static_cast<double>(counts.loops);
      line += " (actual ";
      if (options.timing) {
        line += Format("time=%.3f..%.3f ", counts.startup_ms / loops, counts.total_ms / loops);
      }
      line += "rows=" + std::to_string(static_cast<uint64_t>(std::llround(counts.rows / loops))) +
              " loops=" + std::to_string(counts.loops) + ")";
    }
  }
  lines->push_back(std::move(line));
  const size_t detail_prefix = root ? 2 : prefix + 6;
  const std::string indent(detail_prefix, ' ');
  for (const std::string& detail : node.details) lines->push_back(indent + detail);
  for (const auto& [label, subplan] : node.subplans) {
    lines->push_back(indent + label);
    Render(subplan, detail_prefix + 2, false, options, nullptr, lines);
  }
  for (const ExplainNode& child : node.children) {
    Render(child, detail_prefix, false, options, stats, lines);
  }
}

// EXPLAIN ANALYZE: the line each operator reported about its run ("Sort Method: ...").
// A node shown over its child's plan (a hash join's Hash) leaves the line to the child.
void AddExecutionNotes(const ExecContext& context, ExplainNode* node) {
  const bool wraps_child = node->children.size() == 1 && node->children[0].plan == node->plan;
  const std::string* note = wraps_child ? nullptr : context.explain_note(node->plan);
  if (note != nullptr) node->details.push_back(*note);
  for (ExplainNode& child : node->children) AddExecutionNotes(context, &child);
  for (auto& subplan : node->subplans) AddExecutionNotes(context, &subplan.second);
}

// Runs the plan to its end, counting every operator's rows and time.
Status RunCounting(const PlanNode& plan, ExecContext& context, OperatorStatsMap* stats) {
  PLEXUS_ASSIGN_OR_RETURN(std::unique_ptr<Operator> root, BuildOperator(plan, stats));
  PLEXUS_RETURN_IF_ERROR(root->Open(context));
  Batch batch(plan.types);
  while (true) {
    batch.Reset();
    PLEXUS_RETURN_IF_ERROR(root->Next(context, &batch));
    if (batch.rows() == 0) return Status::Ok();
  }
}

}  // namespace

Result<ExplainOptions> ParseExplainOptions(const PgQuery__ExplainStmt& statement) {
  ExplainOptions options;
  bool summary_set = false;
  bool timing_set = false;
  for (size_t i = 0; i < statement.n_options; ++i) {
    const PgQuery__DefElem& option = *statement.options[i]->def_elem;
    const std::string_view name = option.defname;
    if (name == "format") {
      const std::string_view format = option.arg && option.arg->node_case == PG_QUERY__NODE__NODE_STRING
                                          ? std::string_view(option.arg->string->sval) : "";
      if (format != "text") {
        return SqlError(kFeatureNotSupported, "EXPLAIN format \"" + std::string(format) +
                                                  "\" is not supported yet");
      }
      continue;
    }
    PLEXUS_ASSIGN_OR_RETURN(bool value, BooleanOption(option));
    if (name == "analyze") {
      options.analyze = value;
    } else if (name == "costs") {
      options.costs = value;
    } else if (name == "timing") {
      options.timing = value;
      timing_set = true;
    } else if (name == "summary") {
      options.summary = value;
      summary_set = true;
    } else if (name == "verbose") {
      options.verbose = value;
    } else if (name != "buffers" && name != "settings" && name != "wal") {
      // BUFFERS, SETTINGS and WAL have nothing to report here; they are accepted.
      return SqlError(kSyntaxError, "unrecognized EXPLAIN option \"" + std::string(name) + "\"");
    }
  }
  if (timing_set && options.timing && !options.analyze) {
    return SqlError(kInvalidParameterValue, "EXPLAIN option TIMING requires ANALYZE");
  }
  if (!summary_set) options.summary = options.analyze;
  return options;
}

Result<std::vector<std::string>> ExplainPlan(const PlanNode& plan, const ExplainOptions& options,
                                             ExecContext& context, double planning_ms) {
  OperatorStatsMap stats;
  double execution_ms = 0;
  if (options.analyze) {
    const auto start = std::chrono::steady_clock::now();
    PLEXUS_RETURN_IF_ERROR(RunCounting(plan, context, &stats));
    execution_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                             start).count();
  }
  // Estimates read statistics from the cache (loaded once per catalog).
  PLEXUS_RETURN_IF_ERROR(stats::EnsureLoaded(context.catalog(), context.transaction()));
  const stats::Estimator estimator(context.catalog().instance());
  Explainer explainer(options, estimator);
  ExplainNode root = explainer.Describe(plan);
  if (options.analyze) AddExecutionNotes(context, &root);
  std::vector<std::string> lines;
  Render(root, 0, /*root=*/true, options, options.analyze ? &stats : nullptr, &lines);
  if (options.summary) {
    lines.push_back(Format("Planning Time: %.3f ms", planning_ms, 0));
    if (options.analyze) lines.push_back(Format("Execution Time: %.3f ms", execution_ms, 0));
  }
  return lines;
}

}  // namespace plexus::sql
