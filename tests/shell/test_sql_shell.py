"""`plexus sql` as a user runs it: -c, -f, piped stdin and an interactive terminal; psql's output
formats (expected texts below are psql 15's output for the same statements, except where a
comment says why Plexus differs), error messages and exit codes, and the describe commands."""
import os
import pty
import re
import select
import subprocess
import time

import pytest

PLEXUS = os.environ.get("PLEXUS_BINARY", "build/test/plexus")
TIMEOUT_S = 120


def clean_environment(home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLEXUS_")}
    env["HOME"] = str(home)
    return env


@pytest.fixture
def shell(tmp_path):
    """Runs `plexus sql --data <tmp>` with arguments (and stdin); returns the completed process."""
    def run(*args, stdin="", data=None):
        return subprocess.run([PLEXUS, "sql", "--data", str(data or tmp_path / "data"), *args],
                              input=stdin, capture_output=True, text=True, timeout=TIMEOUT_S,
                              env=clean_environment(tmp_path))
    return run


def commands(*statements):
    args = []
    for statement in statements:
        args += ["-c", statement]
    return args


CREATE_T = ("create table t (id integer primary key, name text not null, price numeric(10,2), "
            "flag boolean, v varchar(5))")
INSERT_T = ("insert into t values (1, 'apple', 1.5, true, 'ab'), (22, 'banana split', null, false, "
            "null), (333, '', 12345.67, null, 'z')")


def test_aligned_output_matches_psql(shell):
    result = shell(*commands(CREATE_T, INSERT_T, "select * from t order by id",
                             "select id, name from t where id < 0",
                             "select count(*), sum(id) from t"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == (
        "CREATE TABLE\n"
        "INSERT 0 3\n"
        " id  |     name     |  price   | flag | v  \n"
        "-----+--------------+----------+------+----\n"
        "   1 | apple        |     1.50 | t    | ab\n"
        "  22 | banana split |          | f    | \n"
        " 333 |              | 12345.67 |      | z\n"
        "(3 rows)\n"
        "\n"
        " id | name \n"
        "----+------\n"
        "(0 rows)\n"
        "\n"
        " count | sum \n"
        "-------+-----\n"
        "     3 | 356\n"
        "(1 row)\n"
        "\n")


def test_multiline_values_and_utf8_widths(shell):
    result = shell("-c", "select 'a\nb' as multi, 'x' as y, 'día' as \"señal\"")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        " multi | y | señal \n"
        "-------+---+-------\n"
        " a    +| x | día\n"
        " b     |   | \n"
        "(1 row)\n"
        "\n")


def test_command_tags_and_returning(shell):
    result = shell(*commands(CREATE_T, INSERT_T, "update t set flag = true where id > 20",
                             "delete from t where id = 333 returning id, name",
                             "insert into t (id, name) values (4, 'x')", "drop table t"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "CREATE TABLE\n"
        "INSERT 0 3\n"
        "UPDATE 2\n"
        " id  | name \n"
        "-----+------\n"
        " 333 | \n"
        "(1 row)\n"
        "\n"
        "DELETE 1\n"
        "INSERT 0 1\n"
        "DROP TABLE\n")


def test_one_command_string_runs_every_statement(shell):
    result = shell("-c", "select 1 as a; select 2 as b")
    assert result.returncode == 0, result.stderr
    assert result.stdout == " a \n---\n 1\n(1 row)\n\n b \n---\n 2\n(1 row)\n\n"


def test_error_stops_and_exits_1(shell):
    result = shell(*commands("select 1 as a", "selec 2", "select 3 as c"))
    assert result.returncode == 1
    assert result.stdout == " a \n---\n 1\n(1 row)\n\n"  # the third command never ran
    assert result.stderr == ('ERROR:  syntax error at or near "selec"\n'
                             "LINE 1: selec 2\n"
                             "        ^\n")


def test_error_position_on_a_later_line(shell):
    result = shell("-c", "select *\n  from nosuch")
    assert result.returncode == 1
    assert result.stderr == ('ERROR:  relation "nosuch" does not exist\n'
                             "LINE 2:   from nosuch\n"
                             "               ^\n")


def test_error_without_position(shell):
    result = shell("-c", "select 1/0")
    assert result.returncode == 1
    assert result.stderr == "ERROR:  division by zero\n"


def test_usage_errors_exit_2(shell, tmp_path):
    result = subprocess.run([PLEXUS, "sql", "--no-such-flag"], capture_output=True, text=True,
                            timeout=TIMEOUT_S, env=clean_environment(tmp_path))
    assert result.returncode == 2
    result = subprocess.run([PLEXUS, "sql", "-c"], capture_output=True, text=True,
                            timeout=TIMEOUT_S, env=clean_environment(tmp_path))
    assert result.returncode == 2


def test_missing_file_exits_1(shell, tmp_path):
    result = shell("-f", str(tmp_path / "missing.sql"))
    assert result.returncode == 1
    assert "missing.sql: No such file or directory" in result.stderr


SCRIPT = """-- a comment; with a semicolon
create table s (id integer primary key,
                body text);
insert into s values (1, 'semi;colon'), (2, $$dollar; 'quoted'$$),
  (3, E'esc\\'aped;'), (4, 'it''s; fine');
/* block; /* nested; */ comment */ select id, body
  from s
  where id in (1, 2, 3, 4) order by id;
select count(*) as n from s
"""

SCRIPT_OUTPUT = (
    "CREATE TABLE\n"
    "INSERT 0 4\n"
    " id |       body       \n"
    "----+------------------\n"
    "  1 | semi;colon\n"
    "  2 | dollar; 'quoted'\n"
    "  3 | esc'aped;\n"
    "  4 | it's; fine\n"
    "(4 rows)\n"
    "\n"
    " n \n"
    "---\n"
    " 4\n"
    "(1 row)\n"
    "\n")


def test_file_script_splits_statements_like_psql(shell, tmp_path):
    script = tmp_path / "script.sql"
    script.write_text(SCRIPT)
    result = shell("-f", str(script))
    assert result.returncode == 0, result.stderr
    assert result.stdout == SCRIPT_OUTPUT


def test_piped_stdin_is_a_script(shell):
    result = shell(stdin=SCRIPT)
    assert result.returncode == 0, result.stderr
    assert result.stdout == SCRIPT_OUTPUT


def test_file_error_names_file_and_line_and_stops(shell, tmp_path):
    script = tmp_path / "bad.sql"
    script.write_text("select 1 as a;\n\nselect *\n  from nosuch;\nselect 2 as b;\n")
    result = shell("-f", str(script))
    assert result.returncode == 1
    assert result.stdout == " a \n---\n 1\n(1 row)\n\n"
    # psql prefixes "psql:FILE:LINE: " (the line that ended the statement).
    assert result.stderr == (f'plexus:{script}:4: ERROR:  relation "nosuch" does not exist\n'
                             "LINE 2:   from nosuch;\n"
                             "               ^\n")


def test_piped_stdin_error_exits_1(shell):
    result = shell(stdin="select 1 as a;\nselect 1/0;\nselect 2 as b;\n")
    assert result.returncode == 1
    assert result.stdout == " a \n---\n 1\n(1 row)\n\n"
    assert result.stderr == "ERROR:  division by zero\n"


def test_transactions_span_commands_and_data_persists(shell):
    result = shell(*commands("create table k (a integer)", "begin", "insert into k values (1)",
                             "rollback", "begin", "insert into k values (2)", "commit"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("CREATE TABLE\nBEGIN\nINSERT 0 1\nROLLBACK\nBEGIN\nINSERT 0 1\n"
                             "COMMIT\n")
    result = shell("-c", "select a from k")
    assert result.stdout == " a \n---\n 2\n(1 row)\n\n"


DESCRIBE_SCHEMA = [
    "create table parent (id integer primary key, code varchar(8) not null, note text)",
    "create unique index parent_code on parent (code desc)",
    "create index parent_note_idx on parent (note, id)",
    "create table child (pid integer references parent (id) on delete cascade, "
    "qty bigint check (qty > 0), weight double precision)",
]


def test_list_relations(shell):
    assert shell(*commands(*DESCRIBE_SCHEMA)).returncode == 0
    result = shell(*commands("\\d", "\\dt", "\\dt child"))
    assert result.returncode == 0, result.stderr
    # psql's Owner is the creating role; Plexus has no roles yet, so every owner is "plexus".
    relations = ("        List of relations\n"
                 " Schema |  Name  | Type  | Owner  \n"
                 "--------+--------+-------+--------\n"
                 " public | child  | table | plexus\n"
                 " public | parent | table | plexus\n"
                 "(2 rows)\n"
                 "\n")
    assert result.stdout == relations + relations + (
        "        List of relations\n"
        " Schema | Name  | Type  | Owner  \n"
        "--------+-------+-------+--------\n"
        " public | child | table | plexus\n"
        "(1 row)\n"
        "\n")


def test_describe_table(shell):
    assert shell(*commands(*DESCRIBE_SCHEMA)).returncode == 0
    result = shell(*commands("\\d parent", "\\d CHILD"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "                     Table \"public.parent\"\n"
        " Column |         Type         | Collation | Nullable | Default \n"
        "--------+----------------------+-----------+----------+---------\n"
        " id     | integer              |           | not null | \n"
        " code   | character varying(8) |           | not null | \n"
        " note   | text                 |           |          | \n"
        "Indexes:\n"
        "    \"parent_pkey\" PRIMARY KEY, btree (id)\n"
        "    \"parent_code\" UNIQUE, btree (code DESC)\n"
        "    \"parent_note_idx\" btree (note, id)\n"
        "Referenced by:\n"
        "    TABLE \"child\" CONSTRAINT \"child_pid_fkey\" FOREIGN KEY (pid) REFERENCES parent(id)"
        " ON DELETE CASCADE\n"
        "\n"
        "                    Table \"public.child\"\n"
        " Column |       Type       | Collation | Nullable | Default \n"
        "--------+------------------+-----------+----------+---------\n"
        " pid    | integer          |           |          | \n"
        " qty    | bigint           |           |          | \n"
        " weight | double precision |           |          | \n"
        "Check constraints:\n"
        "    \"child_qty_check\" CHECK (qty > 0)\n"
        "Foreign-key constraints:\n"
        "    \"child_pid_fkey\" FOREIGN KEY (pid) REFERENCES parent(id) ON DELETE CASCADE\n"
        "\n")


def test_describe_view_and_schema_qualified_names(shell):
    result = shell(*commands("create schema sc", "create table sc.q (a integer, b text default 'x')",
                             "create view v as select 1 as one, 'two'::text as two",
                             "\\d sc.q", "\\d v"))
    assert result.returncode == 0, result.stderr
    tail = result.stdout.split("CREATE VIEW\n", 1)[1]
    q_table, v_table = tail.split("\n\n")[:2]
    assert q_table.splitlines()[0].strip() == 'Table "sc.q"'
    assert q_table.splitlines()[3].startswith(" a      | integer |")
    assert v_table.splitlines()[0] == '                  View "public.v"'
    assert v_table.splitlines()[3] == " one    | integer |           |          | "
    assert v_table.splitlines()[4] == " two    | text    |           |          | "


def test_describe_errors(shell):
    result = shell("-c", "\\d")
    assert result.returncode == 0  # an empty database is no error in psql either
    assert result.stderr == "Did not find any relations.\n"
    result = shell("-c", "\\d nosuch")
    assert result.returncode == 1
    assert result.stderr == 'Did not find any relation named "nosuch".\n'
    result = shell("-c", "\\frobnicate")
    assert result.returncode == 1
    assert result.stderr == "invalid command \\frobnicate\n"


def test_expanded_output(shell):
    result = shell(*commands(CREATE_T, INSERT_T, "\\x", "select * from t order by id limit 2",
                             "select 1 as abcdefghijklmnopqrstu, 2 as b", "select 1 as a where false",
                             "\\x off", "select 1 as a"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("INSERT 0 3\n", 1)[1] == (
        "Expanded display is on.\n"
        "-[ RECORD 1 ]-------\n"
        "id    | 1\n"
        "name  | apple\n"
        "price | 1.50\n"
        "flag  | t\n"
        "v     | ab\n"
        "-[ RECORD 2 ]-------\n"
        "id    | 22\n"
        "name  | banana split\n"
        "price | \n"
        "flag  | f\n"
        "v     | \n"
        "\n"
        "-[ RECORD 1 ]---------+--\n"
        "abcdefghijklmnopqrstu | 1\n"
        "b                     | 2\n"
        "\n"
        "(0 rows)\n"
        "\n"
        "Expanded display is off.\n"
        " a \n---\n 1\n(1 row)\n\n")


def test_timing(shell):
    result = shell(*commands("\\timing", "select 1 as a", "\\timing off", "select 2 as b"))
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"Timing is on\.\n a \n---\n 1\n\(1 row\)\n\nTime: \d+\.\d{3} ms\n"
                        r"Timing is off\.\n b \n---\n 2\n\(1 row\)\n\n", result.stdout), result.stdout


def test_quit_stops_a_script(shell):
    result = shell(stdin="select 1 as a;\n\\q\nselect 2 as b;\n")
    assert result.returncode == 0
    assert result.stdout == " a \n---\n 1\n(1 row)\n\n"


def read_until(fd, pattern, buffer):
    """Reads the terminal until `pattern` (a regex) matches what was read since `buffer`."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        match = re.search(pattern, buffer[0])
        if match:
            seen, buffer[0] = buffer[0][:match.end()], buffer[0][match.end():]
            return seen
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            buffer[0] += chunk.decode(errors="replace")
    pytest.fail(f"never saw {pattern!r}; got {buffer[0]!r}")


def test_interactive_terminal_prompts_and_history(tmp_path):
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(PLEXUS, [PLEXUS, "sql", "--data", str(tmp_path / "data")],
                  clean_environment(tmp_path))
    buffer = [""]
    try:
        read_until(fd, r"plexus=> ", buffer)
        os.write(fd, b"select 1\n")
        read_until(fd, r"plexus-> ", buffer)  # continuation until the semicolon
        os.write(fd, b"  as one;\n")
        assert "(1 row)" in read_until(fd, r"plexus=> ", buffer)
        os.write(fd, b"select 'open\n")
        read_until(fd, r"plexus'> ", buffer)  # inside a quoted string
        os.write(fd, b"';\n")
        read_until(fd, r"plexus=> ", buffer)
        os.write(fd, b"begin;\n")
        read_until(fd, r"plexus=\*> ", buffer)  # in a transaction, as psql's %x
        os.write(fd, b"select 1/0;\n")
        assert "ERROR:  division by zero" in read_until(fd, r"plexus=!> ", buffer)
        os.write(fd, b"rollback;\n")
        read_until(fd, r"plexus=> ", buffer)
        os.write(fd, b"\\q\n")
        _, status = os.waitpid(pid, 0)
        pid = 0
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        if pid:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        os.close(fd)
    history = (tmp_path / ".plexus_history").read_text()
    assert "select 1\n  as one;" in history
    assert "rollback;" in history
