"""Where outputs go and how they are written: every path stays inside the
output folder, and every file appears whole or not at all (written to a
temporary file beside it, then renamed into place). A full disk is one
EnvironmentProblem naming the file, never a traceback or a partial file.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from pipeline.documents import document_kind
from pipeline.errors import EnvironmentProblem, InputError
from pipeline.models import Problem


def case_output_dir(out_dir: Path, case_id: str) -> Path:
    """`out/<case id>/`, refusing any id that would land outside `out/`.

    Validation already restricts ids to letters, digits, '.', '_' and '-';
    this is the second lock on the same door.
    """
    root = out_dir.resolve()
    folder = (root / case_id).resolve()
    if folder.parent != root or case_id in ("", ".", ".."):
        raise InputError(
            [
                Problem(
                    str(out_dir),
                    1,
                    1,
                    "id",
                    f"«{case_id}» ведёт за пределы папки {out_dir}",
                    "только буквы, цифры, «.», «_», «-»",
                )
            ]
        )
    return out_dir / case_id


def write_atomic(target: Path, data: bytes, durable: bool = True) -> None:
    """Write `data` to `target` so that a reader (or a killed run) never sees half a file.

    `durable` also flushes it to disk before the rename, against a power cut;
    the build's documents skip that (1 ms a file) because the manifest checks
    each file's size on the next run and rebuilds one that was lost.
    EnvironmentProblem (exit 3) when the disk is full.
    """
    with atomic_file(target, durable) as stream:
        stream.write(data)


@contextmanager
def atomic_file(target: Path, durable: bool = True) -> Iterator[BinaryIO]:
    """A stream to write `target` through, for a file too big to hold in memory:
    a temporary file beside it, renamed into place when the block ends without
    an error and removed when it does not. As write_atomic, which uses it."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as err:
        if is_disk_full(err):
            raise disk_full(target, err) from err
        raise
    try:
        # mkstemp makes the file 0600; an output is for the shop's staff, as the umask allows (0644, 0664).
        os.fchmod(handle, 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as stream:
            yield stream
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException as err:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(err, OSError) and is_disk_full(err):
            raise disk_full(target, err) from err
        raise


@functools.cache
def _umask() -> int:
    """The process's umask, read once (reading it means setting it; set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def is_disk_full(err: OSError) -> bool:
    """Whether writing failed for want of space (the disk, or the user's quota)."""
    return err.errno in (errno.ENOSPC, errno.EDQUOT)


def disk_full(path: Path, err: OSError | None = None) -> EnvironmentProblem:
    """The one message for a full disk, whoever found it: write_atomic, or the
    PDF stage for LibreOffice's store errors (pipeline/pdf/convert.py)."""
    quota = err is not None and err.errno == errno.EDQUOT
    what = "нет места на диске (исчерпана квота)" if quota else "нет места на диске"
    return EnvironmentProblem(f"{what}: {path} — освободите место и запустите снова")


# The temporary names of write_atomic (".<name>.<random>.tmp") and of the PDF
# stage (".<name>.<random>.part", and LibreOffice's ".~lock.<that>#" when its
# store failed), which a killed run leaves behind.
_PARTIAL_FILE = re.compile(r"^(\..+\.(tmp|part)|\.~lock\.\..+\.part#)$")


def sweep_partial_files(folder: Path) -> list[Path]:
    """Remove what a killed run left half-written in `folder` (not below it); the paths removed."""
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.is_file() and _PARTIAL_FILE.match(entry.name)]
    except OSError:
        return []
    for name in names:
        (folder / name).unlink(missing_ok=True)
    return [folder / name for name in names]


def remove_outputs(folder: Path, kinds: Iterable[str]) -> None:
    """Delete the DOCX and PDF of these kinds from a case's folder, if present."""
    for kind in kinds:
        for suffix in ("docx", "pdf"):
            (folder / document_kind(kind).file_name(suffix)).unlink(missing_ok=True)
