"""List commands."""
import pytest
import redis


def test_push_pop(r):
    assert r.rpush("l", "a", "b", "c") == 3
    assert r.lpush("l", "z", "y") == 5
    assert r.lrange("l", 0, -1) == [b"y", b"z", b"a", b"b", b"c"]
    assert r.lpop("l") == b"y"
    assert r.rpop("l") == b"c"
    assert r.lpop("l", 2) == [b"z", b"a"]
    assert r.rpop("l", 10) == [b"b"]
    assert r.exists("l") == 0
    assert r.lpop("l") is None
    assert r.lpop("l", 2) is None
    assert r.lpushx("l", "a") == 0
    assert r.rpush("l", "a") == 1
    assert r.rpushx("l", "b") == 2
    assert r.lpop("l", 0) == []
    with pytest.raises(redis.ResponseError) as e:
        r.lpop("l", -1)
    assert str(e.value) == "value is out of range, must be positive"


def test_index_set_range(r):
    r.rpush("l", *"abcdef")
    assert r.llen("l") == 6
    assert r.llen("nosuch") == 0
    assert r.lindex("l", 0) == b"a"
    assert r.lindex("l", -1) == b"f"
    assert r.lindex("l", 6) is None
    assert r.lset("l", 1, "B") is True
    assert r.lset("l", -1, "F") is True
    with pytest.raises(redis.ResponseError) as e:
        r.lset("l", 6, "x")
    assert str(e.value) == "index out of range"
    with pytest.raises(redis.ResponseError) as e:
        r.lset("nosuch", 0, "x")
    assert str(e.value) == "no such key"
    assert r.lrange("l", 1, 2) == [b"B", b"c"]
    assert r.lrange("l", -2, -1) == [b"e", b"F"]
    assert r.lrange("l", 4, 1) == []
    assert r.lrange("l", -100, 100) == [b"a", b"B", b"c", b"d", b"e", b"F"]


def test_lrem_ltrim_linsert_lpos(r):
    r.rpush("l", *"abacada")
    assert r.lrem("l", 2, "a") == 2
    assert r.lrange("l", 0, -1) == [b"b", b"c", b"a", b"d", b"a"]
    assert r.lrem("l", -1, "a") == 1
    assert r.lrange("l", 0, -1) == [b"b", b"c", b"a", b"d"]
    assert r.lrem("l", 0, "x") == 0
    assert r.linsert("l", "before", "c", "X") == 5
    assert r.linsert("l", "after", "d", "Y") == 6
    assert r.linsert("l", "after", "nosuch", "Y") == -1
    assert r.linsert("nosuch", "after", "a", "Y") == 0
    assert r.lrange("l", 0, -1) == [b"b", b"X", b"c", b"a", b"d", b"Y"]
    assert r.ltrim("l", 1, -2) is True
    assert r.lrange("l", 0, -1) == [b"X", b"c", b"a", b"d"]
    assert r.ltrim("l", 5, 10) is True
    assert r.exists("l") == 0
    r.rpush("p", *"abcabc")
    assert r.lpos("p", "b") == 1
    assert r.lpos("p", "b", rank=2) == 4
    assert r.lpos("p", "b", rank=-1) == 4
    assert r.lpos("p", "c", count=0) == [2, 5]
    assert r.lpos("p", "a", maxlen=2, count=0) == [0]
    assert r.lpos("p", "x") is None
    with pytest.raises(redis.ResponseError, match="RANK can't be zero"):
        r.lpos("p", "a", rank=0)


def test_lmove_rpoplpush(r):
    r.rpush("a", "1", "2", "3")
    assert r.lmove("a", "b", "LEFT", "RIGHT") == b"1"
    assert r.rpoplpush("a", "b") == b"3"
    assert r.lrange("b", 0, -1) == [b"3", b"1"]
    assert r.lmove("a", "a", "LEFT", "RIGHT") == b"2"
    assert r.lrange("a", 0, -1) == [b"2"]
    r.rpush("a", "x")
    assert r.lmove("a", "a", "RIGHT", "LEFT") == b"x"
    assert r.lrange("a", 0, -1) == [b"x", b"2"]
    assert r.lmove("nosuch", "b", "LEFT", "LEFT") is None
    with pytest.raises(redis.ResponseError, match="syntax error"):
        r.execute_command("LMOVE", "a", "b", "UP", "LEFT")
    r.set("s", "v")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.lmove("a", "s", "LEFT", "LEFT")
    assert r.lrange("a", 0, -1) == [b"x", b"2"]


