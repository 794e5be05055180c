"""Check a loaded file against its JSON Schema (schemas/*.schema.json) and
turn every violation into a Russian one-line Problem with a hint.

Before the check, numbers typed in quotes ("1500.00") become Decimals and
digit identifiers typed without quotes (ИНН 7724212997, a Lada 2107) are
put back to the text exactly as typed, so the schema sees what was meant.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Context, Decimal
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.validators import extend
from referencing import Registry, Resource

from pipeline.inputs.characters import visible
from pipeline.inputs.load import LoadedFile, Path_
from pipeline.inputs.schema_compiled import Check, compile_validity, is_discriminated
from pipeline.models import Problem
from pipeline.resources import schemas_dir

SCHEMA_FILES = ("terms.schema.json", "shop.schema.json", "case.schema.json", "letter.schema.json")

# Keys whose values are always text: a number typed there unquoted is kept as typed.
TEXT_KEYS = frozenset(
    "id name short_name inn kpp ogrn bik account corr_account number phone plate vin make model unit "
    "address position basis reason recorded_by notes email owner supplier_document document tracking court court_case "
    "note".split()
)
# Keys whose values are amounts or quantities: "1500.00" in quotes is still a number.
NUMBER_KEYS = frozenset(
    "estimate price qty amount daily_rate credit_limit rate_percent_per_day cap_percent purchase_cost".split()
)
_NUMBER_TEXT = re.compile(r"[0-9]+(\.[0-9]+)?")

TYPE_NAMES = {
    "string": "текст",
    "integer": "целое число",
    "number": "число",
    "boolean": "true или false",
    "object": "набор полей «ключ: значение»",
    "array": "список (каждый элемент с новой строки через «- »)",
    "null": "пустое значение (null)",
}


# Wide enough for any number a YAML file can hold: the default 28 digits
# would make quantize() raise on "111718698254701593270559965.184"
# (the schema's maximum then reports it as too large).
_WIDE = Context(prec=1000)


def _has_at_most_places(value: Any, unit: Decimal) -> bool:
    if not isinstance(value, Decimal) or not value.is_finite() or value.adjusted() > 900:
        return True  # not a number the format can judge: other keywords report it
    return value == value.quantize(unit, context=_WIDE)


def _format_checker() -> FormatChecker:
    checker = FormatChecker(["date"])

    def _is_money(value: Any) -> bool:
        return _has_at_most_places(value, Decimal("0.01"))

    def _is_quantity(value: Any) -> bool:
        return _has_at_most_places(value, Decimal("0.001"))

    # Registered by calling the decorator rather than with @ syntax: jsonschema ships no
    # type information, and an untyped decorator would erase these functions' types.
    checker.checks("money")(_is_money)
    checker.checks("quantity")(_is_quantity)
    return checker


# ГГГГ-ММ-ДД and ГГГГ-ММ-ДДTЧЧ:ММ: the two shapes of a moment in the schemas, both ordered as text.
_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2})?")


def _is_moment(text: str) -> bool:
    if not _MOMENT.fullmatch(text):
        return False
    try:
        if len(text) == 10:
            date.fromisoformat(text)
        else:
            datetime.strptime(text, "%Y-%m-%dT%H:%M")
    except ValueError:
        return False  # not a real date: "format" or rules.py reports it
    return True


def _moment_bound(later: bool) -> Any:
    """`formatMinimum` / `formatMaximum` (as in ajv-formats) for dates and times: a real date
    outside the bound is an error; anything that is not a real date is left to other keywords."""

    def check(validator: Any, bound: str, instance: Any, schema: dict[str, Any]) -> Any:
        if isinstance(instance, str) and len(instance) == len(bound) and _is_moment(instance):
            if (instance > bound) if later else (instance < bound):
                yield ValidationError(f"{instance!r} is out of range")

    return check


_ONE_OF = Draft202012Validator.VALIDATORS["oneOf"]


def _one_of_by_kind(validator: Any, branches: Any, instance: Any, schema: dict[str, Any]) -> Any:
    """`oneOf`, but a discriminated one (every branch its own constant `kind`: the case's events)
    checks only the branch of the value's kind: the others fail on `kind` anyway, and the standard
    keyword checks every branch of every event (2 000 cases of 5 events: 13 × 10 000 checks).
    The error is the standard one, its context the branch's errors (what _expanded reads)."""
    kind = instance.get("kind") if isinstance(instance, dict) else None
    if is_discriminated(branches):
        for index, branch in enumerate(branches):
            if branch["properties"]["kind"]["const"] == kind:
                errors = list(validator.descend(instance, branch, schema_path=index))
                if errors:
                    yield ValidationError(f"{instance!r} is not valid under any of the given schemas", context=errors)
                return
    yield from _ONE_OF(validator, branches, instance, schema)


_Validator = extend(
    Draft202012Validator,
    validators={
        "formatMinimum": _moment_bound(False),
        "formatMaximum": _moment_bound(True),
        "oneOf": _one_of_by_kind,
    },
)


@dataclass(frozen=True)
class _Schema:
    """One kind's validator, and its compiled check: True only when the validator finds no error."""

    validator: Any
    is_valid: Check


@cache
def _schemas() -> dict[str, _Schema]:
    schemas = {name: json.loads((schemas_dir() / name).read_text(encoding="utf-8")) for name in SCHEMA_FILES}
    registry = Registry().with_resources((schema["$id"], Resource.from_contents(schema)) for schema in schemas.values())
    checker = _format_checker()
    found = {}
    for name, schema in schemas.items():
        validator = _Validator(schema, registry=registry, format_checker=checker)
        found[name.split(".")[0]] = _Schema(validator, compile_validity(validator, registry))
    return found


def normalise_scalars(loaded: LoadedFile) -> None:
    """Put identifiers back to their typed text and quoted numbers to Decimal, in place."""
    loaded.data = _normalise(loaded.data, (), loaded)


def _normalise(value: Any, path: Path_, loaded: LoadedFile) -> Any:
    if isinstance(value, dict):
        return {key: _normalise(item, (*path, key), loaded) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalise(item, (*path, i), loaded) for i, item in enumerate(value)]
    key = path[-1] if path and isinstance(path[-1], str) else None
    if key in TEXT_KEYS and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return loaded.raw_text.get(path, str(value))
    if key in NUMBER_KEYS and isinstance(value, str) and _NUMBER_TEXT.fullmatch(value.strip()):
        return Decimal(value.strip())
    return value


def check_schema(loaded: LoadedFile, kind: str) -> list[Problem]:
    """Every schema violation of a loaded `shop`, `case` or `letter` file, as Problems."""
    schema = _schemas()[kind]
    if schema.is_valid(loaded.data):
        return []  # what jsonschema would say, at a tenth of its time (schema_compiled.py)
    errors = _expanded(schema.validator.iter_errors(loaded.data))
    typo_targets = _typo_targets(errors)
    problems: dict[tuple[int | None, int | None, str], Problem] = {}
    # One problem per spot: a negative price breaks both "minimum" and "exclusiveMinimum";
    # the field's own keyword (listed last by the validator) says it better.
    for error in errors:
        for problem in _problems_of(error, loaded, typo_targets):
            problems[(problem.line, problem.column, problem.field)] = problem
    return list(problems.values())


def _closest_key(key: object, known: list[str]) -> str | None:
    close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
    return close[0] if close else None


def _typo_targets(errors: list[ValidationError]) -> set[Path_]:
    """Paths of required keys that an unknown key probably misspells: "clinet:
    unknown, maybe client?" already says it all, "client: missing" would repeat it."""
    targets: set[Path_] = set()
    for error in errors:
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = sorted(error.schema.get("properties", {}))
            for key in error.instance:
                close = _closest_key(key, known) if key not in known else None
                if close:
                    targets.add((*error.absolute_path, close))
    return targets


def _problems_of(error: ValidationError, loaded: LoadedFile, typo_targets: set[Path_]) -> list[Problem]:
    if error.validator in ("anyOf", "oneOf") and error.context:
        # "not a date" says more than "not null" about storage.end: prefer the branch of the value's own type.
        specific = [sub for sub in error.context if sub.validator != "type"] or error.context
        return _problems_of(best_match(specific), loaded, typo_targets)
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        return _unknown_keys(error, path, loaded)
    if error.validator == "required":
        missing = [
            name for name in error.validator_value if name not in error.instance and (*path, name) not in typo_targets
        ]
        properties = error.schema.get("properties", {})
        return [
            loaded.problem(
                (*path, name),
                "нет обязательного поля",
                f"добавьте {name}: {properties.get(name, {}).get('description', '')}".rstrip(": "),
            )
            for name in missing
        ]
    message, hint = _describe(error)
    return [loaded.problem(path, message, hint)]


def _expanded(errors: Iterable[ValidationError]) -> list[ValidationError]:
    """The errors, each `oneOf` by `kind` (an event of the case) replaced by the errors of the
    branch the value's kind picks: every one of those is the user's."""
    found = []
    for error in errors:
        if error.validator == "oneOf" and is_discriminated(error.validator_value):
            found += _expanded(_branch_errors(error))
        else:
            found.append(error)
    return found


def _branch_errors(error: ValidationError) -> list[ValidationError]:
    """The errors of the branch whose `kind` is the value's; none when no branch has it (the
    `kind` field's own `enum` then says so)."""
    kind = error.instance.get("kind") if isinstance(error.instance, dict) else None
    for index, branch in enumerate(error.validator_value):
        if branch["properties"]["kind"]["const"] == kind:
            return [sub for sub in error.context or () if sub.relative_schema_path[0] == index]
    return []


def _unknown_keys(error: ValidationError, path: Path_, loaded: LoadedFile) -> list[Problem]:
    known = sorted(error.schema.get("properties", {}))
    problems = []
    for key in error.instance:
        if key in known:
            continue
        close = _closest_key(key, known)
        hint = f"может быть, {close}?" if close else "допустимые поля: " + ", ".join(known)
        problems.append(loaded.problem((*path, key), "неизвестное поле", hint, at_key=True))
    return problems


def _describe(error: ValidationError) -> tuple[str, str]:
    """(what is wrong, what is expected) for one violated keyword."""
    keyword, expected, value = error.validator, error.validator_value, error.instance
    description = error.schema.get("description", "")
    shown = _show(value)
    if keyword == "type":
        wanted = " или ".join(TYPE_NAMES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected))
        if isinstance(value, str) and re.fullmatch(r"[0-9 ]+,[0-9]+", value.strip()):
            return f"{shown} — не число", "дробную часть отделяйте точкой, без пробелов: 1500.00"
        # The message already names the type; the hint says what the field holds.
        return f"{shown} — не {wanted}", description or f"нужно {wanted}"
    if keyword == "enum":
        options = [str(option) for option in expected]
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        hint = (f"может быть, {close[0]}? " if close else "") + "допустимо: " + ", ".join(options)
        return f"недопустимое значение {shown}", hint
    if keyword == "format":
        if expected == "date":
            return f"{shown} — не существующая дата", "ГГГГ-ММ-ДД, например 2026-09-01"
        if expected == "money":
            return f"{shown} — больше двух знаков после точки", "рубли и копейки: 1500.55"
        return f"{shown} — больше трёх знаков после точки", "например 1.5 или 0.125"
    if keyword in ("formatMinimum", "formatMaximum"):
        first, last = error.schema.get("formatMinimum", "")[:4], error.schema.get("formatMaximum", "")[:4]
        example = (
            "ГГГГ-ММ-ДД, например 2026-09-01"
            if len(str(value)) == 10
            else "ГГГГ-ММ-ДДTЧЧ:ММ, например 2026-09-03T14:30"
        )
        return f"{shown} — дата вне {first}–{last}", example
    if keyword == "pattern":
        return f"{shown} — неверный формат", description or f"шаблон {expected}"
    if keyword == "minimum":
        return f"{shown} — меньше допустимого", f"не меньше {expected}"
    if keyword == "exclusiveMinimum":
        return f"{shown} — должно быть больше {expected}", description or f"больше {expected}"
    if keyword == "maximum":
        return f"{shown} — больше допустимого", f"не больше {expected}"
    if keyword == "minLength":
        return ("пустое значение" if not value else f"{shown} — слишком коротко"), description or "заполните поле"
    if keyword == "maxLength":
        return "слишком длинное значение", f"не больше {expected} символов"
    if keyword == "minItems":
        return "пустой список", f"нужно хотя бы {expected}: {description}".rstrip(": ")
    if keyword == "maxItems":
        return "слишком много элементов", f"не больше {expected}"
    return error.message, description


def _show(value: Any) -> str:
    if value is None:
        return "пустое значение"
    if isinstance(value, (dict, list)):
        return "значение" if value else "пустое значение"
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return f"«{visible(text[:60])}…»" if len(text) > 60 else f"«{visible(text)}»"
