"""ACL command categories (+@read, -@dangerous, ACL CAT) and channel permissions (&pattern,
allchannels, resetchannels), as Redis 7 defines them."""
import pytest
import redis

from conftest import Server

CATEGORIES = ["keyspace", "read", "write", "set", "sortedset", "list", "hash", "string",
              "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
              "blocking", "dangerous", "connection", "transaction", "scripting"]


@pytest.fixture(scope="module")
def acl_server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("acl-categories")).start()
    yield s
    assert s.stop() == 0


@pytest.fixture
def admin(acl_server):
    client = acl_server.client()
    yield client
    for user in client.acl_users():
        if user != "default":
            client.acl_deluser(user)
    client.close()


def line_of(admin, name):
    return next(line for line in admin.acl_list() if line.startswith(f"user {name} "))


def user_client(server, admin, name, *rules):
    admin.execute_command("ACL", "SETUSER", name, "on", ">pw", *rules)
    return server.client(username=name, password="pw")


def denied(call):
    with pytest.raises(redis.exceptions.NoPermissionError) as error:
        call()
    return str(error.value)


def test_acl_cat_lists_redis_categories_in_order(admin):
    assert admin.acl_cat() == CATEGORIES


def test_acl_cat_of_a_category(admin):
    string = set(admin.acl_cat("string"))
    assert {"get", "set", "append", "incr", "mset", "getrange"} <= string
    assert not {"lpush", "hset", "del"} & string
    dangerous = set(admin.acl_cat("dangerous"))
    assert {"flushall", "flushdb", "keys", "config|set", "config|get", "shutdown"} <= dangerous
    assert "get" not in dangerous
    assert {"blpop", "brpop", "blmove", "bzpopmin"} <= set(admin.acl_cat("blocking"))
    with pytest.raises(redis.ResponseError) as error:
        admin.acl_cat("nosuch")
    assert str(error.value) == "Unknown category 'nosuch'"


def test_read_category_minus_one_command(acl_server, admin):
    admin.set("k", "v")
    reader = user_client(acl_server, admin, "reader", "~*", "+@read", "-get")
    assert reader.exists("k") == 1
    assert reader.mget("k") == [b"v"]
    assert reader.strlen("k") == 1
    assert denied(lambda: reader.get("k")) == "this user has no permissions to run the 'get' command"
    assert denied(lambda: reader.set("k", "x")) == (
        "this user has no permissions to run the 'set' command")
    assert line_of(admin, "reader").endswith(" ~* resetchannels -@all +@read -get")


def test_all_but_dangerous_with_one_subcommand_back(acl_server, admin):
    user = user_client(acl_server, admin, "ops", "~*", "+@all", "-@dangerous")
    assert user.set("a", "1") is True
    assert denied(lambda: user.flushall()) == (
        "this user has no permissions to run the 'flushall' command")
    assert denied(lambda: user.keys("*")) == "this user has no permissions to run the 'keys' command"
    assert denied(lambda: user.config_get("maxmemory")) == (
        "this user has no permissions to run the 'config|get' command")
    admin.execute_command("ACL", "SETUSER", "ops", "+config|get")
    assert user.config_get("maxmemory") == {"maxmemory": "0"}
    assert denied(lambda: user.config_set("maxmemory", "0")) == (
        "this user has no permissions to run the 'config|set' command")
    assert line_of(admin, "ops").endswith(" ~* resetchannels +@all -@dangerous +config|get")


def test_whole_container_command(acl_server, admin):
    user = user_client(acl_server, admin, "cfg", "nocommands", "+config")
    assert user.config_get("maxmemory") == {"maxmemory": "0"}
    assert denied(lambda: user.get("x")) == "this user has no permissions to run the 'get' command"
    assert line_of(admin, "cfg").endswith(" resetchannels -@all +config")


def test_rules_apply_in_order(acl_server, admin):
    admin.set("k", "v")
    user = user_client(acl_server, admin, "u", "~*", "+GET", "+get", "-get", "+@READ", "-@read",
                       "+@string", "-set")
    assert user.get("k") == b"v"  # +@string after -@read
    assert user.append("k", "w") == 2
    assert denied(lambda: user.set("k", "x")) == (
        "this user has no permissions to run the 'set' command")
    assert denied(lambda: user.exists("k")) == (
        "this user has no permissions to run the 'exists' command")


