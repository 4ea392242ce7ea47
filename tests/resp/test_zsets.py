"""Sorted-set commands."""
import pytest
import redis


def test_zadd_options(r):
    assert r.zadd("z", {"a": 1, "b": 2}) == 2
    assert r.zadd("z", {"a": 5}, nx=True) == 0
    assert r.zscore("z", "a") == 1.0
    assert r.zadd("z", {"a": 5, "c": 3}, xx=True) == 0
    assert r.zscore("z", "a") == 5.0 and r.zscore("z", "c") is None
    assert r.zadd("z", {"a": 4}, gt=True, ch=True) == 0
    assert r.zadd("z", {"a": 6}, gt=True, ch=True) == 1
    assert r.zadd("z", {"a": 7, "d": 1}, lt=True, ch=True) == 1
    assert r.zadd("z", {"a": 2}, incr=True) == 8.0
    assert r.zadd("z", {"nosuch": 2}, incr=True, xx=True) is None
    assert r.zincrby("z", -1.5, "a") == 6.5
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("ZADD", "z", "NX", "XX", "1", "a")
    assert str(e.value) == "XX and NX options at the same time are not compatible"
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("ZADD", "z", "GT", "LT", "1", "a")
    assert str(e.value) == "GT, LT, and/or NX options at the same time are not compatible"
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("ZADD", "z", "x", "a")
    assert str(e.value) == "value is not a valid float"
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("ZADD", "z", "1", "a", "2")
    assert str(e.value) == "syntax error"
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("ZADD", "z", "INCR", "1", "a", "2", "b")
    assert str(e.value) == "INCR option supports a single increment-element pair"


def test_scores_and_ranks(r):
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": float("inf"), "e": float("-inf")})
    assert r.zcard("z") == 5
    assert r.zscore("z", "d") == float("inf")
    assert r.zmscore("z", ["a", "x", "e"]) == [1.0, None, float("-inf")]
    assert r.zrank("z", "e") == 0
    assert r.zrank("z", "d") == 4
    assert r.zrevrank("z", "d") == 0
    assert r.zrank("z", "x") is None
    assert r.zcount("z", 1, 3) == 3
    assert r.zcount("z", "(1", "3") == 2
    assert r.zcount("z", "-inf", "+inf") == 5
    with pytest.raises(redis.ResponseError) as e:
        r.zcount("z", "a", "b")
    assert str(e.value) == "min or max is not a float"
    r.response_callbacks.clear()
    assert r.execute_command("ZSCORE", "z", "a") == b"1"
    r.zadd("f", {"x": 1.1})
    assert r.execute_command("ZSCORE", "f", "x") == b"1.1000000000000001"


def test_ranges(r):
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4})
    assert r.zrange("z", 0, -1) == [b"a", b"b", b"c", b"d"]
    assert r.zrange("z", 1, 2, withscores=True) == [(b"b", 2.0), (b"c", 3.0)]
    assert r.zrange("z", -2, 100) == [b"c", b"d"]
    assert r.zrange("z", 5, 10) == []
    assert r.zrevrange("z", 0, 1) == [b"d", b"c"]
    assert r.zrangebyscore("z", 2, 3) == [b"b", b"c"]
    assert r.zrangebyscore("z", "(1", "+inf", start=1, num=2) == [b"c", b"d"]
    assert r.zrevrangebyscore("z", 4, 2) == [b"d", b"c", b"b"]
    assert r.zrange("z", 3, 1, byscore=True, desc=True) == [b"c", b"b", b"a"]
    assert r.zrange("z", "(1", 3, byscore=True, offset=1, num=5) == [b"c"]
    r.zadd("l", {"a": 0, "b": 0, "c": 0, "d": 0})
    assert r.zrangebylex("l", "[b", "(d") == [b"b", b"c"]
    assert r.zrangebylex("l", "-", "+") == [b"a", b"b", b"c", b"d"]
    assert r.zrevrangebylex("l", "+", "(b") == [b"d", b"c"]
    assert r.zlexcount("l", "[a", "[c") == 3
    with pytest.raises(redis.ResponseError) as e:
        r.zrangebylex("l", "a", "c")
    assert str(e.value) == "min or max not valid string range item"
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("ZRANGE", "z", "0", "1", "LIMIT", "0", "1")
    assert "LIMIT is only supported" in str(e.value)


