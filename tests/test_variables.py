"""variables.py is the one description of the template variables: the contexts
context.py really builds have exactly its paths and types, and the lawyers'
reference docs/template-variables.md is generated from it."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.commands.check_templates import SAMPLE_AS_OF
from pipeline.commands.steps import court_plan_of
from pipeline.documents import KIND_NAMES as DOCUMENT_KINDS
from pipeline.figures.calc import compute_figures, with_client_debt
from pipeline.figures.credit import client_debts
from pipeline.figures.rates import load_key_rates
from pipeline.inputs.validate import validate_inputs
from pipeline.models import Payment
from pipeline.word.reference import reference_markdown
from pipeline.wording.context import CONTEXT_KEYS, QrCode, build_context
from pipeline.wording.variables import (
    FLAG,
    GROUP,
    IMAGE,
    LIST,
    NUMBER,
    TEXT,
    VARIABLES,
    Variable,
    variable_paths,
)

ROOT = Path(__file__).resolve().parent.parent
DECLARED = variable_paths()
TYPES = {TEXT: str, NUMBER: int, FLAG: bool, GROUP: dict, LIST: list, IMAGE: QrCode}


def example_contexts():
    """Every kind for every example case (due or not), with and without a notice sent, one overpaid, and
    the debt statement as the annex of a pretension."""
    inputs = validate_inputs([ROOT / "cases"], ROOT / "shop.yaml")
    assert inputs.problems == ()
    for case in inputs.cases:
        figures = compute_figures(case, inputs.shop, SAMPLE_AS_OF, load_key_rates(), allow_unconfirmed_rates=True)
        court = court_plan_of(case, figures)  # a court application's plan; unused by the other kinds
        for kind in DOCUMENT_KINDS:
            yield f"{case.id}/{kind}", build_context(case, inputs.shop, figures, kind, court=court)
            yield (
                f"{case.id}/{kind}+notice",
                build_context(case, inputs.shop, figures, kind, notice=("УВ-1", date(2026, 10, 20))),
            )
        # An advance 500.00 above the invoice, paid on its date: the invoice shows the overpayment.
        advance = Payment(case.invoice.date, figures.total + Decimal("500.00"), "cash")
        overpaid = replace(case, payments=(advance,))
        yield f"{case.id}/overpaid", build_context(overpaid, inputs.shop, figures, "invoice")
        # The client's debt across its cases (figures/credit.py), as build and batch give it.
        debt = client_debts([(case, figures.outstanding + Decimal("20000.00"))])[case.id]
        yield (
            f"{case.id}/credit",
            build_context(case, inputs.shop, with_client_debt(case, figures, debt), "prepayment_notice"),
        )
        annex_of = ("pretension", "ПР-2026-0001", SAMPLE_AS_OF)
        yield f"{case.id}/annex", build_context(case, inputs.shop, figures, "debt_statement", annex_of=annex_of)


CONTEXTS = list(example_contexts())


def walk(value, path: str = ""):
    """(path, value) for every value in a context, list items as `name[]`."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, f"{path}.{key}" if path else key)
    else:
        yield path, value
        if isinstance(value, list):
            for item in value:
                yield from walk(item, f"{path}[]")


def text_item(path: str) -> Variable | None:
    """An item of a list declared without fields is a text."""
    owner = DECLARED.get(path.removesuffix("[]")) if path.endswith("[]") else None
    return Variable(path, TEXT, "") if owner and owner.type == LIST and not owner.fields else None


def type_fits(declared, value) -> bool:
    if value is None:
        return declared.optional
    if declared.type == NUMBER and value == "":
        return True  # e.g. days in year of a contract penalty's row: printed as nothing
    return isinstance(value, TYPES[declared.type]) and not (declared.type == NUMBER and isinstance(value, bool))


@pytest.mark.parametrize("name, context", CONTEXTS, ids=[name for name, _ in CONTEXTS])
def test_every_context_value_is_declared_with_its_type(name, context):
    for path, value in walk(context):
        if isinstance(value, dict):
            continue
        declared = DECLARED.get(path) or text_item(path)
        assert declared, f"{name}: {path} is built by context.py but not declared in variables.py"
        assert type_fits(declared, value), f"{name}: {path} = {value!r} is not {declared.type}"
    groups = {path for path, variable in DECLARED.items() if variable.type == GROUP}
    for path in groups:
        value = _lookup(context, path)
        if isinstance(value, dict):
            assert set(value) == {v.name for v in DECLARED[path].fields}, f"{name}: {path} keys differ"


def _lookup(context: dict, path: str):
    value = context
    for part in path.split("."):
        if not isinstance(value, dict) or "[]" in part:
            return None
        value = value.get(part)
    return value


def test_every_declared_variable_is_built_for_some_example():
    seen = {path for _, context in CONTEXTS for path, _ in walk(context)}
    seen |= {path[:index] for path in seen for index, char in enumerate(path) if char == "."}
    assert [path for path in DECLARED if path not in seen] == []


def test_context_keys_are_the_declared_top_level_variables():
    assert list(CONTEXT_KEYS) == [variable.name for variable in VARIABLES]


def test_the_lawyers_reference_is_up_to_date():
    reference = ROOT / "docs" / "template-variables.md"
    assert reference.read_text(encoding="utf-8") == reference_markdown(), (
        "docs/template-variables.md отстал от pipeline/wording/variables.py: выполните make reference"
    )


def test_the_reference_lists_every_variable_with_its_description():
    reference = reference_markdown()
    for path, variable in DECLARED.items():
        assert f"| `{path}` | {variable.type}" in reference
        assert variable.description


def test_a_flag_said_to_show_a_text_filled_does_in_every_example():
    """`{% if storage.has_basis %}` may guard `{{ storage.basis }}` (declare.Variable.filled_when) only if it is so."""
    guarded = {path: variable for path, variable in DECLARED.items() if variable.filled_when}
    assert guarded, "no variable declares filled_when"
    for name, context in CONTEXTS:
        for path, variable in guarded.items():
            group = _lookup(context, path.rsplit(".", 1)[0])
            if isinstance(group, dict) and any(group[flag] for flag in variable.filled_when):
                assert group[variable.name], f"{name}: {path} is empty though {variable.filled_when} says filled"
