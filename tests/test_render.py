"""Rendering the Word templates: content, escaping, strictness, sandbox, determinism."""

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from doc_factories import scenario
from docx import Document
from docx.oxml.ns import qn

from pipeline.errors import TemplateError
from pipeline.word.render import TemplateCache, render_docx, single_period_after_abbreviation
from pipeline.wording.context import build_context

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
NBSP = "\u00a0"


def document_text(path: Path) -> str:
    """Every paragraph's text, tables and headers/footers included, NBSP read as a space."""
    document = Document(str(path))
    paragraphs = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in document.element.body.iter(qn("w:p"))]
    return "\n".join(paragraphs).replace(NBSP, " ")


def render(tmp_path: Path, name: str, kind: str, case_changes=None) -> str:
    case, shop, figures = scenario(name)
    if case_changes:
        case = replace(case, **case_changes)
    target = render_docx(
        TEMPLATES / f"{kind}.docx", build_context(case, shop, figures, kind), tmp_path / f"{kind}.docx"
    )
    return document_text(target)


def assert_clean(text: str) -> None:
    for leftover in ("{{", "}}", "{%", "%}", "руб..", "г.."):
        assert leftover not in text


# (scenario, kind, phrases the document must contain)
EXPECTED = [
    (
        "ivanov",
        "refusal_act",
        [
            "АКТ № АО-147",
            "«3» сентября 2026 г. в 14:30",
            "Отказ заявлен Заказчиком лично",
            "Свой отказ Заказчик объяснил тем, что считает стоимость ремонта завышенной",  # reported, not quoted
            "Lada Vesta, 2020 г. в., г/н А123ВС777, VIN XTAGFL110LY123456",
            "4 640,00",  # done: 1500 + 1440 + 1700
            "5 900,00",  # the part bought for the order, at its cost (not the order price 6 200,00)
            "Развал-схождение (не выполнялось)",
            "10 540,00 руб. (десять тысяч пятьсот сорок рублей 00 копеек)",  # 4 640 + 5 900
            "п. 2 ст. 731 ГК РФ",
            "300,00 руб. за каждые сутки хранения",
            "Заказчик от подписи отказался",
            "Смирнов А. А., автослесарь",
            "Орлова Е. В., администратор",
        ],
    ),
    (
        "ivanov",
        "invoice",
        [
            "СЧЁТ НА ОПЛАТУ № 147 от «3» сентября 2026 г.",
            "за частично выполненный ремонт автомобиля",
            "выполнено на 40 %",
            "закуплено для заказа, не установлено — расходы",
            "В т.ч. НДС 22 %:",
            "1 900,66",  # 10 540 × 22 / 122 = 1 900,655…
            "Десять тысяч пятьсот сорок рублей 00 копеек",
            "Оплатить не позднее «8» сентября 2026 г.",
            # The 2 000,00 of 10.09 came after the invoice of 03.09: the invoice asks for all of it.
            "Сумма: 10 540,00 руб.",
            "Оплата по счёту № 147 от 03.09.2026 за ремонт автомобиля по заказ-наряду № ЗН-0147",
            "044525225",
            "40702810938000071234",
        ],
    ),
    (
        "ivanov",
        "overdue_notice",
        [
            "Иванову Ивану Ивановичу",
            "Уважаемый Иван Иванович!",
            "просрочка оплаты — 42 дня",
            "139,11",  # 8,09 + 131,02
            "131,02",  # 8540 × 14 % × 40 / 365
            "13 200,00",  # 44 paid days × 300
            "21 879,11",  # 8 540 + 139,11 + 13 200
            "«27» октября 2026 г.",
            "досудебную претензию",
        ],
    ),
    (
        "ivanov",
        "pretension",
        [
            "ДОСУДЕБНАЯ ПРЕТЕНЗИЯ",
            "ст. 309, 717, п. 2 ст. 731 ГК РФ",  # a refusal case: the refusal is lawful, the work done is paid
            "№ 780",
            "требуем в течение 10 (десяти) календарных дней со дня получения настоящей претензии",  # the shop is a company
            "21 879,11 руб. (двадцать одна тысяча восемьсот семьдесят девять рублей 11 копеек)",
            "Копия акта об отказе заказчика",
            "п. 3 ст. 395 ГК РФ",
            "государственная пошлина",
        ],
    ),
    (
        "vector",
        "pretension",
        [
            "Генеральному директору ООО «Вектор»",
            "Сидорову С. С.",
            "Уважаемый Сидор Сидорович!",
            "ИНН 5027323640, КПП 502701001, ОГРН 1195040778503",
            "неустойка в размере 0,1 % от неоплаченной суммы",
            "п. 4 ст. 395 ГК РФ",
            "402,29",  # 12977.25 × 0.1 % × 31
            "13 469,43",  # 12977.25 + 492.18
            "в течение 30 (тридцати) календарных дней",  # a business client: АПК РФ ч. 5 ст. 4
            "ч. 5 ст. 4 АПК РФ",
            "арбитражный суд",
        ],
    ),
    (
        "vector",
        "invoice",
        # The 5 000,00 of 20.10 came after the invoice of 05.10: the QR code asks for the whole 17 977,25.
        ["17 977,25", "3 241,80", "4,5", "Сумма: 17 977,25 руб."],
    ),
    (
        "sokolova",
        "pretension",
        [
            "Индивидуальному предпринимателю Соколовой Елене Викторовне",
            "Уважаемая Елена Викторовна!",
            "ИНН 771507055500, ОГРНИП 318773082168408",
            "31.12.2026",
            "01.01.2027",  # the interest rows split at the year end
            "4 686,46",  # 4600 + 59.99 + 26.47
            "ч. 5 ст. 4 АПК РФ",
            "без НДС",
            "М.П. (при наличии)",
        ],
    ),
    ("sokolova", "invoice", ["Без НДС", "Четыре тысячи шестьсот рублей 00 копеек", "ОГРНИП 304500116000157"]),
    ("kuznetsov", "invoice", ["Счёт оплачен полностью", "7 590,00", "1 368,69"]),
]


