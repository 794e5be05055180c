"""One run at a time per output or state folder: an advisory file lock
(flock) on `<folder>/.lock`, waited for a bounded time, then refused with a
message that names the run holding it. The kernel drops the lock when its
holder dies, even by SIGKILL, so a crashed run never blocks the next one.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.store.outputs import disk_full, is_disk_full

LOCK_NAME = ".lock"
DEFAULT_WAIT_SECONDS = 10.0
# How long to wait for another run, in seconds, when the caller does not say.
WAIT_VARIABLE = "PIPELINE_LOCK_WAIT"


class FolderBusy(PipelineError):
    """Raised when another run holds a folder's lock for longer than we wait."""

    exit_code = 3


@contextmanager
def folder_lock(folder: Path, wait_seconds: float | None = None) -> Iterator[None]:
    """Hold `folder`'s lock for the duration of the block, waiting `wait_seconds`
    (default: $PIPELINE_LOCK_WAIT, else 10 s) for another run to finish."""
    if wait_seconds is None:
        wait_seconds = _wait_from_environment()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(handle, path, folder, wait_seconds)
        os.ftruncate(handle, 0)
        _write_note(handle, path)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _wait_from_environment() -> float:
    text = os.environ.get(WAIT_VARIABLE, "")
    try:
        return max(float(text), 0.0) if text else DEFAULT_WAIT_SECONDS
    except ValueError:
        return DEFAULT_WAIT_SECONDS


def _acquire(handle: int, path: Path, folder: Path, wait_seconds: float) -> None:
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise FolderBusy(_busy_message(path, folder, wait_seconds)) from None
            time.sleep(0.1)


def _busy_message(path: Path, folder: Path, wait_seconds: float) -> str:
    holder = path.read_text(encoding="utf-8", errors="replace").split()
    who = f" (процесс {holder[0]}, начат {holder[1]} {holder[2]})" if len(holder) >= 3 else ""
    return (
        f"папка {folder} занята другим запуском{who}; ждали {wait_seconds:.0f} с — "
        "дождитесь его окончания и запустите снова"
    )


def _write_note(handle: int, path: Path) -> None:
    """Who holds the lock, for the message of a run that waits; a full disk says so in one line."""
    try:
        os.write(handle, f"{os.getpid()} {datetime.now():%Y-%m-%d %H:%M:%S}\n".encode())
    except OSError as err:
        if is_disk_full(err):
            raise disk_full(path, err) from err
        raise
