"""Validate the shop profile and every case file, collecting all problems of
all files in one pass, and hand back typed objects for the files that are
right. A wrong case never hides the good ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.inputs.assemble import build_case, build_shop
from pipeline.inputs.load import LoadedFile, load_yaml
from pipeline.inputs.rules import check_case_rules, check_shop_rules, get
from pipeline.inputs.schema import check_schema, normalise_scalars
from pipeline.models import Case, Problem, Shop

CASE_SUFFIXES = (".yaml", ".yml")
# Names the output folder uses for itself: a case may not take them.
RESERVED_IDS = frozenset({"batches", "state"})


@dataclass(frozen=True)
class Inputs:
    """What validation found: the shop (None when its profile is wrong), the
    valid cases, and every problem of every file."""

    shop: Shop | None
    cases: tuple[Case, ...]
    problems: tuple[Problem, ...]
    files_checked: int

    @property
    def failed_files(self) -> int:
        return len({p.path for p in self.problems})


def find_case_files(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """Every *.yaml / *.yml under the given files and folders, sorted, once each."""
    found: dict[Path, None] = {}
    problems = []
    for path in paths:
        if path.is_dir():
            for candidate in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in candidate.relative_to(path).parts)
                if candidate.suffix in CASE_SUFFIXES and candidate.is_file() and not hidden:
                    found[candidate] = None
        elif path.is_file():
            found[path] = None
        else:
            problems.append(Problem(str(path), 1, 1, "", "нет такого файла или папки", "проверьте путь"))
    return list(found), problems


def validate_shop(shop_path: Path) -> tuple[Shop | None, dict[str, Any] | None, list[Problem]]:
    """The shop profile as a Shop and as raw data (for merging case terms), or the problems."""
    try:
        loaded = load_yaml(shop_path)
    except InputError as err:
        return None, None, err.problems
    problems = _check(loaded, "shop") + check_shop_rules(loaded)
    if problems:
        return None, None, problems
    return build_shop(loaded.data, shop_path), loaded.data, []


def validate_case(path: Path, shop_data: dict[str, Any] | None) -> tuple[LoadedFile | None, list[Problem]]:
    try:
        loaded = load_yaml(path)
    except InputError as err:
        return None, err.problems
    shop_penalty_kind = get(shop_data, "terms", "penalty", "kind")
    return loaded, _check(loaded, "case") + check_case_rules(loaded, shop_penalty_kind)


def _check(loaded: LoadedFile, kind: str) -> list[Problem]:
    normalise_scalars(loaded)
    if not isinstance(loaded.data, dict):
        return [loaded.problem((), "ожидается набор полей «ключ: значение»", "начните с образца из cases/")]
    return check_schema(loaded, kind)


def check_ids(loaded_cases: Iterable[LoadedFile]) -> list[Problem]:
    """Ids must be unique (ignoring letter case: a Windows or macOS disk would
    merge the folders) and must not take a name the output folder uses."""
    seen: dict[str, LoadedFile] = {}
    problems = []
    for loaded in loaded_cases:
        case_id = get(loaded.data, "id")
        if not isinstance(case_id, str):
            continue
        if case_id.lower() in RESERVED_IDS:
            problems.append(loaded.problem(("id",), f"«{case_id}» — служебное имя папки out/", "выберите другой id"))
        first = seen.setdefault(case_id.lower(), loaded)
        if first is not loaded:
            line = first.mark_of(("id",)).line
            problems.append(
                loaded.problem(("id",), f"id «{case_id}» уже занят делом {first.path}:{line}", "у каждого дела свой id")
            )
    return problems


def validate_inputs(case_paths: Sequence[Path], shop_path: Path) -> Inputs:
    """Validate the shop and every case under `case_paths`; never raises for bad input."""
    shop, shop_data, problems = validate_shop(shop_path)
    files, missing = find_case_files(case_paths)
    problems += missing
    loaded_ok: list[LoadedFile] = []
    for path in files:
        loaded, case_problems = validate_case(path, shop_data)
        problems += case_problems
        if loaded is not None and isinstance(loaded.data, dict):
            loaded_ok.append(loaded)
    problems += check_ids(loaded_ok)
    bad_paths = {p.path for p in problems}
    cases: tuple[Case, ...] = ()
    if shop_data is not None:
        cases = tuple(
            build_case(loaded.data, shop_data["terms"], loaded.path)
            for loaded in loaded_ok
            if str(loaded.path) not in bad_paths
        )
    ordered = sorted(problems, key=lambda p: (p.path != str(shop_path), p.path, p.line, p.column))
    return Inputs(shop=shop, cases=cases, problems=tuple(ordered), files_checked=len(files) + 1)
