"""Keyspace and keyevent notifications (CONFIG SET notify-keyspace-events): which events each
command publishes, in which order, on which channels; checked against Redis 7 with
RESP_TARGET=redis."""
import socket
import time

import pytest
import redis


class Events:
    """A subscriber to every keyspace/keyevent channel; `take` returns what arrived since."""

    def __init__(self, server):
        self.client = server.client()
        self.pubsub = self.client.pubsub()
        self.pubsub.psubscribe("__key*__:*")
        assert self.pubsub.get_message(timeout=5)["type"] == "psubscribe"

    def take(self, quiet=0.2):
        got = []
        while True:
            message = self.pubsub.get_message(timeout=quiet)
            if message is None:
                return got
            if message["type"] == "pmessage":
                got.append((message["channel"].decode(), message["data"].decode()))

    def close(self):
        self.pubsub.close()
        self.client.close()


@pytest.fixture
def events(server, r):
    watcher = Events(server)
    yield watcher
    watcher.close()
    r.config_set("notify-keyspace-events", "")


def space_and_event(db, key, event):
    return [(f"__keyspace@{db}__:{key}", event), (f"__keyevent@{db}__:{event}", key)]


def expect(*pairs, db=0):
    """The messages of events (key, event), each on both channels (flags K and E)."""
    out = []
    for key, event in pairs:
        out += space_and_event(db, key, event)
    return out


@pytest.mark.parametrize("flags,shown", [
    ("KEA", "AKE"), ("Kx", "xK"), ("Elg", "glE"), ("Knm", "nKm"), ("", ""), ("KA", "AK"),
    ("K$lshzxetd", "$lshzxetdK"), ("Kgn", "gnK"), ("KAn", "AK"), ("AEmn", "AEm"), ("dKE", "dKE"),
])
def test_config_flags_round_trip_as_redis_prints_them(r, flags, shown):
    try:
        assert r.config_set("notify-keyspace-events", flags)
        assert r.config_get("notify-keyspace-events") == {"notify-keyspace-events": shown}
    finally:
        r.config_set("notify-keyspace-events", "")


def test_config_rejects_unknown_letters(r):
    with pytest.raises(redis.ResponseError) as error:
        r.config_set("notify-keyspace-events", "KEq")
    assert str(error.value) == (
        "CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid "
        "event class character. Use 'Ag$lshzxeKEtmdn'.")


def test_nothing_is_published_when_disabled(r, events):
    r.set("a", "1")
    r.lpush("l", "x")
    assert events.take() == []


def test_string_commands(r, events):
    r.config_set("notify-keyspace-events", "KEA")
    r.set("s", "1")
    r.set("s", "2", ex=100)
    r.set("s", "3", keepttl=True)
    r.set("s", "4", nx=True)  # not set: no event
    r.setnx("t", "1")
    r.setex("u", 100, "v")
    r.mset({"m1": "a", "m2": "b"})
    r.getset("s", "5")
    r.append("s", "x")
    r.setrange("s", 1, "yy")
    r.incr("n")
    r.decrby("n", 5)
    r.incrbyfloat("n", 1.5)
    r.getdel("t")
    r.getex("u", persist=True)
    r.getex("u", ex=50)
    assert events.take() == expect(
        ("s", "set"), ("s", "set"), ("s", "expire"), ("s", "set"), ("t", "set"), ("u", "set"),
        ("u", "expire"), ("m1", "set"), ("m2", "set"), ("s", "set"), ("s", "append"),
        ("s", "setrange"), ("n", "incrby"), ("n", "incrby"), ("n", "incrbyfloat"), ("t", "del"),
        ("u", "persist"), ("u", "expire"))


def test_generic_commands(r, events):
    r.set("a", "1")
    r.set("b", "2")
    r.config_set("notify-keyspace-events", "KEA")
    r.delete("a", "missing", "b")
    r.set("a", "1")
    r.expire("a", 100)
    r.expire("a", 10, nx=True)  # not changed: no event
    r.persist("a")
    r.persist("a")  # no expiry: no event
    r.rename("a", "b")
    r.renamenx("b", "c")
    r.copy("c", "d")
    r.expire("d", -1)  # in the past: deleted
    r.unlink("c")
    assert events.take() == expect(
        ("a", "del"), ("b", "del"), ("a", "set"), ("a", "expire"), ("a", "persist"),
        ("a", "rename_from"), ("b", "rename_to"), ("b", "rename_from"), ("c", "rename_to"),
        ("d", "copy_to"), ("d", "del"), ("c", "del"))


