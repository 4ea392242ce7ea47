"""Authentication: roles with SCRAM-SHA-256 passwords, the pg.hba rules (trust, reject,
scram-sha-256), NOLOGIN, password verifiers in storage, role DDL errors and malformed SASL."""
import base64
import hashlib
import hmac
import os
import pty
import select
import shutil
import socket
import struct
import subprocess
import time

import psycopg
import pytest

from plexus_process import free_port  # noqa: E402
from conftest import (PLEXUS, Server, clean_environment, error_fields, message, read_messages,
                      startup_packet)

HBA = ("host all postgres 127.0.0.1/32 trust; "
       "host all trusted_nologin 127.0.0.1/32 trust; "
       "host all trusted_stranger 127.0.0.1/32 trust; "
       "host all rejected 127.0.0.1/32 reject; "
       "host all all 127.0.0.1/32 scram-sha-256")


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("pg-auth"), settings=[f"pg.hba={HBA}"]).start()
    yield s
    code = s.stop()
    assert code == 0, "".join(s.output)


def connect(server, user, password=None, **kwargs):
    if password is not None:
        kwargs["password"] = password
    return psycopg.connect(server.dsn(user=user), autocommit=True, **kwargs)


@pytest.fixture(scope="module")
def admin(auth_server):
    connection = connect(auth_server, "postgres")
    yield connection
    connection.close()


def login_error(server, user, password):
    with pytest.raises(psycopg.OperationalError) as info:
        connect(server, user, password).close()
    return str(info.value)


def test_scram_login_with_psycopg(auth_server, admin):
    admin.execute("CREATE ROLE alice LOGIN PASSWORD 'wonderland'")
    with connect(auth_server, "alice", "wonderland") as connection:
        assert connection.execute("SELECT 1 + 1").fetchone() == (2,)


