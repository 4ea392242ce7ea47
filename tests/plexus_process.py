"""What the pytest suites that start a server share: free ports, an environment without PLEXUS_*
variables, and a server process whose output is kept, waited on and stopped."""
import os
import signal
import socket
import subprocess
import time

import pytest

READY_TIMEOUT_S = 60


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_environment():
    return {k: v for k, v in os.environ.items() if not k.startswith("PLEXUS_")}


class ServerProcess:
    """A server subprocess (stdout and stderr merged); `output` keeps every line it printed."""

    def __init__(self):
        self.process = None
        self.output = []

    def wait_for(self, text):
        """Reads the output until a line holds `text`; fails the test (and kills the server)
        when the process ends or READY_TIMEOUT_S passes first."""
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.output.append(line)
            if text in line:
                return
        self.process.kill()
        pytest.fail(f"server never said {text!r}:\n{''.join(self.output)}")

    def start_plexus(self, binary, data_dir, ports, settings=()):
        """Starts `binary serve` over data_dir with the listeners in `ports` ({"pg": port,
        "resp": ..., "http": ...}; the others off) and extra `settings` ("key=value"), and waits
        until it is ready."""
        os.makedirs(data_dir, exist_ok=True)
        args = [binary, "serve", "--data", data_dir]
        for protocol in ("pg", "resp", "http"):
            args += ["--set", f"{protocol}.port={ports.get(protocol, 0)}"]
        if not any(s.startswith("pg.unix_socket_directories=") for s in settings):
            # Not the machine's /var/run/postgresql: tests that want a socket name a directory.
            args += ["--set", "pg.unix_socket_directories="]
        for setting in settings:
            args += ["--set", setting]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, env=clean_environment())
        self.wait_for("plexus ready")

    def stop(self, sig=signal.SIGTERM):
        """Signals the server and waits for it; its exit code (0 when it was not running)."""
        if self.process is None:
            return 0
        self.process.send_signal(sig)
        out, _ = self.process.communicate(timeout=60)
        self.output.append(out or "")
        code = self.process.returncode
        self.process = None
        return code
