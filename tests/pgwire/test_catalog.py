"""The system catalogs through the wire protocol: search_path name resolution, information_schema,
catalog functions, reg* casts, and catalog views seeing the transaction's own DDL."""
import psycopg
import pytest


def rows(conn, sql, *params):
    return conn.execute(sql, params or None).fetchall()


def test_search_path_resolution_and_creation(server):
    with server.connect(autocommit=True) as conn:
        conn.execute("CREATE SCHEMA sp_a")
        conn.execute("CREATE SCHEMA sp_b")
        conn.execute("CREATE TABLE sp_a.t (v text)")
        conn.execute("INSERT INTO sp_a.t VALUES ('a')")
        conn.execute("CREATE TABLE sp_b.t (v text)")
        conn.execute("INSERT INTO sp_b.t VALUES ('b')")
        with pytest.raises(psycopg.errors.UndefinedTable):
            conn.execute("SELECT v FROM t")
        conn.execute("SET search_path TO sp_b, sp_a")
        assert rows(conn, "SELECT v FROM t") == [("b",)]
        assert rows(conn, "SELECT current_schema(), current_schemas(false)") == [
            ("sp_b", ["sp_b", "sp_a"])]
        assert rows(conn, "SELECT current_schemas(true)") == [(["pg_catalog", "sp_b", "sp_a"],)]
        conn.execute("CREATE TABLE created_here (x int)")  # the first schema of the path
        assert rows(conn, "SELECT schemaname FROM pg_tables WHERE tablename = 'created_here'") == [
            ("sp_b",)]
        conn.execute("SET search_path TO sp_a, sp_b")
        assert rows(conn, "SELECT v FROM t") == [("a",)]
        assert rows(conn, "SELECT count(*) FROM created_here") == [(0,)]  # found in sp_b
        # A schema of the path that does not exist is skipped.
        conn.execute("SET search_path TO nowhere, sp_b")
        assert rows(conn, "SELECT v FROM t") == [("b",)]
        assert rows(conn, "SELECT current_schema()") == [("sp_b",)]
        # pg_catalog comes first, before any schema of the path.
        conn.execute("CREATE TABLE sp_b.pg_class (x int)")
        assert rows(conn, "SELECT count(*) > 10 FROM pg_class") == [(True,)]
        assert rows(conn, "SELECT count(*) FROM sp_b.pg_class") == [(0,)]


def test_user_schema_comes_first(server):
    with server.connect(autocommit=True) as conn:
        conn.execute("CREATE SCHEMA tester")
        conn.execute("CREATE TABLE tester.mine (x int)")
        conn.execute("CREATE TABLE public.mine (x int)")
        conn.execute("INSERT INTO tester.mine VALUES (1)")
        assert rows(conn, "SHOW search_path") == [('"$user", public',)]
        assert rows(conn, "SELECT count(*) FROM mine") == [(1,)]
        assert rows(conn, "SELECT current_schema()") == [("tester",)]
        conn.execute("DROP TABLE tester.mine")
        conn.execute("DROP TABLE public.mine")
        conn.execute("DROP SCHEMA tester")


def test_information_schema(conn, table_name):
    conn.execute(f"CREATE TABLE {table_name}_p (id int PRIMARY KEY, code varchar(8) UNIQUE)")
    conn.execute(f"CREATE TABLE {table_name} (id serial PRIMARY KEY, price numeric(6,2) NOT NULL,"
                 f" p int REFERENCES {table_name}_p (id) ON DELETE SET NULL, at timestamptz,"
                 " CHECK (price > 0))")
    assert rows(conn, "SELECT table_type FROM information_schema.tables "
                      "WHERE table_schema = 'public' AND table_name = %s", table_name) == [
        ("BASE TABLE",)]
    assert rows(conn, "SELECT column_name, ordinal_position, is_nullable, data_type, "
                      "character_maximum_length, numeric_precision, numeric_scale "
                      "FROM information_schema.columns WHERE table_name = %s "
                      "ORDER BY ordinal_position", table_name) == [
        ("id", 1, "NO", "integer", None, 32, 0),
        ("price", 2, "NO", "numeric", None, 6, 2),
        ("p", 3, "YES", "integer", None, 32, 0),
        ("at", 4, "YES", "timestamp with time zone", None, None, None)]
    assert rows(conn, "SELECT column_default FROM information_schema.columns "
                      "WHERE table_name = %s AND column_name = 'id'", table_name) == [
        (f"nextval('{table_name}_id_seq'::regclass)",)]
    assert sorted(rows(conn, "SELECT constraint_type FROM information_schema.table_constraints "
                             "WHERE table_name = %s", table_name)) == [
        ("CHECK",), ("FOREIGN KEY",), ("PRIMARY KEY",)]
    assert rows(conn, "SELECT column_name, ordinal_position FROM "
                      "information_schema.key_column_usage WHERE table_name = %s "
                      "ORDER BY constraint_name", table_name) == [("p", 1), ("id", 1)]
    assert rows(conn, "SELECT unique_constraint_name, delete_rule, update_rule FROM "
                      "information_schema.referential_constraints WHERE constraint_name = %s",
                f"{table_name}_p_fkey") == [(f"{table_name}_p_pkey", "SET NULL", "NO ACTION")]
    assert ("public",) in rows(conn, "SELECT schema_name FROM information_schema.schemata")
    assert rows(conn, "SELECT sequence_name, data_type, start_value FROM "
                      "information_schema.sequences WHERE sequence_name = %s",
                f"{table_name}_id_seq") == [(f"{table_name}_id_seq", "integer", "1")]


def test_reg_casts_and_oids(conn, table_name):
    conn.execute(f"CREATE TABLE {table_name} (a int PRIMARY KEY)")
    oid = rows(conn, "SELECT oid FROM pg_class WHERE relname = %s", table_name)[0][0]
    assert oid >= 16384
    assert rows(conn, f"SELECT '{table_name}'::regclass::oid = {oid}") == [(True,)]
    assert rows(conn, f"SELECT {oid}::regclass, '{table_name}'::regclass::text") == [
        (table_name, table_name)]
    assert rows(conn, "SELECT 'pg_catalog.pg_class'::regclass::oid, 'pg_class'::regclass::text") == [
        (1259, "pg_class")]
    assert rows(conn, "SELECT 'integer'::regtype::oid, 23::regtype, 'text[]'::regtype::oid") == [
        (23, "integer", 1009)]
    assert rows(conn, "SELECT 'public'::regnamespace::oid, 11::regnamespace") == [
        (2200, "pg_catalog")]
    assert rows(conn, "SELECT to_regclass('no_such_relation_x') IS NULL") == [(True,)]
    with pytest.raises(psycopg.errors.UndefinedTable):
        conn.execute("SELECT 'no_such_relation_x'::regclass")
    with pytest.raises(psycopg.errors.UndefinedObject):
        conn.execute("SELECT 'no_such_type'::regtype")


def test_catalog_functions(conn, table_name):
    conn.execute(f"CREATE TABLE {table_name} (id int PRIMARY KEY, name varchar(20) NOT NULL,"
                 f" CONSTRAINT {table_name}_name_check CHECK (name <> ''))")
    conn.execute(f"CREATE INDEX {table_name}_name ON {table_name} (name DESC)")
    assert rows(conn, "SELECT format_type(1043, 24), format_type(1700, 655366), "
                      "format_type(1007, NULL), format_type(23, NULL)") == [
        ("character varying(20)", "numeric(10,2)", "integer[]", "integer")]
    assert rows(conn, "SELECT pg_get_indexdef(indexrelid) FROM pg_index i JOIN pg_class c "
                      "ON c.oid = i.indexrelid WHERE c.relname = %s", f"{table_name}_name") == [
        (f"CREATE INDEX {table_name}_name ON public.{table_name} USING btree (name DESC)",)]
    assert sorted(rows(conn, "SELECT contype, pg_get_constraintdef(oid, true) FROM pg_constraint "
                             f"WHERE conrelid = '{table_name}'::regclass")) == [
        ("c", "CHECK (name <> '')"), ("p", "PRIMARY KEY (id)")]
    assert rows(conn, f"SELECT pg_table_is_visible('{table_name}'::regclass)") == [(True,)]
    assert rows(conn, "SELECT obj_description(1259, 'pg_class'), col_description(1259, 1)") == [
        (None, None)]
    assert rows(conn, "SELECT has_table_privilege(%s, 'SELECT'), "
                      "has_schema_privilege('public', 'CREATE'), "
                      "has_database_privilege(current_database(), 'CONNECT')", table_name) == [
        (True, True, True)]
    assert rows(conn, "SELECT pg_get_userbyid(10), pg_encoding_to_char(6), "
                      "quote_ident('Mixed'), quote_ident('user'), quote_ident('plain')") == [
        ("postgres", "UTF8", '"Mixed"', '"user"', "plain")]
    assert rows(conn, "SELECT pg_backend_pid() > 0, current_user, session_user, "
                      "version() LIKE 'PostgreSQL 15%'") == [(True, "tester", "tester", True)]
    assert rows(conn, "SELECT current_setting('search_path'), "
                      "current_setting('no.such_setting', true)") == [('"$user", public', None)]
    assert rows(conn, "SELECT ARRAY(SELECT rolname FROM pg_roles WHERE rolname = 'postgres'), "
                      "ARRAY(SELECT 1 WHERE false)") == [(["postgres"], [])]


