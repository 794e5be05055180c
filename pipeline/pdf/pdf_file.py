"""One PDF into place, whoever makes it (a local LibreOffice worker writing a
file, or a unoserver server sending bytes back): written under a hidden
temporary name beside its target, checked to be a whole PDF, and renamed into
place, so that a killed run leaves the old file or the new one, never half
of one.

A PDF cut short (a kill, a full disk) has no ``%%EOF`` in its last bytes; a
store LibreOffice could not do on a full disk says only "SfxBaseModel::
impl_store … failed: 0x507", so the free space of the target's disk tells it
apart (below LOW_SPACE_BYTES, the disk is full).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline.store.outputs import disk_full, is_disk_full

# Below this much free space on a PDF's disk, a store LibreOffice could not do is a full disk.
LOW_SPACE_BYTES = 16 * 1024 * 1024


def write_pdf(target: Path, produce: Callable[[Path], str | None]) -> str | None:
    """Make `target` through a temporary file beside it: `produce(partial)`
    writes the PDF there and returns None, or why it could not; a whole PDF is
    then renamed into place. None when done, else why not; EnvironmentProblem
    when the disk is full. Whatever `produce` raises besides OSError goes on."""
    return write_pdfs([target], lambda partials: [produce(partials[0])])[0]


def write_pdfs(targets: Sequence[Path], produce: Callable[[list[Path]], list[str | None]]) -> list[str | None]:
    """write_pdf for several targets made by one `produce(partials)`, which
    returns None or why not for each; each whole PDF is renamed into place on its own."""
    partials: list[Path] = []
    try:
        for target in targets:
            partials.append(_reserve(target))
        made = produce(partials)
        return [
            error if error is not None else _place(partial, target)
            for error, partial, target in zip(made, partials, targets, strict=True)
        ]
    except OSError as err:
        return [_write_failed(target, err) for target in targets]
    finally:
        for partial in partials:
            partial.unlink(missing_ok=True)
            # A store that failed (a full disk) leaves LibreOffice's lock file of the partial PDF behind.
            partial.with_name(f".~lock.{partial.name}#").unlink(missing_ok=True)


def _reserve(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, partial_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    return Path(partial_name)


def _place(partial: Path, target: Path) -> str | None:
    """Rename a whole PDF into place: None, or why not (EnvironmentProblem when the disk is full)."""
    if not _is_complete_pdf(partial):
        if low_on_space(target.parent):
            raise disk_full(target)
        return "LibreOffice wrote an incomplete PDF"
    try:
        partial.chmod(0o644)
        os.replace(partial, target)
    except OSError as err:
        return _write_failed(target, err)
    return None


def _write_failed(target: Path, err: OSError) -> str:
    if is_disk_full(err):
        raise disk_full(target, err) from err
    return f"cannot write {target}: {err.strerror or err}"


def low_on_space(folder: Path) -> bool:
    """Whether the disk of `folder` has less than LOW_SPACE_BYTES left (a failed store there is a full disk)."""
    try:
        return shutil.disk_usage(folder).free < LOW_SPACE_BYTES
    except OSError:
        return False


def _is_complete_pdf(pdf: Path) -> bool:
    try:
        with pdf.open("rb") as stream:
            head = stream.read(5)
            stream.seek(max(pdf.stat().st_size - 1024, 0))
            tail = stream.read()
    except OSError:
        return False
    return head == b"%PDF-" and b"%%EOF" in tail
