"""CancelRequest: a long statement stops with 57014; a wrong key cancels nothing."""
import socket
import struct
import threading
import time

import psycopg
import pytest

# The filter is evaluated per batch, where the executor checks for cancellation.
LONG_QUERY = "SELECT count(*) FROM generate_series(1, 2000000000) a WHERE a % 7 <> 1"


def test_cancel_stops_a_running_query(server):
    with server.connect(autocommit=True) as connection:
        timer = threading.Timer(1.0, connection.cancel)
        timer.start()
        with pytest.raises(psycopg.errors.QueryCanceled) as raised:
            connection.execute(LONG_QUERY)
        timer.join()
        assert raised.value.diag.message_primary == "canceling statement due to user request"
        assert connection.execute("SELECT 1").fetchone() == (1,)


def test_cancel_with_wrong_key_is_ignored(server):
    with server.connect(autocommit=True) as connection:
        pid = connection.info.backend_pid

        def wrong_cancel():
            with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
                sock.sendall(struct.pack("!IIii", 16, 80877102, pid, 12345))
                assert sock.recv(1) == b""  # closed without an answer
        # The short query finishes normally although a cancel with a bad key arrives.
        wrong_cancel()
        assert connection.execute(
            "SELECT count(*) FROM generate_series(1, 200000)").fetchone() == (200000,)


def test_other_clients_are_served_during_a_long_query(server):
    with server.connect(autocommit=True) as busy, server.connect(autocommit=True) as other:
        outcome = []

        def run_long():
            try:
                busy.execute(LONG_QUERY)
                outcome.append("finished")
            except psycopg.errors.QueryCanceled:
                outcome.append("canceled")
        thread = threading.Thread(target=run_long)
        thread.start()
        time.sleep(0.5)
        for _ in range(20):
            assert other.execute("SELECT 7").fetchone() == (7,)
        busy.cancel()
        thread.join()
        assert outcome == ["canceled"]
