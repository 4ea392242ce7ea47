"""The statement worker reads a client's next messages itself after a reply (the loop is paused
meanwhile) and gives reading back to the loop for anything but whole short messages: these
tests send what must go back to the loop while a worker is waiting for input."""
import struct
import time

from conftest import error_fields, message, raw_connect, read_messages


def query(sql):
    return message(b"Q", sql.encode() + b"\0")


def data_rows(messages):
    return [body for kind, body in messages if kind == b"D"]


def test_message_split_across_sends_is_read_whole(server):
    sock, _ = raw_connect(server)
    with sock:
        sock.sendall(query("SELECT 1"))
        assert len(data_rows(read_messages(sock))) == 1
        # The worker now waits for more; it peeks half a message and leaves it to the loop.
        whole = query("SELECT 2")
        sock.sendall(whole[:3])
        time.sleep(0.05)
        sock.sendall(whole[3:9])
        time.sleep(0.05)
        sock.sendall(whole[9:])
        rows = data_rows(read_messages(sock))
        assert len(rows) == 1 and rows[0].endswith(b"2")
        # And the next request after that is answered too.
        sock.sendall(query("SELECT 3"))
        rows = data_rows(read_messages(sock))
        assert len(rows) == 1 and rows[0].endswith(b"3")


def test_message_longer_than_a_worker_read_goes_through_the_loop(server):
    sock, _ = raw_connect(server)
    with sock:
        sock.sendall(query("SELECT 1"))
        read_messages(sock)
        literal = "x" * 40000  # more than the worker reads at once (16 KiB)
        sock.sendall(query(f"SELECT length('{literal}')"))
        rows = data_rows(read_messages(sock))
        assert len(rows) == 1 and rows[0].endswith(b"40000")


def test_many_pipelined_messages_are_answered_in_order(server):
    sock, _ = raw_connect(server)
    with sock:
        sock.sendall(query("SELECT 0"))
        read_messages(sock)
        batch = b"".join(query(f"SELECT {i}") for i in range(1, 2001))  # ~34 KB at once
        sock.sendall(batch)
        answers = []
        for _ in range(2000):
            rows = data_rows(read_messages(sock))
            assert len(rows) == 1
            answers.append(int(rows[0][6:]))
        assert answers == list(range(1, 2001))


def test_malformed_message_after_a_reply_is_reported_by_the_loop(server):
    sock, _ = raw_connect(server)
    with sock:
        sock.sendall(query("SELECT 1"))
        read_messages(sock)
        sock.sendall(b"Q" + struct.pack("!I", 2))
        fields = error_fields(read_messages(sock, until=b"E")[-1][1])
        assert fields["S"] == "FATAL" and fields["M"] == "invalid message length"
        assert sock.recv(1) == b""  # then it closes


def test_client_gone_while_worker_waits_keeps_server_serving(server):
    sock, _ = raw_connect(server)
    sock.sendall(query("SELECT 1"))
    read_messages(sock)
    sock.close()  # the waiting worker sees the end of input and hands it to the loop
    with server.connect() as connection:
        assert connection.execute("SELECT 42").fetchone() == (42,)
