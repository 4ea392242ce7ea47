#!/usr/bin/python3
"""Fills in the expected results of tests/sql/*.test files from a real PostgreSQL 15.

Write the records with an empty result (`query IT rowsort`, the SQL, `----`), then run
    /usr/bin/python3 tests/sql/complete.py --port 5432 tests/sql/windows.test
and review the diff: every `query` record gets PostgreSQL's answer formatted the way the
sqllogictest runner compares it (one row per line, values separated by spaces; T as text with
"(empty)" for "" and '@' for bytes outside ' '..'~', I as an integer, R with three decimals, NULL).
Statements run in a fresh database per file; `statement error` records must fail there too, and
with the SQLSTATE given after `error` (`statement error 22012` or `statement error 22012: text`).
"""
import argparse
import re
import sys

SQL_STATE = re.compile(r"^([0-9A-Z]{5}):?$")

import psycopg


def format_value(kind, value):
    if value is None:
        return "NULL"
    text = value if isinstance(value, str) else str(value)
    if kind == "T":
        if text == "":
            return "(empty)"
        return "".join(c if " " <= c <= "~" else "@" for c in text)
    if kind == "I":
        if text in ("t", "f"):
            return "1" if text == "t" else "0"
        try:
            return str(int(float(text)))
        except ValueError:
            return "0"
    try:
        return "%.3f" % float(text)
    except ValueError:
        return "0.000"


def run_file(path, conninfo):
    lines = open(path).read().split("\n")
    out = []
    i = 0
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS plexus_complete")
        admin.execute("CREATE DATABASE plexus_complete")
    conn = psycopg.connect(conninfo + " dbname=plexus_complete", autocommit=True)
    # Every type's text exactly as PostgreSQL prints it, not as a Python object.
    for (oid,) in conn.execute("SELECT oid FROM pg_type").fetchall():
        conn.adapters.register_loader(oid, psycopg.types.string.TextLoader)
    while i < len(lines):
        line = lines[i]
        header = line.split()
        if header[:1] == ["statement"]:
            out.append(line)
            i += 1
            sql = []
            while i < len(lines) and lines[i].strip() != "":
                sql.append(lines[i])
                i += 1
            out.extend(sql)
            expect_ok = header[1] == "ok"
            state = SQL_STATE.match(header[2]) if not expect_ok and len(header) > 2 else None
            try:
                conn.execute("\n".join(sql), prepare=False)
                if not expect_ok:
                    print(f"{path}: statement expected to fail succeeded: {' '.join(sql)}", file=sys.stderr)
            except psycopg.Error as error:
                if expect_ok:
                    print(f"{path}: statement failed: {' '.join(sql)}: {error}", file=sys.stderr)
                elif state and error.sqlstate != state.group(1):
                    print(f"{path}: statement failed with SQLSTATE {error.sqlstate}, expected "
                          f"{state.group(1)}: {' '.join(sql)}: {error}", file=sys.stderr)
            continue
        if header[:1] == ["query"]:
            out.append(line)
            types = header[1]
            sort = header[2] if len(header) > 2 else "nosort"
            i += 1
            sql = []
            while i < len(lines) and lines[i] != "----" and lines[i].strip() != "":
                sql.append(lines[i])
                i += 1
            out.extend(sql)
            # Skip the old result.
            if i < len(lines) and lines[i] == "----":
                i += 1
                while i < len(lines) and lines[i].strip() != "":
                    i += 1
            out.append("----")
            try:
                cursor = conn.cursor(binary=False)
                cursor.execute("\n".join(sql), prepare=False)
                rows = [[format_value(types[c] if c < len(types) else "T", v)
                         for c, v in enumerate(row)] for row in cursor.fetchall()]
            except psycopg.Error as error:
                print(f"{path}: query failed: {' '.join(sql)}: {error}", file=sys.stderr)
                rows = []
            if sort == "rowsort":
                rows.sort()
            elif sort == "valuesort":
                values = sorted(v for row in rows for v in row)
                rows = [[v] for v in values]
            out.extend(" ".join(row) for row in rows)
            continue
        out.append(line)
        i += 1
    conn.close()
    open(path, "w").write("\n".join(out))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="/tmp")
    parser.add_argument("--port", default="5432")
    parser.add_argument("--user", default="postgres")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    conninfo = f"host={args.host} port={args.port} user={args.user}"
    for path in args.files:
        run_file(path, conninfo)


if __name__ == "__main__":
    main()
