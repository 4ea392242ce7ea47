#!/usr/bin/env python3
"""Crash test driver: start crash_writer, SIGKILL it at a random moment, then check that every
id it printed (acknowledged after a sync commit) is in the reopened store and that no
transaction is torn. Rounds reuse one data directory, so recovery runs on recovered data."""
import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time


def wal_has_zeros_ahead(data_dir):
    """Whether the newest WAL file ends in zeros written ahead of its data (storage's
    wal_file_system.h), i.e. the kill left commits overwriting a pre-filled log."""
    try:
        logs = sorted(name for name in os.listdir(data_dir)
                      if name.endswith(".log") and name[:-4].isdigit())
    except FileNotFoundError:
        return False
    if not logs:
        return False
    with open(os.path.join(data_dir, logs[-1]), "rb") as log:
        log.seek(0, os.SEEK_END)
        size = log.tell()
        if size < 8192:
            return False
        log.seek(size - 4096)
        return log.read() == bytes(4096)


def run_round(writer, data_dir, work_dir, round_number, rng, threads):
    ids_path = os.path.join(work_dir, f"acknowledged-{round_number}.txt")
    with open(ids_path, "wb") as ids_file:
        process = subprocess.Popen([writer, "write", data_dir, str(threads)], stdout=ids_file,
                                   stderr=subprocess.PIPE)
        if rng.random() < 0.2:
            # Some kills land during open and recovery...
            time.sleep(rng.uniform(0.0, 0.3))
        else:
            # ...most during the write load: the timer starts once the store is open.
            if process.stderr.readline().strip() != b"ready":
                process.kill()
                _, stderr = process.communicate()
                sys.exit(f"round {round_number}: writer did not start: {stderr.decode()}")
            time.sleep(rng.uniform(0.05, 0.5))
        process.send_signal(signal.SIGKILL)
        _, stderr = process.communicate()
    zeros_ahead = wal_has_zeros_ahead(data_dir)
    if process.returncode != -signal.SIGKILL:
        sys.exit(f"round {round_number}: writer exited with {process.returncode} before the "
                 f"kill: {stderr.decode(errors='replace')}")
    with open(ids_path, "rb") as ids_file:
        text = ids_file.read().decode()
    # A line without its newline was cut by the kill: the id may not have been printed whole.
    complete = text[: text.rfind("\n") + 1] if "\n" in text else ""
    verify = subprocess.run([writer, "verify", data_dir], input=complete.encode(),
                            capture_output=True)
    if verify.returncode != 0:
        sys.exit(f"round {round_number}: verification failed:\n"
                 f"{verify.stdout.decode()}{verify.stderr.decode()}")
    return len(complete.split()), zeros_ahead


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writer", required=True, help="path to the crash_writer binary")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 32)
    rng = random.Random(seed)
    print(f"crash test: {args.rounds} rounds, seed {seed}", flush=True)
    acknowledged = 0
    zero_filled_kills = 0
    with tempfile.TemporaryDirectory(prefix="plexus-crash-") as work_dir:
        data_dir = os.path.join(work_dir, "data")
        for round_number in range(1, args.rounds + 1):
            count, zeros_ahead = run_round(args.writer, data_dir, work_dir, round_number, rng,
                                           args.threads)
            acknowledged += count
            zero_filled_kills += zeros_ahead
            print(f"round {round_number}: {count} acknowledged writes survived kill -9"
                  f"{' (WAL zero-filled ahead)' if zeros_ahead else ''}", flush=True)
    if acknowledged == 0:
        sys.exit("no write was acknowledged in any round: the test proved nothing")
    if args.rounds >= 10 and zero_filled_kills == 0:
        sys.exit("no kill found the WAL zero-filled ahead of its data: recovery over a "
                 "pre-filled WAL went untested")
    print(f"crash test passed: {args.rounds} rounds ({zero_filled_kills} with the WAL "
          f"zero-filled ahead), {acknowledged} acknowledged writes, none lost, no torn "
          "transaction")


if __name__ == "__main__":
    main()
