"""SCRAM passwords go through SASLprep (RFC 4013) as in PostgreSQL: a role created with a
password that needs normalizing logs in with any of its equivalent spellings through libpq
(which normalizes too), as against PostgreSQL 15.18; a password SASLprep refuses is used as its
raw bytes on both sides."""
import psycopg
import pytest

from conftest import Server

HBA = "host all postgres 127.0.0.1/32 trust; host all all 127.0.0.1/32 scram-sha-256"


@pytest.fixture(scope="module")
def scram_server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("pg-saslprep"), settings=[f"pg.hba={HBA}"]).start()
    yield s
    assert s.stop() == 0, "".join(s.output)


def can_login(server, user, password):
    try:
        psycopg.connect(server.dsn(user=user), password=password, autocommit=True).close()
        return True
    except psycopg.OperationalError as error:
        assert "password authentication failed" in str(error)
        return False


def test_normalized_password_logs_in_with_any_spelling(scram_server):
    with psycopg.connect(scram_server.dsn(user="postgres"), autocommit=True) as admin:
        # Fullwidth letters (NFKC), a no-break space (mapped to a space), a soft hyphen (removed).
        admin.execute("CREATE ROLE sasl_user LOGIN PASSWORD 'ｐａｓｓ\u00a0I\u00adX'")
    for password in ["pass IX", "ｐａｓｓ I\u00adX", "ｐａｓｓ\u00a0IX", "pass I\u00adX"]:
        assert can_login(scram_server, "sasl_user", password), password
    assert not can_login(scram_server, "sasl_user", "pass ix")


def test_prohibited_password_is_used_raw(scram_server):
    # U+0007 is prohibited by SASLprep: both sides hash the bytes as they are.
    with psycopg.connect(scram_server.dsn(user="postgres"), autocommit=True) as admin:
        admin.execute("CREATE ROLE raw_user LOGIN PASSWORD 'ｐ\u0007'")
    assert can_login(scram_server, "raw_user", "ｐ\u0007")
    assert not can_login(scram_server, "raw_user", "p\u0007")


def test_ascii_password_unchanged(scram_server):
    with psycopg.connect(scram_server.dsn(user="postgres"), autocommit=True) as admin:
        admin.execute("CREATE ROLE ascii_user LOGIN PASSWORD 'plain pass'")
    assert can_login(scram_server, "ascii_user", "plain pass")
    assert not can_login(scram_server, "ascii_user", "plain  pass")