def test_scram_login_with_psql_and_pgpassword(auth_server, admin):
    admin.execute("CREATE USER psqluser PASSWORD 'from psql'")
    env = clean_environment()
    env["PGPASSWORD"] = "from psql"
    result = subprocess.run(
        ["psql", "-X", "-w", "-h", "127.0.0.1", "-p", str(auth_server.port), "-U", "psqluser",
         "-d", "plexus", "-Atc", "SELECT 40 + 2"],
        capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "42"
    env["PGPASSWORD"] = "wrong"
    result = subprocess.run(
        ["psql", "-X", "-w", "-h", "127.0.0.1", "-p", str(auth_server.port), "-U", "psqluser",
         "-d", "plexus", "-Atc", "SELECT 1"],
        capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode != 0
    assert 'password authentication failed for user "psqluser"' in result.stderr


def test_wrong_password_is_28p01_and_others_are_still_served(auth_server, admin):
    admin.execute("CREATE ROLE bob LOGIN PASSWORD 'right'")
    with connect(auth_server, "bob", "right") as before:
        with pytest.raises(psycopg.OperationalError) as info:
            connect(auth_server, "bob", "wrong")
        assert 'password authentication failed for user "bob"' in str(info.value)
        # The server keeps serving the connection that was open, and new ones.
        assert before.execute("SELECT 'still here'").fetchone() == ("still here",)
    with connect(auth_server, "bob", "right") as after:
        assert after.execute("SELECT 2").fetchone() == (2,)


def raw_auth_start(server, user):
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.sendall(startup_packet(user=user, database="plexus"))
    return sock, read_messages(sock, until=b"R")


def sasl_initial(data, mechanism=b"SCRAM-SHA-256"):
    return message(b"p", mechanism + b"\0" + struct.pack("!i", len(data)) + data)


def scram_client_final(password, client_first_bare, server_first):
    attributes = dict(part.split("=", 1) for part in server_first.split(","))
    salt = base64.b64decode(attributes["s"])
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, int(attributes["i"]))
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    without_proof = "c=biws,r=" + attributes["r"]
    auth_message = ",".join([client_first_bare, server_first, without_proof]).encode()
    signature = hmac.new(stored_key, auth_message, hashlib.sha256).digest()
    proof = bytes(a ^ b for a, b in zip(client_key, signature))
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    expected_final = "v=" + base64.b64encode(
        hmac.new(server_key, auth_message, hashlib.sha256).digest()).decode()
    return without_proof + ",p=" + base64.b64encode(proof).decode(), expected_final


def test_sasl_messages_follow_postgresql(auth_server, admin):
    admin.execute("CREATE ROLE rawuser LOGIN PASSWORD 'raw secret'")
    sock, messages = raw_auth_start(auth_server, "rawuser")
    kind, body = messages[-1]
    assert kind == b"R"
    assert struct.unpack("!i", body[:4])[0] == 10  # AuthenticationSASL
    assert body[4:] == b"SCRAM-SHA-256\0\0"        # no -PLUS without channel binding
    bare = "n=,r=fyko+d2lbbFgONRv9qkxdawL"
    sock.sendall(sasl_initial(("n,," + bare).encode()))
    kind, body = read_messages(sock, until=b"R")[-1]
    assert struct.unpack("!i", body[:4])[0] == 11  # AuthenticationSASLContinue
    server_first = body[4:].decode()
    assert server_first.startswith("r=fyko+d2lbbFgONRv9qkxdawL")
    assert ",s=" in server_first and server_first.endswith(",i=4096")
    final, expected = scram_client_final("raw secret", bare, server_first)
    sock.sendall(message(b"p", final.encode()))
    replies = read_messages(sock)
    assert replies[0][0] == b"R" and struct.unpack("!i", replies[0][1][:4])[0] == 12
    assert replies[0][1][4:].decode() == expected  # the server proves it knows the verifier
    assert replies[1] == (b"R", struct.pack("!i", 0))  # AuthenticationOk
    assert replies[-1][0] == b"Z"
    sock.close()


@pytest.mark.parametrize("payload", [b"garbage", b"p=tls-server-end-point,,n=,r=abc",
                                     b"n,,n=,r=", b"n,,r=abc"])
def test_malformed_sasl_is_08p01(auth_server, payload):
    sock, _ = raw_auth_start(auth_server, "alice")
    sock.sendall(sasl_initial(payload))
    replies = read_messages(sock, until=b"E")
    fields = error_fields(replies[-1][1])
    assert fields["S"] == "FATAL" and fields["C"] == "08P01", fields
    assert sock.recv(1) == b""  # closed
    sock.close()


def test_wrong_sasl_mechanism_and_message_type(auth_server):
    sock, _ = raw_auth_start(auth_server, "alice")
    sock.sendall(sasl_initial(b"n,,n=,r=abc", mechanism=b"SCRAM-SHA-1"))
    fields = error_fields(read_messages(sock, until=b"E")[-1][1])
    assert fields["C"] == "08P01"
    assert fields["M"] == "client selected an invalid SASL authentication mechanism"
    sock.close()
    sock, _ = raw_auth_start(auth_server, "alice")
    sock.sendall(message(b"Q", b"SELECT 1\0"))
    fields = error_fields(read_messages(sock, until=b"E")[-1][1])
    assert fields["C"] == "08P01" and "expected SASL response" in fields["M"]
    sock.close()
    sock, _ = raw_auth_start(auth_server, "alice")
    sock.sendall(b"p" + struct.pack("!I", 1 << 24))  # far above an authentication message
    fields = error_fields(read_messages(sock, until=b"E")[-1][1])
    assert fields["C"] == "08P01"
    sock.close()


def test_wrong_proof_in_raw_exchange(auth_server):
    sock, _ = raw_auth_start(auth_server, "alice")
    bare = "n=,r=abcdefgh"
    sock.sendall(sasl_initial(("n,," + bare).encode()))
    server_first = read_messages(sock, until=b"R")[-1][1][4:].decode()
    final, _ = scram_client_final("not the password", bare, server_first)
    sock.sendall(message(b"p", final.encode()))
    fields = error_fields(read_messages(sock, until=b"E")[-1][1])
    assert fields["S"] == "FATAL" and fields["C"] == "28P01"
    assert fields["M"] == 'password authentication failed for user "alice"'
    sock.close()


def test_unknown_user_fails_like_a_wrong_password(auth_server):
    assert 'password authentication failed for user "nobody"' in login_error(
        auth_server, "nobody", "whatever")


def test_role_without_password_cannot_log_in_with_scram(auth_server, admin):
    admin.execute("CREATE ROLE nopass LOGIN")
    assert 'password authentication failed for user "nopass"' in login_error(
        auth_server, "nopass", "anything")


def test_nologin_role_is_refused(auth_server, admin):
    admin.execute("CREATE ROLE cannot PASSWORD 'pw'")  # CREATE ROLE defaults to NOLOGIN
    assert 'role "cannot" is not permitted to log in' in login_error(auth_server, "cannot", "pw")
    admin.execute("ALTER ROLE cannot LOGIN")
    with connect(auth_server, "cannot", "pw") as connection:
        assert connection.execute("SELECT 3").fetchone() == (3,)
    # Under trust too.
    admin.execute("CREATE ROLE trusted_nologin NOLOGIN")
    assert 'role "trusted_nologin" is not permitted to log in' in login_error(
        auth_server, "trusted_nologin", None)


def test_trust_accepts_a_user_that_is_no_role(auth_server):
    with connect(auth_server, "trusted_stranger") as connection:
        assert connection.execute("SELECT 4").fetchone() == (4,)


def test_hba_reject_and_no_matching_rule(auth_server, tmp_path):
    error = login_error(auth_server, "rejected", "x")
    assert 'pg_hba.conf rejects connection for host "127.0.0.1", user "rejected"' in error
    other = Server(tmp_path / "d", settings=["pg.hba=host all onlyme 127.0.0.1/32 trust"]).start()
    try:
        assert 'no pg_hba.conf entry for host "127.0.0.1", user "someone"' in login_error(
            other, "someone", None)
        with connect(other, "onlyme") as connection:
            assert connection.execute("SELECT 5").fetchone() == (5,)
    finally:
        assert other.stop() == 0


def test_bad_hba_stops_startup(tmp_path):
    args = [PLEXUS, "serve", "--data",
            str(tmp_path / "d"), "--set", "resp.port=0", "--set", f"pg.port={free_port()}",
            "--set", "pg.hba=host all all 1.2.3.4/40 trust"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60,
                            env=clean_environment())
    assert result.returncode != 0
    assert "invalid CIDR mask" in result.stdout + result.stderr


def test_alter_role_password(auth_server, admin):
    admin.execute("CREATE ROLE carol LOGIN PASSWORD 'first'")
    admin.execute("ALTER ROLE carol PASSWORD 'second'")
    assert "password authentication failed" in login_error(auth_server, "carol", "first")
    with connect(auth_server, "carol", "second") as connection:
        # A role may change its own password.
        connection.execute("ALTER ROLE carol PASSWORD 'third'")
    with connect(auth_server, "carol", "third"):
        pass
    admin.execute("ALTER ROLE carol PASSWORD NULL")
    assert "password authentication failed" in login_error(auth_server, "carol", "third")


def test_password_given_as_verifier_is_stored_as_is(auth_server, admin):
    salt = os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", b"pre hashed", salt, 4096)
    stored = hashlib.sha256(hmac.new(salted, b"Client Key", hashlib.sha256).digest()).digest()
    server = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    verifier = "SCRAM-SHA-256$4096:{}${}:{}".format(
        *(base64.b64encode(x).decode() for x in (salt, stored, server)))
    admin.execute(f"CREATE ROLE dave LOGIN PASSWORD '{verifier}'")
    with connect(auth_server, "dave", "pre hashed"):
        pass
    assert "password authentication failed" in login_error(auth_server, "dave", verifier)


def test_expired_password_fails(auth_server, admin):
    admin.execute("CREATE ROLE erin LOGIN PASSWORD 'pw' VALID UNTIL '2001-01-01 00:00:00+00'")
    assert "password authentication failed" in login_error(auth_server, "erin", "pw")
    admin.execute("ALTER ROLE erin VALID UNTIL 'infinity'")
    with connect(auth_server, "erin", "pw"):
        pass


def test_passwords_are_stored_only_as_verifiers(tmp_path):
    data = tmp_path / "data"
    server = Server(data).start()
    try:
        with psycopg.connect(server.dsn(user="postgres"), autocommit=True) as connection:
            connection.execute("CREATE ROLE frank LOGIN PASSWORD 'PlainTextNeverStored77'")
            connection.execute("ALTER ROLE frank PASSWORD 'AnotherPlainText88'")
    finally:
        assert server.stop() == 0
    contents = b""
    for root, _, files in os.walk(data):
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                contents += f.read()
    assert b"PlainTextNeverStored77" not in contents
    assert b"AnotherPlainText88" not in contents
    assert b"SCRAM-SHA-256$4096:" in contents


def test_role_ddl_errors(admin):
    admin.execute("CREATE ROLE gina")
    with pytest.raises(psycopg.errors.DuplicateObject, match='role "gina" already exists'):
        admin.execute("CREATE ROLE gina")
    with pytest.raises(psycopg.errors.UndefinedObject, match='role "nosuch" does not exist'):
        admin.execute("DROP ROLE nosuch")
    with pytest.raises(psycopg.errors.UndefinedObject, match='role "nosuch" does not exist'):
        admin.execute("ALTER ROLE nosuch LOGIN")
    notices = []
    admin.add_notice_handler(lambda d: notices.append((d.severity, d.sqlstate, d.message_primary)))
    admin.execute("DROP ROLE IF EXISTS nosuch")
    assert notices == [("NOTICE", "00000", 'role "nosuch" does not exist, skipping')]
    with pytest.raises(psycopg.errors.UndefinedObject, match='role "nobody" does not exist'):
        admin.execute("CREATE ROLE henry IN ROLE nobody")
    with pytest.raises(psycopg.errors.ReservedName):
        admin.execute("CREATE ROLE pg_mine")
    with pytest.raises(psycopg.errors.SyntaxError, match="conflicting or redundant options"):
        admin.execute("CREATE ROLE ivan LOGIN NOLOGIN")
    admin.execute("ALTER ROLE gina RENAME TO gina2")
    admin.execute("DROP ROLE gina2")
    with pytest.raises(psycopg.errors.UndefinedObject):
        admin.execute("DROP ROLE gina2")
    with pytest.raises(psycopg.errors.ObjectInUse, match="current user cannot be dropped"):
        admin.execute("DROP ROLE postgres")


def test_role_ddl_is_transactional(auth_server, admin):
    admin.execute("BEGIN")
    admin.execute("CREATE ROLE jack LOGIN PASSWORD 'pw'")
    admin.execute("ROLLBACK")
    assert "password authentication failed" in login_error(auth_server, "jack", "pw")
    with admin.transaction():
        admin.execute("CREATE ROLE jack LOGIN PASSWORD 'pw'")
    with connect(auth_server, "jack", "pw"):
        pass


def test_privileges_on_role_ddl(auth_server, admin):
    admin.execute("CREATE ROLE kate LOGIN PASSWORD 'pw'")
    with connect(auth_server, "kate", "pw") as kate:
        with pytest.raises(psycopg.errors.InsufficientPrivilege,
                           match="permission denied to create role"):
            kate.execute("CREATE ROLE other")
    admin.execute("ALTER ROLE kate CREATEROLE")
    with connect(auth_server, "kate", "pw") as kate:
        kate.execute("CREATE ROLE made_by_kate")
        with pytest.raises(psycopg.errors.InsufficientPrivilege,
                           match="must be superuser to create superusers"):
            kate.execute("CREATE ROLE boss SUPERUSER")


@pytest.fixture(scope="module")
def tls_auth_server(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("openssl command not installed")
    directory = tmp_path_factory.mktemp("tls-auth")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    hba = ("hostssl all clear 127.0.0.1/32 password; hostnossl all postgres 127.0.0.1/32 trust; "
           "hostssl all all 127.0.0.1/32 scram-sha-256; host all all 127.0.0.1/32 reject")
    server = Server(directory / "data",
                    settings=[f"tls.cert={cert}", f"tls.key={key}", f"pg.hba={hba}"]).start()
    with psycopg.connect(server.dsn(user="postgres", sslmode="disable"), autocommit=True) as c:
        c.execute("CREATE ROLE clear LOGIN PASSWORD 'over tls'")
        c.execute("CREATE ROLE sasl LOGIN PASSWORD 'sasl over tls'")
    yield server
    assert server.stop() == 0, "".join(server.output)


def test_scram_and_cleartext_password_over_tls(tls_auth_server):
    with connect(tls_auth_server, "sasl", "sasl over tls", sslmode="require") as connection:
        assert connection.pgconn.ssl_in_use
        assert connection.execute("SELECT 6").fetchone() == (6,)
    with connect(tls_auth_server, "clear", "over tls", sslmode="require") as connection:
        assert connection.execute("SELECT 7").fetchone() == (7,)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        connect(tls_auth_server, "clear", "wrong", sslmode="require")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        connect(tls_auth_server, "sasl", "wrong", sslmode="require")
    # Without TLS the hostssl rules do not apply: the last rule rejects.
    with pytest.raises(psycopg.OperationalError, match="rejects connection.*no encryption"):
        connect(tls_auth_server, "sasl", "sasl over tls", sslmode="disable")


def test_connection_limit(auth_server, admin):
    admin.execute("CREATE ROLE limited LOGIN PASSWORD 'pw' CONNECTION LIMIT 1")
    first = connect(auth_server, "limited", "pw")
    with pytest.raises(psycopg.OperationalError, match='too many connections for role "limited"'):
        connect(auth_server, "limited", "pw")
    first.close()
    for _ in range(50):  # the slot is released when the server sees the close
        try:
            connect(auth_server, "limited", "pw").close()
            break
        except psycopg.OperationalError:
            time.sleep(0.1)
    else:
        pytest.fail("the connection slot was not released")
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="invalid connection limit"):
        admin.execute("ALTER ROLE limited CONNECTION LIMIT -2")


def read_until(fd, text, timeout=20):
    """Reads a pty until `text` appears; returns what was read."""
    data = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in data:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"timed out waiting for {text!r}; got {data!r}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
    return data.decode(errors="replace")


def test_psql_password_command_sends_a_verifier(auth_server, admin):
    admin.execute("CREATE ROLE mallory LOGIN")
    pid, fd = pty.fork()
    if pid == 0:
        env = clean_environment()
        os.execvpe("psql", ["psql", "-X", "-h", "127.0.0.1", "-p", str(auth_server.port),
                            "-U", "postgres", "-d", "plexus"], env)
    try:
        read_until(fd, "=#")
        os.write(fd, b"\\password mallory\n")
        read_until(fd, "Enter new password")
        os.write(fd, b"typed at the prompt\n")
        read_until(fd, "Enter it again")
        os.write(fd, b"typed at the prompt\n")
        read_until(fd, "=#")
        os.write(fd, b"\\q\n")
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.WEXITSTATUS(status) == 0
    with connect(auth_server, "mallory", "typed at the prompt") as connection:
        assert connection.execute("SHOW password_encryption").fetchone() == ("scram-sha-256",)
