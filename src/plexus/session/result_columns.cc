// Where a result column comes from: followed down the plan through nodes that pass columns on
// (filters, sorts, joins, projections of a bare column, grouping keys) to a table scan, a view
// or the row a DML statement returns. Anything computed has no origin, as in PostgreSQL.
#include "plexus/session/result_columns.h"

#include <cstdint>

#include "plexus/sql/system/catalog_snapshot.h"

namespace plexus::session {

namespace {

struct Origin {
  int64_t table_oid = 0;
  int16_t column_number = 0;
};

// The column an expression passes on unchanged (a column, or a cast to its own type), if any.
const sql::Expr* BareColumn(const sql::Expr* expr) {
  while (expr->kind == sql::ExprKind::kCast && expr->args.size() == 1 &&
         expr->args[0]->type == expr->type) {
    expr = expr->args[0].get();
  }
  return expr->kind == sql::ExprKind::kColumn ? expr : nullptr;
}

Origin TableColumn(const sql::PlanNode& node, uint32_t column) {
  if (!node.table || column >= node.table->columns.size()) return {};
  return {static_cast<int64_t>(node.table->id), static_cast<int16_t>(column + 1)};
}

// The origin of output `column` of `node`. Recursion is bounded by the plan's depth.
Origin OriginOf(const sql::PlanNode& node, uint32_t column) {
  using sql::PlanKind;
  switch (node.kind) {
    case PlanKind::kTableScan:
      return TableColumn(node, column);
    case PlanKind::kValues:  // a pg_catalog relation's rows name it (sql/bind/bind_system.cc)
      if (!node.table || column >= node.types.size()) return {};
      return {static_cast<int64_t>(node.table->id), static_cast<int16_t>(column + 1)};
    case PlanKind::kFilter:
    case PlanKind::kSort:
    case PlanKind::kLimit:
    case PlanKind::kDistinct:
      return OriginOf(*node.children[0], column);
    case PlanKind::kProject: {
      if (node.table) {  // a view's columns are the view's (sql/bind/bind_select.cc MarkView)
        if (column >= node.types.size()) return {};
        return {sql::system::ViewOid(node.table->schema, node.table->name),
                static_cast<int16_t>(column + 1)};
      }
      if (column >= node.expressions.size()) return {};
      const sql::Expr* bare = BareColumn(node.expressions[column].get());
      return bare ? OriginOf(*node.children[0], bare->column) : Origin{};
    }
    case PlanKind::kAggregate: {
      if (column >= node.groups.size()) return {};
      const sql::Expr* bare = BareColumn(node.groups[column].get());
      return bare ? OriginOf(*node.children[0], bare->column) : Origin{};
    }
    case PlanKind::kJoin: {
      const size_t left = node.children[0]->types.size();
      if (column < left) return OriginOf(*node.children[0], column);
      return OriginOf(*node.children[1], static_cast<uint32_t>(column - left));
    }
    case PlanKind::kWindow:
    case PlanKind::kProjectSet:
    case PlanKind::kFunctionScan:
      if (node.children.empty() || column >= node.children[0]->types.size()) return {};
      return OriginOf(*node.children[0], column);
    case PlanKind::kInsert:
    case PlanKind::kUpdate:
    case PlanKind::kDelete: {
      if (column >= node.returning.size()) return {};
      const sql::Expr* bare = BareColumn(node.returning[column].get());
      return bare ? TableColumn(node, bare->column) : Origin{};
    }
    default:  // values, set operations, recursive unions: computed rows
      return {};
  }
}

}  // namespace

std::vector<ResultColumn> ResultColumnsOf(const sql::PlanNode& plan) {
  std::vector<ResultColumn> columns;
  columns.reserve(plan.types.size());
  for (size_t i = 0; i < plan.types.size(); ++i) {
    const Origin origin = OriginOf(plan, static_cast<uint32_t>(i));
    columns.push_back({plan.names[i], plan.types[i], origin.table_oid, origin.column_number});
  }
  return columns;
}

}  // namespace plexus::session
