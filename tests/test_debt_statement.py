"""Issue 13, point 11: an invoice never changes after it is issued, and the state of the debt on a later
date is the debt statement («Расчёт задолженности»), annexed to the notice and the pretension or built
alone. Every figure below is worked by hand in the comments from the example cases and the key-rate
table (pipeline/figures/data/key_rates.csv: 14 % from 27.07.2026 on)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from test_golden import docx_text

from pipeline import documents
from pipeline.cli import main
from pipeline.documents import BY_NAME, KINDS
from pipeline.figures.calc import compute_figures
from pipeline.figures.rates import load_key_rates
from pipeline.inputs.validate import validate_inputs
from pipeline.models import Payment
from pipeline.word.render import TemplateCache, render_docx_bytes
from pipeline.wording.context import build_context

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
CACHE = TemplateCache()
INPUTS = validate_inputs([ROOT / "cases"], ROOT / "shop.yaml")
CASES = {Path(case.source).stem: case for case in INPUTS.cases}


def rendered(stem: str, kind: str, as_of: date, case=None, **options) -> str:
    """The text of `kind` for the example case `stem` on `as_of`, spaces unbroken."""
    case = case or CASES[stem]
    figures = compute_figures(case, INPUTS.shop, as_of, load_key_rates(), allow_unconfirmed_rates=True)
    context = build_context(case, INPUTS.shop, figures, kind, **options)
    return docx_text(render_docx_bytes(TEMPLATES / f"{kind}.docx", context, CACHE)).replace("\u00a0", " ")


# --- the invoice, frozen at its date ----------------------------------------------------


def test_the_invoice_reads_the_same_whatever_the_as_of_date():
    # smirnova: invoice 163 of 18.09.2026, 5 000,00 paid on 05.10.2026 — after the invoice.
    before_payment = rendered("smirnova-unpaid", "invoice", date(2026, 9, 20))
    after_payment = rendered("smirnova-unpaid", "invoice", date(2026, 12, 2))
    assert before_payment == after_payment
    assert "Оплачено" not in after_payment and "Остаток к оплате" not in after_payment
    assert "Сумма: 24 940,50 руб." in after_payment  # the QR code asks for the whole invoice


def test_the_invoice_counts_only_the_advances_paid_by_its_own_date():
    # An advance of 5 000,00 on the invoice's date 18.09 and 3 000,00 on 05.10: the invoice shows
    # only the advance, 24 940,50 − 5 000,00 = 19 940,50 left, and asks for that in its QR code.
    payments = (
        Payment(date(2026, 9, 18), Decimal("5000.00"), "cash"),
        Payment(date(2026, 10, 5), Decimal("3000.00"), "card"),
    )
    case = replace(CASES["smirnova-unpaid"], payments=payments)
    text = rendered("smirnova-unpaid", "invoice", date(2026, 12, 2), case=case)
    assert "Оплачено на 18.09.2026: | 5 000,00" in text
    assert "Остаток к оплате: | 19 940,50" in text
    assert "Сумма: 19 940,50 руб." in text
    figures = compute_figures(case, INPUTS.shop, date(2026, 12, 2), load_key_rates(), allow_unconfirmed_rates=True)
    qr = build_context(case, INPUTS.shop, figures, "invoice")["qr"]
    assert "|Sum=1994050|" in qr.payload


# --- the statement: smirnova, ст. 395 interest ------------------------------------------

# Invoice 24 940,50, due 23.09.2026; 5 000,00 paid on 05.10.2026; as of 02.12.2026, 14 % all along.
# Principal: 24 940,50 − 5 000,00 = 19 940,50.
# Interest from 24.09: the day of payment accrues on the old balance (Пленум ВС РФ № 7, п. 48).
#   24.09–05.10: 7 days of September + 5 of October = 12 days on 24 940,50:
#     24 940,50 × 0,14 = 3 491,67; × 12 = 41 900,04; / 365 = 114,7946… → 114,79
#   06.10–02.12: 26 days of October + 30 of November + 2 of December = 58 days on 19 940,50:
#     19 940,50 × 0,14 = 2 791,67; × 58 = 161 916,86; / 365 = 443,6078… → 443,61
#   Interest 114,79 + 443,61 = 558,40; the claim 19 940,50 + 558,40 = 20 498,90.
SMIRNOVA_AS_OF = date(2026, 12, 2)


def test_smirnova_statement_alone_states_the_payment_the_principal_and_the_interest_by_period():
    text = rendered("smirnova-unpaid", "debt_statement", SMIRNOVA_AS_OF)
    lines = text.splitlines()
    assert lines[4:6] == ["РАСЧЁТ ЗАДОЛЖЕННОСТИ", "по состоянию на 02.12.2026"]  # no annex line when alone
    assert "Приложение к" not in text
    assert "счёт № 163 от 18.09.2026 на сумму 24 940,50 руб." in text
    assert "срок оплаты — не позднее 23.09.2026." in text
    assert "1 | 05.10.2026 | банковской картой | 5 000,00" in lines
    assert "Основной долг на 02.12.2026: 24 940,50 − 5 000,00 = 19 940,50 руб." in lines
    assert "24.09.2026 | 05.10.2026 | 12 | 24 940,50 | 14 % | 365 | 114,79" in lines
    assert "06.10.2026 | 02.12.2026 | 58 | 19 940,50 | 14 % | 365 | 443,61" in lines
    assert "Итого процентов: | 558,40" in lines
    assert lines[lines.index("Итого процентов: | 558,40") + 1].startswith("Проценты = задолженность × ключевая ставка")
    assert "Итого: | 20 498,90" in lines
    assert "Общая сумма задолженности — 20 498,90 руб." in text
    assert "хранение" not in text.lower()  # smirnova's car is not stored: nothing is charged for it


@pytest.mark.parametrize(
    ("letter", "number", "heading"),
    [
        ("pretension", "ПР-2026-0001", "Приложение к претензии № ПР-2026-0001 от 02.12.2026"),
        ("overdue_notice", "УВ-2026-0001", "Приложение к уведомлению о просрочке оплаты № УВ-2026-0001 от 02.12.2026"),
    ],
)
def test_the_statement_as_an_annex_names_its_letter_in_the_dative(letter, number, heading):
    alone = rendered("smirnova-unpaid", "debt_statement", SMIRNOVA_AS_OF)
    annexed = rendered("smirnova-unpaid", "debt_statement", SMIRNOVA_AS_OF, annex_of=(letter, number, SMIRNOVA_AS_OF))
    # The letterhead's four lines, then the annex line, then the same statement.
    assert annexed.splitlines()[4] == heading
    assert annexed.splitlines()[:4] + annexed.splitlines()[5:] == alone.splitlines()


def test_the_letters_list_the_statement_they_are_sent_with():
    notice = rendered("smirnova-unpaid", "overdue_notice", SMIRNOVA_AS_OF)
    pretension = rendered("smirnova-unpaid", "pretension", SMIRNOVA_AS_OF)
    assert "Приложение: Расчёт задолженности на 02.12.2026." in notice.splitlines()
    assert "3. Расчёт задолженности на 02.12.2026." in pretension.splitlines()  # after the order and the invoice


# --- the statement: vector, a contract penalty that reaches its cap ---------------------

# Invoice 17 977,25 (7 800,00 + 3 400,00 + 2 500,00 + 4,5 × 950,50 = 4 277,25), due 15.10.2026;
# 5 000,00 paid on 20.10.2026; 0,1 % a day, at most 10 % of the invoice: 1 797,725 → 1 797,73.
# As of 01.03.2027:
#   16.10–20.10: 5 days on 17 977,25: × 0,001 × 5 = 89,886… → 89,89
#   21.10.2026–01.03.2027: 11 + 30 + 31 + 31 + 28 + 1 = 132 days on 12 977,25 (no split at the year's end:
#     a contract rate does not depend on the year): 12 977,25 × 0,001 × 132 = 1 712,997 → 1 713,00
#   by the rows 89,89 + 1 713,00 = 1 802,89 > 1 797,73: the cap; the claim 12 977,25 + 1 797,73 = 14 774,98.
VECTOR_AS_OF = date(2027, 3, 1)


def test_vector_statement_shows_the_cap_note_right_under_the_penalty_table():
    text = rendered("vector-company", "debt_statement", VECTOR_AS_OF)
    lines = text.splitlines()
    assert "2. Неустойка (ст. 330 ГК РФ)" in lines
    assert "16.10.2026 | 20.10.2026 | 5 | 17 977,25 | 0,1 % | 89,89" in lines
    assert "21.10.2026 | 01.03.2027 | 132 | 12 977,25 | 0,1 % | 1 713,00" in lines
    total_row = lines.index("Итого неустойки по расчёту: | 1 802,89")
    assert lines[total_row + 1] == (
        "Неустойка = задолженность × ставка в день × дни. Неустойка по расчёту — 1 802,89 руб.; по условиям "
        "договора (п. 5.2 договора-заказ-наряда) она не может превышать 10 % от суммы счёта, то есть "
        "1 797,73 руб. К оплате — 1 797,73 руб."
    )
    assert "Неустойка (ст. 330 ГК РФ) за период с 16.10.2026 по 01.03.2027 | 1 797,73" in lines
    assert "Итого: | 14 774,98" in lines
    # A penalty at its cap cannot grow: the statement does not claim it «по день фактического исполнения».
    assert "по день фактического" not in text


# --- the kind --------------------------------------------------------------------------


def test_the_statement_is_declared_on_request_and_annexed_to_both_letters():
    statement = BY_NAME["debt_statement"]
    assert statement.on_request and not statement.journalled and not statement.number_prefix
    assert [kind.name for kind in KINDS if "debt_statement" in kind.annexes] == ["overdue_notice", "pretension"]
    assert all(kind.title_dative for kind in KINDS if kind.annexes)  # every letter with an annex can be named


def test_registering_the_lawyers_letters_keeps_the_programs_own_kinds():
    documents.register_letters([])
    assert "debt_statement" in BY_NAME


def test_build_only_debt_statement_makes_it_alone_through_the_command_line(tmp_path):
    out = tmp_path / "out"
    command = ["build", str(ROOT / "cases" / "smirnova-unpaid.yaml"), "--shop", str(ROOT / "shop.yaml")]
    command += ["--only", "debt_statement", "--as-of", "2026-12-02", "--out", str(out), "--format", "docx"]
    assert main([*command, "--allow-unconfirmed-rates"]) == 0
    made = sorted(path.relative_to(out).as_posix() for path in out.rglob("*.docx"))
    assert made == ["ZN-2026-0163/debt_statement.docx"]
    paragraphs = [p.text for p in Document(str(out / made[0])).paragraphs]
    assert "по состоянию на 02.12.2026" in paragraphs
    assert not any(text.startswith("Приложение к") for text in paragraphs)
