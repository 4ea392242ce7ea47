"""Issued bearer tokens: kept in the catalog across a restart, revoked by DELETE
/api/v1/auth/token, invalidated by dropping their role (even when a role of the same name is
created again), expired after http.token_ttl_s."""
import json
import time

from conftest import Server

ADMIN = "admintoken0123456789"
ADMIN_HEADERS = {"Authorization": f"Bearer {ADMIN}"}


def start(data_dir, *settings):
    return Server(data_dir, settings=["http.auth=token", f"http.tokens={ADMIN}:postgres",
                                      *settings]).start()


def issue(server, user, password):
    status, _, body = server.request("POST", "/api/v1/auth/token",
                                     json.dumps({"user": user, "password": password}),
                                     {"Content-Type": "application/json"})
    assert status == 200, body
    return json.loads(body)


def whoami(server, token):
    status, data = server.sql("SELECT current_user", headers={"Authorization": f"Bearer {token}"})
    return status, data


def revoke(server, token):
    return server.request("DELETE", "/api/v1/auth/token",
                          headers={"Authorization": f"Bearer {token}"})


def test_token_survives_restart_and_revoke(tmp_path):
    server = start(tmp_path / "data")
    try:
        assert server.sql("CREATE ROLE alice LOGIN PASSWORD 'secret'", headers=ADMIN_HEADERS)[0] == 200
        token = issue(server, "alice", "secret")["token"]
        kept = issue(server, "alice", "secret")["token"]
        assert whoami(server, token)[0] == 200
    finally:
        assert server.stop() == 0, "".join(server.output)
    server = start(tmp_path / "data")
    try:
        status, data = whoami(server, token)
        assert status == 200, data
        assert data["rows"] == [["alice"]]
        status, headers, body = revoke(server, token)
        assert status == 204, body
        assert whoami(server, token)[0] == 401
        assert revoke(server, token)[0] == 401
        # The other token of the role is untouched.
        assert whoami(server, kept)[1]["rows"] == [["alice"]]
        # A static token is configuration: it cannot be revoked.
        assert revoke(server, ADMIN)[0] == 409
        assert revoke(server, "nonsense")[0] == 401
    finally:
        assert server.stop() == 0, "".join(server.output)
    # Revoked for good, across a restart too.
    server = start(tmp_path / "data")
    try:
        assert whoami(server, token)[0] == 401
        assert whoami(server, kept)[0] == 200
    finally:
        assert server.stop() == 0, "".join(server.output)


def test_dropping_a_role_invalidates_its_tokens(tmp_path):
    server = start(tmp_path / "data")
    try:
        assert server.sql("CREATE ROLE bob LOGIN PASSWORD 'pw'", headers=ADMIN_HEADERS)[0] == 200
        token = issue(server, "bob", "pw")["token"]
        assert whoami(server, token)[0] == 200
        assert server.sql("DROP ROLE bob", headers=ADMIN_HEADERS)[0] == 200
        # A new role of the same name is another role: the old token is not its.
        assert server.sql("CREATE ROLE bob LOGIN PASSWORD 'pw'", headers=ADMIN_HEADERS)[0] == 200
        status, data = whoami(server, token)
        assert status == 401, data
        assert whoami(server, issue(server, "bob", "pw")["token"])[1]["rows"] == [["bob"]]
    finally:
        assert server.stop() == 0, "".join(server.output)


def test_token_ttl(tmp_path):
    server = start(tmp_path / "data", "http.token_ttl_s=1")
    try:
        assert server.sql("CREATE ROLE carol LOGIN PASSWORD 'pw'", headers=ADMIN_HEADERS)[0] == 200
        issued = issue(server, "carol", "pw")
        assert issued["expires_in"] == 1
        time.sleep(1.5)
        status, data = whoami(server, issued["token"])
        assert status == 401
        assert "expired" in data["detail"]
    finally:
        assert server.stop() == 0, "".join(server.output)
