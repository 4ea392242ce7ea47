"""List commands."""
import pytest
import redis

from conftest import Server, plexus_only


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


def test_pops_after_writes(r):
    # Pops read a chunk of 64 positions once per commit group; every later write must win.
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


# Lists are stored in chunks of 64 positions (kv/list_chunk.h), elements over 1 KB (or past a
# chunk's 8 KB of inline bytes) apart from their chunk: the tests below cross chunk boundaries
# both ways and mix the two kinds, checking every reply against a Python list.

def big(i, size=1500):
    return (f"big{i}:" + "x" * size)[:size].encode()


def check(r, key, model):
    assert r.llen(key) == len(model)
    assert r.lrange(key, 0, -1) == model
    if model:
        for index in (0, len(model) // 2, -1, 63, 64, -65):
            if -len(model) <= index < len(model):
                assert r.lindex(key, index) == model[index]


def test_pushes_and_pops_across_chunk_boundaries(r):
    model = []
    for i in range(150):  # one at a time, left: down across two chunk boundaries
        r.lpush("l", f"L{i}")
        model.insert(0, f"L{i}".encode())
    pipe = r.pipeline(transaction=False)
    for i in range(150):
        pipe.rpush("l", f"R{i}")
        model.append(f"R{i}".encode())
    pipe.execute()
    check(r, "l", model)
    assert r.lrange("l", 60, 70) == model[60:71]
    assert r.lrange("l", -140, -120) == model[-140:-119]
    # Pops from both ends back across the boundaries, then pushes into the emptied chunks.
    assert r.lpop("l", 100) == model[:100]
    assert r.rpop("l", 120) == model[-120:][::-1]
    model = model[100:-120]
    check(r, "l", model)
    for i in range(130):
        r.lpush("l", f"again{i}")
        model.insert(0, f"again{i}".encode())
    check(r, "l", model)
    # Pops to empty (the key goes), then a push starts a new list.
    assert r.rpop("l", 1000) == model[::-1]
    assert r.exists("l") == 0
    assert r.rpush("l", "fresh") == 1
    check(r, "l", [b"fresh"])


def test_elements_over_1_kb_mixed_with_small_ones(r):
    model = []
    for i in range(100):
        value = big(i) if i % 7 == 0 else f"s{i}".encode()
        r.rpush("l", value)
        model.append(value)
    for i in range(20):  # 1,000-byte values: past 8 KB in a chunk they go apart
        value = big(1000 + i, 1000)
        r.lpush("l", value)
        model.insert(0, value)
    check(r, "l", model)
    # LSET big -> small, small -> big, big -> big.
    for index, value in ((20, b"small now"), (21, big(2000)), (27, big(2001, 3000)),
                         (-1, b"tail"), (0, big(2002))):
        assert r.lset("l", index, value) is True
        model[index] = value
    check(r, "l", model)
    assert r.lpos("l", big(2001, 3000)) == 27
    assert r.lrem("l", 0, b"small now") == 1
    model.remove(b"small now")
    assert r.linsert("l", "AFTER", model[50], big(3000)) == len(model) + 1
    model.insert(51, big(3000))
    check(r, "l", model)
    # Popped past big ones and pushed back small at their positions.
    assert r.lpop("l", 30) == model[:30]
    model = model[30:]
    for i in range(30):
        r.lpush("l", f"p{i}")
        model.insert(0, f"p{i}".encode())
    check(r, "l", model)
    assert r.rpoplpush("l", "other") == model[-1]
    assert r.lrange("other", 0, -1) == [model.pop()]
    check(r, "l", model)


def test_linsert_and_lrem_in_the_middle_of_a_big_list(r):
    model = [f"e{i}".encode() for i in range(1000)]
    r.rpush("l", *model)
    r.lpush("l", *[f"h{i}" for i in range(37)])  # head not on a chunk boundary
    model = [f"h{i}".encode() for i in reversed(range(37))] + model
    assert r.linsert("l", "BEFORE", "e500", "mid") == len(model) + 1
    model.insert(model.index(b"e500"), b"mid")
    assert r.lrem("l", 1, "e10") == 1
    model.remove(b"e10")
    assert r.lrem("l", -1, "e999") == 1
    model.remove(b"e999")
    check(r, "l", model)
    assert r.lindex("l", 537) == model[537]
    # Pushes after the rewrite, at both ends.
    r.lpush("l", "first")
    r.rpush("l", "last")
    model = [b"first"] + model + [b"last"]
    check(r, "l", model)


def test_ltrim_then_push(r):
    r.rpush("l", *[f"v{i}" for i in range(300)])
    model = [f"v{i}".encode() for i in range(300)]
    assert r.ltrim("l", 70, 200) is True
    model = model[70:201]
    check(r, "l", model)
    # Pushes into positions the trim left as garbage, both ends, in one pipeline and alone.
    pipe = r.pipeline(transaction=False)
    for i in range(80):
        pipe.lpush("l", f"a{i}")
        pipe.rpush("l", f"b{i}")
        model.insert(0, f"a{i}".encode())
        model.append(f"b{i}".encode())
    pipe.execute()
    check(r, "l", model)
    assert r.ltrim("l", 5, 5) is True
    model = model[5:6]
    r.rpush("l", "after")
    check(r, "l", model + [b"after"])


def test_copy_rename_and_multi_of_a_chunked_list(r):
    model = [big(i) if i % 10 == 3 else f"v{i}".encode() for i in range(200)]
    r.rpush("l", *model)
    r.lpop("l", 5)
    model = model[5:]
    assert r.copy("l", "c") is True
    check(r, "c", model)
    pipe = r.pipeline(transaction=True)
    pipe.rpush("l", "x")
    pipe.copy("l", "d")
    pipe.lpush("d", "y")
    pipe.rename("l", "e")
    pipe.rpop("e")
    assert pipe.execute() == [196, True, 197, True, b"x"]
    check(r, "d", [b"y"] + model + [b"x"])
    check(r, "e", model)
    assert r.exists("l") == 0
    assert r.object("encoding", "e") == b"quicklist"
    # FLUSHDB of another database in the same transaction keeps this one's pushes.
    pipe = r.pipeline(transaction=True)
    pipe.rpush("e", "pushed")
    pipe.execute_command("SELECT", 1)
    pipe.rpush("gone", "x")
    pipe.flushdb()
    pipe.execute_command("SELECT", 0)
    pipe.rpush("e", "after")
    pipe.execute()
    check(r, "e", model + [b"pushed", b"after"])


@plexus_only
def test_chunked_list_survives_restart(tmp_path):
    s = Server(tmp_path / "d").start()
    model = []
    try:
        c = s.client()
        for i in range(130):
            value = big(i) if i % 9 == 0 else f"v{i}".encode()
            c.lpush("l", value)
            model.insert(0, value)
        c.lpop("l", 3)
        model = model[3:]
        c.lset("l", 64, big(999))
        model[64] = big(999)
    finally:
        assert s.stop() == 0
    s.start()
    try:
        c = s.client()
        check(c, "l", model)
        c.rpush("l", "more")
        assert c.lrange("l", -2, -1) == [model[-1], b"more"]
    finally:
        assert s.stop() == 0
