"""The compiled schema check (pipeline/inputs/schema_compiled.py) says "valid" exactly when jsonschema
finds no error: on every file of the tests, on every single change of the example cases, and on
small schemas whose answer is worked out by hand. And every example case takes the fast way."""

from __future__ import annotations

import copy
import importlib.util
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from jsonschema import Draft202012Validator
from referencing import Registry
from test_fuzz import CASE_TEXTS, FUZZ, SHOP_TEXT, mutated_yaml

from pipeline.errors import InputError
from pipeline.inputs.load import load_yaml, parse_yaml
from pipeline.inputs.schema import _schemas, check_schema, normalise_scalars
from pipeline.inputs.schema_compiled import TYPES, compile_validity

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "cases").glob("*.yaml"))
WRONG_CASES = sorted((ROOT / "tests" / "wrong" / "cases").glob("*.yaml"))
WRONG_SHOPS = sorted((ROOT / "tests" / "wrong" / "shops").glob("*.yaml"))
# Values a hand or a fuzzer puts where another belongs: each type, the edges of numbers, texts and dates.
HOSTILE = [
    None,
    True,
    False,
    0,
    -1,
    10**12,
    Decimal("0.001"),
    Decimal("1.005"),
    Decimal("-5"),
    Decimal("1E+3"),
    1.5,
    "",
    " ",
    "x" * 2001,
    "2026-02-30",
    "2026-09-01",
    "2126-09-01",
    "2026-09-03T14:30",
    "sent",
    [],
    [None],
    {},
    {"kind": "hold"},
]


def loaded_data(path: Path) -> Any:
    loaded = load_yaml(path)
    normalise_scalars(loaded)
    return loaded.data


def agree(kind: str, data: Any) -> tuple[bool, bool]:
    """(the compiled check's answer, jsonschema's), for one value."""
    schema = _schemas()[kind]
    return schema.is_valid(data), not any(True for _ in schema.validator.iter_errors(data))


def make_cases_tool():
    spec = importlib.util.spec_from_file_location("make_cases", ROOT / "tools" / "make_cases.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_every_example_takes_the_fast_way(tmp_path):
    synthetic = make_cases_tool().write_cases(40, tmp_path, events=5)
    for path in [*EXAMPLES, *synthetic]:
        assert agree("case", loaded_data(path)) == (True, True), path.name
    assert agree("shop", loaded_data(ROOT / "shop.yaml")) == (True, True)


@pytest.mark.parametrize("path", WRONG_CASES + WRONG_SHOPS, ids=lambda path: path.name)
def test_agrees_with_jsonschema_on_the_wrong_files(path):
    try:
        data = loaded_data(path)
    except InputError:
        return  # refused before the schema: nothing to compare
    fast, slow = agree("shop" if path.parent.name == "shops" else "case", data)
    assert fast == slow


def paths_of(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found.append((*prefix, key))
        found += paths_of(item, (*prefix, key))
    return found


def changed(data: Any, path: tuple, value: Any, delete: bool = False) -> Any:
    copied = copy.deepcopy(data)
    parent = copied
    for step in path[:-1]:
        parent = parent[step]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return copied


@pytest.mark.parametrize(
    "name", ["petrov-instalments.yaml", "vector-company.yaml", "orlov-written-off.yaml", "ivanov-refusal.yaml"]
)
def test_agrees_with_jsonschema_on_every_single_change(name):
    data = loaded_data(ROOT / "cases" / name)
    disagreements, invalid = [], 0
    for path in paths_of(data):
        variants = [changed(data, path, None, delete=True)] + [changed(data, path, value) for value in HOSTILE]
        if isinstance(path[-1], str):  # an unknown key beside it
            variants.append(changed(data, (*path[:-1], path[-1] + "x"), "значение"))
        for variant in variants:
            fast, slow = agree("case", variant)
            invalid += not slow
            if fast != slow:
                disagreements.append((path, fast, slow))
    assert disagreements == []
    assert invalid > 100  # the changes do break the file, so both sides were tested


@FUZZ
@given(text=mutated_yaml(CASE_TEXTS))
def test_agrees_with_jsonschema_on_mutated_cases(text):
    assert_agree_on_text("case", text)


@FUZZ
@given(text=mutated_yaml([SHOP_TEXT]))
def test_agrees_with_jsonschema_on_mutated_shop_profiles(text):
    assert_agree_on_text("shop", text)


def assert_agree_on_text(kind: str, text: str) -> None:
    try:
        loaded = parse_yaml(text, Path("x.yaml"))
    except InputError:
        return
    normalise_scalars(loaded)
    fast, slow = agree(kind, loaded.data)
    assert fast == slow


def test_the_types_are_jsonschemas():
    checker = Draft202012Validator.TYPE_CHECKER
    for value in [*HOSTILE, 2.0, -0.0, 10**400]:
        for name, test in TYPES.items():
            assert test(value) == checker.is_type(value, name), (value, name)


def compiled(schema: dict) -> Any:
    validator = Draft202012Validator(schema)
    return compile_validity(validator, Registry())


def test_a_keyword_it_does_not_know_is_left_to_jsonschema():
    unique = compiled({"type": "array", "uniqueItems": True})
    assert unique([1, 2]) is False  # valid for jsonschema, but not judged here: jsonschema decides
    assert compiled({"type": "array"})([1, 2]) is True


def test_a_discriminated_one_of_checks_the_branch_of_the_kind():
    schema = {
        "type": "object",
        "oneOf": [
            {"properties": {"kind": {"const": "hold"}, "reason": {"type": "string"}}, "required": ["kind", "reason"]},
            {"properties": {"kind": {"const": "resume"}}, "required": ["kind"]},
        ],
    }
    check = compiled(schema)
    assert check({"kind": "hold", "reason": "спор"}) is True
    assert check({"kind": "hold"}) is False  # its branch wants a reason
    assert check({"kind": "resume", "reason": 5}) is True  # resume's branch says nothing of reason
    assert check({"kind": "promise"}) is False  # no branch of that kind: none valid
    assert check({}) is False  # no kind: no branch valid
    ordinary = compiled({"oneOf": [{"type": "integer"}, {"minimum": 0}]})
    assert (ordinary(-1), ordinary(Decimal("1.5")), ordinary(1)) == (True, True, False)  # exactly one


def test_references_and_bounds():
    schema = {
        "$defs": {"day": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}},
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "date": {"$ref": "#/$defs/day"},
            "amount": {"type": "number", "exclusiveMinimum": 0, "maximum": 100},
            "lines": {"type": "array", "maxItems": 2, "items": {"type": "string", "minLength": 1}},
        },
    }
    check = compiled(schema)
    assert check({"date": "2026-09-01", "amount": Decimal("100"), "lines": ["a", "b"]}) is True
    assert check({"date": "1.9.2026"}) is False
    assert check({"amount": 0}) is False
    assert check({"amount": Decimal("100.01")}) is False
    assert check({"amount": True}) is False  # a boolean is no number
    assert check({"lines": ["a", "b", "c"]}) is False
    assert check({"lines": [""]}) is False
    assert check({"other": 1}) is False


def test_the_errors_are_still_jsonschemas():
    # The fast check only skips jsonschema for a valid file: a wrong one gets every error as before.
    loaded = load_yaml(ROOT / "cases" / "petrov-instalments.yaml")
    normalise_scalars(loaded)
    loaded.data["events"][0]["date"] = "2026-02-30"
    problems = check_schema(loaded, "case")
    assert [(problem.field, problem.message) for problem in problems] == [
        ("events[1].date", "«2026-02-30» — не существующая дата")
    ]
