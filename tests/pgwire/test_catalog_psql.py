"""psql 15's describe commands against plexus: each output is what PostgreSQL 15 prints for the
same schema (recorded from a real PostgreSQL 15.18 with psql -X, user postgres: objects belong to the bootstrap superuser,
which plexus names postgres too)."""
import subprocess

import pytest

from conftest import Server
from plexus_process import clean_environment

SCHEMA = """\
CREATE TABLE authors (id serial PRIMARY KEY, name varchar(100) NOT NULL UNIQUE, born date, rating numeric(4,2) DEFAULT 1.5 CHECK (rating >= 0.0));
CREATE TABLE books (id bigint PRIMARY KEY, author_id int REFERENCES authors(id) ON DELETE CASCADE, title text NOT NULL, tags text[], data jsonb, created timestamptz DEFAULT now());
CREATE INDEX books_title_idx ON books (title);
CREATE UNIQUE INDEX books_author_title ON books (author_id, title DESC);
CREATE VIEW author_names AS SELECT name FROM authors;
CREATE SEQUENCE myseq;
CREATE SCHEMA other;
CREATE TABLE other.t (a int);
"""

# (psql -c argument, expected stdout)
EXPECTED = [
    ('\\dt',
     '          List of relations\n Schema |  Name   | Type  |  Owner   \n--------+---------+-------+----------\n public | authors | table | postgres\n public | books   | table | postgres\n(2 rows)\n\n'),
    ('\\d',
     '               List of relations\n Schema |      Name      |   Type   |  Owner   \n--------+----------------+----------+----------\n public | author_names   | view     | postgres\n public | authors        | table    | postgres\n public | authors_id_seq | sequence | postgres\n public | books          | table    | postgres\n public | myseq          | sequence | postgres\n(5 rows)\n\n'),
    ('\\d books',
     '                         Table "public.books"\n  Column   |           Type           | Collation | Nullable | Default \n-----------+--------------------------+-----------+----------+---------\n id        | bigint                   |           | not null | \n author_id | integer                  |           |          | \n title     | text                     |           | not null | \n tags      | text[]                   |           |          | \n data      | jsonb                    |           |          | \n created   | timestamp with time zone |           |          | now()\nIndexes:\n    "books_pkey" PRIMARY KEY, btree (id)\n    "books_author_title" UNIQUE, btree (author_id, title DESC)\n    "books_title_idx" btree (title)\nForeign-key constraints:\n    "books_author_id_fkey" FOREIGN KEY (author_id) REFERENCES authors(id) ON DELETE CASCADE\n\n'),
    ('\\d authors',
     '                                    Table "public.authors"\n Column |          Type          | Collation | Nullable |               Default               \n--------+------------------------+-----------+----------+-------------------------------------\n id     | integer                |           | not null | nextval(\'authors_id_seq\'::regclass)\n name   | character varying(100) |           | not null | \n born   | date                   |           |          | \n rating | numeric(4,2)           |           |          | 1.5\nIndexes:\n    "authors_pkey" PRIMARY KEY, btree (id)\n    "authors_name_key" UNIQUE CONSTRAINT, btree (name)\nCheck constraints:\n    "authors_rating_check" CHECK (rating >= 0.0)\nReferenced by:\n    TABLE "books" CONSTRAINT "books_author_id_fkey" FOREIGN KEY (author_id) REFERENCES authors(id) ON DELETE CASCADE\n\n'),
    ('\\di',
     '                    List of relations\n Schema |        Name        | Type  |  Owner   |  Table  \n--------+--------------------+-------+----------+---------\n public | authors_name_key   | index | postgres | authors\n public | authors_pkey       | index | postgres | authors\n public | books_author_title | index | postgres | books\n public | books_pkey         | index | postgres | books\n public | books_title_idx    | index | postgres | books\n(5 rows)\n\n'),
    ('\\dn',
     '      List of schemas\n  Name  |       Owner       \n--------+-------------------\n other  | postgres\n public | pg_database_owner\n(2 rows)\n\n'),
    ('\\du',
     '                                   List of roles\n Role name |                         Attributes                         | Member of \n-----------+------------------------------------------------------------+-----------\n postgres  | Superuser, Create role, Create DB, Replication, Bypass RLS | {}\n\n'),
    ('\\ds',
     '               List of relations\n Schema |      Name      |   Type   |  Owner   \n--------+----------------+----------+----------\n public | authors_id_seq | sequence | postgres\n public | myseq          | sequence | postgres\n(2 rows)\n\n'),
    ('\\dv',
     '            List of relations\n Schema |     Name     | Type |  Owner   \n--------+--------------+------+----------\n public | author_names | view | postgres\n(1 row)\n\n'),
    ('\\d author_names',
     '                    View "public.author_names"\n Column |          Type          | Collation | Nullable | Default \n--------+------------------------+-----------+----------+---------\n name   | character varying(100) |           |          | \n\n'),
    ('\\d myseq',
     '                           Sequence "public.myseq"\n  Type  | Start | Minimum |       Maximum       | Increment | Cycles? | Cache \n--------+-------+---------+---------------------+-----------+---------+-------\n bigint |     1 |       1 | 9223372036854775807 |         1 | no      |     1\n\n'),
    ('\\d authors_id_seq',
     '                   Sequence "public.authors_id_seq"\n  Type   | Start | Minimum |  Maximum   | Increment | Cycles? | Cache \n---------+-------+---------+------------+-----------+---------+-------\n integer |     1 |       1 | 2147483647 |         1 | no      |     1\nOwned by: public.authors.id\n\n'),
    ('\\d other.t',
     '                  Table "other.t"\n Column |  Type   | Collation | Nullable | Default \n--------+---------+-----------+----------+---------\n a      | integer |           |          | \n\n'),
    ('\\dt other.*',
     '        List of relations\n Schema | Name | Type  |  Owner   \n--------+------+-------+----------\n other  | t    | table | postgres\n(1 row)\n\n'),
    ("\\x \\\\ SELECT relname, relkind FROM pg_class WHERE relname = 'books'",
     'Expanded display is on.\n'),
    ('\\d books_pkey',
     '      Index "public.books_pkey"\n Column |  Type  | Key? | Definition \n--------+--------+------+------------\n id     | bigint | yes  | id\nprimary key, btree, for table "public.books"\n\n'),
    ('\\d books_author_title',
     '    Index "public.books_author_title"\n  Column   |  Type   | Key? | Definition \n-----------+---------+------+------------\n author_id | integer | yes  | author_id\n title     | text    | yes  | title\nunique, btree, for table "public.books"\n\n'),
    ('\\d+ books',
     '                                                    Table "public.books"\n  Column   |           Type           | Collation | Nullable | Default | Storage  | Compression | Stats target | Description \n-----------+--------------------------+-----------+----------+---------+----------+-------------+--------------+-------------\n id        | bigint                   |           | not null |         | plain    |             |              | \n author_id | integer                  |           |          |         | plain    |             |              | \n title     | text                     |           | not null |         | extended |             |              | \n tags      | text[]                   |           |          |         | extended |             |              | \n data      | jsonb                    |           |          |         | extended |             |              | \n created   | timestamp with time zone |           |          | now()   | plain    |             |              | \nIndexes:\n    "books_pkey" PRIMARY KEY, btree (id)\n    "books_author_title" UNIQUE, btree (author_id, title DESC)\n    "books_title_idx" btree (title)\nForeign-key constraints:\n    "books_author_id_fkey" FOREIGN KEY (author_id) REFERENCES authors(id) ON DELETE CASCADE\nAccess method: heap\n\n'),
    ('\\d+ authors',
     '                                                               Table "public.authors"\n Column |          Type          | Collation | Nullable |               Default               | Storage  | Compression | Stats target | Description \n--------+------------------------+-----------+----------+-------------------------------------+----------+-------------+--------------+-------------\n id     | integer                |           | not null | nextval(\'authors_id_seq\'::regclass) | plain    |             |              | \n name   | character varying(100) |           | not null |                                     | extended |             |              | \n born   | date                   |           |          |                                     | plain    |             |              | \n rating | numeric(4,2)           |           |          | 1.5                                 | main     |             |              | \nIndexes:\n    "authors_pkey" PRIMARY KEY, btree (id)\n    "authors_name_key" UNIQUE CONSTRAINT, btree (name)\nCheck constraints:\n    "authors_rating_check" CHECK (rating >= 0.0)\nReferenced by:\n    TABLE "books" CONSTRAINT "books_author_id_fkey" FOREIGN KEY (author_id) REFERENCES authors(id) ON DELETE CASCADE\nAccess method: heap\n\n'),
    ('\\dn+',
     '                                       List of schemas\n  Name  |       Owner       |           Access privileges            |      Description       \n--------+-------------------+----------------------------------------+------------------------\n other  | postgres          |                                        | \n public | pg_database_owner | pg_database_owner=UC/pg_database_owner+| standard public schema\n        |                   | =U/pg_database_owner                   | \n(2 rows)\n\n'),
]