def test_unknown_categories_and_subcommands_are_errors(admin):
    for rule in ["+@nosuch", "-@nosuch", "+config|nosub", "+nosuchcommand"]:
        with pytest.raises(redis.ResponseError) as error:
            admin.execute_command("ACL", "SETUSER", "bad", rule)
        assert str(error.value) == (
            f"Error in ACL SETUSER modifier '{rule}': Unknown command or category name in ACL")


def test_channel_permissions(acl_server, admin):
    user = user_client(acl_server, admin, "pub", "+@all", "resetchannels", "&news.*")
    assert user.publish("news.today", "x") == 0
    message = "this user has no permissions to access one of the channels used as arguments"
    assert denied(lambda: user.publish("sports", "x")) == message
    pubsub = user.pubsub()
    pubsub.subscribe("news.a")
    assert pubsub.get_message(timeout=5)["type"] == "subscribe"
    pubsub.psubscribe("news.*")  # the very pattern: allowed
    assert pubsub.get_message(timeout=5)["type"] == "psubscribe"
    pubsub.close()
    for call in [lambda p: p.subscribe("sports"), lambda p: p.psubscribe("news.a*")]:
        p = user.pubsub()
        with pytest.raises(redis.exceptions.NoPermissionError) as error:
            call(p)
            p.get_message(timeout=5)
        assert str(error.value) == message
        p.close()
    admin.execute_command("ACL", "SETUSER", "pub", "allchannels")
    assert user.publish("sports", "x") == 0


def test_channel_rules_in_acl_list_and_getuser(admin):
    admin.execute_command("ACL", "SETUSER", "c1")
    admin.execute_command("ACL", "SETUSER", "c2", "&a", "resetchannels", "&b", "&c")
    admin.execute_command("ACL", "SETUSER", "c3", "allchannels")
    lines = admin.acl_list()
    assert "user c1 off resetchannels -@all" in lines
    assert "user c2 off resetchannels &b &c -@all" in lines
    assert "user c3 off &* -@all" in lines
    assert "user default on nopass ~* &* +@all" in lines
    assert admin.acl_getuser("c2")["channels"] == ["&b", "&c"] or \
        admin.acl_getuser("c2")["channels"] == "&b &c"
    with pytest.raises(redis.ResponseError):
        admin.execute_command("ACL", "SETUSER", "c3", "&x")  # after allchannels: an error


@pytest.mark.parametrize("rules,described", [
    (["+get", "+@hash"], "-@all +@hash +get"),
    (["+get", "+@string"], "-@all +@string"),
    (["+@string", "-get", "+get"], "-@all +@string"),
    (["+get", "-@all", "+set"], "-@all +set"),
    (["+hget", "+@hash", "-hget"], "-@all +@hash -hget"),
    (["+@hash", "+@list", "-lpush"], "-@all +@hash +@list -lpush"),
    (["+config|get", "+config"], "-@all +config"),
    (["+config", "+config|get", "-config|set"], "-@all +config -config|set"),
    (["+@all", "-get", "+@string"], "+@all"),
    (["+@all", "-@string"], "+@all -@string"),
    (["+get", "+set", "+hget", "+client|id"], "-@all +get +set +hget +client|id"),
])
def test_command_rules_are_described_as_redis_describes_them(admin, rules, described):
    # Redis 7.0 derives the description from what the user may run: categories that fit best,
    # then single commands, which it lists in an order that changes per process (so compared
    # as a set here).
    admin.execute_command("ACL", "SETUSER", "d", *rules)
    words = line_of(admin, "d").split()
    words = words[words.index("resetchannels") + 1:]
    expected = described.split()
    categories = [w for w in expected if w[1] == "@"]
    assert words[:len(categories)] == categories
    assert sorted(words[len(categories):]) == sorted(expected[len(categories):])
    user = admin.execute_command("ACL", "GETUSER", "d")
    commands = user[user.index(b"commands") + 1].decode().split()
    assert commands == words


def test_getuser_fields_as_redis_7(admin):
    admin.execute_command("ACL", "SETUSER", "g", "on", ">pw", "~k*", "&ch", "+get")
    user = admin.execute_command("ACL", "GETUSER", "g")
    assert user[0::2] == [b"flags", b"passwords", b"commands", b"keys", b"channels",
                          b"selectors"]
    assert user[1] == [b"on"]
    assert user[4:10] == [b"commands", b"-@all +get", b"keys", b"~k*", b"channels", b"&ch"]
    assert user[11] == []
