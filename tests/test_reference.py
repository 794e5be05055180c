"""The lawyers' reference docs/template-variables.md (issue 18, point 6): it says in which
documents each group is filled, lists every filter with an example the renderer really
prints, and numbers letters as the journal does. test_variables.py keeps it fresh."""

import re

from pipeline.documents import BY_NAME, KINDS
from pipeline.store.journal import format_number
from pipeline.word.reference import FILTERS, TECHNICAL_FILTERS, presence_line, reference_markdown, render_example
from pipeline.word.render import TemplateCache
from pipeline.wording.variables import VARIABLES, variable_paths

REFERENCE = reference_markdown()
DECLARED = variable_paths()


def test_every_filter_of_the_renderer_is_described_or_named_as_technical():
    described = {name for doc in FILTERS for name in (doc.name, *doc.aliases)}
    assert described.isdisjoint(TECHNICAL_FILTERS)
    assert described | TECHNICAL_FILTERS == set(TemplateCache().environment.filters)


def test_every_described_filter_has_a_russian_line_and_its_rendered_example():
    for doc in FILTERS:
        assert re.search("[а-я]", doc.description), doc.name
        row = next(line for line in REFERENCE.splitlines() if line.startswith(f"| `{doc.name}` |"))
        assert row.endswith(f"| {render_example(doc.expression, doc.context).replace('|', chr(92) + '|')} |")


def test_a_filter_example_is_what_the_renderer_prints():
    assert render_example('document.date_short|replace(".", "/")') == "23/11/2026"
    assert render_example('client.email|default("не указан", true)', {"client": {"email": ""}}) == "не указан"


def test_each_group_says_in_which_documents_it_is_filled():
    for variable in VARIABLES:
        section = REFERENCE.split(f"## `{variable.name}` — ", 1)[1]
        assert section.split("\n\n", 2)[1] == presence_line(variable)
    refusal = next(variable for variable in VARIABLES if variable.name == "refusal")
    assert presence_line(refusal) == (
        "В документах: всегда — Акт об отказе заказчика от исполнения договора; когда есть в деле — Счёт на "
        "оплату, Уведомление о просрочке оплаты, Досудебная претензия, Расчёт задолженности, Соглашение о "
        "признании долга и рассрочке его погашения, Требование о досрочной оплате оставшейся суммы долга по "
        "соглашению о рассрочке, Акт о списании задолженности, письма юриста (`templates/letters/`)."
    )
    notice = next(variable for variable in VARIABLES if variable.name == "notice")
    assert presence_line(notice).startswith("В документах: когда есть в деле — Досудебная претензия; всегда пусто — ")


def test_the_numbers_of_journalled_letters_are_the_journals():
    pretension, notice = BY_NAME["pretension"], BY_NAME["overdue_notice"]
    assert DECLARED["document.number"].example == format_number(pretension.number_prefix, 2026, 1) == "ПР-2026-0001"
    assert DECLARED["notice.number"].example == format_number(notice.number_prefix, 2026, 1) == "УВ-2026-0001"
    for kind in KINDS:
        if kind.journalled:
            assert f"`{format_number(kind.number_prefix, 2026, 1)}`" in REFERENCE