def psql(server, *args, input=None, check=True):
    """psql as the bootstrap superuser postgres (the owner PostgreSQL shows for every object)."""
    env = clean_environment()
    env["PGCONNECT_TIMEOUT"] = "10"
    result = subprocess.run(["psql", "-X", "-h", "127.0.0.1", "-p", str(server.port), "-U",
                             "postgres", "-d", "postgres", *args],
                            input=input, capture_output=True, text=True, env=env, timeout=60)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def described(tmp_path_factory):
    """A server of its own, so that the listings hold only this schema."""
    server = Server(tmp_path_factory.mktemp("catalog-psql")).start()
    psql(server, "-v", "ON_ERROR_STOP=1", "-q", input=SCHEMA)
    yield server
    assert server.stop() == 0, "".join(server.output)


@pytest.mark.parametrize("command,expected", EXPECTED, ids=[c for c, _ in EXPECTED])
def test_describe_matches_postgresql(described, command, expected):
    result = psql(described, "-c", command)
    assert result.stderr == ""
    assert result.stdout == expected


def test_l_lists_databases(described):
    result = psql(described, "-c", "\\l")
    assert "List of databases" in result.stdout
    assert "UTF8" in result.stdout


def test_describe_system_relation_and_plus_forms(described):
    # Verbose forms and catalog relations run their (larger) queries without errors.
    for command in ["\\d pg_class", "\\dt+", "\\d+ books", "\\dv+", "\\dn+", "\\dS pg_type",
                    "\\df", "\\dT", "\\x on \\\\ \\d books"]:
        result = psql(described, "-c", command, check=False)
        assert result.returncode == 0, (command, result.stderr)
        assert "ERROR" not in result.stderr, (command, result.stderr)


