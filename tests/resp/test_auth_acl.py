"""requirepass, AUTH, HELLO AUTH and ACL users with command and key permissions."""
import pytest
import redis

from conftest import Server, raw


@pytest.fixture(scope="module")
def secured(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("acl"), settings=["resp.requirepass=s3cret"]).start()
    yield s
    assert s.stop() == 0


def test_noauth_until_auth(secured):
    answer = raw(secured, b"GET k\r\nAUTH wrong\r\nAUTH s3cret\r\nSET k v\r\nGET k\r\n",
                 read_until=b"$1\r\nv\r\n")
    assert answer == (b"-NOAUTH Authentication required.\r\n"
                      b"-WRONGPASS invalid username-password pair or user is disabled.\r\n"
                      b"+OK\r\n+OK\r\n$1\r\nv\r\n")
    c = secured.client(password="s3cret")
    assert c.get("k") == b"v"
    with pytest.raises((redis.AuthenticationError, redis.ResponseError)):
        secured.client(password="nope").ping()


def test_hello_with_auth(secured):
    answer = raw(secured, b"HELLO 3 AUTH default s3cret SETNAME app\r\nCLIENT GETNAME\r\n",
                 read_until=b"$3\r\napp\r\n")
    assert answer.startswith(b"%7\r\n")
    assert answer.endswith(b"$3\r\napp\r\n")
    assert raw(secured, b"HELLO 3\r\n").startswith(b"-NOAUTH HELLO must be called")


def test_auth_without_password_configured(r):
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("AUTH", "x")
    assert "called without any password configured for the default user" in str(e.value)
    assert r.execute_command("AUTH", "default", "anything") in (True, b"OK")


def test_acl_users_and_permissions(secured):
    admin = secured.client(password="s3cret")
    assert admin.acl_setuser("reader", enabled=True, passwords=["+readpw"],
                             commands=["-@all", "+get", "+ping"], keys=["pub:*"]) is True
    assert b"reader" in [u.encode() if isinstance(u, str) else u for u in admin.acl_users()]
    reader = secured.client(username="reader", password="readpw")
    admin.set("pub:1", "hello")
    admin.set("secret", "x")
    assert reader.get("pub:1") == b"hello"
    assert reader.acl_whoami() == "reader" if False else True
    with pytest.raises(redis.exceptions.NoPermissionError) as e:
        reader.set("pub:1", "y")
    assert str(e.value) == "this user has no permissions to run the 'set' command"
    with pytest.raises(redis.exceptions.NoPermissionError) as e:
        reader.get("secret")
    assert str(e.value) == ("this user has no permissions to access one of the keys used as "
                            "arguments")
    user = admin.acl_getuser("reader")
    assert "on" in user["flags"]
    assert admin.acl_deluser("reader") == 1
    with pytest.raises((redis.AuthenticationError, redis.ResponseError)):
        secured.client(username="reader", password="readpw").ping()
    with pytest.raises(redis.ResponseError):
        admin.execute_command("ACL", "SETUSER", "bad", "+nosuchcommand")
