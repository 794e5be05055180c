"""Point 3: storage is charged only with a named basis (retention under ГК РФ ст. 359, 712 is a
right to keep the car, not to charge for it); the letters cite the basis and the notice that set
the deadline to collect the car, and say the fee accrues until the car is collected; a car that
is not the client's is never said to be retained. Arithmetic by hand in the comments."""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from doc_factories import TERMS, ivanov_case, ivanov_figures, make_shop
from factories import day, make_case, make_terms
from factories import make_shop as calc_shop
from test_golden import docx_text

from pipeline.figures.calc import compute_figures, compute_storage_fee
from pipeline.models import Storage, StorageNotice, StorageTerms
from pipeline.word.render import TemplateCache, render_docx_bytes
from pipeline.wording.context import build_context

ROOT = Path(__file__).resolve().parent.parent
NBSP = "\u00a0"
CACHE = TemplateCache()
KINDS = ("refusal_act", "invoice", "overdue_notice", "pretension")


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


def rendered(kind: str, case, figures) -> str:
    context = build_context(case, make_shop(), figures, kind)
    return plain(docx_text(render_docx_bytes(ROOT / "templates" / f"{kind}.docx", context, CACHE)))


def without_basis(case):
    return replace(case, terms=replace(case.terms, storage=replace(case.terms.storage, basis=None)))


# --- the figures -------------------------------------------------------------------


def test_storage_without_basis_charges_nothing_and_the_run_warns_naming_the_case():
    # A contract penalty keeps the key-rate table out of it; the car held 04.09–20.09.
    terms = make_terms(storage_basis=None, penalty_kind="contract", rate_per_day="0.1")
    case = replace(make_case(storage=Storage(day("2026-09-04")), terms=terms), source=Path("cases/petrov.yaml"))
    figures = compute_figures(case, calc_shop(terms=terms), day("2026-09-20"), ())
    assert figures.storage is not None
    assert (figures.storage.days_held, figures.storage.paid_days, figures.storage.fee) == (17, 0, D("0.00"))
    assert figures.claim_total == figures.outstanding + figures.penalty.total  # nothing for storage
    assert (
        "cases/petrov.yaml: плата за хранение не начислена: не указано, где заказчик согласовал её размер "
        "(добавьте terms.storage.basis, например «п. 4.3 заказ-наряда»)"
    ) in figures.warnings


def test_with_a_basis_the_fee_is_charged_and_there_is_no_warning():
    # 04.09–20.09 = 17 days, 3 free: 14 × 300,00 = 4 200,00.
    terms = make_terms(penalty_kind="contract", rate_per_day="0.1")
    case = make_case(storage=Storage(day("2026-09-04")), terms=terms)
    figures = compute_figures(case, calc_shop(terms=terms), day("2026-09-20"), ())
    assert figures.storage is not None and figures.storage.fee == D("4200.00")
    assert not any("хранение" in text for text in figures.warnings)


def test_nothing_accrues_before_the_deadline_the_notice_set():
    # Free days 3 would end on 06.09, but the notice gave until 10.09: 04.09–10.09 = 7 days free.
    # 04.09–20.09 = 17 days held, 17 − 7 = 10 × 300,00 = 3 000,00.
    storage = Storage(date(2026, 9, 4), notice=StorageNotice(date(2026, 9, 4), date(2026, 9, 10), "15"))
    fee = compute_storage_fee(storage, StorageTerms(D("300.00"), 3, "п. 4.3 заказ-наряда"), date(2026, 9, 20))
    assert fee is not None
    assert (fee.days_held, fee.free_days, fee.paid_days, fee.fee) == (17, 7, 10, D("3000.00"))


# --- what the letters say ------------------------------------------------------------


def test_the_letters_cite_the_basis_and_the_notice_and_say_the_fee_runs_until_collection():
    text = rendered("pretension", ivanov_case(), ivanov_figures())
    assert (
        "С «4» сентября 2026 г. Автомобиль находится на хранении у Исполнителя. В соответствии со ст. 359, 712 "
        "ГК РФ исполнитель вправе удерживать автомобиль заказчика до полной оплаты выполненных работ и понесённых "
        "расходов. Уведомлением № 15 от 04.09.2026 Вам предложено забрать Автомобиль до 06.09.2026 включительно. "
        "Плата за хранение согласована сторонами (п. 4.3 заказ-наряда): 300,00 руб. за каждые сутки хранения, "
        "первые 3 дня — бесплатно. Она начисляется по день получения Автомобиля и на 20.10.2026 составляет "
        "13 200,00 руб."
    ) in text
    # 04.09–20.10: 47 days, 3 free, 44 × 300,00 = 13 200,00
    assert (
        "Плата за хранение автомобиля (п. 4.3 заказ-наряда) с 04.09.2026 по 20.10.2026: 47 дней, из них бесплатно "
        "3 дня; 44 дня × 300,00 руб. | 13 200,00"
    ) in text
    assert "4. Копия уведомления № 15 от 04.09.2026 о необходимости забрать автомобиль." in text


def test_without_basis_no_letter_charges_or_mentions_a_fee():
    case = without_basis(ivanov_case())
    fee = replace(ivanov_figures().storage, paid_days=0, fee=D("0.00"))
    # Claim without storage: 8 540,00 + 139,11 = 8 679,11.
    figures = replace(ivanov_figures(), storage=fee, claim_total=D("8679.11"))
    context = build_context(case, make_shop(), figures, "pretension")
    assert (context["storage"]["has_basis"], context["storage"]["has_fee"]) == (False, False)
    assert context["legal"]["court_claims"] == "долга, процентов по день фактической оплаты"
    assert not context["payment"]["purpose"].endswith("хранение автомобиля")
    for kind in KINDS:
        text = rendered(kind, case, figures)
        assert "Плата за хранение" not in text and "плата за хранение" not in text, kind
    assert "С «4» сентября 2026 г. Автомобиль находится на хранении у Исполнителя." in rendered(
        "refusal_act", case, figures
    )


def test_a_car_that_is_not_the_clients_is_never_said_to_be_retained():
    case = ivanov_case(vehicle=replace(ivanov_case().vehicle, owner="ООО «Лизинг-Центр»"))
    context = build_context(case, make_shop(), ivanov_figures(), "pretension")
    assert context["legal"]["retention"] == ""
    assert context["vehicle"]["is_client_owned"] is False
    assert not any("359" in ground for ground in context["legal"]["grounds"])
    for kind in KINDS:
        assert "359" not in rendered(kind, case, ivanov_figures()), kind
    act = rendered("refusal_act", case, ivanov_figures())
    assert "(далее — Автомобиль; собственник — ООО «Лизинг-Центр»), переданного Заказчиком" in act
    assert "Автомобиль находится у Исполнителя и будет возвращён по требованию Заказчика." in act


@pytest.mark.parametrize("kind", ["refusal_act", "overdue_notice", "pretension"])
def test_the_clients_own_car_is_retained_as_before(kind):
    assert TERMS.storage.basis == "п. 4.3 заказ-наряда" and ivanov_case().vehicle.owner is None
    assert "ст. 359, 712 ГК РФ" in rendered(kind, ivanov_case(), ivanov_figures())