def test_describe_missing_relation(described):
    result = psql(described, "-c", "\\d no_such_table", check=False)
    assert "Did not find any relation named \"no_such_table\"." in result.stderr


def test_timing_and_expanded_output(described):
    result = psql(described, "-c", "\\timing on", "-c", "\\x on", "-c",
                            "SELECT relname, relkind FROM pg_class WHERE relname = 'books'")
    assert "-[ RECORD 1 ]" in result.stdout
    assert "relname | books" in result.stdout
    assert "relkind | r" in result.stdout
    assert "Time: " in result.stdout


# The queries psql 15's tab completion sent to PostgreSQL 15 for "SELECT * FROM <tab>",
# "\\d <tab>", "SET <tab>", "INSERT INTO books (<tab>", ... (captured with log_statement=all).
TAB_COMPLETION = [
    "SELECT c.relname, n.nspname FROM pg_catalog.pg_class c, pg_catalog.pg_namespace n WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'S', 'v', 'm', 'f', 'p') AND (c.relname) LIKE 'pg\\_cl%' AND n.nspname = 'pg_catalog'\n\tLIMIT 1000",
    "SELECT c.relname, NULL::pg_catalog.text FROM pg_catalog.pg_class c WHERE c.relkind IN ('r', 'p', 'm') AND (c.relname) LIKE '%' AND pg_catalog.pg_table_is_visible(c.oid) AND c.relnamespace <> (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'pg_catalog')\n\tUNION ALL\n\tSELECT NULL::pg_catalog.text, n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname LIKE '%' AND n.nspname NOT LIKE E'pg\\\\_%'\n\tLIMIT 1000",
    "SELECT c.relname, NULL::pg_catalog.text FROM pg_catalog.pg_class c WHERE c.relkind IN ('r', 'S', 'v', 'm', 'f', 'p') AND (c.relname) LIKE '%' AND pg_catalog.pg_table_is_visible(c.oid) AND c.relnamespace <> (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'pg_catalog')\n\tUNION ALL\n\tSELECT NULL::pg_catalog.text, n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname LIKE '%' AND n.nspname NOT LIKE E'pg\\\\_%'\n\tLIMIT 1000",
    "SELECT c.relname, NULL::pg_catalog.text FROM pg_catalog.pg_class c WHERE (c.relname) LIKE '%' AND pg_catalog.pg_table_is_visible(c.oid) AND c.relnamespace <> (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'pg_catalog')\n\tUNION ALL\n\tSELECT NULL::pg_catalog.text, n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname LIKE '%' AND n.nspname NOT LIKE E'pg\\\\_%'\n\tLIMIT 1000",
    "SELECT datname FROM pg_catalog.pg_database  WHERE datname LIKE '%'\n\tLIMIT 1000",
    "SELECT nspname FROM pg_catalog.pg_namespace  WHERE nspname LIKE '%'\n\tLIMIT 1000",
    "SELECT c.relname, n.nspname FROM pg_catalog.pg_class c, pg_catalog.pg_namespace n WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'S', 'v', 'm', 'f', 'p') AND (c.relname) LIKE '%' AND n.nspname = 'other'\n\tLIMIT 1000",
    "SELECT a.attname, NULL::pg_catalog.text FROM pg_catalog.pg_attribute a, pg_catalog.pg_class c WHERE c.oid = a.attrelid and a.attnum > 0 and not a.attisdropped AND (a.attname) LIKE '%' AND c.relname = 'authors' AND pg_catalog.pg_table_is_visible(c.oid)\n\tLIMIT 1000",
    "SELECT c.relname, NULL::pg_catalog.text FROM pg_catalog.pg_class c WHERE c.relkind IN ('r', 'S', 'v', 'm', 'f', 'p') AND (c.relname) LIKE 'bo%' AND pg_catalog.pg_table_is_visible(c.oid) AND c.relnamespace <> (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'pg_catalog')\n\tUNION ALL\n\tSELECT NULL::pg_catalog.text, n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname LIKE 'bo%' AND n.nspname NOT LIKE E'pg\\\\_%'\n\tLIMIT 1000",
    "SELECT pg_catalog.lower(name) FROM pg_catalog.pg_settings  WHERE context IN ('user', 'superuser')    AND pg_catalog.lower(name) LIKE pg_catalog.lower('%')\n\tLIMIT 1000",
    "SELECT a.attname, NULL::pg_catalog.text FROM pg_catalog.pg_attribute a, pg_catalog.pg_class c WHERE c.oid = a.attrelid and a.attnum > 0 and not a.attisdropped AND (a.attname) LIKE '%' AND c.relname = 'books' AND pg_catalog.pg_table_is_visible(c.oid)\n\tLIMIT 1000",
]


@pytest.mark.parametrize("query", TAB_COMPLETION)
def test_tab_completion_queries_run(described, query):
    result = psql(described, "-A", "-t", "-c", query, check=False)
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_tab_completion_lists_tables_and_columns(described):
    tables = psql(described, "-A", "-t", "-c", TAB_COMPLETION[2]).stdout.split("\n")
    assert "authors|" in tables and "books|" in tables and "|other" in tables
    columns = [q for q in TAB_COMPLETION if "c.relname = 'books'" in q][0]
    assert psql(described, "-A", "-t", "-c", columns).stdout.split() == [
        "id|", "author_id|", "title|", "tags|", "data|", "created|"]


def test_du_lists_created_roles(described):
    psql(described, "-c", "CREATE ROLE catalog_reader LOGIN")
    result = psql(described, "-c", "\\du catalog_reader")
    assert " catalog_reader | " in result.stdout
    psql(described, "-c", "DROP ROLE catalog_reader")
