"""Variables that may be empty, used outside a condition (issue 18, point 4): check-templates
finds each statically — a field of a group that may be None, a text that may be "" printed
blind — naming the paragraph, the variable and the condition to wrap it in; a render that
still meets one says the same in Russian, not «'None' has no attribute»."""

from pathlib import Path

import pytest
from test_check_templates import SAMPLES, edited, find_paragraph, problems_of

from pipeline.cli import main
from pipeline.documents import KINDS
from pipeline.errors import TemplateError
from pipeline.word.optional_uses import check_optional_uses
from pipeline.word.render import TemplateCache, render_docx_bytes
from pipeline.wording.presence import ALWAYS, NEVER, SOMETIMES, presence

ROOT = Path(__file__).resolve().parent.parent
CASES = ["--cases", str(ROOT / "cases"), "--shop", str(ROOT / "shop.yaml")]
ENVIRONMENT = TemplateCache().environment
WRAP_REFUSAL = "оберните абзац в {%p if refusal %} … {%p endif %} (или часть фразы в {% if refusal %}…{% endif %})"


def gaps(source: str, always_filled: frozenset[str] = frozenset()) -> list[str]:
    return [finding.message for finding in check_optional_uses(ENVIRONMENT.parse(source), ENVIRONMENT, always_filled)]


def with_paragraph(text: str):
    """An edit adding a paragraph of `text` before the salutation."""
    return lambda document: find_paragraph(document, "{{ client.salutation }}").insert_paragraph_before(text)


@pytest.mark.parametrize(
    "source",
    [
        "{% if refusal %}{{ refusal.date }}{% endif %}",
        "{% if refusal is not none %}{{ refusal.date }}{% endif %}",
        "{% if refusal != None %}{{ refusal.date }}{% endif %}",
        "{% if not refusal %}нет{% else %}{{ refusal.date }}{% endif %}",
        "{% if invoice %}{% elif refusal %}{{ refusal.date }}{% endif %}",
        "{{ refusal.date if refusal else '' }}",
        "{{ refusal and refusal.date }}",
        "{% if storage and storage.notice %}{{ storage.notice.date }}{% endif %}",
        "{% if storage and storage.notice %}{{ storage.start }}{% endif %}",
        "{% if storage %}{% if storage.has_basis %}({{ storage.basis }}){% endif %}{% endif %}",
        "{% if client.email %}Почта: {{ client.email }}.{% endif %}",
        "Почта: {{ client.email|default('не указана', true) }}.",
        "{% for row in lines.billed %}{{ row.name }}{% endfor %}",
        "{{ client.name }}, {{ penalty.total }}",
    ],
)
def test_a_use_under_a_condition_that_tests_it_is_fine(source):
    assert gaps(source) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "Отказ от {{ refusal.date }}.",
            f"«refusal.date» стоит вне условия, а группа «refusal» бывает пуста: в таком деле документ не "
            f"соберётся; {WRAP_REFUSAL}",
        ),
        (
            "{% if refusal.client_signed %}подписан{% endif %}",
            f"«refusal.client_signed» стоит вне условия, а группа «refusal» бывает пуста: в таком деле документ "
            f"не соберётся; {WRAP_REFUSAL}",
        ),
        (
            "{{ refusal.at }} — {{ refusal.channel }}",
            f"«refusal.at», «refusal.channel» стоят вне условия, а группа «refusal» бывает пуста: в таком деле "
            f"документ не соберётся; {WRAP_REFUSAL}",
        ),
        (
            "{% if storage %}{{ storage.notice.date }}{% endif %}",
            "«storage.notice.date» стоит вне условия, а группа «storage.notice» бывает пуста: в таком деле "
            "документ не соберётся; оберните абзац в {%p if storage.notice %} … {%p endif %} (или часть фразы в "
            "{% if storage.notice %}…{% endif %})",
        ),
        (
            "Электронная почта заказчика: {{ client.email }}.",
            "«client.email» стоит вне условия, а бывает пусто: абзац напечатается с пропуском; оберните абзац в "
            "{%p if client.email %} … {%p endif %} (или часть фразы в {% if client.email %}…{% endif %})",
        ),
        (
            "{{ client.email|upper }}",
            "«client.email» стоит вне условия, а бывает пусто: абзац напечатается с пропуском; оберните абзац в "
            "{%p if client.email %} … {%p endif %} (или часть фразы в {% if client.email %}…{% endif %})",
        ),
        (
            "№ {{ storage.notice.number }}",
            "«storage.notice.number» стоит вне условия, а бывает пусто: абзац напечатается с пропуском; оберните "
            "абзац в {%p if storage and storage.notice and storage.notice.number %} … {%p endif %} (или часть "
            "фразы в {% if storage and storage.notice and storage.notice.number %}…{% endif %})",
        ),
    ],
)
def test_a_use_no_condition_tests_is_named_with_the_condition_to_wrap_it_in(source, expected):
    assert gaps(source) == [expected]


