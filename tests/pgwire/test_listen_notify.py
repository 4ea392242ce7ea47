"""LISTEN / UNLISTEN / NOTIFY and pg_notify: delivered at commit, in commit order, to every
listening session (the sender too), asynchronously to idle connections; dropped on rollback;
duplicates in one transaction folded."""
import select
import subprocess
import threading
import time

import psycopg
import pytest


def wait_notifies(connection, count=1, timeout=10):
    """Notifications the server sends to an idle connection, read at the libpq level (no
    query is sent: delivery must be asynchronous)."""
    received = []
    deadline = time.monotonic() + timeout
    pgconn = connection.pgconn
    while len(received) < count:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select([pgconn.socket], [], [], left)
        if not ready:
            break
        pgconn.consume_input()
        while True:
            notify = pgconn.notifies()
            if notify is None:
                break
            received.append((notify.relname.decode(), notify.extra.decode(), notify.be_pid))
    return received


def no_notifies(connection, wait=0.3):
    return wait_notifies(connection, count=1, timeout=wait) == []


@pytest.fixture
def pair(server):
    listener = server.connect(autocommit=True)
    sender = server.connect(autocommit=True)
    yield listener, sender
    listener.close()
    sender.close()


def test_notifies_generator_across_two_connections(pair):
    listener, sender = pair
    listener.execute("LISTEN jobs")
    got = []

    def consume():
        for notify in listener.notifies():
            got.append(notify)
            if len(got) == 2:
                break

    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    time.sleep(0.2)
    sender.execute("NOTIFY jobs, 'first'")
    sender.execute("SELECT pg_notify('jobs', 'second')")
    thread.join(10)
    assert not thread.is_alive()
    assert [(n.channel, n.payload, n.pid) for n in got] == [
        ("jobs", "first", sender.info.backend_pid), ("jobs", "second", sender.info.backend_pid)]


def test_idle_connection_is_woken(pair):
    listener, sender = pair
    listener.execute("LISTEN wake")
    time.sleep(0.2)
    sender.execute("NOTIFY wake")
    assert wait_notifies(listener) == [("wake", "", sender.info.backend_pid)]


def test_delivered_at_commit_and_dropped_on_rollback(pair):
    listener, sender = pair
    listener.execute("LISTEN tx")
    sender.execute("BEGIN")
    sender.execute("NOTIFY tx, 'committed'")
    assert no_notifies(listener)
    sender.execute("COMMIT")
    assert wait_notifies(listener) == [("tx", "committed", sender.info.backend_pid)]
    sender.execute("BEGIN")
    sender.execute("NOTIFY tx, 'rolled back'")
    sender.execute("SELECT pg_notify('tx', 'rolled back too')")
    sender.execute("ROLLBACK")
    sender.execute("NOTIFY tx, 'after'")
    assert wait_notifies(listener) == [("tx", "after", sender.info.backend_pid)]


def test_duplicates_folded_and_commit_order_kept(pair):
    listener, sender = pair
    listener.execute("LISTEN fold")
    with sender.transaction():
        for payload in ["a", "a", "b", "a", "c"]:
            sender.execute("SELECT pg_notify('fold', %s)", (payload,))
    sender.execute("NOTIFY fold, 'd'")
    got = wait_notifies(listener, count=4)
    assert [payload for _, payload, _ in got] == ["a", "b", "c", "d"]
    assert no_notifies(listener)


def test_sender_hears_itself_before_ready_for_query(server):
    with server.connect(autocommit=True) as connection:
        seen = []
        connection.add_notify_handler(lambda n: seen.append((n.channel, n.payload, n.pid)))
        connection.execute("LISTEN self")
        connection.execute("NOTIFY self, 'me'")
        # Delivered with the NOTIFY's own reply, before its ReadyForQuery.
        assert seen == [("self", "me", connection.info.backend_pid)]


def test_listen_waits_for_commit(pair):
    listener, sender = pair
    listener.execute("BEGIN")
    listener.execute("LISTEN later")
    sender.execute("NOTIFY later, 'too early'")
    listener.execute("COMMIT")
    sender.execute("NOTIFY later, 'heard'")
    assert wait_notifies(listener) == [("later", "heard", sender.info.backend_pid)]


def test_notifications_wait_for_the_listeners_block_to_end(pair):
    listener, sender = pair
    listener.execute("LISTEN blocked")
    listener.execute("BEGIN")
    sender.execute("NOTIFY blocked, 'x'")
    assert no_notifies(listener)
    seen = []
    listener.add_notify_handler(lambda n: seen.append((n.channel, n.payload)))
    listener.execute("COMMIT")
    # Sent with COMMIT's reply, before its ReadyForQuery, as PostgreSQL does.
    assert seen == [("blocked", "x")]


def test_unlisten(pair):
    listener, sender = pair
    listener.execute("LISTEN one")
    listener.execute("LISTEN two")
    listener.execute("UNLISTEN one")
    sender.execute("NOTIFY one, 'no'")
    sender.execute("NOTIFY two, 'yes'")
    assert wait_notifies(listener) == [("two", "yes", sender.info.backend_pid)]
    listener.execute("UNLISTEN *")
    sender.execute("NOTIFY two, 'no more'")
    assert no_notifies(listener)


def test_payload_limits_and_errors(pair):
    listener, sender = pair
    listener.execute("LISTEN big")
    sender.execute("SELECT pg_notify('big', %s)", ("x" * 7999,))
    assert wait_notifies(listener) == [("big", "x" * 7999, sender.info.backend_pid)]
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="payload string too long"):
        sender.execute("SELECT pg_notify('big', %s)", ("x" * 8000,))
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="payload string too long"):
        sender.execute("NOTIFY big, '" + "y" * 8000 + "'")
    with pytest.raises(psycopg.errors.InvalidParameterValue,
                       match="channel name cannot be empty"):
        sender.execute("SELECT pg_notify('', 'p')")
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="channel name too long"):
        sender.execute("SELECT pg_notify(%s, 'p')", ("c" * 64,))
    sender.execute("SELECT pg_notify('big', NULL)")
    assert wait_notifies(listener) == [("big", "", sender.info.backend_pid)]


def test_every_listener_gets_it(server):
    listeners = [server.connect(autocommit=True) for _ in range(3)]
    try:
        for connection in listeners:
            connection.execute('LISTEN "Mixed Case"')
        with server.connect(autocommit=True) as sender:
            sender.execute("""NOTIFY "Mixed Case", 'all'""")
            for connection in listeners:
                assert wait_notifies(connection) == [("Mixed Case", "all",
                                                      sender.info.backend_pid)]
    finally:
        for connection in listeners:
            connection.close()


def test_psql_prints_asynchronous_notification(server):
    result = server.psql("-c", "LISTEN psqlchan", "-c", "NOTIFY psqlchan, 'hi'")
    assert 'Asynchronous notification "psqlchan" with payload "hi" received from server process' \
        in result.stdout


def test_rollback_to_savepoint_drops_later_notifications(pair):
    listener, sender = pair
    listener.execute("LISTEN sp")
    with sender.transaction():
        sender.execute("NOTIFY sp, 'before'")
        sender.execute("SAVEPOINT s")
        sender.execute("NOTIFY sp, 'rolled back'")
        sender.execute("ROLLBACK TO SAVEPOINT s")
        sender.execute("NOTIFY sp, 'after'")
    got = wait_notifies(listener, count=2)
    assert [payload for _, payload, _ in got] == ["before", "after"]
    assert no_notifies(listener)
