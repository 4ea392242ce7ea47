"""Advisory locks (pg_advisory_lock and friends) between sessions: exclusive and shared, session
and transaction level, reentrant, released at unlock, commit or disconnect; a waiter blocks until
the holder lets go, can be canceled or time out, and a cycle of waiters ends in 40P01."""
import threading
import time

import psycopg
import pytest


def test_session_lock_excludes_other_sessions_until_unlocked(server):
    with server.connect(autocommit=True) as a, server.connect(autocommit=True) as b:
        assert a.execute("SELECT pg_advisory_lock(101)").fetchone() == ("",)
        assert b.execute("SELECT pg_try_advisory_lock(101)").fetchone() == (False,)
        # Reentrant: a second hold needs a second unlock.
        assert a.execute("SELECT pg_try_advisory_lock(101)").fetchone() == (True,)
        assert a.execute("SELECT pg_advisory_unlock(101)").fetchone() == (True,)
        assert b.execute("SELECT pg_try_advisory_lock(101)").fetchone() == (False,)
        assert a.execute("SELECT pg_advisory_unlock(101)").fetchone() == (True,)
        assert a.execute("SELECT pg_advisory_unlock(101)").fetchone() == (False,)
        assert b.execute("SELECT pg_try_advisory_lock(101)").fetchone() == (True,)
        assert b.execute("SELECT pg_advisory_unlock_all()").fetchone() == ("",)
        assert a.execute("SELECT pg_try_advisory_lock(101)").fetchone() == (True,)
        a.execute("SELECT pg_advisory_unlock(101)")


def test_two_integer_keys_are_their_own_key_space(server):
    with server.connect(autocommit=True) as a, server.connect(autocommit=True) as b:
        a.execute("SELECT pg_advisory_lock(0, 102)")
        assert b.execute("SELECT pg_try_advisory_lock(102)").fetchone() == (True,)
        assert b.execute("SELECT pg_try_advisory_lock(0, 102)").fetchone() == (False,)
        assert b.execute("SELECT pg_try_advisory_lock(1, 102)").fetchone() == (True,)
        a.execute("SELECT pg_advisory_unlock_all()")
        b.execute("SELECT pg_advisory_unlock_all()")


def test_shared_locks_share_and_exclude_exclusive(server):
    with server.connect(autocommit=True) as a, server.connect(autocommit=True) as b:
        assert a.execute("SELECT pg_try_advisory_lock_shared(103)").fetchone() == (True,)
        assert b.execute("SELECT pg_try_advisory_lock_shared(103)").fetchone() == (True,)
        assert b.execute("SELECT pg_try_advisory_lock(103)").fetchone() == (False,)
        assert a.execute("SELECT pg_advisory_unlock_shared(103)").fetchone() == (True,)
        # b's own shared hold does not keep b from the exclusive lock.
        assert b.execute("SELECT pg_try_advisory_lock(103)").fetchone() == (True,)
        assert a.execute("SELECT pg_try_advisory_lock_shared(103)").fetchone() == (False,)
        b.execute("SELECT pg_advisory_unlock_all()")


def test_transaction_locks_end_with_the_transaction(server):
    with server.connect() as a, server.connect(autocommit=True) as b:
        a.execute("SELECT pg_advisory_xact_lock(104)")
        assert b.execute("SELECT pg_try_advisory_lock(104)").fetchone() == (False,)
        # A transaction-level lock cannot be unlocked by hand.
        assert a.execute("SELECT pg_advisory_unlock(104)").fetchone() == (False,)
        a.commit()
        assert b.execute("SELECT pg_try_advisory_lock(104)").fetchone() == (True,)
        b.execute("SELECT pg_advisory_unlock(104)")
        a.execute("SELECT pg_try_advisory_xact_lock(104)")
        assert b.execute("SELECT pg_try_advisory_lock(104)").fetchone() == (False,)
        a.rollback()
        assert b.execute("SELECT pg_try_advisory_lock(104)").fetchone() == (True,)
        b.execute("SELECT pg_advisory_unlock(104)")
    with server.connect(autocommit=True) as a, server.connect(autocommit=True) as b:
        # In autocommit the statement's own transaction holds it, and ends at once.
        a.execute("SELECT pg_advisory_xact_lock(105)")
        assert b.execute("SELECT pg_try_advisory_lock(105)").fetchone() == (True,)


def test_a_disconnect_releases_the_session_locks(server):
    with server.connect(autocommit=True) as b:
        a = server.connect(autocommit=True)
        a.execute("SELECT pg_advisory_lock(106)")
        assert b.execute("SELECT pg_try_advisory_lock(106)").fetchone() == (False,)
        a.close()
        deadline = time.monotonic() + 10
        while b.execute("SELECT pg_try_advisory_lock(106)").fetchone() != (True,):
            assert time.monotonic() < deadline, "the closed session's lock stayed"
            time.sleep(0.05)


def test_a_waiter_gets_the_lock_when_the_holder_unlocks(server):
    with server.connect(autocommit=True) as a, server.connect(autocommit=True) as b:
        a.execute("SELECT pg_advisory_lock(107)")
        got = threading.Event()

        def wait():
            b.execute("SELECT pg_advisory_lock(107)")
            got.set()
        waiter = threading.Thread(target=wait)
        waiter.start()
        assert not got.wait(0.5)
        a.execute("SELECT pg_advisory_unlock(107)")
        assert got.wait(10)
        waiter.join()
        assert a.execute("SELECT pg_try_advisory_lock(107)").fetchone() == (False,)
        b.execute("SELECT pg_advisory_unlock(107)")


def test_a_waiter_can_be_canceled_or_time_out(server):
    with server.connect(autocommit=True) as a, server.connect(autocommit=True) as b:
        a.execute("SELECT pg_advisory_lock(108)")
        timer = threading.Timer(0.5, b.cancel)
        timer.start()
        with pytest.raises(psycopg.errors.QueryCanceled):
            b.execute("SELECT pg_advisory_lock(108)")
        timer.join()
        b.execute("SET statement_timeout = 300")
        with pytest.raises(psycopg.errors.QueryCanceled):
            b.execute("SELECT pg_advisory_lock(108)")
        b.execute("SET statement_timeout = 0")
        a.execute("SELECT pg_advisory_unlock(108)")
        # The canceled waits left nothing behind.
        assert b.execute("SELECT pg_try_advisory_lock(108)").fetchone() == (True,)
        b.execute("SELECT pg_advisory_unlock(108)")


def test_waiters_in_a_cycle_get_deadlock_detected(server):
    with server.connect(autocommit=True) as a, server.connect(autocommit=True) as b:
        a.execute("SELECT pg_advisory_lock(109)")
        b.execute("SELECT pg_advisory_lock(110)")
        outcome = {}

        def a_waits():
            try:
                a.execute("SELECT pg_advisory_lock(110)")
                outcome["a"] = "locked"
            except psycopg.errors.DeadlockDetected:
                outcome["a"] = "deadlock"
        waiter = threading.Thread(target=a_waits)
        waiter.start()
        time.sleep(0.3)
        try:
            b.execute("SELECT pg_advisory_lock(109)")
            outcome["b"] = "locked"
        except psycopg.errors.DeadlockDetected:
            outcome["b"] = "deadlock"
            b.execute("SELECT pg_advisory_unlock(110)")
        waiter.join(10)
        assert sorted(outcome.values()) == ["deadlock", "locked"]
        a.execute("SELECT pg_advisory_unlock_all()")
        b.execute("SELECT pg_advisory_unlock_all()")