def test_pops_and_removals(r):
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5})
    assert r.zpopmin("z") == [(b"a", 1.0)]
    assert r.zpopmax("z", 2) == [(b"e", 5.0), (b"d", 4.0)]
    assert r.zrem("z", "b", "x") == 1
    r.zadd("z", {"a": 1, "b": 2, "d": 4, "e": 5})
    assert r.zremrangebyrank("z", 0, 1) == 2
    assert r.zremrangebyscore("z", "(3", 4) == 1
    assert r.zrange("z", 0, -1) == [b"c", b"e"]
    r.zadd("l", {"a": 0, "b": 0, "c": 0})
    assert r.zremrangebylex("l", "[a", "(c") == 2
    assert r.zpopmin("nosuch") == []
    with pytest.raises(redis.ResponseError) as e:
        r.zpopmin("z", -1)
    assert str(e.value) == "value is out of range, must be positive"
    assert r.zrem("z", "c", "e") == 2
    assert r.exists("z") == 0


def test_store_operations(r):
    r.zadd("a", {"x": 1, "y": 2})
    r.zadd("b", {"y": 3, "z": 4})
    r.sadd("s", "x", "w")
    assert r.zunionstore("u", ["a", "b"]) == 3
    assert r.zrange("u", 0, -1, withscores=True) == [(b"x", 1.0), (b"z", 4.0), (b"y", 5.0)]
    assert r.zinterstore("i", {"a": 2, "b": 1}) == 1
    assert r.zscore("i", "y") == 7.0
    assert r.zunionstore("m", ["a", "b"], aggregate="MAX") == 3
    assert r.zscore("m", "y") == 3.0
    assert r.zunionstore("w", ["a", "s"]) == 3
    assert r.zscore("w", "w") == 1.0 and r.zscore("w", "x") == 2.0
    assert r.zinterstore("none", ["a", "nosuch"]) == 0
    assert r.exists("none") == 0
    assert r.execute_command("ZDIFFSTORE", "d", 2, "a", "b") == 1
    assert r.zrange("d", 0, -1) == [b"x"]
    assert r.zunion(["a", "b"], withscores=True) == [(b"x", 1.0), (b"z", 4.0), (b"y", 5.0)]
    assert r.zinter(["a", "b"]) == [b"y"]
    assert r.zdiff(["b", "a"]) == [b"z"]


def test_zrandmember_and_zscan(r):
    r.zadd("z", {f"m{i}": i for i in range(200)})
    assert r.zrandmember("z").startswith(b"m")
    assert len(set(r.zrandmember("z", 20))) == 20
    assert len(r.zrandmember("z", -300)) == 300
    assert len(r.zrandmember("z", 5, withscores=True)) == 10
    seen = dict(r.zscan_iter("z", count=15))
    assert seen == {f"m{i}".encode(): float(i) for i in range(200)}


def test_zset_wrongtype(r):
    r.set("s", "v")
    with pytest.raises(redis.ResponseError) as e:
        r.zadd("s", {"a": 1})
    assert str(e.value).startswith("WRONGTYPE")


def redis_slice(items, start, stop):
    """Redis's start/stop normalisation for rank ranges."""
    length = len(items)
    start = start + length if start < 0 else start
    stop = stop + length if stop < 0 else stop
    start = max(start, 0)
    if start > stop or start >= length:
        return []
    return items[start:min(stop, length - 1) + 1]


