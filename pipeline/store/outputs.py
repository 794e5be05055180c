"""Where outputs go and how they are written: every path stays inside the
output folder, and every file appears whole or not at all (written to a
temporary file beside it, then renamed into place).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from pipeline.documents import document_kind
from pipeline.errors import InputError
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
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# The temporary names of write_atomic (".<name>.<random>.tmp") and of the PDF
# stage (".<name>.<random>.part"), which a killed run leaves behind.
_PARTIAL_FILE = re.compile(r"^\..+\.(tmp|part)$")


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
