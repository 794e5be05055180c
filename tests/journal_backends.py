"""The journal's two databases behind one test interface, so that the journal's
contract (tests/test_journal.py) runs on both: the embedded SQLite file and a
PostgreSQL database on the throw-away server of postgres_cluster.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from postgres_cluster import BIN, MISSING

from pipeline.store.journal import JOURNAL_NAME, JournalSource, JournalUrl


class SqliteBackend:
    """Journals are state folders under tmp_path; `name` picks one."""

    integrity_error: type[Exception] = sqlite3.IntegrityError

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path

    def source(self, name: str = "state") -> JournalSource:
        return self.tmp_path / name

    def sql(self, statement: str, name: str = "state") -> list[tuple[Any, ...]]:
        connection = sqlite3.connect(self.tmp_path / name / JOURNAL_NAME)
        try:
            rows = connection.execute(statement).fetchall()
            connection.commit()
            return rows
        finally:
            connection.close()

    def columns(self) -> set[str]:
        return {row[1] for row in self.sql("PRAGMA table_info(documents)")}

    def untouched(self, name: str = "state") -> bool:
        return not (self.tmp_path / name).exists()


class PostgresBackend:
    """Journals are databases on the session's server, made on first use; `name` picks one."""

    def __init__(self, cluster: Any):
        import psycopg

        self.integrity_error = psycopg.errors.IntegrityError
        self.cluster = cluster
        self.urls: dict[str, str] = {}

    def source(self, name: str = "state") -> JournalSource:
        if name not in self.urls:
            self.urls[name] = self.cluster.create_database()
        return JournalUrl(self.urls[name])

    def sql(self, statement: str, name: str = "state") -> list[tuple[Any, ...]]:
        self.source(name)
        return self.cluster.sql(self.urls[name], statement)

    def columns(self) -> set[str]:
        rows = self.sql("SELECT column_name FROM information_schema.columns WHERE table_name = 'documents'")
        return {row[0] for row in rows}

    def untouched(self, name: str = "state") -> bool:
        return self.sql("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'", name) == [(0,)]


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> SqliteBackend | PostgresBackend:
    if request.param == "sqlite":
        return SqliteBackend(tmp_path)
    if BIN is None:
        pytest.skip(MISSING)
    return PostgresBackend(request.getfixturevalue("postgres_cluster"))