def test_copy_to_another_database_and_select(r, events, server):
    r.set("a", "1")
    r.config_set("notify-keyspace-events", "KEA")
    r.copy("a", "a", destination_db=3)
    other = server.client(db=5)
    other.set("k", "v")
    other.close()
    assert events.take() == expect(("a", "copy_to"), db=3) + expect(("k", "set"), db=5)


def test_list_commands(r, events):
    r.config_set("notify-keyspace-events", "KEA")
    r.lpush("l", "a", "b")
    r.rpush("l", "c")
    r.lpushx("missing", "x")  # no key: no event
    r.rpushx("l", "d")
    r.lset("l", 0, "B")
    r.linsert("l", "before", "c", "C")
    r.lrem("l", 1, "C")
    r.ltrim("l", 0, 2)
    r.lpop("l")
    r.rpop("l", 5)  # empties it
    r.rpush("src", "1", "2")
    r.rpoplpush("src", "dst")
    r.lmove("src", "dst", "LEFT", "RIGHT")  # empties src
    assert events.take() == expect(
        ("l", "lpush"), ("l", "rpush"), ("l", "rpush"), ("l", "lset"), ("l", "linsert"),
        ("l", "lrem"), ("l", "ltrim"), ("l", "lpop"), ("l", "rpop"), ("l", "del"),
        ("src", "rpush"), ("dst", "lpush"), ("src", "rpop"), ("dst", "rpush"), ("src", "lpop"),
        ("src", "del"))


def test_list_emptied_by_lrem_and_ltrim(r, events):
    r.rpush("a", "x")
    r.rpush("b", "y")
    r.config_set("notify-keyspace-events", "KEA")
    r.lrem("a", 0, "x")
    r.ltrim("b", 5, 10)
    assert events.take() == expect(("a", "lrem"), ("a", "del"), ("b", "ltrim"), ("b", "del"))


def test_blocking_pop_served_later_notifies_the_pop(r, events, server):
    import threading
    r.config_set("notify-keyspace-events", "KEl")
    blocker = server.client()
    result = {}
    thread = threading.Thread(target=lambda: result.update(v=blocker.blpop(["q"], timeout=10)))
    thread.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and int(r.info("clients").get("blocked_clients", 0)) == 0:
        if server.target != "redis":
            time.sleep(0.3)  # plexus reports no blocked_clients count
            break
        time.sleep(0.05)
    r.rpush("q", "v")
    thread.join(10)
    blocker.close()
    assert result["v"] == (b"q", b"v")
    assert events.take() == expect(("q", "rpush"), ("q", "lpop"))


def test_hash_commands(r, events):
    r.config_set("notify-keyspace-events", "KEA")
    r.hset("h", mapping={"a": "1", "b": "2"})
    r.hset("h", "a", "1")  # nothing new: still an event
    r.hsetnx("h", "a", "x")  # exists: no event
    r.hsetnx("h", "c", "3")
    r.hincrby("h", "n", 2)
    r.hincrbyfloat("h", "f", 0.5)
    r.hdel("h", "missing")  # nothing removed: no event
    r.hdel("h", "a", "b", "c", "n")
    r.hdel("h", "f")
    assert events.take() == expect(
        ("h", "hset"), ("h", "hset"), ("h", "hset"), ("h", "hincrby"), ("h", "hincrbyfloat"),
        ("h", "hdel"), ("h", "hdel"), ("h", "del"))


def test_set_commands(r, events):
    r.config_set("notify-keyspace-events", "KEA")
    r.sadd("s", "a", "b", "c")
    r.sadd("s", "a")  # nothing new: no event
    r.srem("s", "a")
    r.smove("s", "t", "b")
    r.sadd("u", "c", "z")
    r.sinterstore("i", "s", "u")
    r.sunionstore("i", "s", "t")
    r.sdiffstore("i", "s", "s")  # empty: deletes i
    r.spop("s")  # empties s
    r.spop("u", 5)
    assert events.take() == expect(
        ("s", "sadd"), ("s", "srem"), ("s", "srem"), ("t", "sadd"), ("u", "sadd"),
        ("i", "sinterstore"), ("i", "sunionstore"), ("i", "del"), ("s", "spop"), ("s", "del"),
        ("u", "spop"), ("u", "del"))


def test_smove_emptying_the_source(r, events):
    r.sadd("s", "a")
    r.config_set("notify-keyspace-events", "KEA")
    r.smove("s", "t", "a")
    assert events.take() == expect(("s", "srem"), ("s", "del"), ("t", "sadd"))


