"""Row locks of SELECT ... FOR UPDATE / FOR SHARE between sessions: only the rows the query
returns are locked (past WHERE, after ORDER BY, no more than LIMIT takes); NOWAIT fails at once
with 55P03; SKIP LOCKED passes over rows others hold, so that workers taking jobs from a queue
table each get their own; a row changed or deleted by a transaction that committed while the
query ran is judged as it is now, as PostgreSQL's READ COMMITTED re-check does."""
import threading

import psycopg
import pytest


@pytest.fixture
def jobs(conn, table_name):
    conn.execute(f"DROP TABLE IF EXISTS {table_name}")
    conn.execute(f"CREATE TABLE {table_name} (id integer PRIMARY KEY, state text NOT NULL, "
                 "worker integer)")
    conn.execute(f"INSERT INTO {table_name} SELECT g, CASE WHEN g % 10 = 0 THEN 'done' "
                 "ELSE 'queued' END, NULL FROM generate_series(1, 40) g")
    return table_name


def locked_elsewhere(server, sql):
    """Whether `sql` (a FOR UPDATE NOWAIT) fails for want of a row lock in another session."""
    with server.connect() as other:
        try:
            other.execute(sql)
            return False
        except psycopg.errors.LockNotAvailable:
            return True


def rows_once_holder_commits(holder, waiter, sql):
    """Runs `sql` on `waiter`, checks that it waits for `holder`'s row locks, commits `holder`
    and returns the rows `sql` then gives."""
    result = {}

    def run():
        result["rows"] = waiter.execute(sql).fetchall()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(0.5)
    assert thread.is_alive(), "the statement did not wait for the row lock"
    holder.commit()
    thread.join(30)
    return result["rows"]


def test_only_returned_rows_are_locked(server, jobs):
    with server.connect() as a:
        taken = a.execute(f"SELECT id FROM {jobs} WHERE state = 'queued' ORDER BY id DESC "
                          "LIMIT 2 FOR UPDATE").fetchall()
        assert taken == [(39,), (38,)]
        assert locked_elsewhere(server, f"SELECT * FROM {jobs} WHERE id = 39 FOR UPDATE NOWAIT")
        assert locked_elsewhere(server, f"SELECT * FROM {jobs} WHERE id = 38 FOR SHARE NOWAIT")
        # Rows the sort passed over, the LIMIT cut and the WHERE refused stay free.
        for free in (37, 1, 40, 10):
            assert not locked_elsewhere(
                server, f"SELECT * FROM {jobs} WHERE id = {free} FOR UPDATE NOWAIT")
        a.rollback()
    assert not locked_elsewhere(server, f"SELECT * FROM {jobs} WHERE id = 39 FOR UPDATE NOWAIT")


def test_nowait_fails_at_once_with_55P03(server, jobs):
    with server.connect() as a, server.connect() as b:
        a.execute(f"SELECT * FROM {jobs} WHERE id = 5 FOR UPDATE")
        with pytest.raises(psycopg.errors.LockNotAvailable) as failure:
            b.execute(f"SELECT * FROM {jobs} WHERE id BETWEEN 4 AND 6 FOR UPDATE NOWAIT")
        assert failure.value.sqlstate == "55P03"
        assert str(failure.value).startswith(f'could not obtain lock on row in relation "{jobs}"')
        b.rollback()
        # The statement that failed left no lock behind.
        assert b.execute(f"SELECT id FROM {jobs} WHERE id = 4 FOR UPDATE NOWAIT").fetchall() == [(4,)]


def test_skip_locked_passes_over_rows_others_hold(server, jobs):
    with server.connect() as a, server.connect() as b:
        query = (f"SELECT id FROM {jobs} WHERE state = 'queued' ORDER BY id LIMIT 2 "
                 "FOR UPDATE SKIP LOCKED")
        assert a.execute(query).fetchall() == [(1,), (2,)]
        assert b.execute(query).fetchall() == [(3,), (4,)]
        assert a.execute(query).fetchall() == [(1,), (2,)]  # its own locks do not stop it
        a.rollback()
        assert b.execute(f"SELECT id FROM {jobs} WHERE id < 6 ORDER BY id FOR UPDATE SKIP LOCKED"
                         ).fetchall() == [(1,), (2,), (3,), (4,), (5,)]


def test_shared_locks_share_and_keep_writers_out(server, jobs):
    with server.connect() as a, server.connect() as b, server.connect() as c:
        assert a.execute(f"SELECT id FROM {jobs} WHERE id = 7 FOR SHARE").fetchall() == [(7,)]
        assert b.execute(f"SELECT id FROM {jobs} WHERE id = 7 FOR KEY SHARE NOWAIT").fetchall() == [(7,)]
        with pytest.raises(psycopg.errors.LockNotAvailable):
            c.execute(f"SELECT id FROM {jobs} WHERE id = 7 FOR UPDATE NOWAIT")
        c.rollback()
        assert c.execute(f"SELECT id FROM {jobs} WHERE id = 7 FOR SHARE SKIP LOCKED").fetchall() == [(7,)]


def test_of_locks_only_the_tables_it_names(server, conn, jobs):
    conn.execute(f"DROP TABLE IF EXISTS {jobs}_w")
    conn.execute(f"CREATE TABLE {jobs}_w (id integer PRIMARY KEY, name text)")
    conn.execute(f"INSERT INTO {jobs}_w VALUES (1, 'one')")
    conn.execute(f"UPDATE {jobs} SET worker = 1 WHERE id = 3")
    with server.connect() as a:
        rows = a.execute(f"SELECT j.id, w.name FROM {jobs} j JOIN {jobs}_w w ON w.id = j.worker "
                         "FOR UPDATE OF j").fetchall()
        assert rows == [(3, "one")]
        assert locked_elsewhere(server, f"SELECT * FROM {jobs} WHERE id = 3 FOR UPDATE NOWAIT")
        assert not locked_elsewhere(server, f"SELECT * FROM {jobs}_w FOR UPDATE NOWAIT")
        a.rollback()
    with pytest.raises(psycopg.errors.UndefinedTable, match="in FOR UPDATE clause not found"):
        conn.execute(f"SELECT * FROM {jobs} FOR UPDATE OF nosuch")


