"""A journal several machines share: PostgreSQL at `--journal postgresql://…`.

The tables, the migrations and the SQL are the SQLite journal's (journal.py,
migrations.py); what differs is here. Statements run in autocommit and the
journal opens its own transactions: `BEGIN` takes no lock until a statement
does, so the issuing transaction holds row locks only on the counters it takes
and the rows it writes, and batches of other out folders run at once. The
schema version is the one row of `schema_version`; migrations run one program
at a time under a transaction-scoped advisory lock. Every error of the driver or
the server is one Russian line naming the journal by its URL without the
password (exit 3); the password itself is never printed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.pq import TransactionStatus

from pipeline.errors import EnvironmentProblem
from pipeline.store.database import Database, JournalUrl
from pipeline.store.failures import no_space

SCHEMES = ("postgresql://", "postgres://")
CONNECT_TIMEOUT_SECONDS = 10  # a server that does not answer: one line after this long, not a hang
_UPGRADE_LOCK = 0x6A6F75726E616C  # "journal": the advisory lock key a migration holds
_URL_FORM = "postgresql://пользователь@сервер:5432/база"
_READ_ONLY = "25006"
_NO_WRITE = ("42501", _READ_ONLY)  # insufficient privilege; a read-only transaction
_BUSY = ("40P01", "40001", "55P03")  # deadlock, serialization failure, lock not available
_DISK_FULL = "53100"


class PostgresDatabase(Database):
    dialect = "postgresql"
    option = "--journal"
    errors = (psycopg.Error,)
    integrity_errors = (psycopg.errors.IntegrityError,)
    row_lock = " FOR UPDATE"

    def __init__(self, connection: psycopg.Connection[Any], source: JournalUrl, read_only: bool = False):
        self.connection = connection
        self.source = source
        self.location = self.marker_location = source.display
        self.read_only = read_only

    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> psycopg.Cursor[Any]:
        if not parameters:  # a migration's text goes as it is
            return self.connection.execute(sql)
        return self.connection.execute(sql.replace("?", "%s"), parameters)  # the journal's `?` are placeholders

    def problem(self, err: Exception) -> EnvironmentProblem:
        return _problem(err, self.source)

    @property
    def in_transaction(self) -> bool:
        return self.connection.info.transaction_status != TransactionStatus.IDLE

    def begin_write(self) -> None:
        if self.read_only:
            raise EnvironmentProblem(
                f"журнал {self.location} недоступен для записи: открыт только для чтения (пробный запуск)"
            )
        self.execute("BEGIN")

    def begin_read(self) -> None:
        self.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def begin_upgrade(self) -> None:
        self.execute("BEGIN")
        self.execute("SELECT pg_advisory_xact_lock(?)", (_UPGRADE_LOCK,))
        if not self.has_table("schema_version"):
            self.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")

    def commit(self) -> None:
        if self.connection.info.transaction_status == TransactionStatus.INERROR:
            # PostgreSQL answers COMMIT of a failed transaction with a silent ROLLBACK.
            self.execute("ROLLBACK")
            raise EnvironmentProblem(f"журнал {self.location}: транзакция прервана ошибкой и отменена; запустите снова")
        self.execute("COMMIT")

    def stored_version(self) -> int:
        if not self.has_table("schema_version"):
            return 0
        row = self.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def store_version(self, version: int) -> None:
        self.execute("DELETE FROM schema_version")
        self.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))

    def has_table(self, name: str) -> bool:
        row = self.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?", (name,)
        ).fetchone()
        return row is not None

    def damage(self) -> str | None:
        return None  # the server keeps its own pages whole; the rows are checked like SQLite's

    def close(self) -> None:
        self.connection.close()  # an open transaction is rolled back by the server


def connect(source: JournalUrl, read_only: bool = False) -> PostgresDatabase:
    """A connection to the journal's database; EnvironmentProblem (exit 3) for a URL that does not
    read, a server that refuses or does not answer, a wrong password or database."""
    if not source.url.startswith(SCHEMES):
        raise EnvironmentProblem(
            f"--journal «{source.display}»: это не адрес PostgreSQL; укажите {_URL_FORM} "
            "(журнал SQLite задаётся параметром --state ПАПКА)"
        )
    try:
        parameters = conninfo_to_dict(source.url)
    except psycopg.Error as err:
        raise EnvironmentProblem(
            f"--journal «{source.display}»: адрес не читается ({_detail(err, source)}); укажите {_URL_FORM}"
        ) from err
    parameters.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
    parameters.setdefault("application_name", "pipeline batch")
    try:
        connection = psycopg.connect(make_conninfo("", **parameters), autocommit=True)
    except psycopg.Error as err:
        raise _problem(err, source) from err
    return PostgresDatabase(connection, source, read_only)


def connect_readonly(source: JournalUrl) -> PostgresDatabase:
    """A connection for a dry run: at the latest version the session itself refuses writes; an older
    journal is upgraded in a transaction that is never committed (migrations.upgrade_uncommitted)."""
    from pipeline.store.migrations import latest_version, refuse_newer, schema_version, upgrade_uncommitted

    db = connect(source, read_only=True)
    try:
        version = schema_version(db)
        refuse_newer(version, db.location)
        if version < latest_version():
            upgrade_uncommitted(db)
        else:
            db.execute("SET default_transaction_read_only = on")
    except psycopg.Error as err:
        db.close()
        raise _problem(err, source) from err
    except BaseException:
        db.close()
        raise
    return db


def _problem(err: Exception, source: JournalUrl) -> EnvironmentProblem:
    """The one line for an error of the driver or the server (module docstring)."""
    where, detail = source.display, _detail(err, source)
    state = getattr(err, "sqlstate", None) or ""
    if state == _DISK_FULL:
        return no_space(where)
    if state in _NO_WRITE:
        return EnvironmentProblem(
            f"журнал {where} недоступен для записи ({detail}): дайте пользователю PostgreSQL права на таблицы "
            "журнала (documents, counters, meta, schema_version) или укажите в --journal их владельца"
        )
    if state in _BUSY:
        return EnvironmentProblem(f"журнал {where} занят другим запуском batch ({detail}); повторите позже")
    if isinstance(err, psycopg.OperationalError):
        return EnvironmentProblem(
            f"журнал {where} недоступен ({detail}): проверьте адрес --journal, пароль и что сервер PostgreSQL "
            "запущен и принимает подключения"
        )
    return EnvironmentProblem(f"журнал {where} не открывается: {detail}")


def _detail(err: Exception, source: JournalUrl) -> str:
    """The driver's message on one line, with the password (as typed and decoded) blanked out."""
    detail = " ".join(str(err).split())
    for secret in _passwords(source.url):
        detail = detail.replace(secret, "***")
    return detail


def _passwords(url: str) -> set[str]:
    """The password of the URL's user part and of its `?password=`, as typed and decoded."""
    try:
        parts = urlsplit(url)
        found = [parts.password or "", *(value for key, value in parse_qsl(parts.query) if key == "password")]
    except ValueError:
        found = [url.partition("://")[2].rpartition("@")[0].partition(":")[2]]
    return {secret for password in found for secret in (password, unquote(password)) if secret}