def test_zset_commands(r, events):
    r.config_set("notify-keyspace-events", "KEA")
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5})
    r.zadd("z", {"a": 1})  # unchanged: no event
    r.zadd("z", {"a": 10}, xx=True)
    r.zincrby("z", 1, "b")
    r.zadd("z", {"b": 1}, incr=True)
    r.zrem("z", "a")
    r.zremrangebyscore("z", 100, 200)  # nothing: no event
    r.zremrangebyscore("z", 0, 3)
    r.zremrangebyrank("z", 0, 0)
    r.zadd("y", {"p": 0, "q": 0, "r": 0})
    r.zremrangebylex("y", "[p", "[p")
    r.zunionstore("u", ["y", "z"])
    r.zinterstore("i", ["y", "z"])  # empty, i missing: no event
    r.zpopmin("y")
    r.zpopmax("y", 3)
    r.zdiffstore("u", ["u", "u"])  # empty: deletes u
    assert events.take() == expect(
        ("z", "zadd"), ("z", "zadd"), ("z", "zincr"), ("z", "zincr"), ("z", "zrem"),
        ("z", "zremrangebyscore"), ("z", "zremrangebyrank"), ("y", "zadd"),
        ("y", "zremrangebylex"), ("u", "zunionstore"), ("y", "zpopmin"), ("y", "zpopmax"),
        ("y", "del"), ("u", "del"))


def test_class_filters_and_single_channel_kinds(r, events):
    r.config_set("notify-keyspace-events", "El")  # keyevent channel, list class only
    r.set("s", "1")
    r.lpush("l", "x")
    r.delete("l")  # generic: filtered
    r.config_set("notify-keyspace-events", "Kg")  # keyspace channel, generic class only
    r.set("s", "2")
    r.delete("s")
    assert events.take() == [("__keyevent@0__:lpush", "l"), ("__keyspace@0__:s", "del")]


def test_new_key_events(r, events):
    r.config_set("notify-keyspace-events", "KEn$l")
    r.set("a", "1")
    r.set("a", "2")  # exists: no "new"
    r.rpush("l", "x")
    r.rpush("l", "y")
    assert events.take() == expect(("a", "new"), ("a", "set"), ("a", "set"), ("l", "new"),
                                   ("l", "rpush"), ("l", "rpush"))


def test_rename_and_copy_onto_an_existing_key_make_it_new(r, events):
    # Redis deletes the destination and adds the key again.
    r.set("src", "1")
    r.set("dst", "2")
    r.set("other", "3")
    r.config_set("notify-keyspace-events", "KEng")
    r.rename("src", "dst")
    r.copy("dst", "other", replace=True)
    assert events.take() == expect(("dst", "new"), ("src", "rename_from"), ("dst", "rename_to"),
                                   ("other", "new"), ("other", "copy_to"))
    assert r.dbsize() == 2


def test_lazy_expiry_publishes_expired(r, events):
    r.set("e", "1", px=50)
    r.config_set("notify-keyspace-events", "KEx")
    time.sleep(0.2)
    assert r.get("e") is None
    # Active expiry may have been first; either way there is exactly one "expired".
    assert events.take() == expect(("e", "expired"))


def test_active_expiry_publishes_expired(r, events):
    r.config_set("notify-keyspace-events", "Ex")
    r.set("gone", "1", px=100)
    deadline = time.monotonic() + 10
    got = []
    while time.monotonic() < deadline and not got:
        got = events.take(quiet=0.5)
    assert got == [("__keyevent@0__:expired", "gone")]
    assert r.exists("gone") == 0


def test_set_with_time_in_the_past(r, events):
    r.config_set("notify-keyspace-events", "KEA")
    r.set("p", "1", exat=1)
    assert r.exists("p") == 0
    assert events.take() == expect(("p", "set"), ("p", "expire"), ("p", "expired"))


def test_resp3_subscriber_gets_pushes(server, r):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(b"HELLO 3\r\nSUBSCRIBE __keyevent@0__:lpush\r\n")
        data = b""
        while b"subscribe" not in data or not data.endswith(b":1\r\n"):
            data += s.recv(65536)
        try:
            r.config_set("notify-keyspace-events", "El")
            r.lpush("x", "1")
            push = b">3\r\n$7\r\nmessage\r\n$20\r\n__keyevent@0__:lpush\r\n$1\r\nx\r\n"
            data = b""
            while len(data) < len(push):
                data += s.recv(65536)
            assert data == push
        finally:
            r.config_set("notify-keyspace-events", "")
