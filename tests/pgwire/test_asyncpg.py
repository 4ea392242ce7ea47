"""asyncpg (binary formats throughout, its own protocol implementation) against plexus."""
import asyncio
import datetime
import decimal
import uuid

import pytest

asyncpg = pytest.importorskip("asyncpg")


def run(coroutine):
    return asyncio.run(coroutine)


async def connect(server):
    return await asyncpg.connect(host="127.0.0.1", port=server.port, user="tester",
                                 database="plexus")


def test_types_round_trip_in_binary(server):
    async def body():
        connection = await connect(server)
        try:
            cases = [("int8", 2 ** 40), ("text", "héllo"), ("numeric", decimal.Decimal("-1.50")),
                     ("date", datetime.date(2024, 2, 29)),
                     ("timestamptz", datetime.datetime(2024, 1, 2, 3, 4, 5,
                                                       tzinfo=datetime.timezone.utc)),
                     ("timestamp", datetime.datetime(2024, 1, 2, 3, 4, 5, 6)),
                     ("time", datetime.time(1, 2, 3)), ("uuid", uuid.UUID(int=7)),
                     ("interval", datetime.timedelta(days=1, seconds=3)), ("bool", True),
                     ("float8", 2.5), ("float4", 0.5), ("bytea", b"\x00\xff"),
                     ("text[]", ["a", None]), ("int2", -3), ("varchar", "v")]
            for type_name, value in cases:
                assert await connection.fetchval(f"SELECT $1::{type_name}", value) == value, type_name
        finally:
            await connection.close()
    run(body())


def test_statements_transactions_and_copy(server, table_name):
    async def body():
        connection = await connect(server)
        try:
            await connection.execute(f"CREATE TABLE {table_name} (a int, b text)")
            await connection.executemany(f"INSERT INTO {table_name} VALUES ($1, $2)",
                                         [(i, str(i)) for i in range(50)])
            async with connection.transaction():
                await connection.execute(f"INSERT INTO {table_name} VALUES (100, 'tx')")
            with pytest.raises(asyncpg.exceptions.DivisionByZeroError):
                async with connection.transaction():
                    await connection.execute(f"INSERT INTO {table_name} VALUES (101, 'gone')")
                    await connection.fetchval("SELECT 1 / $1::int", 0)
            result = await connection.copy_records_to_table(
                table_name, records=[(200, "c1"), (201, None)])
            assert result == "COPY 2"
            rows = await connection.fetch(f"SELECT a, b FROM {table_name} WHERE a >= 100 ORDER BY a")
            assert [tuple(row) for row in rows] == [(100, "tx"), (200, "c1"), (201, None)]
            assert await connection.fetchval(f"SELECT count(*) FROM {table_name}") == 53
        finally:
            await connection.close()
    run(body())
