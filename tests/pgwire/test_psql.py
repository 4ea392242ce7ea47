"""psql against plexus: -c commands, scripts from stdin, errors and their exit status."""


def test_psql_command(server):
    result = server.psql("-A", "-t", "-c", "SELECT 1 + 1 AS two")
    assert result.stdout.strip() == "2"


def test_psql_script_with_expected_output(server, table_name):
    script = (f"CREATE TABLE {table_name} (id int PRIMARY KEY, name text);\n"
              f"INSERT INTO {table_name} VALUES (1, 'one'), (2, 'two');\n"
              f"SELECT * FROM {table_name} ORDER BY id;\n")
    result = server.psql("-v", "ON_ERROR_STOP=1", input=script)
    assert result.stdout == ("CREATE TABLE\nINSERT 0 2\n"
                             " id | name \n----+------\n  1 | one\n  2 | two\n(2 rows)\n\n")


def test_psql_error_sets_exit_status(server):
    result = server.psql("-v", "ON_ERROR_STOP=1", "-c", "SELECT 1/0", check=False)
    assert result.returncode != 0
    assert "ERROR:  division by zero" in result.stderr


def test_psql_transaction_block(server, table_name):
    script = (f"CREATE TABLE {table_name} (a int);\nBEGIN;\nINSERT INTO {table_name} VALUES (1);\n"
              f"ROLLBACK;\nSELECT count(*) FROM {table_name};\n")
    result = server.psql("-A", "-t", input=script)
    assert result.stdout.splitlines()[-1] == "0"
