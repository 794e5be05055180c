"""Point 2 of «Letters a lawyer signs as is»: a contract penalty only with its written basis
(ГК РФ ст. 330, 331), cited by every letter that claims it; once the cap is reached no letter
threatens a penalty «по день фактического исполнения», and the cap is explained right under
the penalty table. Figures are worked by hand (doc_factories), texts are the real templates'."""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from doc_factories import make_shop, vector_case, vector_figures
from test_golden import docx_text

from pipeline.models import Penalty, PenaltyRow
from pipeline.word.render import TemplateCache, render_docx_bytes
from pipeline.wording.context import build_context

ROOT = Path(__file__).resolve().parent.parent
NBSP = "\u00a0"
CACHE = TemplateCache()


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


def rendered(kind: str, case, figures) -> str:
    context = build_context(case, make_shop(), figures, kind)
    return plain(docx_text(render_docx_bytes(ROOT / "templates" / f"{kind}.docx", context, CACHE)))


def capped_vector_figures():
    # ООО «Вектор» on 31.03.2027: total 17 977,25, cap 10 % = 1 797,725 → 1 797,73.
    # 16.10–20.10.2026, 5 days × 17 977,25 × 0,1 % = 89,886 → 89,89;
    # 21.10.2026–31.03.2027 = 11 + 30 + 31 + 31 + 28 + 31 = 162 days × 12 977,25 × 0,1 %
    # = 2 102,3145 → 2 102,31. Accrued 89,89 + 2 102,31 = 2 192,20 > 1 797,73: capped.
    # Claim 12 977,25 + 1 797,73 = 14 774,98.
    penalty = Penalty(
        kind="contract",
        rows=(
            PenaltyRow(date(2026, 10, 16), date(2026, 10, 20), 5, D("17977.25"), D("0.1"), None, D("89.89")),
            PenaltyRow(date(2026, 10, 21), date(2027, 3, 31), 162, D("12977.25"), D("0.1"), None, D("2102.31")),
        ),
        total=D("1797.73"),
        cap=D("1797.73"),
        capped=True,
    )
    return replace(
        vector_figures(), as_of=date(2027, 3, 31), days_overdue=167, penalty=penalty, claim_total=D("14774.98")
    )


def test_the_penalty_ground_cites_the_written_agreement():
    ground = build_context(vector_case(), make_shop(), vector_figures(), "pretension")["legal"]["penalty_ground"]
    assert plain(ground) == (
        "В соответствии со ст. 330, 331 ГК РФ и п. 5.2 договора-заказ-наряда за просрочку оплаты начисляется "
        "неустойка в размере 0,1 % от неоплаченной суммы за каждый день просрочки, но не более 1 797,73 руб. "
        "Проценты по ст. 395 ГК РФ не начисляются (п. 4 ст. 395 ГК РФ)."
    )


@pytest.mark.parametrize("kind", ["overdue_notice", "pretension"])
def test_every_letter_claiming_the_penalty_cites_its_basis(kind):
    assert "ст. 330, 331 ГК РФ и п. 5.2 договора-заказ-наряда" in rendered(kind, vector_case(), vector_figures())


def test_below_the_cap_the_penalty_runs_until_paid_but_never_past_the_cap():
    legal = build_context(vector_case(), make_shop(), vector_figures(), "pretension")["legal"]
    assert plain(legal["interest_until_paid"]) == (
        "неустойки по день фактического исполнения обязательства, но не более 1 797,73 руб. "
        "(п. 65 постановления Пленума ВС РФ от 24.03.2016 № 7)"
    )
    assert legal["court_claims"] == "долга, неустойки по день фактической оплаты"


def test_at_the_cap_nothing_is_threatened_until_paid():
    context = build_context(vector_case(), make_shop(), capped_vector_figures(), "pretension")
    assert context["legal"]["interest_until_paid"] == ""
    assert context["legal"]["court_claims"] == "долга, неустойки"
    for kind in ("overdue_notice", "pretension"):
        text = rendered(kind, vector_case(), capped_vector_figures())
        assert "по день фактическ" not in text, kind
    assert (
        "В случае неисполнения настоящего требования в указанный срок Исполнитель будет вынужден обратиться в "
        "арбитражный суд с иском о взыскании задолженности. В этом случае"
    ) in rendered("pretension", vector_case(), capped_vector_figures())


def test_the_cap_is_explained_right_under_the_penalty_table():
    cap_note = (
        "Неустойка по расчёту — 2 192,20 руб.; по условиям договора (п. 5.2 договора-заказ-наряда) она не может "
        "превышать 10 % от суммы счёта, то есть 1 797,73 руб. К оплате — 1 797,73 руб."
    )
    context = build_context(vector_case(), make_shop(), capped_vector_figures(), "pretension")
    assert plain(context["penalty"]["cap_note"]) == cap_note
    assert context["penalty"]["accrued"] == f"2{NBSP}192,20"  # 89,89 + 2 102,31: the rows as they stand
    for kind in ("overdue_notice", "pretension"):
        lines = rendered(kind, vector_case(), capped_vector_figures()).splitlines()
        total = lines.index("Итого неустойки по расчёту: | 2 192,20")
        assert lines[total + 1] == f"Неустойка = задолженность × ставка в день × дни. {cap_note}", kind


def test_no_cap_note_below_the_cap():
    assert build_context(vector_case(), make_shop(), vector_figures(), "pretension")["penalty"]["cap_note"] == ""
