"""GET /metrics of a live server: valid Prometheus text (promtool check metrics) and the series
each layer registers, moving as the server works."""
import re
import shutil
import subprocess
import urllib.request

import pytest
import redis

PROMTOOL = shutil.which("promtool") or "/usr/bin/promtool"


def scrape(server):
    with urllib.request.urlopen(server.url + "/metrics", timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        return response.read().decode()


def value(text, series):
    """The value of one series (name plus its labels as exported), or None when missing."""
    match = re.search("^" + re.escape(series) + r" (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else None


def test_metrics_pass_promtool(server):
    with server.connect() as conn:
        conn.execute("SELECT 1")
    server.redis().set("promtool", "1")
    text = scrape(server)
    result = subprocess.run([PROMTOOL, "check", "metrics"], input=text, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr + "\n" + text


def test_metrics_move_with_the_work_done(server):
    before = scrape(server)
    with server.connect() as conn:
        conn.execute("CREATE TABLE metrics_probe (id int PRIMARY KEY)")
        for i in range(3):
            conn.execute("INSERT INTO metrics_probe VALUES (%s)", (i,))
        conn.execute("SELECT count(*) FROM metrics_probe").fetchone()
        with pytest.raises(Exception):
            conn.execute("INSERT INTO metrics_probe VALUES (1)")  # unique violation: aborted
        during = scrape(server)
    client = server.redis()
    for i in range(5):
        client.set(f"metrics:{i}", i)
    client.get("metrics:0")
    with pytest.raises(redis.ResponseError):
        client.execute_command("NOSUCHCOMMAND")
    after = scrape(server)

    def delta(series, start=before, end=after):
        return (value(end, series) or 0) - (value(start, series) or 0)

    assert delta('plexus_pg_statements_total{command="INSERT"}') == 3
    assert delta('plexus_pg_statements_total{command="SELECT"}') >= 1
    assert delta('plexus_pg_statements_total{command="CREATE"}') == 1
    assert delta("plexus_pg_statement_duration_seconds_count") >= 5
    assert delta("plexus_pg_errors_total") == 1  # the unique violation
    assert delta('plexus_resp_commands_total{command="set"}') == 5
    assert delta('plexus_resp_commands_total{command="get"}') == 1
    assert delta('plexus_resp_commands_total{command="unknown"}') == 1
    assert delta("plexus_resp_command_duration_seconds_count") >= 7
    assert delta("plexus_transactions_committed_total") >= 5
    assert delta("plexus_transactions_aborted_total") >= 1
    # The pgwire connection was open during the middle scrape and closed by the last one.
    assert value(during, 'plexus_connections{protocol="pgwire"}') >= 1
    assert delta('plexus_connections_accepted_total{protocol="pgwire"}') >= 1
    assert value(after, 'plexus_connections{protocol="resp"}') >= 1
    assert value(after, 'plexus_connections_rejected_total{protocol="resp"}') == 0
    for series in ("plexus_rocksdb_memtable_bytes", "plexus_rocksdb_block_cache_hits_total",
                   "plexus_rocksdb_block_cache_misses_total",
                   "plexus_rocksdb_compaction_read_bytes_total",
                   "plexus_rocksdb_write_stall_seconds_total", "plexus_wal_syncs_total",
                   "process_cpu_seconds_total", "process_open_fds"):
        assert value(after, series) is not None, series
    assert value(after, "plexus_rocksdb_memtable_bytes") > 0
    assert value(after, "process_resident_memory_bytes") > 1_000_000