def test_a_row_that_changed_while_waiting_is_judged_as_it_is_now(server, jobs):
    with server.connect() as a, server.connect() as b:
        a.execute(f"UPDATE {jobs} SET state = 'running' WHERE id = 1")
        a.execute(f"DELETE FROM {jobs} WHERE id = 2")
        rows = rows_once_holder_commits(a, b, f"SELECT id, state FROM {jobs} WHERE state = "
                                        "'queued' ORDER BY id LIMIT 2 FOR UPDATE")
        assert rows == [(3, "queued"), (4, "queued")]
        b.rollback()


def run_workers(server, jobs, claim, workers=4):
    """Runs `workers` threads, each calling claim(connection, worker) until it returns no job
    ids while nothing is queued; returns the ids each took, once every job is taken."""
    taken = {w: [] for w in range(workers)}
    errors = []

    def work(worker):
        try:
            with server.connect() as c:
                while True:
                    ids = claim(c, worker)
                    c.commit()
                    if ids:
                        taken[worker].extend(ids)
                        continue
                    # Nothing free now; done once nothing is queued at all.
                    queued = c.execute(f"SELECT count(*) FROM {jobs} WHERE state = 'queued'"
                                       ).fetchone()[0]
                    c.rollback()
                    if queued == 0:
                        return
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    every = sorted(j for ids in taken.values() for j in ids)
    assert every == [j for j in range(1, 41) if j % 10 != 0]
    return taken


def test_workers_take_each_queued_job_exactly_once(server, jobs):
    def claim(c, worker):
        row = c.execute(f"SELECT id FROM {jobs} WHERE state = 'queued' ORDER BY id "
                        "LIMIT 1 FOR UPDATE SKIP LOCKED").fetchone()
        if row is None:
            return []
        c.execute(f"UPDATE {jobs} SET state = 'done', worker = %s WHERE id = %s", (worker, row[0]))
        return [row[0]]

    taken = run_workers(server, jobs, claim)
    with server.connect() as c:
        rows = c.execute(f"SELECT worker, count(*) FROM {jobs} WHERE id % 10 <> 0 "
                         "GROUP BY worker ORDER BY worker").fetchall()
        assert rows == sorted((w, len(ids)) for w, ids in taken.items() if ids)


def test_update_and_delete_lock_only_the_rows_they_change(server, jobs):
    with server.connect() as a:
        # No index on state: every row is read, and only the qualifying ones are locked.
        assert a.execute(f"UPDATE {jobs} SET worker = 1 WHERE state = 'queued' AND id > 35"
                         ).rowcount == 4
        assert a.execute(f"DELETE FROM {jobs} WHERE state = 'done' AND id < 15").rowcount == 1
        for free in (1, 20, 35, 40):
            assert not locked_elsewhere(
                server, f"SELECT * FROM {jobs} WHERE id = {free} FOR UPDATE NOWAIT")
        for held in (36, 39, 10):
            assert locked_elsewhere(server, f"SELECT * FROM {jobs} WHERE id = {held} FOR UPDATE NOWAIT")
        with server.connect() as b:
            # Another UPDATE over the whole table passes the rows a holds when they do not qualify.
            assert b.execute(f"UPDATE {jobs} SET worker = 2 WHERE id < 5").rowcount == 4
            b.commit()
        a.rollback()


def test_update_judges_a_row_changed_while_waiting_as_it_is_now(server, jobs):
    with server.connect() as a, server.connect() as b:
        a.execute(f"UPDATE {jobs} SET state = 'running' WHERE id = 1")
        a.execute(f"UPDATE {jobs} SET worker = 7 WHERE id = 2")
        rows = rows_once_holder_commits(a, b, f"UPDATE {jobs} SET worker = coalesce(worker, 0) + 1 "
                                        "WHERE state = 'queued' AND id < 4 RETURNING id, worker")
        # Row 1 no longer qualifies; row 2 is updated from its new value.
        assert sorted(rows) == [(2, 8), (3, 1)]
        b.commit()


def test_concurrent_increments_through_a_full_scan_lose_nothing(server, conn, table_name):
    conn.execute(f"DROP TABLE IF EXISTS {table_name}")
    conn.execute(f"CREATE TABLE {table_name} (id integer PRIMARY KEY, name text, n integer)")
    conn.execute(f"INSERT INTO {table_name} SELECT g, 'c' || g, 0 FROM generate_series(1, 50) g")
    errors = []

    def bump():
        try:
            with server.connect(autocommit=True) as c:
                for _ in range(25):
                    c.execute(f"UPDATE {table_name} SET n = n + 1 WHERE name = 'c7'")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    assert conn.execute(f"SELECT n FROM {table_name} WHERE id = 7").fetchone() == (100,)


def test_workers_claim_jobs_with_update_over_skip_locked(server, jobs):
    def claim(c, worker):
        return [j for (j,) in c.execute(
            f"UPDATE {jobs} SET state = 'running', worker = %s WHERE id IN "
            f"(SELECT id FROM {jobs} WHERE state = 'queued' ORDER BY id LIMIT 2 "
            "FOR UPDATE SKIP LOCKED) RETURNING id", (worker,)).fetchall()]

    run_workers(server, jobs, claim)
