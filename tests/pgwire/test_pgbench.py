"""pgbench 15 against plexus: client-side data generation (COPY FROM STDIN) and short runs of
the select-only script in every query mode and of the TPC-B-like script."""
import os
import re
import subprocess

import pytest

PGBENCH = "/usr/lib/postgresql/15/bin/pgbench"

pytestmark = pytest.mark.skipif(not os.path.exists(PGBENCH), reason="pgbench 15 not installed")


def pgbench(server, *args):
    result = subprocess.run([PGBENCH, "-h", "127.0.0.1", "-p", str(server.port), "-U", "tester",
                             *args, "plexus"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def initialized(server):
    # d: drop, t: create tables, g: generate data client-side (COPY FROM STDIN). Primary keys
    # (p) and VACUUM (v) are left out until ALTER TABLE ... ADD PRIMARY KEY exists.
    output = pgbench(server, "-i", "-I", "dtg", "-s", "1")
    assert "100000 of 100000 tuples (100%) done" in output
    return server


def test_initialization_loaded_every_row(initialized):
    with initialized.connect() as connection:
        counts = connection.execute(
            "SELECT (SELECT count(*) FROM pgbench_accounts), (SELECT count(*) FROM"
            " pgbench_branches), (SELECT count(*) FROM pgbench_tellers),"
            " (SELECT sum(abalance) FROM pgbench_accounts)").fetchone()
        assert counts == (100000, 1, 10, 0)


@pytest.mark.parametrize("mode", ["simple", "extended", "prepared"])
def test_select_only_in_every_mode(initialized, mode):
    output = pgbench(initialized, "-n", "-S", "-M", mode, "-c", "2", "-t", "10")
    assert re.search(r"number of transactions actually processed: 20/20", output), output
    assert "number of failed transactions: 0" in output


def test_tpcb_like_single_client(initialized):
    output = pgbench(initialized, "-n", "-M", "prepared", "-c", "1", "-t", "10")
    assert "number of transactions actually processed: 10/10" in output, output
    with initialized.connect() as connection:
        assert connection.execute("SELECT count(*) FROM pgbench_history").fetchone() == (10,)