def test_large_list(r):
    r.rpush("big", *range(5000))
    assert r.llen("big") == 5000
    assert r.lindex("big", 2500) == b"2500"
    assert r.lrange("big", -3, -1) == [b"4997", b"4998", b"4999"]


def test_pops_after_writes_into_the_read_ahead(r):
    # Pops read the next elements ahead; every later write of those elements must win.
    r.rpush("l", *[f"v{i}" for i in range(300)])
    assert r.rpop("l") == b"v299"
    assert r.lpop("l") == b"v0"
    assert r.lset("l", -1, "new298") is True
    assert r.lset("l", 0, "new1") is True
    assert r.rpop("l") == b"new298"
    assert r.lpop("l") == b"new1"
    # LREM rewrites the list; LINSERT too.
    assert r.lrem("l", 0, "v297") == 1
    assert r.linsert("l", "BEFORE", "v296", "ins") == 296
    assert r.rpop("l", 2) == [b"v296", b"ins"]
    # A rotation pops and pushes in one command.
    assert r.rpoplpush("l", "l") == b"v295"
    assert r.lpop("l") == b"v295"
    assert r.rpop("l") == b"v294"
    # Pipelined pushes and pops of one list run in one commit group.
    pipe = r.pipeline(transaction=False)
    pipe.rpush("l", "t1", "t2")
    pipe.rpop("l")
    pipe.lset("l", -1, "t1x")
    pipe.rpop("l")
    pipe.rpop("l")
    assert pipe.execute()[1:] == [b"t2", True, b"t1x", b"v293"]
    pipe = r.pipeline(transaction=True)
    pipe.rpop("l")
    pipe.rpush("l", "m")
    pipe.rpop("l")
    pipe.rpop("l")
    assert pipe.execute() == [b"v292", 291, b"m", b"v291"]
    # Deleted and made again: the old elements are not read back.
    r.delete("l")
    r.rpush("l", "a", "b")
    assert r.rpop("l", 5) == [b"b", b"a"]
    r.rpush("l", *[f"w{i}" for i in range(200)])
    r.ltrim("l", 0, 99)
    assert r.rpop("l") == b"w99"
    assert r.lrange("l", -2, -1) == [b"w97", b"w98"]
    r.flushdb()
    r.rpush("l", "x")
    assert r.rpop("l") == b"x"


@pytest.mark.parametrize("transaction", [False, True])
def test_pushes_in_one_commit_group_with_other_list_commands(r, transaction):
    # Pushes stay out of the op's indexed batch until another command of the group touches
    # the list's elements: each such command must see them, and what it writes must win.
    r.rpush("l", "old")
    pipe = r.pipeline(transaction=transaction)
    pipe.rpush("l", "a", "b")
    pipe.lpush("l", "z")
    pipe.lrange("l", 0, -1)
    pipe.lset("l", -1, "B")
    pipe.rpush("l", "c")
    pipe.lindex("l", -2)
    pipe.ltrim("l", 0, 2)  # drops "B" and "c": the next push rewrites their positions
    pipe.rpush("l", "d", "e")
    pipe.lrange("l", 0, -1)
    pipe.rpush("m", "x")
    pipe.lmove("l", "m", "LEFT", "RIGHT")
    pipe.lrange("m", 0, -1)
    assert pipe.execute() == [3, 4, [b"z", b"old", b"a", b"b"], True, 5, b"B", True, 5,
                              [b"z", b"old", b"a", b"d", b"e"], 1, b"z", [b"x", b"z"]]
    assert r.lrange("l", 0, -1) == [b"old", b"a", b"d", b"e"]
    assert r.lrange("m", 0, -1) == [b"x", b"z"]
    r.delete("l", "m")
