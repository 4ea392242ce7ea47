"""Clients served by different event loops (resp.threads=0 over net.threads=2: consecutive
connections alternate between the two loops; the default, resp.threads=1, serves every client
on one loop): commands on one key from both loops stay atomic, and blocking pops, CLIENT
LIST/KILL, pub/sub and WATCH work across loops."""
import threading
import time

import pytest

from conftest import Server


@pytest.fixture(scope="module")
def loops(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("resp-loops"),
               settings=["net.threads=2", "resp.threads=0"]).start()
    yield s
    code = s.stop()
    assert code == 0, "".join(s.output)


def clients(server, count):
    """`count` connected clients (connected in turn, so they alternate between the loops)."""
    opened = [server.client() for _ in range(count)]
    for client in opened:
        client.ping()
    return opened


def test_one_key_from_both_loops_stays_atomic(loops):
    writers = clients(loops, 4)
    writers[0].delete("counter", "list")

    def work(client):
        for _ in range(10):
            pipe = client.pipeline(transaction=False)
            for _ in range(50):
                pipe.incr("counter")
                pipe.lpush("list", "x")
            pipe.execute()

    threads = [threading.Thread(target=work, args=(c,)) for c in writers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert writers[0].get("counter") == b"2000"
    assert writers[1].llen("list") == 2000


def test_push_on_one_loop_wakes_a_pop_on_the_other(loops):
    waiter, pusher = clients(loops, 2)
    waiter.delete("q")
    result = {}
    t = threading.Thread(target=lambda: result.update(v=waiter.blpop(["q"], timeout=10)))
    t.start()
    time.sleep(0.3)
    pusher.rpush("q", "hello")
    t.join(timeout=10)
    assert result["v"] == (b"q", b"hello")


def test_client_list_and_kill_across_loops(loops):
    killer, *victims = clients(loops, 3)
    listed = {c["id"] for c in killer.client_list()}
    ids = [str(v.client_id()) for v in victims]
    assert set(ids) <= listed
    for victim_id in ids:
        assert killer.client_kill_filter(_id=victim_id) == 1
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and set(ids) & {c["id"] for c in killer.client_list()}:
        time.sleep(0.05)
    assert not set(ids) & {c["id"] for c in killer.client_list()}


def test_publish_reaches_subscribers_on_both_loops(loops):
    first, second, publisher = clients(loops, 3)
    subscriptions = [first.pubsub(), second.pubsub()]
    for p in subscriptions:
        p.subscribe("news")
        assert p.get_message(timeout=5)["type"] == "subscribe"
    assert publisher.publish("news", "hi") == 2
    for p in subscriptions:
        message = p.get_message(timeout=5)
        assert message["type"] == "message" and message["data"] == b"hi"
        p.close()


def test_watch_sees_a_write_from_the_other_loop(loops):
    watcher, writer = clients(loops, 2)
    watcher.set("w", "1")
    pipe = watcher.pipeline(transaction=True)
    pipe.watch("w")
    writer.set("w", "2")
    pipe.multi()
    pipe.set("w", "3")
    with pytest.raises(Exception):  # redis.WatchError: EXEC answered nil
        pipe.execute()
    assert watcher.get("w") == b"2"
