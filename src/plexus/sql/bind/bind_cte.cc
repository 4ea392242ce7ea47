// WITH and WITH RECURSIVE. A non-recursive CTE is bound anew at each reference, like a view (what
// PostgreSQL does for side-effect-free CTEs). A recursive one becomes a kRecursiveUnion whose
// recursive term reads the previous round's rows through a kWorkTableScan.
#include "plexus/sql/bind/binder_internal.h"
#include "plexus/sql/plan/plan_builders.h"

namespace plexus::sql {

Result<size_t> Binder::Impl::PushWith(const PgQuery__WithClause& with) {
  const size_t size = ctes_.size();
  for (size_t i = 0; i < with.n_ctes; ++i) {
    const PgQuery__CommonTableExpr& cte = *with.ctes[i]->common_table_expr;
    for (size_t j = size; j < ctes_.size(); ++j) {
      if (std::string_view(ctes_[j].definition->ctename) == cte.ctename) {
        ctes_.resize(size);
        return WithPosition(SqlError(kDuplicateAlias, "WITH query name \"" +
                                                          std::string(cte.ctename) +
                                                          "\" specified more than once"),
                            cte.location);
      }
    }
    if (cte.ctequery == nullptr || cte.ctequery->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
      ctes_.resize(size);
      return WithPosition(SqlError(kFeatureNotSupported,
                                   "data-modifying statements in WITH are not supported yet"),
                          cte.location);
    }
    CommonTableExpr entry;
    entry.definition = &cte;
    entry.recursive = with.recursive;
    ctes_.push_back(std::move(entry));
  }
  return size;
}

int Binder::Impl::FindCte(std::string_view name) const {
  for (size_t i = ctes_.size(); i-- > 0;) {
    if (ctes_[i].definition->ctename == name) return static_cast<int>(i);
  }
  return -1;
}

Result<FromItem> Binder::Impl::BindCteReference(size_t index, std::string_view alias,
                                                const PgQuery__Alias* alias_columns) {
  FromItem item;
  const CommonTableExpr& cte = ctes_[index];
  const PgQuery__CommonTableExpr& definition = *cte.definition;
  if (cte.work_table >= 0) {
    // Inside its own recursive term: the previous round's rows.
    ctes_[index].referenced = true;
    auto scan = PlanNode::Make(PlanKind::kWorkTableScan);
    scan->types = cte.types;
    scan->names = cte.names;
    scan->work_table = cte.work_table;
    item.plan = std::move(scan);
  } else {
    // Bound with only the CTEs defined before it (and itself, when recursive) in view.
    std::vector<CommonTableExpr> saved(ctes_.begin() + static_cast<ptrdiff_t>(index) + 1,
                                       ctes_.end());
    ctes_.resize(index + 1);
    const PgQuery__SelectStmt& select = *definition.ctequery->select_stmt;
    Result<PlanPtr> plan = cte.recursive ? BindRecursiveCte(index, select)
                                         : [&]() -> Result<PlanPtr> {
      // A non-recursive CTE does not see itself.
      CommonTableExpr self = std::move(ctes_[index]);
      ctes_.pop_back();
      Result<PlanPtr> bound = BindSelect(select, nullptr, nullptr);
      ctes_.push_back(std::move(self));
      return bound;
    }();
    ctes_.insert(ctes_.end(), std::make_move_iterator(saved.begin()),
                 std::make_move_iterator(saved.end()));
    if (!plan.ok()) return plan.status();
    item.plan = std::move(*plan);
  }
  if (definition.n_aliascolnames > item.plan->types.size()) {
    return WithPosition(SqlError(kInvalidColumnReference,
                                 "WITH query \"" + std::string(definition.ctename) + "\" has " +
                                     std::to_string(item.plan->types.size()) +
                                     " columns available but " +
                                     std::to_string(definition.n_aliascolnames) +
                                     " columns specified"),
                        definition.location);
  }
  for (size_t i = 0; i < item.plan->types.size(); ++i) {
    std::string name = i < definition.n_aliascolnames
                           ? std::string(StringValue(definition.aliascolnames[i]))
                           : item.plan->names[i];
    if (alias_columns != nullptr && i < alias_columns->n_colnames) {
      name = StringValue(alias_columns->colnames[i]);
    }
    item.columns.push_back({std::string(alias), std::move(name), item.plan->types[i]});
  }
  return item;
}

// `select` is the recursive CTE's query: non-recursive-term UNION [ALL] recursive-term. Without
// a self-reference it is an ordinary query.
Result<PlanPtr> Binder::Impl::BindRecursiveCte(size_t index, const PgQuery__SelectStmt& select) {
  const PgQuery__CommonTableExpr& definition = *ctes_[index].definition;
  const std::string name = definition.ctename;
  if (select.op != PG_QUERY__SET_OPERATION__SETOP_UNION) {
    CommonTableExpr self = std::move(ctes_[index]);
    ctes_.pop_back();
    Result<PlanPtr> bound = BindSelect(select, nullptr, nullptr);
    ctes_.push_back(std::move(self));
    return bound;
  }
  if (select.n_sort_clause > 0 || select.limit_count != nullptr || select.limit_offset != nullptr) {
    return WithPosition(SqlError(kFeatureNotSupported,
                                 "ORDER BY/LIMIT/OFFSET in a recursive query is not implemented"),
                        definition.location);
  }
  // The non-recursive term fixes the columns' types.
  CommonTableExpr self = std::move(ctes_[index]);
  ctes_.pop_back();
  Result<PlanPtr> initial = BindSelect(*select.larg, nullptr, nullptr);
  ctes_.push_back(std::move(self));
  if (!initial.ok()) return initial.status();
  // (Binding may grow ctes_, so no reference into it is kept across BindSelect.)
  const std::vector<Type> types = (*initial)->types;
  std::vector<std::string> names = (*initial)->names;
  for (size_t i = 0; i < definition.n_aliascolnames && i < names.size(); ++i) {
    names[i] = StringValue(definition.aliascolnames[i]);
  }
  const int32_t work_table = work_tables_++;
  ctes_[index].types = types;
  ctes_[index].names = names;
  ctes_[index].work_table = work_table;
  ctes_[index].referenced = false;
  Result<PlanPtr> recursive = BindSelect(*select.rarg, nullptr, nullptr);
  const bool referenced = ctes_[index].referenced;
  ctes_[index].work_table = -1;
  if (!recursive.ok()) return recursive.status();
  if (!referenced) {
    CommonTableExpr plain = std::move(ctes_[index]);
    ctes_.pop_back();
    Result<PlanPtr> bound = BindSelect(select, nullptr, nullptr);
    ctes_.push_back(std::move(plain));
    return bound;
  }
  PlanPtr term = std::move(*recursive);
  if (term->types.size() != types.size()) {
    return WithPosition(SqlError(kSyntaxError,
                                 "each UNION query must have the same number of columns"),
                        definition.location);
  }
  if (term->types != types) {
    std::vector<ExprPtr> casts;
    for (size_t c = 0; c < types.size(); ++c) {
      Result<ExprPtr> cast =
          Coerce(Expr::Column(static_cast<uint32_t>(c), term->types[c]), types[c], false);
      if (!cast.ok()) {
        Status status = SqlError(kDatatypeMismatch,
                                 "recursive query \"" + name + "\" column " + std::to_string(c + 1) +
                                     " has type " + catalog::FormatType(types[c]) +
                                     " in non-recursive term but type " +
                                     catalog::FormatType(term->types[c]) + " overall");
        status.SetHint("Cast the output of the non-recursive term to the correct type.");
        return WithPosition(std::move(status), definition.location);
      }
      casts.push_back(std::move(*cast));
    }
    std::vector<std::string> term_names = term->names;
    term = MakeProject(std::move(term), std::move(casts), std::move(term_names));
  }
  auto node = PlanNode::Make(PlanKind::kRecursiveUnion);
  node->types = types;
  node->names = std::move(names);
  node->set_all = select.all;
  node->work_table = work_table;
  node->children.push_back(std::move(*initial));
  node->children.push_back(std::move(term));
  return PlanPtr(std::move(node));
}

}  // namespace plexus::sql
