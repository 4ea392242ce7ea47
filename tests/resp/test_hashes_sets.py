"""Hash and set commands."""
import pytest
import redis

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"


def test_hash_basics(r):
    assert r.hset("h", mapping={"a": "1", "b": "2"}) == 2
    assert r.hset("h", "a", "one") == 0
    assert r.hget("h", "a") == b"one"
    assert r.hget("h", "nosuch") is None
    assert r.hget("nosuch", "a") is None
    assert r.hmget("h", "a", "x", "b") == [b"one", None, b"2"]
    assert r.hlen("h") == 2
    assert r.hexists("h", "a") is True
    assert r.hexists("h", "x") is False
    assert r.hstrlen("h", "a") == 3
    assert r.hkeys("h") == [b"a", b"b"]
    assert r.hvals("h") == [b"one", b"2"]
    assert r.hgetall("h") == {b"a": b"one", b"b": b"2"}
    assert r.hsetnx("h", "a", "x") == 0
    assert r.hsetnx("h", "c", "3") == 1
    assert r.hdel("h", "a", "nosuch") == 1
    assert r.hdel("h", "b", "c") == 2
    assert r.exists("h") == 0
    assert r.hmset("m", {"x": 1}) is True


def test_hash_increments(r):
    assert r.hincrby("h", "n", 5) == 5
    assert r.hincrby("h", "n", -10) == -5
    assert r.hincrbyfloat("h", "f", 1.5) == 1.5
    r.hset("h", "s", "abc")
    with pytest.raises(redis.ResponseError) as e:
        r.hincrby("h", "s", 1)
    assert str(e.value) == "hash value is not an integer"
    with pytest.raises(redis.ResponseError) as e:
        r.hincrbyfloat("h", "s", 1)
    assert str(e.value) == "hash value is not a float"
    r.hset("h", "big", "9223372036854775807")
    with pytest.raises(redis.ResponseError) as e:
        r.hincrby("h", "big", 1)
    assert str(e.value) == "increment or decrement would overflow"


def test_hash_random_and_scan(r):
    fields = {f"f{i}": str(i) for i in range(300)}
    r.hset("h", mapping=fields)
    assert r.hrandfield("h").decode() in fields
    assert len(set(r.hrandfield("h", 10))) == 10
    assert len(r.hrandfield("h", -500)) == 500
    assert len(r.hrandfield("h", 1000)) == 300
    pairs = r.hrandfield("h", 3, withvalues=True)
    assert len(pairs) == 6
    assert r.hrandfield("nosuch") is None
    assert r.hrandfield("nosuch", 5) == []
    seen = dict(r.hscan_iter("h", count=17))
    assert seen == {k.encode(): v.encode() for k, v in fields.items()}
    assert dict(r.hscan_iter("h", match="f29*")) == {
        f"f29{s}".encode(): f"29{s}".encode() for s in [""] + [str(i) for i in range(10)]}


def test_hash_wrongtype_and_arity(r):
    r.set("s", "v")
    for args in (["HSET", "s", "f", "v"], ["HGET", "s", "f"], ["HGETALL", "s"], ["HDEL", "s", "f"],
                 ["HLEN", "s"], ["HINCRBY", "s", "f", "1"]):
        with pytest.raises(redis.ResponseError) as e:
            r.execute_command(*args)
        assert str(e.value) == WRONGTYPE
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("HSET", "h", "f")
    assert str(e.value) == "wrong number of arguments for 'hset' command"
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("HSET", "h", "f", "v", "g")
    assert str(e.value) == "wrong number of arguments for 'hset' command"


def test_set_basics(r):
    assert r.sadd("s", "a", "b", "c", "a") == 3
    assert r.sadd("s", "a") == 0
    assert r.scard("s") == 3
    assert r.smembers("s") == {b"a", b"b", b"c"}
    assert r.sismember("s", "a") is True
    assert r.sismember("s", "z") is False
    assert r.smismember("s", ["a", "z"]) == [1, 0]
    assert r.srem("s", "a", "z") == 1
    assert r.smove("s", "t", "b") is True
    assert r.smove("s", "t", "nosuch") is False
    assert r.smembers("t") == {b"b"}
    assert r.srem("s", "c") == 1
    assert r.exists("s") == 0
    assert r.smembers("nosuch") == set()
    assert r.scard("nosuch") == 0


def test_set_algebra(r):
    r.sadd("a", 1, 2, 3, 4)
    r.sadd("b", 3, 4, 5)
    r.sadd("c", 4, 6)
    assert r.sinter("a", "b") == {b"3", b"4"}
    assert r.sinter("a", "b", "c") == {b"4"}
    assert r.sinter("a", "nosuch") == set()
    assert r.sunion("a", "b", "nosuch") == {b"1", b"2", b"3", b"4", b"5"}
    assert r.sdiff("a", "b") == {b"1", b"2"}
    assert r.sdiff("nosuch", "a") == set()
    assert r.sinterstore("d", "a", "b") == 2
    assert r.smembers("d") == {b"3", b"4"}
    assert r.sunionstore("d", "b", "c") == 4
    assert r.sdiffstore("d", "a", "a") == 0
    assert r.exists("d") == 0
    assert r.execute_command("SINTERCARD", 2, "a", "b") == 2
    assert r.execute_command("SINTERCARD", 2, "a", "b", "LIMIT", 1) == 1
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("SINTERCARD", 0, "a")
    assert str(e.value) == "numkeys should be greater than 0"
    r.set("str", "x")
    with pytest.raises(redis.ResponseError) as e:
        r.sinter("a", "str")
    assert str(e.value) == WRONGTYPE


def test_set_pop_and_random(r):
    r.sadd("s", *range(100))
    assert r.srandmember("s").decode().isdigit()
    assert len(set(r.srandmember("s", 10))) == 10
    assert len(r.srandmember("s", -200)) == 200
    assert len(r.srandmember("s", 1000)) == 100
    popped = r.spop("s")
    assert r.scard("s") == 99 and not r.sismember("s", popped)
    assert len(r.spop("s", 9)) == 9
    assert r.scard("s") == 90
    assert len(r.spop("s", 1000)) == 90
    assert r.exists("s") == 0
    assert r.spop("s") is None
    with pytest.raises(redis.ResponseError) as e:
        r.spop("s", -1)
    assert str(e.value) == "value is out of range, must be positive"


def test_sscan(r):
    members = {f"m{i}".encode() for i in range(250)}
    r.sadd("s", *members)
    assert set(r.sscan_iter("s", count=13)) == members
    assert set(r.sscan_iter("s", match="m1?")) == {b"m1%d" % i for i in range(10)}
