"""JDBC smoke test: PostgreSQL's JDBC driver (Debian's libpostgresql-jdbc-java, Java 17 running
jdbc/JdbcSmoke.java from source) connects, runs prepared statements with parameters (past the
driver's switch to named server-side statements), reads ResultSet metadata (table names and
nullability come from RowDescription's table OID and attnum) and commits and rolls back. The
expected lines are what the same program prints against PostgreSQL 15.18."""
import os
import shutil
import subprocess

import pytest

JAR = "/usr/share/java/postgresql.jar"
SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jdbc", "JdbcSmoke.java")

EXPECTED = """\
product PostgreSQL
rows 2/item 2/2.50 3/item 3/3.50
meta id:int4:jdbc_items:0 name:varchar:jdbc_items:1 price:numeric:jdbc_items:1
after 3 renamed
"""


@pytest.mark.skipif(shutil.which("java") is None or not os.path.exists(JAR),
                    reason="needs java and libpostgresql-jdbc-java (scripts/setup.sh)")
def test_jdbc_smoke(server):
    result = subprocess.run(["java", "-cp", JAR, SOURCE, str(server.port)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED
