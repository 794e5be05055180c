"""The journal's connection to its database: the one place where SQLite and
PostgreSQL differ. journal.py and migrations.py write their SQL once, with `?`
placeholders, and speak to a `Database`: how a write transaction starts
(SQLite's `BEGIN IMMEDIATE` takes the whole file; PostgreSQL's `BEGIN` takes
row locks as the statements go), how a consistent read is taken, where the
schema version is kept (`PRAGMA user_version`; a table on PostgreSQL), and what
an error of the database means to the user (failures.py, postgres.py).

SQLite's side is sqlite.py; PostgreSQL's is postgres.py, imported only for a
`--journal postgresql://…`: the embedded SQLite journal needs no server and no
driver.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from pipeline.errors import EnvironmentProblem


@dataclass(frozen=True)
class JournalUrl:
    """A journal on a PostgreSQL server: `postgresql://user[:password]@host[:port]/database[?…]`."""

    url: str

    @property
    def display(self) -> str:
        """The URL without its password, for messages and for the out folder's marker."""
        try:
            parts = urlsplit(self.url)
        except ValueError:
            return f"{self.url.partition('://')[0]}://…"
        user, at, host = parts.netloc.rpartition("@")
        netloc = f"{user.partition(':')[0]}{at}{host}"
        query = "&".join(part for part in parts.query.split("&") if part and not part.startswith("password="))
        return parts._replace(netloc=netloc, query=query).geturl()


class Rows(Protocol):
    """What a statement returns, on either database."""

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Database(ABC):
    """One open connection to a journal. `execute` raises the driver's own errors;
    `errors` and `integrity_errors` say which they are, `problem` turns one into the line the user reads."""

    dialect: str  # "sqlite" or "postgresql": which text of a migration runs here (migrations.py)
    location: str  # how a message names the journal: its file, or its URL without the password
    option: str  # the command-line option that points at it (for the messages of ownership.py)
    marker_location: str  # what an out folder's marker records (ownership.py): the same, absolute
    errors: tuple[type[Exception], ...]
    integrity_errors: tuple[type[Exception], ...]  # a broken constraint: a bug, not the machine
    row_lock = ""  # appended to a SELECT that must lock the rows it reads until the commit

    @abstractmethod
    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> Rows: ...

    @abstractmethod
    def problem(self, err: Exception) -> EnvironmentProblem: ...

    @property
    @abstractmethod
    def in_transaction(self) -> bool: ...

    @abstractmethod
    def begin_write(self) -> None:
        """Start the transaction that takes numbers and records documents."""

    @abstractmethod
    def begin_read(self) -> None:
        """Start a read-only transaction: every statement in it sees one snapshot."""

    @abstractmethod
    def begin_upgrade(self) -> None:
        """Start a migration's transaction, holding off every other program's migration until it ends."""

    @abstractmethod
    def stored_version(self) -> int:
        """The schema version as stored (0 for a new journal)."""

    @abstractmethod
    def store_version(self, version: int) -> None: ...

    @abstractmethod
    def has_table(self, name: str) -> bool: ...

    @abstractmethod
    def damage(self) -> str | None:
        """What is wrong with the database's own storage, None when nothing is."""

    def commit(self) -> None:
        self.execute("COMMIT")

    def rollback_quietly(self) -> None:
        """ROLLBACK after an error, keeping that error: SQLite has already rolled back
        by itself after some (a full disk: SQLITE_FULL), and a second ROLLBACK would
        replace the real cause with «cannot rollback - no transaction is active»."""
        if self.in_transaction:
            try:
                self.execute("ROLLBACK")
            except self.errors:
                pass  # the error being raised says what went wrong

    @abstractmethod
    def close(self) -> None: ...


@contextmanager
def closed_on_error(connection: sqlite3.Connection | Database) -> Iterator[None]:
    """Close the connection when opening fails half way (no handle left on the file or the server)."""
    try:
        yield
    except BaseException:
        connection.close()
        raise
