// GROUP BY: plain expressions, ROLLUP / CUBE / GROUPING SETS expanded into masks over the group
// expressions, and GROUPING(...).
#include <string>
#include <vector>

#include "plexus/sql/bind/binder_internal.h"

namespace plexus::sql {

namespace {

using Impl = Binder::Impl;
using Scope = Binder::Scope;

constexpr SqlState kTooManyArguments{"54023", StatusCode::kInvalidArgument};

// One GROUP BY expression: an output column's position, an input expression, or a bare name
// that is no input column but names an output column (PostgreSQL's rule).
Result<ExprPtr> BindGroupExpression(Impl& impl, const PgQuery__SelectStmt& select,
                                    const PgQuery__Node* node, Scope& scope) {
  if (node->node_case == PG_QUERY__NODE__NODE_A_CONST &&
      node->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
    int ordinal = node->a_const->ival->ival;
    if (ordinal < 1 || static_cast<size_t>(ordinal) > select.n_target_list) {
      return WithPosition(SqlError(kInvalidColumnReference, "GROUP BY position " +
                                                                std::to_string(ordinal) +
                                                                " is not in select list"),
                          node->a_const->location);
    }
    node = select.target_list[ordinal - 1]->res_target->val;
  }
  Result<ExprPtr> group = impl.BindExpression(*node, scope, nullptr);
  if (!group.ok() && group.status().sql_state() == kUndefinedColumn.code &&
      node->node_case == PG_QUERY__NODE__NODE_COLUMN_REF && node->column_ref->n_fields == 1 &&
      node->column_ref->fields[0]->node_case == PG_QUERY__NODE__NODE_STRING) {
    const std::string_view name = StringValue(node->column_ref->fields[0]);
    for (size_t t = 0; t < select.n_target_list; ++t) {
      const PgQuery__ResTarget& target = *select.target_list[t]->res_target;
      if (Present(target.name) && target.name == name) {
        group = impl.BindExpression(*target.val, scope, nullptr);
        break;
      }
    }
  }
  return group;
}

// PostgreSQL's limit on the grouping sets of one query.
constexpr size_t kGroupingSetsMax = 4096;

// The grouping sets of one GROUP BY item (a mask of aggregates->groups each), binding the
// expressions it names into aggregates->groups (each once).
Result<std::vector<uint64_t>> GroupingSetsOf(Impl& impl, const PgQuery__SelectStmt& select,
                                             const PgQuery__Node* node, Scope& scope,
                                             AggregateBinding* aggregates) {
  if (node->node_case != PG_QUERY__NODE__NODE_GROUPING_SET) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr group, BindGroupExpression(impl, select, node, scope));
    size_t index = 0;
    while (index < aggregates->groups.size() &&
           !Impl::SameExpression(*aggregates->groups[index], *group)) {
      ++index;
    }
    if (index == aggregates->groups.size()) {
      if (index == 64) {
        return SqlError(kProgramLimitExceeded,
                        "more than 64 distinct expressions in grouping sets are not supported");
      }
      aggregates->groups.push_back(std::move(group));
    }
    return std::vector<uint64_t>{uint64_t{1} << index};
  }
  const PgQuery__GroupingSet& set = *node->grouping_set;
  std::vector<std::vector<uint64_t>> parts;
  for (size_t i = 0; i < set.n_content; ++i) {
    const PgQuery__Node* element = set.content[i];
    // A parenthesized list inside ROLLUP, CUBE or GROUPING SETS is one set of its expressions.
    if (element->node_case == PG_QUERY__NODE__NODE_ROW_EXPR &&
        element->row_expr->row_format == PG_QUERY__COERCION_FORM__COERCE_IMPLICIT_CAST) {
      uint64_t mask = 0;
      for (size_t k = 0; k < element->row_expr->n_args; ++k) {
        PLEXUS_ASSIGN_OR_RETURN(std::vector<uint64_t> one,
                                GroupingSetsOf(impl, select, element->row_expr->args[k], scope,
                                               aggregates));
        mask |= one[0];
      }
      parts.push_back({mask});
      continue;
    }
    PLEXUS_ASSIGN_OR_RETURN(std::vector<uint64_t> part,
                            GroupingSetsOf(impl, select, element, scope, aggregates));
    parts.push_back(std::move(part));
  }
  // Each element of ROLLUP and CUBE is one set (a parenthesized list: all its expressions).
  const auto union_of = [](const std::vector<uint64_t>& sets) {
    uint64_t mask = 0;
    for (uint64_t s : sets) mask |= s;
    return mask;
  };
  std::vector<uint64_t> sets;
  switch (set.kind) {
    case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_EMPTY:
      sets.push_back(0);
      break;
    case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_SIMPLE: {
      uint64_t mask = 0;
      for (const auto& part : parts) mask |= union_of(part);
      sets.push_back(mask);
      break;
    }
    case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_ROLLUP:
      // (a, b, c), (a, b), (a), ().
      for (size_t n = parts.size() + 1; n-- > 0;) {
        uint64_t mask = 0;
        for (size_t k = 0; k < n; ++k) mask |= union_of(parts[k]);
        sets.push_back(mask);
      }
      break;
    case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_CUBE: {
      if (parts.size() > 12) {
        return SqlError(kProgramLimitExceeded, "CUBE is limited to 12 elements");
      }
      // Every subset, the whole first (as PostgreSQL lists them).
      const size_t all = (size_t{1} << parts.size()) - 1;
      for (size_t chosen = all + 1; chosen-- > 0;) {
        uint64_t mask = 0;
        for (size_t k = 0; k < parts.size(); ++k) {
          if (chosen & (size_t{1} << (parts.size() - 1 - k))) mask |= union_of(parts[k]);
        }
        sets.push_back(mask);
      }
      break;
    }
    default:  // GROUPING SETS (...): each element's sets, in order
      for (const auto& part : parts) sets.insert(sets.end(), part.begin(), part.end());
      break;
  }
  return sets;
}

}  // namespace

