"""Which journal an out folder belongs to.

An out folder holds the letters one journal issued, and only that journal may
number, sweep or repair there: with another journal (a wrong `--state`, a
journal lost or emptied, a batch started from another folder with an absolute
`--out`), the batch would hand the same numbers out again and escalate from a
history that is not the debtors'. So the out folder carries a marker,
`<out>/.journal-id` (written atomically), naming the journal's id
(journal.py, `meta.journal_id`), for the person reading a refusal where that
journal was (its file, or its PostgreSQL URL without the password), and the
folder's own id, which the journal records with each document placed there
(several folders, on several machines, may share one journal). Before a batch
touches anything:

- the out folder has a marker: the journal must exist and carry that id;
- it has no marker (a new folder, or one written before markers existed): it is
  taken over only when the journal knows every letter in it; then it gets one;
- either way, every letter in it (`<case>/<kind>-<PREFIX>-<YYYY>-<NNNN>.docx|pdf`)
  must be a document of the journal or an annex issued with one under its
  number: a letter the journal does not know means the journal is not the one
  that issued it (or was replaced by an older copy).

Anything else is an EnvironmentProblem (exit 3) naming both paths and what to
point where; nothing is deleted or written. Deleting is placing.py's, and only
of what this journal recorded as being placed.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from pipeline.documents import annexes_of
from pipeline.errors import EnvironmentProblem
from pipeline.store.database import JournalUrl
from pipeline.store.journal import Journal, JournalSource, describe, journal_exists
from pipeline.store.outputs import write_atomic

MARKER_NAME = ".journal-id"
# An issued letter's file, whatever its kind: `pretension-ПР-2026-0001.pdf`.
ISSUED_FILE = re.compile(r"^(?P<kind>[^.].*)-(?P<number>[^-]+-\d{4}-\d{4,})\.(?:docx|pdf)$")
_ID = re.compile(r"^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$")
_NOTHING_DELETED = "ничего не удалено"


@dataclass(frozen=True)
class Marker:
    journal_id: str
    journal: str  # where the journal was when it marked the folder (for the message only)
    folder_id: str | None = None  # the folder's own id; None in markers written before version 3


def read_marker(out_dir: Path) -> Marker | None:
    """The marker of `out_dir`, None when it has none; EnvironmentProblem when it does not read."""
    path = out_dir / MARKER_NAME
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise _bad_marker(path, str(err)) from err
    if not lines or not _ID.match(lines[0].strip()):
        raise _bad_marker(path, "в первой строке нет id журнала")
    folder_id = lines[2].strip() if len(lines) > 2 and _ID.match(lines[2].strip()) else None
    return Marker(lines[0].strip(), lines[1].strip() if len(lines) > 1 else "?", folder_id)


def write_marker(out_dir: Path, journal: Journal, folder_id: str) -> None:
    text = f"{journal.journal_id}\n{journal.marker_location}\n{folder_id}\n"
    write_atomic(out_dir / MARKER_NAME, text.encode("utf-8"))


def issued_letters(out_dir: Path) -> list[tuple[str, str, str, Path]]:
    """(case id, kind, number, path) of every file in `out_dir` named as an issued letter."""
    if not out_dir.is_dir():
        return []
    found = []
    for folder in sorted(out_dir.iterdir()):
        if not folder.is_dir() or folder.name == "batches":
            continue
        for path in sorted(folder.iterdir()):
            match = ISSUED_FILE.match(path.name)
            if match and path.is_file():
                found.append((folder.name, match["kind"], match["number"], path))
    return found


def refuse_foreign_out_dir(out_dir: Path, source: JournalSource) -> None:
    """Before the journal is opened (and created, when there is none): refuse an out folder that
    holds letters or a marker when the journal is missing or empty."""
    if journal_exists(source):  # a PostgreSQL server that is not there is said here, before any lock
        return
    marker = read_marker(out_dir)
    letters = issued_letters(out_dir) if marker is None else []
    if marker is None and not letters:
        return
    if marker is not None:
        raise EnvironmentProblem(
            f"папка {out_dir} выпущена по журналу {marker.journal_id} ({marker.journal}), а журнала "
            f"{describe(source)} нет или он пуст: {_point_at(marker)}; {_NOTHING_DELETED}"
        )
    raise EnvironmentProblem(
        f"в папке {out_dir} есть выпущенные письма ({_some(letters, out_dir)}), а журнала "
        f"{describe(source)} нет или он пуст: укажите {_option(source)} с журналом, по которому они выпущены, "
        f"или другую папку --out; {_NOTHING_DELETED}"
    )


def claim_out_dir(out_dir: Path, journal: Journal, write: bool = True) -> None:
    """Check that `out_dir` belongs to `journal` (module docstring) and, with `write`, mark it so;
    the journal then records the folder's id with each document it places there (`journal.out_id`)."""
    marker = read_marker(out_dir)
    if marker is not None and marker.journal_id != journal.journal_id:
        raise EnvironmentProblem(
            f"папка {out_dir} выпущена по журналу {marker.journal_id} ({marker.journal}), а журнал "
            f"{journal.location} — другой ({journal.journal_id}): {_point_at(marker)}; {_NOTHING_DELETED}"
        )
    known = _with_annexes(journal.issued())
    unknown = [letter for letter in issued_letters(out_dir) if letter[:3] not in known]
    if unknown and marker is None:
        raise EnvironmentProblem(
            f"в папке {out_dir} есть выпущенные письма ({_some(unknown, out_dir)}), которых нет в журнале "
            f"{journal.location}: укажите {journal.option} с журналом, по которому они выпущены, или другую папку "
            "--out; "
            f"{_NOTHING_DELETED}"
        )
    if unknown:
        raise EnvironmentProblem(
            f"в папке {out_dir} есть письма, которых нет в журнале {journal.location} ({_some(unknown, out_dir)}): "
            "журнал заменён старой копией или изменён вручную — верните последний журнал (если это остатки "
            f"прерванного запуска прежней версии программы, перенесите их из папки сами); {_NOTHING_DELETED}"
        )
    folder_id = marker.folder_id if marker is not None else None
    if write and (marker is None or folder_id is None or marker.journal != journal.marker_location):
        folder_id = folder_id or str(uuid.uuid4())
        write_marker(out_dir, journal, folder_id)
    journal.out_id = folder_id or ""


def _with_annexes(issued: frozenset[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """The journal's letters and the annexes issued with each under its number (documents.py)."""
    return {*issued, *((case_id, annex, number) for case_id, kind, number in issued for annex in annexes_of(kind))}


def _point_at(marker: Marker) -> str:
    if "://" in marker.journal:
        return f"укажите правильный --journal (этот журнал был {marker.journal}) или другую папку --out"
    where = Path(marker.journal).parent if marker.journal != "?" else None
    hint = f" (этот журнал был в {where}: --state {where})" if where else ""
    return f"укажите правильный --state{hint} или другую папку --out"


def _option(source: JournalSource) -> str:
    return "--journal" if isinstance(source, JournalUrl) else "--state"


def _some(letters: list[tuple[str, str, str, Path]], out_dir: Path) -> str:
    first = letters[0][3].relative_to(out_dir)
    return f"{len(letters)}, например {first}" if len(letters) > 1 else str(first)


def _bad_marker(path: Path, detail: str) -> EnvironmentProblem:
    return EnvironmentProblem(
        f"отметка журнала {path} не читается ({detail}): проверьте, что --state указывает на журнал этой "
        f"папки, и удалите отметку — она будет записана заново; {_NOTHING_DELETED}"
    )
