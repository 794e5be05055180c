"""What the disk and SQLite say (PostgreSQL: postgres.py), as one Russian line the user can act on.

Every error of the journal or of the files the batch places ends here and
leaves as an EnvironmentProblem (exit 3: the machine or the state cannot do the
job), never as a traceback: a full disk says «нет места на диске», a damaged
journal says to restore it from the backup, a read-only one names what needs
write access.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from pipeline.errors import EnvironmentProblem

# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 11, 13, 14
_SQLITE_AUTH, _SQLITE_NOTADB = 23, 26
_FULL_DISK = (errno.ENOSPC, errno.EDQUOT)
_NO_WRITE = (errno.EACCES, errno.EPERM, errno.EROFS)


def no_space(what: Path | str, quota: bool = False) -> EnvironmentProblem:
    """The same words as outputs.disk_full, for the journal and the files the batch places."""
    full = "нет места на диске (исчерпана квота)" if quota else "нет места на диске"
    return EnvironmentProblem(f"{full}: {what} — освободите место и запустите снова")


def journal_damaged(path: Path | str, detail: str) -> EnvironmentProblem:
    return EnvironmentProblem(
        f"журнал {path} повреждён ({detail}): восстановите его из резервной копии и запустите снова"
    )


def journal_read_only(path: Path, detail: str) -> EnvironmentProblem:
    return EnvironmentProblem(
        f"журнал {path} недоступен для записи ({detail}): дайте права на запись на файл и на папку "
        f"{path.parent} или запустите batch от их владельца"
    )


def journal_problem(err: sqlite3.Error | OSError, path: Path) -> EnvironmentProblem:
    """The one line for an error met while opening, reading or writing the journal at `path`."""
    if isinstance(err, OSError):
        return file_problem(err, path)
    code = (getattr(err, "sqlite_errorcode", None) or 0) & 0xFF
    detail = str(err)
    if code == _SQLITE_FULL or "disk is full" in detail:
        return no_space(path)
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in detail or "not a database" in detail:
        return journal_damaged(path, detail)
    if code in (_SQLITE_READONLY, _SQLITE_PERM, _SQLITE_AUTH, _SQLITE_CANTOPEN) or "readonly" in detail:
        return journal_read_only(path, detail)
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return EnvironmentProblem(f"журнал {path} занят другим запуском batch ({detail}); повторите позже")
    if code == _SQLITE_IOERR:
        return EnvironmentProblem(
            f"ошибка чтения или записи журнала {path} ({detail}): проверьте диск и запустите снова"
        )
    return EnvironmentProblem(f"журнал {path} не открывается: {detail}")


def file_problem(err: OSError, path: Path | None = None) -> EnvironmentProblem:
    """The one line for a file or folder the batch could not write (`path`, else the error's own)."""
    where = path if path is not None else Path(str(err.filename)) if err.filename else Path("файл")
    detail = err.strerror or str(err)
    if err.errno in _FULL_DISK:
        return no_space(where, quota=err.errno == errno.EDQUOT)
    if err.errno in _NO_WRITE:
        return EnvironmentProblem(
            f"нет права записи: {where} ({detail}); дайте права на запись в эту папку или запустите batch "
            "от её владельца"
        )
    return EnvironmentProblem(f"{where}: {detail} (ошибка {err.errno}); проверьте диск и права и запустите снова")
