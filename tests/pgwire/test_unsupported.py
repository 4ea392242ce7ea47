"""What Plexus does not do yet fails with 0A000 (feature_not_supported) and a message naming
it, never with an error that blames the user's SQL."""
import psycopg
import pytest


@pytest.mark.parametrize("statement, message", [
    ("CREATE INDEX ON {t} (lower(name))", "indexes on expressions are not supported yet"),
    ("SELECT {t} FROM {t}", "whole-row reference"),
    ("CREATE MATERIALIZED VIEW {t}_m AS SELECT 1", "materialized views are not supported yet"),
    ("CREATE EXTENSION IF NOT EXISTS hstore", 'extension "hstore" is not available'),
])
def test_unsupported_features_are_0A000(conn, statement, message):
    conn.execute("CREATE TABLE IF NOT EXISTS unsupported_t (id integer PRIMARY KEY, name text)")
    with pytest.raises(psycopg.errors.FeatureNotSupported) as raised:
        conn.execute(statement.format(t="unsupported_t"))
    assert message in raised.value.diag.message_primary