def test_catalog_sees_the_transactions_own_ddl(server, table_name):
    with server.connect() as conn:
        conn.execute(f"CREATE TABLE {table_name} (id serial PRIMARY KEY)")
        conn.execute(f"CREATE VIEW {table_name}_v AS SELECT id FROM {table_name}")
        assert sorted(rows(conn, "SELECT relname, relkind FROM pg_class WHERE relname LIKE %s",
                           table_name + "%")) == [
            (table_name, "r"), (f"{table_name}_id_seq", "S"), (f"{table_name}_pkey", "i"),
            (f"{table_name}_v", "v")]
        assert rows(conn, "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                          f"WHERE attrelid = '{table_name}_v'::regclass") == [("id", "integer")]
        conn.rollback()
        assert rows(conn, "SELECT count(*) FROM pg_class WHERE relname LIKE %s",
                    table_name + "%") == [(0,)]


def test_system_relations_are_read_only(conn):
    with pytest.raises(psycopg.Error):
        conn.execute("INSERT INTO pg_catalog.pg_class (relname) VALUES ('x')")
    with pytest.raises(psycopg.errors.UndefinedTable):
        conn.execute("SELECT * FROM pg_catalog.no_such_catalog")


def test_asyncpg_type_introspection(server):
    asyncpg = pytest.importorskip("asyncpg")
    import asyncio
    import json

    async def run():
        connection = await asyncpg.connect(host="127.0.0.1", port=server.port, user="tester",
                                           database="plexus")
        try:
            # set_type_codec looks the type up in pg_type (typtype is "char", OID 18).
            await connection.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads,
                                            schema="pg_catalog")
            assert await connection.fetchval("SELECT '{\"a\": [1, 2]}'::jsonb") == {"a": [1, 2]}
            kinds = await connection.fetch("SELECT typtype FROM pg_type WHERE typname = $1",
                                           "int4")
            assert [r["typtype"] for r in kinds] == [b"b"]
            assert await connection.fetchval("SELECT $1::regclass::oid", "pg_class") == 1259
        finally:
            await connection.close()

    asyncio.run(run())


def test_search_path_for_ddl_and_dml(server):
    with server.connect(autocommit=True) as conn:
        conn.execute("CREATE SCHEMA sp_ddl")
        conn.execute("SET search_path TO sp_ddl, public")
        conn.execute("CREATE TABLE sp_t (id serial PRIMARY KEY, v int)")
        conn.execute("INSERT INTO sp_t (v) VALUES (1), (2)")
        conn.execute("UPDATE sp_t SET v = v + 10")
        conn.execute("DELETE FROM sp_t WHERE v = 11")
        conn.execute("CREATE INDEX sp_t_v ON sp_t (v)")
        conn.execute("ALTER TABLE sp_t ADD COLUMN w text")
        assert rows(conn, "SELECT v, w FROM sp_ddl.sp_t") == [(12, None)]
        conn.execute("TRUNCATE sp_t")
        assert rows(conn, "SELECT count(*) FROM sp_ddl.sp_t") == [(0,)]
        conn.execute("CREATE VIEW sp_v AS SELECT v FROM sp_t")
        assert rows(conn, "SELECT table_schema FROM information_schema.views "
                          "WHERE table_name = 'sp_v'") == [("sp_ddl",)]
        conn.execute("DROP VIEW sp_v")
        conn.execute("DROP TABLE sp_t")
        assert rows(conn, "SELECT count(*) FROM pg_class c JOIN pg_namespace n "
                          "ON n.oid = c.relnamespace WHERE n.nspname = 'sp_ddl'") == [(0,)]
        conn.execute("RESET search_path")
