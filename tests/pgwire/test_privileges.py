"""Privileges as PostgreSQL 15 keeps and enforces them: GRANT/REVOKE on tables, sequences and
schemas, role membership, ownership, 42501 errors, relacl/nspacl, has_*_privilege, and psql's
\\dp and \\du printed byte for byte as PostgreSQL 15.18 prints them after the same statements."""
import subprocess

import psycopg
import pytest

from conftest import Server
from plexus_process import clean_environment

SETUP = """\
CREATE ROLE reader; CREATE ROLE writer LOGIN; CREATE ROLE "Mixed Case";
CREATE TABLE items (id int PRIMARY KEY, name text);
CREATE TABLE other_t (a int);
GRANT SELECT ON items TO reader;
GRANT SELECT, INSERT, UPDATE ON items TO writer WITH GRANT OPTION;
GRANT ALL ON other_t TO "Mixed Case";
GRANT SELECT ON items TO PUBLIC;
REVOKE UPDATE ON items FROM writer;
GRANT reader TO writer;
CREATE SEQUENCE sq; GRANT USAGE ON SEQUENCE sq TO reader;
GRANT USAGE, CREATE ON SCHEMA public TO writer;
"""

# Recorded from PostgreSQL 15.18 (psql -X, user postgres) after SETUP.
EXPECTED = [
    ('\\dp',
     '                                     Access privileges\n Schema |  Name   |   Type   |       Access privileges       | Column privileges | Policies \n--------+---------+----------+-------------------------------+-------------------+----------\n public | items   | table    | postgres=arwdDxt/postgres    +|                   | \n        |         |          | reader=r/postgres            +|                   | \n        |         |          | writer=a*r*/postgres         +|                   | \n        |         |          | =r/postgres                   |                   | \n public | other_t | table    | postgres=arwdDxt/postgres    +|                   | \n        |         |          | "Mixed Case"=arwdDxt/postgres |                   | \n public | sq      | sequence | postgres=rwU/postgres        +|                   | \n        |         |          | reader=U/postgres             |                   | \n(3 rows)\n\n'),
    ('\\du',
     '                                    List of roles\n Role name  |                         Attributes                         | Member of \n------------+------------------------------------------------------------+-----------\n Mixed Case | Cannot login                                               | {}\n postgres   | Superuser, Create role, Create DB, Replication, Bypass RLS | {}\n reader     | Cannot login                                               | {}\n writer     |                                                            | {reader}\n\n'),
    ('\\dn+',
     '                                       List of schemas\n  Name  |       Owner       |           Access privileges            |      Description       \n--------+-------------------+----------------------------------------+------------------------\n public | pg_database_owner | pg_database_owner=UC/pg_database_owner+| standard public schema\n        |                   | =U/pg_database_owner                  +| \n        |                   | writer=UC/pg_database_owner            | \n(1 row)\n\n'),
]


def psql(server, *args, user="postgres", input=None):
    env = clean_environment()
    env["PGCONNECT_TIMEOUT"] = "10"
    return subprocess.run(["psql", "-X", "-h", "127.0.0.1", "-p", str(server.port), "-U", user,
                           "-d", "postgres", *args],
                          input=input, capture_output=True, text=True, env=env, timeout=60)


@pytest.fixture(scope="module")
def granted(tmp_path_factory):
    """A server of its own (the listings show every role), with SETUP run by postgres."""
    server = Server(tmp_path_factory.mktemp("privileges")).start()
    result = psql(server, "-v", "ON_ERROR_STOP=1", "-q", input=SETUP)
    assert result.returncode == 0, result.stderr
    yield server
    assert server.stop() == 0, "".join(server.output)


def connect(server, user):
    return psycopg.connect(server.dsn(user=user, dbname="postgres"), autocommit=True)


def sqlstate_of(connection, sql):
    with pytest.raises(psycopg.Error) as info:
        connection.execute(sql)
    return info.value.sqlstate, info.value.diag.message_primary


@pytest.mark.parametrize("command,expected", EXPECTED, ids=[c for c, _ in EXPECTED])
def test_listing_matches_postgresql(granted, command, expected):
    result = psql(granted, "-c", command)
    assert result.stderr == ""
    assert result.stdout == expected