def test_a_group_the_documents_kind_always_has_needs_no_condition():
    assert gaps("{{ refusal.date }}", frozenset({"refusal"})) == []


def test_check_templates_names_the_paragraph_the_variable_and_the_condition(tmp_path, capsys):
    path = edited(tmp_path, "pretension", with_paragraph("Отказ от ремонта заявлен {{ refusal.date }}."))
    assert problems_of(path) == [
        f"{path}: «refusal.date» стоит вне условия, а группа «refusal» бывает пуста: в таком деле документ не "
        f"соберётся; {WRAP_REFUSAL} — в абзаце 16 «Отказ от ремонта заявлен {{{{ refusal.date }}}}.»"
    ]
    assert main(["check-templates", str(path), *CASES]) == 1
    assert "«refusal.date» стоит вне условия" in capsys.readouterr().err


def test_an_optional_text_printed_blind_is_an_error_the_guide_shows_as_it_is(tmp_path):
    path = edited(tmp_path, "pretension", with_paragraph("Электронная почта заказчика: {{ client.email }}."))
    (problem,) = problems_of(path)
    assert "«client.email» стоит вне условия, а бывает пусто" in problem
    assert problem.endswith("— в абзаце 16 «Электронная почта заказчика: {{ client.email }}.»")
    guide = (ROOT / "docs" / "for-lawyers.md").read_text(encoding="utf-8")
    assert f"    {problem.replace(str(path), 'templates/pretension.docx')}\n" in guide


def test_the_refusal_act_may_use_the_refusal_anywhere(tmp_path):
    path = edited(
        tmp_path,
        "refusal_act",
        lambda d: find_paragraph(d, "Акт составлен в двух").insert_paragraph_before("Отказ от {{ refusal.date }}."),
    )
    assert problems_of(path) == []


def test_a_render_meeting_an_empty_group_names_the_variable_and_the_fix(tmp_path):
    path = edited(tmp_path, "pretension", with_paragraph("Отказ от ремонта заявлен {{ refusal.date }}."))
    sample = next(s for s in SAMPLES if s.kind == "pretension" and "smirnova" in s.source)  # no refusal
    with pytest.raises(TemplateError) as raised:
        render_docx_bytes(path, sample.context, TemplateCache())
    assert str(raised.value) == (
        f"pretension.docx: «refusal.date» стоит вне условия, а группа «refusal» бывает пуста: в таком деле "
        f"документ не соберётся; {WRAP_REFUSAL} (абзац «Отказ от ремонта заявлен {{{{ refusal.date }}}}.»)"
    )


def _value(context, path: str):
    """The value at a dotted path («instalments.missed»); None when a group on the way is empty."""
    for name in path.split("."):
        context = context[name] if context is not None else None
    return context


def test_the_groups_a_kind_needs_are_filled_in_every_sample_of_it():
    for sample in SAMPLES:
        kind = next(kind for kind in KINDS if kind.name == sample.kind)
        assert all(_value(sample.context, group) is not None for group in kind.needs), (sample.source, sample.kind)


def test_presence_of_a_group_per_kind():
    by_name = {kind.name: kind for kind in KINDS}
    assert presence("refusal", by_name["refusal_act"]) == ALWAYS
    assert presence("refusal", by_name["pretension"]) == SOMETIMES
    assert presence("notice", by_name["pretension"]) == SOMETIMES
    assert presence("notice", by_name["overdue_notice"]) == NEVER
    assert presence("client", by_name["invoice"]) == ALWAYS
    assert presence("storage", None) == SOMETIMES  # a lawyer's letter
    assert presence("notice", None) == NEVER
