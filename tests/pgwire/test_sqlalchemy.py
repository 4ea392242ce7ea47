"""SQLAlchemy 1.4 (Debian's python3-sqlalchemy) with psycopg2, 2.0-style API: DDL from metadata,
reflection through the PostgreSQL dialect's catalog queries, and the ORM unit of work."""
import pytest

sqlalchemy = pytest.importorskip("sqlalchemy")
pytest.importorskip("psycopg2")

from sqlalchemy import (Boolean, CheckConstraint, Column, ForeignKey, Index, Integer,  # noqa: E402
                        MetaData, Numeric, String, Table, Text, create_engine, inspect, select,
                        text)
from sqlalchemy.orm import Session, declarative_base  # noqa: E402


@pytest.fixture
def engine(server):
    engine = create_engine(f"postgresql+psycopg2://tester@127.0.0.1:{server.port}/plexus",
                           future=True)
    yield engine
    engine.dispose()


@pytest.fixture
def tables(engine, table_name):
    metadata = MetaData()
    users = Table(f"{table_name}_users", metadata,
                  Column("id", Integer, primary_key=True),
                  Column("name", String(50), nullable=False, unique=True),
                  Column("score", Numeric(10, 2), server_default="0"),
                  Column("active", Boolean),
                  CheckConstraint("score >= 0", name=f"{table_name}_score_check"))
    posts = Table(f"{table_name}_posts", metadata,
                  Column("id", Integer, primary_key=True),
                  Column("user_id", Integer, ForeignKey(users.c.id, ondelete="CASCADE")),
                  Column("title", Text),
                  Index(f"{table_name}_posts_title", "title"))
    metadata.create_all(engine)
    yield users, posts
    metadata.drop_all(engine)
    assert not inspect(engine).has_table(users.name)


def test_create_all_and_reflect_tables(engine, tables):
    users, posts = tables
    inspector = inspect(engine)
    names = inspector.get_table_names()
    assert users.name in names and posts.name in names
    assert inspector.has_table(users.name)
    assert not inspector.has_table("no_such_table_at_all")


def test_reflect_columns(engine, tables):
    users, _ = tables
    columns = {c["name"]: c for c in inspect(engine).get_columns(users.name)}
    assert list(columns) == ["id", "name", "score", "active"]
    assert isinstance(columns["id"]["type"], sqlalchemy.Integer)
    assert columns["id"]["nullable"] is False
    assert columns["id"]["autoincrement"] is True
    assert columns["id"]["default"] == f"nextval('{users.name}_id_seq'::regclass)"
    assert isinstance(columns["name"]["type"], sqlalchemy.String)
    assert columns["name"]["type"].length == 50
    assert columns["name"]["nullable"] is False
    assert columns["score"]["type"].precision == 10 and columns["score"]["type"].scale == 2
    assert columns["score"]["default"] is not None
    assert isinstance(columns["active"]["type"], sqlalchemy.Boolean)
    assert columns["active"]["nullable"] is True


def test_reflect_keys_and_indexes(engine, tables, table_name):
    users, posts = tables
    inspector = inspect(engine)
    assert inspector.get_pk_constraint(users.name) == {
        "constrained_columns": ["id"], "name": f"{users.name}_pkey"}
    assert inspector.get_foreign_keys(posts.name) == [{
        "name": f"{posts.name}_user_id_fkey", "constrained_columns": ["user_id"],
        "referred_schema": None, "referred_table": users.name, "referred_columns": ["id"],
        "options": {"ondelete": "CASCADE"}}]
    indexes = inspector.get_indexes(posts.name)
    assert [(i["name"], i["unique"], i["column_names"]) for i in indexes] == [
        (f"{table_name}_posts_title", False, ["title"])]
    assert inspector.get_unique_constraints(users.name) == [
        {"name": f"{users.name}_name_key", "column_names": ["name"]}]
    checks = inspector.get_check_constraints(users.name)
    assert [c["name"] for c in checks] == [f"{table_name}_score_check"]


def test_reflect_into_metadata(engine, tables):
    users, posts = tables
    reflected = MetaData()
    reflected.reflect(engine, only=[users.name, posts.name])
    table = reflected.tables[posts.name]
    assert [c.name for c in table.columns] == ["id", "user_id", "title"]
    assert [fk.target_fullname for fk in table.foreign_keys] == [f"{users.name}.id"]


def test_orm_unit_of_work(engine, tables):
    users, _ = tables
    Base = declarative_base()

    class User(Base):
        __table__ = users

    with Session(engine) as session:
        session.add_all([User(name="ada", score=3), User(name="bob", score=1)])
        session.commit()
        ada = session.execute(select(User).where(User.name == "ada")).scalar_one()
        ada.score = 5
        session.commit()
        assert session.get(User, ada.id).score == 5
        bob = session.execute(select(User).filter_by(name="bob")).scalar_one()
        session.delete(bob)
        session.commit()
        assert [u.name for u in session.execute(select(User)).scalars()] == ["ada"]
        ada.name = "changed"
        session.flush()
        session.rollback()
        assert session.execute(select(User.name)).scalars().all() == ["ada"]


def test_engine_startup_queries(engine):
    with engine.connect() as connection:
        assert connection.dialect.server_version_info[:1] == (15,)
        assert connection.dialect.default_schema_name == "public"
        assert connection.execute(text("select current_schema()")).scalar() == "public"
