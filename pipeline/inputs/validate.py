"""Validate the shop profile and every case file, collecting all problems of
all files in one pass, and hand back typed objects for the files that are
right. A wrong case never hides the good ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.inputs.assemble import build_case, build_shop
from pipeline.inputs.characters import forbidden_characters, invisible_characters
from pipeline.inputs.files import CASE_SUFFIXES, find_case_files
from pipeline.inputs.ids import RESERVED_IDS, check_id, check_ids
from pipeline.inputs.load import LoadedFile, load_yaml
from pipeline.inputs.rules import check_case_rules, check_shop_rules, get
from pipeline.inputs.schema import check_schema, normalise_scalars
from pipeline.models import Case, Problem, Shop

__all__ = ["CASE_SUFFIXES", "RESERVED_IDS", "Inputs", "check_ids", "find_case_files", "validate_inputs"]


@dataclass(frozen=True)
class Inputs:
    """What validation found: the shop (None when its profile is wrong), the
    valid cases, every problem of every file, and the warnings (an invisible
    character in a name, a link to nothing), which never keep a case from
    being built."""

    shop: Shop | None
    cases: tuple[Case, ...]
    problems: tuple[Problem, ...]
    files_checked: int
    warnings: tuple[Problem, ...] = ()
    ids_read: frozenset[str] = frozenset()  # the id of every case file read, valid or not

    @property
    def failed_files(self) -> int:
        return len({p.path for p in self.problems})


@dataclass(frozen=True)
class Checked:
    """One file's errors and warnings."""

    problems: list[Problem]
    warnings: list[Problem]


def validate_shop(shop_path: Path) -> tuple[Shop | None, dict[str, Any] | None, Checked]:
    """The shop profile as a Shop and as raw data (for merging case terms), or the problems."""
    try:
        loaded = load_yaml(shop_path)
    except InputError as err:
        return None, None, Checked(err.problems, [])
    checked = _check(loaded, "shop", check_shop_rules)
    if checked.problems:
        return None, None, checked
    return build_shop(loaded.data, shop_path), loaded.data, checked


def validate_case(path: Path, shop_data: dict[str, Any] | None) -> tuple[LoadedFile | None, Checked]:
    try:
        loaded = load_yaml(path)
    except InputError as err:
        return None, Checked(err.problems, [])
    shop_penalty_kind = get(shop_data, "terms", "penalty", "kind")
    checked = _check(loaded, "case", lambda case: check_case_rules(case, shop_penalty_kind))
    if not any(problem.field == "id" for problem in checked.problems):
        checked.problems.extend(check_id(loaded))
    return loaded, checked


def _check(loaded: LoadedFile, kind: str, rules: Callable[[LoadedFile], list[Problem]]) -> Checked:
    """Characters first: a value with a control character is reported for that alone, not also
    as, say, an unknown kind or a malformed phone that quotes it back."""
    normalise_scalars(loaded)
    if not isinstance(loaded.data, dict):
        problem = loaded.problem((), "ожидается набор полей «ключ: значение»", "начните с образца из cases/")
        return Checked([problem], [])
    forbidden = forbidden_characters(loaded)
    taken = {problem.field for problem in forbidden}
    others = [problem for problem in check_schema(loaded, kind) + rules(loaded) if problem.field not in taken]
    return Checked(forbidden + others, invisible_characters(loaded))


def _ordered(problems: list[Problem], shop_path: Path) -> tuple[Problem, ...]:
    return tuple(sorted(problems, key=lambda p: (p.path != str(shop_path), p.path, p.line or 0, p.column or 0)))


def validate_inputs(case_paths: Sequence[Path], shop_path: Path) -> Inputs:
    """Validate the shop and every case under `case_paths`; never raises for bad input."""
    shop, shop_data, checked = validate_shop(shop_path)
    problems, warnings = list(checked.problems), list(checked.warnings)
    found = find_case_files(case_paths)
    problems += found.problems
    warnings += found.warnings
    loaded_ok: list[LoadedFile] = []
    for path in found.files:
        loaded, case_checked = validate_case(path, shop_data)
        problems += case_checked.problems
        warnings += case_checked.warnings
        if loaded is not None and isinstance(loaded.data, dict):
            loaded_ok.append(loaded)
    problems += check_ids(loaded_ok)
    bad_paths = {p.path for p in problems}
    cases: tuple[Case, ...] = ()
    if shop_data is not None:
        cases = tuple(
            build_case(loaded.data, shop_data["terms"], loaded.path, loaded.mark_of)
            for loaded in loaded_ok
            if str(loaded.path) not in bad_paths
        )
    return Inputs(
        shop=shop,
        cases=cases,
        problems=_ordered(problems, shop_path),
        files_checked=len(found.files) + found.refused + 1,
        warnings=_ordered(warnings, shop_path),
        ids_read=frozenset(case_id for loaded in loaded_ok if isinstance(case_id := loaded.data.get("id"), str)),
    )
