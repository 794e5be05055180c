"""Which journal an out folder belongs to.

An out folder holds the letters one journal issued, and only that journal may
number, sweep or repair there: with another journal (a wrong `--state`, a
journal lost or emptied, a batch started from another folder with an absolute
`--out`), the batch would hand the same numbers out again and escalate from a
history that is not the debtors'. So the out folder carries a marker,
`<out>/.journal-id` (written atomically), naming the journal's id
(journal.py, `meta.journal_id`) and, for the person reading a refusal, where
that journal was. Before a batch touches anything:

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
from dataclasses import dataclass
from pathlib import Path

from pipeline.documents import annexes_of
from pipeline.errors import EnvironmentProblem
from pipeline.store.journal import Journal, journal_exists, journal_path
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
    return Marker(lines[0].strip(), lines[1].strip() if len(lines) > 1 else "?")


def write_marker(out_dir: Path, journal: Journal) -> None:
    text = f"{journal.journal_id}\n{journal.path.resolve()}\n"
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


def refuse_foreign_out_dir(out_dir: Path, state_dir: Path) -> None:
    """Before the journal is opened (and created, when there is none): refuse an out folder that
    holds letters or a marker when the journal is missing or empty."""
    if journal_exists(state_dir):
        return
    marker = read_marker(out_dir)
    if marker is not None:
        raise EnvironmentProblem(
            f"папка {out_dir} выпущена по журналу {marker.journal_id} ({marker.journal}), а журнала "
            f"{journal_path(state_dir)} нет или он пуст: {_point_at(marker)}; {_NOTHING_DELETED}"
        )
    letters = issued_letters(out_dir)
    if letters:
        raise EnvironmentProblem(
            f"в папке {out_dir} есть выпущенные письма ({_some(letters, out_dir)}), а журнала "
            f"{journal_path(state_dir)} нет или он пуст: укажите --state с журналом, по которому они выпущены, "
            f"или другую папку --out; {_NOTHING_DELETED}"
        )


def claim_out_dir(out_dir: Path, journal: Journal, write: bool = True) -> None:
    """Check that `out_dir` belongs to `journal` (module docstring) and, with `write`, mark it so."""
    marker = read_marker(out_dir)
    if marker is not None and marker.journal_id != journal.journal_id:
        raise EnvironmentProblem(
            f"папка {out_dir} выпущена по журналу {marker.journal_id} ({marker.journal}), а журнал "
            f"{journal.path} — другой ({journal.journal_id}): {_point_at(marker)}; {_NOTHING_DELETED}"
        )
    known = _with_annexes(journal.issued())
    unknown = [letter for letter in issued_letters(out_dir) if letter[:3] not in known]
    if unknown and marker is None:
        raise EnvironmentProblem(
            f"в папке {out_dir} есть выпущенные письма ({_some(unknown, out_dir)}), которых нет в журнале "
            f"{journal.path}: укажите --state с журналом, по которому они выпущены, или другую папку --out; "
            f"{_NOTHING_DELETED}"
        )
    if unknown:
        raise EnvironmentProblem(
            f"в папке {out_dir} есть письма, которых нет в журнале {journal.path} ({_some(unknown, out_dir)}): "
            "журнал заменён старой копией или изменён вручную — верните последний журнал (если это остатки "
            f"прерванного запуска прежней версии программы, перенесите их из папки сами); {_NOTHING_DELETED}"
        )
    if write and (marker is None or marker.journal != str(journal.path.resolve())):
        write_marker(out_dir, journal)


def _with_annexes(issued: frozenset[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """The journal's letters and the annexes issued with each under its number (documents.py)."""
    return {*issued, *((case_id, annex, number) for case_id, kind, number in issued for annex in annexes_of(kind))}


def _point_at(marker: Marker) -> str:
    where = Path(marker.journal).parent if marker.journal != "?" else None
    hint = f" (этот журнал был в {where}: --state {where})" if where else ""
    return f"укажите правильный --state{hint} или другую папку --out"


def _some(letters: list[tuple[str, str, str, Path]], out_dir: Path) -> str:
    first = letters[0][3].relative_to(out_dir)
    return f"{len(letters)}, например {first}" if len(letters) > 1 else str(first)


def _bad_marker(path: Path, detail: str) -> EnvironmentProblem:
    return EnvironmentProblem(
        f"отметка журнала {path} не читается ({detail}): проверьте, что --state указывает на журнал этой "
        f"папки, и удалите отметку — она будет записана заново; {_NOTHING_DELETED}"
    )
