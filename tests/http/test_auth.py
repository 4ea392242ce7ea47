"""http.auth = token: static tokens, tokens issued for a role's password, 401 and 403."""
import json

import pytest

from conftest import Server

ADMIN = "admintoken0123456789"
NOLOGIN = "nologintoken"


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("http-auth"),
               settings=["http.auth=token",
                         f"http.tokens={ADMIN}:postgres, {NOLOGIN}:quiet"]).start()
    admin = {"Authorization": f"Bearer {ADMIN}"}
    assert s.sql("CREATE ROLE alice LOGIN PASSWORD 'secret'", headers=admin)[0] == 200
    assert s.sql("CREATE ROLE quiet PASSWORD 'hush'", headers=admin)[0] == 200
    yield s
    assert s.stop() == 0, "".join(s.output)


def issue(server, user, password):
    status, _, body = server.request("POST", "/api/v1/auth/token",
                                     json.dumps({"user": user, "password": password}),
                                     {"Content-Type": "application/json"})
    return status, json.loads(body)


def test_health_and_ready_stay_open(auth_server):
    assert auth_server.request("GET", "/health")[0] == 200
    assert auth_server.request("GET", "/ready")[0] == 200


def test_missing_token_is_401_with_challenge(auth_server):
    status, headers, body = auth_server.request("POST", "/api/v1/sql", '{"sql": "SELECT 1"}',
                                                {"Content-Type": "application/json"})
    assert status == 401
    assert headers["www-authenticate"] == "Bearer"
    assert json.loads(body)["status"] == 401
    assert auth_server.request("GET", "/metrics")[0] == 401


def test_invalid_token_is_401(auth_server):
    status, data = auth_server.sql("SELECT 1", headers={"Authorization": "Bearer nope"})
    assert status == 401
    status, data = auth_server.sql("SELECT 1", headers={"Authorization": f"Basic {ADMIN}"})
    assert status == 401


def test_static_token_runs_as_its_role(auth_server):
    status, data = auth_server.sql("SELECT current_user",
                                   headers={"Authorization": f"Bearer {ADMIN}"})
    assert status == 200
    assert data["rows"] == [["postgres"]]


def test_issued_token(auth_server):
    status, data = issue(auth_server, "alice", "secret")
    assert status == 200
    assert len(data["token"]) == 64 and int(data["token"], 16) >= 0
    assert data["expires_in"] > 0
    status, result = auth_server.sql("SELECT current_user",
                                     headers={"Authorization": f"Bearer {data['token']}"})
    assert status == 200
    assert result["rows"] == [["alice"]]


def test_wrong_password_is_401(auth_server):
    status, data = issue(auth_server, "alice", "wrong")
    assert status == 401
    assert "password authentication failed" in data["detail"]
    assert issue(auth_server, "nobody", "secret")[0] == 401


def test_role_without_login_is_403(auth_server):
    status, data = issue(auth_server, "quiet", "hush")
    assert status == 403
    status, data = auth_server.sql("SELECT 1", headers={"Authorization": f"Bearer {NOLOGIN}"})
    assert status == 403


def test_token_request_must_be_json(auth_server):
    status, _, _ = auth_server.request("POST", "/api/v1/auth/token", "user=alice",
                                       {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 415
    status, _, _ = auth_server.request("POST", "/api/v1/auth/token", '{"user": "alice"}',
                                       {"Content-Type": "application/json"})
    assert status == 400
