"""`plexus serve` and `plexus version` as a user runs them: start, ready, clean shutdown on
SIGINT/SIGTERM, a locked data directory, configuration precedence and errors."""
import os
import signal
import subprocess
import time

import pytest

PLEXUS = os.environ.get("PLEXUS_BINARY", "build/test/plexus")
READY_TIMEOUT_S = 60


def clean_environment():
    return {k: v for k, v in os.environ.items() if not k.startswith("PLEXUS_")}


def start_serve(data_dir, *flags, env=None):
    # resp.port=0, pg.port=0, http.port=0: no listener on a fixed port, so parallel test runs
    # never collide.
    return subprocess.Popen([PLEXUS, "serve", "--data", str(data_dir), "--set", "resp.port=0",
                             "--set", "pg.port=0", "--set", "http.port=0", *flags],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env or clean_environment())


def wait_for_line(process, text):
    """Reads the process's output until a line contains `text`; returns the lines read."""
    lines = []
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if text in line:
            return lines
    process.kill()
    pytest.fail(f"never saw {text!r}; output:\n{''.join(lines)}")


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_serve_runs_until_signal_and_exits_cleanly(tmp_path, signal_number):
    data_dir = tmp_path / "data"
    process = start_serve(data_dir)
    wait_for_line(process, "plexus ready")
    assert (data_dir / "PLEXUS_MANIFEST").exists()
    process.send_signal(signal_number)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    assert "shutdown complete" in output


def test_second_server_on_same_directory_fails_clearly(tmp_path):
    first = start_serve(tmp_path)
    try:
        wait_for_line(first, "plexus ready")
        second = subprocess.run([PLEXUS, "serve", "--data", str(tmp_path)], capture_output=True,
                                text=True, timeout=60, env=clean_environment())
        assert second.returncode == 1
        assert "in use by another process" in second.stderr
        assert f"pid {first.pid}" in second.stderr
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=60)
    assert first.returncode == 0


def test_restart_after_kill_9_reopens(tmp_path):
    process = start_serve(tmp_path)
    wait_for_line(process, "plexus ready")
    process.kill()
    process.communicate()
    process = start_serve(tmp_path)
    wait_for_line(process, "plexus ready")
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    assert process.returncode == 0


def print_config(*flags, env=None):
    return subprocess.run([PLEXUS, "serve", "--print-config", *flags], capture_output=True,
                          text=True, timeout=60, env=env or clean_environment())


def test_config_precedence_file_then_environment_then_flags(tmp_path):
    config_file = tmp_path / "plexus.toml"
    config_file.write_text('data_dir = "/from/file"\n'
                           '[storage]\ndurability = "periodic"\nbackground_jobs = 3\n'
                           '[txn]\nlock_timeout_ms = 7\n')
    env = clean_environment()
    env["PLEXUS_STORAGE_DURABILITY"] = "off"
    env["PLEXUS_STORAGE_BACKGROUND_JOBS"] = "5"
    result = print_config("--config", str(config_file), "--set", "storage.background_jobs=6",
                          "--data", "/from/flag", env=env)
    assert result.returncode == 0, result.stderr
    assert 'data_dir = "/from/flag"' in result.stdout  # flag over file
    assert 'durability = "off"' in result.stdout  # environment over file
    assert "background_jobs = 6" in result.stdout  # flag over environment over file
    assert "lock_timeout_ms = 7" in result.stdout  # file over default


def test_config_file_from_environment(tmp_path):
    config_file = tmp_path / "plexus.toml"
    config_file.write_text("[log]\nlevel = \"debug\"\n")
    env = clean_environment()
    env["PLEXUS_CONFIG"] = str(config_file)
    result = print_config(env=env)
    assert result.returncode == 0, result.stderr
    assert 'level = "debug"' in result.stdout


@pytest.mark.parametrize("toml, key", [
    ("[storage]\ndurabilty = \"sync\"\n", "storage.durabilty"),
    ("[storage]\nbackground_jobs = \"many\"\n", "storage.background_jobs"),
    ("[storage]\nperiodic_sync_ms = 0\n", "storage.periodic_sync_ms"),
    ("[network]\nport = 1\n", "network"),
])
def test_bad_config_file_names_the_key(tmp_path, toml, key):
    config_file = tmp_path / "bad.toml"
    config_file.write_text(toml)
    result = print_config("--config", str(config_file))
    assert result.returncode == 2
    assert key in result.stderr
    assert str(config_file) in result.stderr


def test_unknown_environment_setting_is_an_error():
    env = clean_environment()
    env["PLEXUS_STORAGE_DURABILTY"] = "off"
    result = print_config(env=env)
    assert result.returncode == 2
    assert "PLEXUS_STORAGE_DURABILTY" in result.stderr


def test_bad_flag_value_is_an_error():
    result = print_config("--durability", "fast")
    assert result.returncode == 2
    assert "storage.durability" in result.stderr


def test_version_and_help():
    version = subprocess.run([PLEXUS, "version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0
    assert version.stdout.startswith("plexus ")
    assert "RocksDB" in version.stdout
    for args in (["--help"], ["serve", "--help"], ["version", "--help"]):
        result = subprocess.run([PLEXUS, *args], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, args
        assert "Usage" in result.stdout