def test_ranks_ranges_counts_and_pops_match_a_model(r):
    import random
    rnd = random.Random(7)
    members = {f"m{i:02d}": rnd.choice([1, 2, 2.5, -1, 10, float("inf")]) for i in range(60)}
    r.zadd("zm", members)
    ordered = sorted(members.items(), key=lambda item: (item[1], item[0].encode()))
    names = [name.encode() for name, _ in ordered]
    for index, (name, _) in enumerate(ordered):
        assert r.zrank("zm", name) == index
        assert r.zrevrank("zm", name) == len(ordered) - 1 - index
    for start, stop in [(0, -1), (5, 9), (-10, -1), (50, 100), (-100, 3), (7, 3), (59, 59)]:
        assert r.zrange("zm", start, stop) == redis_slice(names, start, stop)
        assert r.zrevrange("zm", start, stop) == redis_slice(names[::-1], start, stop)
        assert r.zrange("zm", start, stop, withscores=True) == [
            (n, s) for n, s in redis_slice([(n.encode(), s) for n, s in ordered], start, stop)]
    for low, high, offset, count in [(1, 2.5, 0, -1), ("(1", 10, 3, 5), ("-inf", "+inf", 10, 0),
                                     (2, 2, 1, 2), (100, 200, 0, 5), ("-inf", "(2", 58, 10)]:
        lo = float(str(low).strip("(")) if low != "-inf" else float("-inf")
        hi = float(str(high).strip("(")) if high != "+inf" else float("inf")
        selected = [n.encode() for n, s in ordered
                    if (s > lo if str(low).startswith("(") else s >= lo)
                    and (s < hi if str(high).startswith("(") else s <= hi)]
        assert r.zcount("zm", low, high) == len(selected)
        assert r.zrangebyscore("zm", low, high) == selected
        end = None if count < 0 else offset + count
        assert r.zrangebyscore("zm", low, high, start=offset, num=count) == selected[offset:end]
        assert r.zrevrangebyscore("zm", high, low) == selected[::-1]
        assert r.zrevrangebyscore("zm", high, low, start=offset, num=count) == \
            selected[::-1][offset:end]
    assert r.zpopmax("zm") == [(names[-1], ordered[-1][1])]
    assert r.zpopmax("zm", 3) == [(n.encode(), s) for n, s in ordered[-4:-1][::-1]]
    assert r.zpopmin("zm", 2) == [(n.encode(), s) for n, s in ordered[:2]]
    assert r.zcard("zm") == 54
    assert r.bzpopmax("zm", 1) == (b"zm", names[-5], ordered[-5][1])
    assert r.bzpopmin("zm", 1) == (b"zm", names[2], ordered[2][1])


def test_lex_ranges_match_a_model(r):
    # Equal scores (Redis's condition for lex ranges); members with a shared prefix, an empty
    # member and bytes past 0x7f, so that bounds fall between and on members.
    members = [b"", b"a", b"ab", b"abc", b"b", b"ba", b"c", b"\x00", b"\xff", b"zz"]
    r.zadd("lex", {m: 0 for m in members})
    ordered = sorted(members)

    def inside(member, low, high):
        above = low == b"-" or (member > low[1:] if low[:1] == b"(" else member >= low[1:])
        below = high == b"+" or (member < high[1:] if high[:1] == b"(" else member <= high[1:])
        return low != b"+" and high != b"-" and above and below

    bounds = [b"-", b"+", b"[a", b"(a", b"[ab", b"(abc", b"[b", b"(c", b"[", b"(", b"[\xff",
              b"[zzz", b"(\x00"]
    for low in bounds:
        for high in bounds:
            selected = [m for m in ordered if inside(m, low, high)]
            assert r.zrangebylex("lex", low, high) == selected, (low, high)
            assert r.zrevrangebylex("lex", high, low) == selected[::-1], (low, high)
            assert r.zlexcount("lex", low, high) == len(selected), (low, high)
            for offset, count in [(0, 2), (1, -1), (3, 1), (20, 5)]:
                end = None if count < 0 else offset + count
                assert r.zrangebylex("lex", low, high, start=offset, num=count) == \
                    selected[offset:end], (low, high, offset, count)
                assert r.zrevrangebylex("lex", high, low, start=offset, num=count) == \
                    selected[::-1][offset:end], (low, high, offset, count)
    assert r.execute_command("ZRANGE", "lex", "[b", "[a", "BYLEX", "REV") == [b"b", b"abc",
                                                                               b"ab", b"a"]
    assert r.execute_command("ZRANGE", "lex", "(a", "+", "BYLEX", "LIMIT", "-1", "2") == []
