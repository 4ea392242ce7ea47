// Execution strategies that must not change answers: a prepared statement's operator tree kept
// from one execution to the next, and the lookup join (right rows read by primary key) with its
// fallback to a hash join when the left side is large.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "plexus/session/session.h"
#include "plexus/session/session_test_util.h"

namespace plexus::session {
namespace {

using catalog::Type;
using catalog::TypeId;

sql::Value Int(int32_t value) { return sql::Value::Int32(value); }

class ExecutionTest : public SessionTestBase {};

TEST_F(ExecutionTest, KeptOperatorTreeSeesNewParametersAndData) {
  Run("CREATE TABLE t (id integer PRIMARY KEY, v integer)");
  Run("INSERT INTO t SELECT g, g * 10 FROM generate_series(1, 100) g");
  auto point = Prepare("SELECT v FROM t WHERE id = $1");
  auto range = Prepare("SELECT count(*), sum(v) FROM t WHERE id >= $1 AND id < $2");
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(RunPrepared(point, {Int(7)}), (Rows{std::to_string(70 + round)}));
    EXPECT_EQ(RunPrepared(point, {Int(1000)}), (Rows{}));
    EXPECT_EQ(RunPrepared(range, {Int(1), Int(11)}), (Rows{"10|" + std::to_string(550 + round)}));
    Run("UPDATE t SET v = v + 1 WHERE id = 7");
  }
}

TEST_F(ExecutionTest, UncorrelatedSubqueryRunsAgainInEachExecution) {
  Run("CREATE TABLE t (id integer PRIMARY KEY, v integer)");
  Run("INSERT INTO t VALUES (1, 10), (2, 20), (3, 30)");
  // The subquery reads no outer column, so it runs once per execution — not once ever.
  auto above = Prepare("SELECT id FROM t WHERE v > (SELECT v FROM t WHERE id = $1) ORDER BY id");
  EXPECT_EQ(RunPrepared(above, {Int(1)}), (Rows{"2", "3"}));
  EXPECT_EQ(RunPrepared(above, {Int(2)}), (Rows{"3"}));
  Run("UPDATE t SET v = 5 WHERE id = 2");
  EXPECT_EQ(RunPrepared(above, {Int(2)}), (Rows{"1", "3"}));
}

TEST_F(ExecutionTest, TreeStoppedEarlyOrInsideABlockIsReusedSafely) {
  Run("CREATE TABLE t (id integer PRIMARY KEY, v integer)");
  Run("INSERT INTO t SELECT g, g FROM generate_series(1, 5000) g");
  // LIMIT leaves the scan's iterator open when the execution ends; the transaction's end
  // releases it, and the next execution opens a new one.
  auto first = Prepare("SELECT id FROM t WHERE id > $1 ORDER BY id LIMIT 2");
  auto insert = Prepare("INSERT INTO t VALUES ($1, $2)");
  EXPECT_EQ(RunPrepared(first, {Int(10)}), (Rows{"11", "12"}));
  Run("BEGIN");
  EXPECT_EQ(RunPrepared(insert, {Int(-1), Int(1)}), (Rows{}));
  EXPECT_EQ(RunPrepared(first, {Int(-5)}), (Rows{"-1", "1"}));
  Run("ROLLBACK");
  EXPECT_EQ(RunPrepared(first, {Int(-5)}), (Rows{"1", "2"}));
  EXPECT_EQ(RunPrepared(insert, {Int(-1), Int(1)}), (Rows{}));
  EXPECT_EQ(RunPrepared(first, {Int(-5)}), (Rows{"-1", "1"}));
  // A failed execution leaves nothing behind that the next one would trip over.
  auto unique = Prepare("INSERT INTO t VALUES ($1, 0)");
  auto portal = session_->Bind(unique, {Int(1)});
  ASSERT_TRUE(portal.ok());
  EXPECT_FALSE(session_->Execute(**portal, sink_).ok());
  EXPECT_EQ(RunPrepared(unique, {Int(9000)}), (Rows{}));
  EXPECT_EQ(Query("SELECT count(*) FROM t"), (Rows{"5002"}));
}

TEST_F(ExecutionTest, TreeIsBuiltAgainAfterTheTableChanges) {
  Run("CREATE TABLE t (id integer PRIMARY KEY, v integer)");
  Run("INSERT INTO t VALUES (1, 10)");
  auto select = Prepare("SELECT v FROM t WHERE id = $1");
  EXPECT_EQ(RunPrepared(select, {Int(1)}), (Rows{"10"}));
  Run("CREATE INDEX t_v ON t (v)");
  Run("INSERT INTO t VALUES (2, 20)");
  EXPECT_EQ(RunPrepared(select, {Int(2)}), (Rows{"20"}));
}

TEST_F(ExecutionTest, TableCreatedInTheTransactionLoadsWithoutLocksAndKeepsItsConstraints) {
  // Rows of a table created by the transaction take no row locks (nobody else can see the
  // table); uniqueness, rollback and savepoints still hold.
  Run("BEGIN");
  Run("CREATE TABLE fresh (id integer PRIMARY KEY, v text UNIQUE)");
  auto insert = Prepare("INSERT INTO fresh VALUES ($1, $2)");
  for (int i = 0; i < 500; ++i) {
    RunPrepared(insert, {Int(i), sql::Value::String(Type::Of(TypeId::kText), "v" + std::to_string(i))});
  }
  Run("SAVEPOINT s");
  EXPECT_EQ(Error("INSERT INTO fresh VALUES (7, 'new')").substr(0, 5), "23505");
  Run("ROLLBACK TO s");
  EXPECT_EQ(Error("INSERT INTO fresh VALUES (1000, 'v7')").substr(0, 5), "23505");
  Run("ROLLBACK TO s");
  Run("DELETE FROM fresh WHERE id >= 250");
  Run("COMMIT");
  EXPECT_EQ(Query("SELECT count(*), min(v), max(id) FROM fresh"), (Rows{"250|v0|249"}));
  // After the commit the table is everyone's: its rows are locked again as usual.
  Run("INSERT INTO fresh VALUES (250, 'v250')");
  EXPECT_EQ(Error("INSERT INTO fresh VALUES (250, 'x')").substr(0, 5), "23505");
  // A rewrite by ALTER TABLE copies under a new id, checked as it goes.
  Run("CREATE TABLE dup (id integer, v integer)");
  Run("INSERT INTO dup VALUES (1, 1), (2, 2), (1, 3)");
  EXPECT_EQ(Error("ALTER TABLE dup ADD PRIMARY KEY (id)").substr(0, 5), "23505");
  Run("DELETE FROM dup WHERE v = 3");
  Run("ALTER TABLE dup ADD PRIMARY KEY (id)");
  EXPECT_EQ(Error("INSERT INTO dup VALUES (2, 9)").substr(0, 5), "23505");
  Run("CREATE UNIQUE INDEX dup_v ON dup (v)");
  EXPECT_EQ(Error("INSERT INTO dup VALUES (3, 2)").substr(0, 5), "23505");
  EXPECT_EQ(Query("SELECT count(*) FROM dup WHERE v = 2"), (Rows{"1"}));
}

TEST_F(ExecutionTest, TruncatedTableLoadsAsNewAndKeepsItsDefinition) {
  Run("CREATE TABLE parent (id integer PRIMARY KEY)");
  Run("INSERT INTO parent VALUES (1), (2)");
  Run("CREATE TABLE t (id integer PRIMARY KEY, p integer REFERENCES parent, v text UNIQUE, "
      "n serial)");
  Run("INSERT INTO t (id, p, v) VALUES (1, 1, 'a'), (2, 2, 'b')");
  auto select = Prepare("SELECT id, v FROM t WHERE id = $1");
  EXPECT_EQ(RunPrepared(select, {Int(1)}), (Rows{"1|a"}));
  // pgbench -i's pattern: TRUNCATE and reload in one transaction.
  Run("BEGIN");
  Run("TRUNCATE t");
  EXPECT_EQ(Query("SELECT count(*) FROM t"), (Rows{"0"}));
  Run("INSERT INTO t (id, p, v) SELECT g, 1 + g % 2, 'v' || g FROM generate_series(1, 300) g");
  EXPECT_EQ(Error("INSERT INTO t (id, p, v) VALUES (1, 1, 'new')").substr(0, 5), "23505");
  Run("ROLLBACK");
  EXPECT_EQ(Query("SELECT count(*) FROM t"), (Rows{"2"}));
  EXPECT_EQ(RunPrepared(select, {Int(2)}), (Rows{"2|b"}));
  Run("BEGIN");
  Run("TRUNCATE t");
  Run("INSERT INTO t (id, p, v) SELECT g, 1 + g % 2, 'v' || g FROM generate_series(1, 300) g");
  Run("COMMIT");
  EXPECT_EQ(RunPrepared(select, {Int(7)}), (Rows{"7|v7"}));
  // Sequence values are never rolled back: 2 + 300 + 1 (the failed row) + 300.
  EXPECT_EQ(Query("SELECT count(*), max(n) FROM t"), (Rows{"300|603"}));
  // Constraints and indexes carry over.
  EXPECT_EQ(Error("INSERT INTO t (id, p, v) VALUES (1000, 1, 'v7')").substr(0, 5), "23505");
  EXPECT_EQ(Error("INSERT INTO t (id, p, v) VALUES (1000, 9, 'z')").substr(0, 5), "23503");
  EXPECT_EQ(Query("SELECT id FROM t WHERE v = 'v42'"), (Rows{"42"}));
}

TEST_F(ExecutionTest, ScanStopsBeforeRowsTheTransactionWroteToAnotherTable) {
  Run("CREATE TABLE a (id integer PRIMARY KEY, v text)");
  Run("CREATE TABLE b (id integer PRIMARY KEY, w integer)");  // keys after a's
  Run("BEGIN");
  Run("INSERT INTO b VALUES (1, 10), (2, 20)");
  Run("INSERT INTO a VALUES (5, 'x')");
  EXPECT_EQ(Query("SELECT * FROM a"), (Rows{"5|x"}));
  EXPECT_EQ(Query("SELECT count(*) FROM a"), (Rows{"1"}));
  Run("COMMIT");
}

class LookupJoinTest : public ExecutionTest {
 protected:
  void SetUp() override {
    ExecutionTest::SetUp();
    Run("CREATE TABLE items (id bigint PRIMARY KEY, price integer, name text)");
    Run("INSERT INTO items SELECT g, g % 7, 'item' || g FROM generate_series(1, 3000) g");
    Run("CREATE TABLE orders (id integer PRIMARY KEY, item integer, qty integer)");
    // Order 0 has no item, order 1 an item that does not exist.
    Run("INSERT INTO orders VALUES (0, NULL, 1), (1, 99999, 1)");
    Run("INSERT INTO orders SELECT g, g * 3, g % 4 FROM generate_series(2, 40) g");
  }
};

TEST_F(LookupJoinTest, InnerJoinByPrimaryKey) {
  EXPECT_EQ(Query("SELECT count(*), sum(i.price * o.qty) FROM orders o JOIN items i "
                  "ON i.id = o.item"),
            (Rows{"39|" + Query("SELECT sum((g * 3) % 7 * (g % 4)) FROM generate_series(2, 40) g")[0]}));
  // Conditions on the right table's own columns filter the rows read by key.
  EXPECT_EQ(Sorted("SELECT o.id, i.name FROM orders o JOIN items i ON i.id = o.item "
                   "WHERE i.price = 0 AND o.id < 20"),
            (Rows{"14|item42", "7|item21"}));
  // The condition may hold more than the key equality.
  EXPECT_EQ(Sorted("SELECT o.id FROM orders o JOIN items i ON i.id = o.item AND i.price > o.qty "
                   "WHERE o.id < 6"),
            (Rows{"2", "4"}));
}

TEST_F(LookupJoinTest, LeftJoinPadsRowsWithoutPartner) {
  EXPECT_EQ(Sorted("SELECT o.id, i.name FROM orders o LEFT JOIN items i ON i.id = o.item "
                   "WHERE o.id < 4"),
            (Rows{"0|NULL", "1|NULL", "2|item6", "3|item9"}));
  // A right row filtered out by its own condition is no partner either.
  EXPECT_EQ(Sorted("SELECT o.id, i.id FROM orders o LEFT JOIN "
                   "(SELECT * FROM items WHERE price = 6) i ON i.id = o.item WHERE o.id < 6"),
            (Rows{"0|NULL", "1|NULL", "2|6", "3|NULL", "4|NULL", "5|NULL"}));
  // A condition on the left row alone decides whether the looked-up row is a partner.
  EXPECT_EQ(Sorted("SELECT o.id FROM orders o LEFT JOIN items i ON i.id = o.item AND o.qty = 2 "
                   "WHERE i.id IS NOT NULL"),
            (Rows{"10", "14", "18", "2", "22", "26", "30", "34", "38", "6"}));
}

TEST_F(LookupJoinTest, CompositeKeysAndOtherIntegerWidths) {
  Run("CREATE TABLE stock (shop smallint, item bigint, n integer, PRIMARY KEY (shop, item))");
  Run("INSERT INTO stock VALUES (1, 6, 60), (2, 6, 61), (1, 9, 90)");
  Run("CREATE TABLE wants (shop integer, item integer)");
  Run("INSERT INTO wants VALUES (1, 6), (2, 6), (2, 9), (NULL, 9)");
  EXPECT_EQ(Sorted("SELECT w.shop, w.item, s.n FROM wants w JOIN stock s "
                   "ON s.item = w.item AND s.shop = w.shop"),
            (Rows{"1|6|60", "2|6|61"}));
  EXPECT_EQ(Sorted("SELECT w.shop, w.item, s.n FROM wants w LEFT JOIN stock s "
                   "ON s.item = w.item AND s.shop = w.shop"),
            (Rows{"1|6|60", "2|6|61", "2|9|NULL", "NULL|9|NULL"}));
}

TEST_F(LookupJoinTest, LargeLeftSideFallsBackToAHashJoin) {
  // More left rows than the lookup join buffers: the same answers from the hash join, which
  // replays the rows read so far before the rest.
  Run("CREATE TABLE many (id integer PRIMARY KEY, item integer)");
  Run("INSERT INTO many SELECT g, g % 3500 FROM generate_series(1, 40000) g");
  EXPECT_EQ(Query("SELECT count(*), count(i.id), sum(i.price) FROM many m LEFT JOIN items i "
                  "ON i.id = m.item"),
            Query("SELECT count(*), count(CASE WHEN m.item BETWEEN 1 AND 3000 THEN 1 END), "
                  "sum(CASE WHEN m.item BETWEEN 1 AND 3000 THEN m.item % 7 END) FROM many m"));
  EXPECT_EQ(Query("SELECT count(*) FROM many m JOIN items i ON i.id = m.item"), (Rows{"34500"}));
  // And again, as a prepared statement whose tree is kept: small, then large left sides.
  auto join = Prepare("SELECT count(*) FROM many m JOIN items i ON i.id = m.item WHERE m.id < $1");
  EXPECT_EQ(RunPrepared(join, {Int(11)}), (Rows{"10"}));
  EXPECT_EQ(RunPrepared(join, {Int(40001)}), (Rows{"34500"}));
  EXPECT_EQ(RunPrepared(join, {Int(11)}), (Rows{"10"}));
}

}  // namespace
}  // namespace plexus::session
