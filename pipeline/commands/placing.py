"""Putting issued letters under their final names, after the journal has committed them.

issue.py renders and converts a batch's letters under hidden temporary names
(`.<kind>-<number>.pending.docx`), flushes them to disk and commits their rows
in the state 'placing'; only then does `finish` rename them into place and
mark the rows 'done'. So a letter is never under its final name (where someone
could print it) without its committed row. A run that dies anywhere leaves:

- before the commit: no rows, only temporaries; `sweep_temporaries` removes
  them (temporaries are never letters);
- after the commit: 'placing' rows, each file either still temporary or
  already renamed; `settle_unfinished` (the next run, before anything else)
  finishes each document whose two files are there with the journalled
  hashes, and undoes the others: it removes only files of that very row (the
  temporaries, and final files with its hashes), forgets the row and says so.
  The counters keep the number: it is never handed out again.

Nothing else is ever deleted: a file the journal does not know is
ownership.py's business (it refuses to run), not a leftover.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from pipeline.documents import annexes_of, document_kind
from pipeline.models import JournalEntry, Problem, warning
from pipeline.store.journal import Journal
from pipeline.store.outputs import case_output_dir, sweep_partial_files

SUFFIXES = ("docx", "pdf")
PENDING_MARK = ".pending."


def document_path(out_dir: Path, case_id: str, kind: str, number: str, suffix: str, pending: bool = False) -> Path:
    """`<out>/<case id>/<kind>-<number>.<suffix>`, or its hidden temporary name."""
    return case_output_dir(out_dir, case_id) / _file_name(kind, number, suffix, pending)


def _file_name(kind: str, number: str, suffix: str, pending: bool) -> str:
    name = document_kind(kind).file_name(suffix, number)
    return f".{Path(name).stem}{PENDING_MARK}{suffix}" if pending else name


def entry_files(entry: JournalEntry, out_dir: Path, pending: bool = False) -> list[Path]:
    """The files of one issued letter: its DOCX and PDF, then those of each annex under its number
    (`debt_statement-ПР-2026-0001.pdf`, documents.DocumentKind.annexes)."""
    folder = case_output_dir(out_dir, entry.case_id)  # checked once for the letter's files, not for each
    return [
        folder / _file_name(kind, entry.number, suffix, pending)
        for kind in (entry.kind, *annexes_of(entry.kind))
        for suffix in SUFFIXES
    ]


def final_paths(entries: Sequence[JournalEntry], out_dir: Path) -> list[Path]:
    return [path for entry in entries for path in entry_files(entry, out_dir)]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def flush_to_disk(paths: Sequence[Path]) -> None:
    """fsync each file: once the journal commits, the files it names must survive a power cut."""
    for path in paths:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def finish(journal: Journal, entries: Sequence[JournalEntry], out_dir: Path) -> None:
    """Rename the committed documents' temporaries into place, then mark them done."""
    if not entries:
        return
    for entry in entries:
        for pending, final in zip(entry_files(entry, out_dir, pending=True), entry_files(entry, out_dir), strict=True):
            if pending.exists():
                _move(pending, final)
    _sync_folders({document_path(out_dir, e.case_id, e.kind, e.number, "pdf").parent for e in entries})
    with journal.transaction():
        journal.mark_done(entry.number for entry in entries)


def settle_unfinished(journal: Journal, out_dir: Path) -> list[Problem]:
    """Finish or undo what an earlier run of this journal left 'placing' (module docstring);
    the warnings to show, one per document undone."""
    unfinished = journal.placing()
    if not unfinished:
        return []
    complete = [entry for entry in unfinished if _complete(entry, out_dir)]
    broken = [entry for entry in unfinished if entry not in complete]
    if complete:
        finish(journal, complete, out_dir)
    for entry in broken:
        _undo_files(entry, out_dir)
    if broken:
        with journal.transaction():
            journal.discard(entry.number for entry in broken)
    return [
        warning(
            f"документ {entry.number} (дело {entry.case_id}) прерванного запуска не разложен: его файлы "
            "пропали; документ отменён, номер больше не выдаётся",
            str(out_dir),
        )
        for entry in broken
    ]


def sweep_temporaries(out_dir: Path) -> None:
    """Remove the temporaries a killed run left in the case folders (after `settle_unfinished`,
    which needs those of committed documents): never a letter, never a file of another name."""
    if not out_dir.is_dir():
        return
    for folder in sorted(out_dir.iterdir()):
        if not folder.is_dir() or folder.name == "batches":
            continue
        sweep_partial_files(folder)
        for path in folder.iterdir():
            if path.name.startswith(".") and PENDING_MARK in path.name:
                path.unlink(missing_ok=True)


def _complete(entry: JournalEntry, out_dir: Path) -> bool:
    """The letter's two files are there with the journalled hashes, and each annex file is there.
    The journal keeps no hash of an annex: its temporary was flushed to disk before the commit and
    is renamed whole, and its name carries the letter's number, which no other document has."""
    annex_files = zip(entry_files(entry, out_dir, pending=True)[2:], entry_files(entry, out_dir)[2:], strict=True)
    return all(_ready(entry, out_dir, suffix) for suffix in SUFFIXES) and all(
        pending.is_file() or final.is_file() for pending, final in annex_files
    )


def _undo_files(entry: JournalEntry, out_dir: Path) -> None:
    """Remove the files of a document being undone: its temporaries, its final files with the
    journalled hashes, and its annexes (named by its number, so of no other document)."""
    for suffix in SUFFIXES:
        expected = entry.docx_sha256 if suffix == "docx" else entry.pdf_sha256
        for pending in (True, False):
            path = document_path(out_dir, entry.case_id, entry.kind, entry.number, suffix, pending)
            if path.is_file() and (pending or sha256(path) == expected):
                path.unlink()
    for pending in (True, False):
        for path in entry_files(entry, out_dir, pending)[2:]:
            path.unlink(missing_ok=True)


def _ready(entry: JournalEntry, out_dir: Path, suffix: str) -> bool:
    """The file is there, final or temporary, with the hash the journal committed."""
    expected = entry.docx_sha256 if suffix == "docx" else entry.pdf_sha256
    for pending in (False, True):
        path = document_path(out_dir, entry.case_id, entry.kind, entry.number, suffix, pending)
        if path.is_file() and sha256(path) == expected:
            return True
    return False


def _move(pending: Path, final: Path) -> None:
    os.replace(pending, final)


def _sync_folders(folders: set[Path]) -> None:
    """fsync the folders, so the renames survive a power cut before the rows say 'done'."""
    for folder in folders:
        try:
            descriptor = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
