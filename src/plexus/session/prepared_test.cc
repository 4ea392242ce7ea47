// Prepared statements and portals (the API the wire protocol's Parse/Bind/Execute use), SQL
// PREPARE/EXECUTE/DEALLOCATE, parameter type inference, implicit transactions of multi-statement
// text, and session settings (SET/SHOW/RESET, transactional, reported to the client).
#include <gtest/gtest.h>

#include "plexus/session/session.h"
#include "plexus/session/session_test_util.h"

namespace plexus::session {
namespace {

using catalog::Type;
using catalog::TypeId;

class PreparedTest : public SessionTestBase {};

TEST_F(PreparedTest, ParameterTypesAreInferredFromUse) {
  Run("CREATE TABLE t(id integer PRIMARY KEY, name text, price numeric(10,2), day date)");
  auto insert = Prepare("INSERT INTO t VALUES ($1, $2, $3, $4)");
  ASSERT_TRUE(insert);
  EXPECT_EQ(insert->parameter_types(),
            (std::vector<Type>{Type::Of(TypeId::kInt32), Type::Of(TypeId::kText),
                               Type::Of(TypeId::kNumeric), Type::Of(TypeId::kDate)}));
  EXPECT_FALSE(insert->returns_rows());
  auto select = Prepare("SELECT name, price * $2 FROM t WHERE id = $1");
  ASSERT_TRUE(select);
  EXPECT_EQ(select->parameter_types()[0], Type::Of(TypeId::kInt32));
  EXPECT_EQ(select->parameter_types()[1], Type::Of(TypeId::kNumeric));
  ASSERT_EQ(select->columns().size(), 2u);
  EXPECT_EQ(select->columns()[0].name, "name");
  // Given types win over inference; an unused-context parameter is text.
  auto given = Prepare("SELECT $1, $2 = 1", {Type::Of(TypeId::kInt64)});
  ASSERT_TRUE(given);
  EXPECT_EQ(given->parameter_types(),
            (std::vector<Type>{Type::Of(TypeId::kInt64), Type::Of(TypeId::kInt32)}));
  auto untyped = Prepare("SELECT $1");
  ASSERT_TRUE(untyped);
  EXPECT_EQ(untyped->parameter_types(), (std::vector<Type>{Type::Of(TypeId::kText)}));
}

TEST_F(PreparedTest, ExecutesManyTimesWithParameters) {
  Run("CREATE TABLE t(id integer PRIMARY KEY, name text)");
  auto insert = Prepare("INSERT INTO t VALUES ($1, $2)");
  for (int i = 1; i <= 5; ++i) {
    RunPrepared(insert, {sql::Value::Int32(i), sql::Value::String(Type::Of(TypeId::kText),
                                                                  "n" + std::to_string(i))});
    EXPECT_EQ(sink_.tags_.back(), "INSERT 0 1");
  }
  auto lookup = Prepare("SELECT name FROM t WHERE id = $1");
  EXPECT_EQ(RunPrepared(lookup, {sql::Value::Int32(3)}), (Rows{"n3"}));
  EXPECT_EQ(RunPrepared(lookup, {sql::Value::Int32(9)}), (Rows{}));
  EXPECT_EQ(sink_.tags_.back(), "SELECT 0");
  EXPECT_EQ(RunPrepared(lookup, {sql::Value::Null(Type::Of(TypeId::kInt32))}), (Rows{}));
  auto wrong = session_->Bind(lookup, {});
  EXPECT_EQ(wrong.status().sql_state(), "08P01");
}

TEST_F(PreparedTest, PlansAreBoundAgainAfterDdl) {
  Run("CREATE TABLE t(a integer)");
  Run("INSERT INTO t VALUES (1)");
  auto select = Prepare("SELECT count(*) FROM t");
  EXPECT_EQ(RunPrepared(select, {}), (Rows{"1"}));
  Run("DROP TABLE t");
  Run("CREATE TABLE t(a integer)");
  EXPECT_EQ(RunPrepared(select, {}), (Rows{"0"}));
  Run("DROP TABLE t");
  auto portal = session_->Bind(select, {});
  ASSERT_TRUE(portal.ok());
  EXPECT_EQ(session_->Execute(**portal, sink_).sql_state(), "42P01");
}

TEST_F(PreparedTest, PointReadsRunWithoutWaiting) {
  Run("CREATE TABLE t(id integer PRIMARY KEY, code text UNIQUE, name text)");
  Run("CREATE TABLE pair(a integer, b integer, PRIMARY KEY (a, b))");
  Run("CREATE SEQUENCE s");
  const auto runs_without_waiting = [this](std::string_view sql) {
    auto statement = Prepare(sql);
    EXPECT_TRUE(statement) << sql;
    return statement && session_->RunsWithoutWaiting(*statement);
  };
  EXPECT_TRUE(runs_without_waiting("SELECT name FROM t WHERE id = $1"));
  EXPECT_TRUE(runs_without_waiting("SELECT upper(name), id + 1 FROM t WHERE id = $1 AND name <> 'x'"));
  EXPECT_TRUE(runs_without_waiting("SELECT * FROM t WHERE code = $1"));  // a unique index
  EXPECT_TRUE(runs_without_waiting("SELECT * FROM pair WHERE a = $1 AND b = 2"));
  EXPECT_TRUE(runs_without_waiting("SELECT 1"));
  // Scans, row locks, effects, subqueries and writes may take long or wait.
  EXPECT_FALSE(runs_without_waiting("SELECT * FROM t"));
  EXPECT_FALSE(runs_without_waiting("SELECT * FROM t WHERE id > $1"));
  EXPECT_FALSE(runs_without_waiting("SELECT * FROM pair WHERE a = $1"));
  EXPECT_FALSE(runs_without_waiting("SELECT * FROM t WHERE name = $1"));
  EXPECT_FALSE(runs_without_waiting("SELECT * FROM t WHERE id = $1 FOR UPDATE"));
  EXPECT_FALSE(runs_without_waiting("SELECT nextval('s') FROM t WHERE id = $1"));
  EXPECT_FALSE(runs_without_waiting("SELECT random()"));
  EXPECT_FALSE(runs_without_waiting("SELECT (SELECT count(*) FROM pair) FROM t WHERE id = $1"));
  EXPECT_FALSE(runs_without_waiting("UPDATE t SET name = 'x' WHERE id = $1"));
  EXPECT_FALSE(runs_without_waiting("SET search_path = public"));
  // Inside a transaction block (its commit is not the statement's), or with a plan to bind
  // again, not.
  auto lookup = Prepare("SELECT name FROM t WHERE id = $1");
  ASSERT_TRUE(lookup);
  Run("BEGIN");
  EXPECT_FALSE(session_->RunsWithoutWaiting(*lookup));
  Run("COMMIT");
  EXPECT_TRUE(session_->RunsWithoutWaiting(*lookup));
  Run("ALTER TABLE t ADD COLUMN extra integer");
  EXPECT_FALSE(session_->RunsWithoutWaiting(*lookup));
  EXPECT_EQ(RunPrepared(lookup, {sql::Value::Int32(1)}), (Rows{}));
  EXPECT_TRUE(session_->RunsWithoutWaiting(*lookup));
}

TEST_F(PreparedTest, PointReadsSeeWhatCommittedBeforeThemInAndOutOfBlocks) {
  Run("CREATE TABLE t(id integer PRIMARY KEY, code text UNIQUE, name text)");
  Run("INSERT INTO t VALUES (1, 'a', 'first')");
  auto by_key = Prepare("SELECT name FROM t WHERE id = $1");
  auto by_code = Prepare("SELECT name FROM t WHERE code = $1");
  ASSERT_TRUE(by_key && by_code);
  const sql::Value one = sql::Value::Int32(1);
  const sql::Value code = sql::Value::String(Type::Of(TypeId::kText), "a");
  Session other(engine_.get());
  TextSink other_sink;
  const auto other_runs = [&](std::string_view sql) {
    Status status = other.Execute(sql, other_sink);
    EXPECT_TRUE(status.ok()) << sql << ": " << status.ToString();
  };
  EXPECT_EQ(RunPrepared(by_key, {one}), (Rows{"first"}));
  other_runs("UPDATE t SET name = 'second' WHERE id = 1");
  // Autocommit: a read by the primary key takes no snapshot, one by a unique index does.
  EXPECT_EQ(RunPrepared(by_key, {one}), (Rows{"second"}));
  EXPECT_EQ(RunPrepared(by_code, {code}), (Rows{"second"}));
  // In a block, each statement reads at a snapshot of its own start, not the previous one's.
  Run("BEGIN");
  EXPECT_EQ(RunPrepared(by_key, {one}), (Rows{"second"}));
  other_runs("UPDATE t SET name = 'third' WHERE id = 1");
  EXPECT_EQ(RunPrepared(by_key, {one}), (Rows{"third"}));
  EXPECT_EQ(RunPrepared(by_code, {code}), (Rows{"third"}));
  Run("COMMIT");
}

TEST_F(PreparedTest, PortalsReturnRowsInPieces) {
  Run("CREATE TABLE t(a integer)");
  Run("INSERT INTO t SELECT * FROM (VALUES (1), (2), (3), (4), (5)) v");
  auto select = Prepare("SELECT a FROM t ORDER BY a");
  for (bool in_block : {false, true}) {
    if (in_block) Run("BEGIN");
    auto portal = session_->Bind(select, {});
    ASSERT_TRUE(portal.ok());
    sink_.rows_.clear();
    bool suspended = false;
    ASSERT_TRUE(session_->Execute(**portal, sink_, 2, &suspended).ok());
    EXPECT_TRUE(suspended);
    EXPECT_EQ(sink_.rows_, (Rows{"1", "2"}));
    ASSERT_TRUE(session_->Execute(**portal, sink_, 2, &suspended).ok());
    EXPECT_TRUE(suspended);
    ASSERT_TRUE(session_->Execute(**portal, sink_, 2, &suspended).ok());
    EXPECT_FALSE(suspended);
    EXPECT_TRUE((*portal)->done());
    EXPECT_EQ(sink_.tags_.back(), "SELECT 5");
    if (in_block) Run("COMMIT");
  }
  // A block's end closes its suspended portals.
  Run("BEGIN");
  auto portal = session_->Bind(select, {});
  ASSERT_TRUE(portal.ok());
  bool suspended = false;
  ASSERT_TRUE(session_->Execute(**portal, sink_, 1, &suspended).ok());
  EXPECT_TRUE(suspended);
  Run("COMMIT");
  EXPECT_TRUE((*portal)->done());
}

TEST_F(PreparedTest, ErrorsInABlockFailIt) {
  Run("CREATE TABLE t(a integer PRIMARY KEY)");
  auto insert = Prepare("INSERT INTO t VALUES ($1)");
  Run("BEGIN");
  RunPrepared(insert, {sql::Value::Int32(1)});
  auto portal = session_->Bind(insert, {sql::Value::Int32(1)});
  ASSERT_TRUE(portal.ok());
  EXPECT_EQ(session_->Execute(**portal, sink_).sql_state(), "23505");
  EXPECT_EQ(session_->transaction_state(), TransactionState::kFailed);
  EXPECT_EQ(session_->Prepare("SELECT 1").status().sql_state(), "25P02");
  // The block's end may come prepared (drivers send ROLLBACK through Parse/Bind/Execute).
  auto rollback = Prepare("ROLLBACK");
  ASSERT_TRUE(rollback);
  RunPrepared(rollback, {});
  EXPECT_EQ(session_->transaction_state(), TransactionState::kIdle);
  EXPECT_EQ(Query("SELECT count(*) FROM t"), (Rows{"0"}));
}

TEST_F(PreparedTest, SyntaxErrorsFailTheBlock) {
  Run("BEGIN");
  EXPECT_EQ(Error("SELEC 1").substr(0, 5), "42601");
  EXPECT_EQ(session_->transaction_state(), TransactionState::kFailed);
  EXPECT_EQ(Error("SELECT 1").substr(0, 5), "25P02");
  Run("ROLLBACK");
  EXPECT_EQ(Query("SELECT 1"), (Rows{"1"}));
}

TEST_F(PreparedTest, SqlPrepareExecuteDeallocate) {
  Run("CREATE TABLE t(id integer, v text)");
  Run("PREPARE ins(integer, text) AS INSERT INTO t VALUES ($1, $2)");
  Run("EXECUTE ins(1, 'one')");
  EXPECT_EQ(sink_.tags_.back(), "INSERT 0 1");
  Run("EXECUTE ins(2.0, 'two')");  // converted as an assignment
  Run("PREPARE q AS SELECT v FROM t WHERE id > $1 ORDER BY id");
  EXPECT_EQ(Query("EXECUTE q(0)"), (Rows{"one", "two"}));
  EXPECT_EQ(sink_.tags_.back(), "SELECT 2");
  EXPECT_EQ(Error("PREPARE q AS SELECT 1"), "42P05 prepared statement \"q\" already exists");
  EXPECT_EQ(Error("EXECUTE q"), "42601 wrong number of parameters for prepared statement\n"
                                "Expected 1 parameters but got 0.");
  EXPECT_EQ(Error("EXECUTE nope"), "26000 prepared statement \"nope\" does not exist");
  Run("DEALLOCATE q");
  EXPECT_EQ(Error("EXECUTE q(1)"), "26000 prepared statement \"q\" does not exist");
  Run("DEALLOCATE ALL");
  EXPECT_EQ(sink_.tags_.back(), "DEALLOCATE ALL");
  EXPECT_EQ(Error("EXECUTE ins(3, 'x')"), "26000 prepared statement \"ins\" does not exist");
  EXPECT_EQ(Error("SELECT $1"), "42P02 there is no parameter $1");
}

TEST_F(PreparedTest, MultiStatementTextIsOneTransaction) {
  Run("CREATE TABLE t(a integer PRIMARY KEY)");
  EXPECT_FALSE(session_->Execute("INSERT INTO t VALUES (1); INSERT INTO t VALUES (1)", sink_).ok());
  EXPECT_EQ(session_->transaction_state(), TransactionState::kIdle);
  EXPECT_EQ(Query("SELECT count(*) FROM t"), (Rows{"0"}));
  Run("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)");
  EXPECT_EQ(Query("SELECT count(*) FROM t"), (Rows{"2"}));
  // BEGIN inside makes the block explicit: it stays open.
  Run("INSERT INTO t VALUES (3); BEGIN; INSERT INTO t VALUES (4)");
  EXPECT_EQ(session_->transaction_state(), TransactionState::kActive);
  Run("ROLLBACK");
  EXPECT_EQ(Query("SELECT count(*) FROM t"), (Rows{"2"}));
}

class ReportingSink : public TextSink {
 public:
  void ParameterChanged(std::string_view name, std::string_view value) override {
    reported_.push_back(std::string(name) + "=" + std::string(value));
  }
  void Notice(const NoticeMessage& notice) override { notices_.emplace_back(notice.message); }
  std::vector<std::string> reported_;
  std::vector<std::string> notices_;
};

TEST_F(PreparedTest, SetShowReset) {
  EXPECT_EQ(Query("SHOW TimeZone"), (Rows{"UTC"}));
  EXPECT_EQ(sink_.columns_[0].name, "TimeZone");
  Run("SET statement_timeout = 5000");
  EXPECT_EQ(Query("SHOW statement_timeout"), (Rows{"5s"}));
  Run("SET statement_timeout TO '1500ms'");
  EXPECT_EQ(Query("SHOW statement_timeout"), (Rows{"1500ms"}));
  Run("SET work_mem = '64MB'");
  EXPECT_EQ(Query("SHOW work_mem"), (Rows{"64MB"}));
  Run("RESET work_mem");
  EXPECT_EQ(Query("SHOW work_mem"), (Rows{"4MB"}));
  Run("SET search_path TO myschema, public");
  EXPECT_EQ(Query("SHOW search_path"), (Rows{"myschema, public"}));
  Run("SET application_name = 'billing'");
  EXPECT_EQ(Query("SHOW application_name"), (Rows{"billing"}));
  Run("SET myapp.tenant = '42'");
  EXPECT_EQ(Query("SHOW myapp.tenant"), (Rows{"42"}));
  EXPECT_EQ(Error("SET nope = 1"), "42704 unrecognized configuration parameter \"nope\"");
  EXPECT_EQ(Error("SHOW nope"), "42704 unrecognized configuration parameter \"nope\"");
  EXPECT_EQ(Error("SET statement_timeout = 'soon'"),
            "22023 invalid value for parameter \"statement_timeout\": \"soon\"");
  EXPECT_EQ(Error("SET server_version = '16'"), "55P02 parameter \"server_version\" cannot be changed");
  EXPECT_EQ(Error("SET extra_float_digits = 9"),
            "22023 9 is outside the valid range for parameter \"extra_float_digits\" (-15 .. 3)");
  Run("SET extra_float_digits = 3");
  EXPECT_EQ(Query("SHOW standard_conforming_strings"), (Rows{"on"}));
  EXPECT_EQ(Query("SHOW server_version"), (Rows{"15.0"}));
  Run("RESET ALL");
  EXPECT_EQ(Query("SHOW statement_timeout"), (Rows{"0"}));
  EXPECT_GT(Query("SHOW ALL").size(), 20u);
}

TEST_F(PreparedTest, TimeZoneChangesTimestamptzTextAndIsReported) {
  ReportingSink sink;
  ASSERT_TRUE(session_->Execute("SET TIME ZONE 'America/New_York'", sink).ok());
  EXPECT_EQ(sink.reported_, (std::vector<std::string>{"TimeZone=America/New_York"}));
  ASSERT_TRUE(session_->Execute("SELECT '2024-07-01 12:00:00+00'::timestamptz, "
                                "'2024-01-01 00:00'::timestamptz::text", sink).ok());
  EXPECT_EQ(sink.rows_, (Rows{"2024-07-01 08:00:00-04|2024-01-01 00:00:00-05"}));
  ASSERT_TRUE(session_->Execute("SET TIME ZONE -2", sink).ok());
  ASSERT_TRUE(session_->Execute("SELECT '2024-07-01 12:00:00+00'::timestamptz", sink).ok());
  EXPECT_EQ(sink.rows_, (Rows{"2024-07-01 10:00:00-02"}));
  EXPECT_EQ(Error("SET TIME ZONE 'Mars/Olympus'"), "22023 time zone \"Mars/Olympus\" not recognized");
}

TEST_F(PreparedTest, SettingsFollowTheTransaction) {
  ReportingSink sink;
  ASSERT_TRUE(session_->Execute("BEGIN; SET TimeZone = 'Europe/Paris'; SET LOCAL work_mem = '1GB'",
                                sink).ok());
  EXPECT_EQ(Query("SHOW work_mem"), (Rows{"1GB"}));
  ASSERT_TRUE(session_->Execute("ROLLBACK", sink).ok());
  EXPECT_EQ(Query("SHOW TimeZone"), (Rows{"UTC"}));
  EXPECT_EQ(sink.reported_.back(), "TimeZone=UTC");
  Run("BEGIN");
  Run("SET TimeZone = 'Europe/Paris'");
  Run("SET LOCAL work_mem = '1GB'");
  Run("COMMIT");
  EXPECT_EQ(Query("SHOW TimeZone"), (Rows{"Europe/Paris"}));
  EXPECT_EQ(Query("SHOW work_mem"), (Rows{"4MB"}));
  ASSERT_TRUE(session_->Execute("SET LOCAL work_mem = '1GB'", sink).ok());
  EXPECT_EQ(sink.notices_.back(), "SET LOCAL can only be used in transaction blocks");
  EXPECT_EQ(Query("SHOW work_mem"), (Rows{"4MB"}));
  Run("BEGIN ISOLATION LEVEL READ COMMITTED");
  EXPECT_EQ(Query("SHOW transaction_isolation"), (Rows{"read committed"}));
  EXPECT_EQ(Error("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"),
            "25001 SET TRANSACTION ISOLATION LEVEL must be called before any query");
  Run("ROLLBACK");
  Run("SET default_transaction_isolation = 'read committed'");
  Run("BEGIN");
  EXPECT_EQ(Query("SHOW transaction_isolation"), (Rows{"read committed"}));
  Run("COMMIT");
}

TEST_F(PreparedTest, StatementTimeoutCancelsLongStatements) {
  Run("SET statement_timeout = 1");
  // A recursive query that never ends on its own.
  EXPECT_EQ(Error("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                  "SELECT count(*) FROM r"),
            "57014 canceling statement due to statement timeout");
  Run("RESET statement_timeout");
  EXPECT_EQ(Query("SELECT 1"), (Rows{"1"}));
}

TEST_F(PreparedTest, NowIsTheTransactionStart) {
  Run("BEGIN");
  const Rows first = Query("SELECT now()::text");
  const Rows again = Query("SELECT now()::text, current_timestamp = now()");
  Run("COMMIT");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(again, (Rows{first[0] + "|t"}));
}

}  // namespace
}  // namespace plexus::session
