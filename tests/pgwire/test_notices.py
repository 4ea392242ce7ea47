"""NoticeResponse carries PostgreSQL's severity and SQLSTATE (S/V/C/M fields)."""
import pytest


@pytest.fixture
def notices(conn):
    seen = []
    conn.add_notice_handler(
        lambda d: seen.append((d.severity, d.severity_nonlocalized, d.sqlstate, d.message_primary)))
    return seen


def test_warning_25001_and_25p01(conn, notices):
    conn.execute("BEGIN")
    conn.execute("BEGIN")
    conn.execute("ROLLBACK")
    conn.execute("COMMIT")
    conn.execute("SET LOCAL statement_timeout = 0")
    assert notices == [
        ("WARNING", "WARNING", "25001", "there is already a transaction in progress"),
        ("WARNING", "WARNING", "25P01", "there is no transaction in progress"),
        ("WARNING", "WARNING", "25P01", "SET LOCAL can only be used in transaction blocks"),
    ]


def test_notice_42p07_and_00000(conn, notices, table_name):
    conn.execute(f"CREATE TABLE {table_name} (a int)")
    conn.execute(f"CREATE TABLE IF NOT EXISTS {table_name} (a int)")
    conn.execute(f"DROP TABLE {table_name}")
    conn.execute(f"DROP TABLE IF EXISTS {table_name}")
    assert notices == [
        ("NOTICE", "NOTICE", "42P07", f'relation "{table_name}" already exists, skipping'),
        ("NOTICE", "NOTICE", "00000", f'table "{table_name}" does not exist, skipping'),
    ]