@pytest.mark.parametrize(("name", "kind", "phrases"), EXPECTED, ids=[f"{n}-{k}" for n, k, _ in EXPECTED])
def test_document_contains_its_figures_and_phrases(tmp_path, name, kind, phrases):
    text = render(tmp_path, name, kind)
    assert_clean(text)
    missing = [phrase for phrase in phrases if phrase not in text]
    assert not missing


def test_paid_invoice_has_no_qr_and_unpaid_one_has(tmp_path):
    case, shop, figures = scenario("kuznetsov")
    paid = render_docx(TEMPLATES / "invoice.docx", build_context(case, shop, figures, "invoice"), tmp_path / "p.docx")
    case, shop, figures = scenario("ivanov")
    unpaid = render_docx(TEMPLATES / "invoice.docx", build_context(case, shop, figures, "invoice"), tmp_path / "u.docx")
    assert not any(n.startswith("word/media/") for n in zipfile.ZipFile(paid).namelist())
    assert any(n.startswith("word/media/") for n in zipfile.ZipFile(unpaid).namelist())


def test_signed_act_has_no_witness_block(tmp_path):
    case, *_ = scenario("ivanov")
    signed = replace(case.refusal, client_signed=True, witnesses=())
    text = render(tmp_path, "ivanov", "refusal_act", {"refusal": signed})
    assert "С актом ознакомлен" in text
    assert "от подписи отказался" not in text


def test_letters_without_storage_or_penalty_leave_them_out(tmp_path):
    text = render(tmp_path, "vector", "overdue_notice")
    assert "хранени" not in text
    assert_clean(text)


def test_case_data_prints_exactly_as_typed(tmp_path):
    case, *_ = scenario("vector")
    odd_name = 'ООО «A&B <Test>» "{{ x }}" {% if %}'
    text = render(tmp_path, "vector", "pretension", {"client": replace(case.client, name=odd_name)})
    assert odd_name in text