def test_acl_columns(granted):
    with connect(granted, "postgres") as admin:
        assert admin.execute("SELECT relacl::text FROM pg_class WHERE relname = 'items'"
                             ).fetchone() == (
            "{postgres=arwdDxt/postgres,reader=r/postgres,writer=a*r*/postgres,=r/postgres}",)
        assert admin.execute("SELECT relacl FROM pg_class WHERE relname = 'items_pkey'"
                             ).fetchone() == (None,)
        assert admin.execute("SELECT r.rolname, m.rolname, m2.rolname, a.admin_option "
                             "FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid "
                             "JOIN pg_roles m ON m.oid = a.member "
                             "JOIN pg_roles m2 ON m2.oid = a.grantor").fetchall() == [
            ("reader", "writer", "postgres", False)]


def test_enforced_for_a_role(granted):
    with connect(granted, "writer") as writer:
        assert writer.execute("SELECT count(*) FROM items").fetchone() == (0,)
        writer.execute("INSERT INTO items VALUES (1, 'one')")
        # UPDATE was revoked; DELETE never granted; a WHERE needs SELECT (held).
        assert sqlstate_of(writer, "UPDATE items SET name = 'x' WHERE id = 1") == (
            "42501", "permission denied for table items")
        assert sqlstate_of(writer, "DELETE FROM items") == (
            "42501", "permission denied for table items")
        assert sqlstate_of(writer, "SELECT * FROM other_t") == (
            "42501", "permission denied for table other_t")
        assert sqlstate_of(writer, "SELECT * FROM items WHERE id IN (SELECT a FROM other_t)") == (
            "42501", "permission denied for table other_t")
        assert sqlstate_of(writer, "INSERT INTO items SELECT a, 'x' FROM other_t") == (
            "42501", "permission denied for table other_t")
        assert sqlstate_of(writer, "TRUNCATE items") == (
            "42501", "permission denied for table items")
        assert sqlstate_of(writer, "DROP TABLE items") == ("42501", "must be owner of table items")
        assert sqlstate_of(writer, "ALTER TABLE items ADD COLUMN c int") == (
            "42501", "must be owner of table items")
        assert sqlstate_of(writer, "CREATE INDEX ON items (name)") == (
            "42501", "must be owner of table items")
        assert sqlstate_of(writer, "CREATE SCHEMA mine") == (
            "42501", "permission denied for database postgres")


def test_owner_of_what_a_role_creates(granted):
    # writer holds CREATE on public: its table is its own, with every right on it.
    with connect(granted, "writer") as writer:
        writer.execute("CREATE TABLE writers_own (a serial, b text)")
        writer.execute("INSERT INTO writers_own (b) VALUES ('x')")
        writer.execute("UPDATE writers_own SET b = 'y' WHERE a = 1")
        assert writer.execute("SELECT b FROM writers_own").fetchall() == [("y",)]
        writer.execute("GRANT SELECT ON writers_own TO reader")
        assert writer.execute(
            "SELECT relowner::regrole::text, relacl::text FROM pg_class "
            "WHERE relname = 'writers_own'").fetchone() == (
            "writer", "{writer=arwdDxt/writer,reader=r/writer}")
        writer.execute("DROP TABLE writers_own")


def test_reader_without_login_privileges_through_membership(granted):
    with connect(granted, "postgres") as admin:
        admin.execute("CREATE ROLE member_of_reader LOGIN")
        admin.execute("CREATE ROLE noinherit_member LOGIN NOINHERIT")
        admin.execute("GRANT reader TO member_of_reader, noinherit_member")
    with connect(granted, "member_of_reader") as member:
        assert member.execute("SELECT has_sequence_privilege('sq', 'USAGE')").fetchone() == (True,)
        assert member.execute("SELECT count(*) FROM items").fetchone()[0] >= 0
        assert sqlstate_of(member, "INSERT INTO items VALUES (99, 'x')") == (
            "42501", "permission denied for table items")
    with connect(granted, "noinherit_member") as member:
        assert member.execute("SELECT has_sequence_privilege('sq', 'USAGE')").fetchone() == (False,)