Status BindGroups(Impl& impl, const PgQuery__SelectStmt& select, Scope& scope,
                  AggregateBinding* aggregates) {
  bool grouping_sets = false;
  for (size_t i = 0; i < select.n_group_clause; ++i) {
    grouping_sets |= select.group_clause[i]->node_case == PG_QUERY__NODE__NODE_GROUPING_SET;
  }
  if (!grouping_sets) {
    for (size_t i = 0; i < select.n_group_clause; ++i) {
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr group,
                              BindGroupExpression(impl, select, select.group_clause[i], scope));
      aggregates->groups.push_back(std::move(group));
    }
  } else {
    // The items of GROUP BY combine as a cross product of their sets.
    std::vector<uint64_t> sets{0};
    for (size_t i = 0; i < select.n_group_clause; ++i) {
      PLEXUS_ASSIGN_OR_RETURN(std::vector<uint64_t> item,
                              GroupingSetsOf(impl, select, select.group_clause[i], scope, aggregates));
      if (sets.size() * item.size() > kGroupingSetsMax) {
        return SqlError(kProgramLimitExceeded, "too many grouping sets present (maximum 4096)");
      }
      std::vector<uint64_t> combined;
      for (uint64_t left : sets) {
        for (uint64_t right : item) combined.push_back(left | right);
      }
      sets = std::move(combined);
    }
    aggregates->grouping_sets = std::move(sets);
  }
  if (select.n_group_clause > 0) aggregates->active = true;
  return Status::Ok();
}

// GROUPING(a, b, ...) of a grouped query: a bit per argument (the first the highest), set when
// that GROUP BY expression is not in the row's grouping set.
Result<ExprPtr> BindGroupingCall(Impl& impl, const PgQuery__GroupingFunc& call, Scope& scope,
                                 AggregateBinding* aggregates) {
  if (aggregates == nullptr || aggregates->inside_aggregate) {
    return SqlError(kGroupingError, "grouping operations are not allowed here");
  }
  if (call.n_args >= 32) {
    return SqlError(kTooManyArguments, "GROUPING must have fewer than 32 arguments");
  }
  std::vector<uint32_t> positions;
  for (size_t i = 0; i < call.n_args; ++i) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr arg, impl.BindExpression(*call.args[i], scope, nullptr));
    size_t group = 0;
    while (group < aggregates->groups.size() &&
           !Impl::SameExpression(*aggregates->groups[group], *arg)) {
      ++group;
    }
    if (group == aggregates->groups.size()) {
      return SqlError(kGroupingError,
                      "arguments to GROUPING must be grouping expressions of the associated query level");
    }
    positions.push_back(static_cast<uint32_t>(group));
  }
  aggregates->active = true;
  ExprPtr reference = Expr::Column(
      kGroupingRefBase + static_cast<uint32_t>(aggregates->grouping_calls.size()),
      Type::Of(TypeId::kInt32), "grouping");
  aggregates->grouping_calls.push_back(std::move(positions));
  return reference;
}

}  // namespace plexus::sql
