// Deparsing packs the fragment into a one-statement parse result and asks libpg_query for SQL.
#include "plexus/sql/parse/deparse.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <string_view>
#include <vector>

#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

Result<std::string> DeparseStatement(const PgQuery__Node& statement) {
  PgQuery__RawStmt raw = PG_QUERY__RAW_STMT__INIT;
  raw.stmt = const_cast<PgQuery__Node*>(&statement);
  PgQuery__RawStmt* statements[] = {&raw};
  PgQuery__ParseResult result = PG_QUERY__PARSE_RESULT__INIT;
  result.version = 150001;
  result.n_stmts = 1;
  result.stmts = statements;
  std::vector<uint8_t> packed(pg_query__parse_result__get_packed_size(&result));
  pg_query__parse_result__pack(&result, packed.data());
  PgQueryProtobuf protobuf{packed.size(), reinterpret_cast<char*>(packed.data())};
  PgQueryDeparseResult deparsed = pg_query_deparse_protobuf(protobuf);
  if (deparsed.error != nullptr) {
    Status status = SqlError(kInternalError, std::string("cannot deparse: ") +
                                                 (deparsed.error->message ? deparsed.error->message
                                                                          : "unknown error"));
    pg_query_free_deparse_result(deparsed);
    return status;
  }
  std::string text = deparsed.query ? deparsed.query : "";
  pg_query_free_deparse_result(deparsed);
  return text;
}

Result<std::string> DeparseExpression(const PgQuery__Node& expression) {
  PgQuery__ResTarget target = PG_QUERY__RES_TARGET__INIT;
  target.val = const_cast<PgQuery__Node*>(&expression);
  PgQuery__Node target_node = PG_QUERY__NODE__INIT;
  target_node.node_case = PG_QUERY__NODE__NODE_RES_TARGET;
  target_node.res_target = &target;
  PgQuery__Node* targets[] = {&target_node};
  PgQuery__SelectStmt select = PG_QUERY__SELECT_STMT__INIT;
  select.n_target_list = 1;
  select.target_list = targets;
  select.limit_option = PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_DEFAULT;
  select.op = PG_QUERY__SET_OPERATION__SETOP_NONE;
  PgQuery__Node select_node = PG_QUERY__NODE__INIT;
  select_node.node_case = PG_QUERY__NODE__NODE_SELECT_STMT;
  select_node.select_stmt = &select;
  PLEXUS_ASSIGN_OR_RETURN(std::string text, DeparseStatement(select_node));
  constexpr std::string_view kPrefix = "SELECT ";
  if (text.compare(0, kPrefix.size(), kPrefix) != 0) {
    return SqlError(kInternalError, "unexpected deparse result: " + text);
  }
  return text.substr(kPrefix.size());
}

}  // namespace plexus::sql