def _tiny_template(path: Path, text: str) -> Path:
    document = Document()
    document.add_paragraph(text)
    document.save(str(path))
    return path


def test_unknown_variable_names_the_template_and_the_variable(tmp_path):
    template = _tiny_template(tmp_path / "letter.docx", "Сумма: {{ claim.totl }}")
    with pytest.raises(TemplateError) as raised:
        render_docx(template, {"claim": {"total": "1"}}, tmp_path / "out.docx", cache=TemplateCache())
    assert "letter.docx" in str(raised.value)
    assert "totl" in str(raised.value)
    assert not (tmp_path / "out.docx").exists()


def test_sandbox_refuses_dunder_attributes(tmp_path):
    template = _tiny_template(tmp_path / "evil.docx", "{{ name.__class__.__mro__ }}")
    with pytest.raises(TemplateError, match="evil.docx"):
        render_docx(template, {"name": "x"}, tmp_path / "out.docx", cache=TemplateCache())


def test_bad_syntax_is_a_template_error(tmp_path):
    template = _tiny_template(tmp_path / "broken.docx", "{% if %}")
    with pytest.raises(TemplateError, match="broken.docx"):
        render_docx(template, {}, tmp_path / "out.docx", cache=TemplateCache())


def test_rendering_twice_gives_identical_bytes(tmp_path):
    case, shop, figures = scenario("ivanov")
    context = build_context(case, shop, figures, "overdue_notice")
    first = render_docx(TEMPLATES / "overdue_notice.docx", context, tmp_path / "a.docx", cache=TemplateCache())
    second = render_docx(TEMPLATES / "overdue_notice.docx", context, tmp_path / "b.docx")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(io.BytesIO(first.read_bytes())) as archive:
        # Fixed, whatever the case's dates (a typo of 2126 once crashed the ZIP writer).
        assert {entry.date_time[:3] for entry in archive.infolist()} == {(1980, 1, 1)}
    core = Document(str(first)).core_properties
    assert (core.created.date().isoformat(), core.modified.date().isoformat()) == ("2026-10-20", "2026-10-20")


def test_output_is_written_atomically_without_leftovers(tmp_path):
    case, shop, figures = scenario("ivanov")
    target = tmp_path / "out" / "invoice.docx"
    render_docx(TEMPLATES / "invoice.docx", build_context(case, shop, figures, "invoice"), target)
    assert [p.name for p in target.parent.iterdir()] == ["invoice.docx"]


def test_cache_reads_a_template_once(tmp_path, monkeypatch):
    cache = TemplateCache()
    template = TEMPLATES / "invoice.docx"
    cache.load(template)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read twice"))
    cache.load(template)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("до 08.09.2026 г..", "до 08.09.2026 г."), ("100,00 руб..", "100,00 руб."), ("и т. д...", "и т. д...")],
)
def test_a_full_stop_after_an_abbreviation_is_not_doubled(text, expected):
    assert single_period_after_abbreviation(text) == expected


@pytest.mark.parametrize(
    "tag",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ name.__class__.__base__.__subclasses__() }}",
        "{{ joiner.__init__.__globals__['os'] }}",
        "{{ '{0.__class__.__mro__}'.format(name) }}",
    ],
)
def test_a_template_reaching_for_python_internals_fails_with_a_clear_error(tmp_path, tag):
    template = _tiny_template(tmp_path / "hostile.docx", f"Текст {tag}")
    with pytest.raises(TemplateError) as raised:
        render_docx(template, {"name": "x"}, tmp_path / "out.docx", cache=TemplateCache())
    message = str(raised.value)
    assert message.startswith("hostile.docx: ошибка шаблона:"), message
    assert "запрещено обращаться к внутренним объектам Python" in message, message
    assert not (tmp_path / "out.docx").exists()