def test_has_privilege_functions(granted):
    with connect(granted, "postgres") as admin:
        rows = admin.execute(
            "SELECT has_table_privilege('writer', 'items', 'SELECT'), "
            "has_table_privilege('writer', 'items', 'UPDATE'), "
            "has_table_privilege('writer', 'items', 'INSERT WITH GRANT OPTION'), "
            "has_table_privilege('reader', 'public.items', 'select, delete'), "
            "has_table_privilege('reader', 'other_t', 'SELECT'), "
            "has_table_privilege('items', 'DELETE'), "
            "has_schema_privilege('writer', 'public', 'CREATE'), "
            "has_schema_privilege('reader', 'public', 'CREATE'), "
            "has_schema_privilege('reader', 'public', 'USAGE'), "
            "has_sequence_privilege('reader', 'sq', 'USAGE'), "
            "has_sequence_privilege('writer', 'sq', 'USAGE'), "
            "has_table_privilege('writer', 'pg_class', 'SELECT'), "
            "pg_has_role('writer', 'reader', 'MEMBER'), "
            "pg_has_role('reader', 'writer', 'MEMBER')").fetchone()
        assert rows == (True, False, True, True, False, True, True, False, True, True, True,
                        True, True, False)
        assert admin.execute("SELECT has_table_privilege(999999, 'SELECT')").fetchone() == (None,)
        assert sqlstate_of(admin, "SELECT has_table_privilege('items', 'fly')") == (
            "22023", 'unrecognized privilege type: "fly"')
        assert sqlstate_of(admin, "SELECT has_table_privilege('nobody', 'items', 'SELECT')") == (
            "42704", 'role "nobody" does not exist')
        assert sqlstate_of(admin, "SELECT has_table_privilege('no_table', 'SELECT')") == (
            "42P01", 'relation "no_table" does not exist')


def test_grant_errors(granted):
    with connect(granted, "postgres") as admin:
        assert sqlstate_of(admin, "GRANT SELECT ON items TO nosuch") == (
            "42704", 'role "nosuch" does not exist')
        assert sqlstate_of(admin, "GRANT USAGE ON TABLE items TO reader") == (
            "0LP01", "invalid privilege type USAGE for table")
        assert sqlstate_of(admin, "GRANT SELECT ON SCHEMA public TO reader") == (
            "0LP01", "invalid privilege type SELECT for schema")
        assert sqlstate_of(admin, "GRANT SELECT ON nosuchtab TO reader") == (
            "42P01", 'relation "nosuchtab" does not exist')
        assert sqlstate_of(admin, "GRANT writer TO reader") == (
            "0LP01", 'role "writer" is a member of role "reader"')
        assert sqlstate_of(admin, "DROP ROLE reader") == (
            "2BP01", 'role "reader" cannot be dropped because some objects depend on it')
    with connect(granted, "writer") as writer:
        # Not the owner and no grant option on other_t: nothing to pass on.
        assert sqlstate_of(writer, "GRANT SELECT ON other_t TO reader") == (
            "42501", "permission denied for table other_t")


def test_grant_and_revoke_are_transactional(granted):
    with connect(granted, "postgres") as admin:
        admin.execute("CREATE TABLE rolled (a int)")
        with admin.transaction(force_rollback=True):
            admin.execute("GRANT SELECT ON rolled TO writer")
            assert admin.execute("SELECT has_table_privilege('writer', 'rolled', 'SELECT')"
                                 ).fetchone() == (True,)
        assert admin.execute("SELECT relacl FROM pg_class WHERE relname = 'rolled'"
                             ).fetchone() == (None,)
    with connect(granted, "writer") as writer:
        assert sqlstate_of(writer, "SELECT * FROM rolled")[0] == "42501"


def test_prepared_statement_rechecked_after_revoke(granted):
    with connect(granted, "postgres") as admin:
        admin.execute("CREATE TABLE revoked_later (a int)")
        admin.execute("INSERT INTO revoked_later VALUES (1)")
        admin.execute("GRANT SELECT ON revoked_later TO writer")
        with connect(granted, "writer") as writer:
            query = "SELECT a FROM revoked_later WHERE a = %s"
            assert writer.execute(query, (1,), prepare=True).fetchall() == [(1,)]
            assert writer.execute(query, (1,), prepare=True).fetchall() == [(1,)]
            admin.execute("REVOKE SELECT ON revoked_later FROM writer")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                writer.execute(query, (1,), prepare=True)


def test_alter_owner(granted):
    with connect(granted, "postgres") as admin:
        admin.execute("CREATE TABLE handed_over (a int)")
        admin.execute("GRANT SELECT ON handed_over TO reader")
        admin.execute("ALTER TABLE handed_over OWNER TO writer")
        assert admin.execute(
            "SELECT relowner::regrole::text, relacl::text FROM pg_class "
            "WHERE relname = 'handed_over'").fetchone() == (
            "writer", "{writer=arwdDxt/writer,reader=r/writer}")
    with connect(granted, "writer") as writer:
        writer.execute("ALTER TABLE handed_over ADD COLUMN b int")
        writer.execute("DROP TABLE handed_over")


