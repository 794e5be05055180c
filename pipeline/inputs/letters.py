"""The lawyer's own letters: `templates/letters/NAME.docx` with a short
declaration `NAME.yaml` beside it (title, number prefix, journalled), read
and checked like a case file, and made into document kinds that are built
when asked for (`build --only NAME`).
"""

from __future__ import annotations

from pathlib import Path

from pipeline.documents import BY_NAME, LETTERS_FOLDER, DocumentKind
from pipeline.errors import InputError
from pipeline.inputs.load import load_yaml
from pipeline.inputs.schema import check_schema
from pipeline.models import Problem
from pipeline.resources import is_office_temporary

__all__ = ["LETTERS_FOLDER", "letter_declarations", "load_letters"]

DECLARATION_SUFFIX = ".yaml"


def letter_declarations(templates_dir: Path) -> list[Path]:
    folder = templates_dir / LETTERS_FOLDER
    if not folder.is_dir():
        return []
    return [path for path in sorted(folder.glob(f"*{DECLARATION_SUFFIX}")) if not is_office_temporary(path)]


def load_letters(templates_dir: Path) -> tuple[list[DocumentKind], list[Problem]]:
    """Every declared letter of `templates_dir`, and the problems of the declarations that are wrong."""
    kinds: list[DocumentKind] = []
    problems: list[Problem] = []
    for path in letter_declarations(templates_dir):
        kind, found = _load_letter(path)
        problems.extend(found)
        if kind is not None:
            kinds.append(kind)
    return kinds, problems


def _load_letter(path: Path) -> tuple[DocumentKind | None, list[Problem]]:
    try:
        loaded = load_yaml(path)
    except InputError as err:
        return None, list(err.problems)
    problems = check_schema(loaded, "letter")
    name = path.stem
    if name in BY_NAME and BY_NAME[name].folder != LETTERS_FOLDER:
        problems.append(_whole_file(path, f"имя «{name}» занято документом программы", "переименуйте оба файла"))
    data = loaded.data if isinstance(loaded.data, dict) else {}
    if data.get("number_prefix") and data.get("journalled") is False:
        # Every letter that carries an outgoing number is in the journal (issue 13, point 12).
        problems.append(
            loaded.problem(
                ("journalled",),
                "письмо с исходящим номером (number_prefix) выпускается только через журнал",
                "уберите journalled: false, или уберите number_prefix — тогда письмо будет без номера",
            )
        )
    if not path.with_suffix(".docx").is_file():
        problems.append(_whole_file(path, f"нет шаблона {path.with_suffix('.docx').name} рядом", "положите его рядом"))
    if problems:
        return None, problems
    data = loaded.data
    kind = DocumentKind(
        name,
        str(data["title"]),
        "писем",
        _on_request,
        number_prefix=str(data.get("number_prefix", "")),
        journalled=bool(data.get("number_prefix")),  # an outgoing number exists only in the journal
        folder=LETTERS_FOLDER,
        on_request=True,
    )
    return kind, []


def _on_request(_facts: object) -> bool:
    return False  # never due by itself: built when the user names it


def _whole_file(path: Path, message: str, hint: str) -> Problem:
    return Problem(str(path), 1, 1, "", message, hint)
