"""Point reads by a unique key (Bind/Execute of a prepared statement, outside a transaction
block) run on the connection's event loop instead of a worker thread: they see what they would
on a worker, never wait for another transaction, and keep their place among the messages that
do go to a worker."""
import re
import urllib.request

import psycopg
import pytest

from conftest import PLEXUS, Server, free_port


class ServerWithMetrics(Server):
    def start(self):
        self.http_port = free_port()
        self.start_plexus(PLEXUS, self.data_dir, {"pg": self.port, "http": self.http_port},
                          self.settings)
        return self

    def loop_batches(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}/metrics", timeout=10) as r:
            text = r.read().decode()
        found = re.search(r"^plexus_pg_loop_batches_total (\d+)", text, re.M)
        return int(found.group(1)) if found else 0


@pytest.fixture(scope="module")
def metered(tmp_path_factory):
    s = ServerWithMetrics(tmp_path_factory.mktemp("pg-loop")).start()
    with psycopg.connect(s.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE accounts(id integer PRIMARY KEY, code text UNIQUE, balance integer,"
                  " note text)")
        c.execute("INSERT INTO accounts SELECT g, 'c' || g, g * 10, repeat('n', 1000)"
                  " FROM generate_series(1, 3000) g")
    yield s
    assert s.stop() == 0, "".join(s.output)


def lookup(connection, key):
    row = connection.execute("SELECT balance FROM accounts WHERE id = %s", (key,),
                             prepare=True).fetchone()
    return row[0] if row else None


def test_prepared_point_reads_run_on_the_loop_and_see_commits(metered):
    with psycopg.connect(metered.dsn(), autocommit=True) as reader, \
            psycopg.connect(metered.dsn(), autocommit=True) as writer:
        assert lookup(reader, 7) == 70
        before = metered.loop_batches()
        for _ in range(20):
            assert lookup(reader, 7) == 70
        assert metered.loop_batches() >= before + 10
        writer.execute("UPDATE accounts SET balance = 71 WHERE id = 7")
        assert lookup(reader, 7) == 71
        assert lookup(reader, 999999) is None
        by_code = reader.execute("SELECT id FROM accounts WHERE code = %s", ("c12",),
                                 prepare=True).fetchone()
        assert by_code == (12,)
        writer.execute("UPDATE accounts SET balance = 70 WHERE id = 7")


def test_point_read_does_not_wait_for_a_row_lock(metered):
    with psycopg.connect(metered.dsn(), autocommit=True) as reader, \
            psycopg.connect(metered.dsn()) as locker:
        for _ in range(3):
            lookup(reader, 8)
        locker.execute("UPDATE accounts SET balance = -1 WHERE id = 8")  # locked, uncommitted
        before = metered.loop_batches()
        assert lookup(reader, 8) == 80  # the committed value, at once
        assert metered.loop_batches() > before
        locker.commit()
        assert lookup(reader, 8) == -1
        locker.execute("UPDATE accounts SET balance = 80 WHERE id = 8")
        locker.commit()


def test_pipelined_point_reads_with_large_output_answer_in_order(metered):
    with psycopg.connect(metered.dsn(), autocommit=True) as reader:
        sql = "SELECT id, note FROM accounts WHERE id = %s"
        reader.execute(sql, (1,), prepare=True)
        reader.execute(sql, (1,), prepare=True)
        # ~3 MB of replies to one batch: more than a worker flushes at once.
        with reader.pipeline():
            cursors = [reader.execute(sql, (i,), prepare=True) for i in range(1, 3001)]
        ids = [cursor.fetchone()[0] for cursor in cursors]
        assert ids == list(range(1, 3001))


def test_errors_and_worker_statements_keep_their_order(metered):
    with psycopg.connect(metered.dsn(), autocommit=True) as c:
        divide = "SELECT balance / %s FROM accounts WHERE id = %s"
        for _ in range(3):
            assert c.execute(divide, (10, 1), prepare=True).fetchone() == (1,)
            lookup(c, 1)
        before = metered.loop_batches()
        with pytest.raises(psycopg.errors.DivisionByZero):
            c.execute(divide, (0, 1), prepare=True)  # an error, then the next ones run
        assert metered.loop_batches() > before
        assert lookup(c, 2) == 20
        # A transaction block: reads in it run on a worker, in order with the loop's.
        with c.transaction():
            c.execute("UPDATE accounts SET balance = 21 WHERE id = 2")
            assert lookup(c, 2) == 21
        assert lookup(c, 2) == 21
        c.execute("UPDATE accounts SET balance = 20 WHERE id = 2")
        assert c.execute("SELECT count(*) FROM accounts").fetchone() == (3000,)
        assert lookup(c, 2) == 20