def test_embedded_and_trust_users_are_unrestricted(granted):
    # A trust user that is no role acts as a superuser (as role DDL already treats it).
    with connect(granted, "stranger") as stranger:
        assert stranger.execute("SELECT count(*) FROM other_t").fetchone() == (0,)


def test_views_have_their_own_privileges(granted):
    # A view is read with SELECT on the view; its tables are read as the view's owner.
    with connect(granted, "postgres") as admin:
        admin.execute("CREATE VIEW other_view AS SELECT a FROM other_t")
        admin.execute("GRANT SELECT ON other_view TO writer")
        assert admin.execute("SELECT relacl::text FROM pg_class WHERE relname = 'other_view'"
                             ).fetchone() == ("{postgres=arwdDxt/postgres,writer=r/postgres}",)
        assert admin.execute(
            "SELECT has_table_privilege('writer', 'other_view', 'SELECT'), "
            "has_table_privilege('reader', 'other_view', 'SELECT')").fetchone() == (True, False)
        listing = psql(granted, "-c", "\\dp other_view").stdout
        assert listing == (
            '                                   Access privileges\n'
            ' Schema |    Name    | Type |     Access privileges     | Column privileges | Policies \n'
            '--------+------------+------+---------------------------+-------------------+----------\n'
            ' public | other_view | view | postgres=arwdDxt/postgres+|                   | \n'
            '        |            |      | writer=r/postgres         |                   | \n'
            '(1 row)\n\n')
    with connect(granted, "writer") as writer:
        assert writer.execute("SELECT count(*) FROM other_view").fetchone() == (0,)
        assert sqlstate_of(writer, "SELECT * FROM other_t") == (
            "42501", "permission denied for table other_t")
        assert sqlstate_of(writer, "DROP VIEW other_view") == (
            "42501", "must be owner of view other_view")
    with connect(granted, "postgres") as admin:
        admin.execute("CREATE ROLE viewless LOGIN")
    with connect(granted, "viewless") as viewless:
        assert sqlstate_of(viewless, "SELECT * FROM other_view") == (
            "42501", "permission denied for view other_view")
    with connect(granted, "postgres") as admin:
        admin.execute("DROP VIEW other_view")


def test_sequence_functions(granted):
    # writer has USAGE on sq through reader: nextval and currval, not setval (UPDATE).
    with connect(granted, "writer") as writer:
        first = writer.execute("SELECT nextval('sq')").fetchone()[0]
        assert writer.execute("SELECT currval('sq')").fetchone() == (first,)
        assert sqlstate_of(writer, "SELECT setval('sq', 100)") == (
            "42501", "permission denied for sequence sq")
    with connect(granted, "postgres") as admin:
        admin.execute("CREATE ROLE no_usage LOGIN")
    with connect(granted, "no_usage") as outsider:
        assert sqlstate_of(outsider, "SELECT nextval('sq')") == (
            "42501", "permission denied for sequence sq")


def test_create_role_with_memberships(granted):
    with connect(granted, "postgres") as admin:
        admin.execute("CREATE ROLE team")
        admin.execute("CREATE ROLE newcomer LOGIN IN ROLE team")
        admin.execute("CREATE ROLE leads ROLE newcomer ADMIN writer")
        assert admin.execute(
            "SELECT r.rolname, m.rolname, a.admin_option FROM pg_auth_members a "
            "JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member "
            "WHERE r.rolname IN ('team', 'leads') ORDER BY 1, 2").fetchall() == [
            ("leads", "newcomer", False), ("leads", "writer", True),
            ("team", "newcomer", False)]
        assert sqlstate_of(admin, "CREATE ROLE orphan IN ROLE nosuch") == (
            "42704", 'role "nosuch" does not exist')


def test_du_lists_memberships_as_postgresql(granted):
    with connect(granted, "postgres") as admin:
        admin.execute("CREATE ROLE g_a")
        admin.execute("CREATE ROLE g_b")
        admin.execute("CREATE ROLE newcomer2 LOGIN IN ROLE g_b, g_a")
        admin.execute("CREATE ROLE g_c ROLE newcomer2")
    result = psql(granted, "-c", "\\du newcomer2")
    assert result.stdout == (
        '             List of roles\n Role name | Attributes |   Member of   \n'
        '-----------+------------+---------------\n newcomer2 |            | {g_a,g_b,g_c}\n\n')
