"""psycopg2 (Debian's python3-psycopg2): connect and its startup queries, parameters (psycopg2
interpolates them client-side), executemany, transactions, type adaptation, catalog queries."""
import datetime
import decimal
import uuid

import pytest

psycopg2 = pytest.importorskip("psycopg2")
import psycopg2.extras  # noqa: E402


@pytest.fixture
def connection(server):
    connection = psycopg2.connect(host="127.0.0.1", port=server.port, user="tester",
                                  dbname="plexus", connect_timeout=10)
    yield connection
    connection.close()


def test_connect_reports_server(connection):
    assert connection.server_version >= 150000
    assert connection.get_parameter_status("server_encoding") == "UTF8"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL 15")
        cursor.execute("SELECT current_database(), current_user, session_user")
        assert cursor.fetchone()[1:] == ("tester", "tester")


def test_parameters_and_types(connection, table_name):
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {table_name} (id int PRIMARY KEY, name text, price numeric(8,2),"
                       " at timestamptz, tag uuid, flags boolean[], doc jsonb)")
        tag = uuid.uuid4()
        at = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
        cursor.execute(f"INSERT INTO {table_name} VALUES (%s, %s, %s, %s, %s, %s, %s)",
                       (1, "it's", decimal.Decimal("1.50"), at, str(tag), [True, False],
                        psycopg2.extras.Json({"a": [1, 2]})))
        cursor.executemany(f"INSERT INTO {table_name} (id, name) VALUES (%s, %s)",
                           [(2, "two"), (3, None)])
        cursor.execute(f"SELECT id, name, price, at, tag, flags, doc FROM {table_name} "
                       "WHERE id = %(id)s", {"id": 1})
        row = cursor.fetchone()
        assert row[:3] == (1, "it's", decimal.Decimal("1.50"))
        assert row[3] == at
        assert row[4] == str(tag)
        assert row[5] == [True, False]
        assert row[6] == {"a": [1, 2]}
        cursor.execute(f"SELECT count(*), count(name) FROM {table_name}")
        assert cursor.fetchone() == (3, 2)
    connection.commit()


def test_transactions_commit_and_rollback(connection, table_name):
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {table_name} (a int)")
        connection.commit()
        cursor.execute(f"INSERT INTO {table_name} VALUES (1)")
        connection.rollback()
        cursor.execute(f"INSERT INTO {table_name} VALUES (2)")
        connection.commit()
        cursor.execute(f"SELECT a FROM {table_name}")
        assert cursor.fetchall() == [(2,)]
        with pytest.raises(psycopg2.errors.UndefinedTable):
            cursor.execute("SELECT * FROM no_such_table_here")
        connection.rollback()


def test_catalog_queries(connection, table_name):
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {table_name} (id serial PRIMARY KEY, v varchar(10))")
        cursor.execute("SELECT c.oid, c.relkind FROM pg_class c WHERE c.relname = %s",
                       (table_name,))
        oid, kind = cursor.fetchone()
        assert kind == "r"
        cursor.execute("SELECT %s::regclass::oid, %s::regclass::text", (table_name, table_name))
        assert cursor.fetchone() == (oid, table_name)
        cursor.execute("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                       "WHERE attrelid = %s AND attnum > 0 ORDER BY attnum", (oid,))
        assert cursor.fetchall() == [("id", "integer"), ("v", "character varying(10)")]
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table_name,))
        assert cursor.fetchone()[0] == f"public.{table_name}_id_seq"
    connection.commit()
