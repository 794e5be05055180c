"""Figures of hand-made cases, each expected value worked out by hand beside it."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from factories import day, make_case, make_line, make_shop, make_terms, pay, rate_table

from pipeline.errors import CalculationError
from pipeline.figures.calc import compute_figures
from pipeline.figures.calendar import weekends_only
from pipeline.figures.rates import load_key_rates
from pipeline.figures.report import figures_to_json, format_figures
from pipeline.models import KeyRate, Storage

D = Decimal
# 10 % per year on 36 500.00 is exactly 10.00 a day in a 365-day year.
TEN_PERCENT = rate_table(("2021-01-01", "10.00"))
SHIPPED = load_key_rates()


def contract_terms(**overrides):
    return make_terms(penalty_kind="contract", rate_per_day="0.1", **overrides)


def refusal_case():
    return make_case(
        refused=True,
        work=(
            make_line("Диагностика", qty="1", price="1500.00", status="done"),
            make_line("Замена рычага", qty="1.5", price="2400.00", status="partial", percent_done=40),
            make_line("Рычаг", kind="part", price="6200.00", status="not_started", purchased=True),
            make_line("Сайлентблок", kind="part", qty="2", price="850.00", status="not_started"),
        ),
        due_date="2026-03-10",
    )


def test_refusal_charges_done_partial_and_purchased_lines_only():
    figures = compute_figures(refusal_case(), make_shop(), day("2026-03-05"), TEN_PERCENT)
    assert [line.amount for line in figures.lines] == [
        D("1500.00"),  # 1 × 1500.00
        D("1440.00"),  # 1.5 × 2400.00 × 40 % = 3600.00 × 0.4
        D("6200.00"),  # purchased, not installed: the full line as an expense
        D("0.00"),  # not started, not bought
    ]
    assert figures.total == D("9140.00")  # 1500 + 1440 + 6200
    assert figures.work_done_total == D("2940.00")  # 1500 + 1440
    assert figures.expenses_total == D("6200.00")
    assert figures.documents_due == ("refusal_act", "invoice")  # not yet due on 05.03


def test_vat_22_percent_is_included_in_the_total():
    figures = compute_figures(refusal_case(), make_shop(vat_rate="22"), day("2026-03-05"), TEN_PERCENT)
    assert figures.vat == D("1648.20")  # 9140.00 × 22 / 122 = 201080 / 122 = 1648.1967…
    assert figures.vat_rate == D("22")


def test_vat_0_is_zero():
    figures = compute_figures(refusal_case(), make_shop(vat_rate="0"), day("2026-03-05"), TEN_PERCENT)
    assert figures.vat == D("0.00")


def test_line_amounts_round_half_up_to_kopecks():
    case = make_case(
        work=(
            make_line(qty="3", price="333.33", status="partial", percent_done=15),
            make_line(price="12.50", status="partial", percent_done=5),
        )
    )
    figures = compute_figures(case, make_shop(), day("2026-03-01"), TEN_PERCENT)
    assert figures.lines[0].amount == D("150.00")  # 999.99 × 0.15 = 149.9985
    assert figures.lines[1].amount == D("0.63")  # 12.50 × 0.05 = 0.625, half up (not to even)


def test_contract_penalty_across_two_partial_payments():
    case = make_case(
        terms=contract_terms(),
        due_date="2026-03-10",
        payments=(pay("2026-03-15", "3000.00"), pay("2026-03-25", "2000.00")),
        storage=Storage(day("2026-03-11")),
    )
    figures = compute_figures(case, make_shop(), day("2026-03-31"), TEN_PERCENT)
    assert [(row.start, row.end, row.days, row.balance, row.amount) for row in figures.penalty.rows] == [
        (day("2026-03-11"), day("2026-03-15"), 5, D("10000.00"), D("50.00")),  # 10000 × 0.1 % × 5
        (day("2026-03-16"), day("2026-03-25"), 10, D("7000.00"), D("70.00")),  # 7000 × 0.1 % × 10
        (day("2026-03-26"), day("2026-03-31"), 6, D("5000.00"), D("30.00")),  # 5000 × 0.1 % × 6
    ]
    assert figures.penalty.total == D("150.00")  # 50 + 70 + 30
    assert figures.penalty.cap is None and not figures.penalty.capped
    assert figures.paid == D("5000.00")  # 3000 + 2000
    assert figures.outstanding == D("5000.00")  # 10000 − 5000
    assert figures.days_overdue == 21  # 31.03 − 10.03
    assert figures.storage.fee == D("5400.00")  # 11.03..31.03 = 21 days − 3 free = 18 × 300.00
    assert figures.claim_total == D("10550.00")  # 5000 + 150 + 5400
    assert figures.notice_deadline == day("2026-04-07")  # 31.03 + 7 = 07.04.2026, a Tuesday: a working day
    assert figures.pretension_deadline == day("2026-04-10")  # 31.03 + 10 = 10.04.2026, a Friday: a working day
    # 21 days < 30: no pretension yet; the car is kept and no notice to collect it is recorded.
    assert figures.documents_due == ("invoice", "overdue_notice", "collect_car_notice")


def test_contract_penalty_is_capped():
    case = make_case(
        terms=contract_terms(cap_percent="1"),
        due_date="2026-03-10",
        payments=(pay("2026-03-15", "3000.00"), pay("2026-03-25", "2000.00")),
    )
    figures = compute_figures(case, make_shop(), day("2026-03-31"), TEN_PERCENT)
    assert figures.penalty.cap == D("100.00")  # 10000 × 1 %
    assert figures.penalty.total == D("100.00")  # rows sum to 150.00 > cap
    assert figures.penalty.capped
    assert figures.claim_total == D("5100.00")  # 5000 + 100


def test_contract_penalty_below_its_cap_is_not_capped():
    case = make_case(terms=contract_terms(cap_percent="5"), due_date="2026-03-10")
    figures = compute_figures(case, make_shop(), day("2026-03-31"), TEN_PERCENT)
    assert figures.penalty.cap == D("500.00")  # 10000 × 5 %
    assert figures.penalty.total == D("210.00")  # 10000 × 0.1 % × 21 days
    assert not figures.penalty.capped


def test_key_rate_interest_splits_at_rate_change_and_year_end():
    rates = rate_table(("2025-01-01", "10.00"), ("2025-12-15", "12.00"))
    case = make_case(due_date="2025-12-01", invoice_date="2025-11-25", order_date="2025-11-20")
    figures = compute_figures(case, make_shop(), day("2026-01-10"), rates)
    assert [(row.start, row.end, row.days, row.rate, row.days_in_year, row.amount) for row in figures.penalty.rows] == [
        # 10000 × 10 % × 13 / 365 = 1 300 000 / 36 500 = 35.616…
        (day("2025-12-02"), day("2025-12-14"), 13, D("10.00"), 365, D("35.62")),
        # 10000 × 12 % × 17 / 365 = 2 040 000 / 36 500 = 55.890…
        (day("2025-12-15"), day("2025-12-31"), 17, D("12.00"), 365, D("55.89")),
        # 10000 × 12 % × 10 / 365 = 1 200 000 / 36 500 = 32.876…
        (day("2026-01-01"), day("2026-01-10"), 10, D("12.00"), 365, D("32.88")),
    ]
    assert figures.penalty.total == D("124.39")  # 35.62 + 55.89 + 32.88
    assert figures.days_overdue == 40  # 13 + 17 + 10
    assert figures.documents_due == ("invoice", "overdue_notice", "pretension")  # 40 ≥ 30
    assert figures.warnings == ()  # last change 15.12.2025 is 26 days before 10.01.2026


def test_key_rate_interest_in_2024_uses_366_days_from_the_shipped_table():
    case = make_case(due_date="2024-03-01", invoice_date="2024-02-25", order_date="2024-02-20")
    figures = compute_figures(case, make_shop(), day("2024-03-31"), SHIPPED)
    row = figures.penalty.rows[0]
    assert (row.days, row.rate, row.days_in_year) == (30, D("16.00"), 366)  # rate from 18.12.2023
    assert figures.penalty.total == D("131.15")  # 10000 × 16 % × 30 / 366 = 4 800 000 / 36 600 = 131.147…


def test_shipped_table_rate_change_and_year_end():
    case = make_case(due_date="2024-12-20", invoice_date="2024-12-15", order_date="2024-12-10")
    figures = compute_figures(case, make_shop(), day("2025-01-10"), SHIPPED)
    assert [(row.days, row.rate, row.days_in_year, row.amount) for row in figures.penalty.rows] == [
        (11, D("21.00"), 366, D("63.11")),  # 21.12–31.12.2024: 10000 × 21 % × 11 / 366 = 63.114…
        (10, D("21.00"), 365, D("57.53")),  # 01.01–10.01.2025: 10000 × 21 % × 10 / 365 = 57.534…
    ]
    assert figures.penalty.total == D("120.64")  # 63.11 + 57.53

    case = make_case(due_date="2024-07-19", invoice_date="2024-07-15", order_date="2024-07-10")
    figures = compute_figures(case, make_shop(), day("2024-08-08"), SHIPPED)
    assert [(row.days, row.rate, row.amount) for row in figures.penalty.rows] == [
        (9, D("16.00"), D("39.34")),  # 20.07–28.07: 10000 × 16 % × 9 / 366 = 39.344…
        (11, D("18.00"), D("54.10")),  # 29.07–08.08: 10000 × 18 % × 11 / 366 = 54.098…
    ]


def test_storage_counts_both_ends_minus_free_days():
    still_held = make_case(storage=Storage(day("2026-09-04")))
    fee = compute_figures(still_held, make_shop(), day("2026-09-20"), TEN_PERCENT).storage
    assert (fee.days_held, fee.paid_days, fee.fee, fee.still_held) == (
        17,
        14,
        D("4200.00"),
        True,
    )  # 04..20.09
    # 14 paid days × 300.00 = 4200.00

    returned = make_case(storage=Storage(day("2026-09-04"), day("2026-09-10"), daily_rate=D("250.50"), free_days=5))
    fee = compute_figures(returned, make_shop(), day("2026-09-20"), TEN_PERCENT).storage
    assert (fee.end, fee.days_held, fee.paid_days, fee.still_held) == (day("2026-09-10"), 7, 2, False)
    assert fee.fee == D("501.00")  # (7 − 5) × 250.50


def test_storage_ending_after_as_of_counts_to_as_of_and_before_start_counts_nothing():
    case = make_case(storage=Storage(day("2026-09-04"), day("2026-09-30")))
    fee = compute_figures(case, make_shop(), day("2026-09-10"), TEN_PERCENT).storage
    assert (fee.end, fee.days_held, fee.still_held, fee.fee) == (day("2026-09-10"), 7, True, D("1200.00"))
    # 04..10.09 = 7 days − 3 free = 4 × 300.00
    fee = compute_figures(case, make_shop(), day("2026-09-01"), TEN_PERCENT).storage
    assert (fee.days_held, fee.paid_days, fee.fee) == (0, 0, D("0.00"))


def test_no_storage_means_no_storage_fee():
    assert compute_figures(make_case(), make_shop(), day("2026-03-20"), TEN_PERCENT).storage is None


def test_overpaid_case_reports_the_overpayment():
    case = make_case(
        total="5000.00",
        terms=contract_terms(),
        due_date="2026-03-10",
        payments=(pay("2026-03-05", "3000.00"), pay("2026-03-12", "2500.00")),
    )
    figures = compute_figures(case, make_shop(), day("2026-03-20"), TEN_PERCENT)
    assert figures.paid == D("5500.00")  # 3000 + 2500
    assert figures.outstanding == D("0.00")
    assert figures.overpayment == D("500.00")  # 5500 − 5000
    assert figures.days_overdue == 0  # nothing outstanding
    # 11.03–12.03 on 5000 − 3000 = 2000: 2000 × 0.1 % × 2 = 4.00; nothing from 13.03
    assert [(row.days, row.balance, row.amount) for row in figures.penalty.rows] == [(2, D("2000.00"), D("4.00"))]
    assert figures.documents_due == ("invoice",)
    assert any("переплата 500.00 руб." in warning for warning in figures.warnings)


def test_case_not_yet_due_has_no_penalty_and_no_notice():
    case = make_case(invoice_date="2026-03-01")  # due 01.03 + 5 payment days = 06.03.2026, a Friday: a working day
    figures = compute_figures(case, make_shop(), day("2026-03-06"), TEN_PERCENT)
    assert figures.due_date == day("2026-03-06")
    assert (figures.days_overdue, figures.penalty.rows, figures.penalty.total) == (0, (), D("0.00"))
    assert figures.documents_due == ("invoice",)
    next_day = compute_figures(case, make_shop(), day("2026-03-07"), TEN_PERCENT)
    assert next_day.days_overdue == 1
    assert next_day.documents_due == ("invoice", "overdue_notice")


def test_case_without_invoice_has_no_due_date():
    figures = compute_figures(make_case(invoice_date=None), make_shop(), day("2026-05-01"), TEN_PERCENT)
    assert (figures.due_date, figures.days_overdue, figures.documents_due) == (None, 0, ())


@pytest.mark.parametrize(
    ("payment", "expected_rows"),
    [
        # paid in full on 12.03: 11.03 and 12.03 still accrue on 10000: 10000 × 0.1 % × 2
        (pay("2026-03-12", "10000.00"), [(day("2026-03-11"), 2, D("10000.00"), D("20.00"))]),
        # paid 4000 on the due date: the whole period runs on 6000: 6000 × 0.1 % × 10
        (pay("2026-03-10", "4000.00"), [(day("2026-03-11"), 10, D("6000.00"), D("60.00"))]),
        # paid in full on the as-of date: that day still accrues: 10000 × 0.1 % × 10
        (pay("2026-03-20", "10000.00"), [(day("2026-03-11"), 10, D("10000.00"), D("100.00"))]),
    ],
)
def test_the_day_of_payment_accrues_on_the_old_balance(payment, expected_rows):
    case = make_case(terms=contract_terms(), due_date="2026-03-10", payments=(payment,))
    figures = compute_figures(case, make_shop(), day("2026-03-20"), TEN_PERCENT)
    assert [(row.start, row.days, row.balance, row.amount) for row in figures.penalty.rows] == expected_rows


def test_moratorium_days_are_excluded_for_a_debt_due_before_it():
    case = make_case(total="36500.00", due_date="2022-03-21", invoice_date="2022-03-15", order_date="2022-03-10")
    figures = compute_figures(case, make_shop(), day("2022-10-10"), TEN_PERCENT)
    assert [(row.start, row.end, row.amount) for row in figures.penalty.rows] == [
        (day("2022-03-22"), day("2022-03-31"), D("100.00")),  # 10 days × 10.00
        (day("2022-10-02"), day("2022-10-10"), D("90.00")),  # 9 days × 10.00
    ]
    assert figures.penalty.total == D("190.00")
    assert figures.penalty.moratorium_excluded
    assert figures.days_overdue == 203  # 10 (March) + 183 (April–September) + 10 (October)


def test_moratorium_kept_when_the_terms_say_so():
    case = make_case(
        total="36500.00",
        terms=make_terms(exclude_moratorium=False),
        due_date="2022-03-21",
        invoice_date="2022-03-15",
        order_date="2022-03-10",
    )
    figures = compute_figures(case, make_shop(), day("2022-10-10"), TEN_PERCENT)
    assert figures.penalty.total == D("2030.00")  # 203 days × 10.00
    assert not figures.penalty.moratorium_excluded


def test_moratorium_does_not_cover_a_debt_due_after_it_began():
    case = make_case(total="36500.00", due_date="2022-04-05", invoice_date="2022-04-01", order_date="2022-04-01")
    figures = compute_figures(case, make_shop(), day("2022-04-15"), TEN_PERCENT)
    assert figures.penalty.total == D("100.00")  # 06.04–15.04: 10 days × 10.00
    assert not figures.penalty.moratorium_excluded


def test_moratorium_applies_to_a_contract_penalty_too():
    case = make_case(
        total="1000.00",
        terms=contract_terms(),
        due_date="2022-03-30",
        invoice_date="2022-03-25",
        order_date="2022-03-20",
    )
    figures = compute_figures(case, make_shop(), day("2022-10-03"), TEN_PERCENT)
    # 31.03: 1000 × 0.1 % × 1 = 1.00; 02.10–03.10: 1000 × 0.1 % × 2 = 2.00
    assert [row.amount for row in figures.penalty.rows] == [D("1.00"), D("2.00")]


def test_interest_before_the_first_key_rate_is_an_error():
    case = make_case(due_date="2019-12-01", invoice_date="2019-11-25", order_date="2019-11-20")
    with pytest.raises(
        CalculationError, match=r"^нет ключевой ставки на 02\.12\.2019: таблица начинается с 20\.12\.2021$"
    ):
        compute_figures(case, make_shop(), day("2020-01-01"), SHIPPED)


def test_staleness_warned_at_61_days_after_the_last_change_but_not_60():
    case = make_case(due_date="2026-09-01", invoice_date="2026-08-25", order_date="2026-08-20")
    # the shipped table's last change is 27.07.2026; + 60 days = 25.09.2026
    # (its rows from 23.03.2026 are unconfirmed: allowed here, this test is about staleness)
    on_day_60 = compute_figures(case, make_shop(), day("2026-09-25"), SHIPPED, allow_unconfirmed_rates=True)
    on_day_61 = compute_figures(case, make_shop(), day("2026-09-26"), SHIPPED, allow_unconfirmed_rates=True)
    assert not any("могла устареть" in warning for warning in on_day_60.warnings)
    assert any("могла устареть" in warning for warning in on_day_61.warnings)


def test_interest_over_an_unconfirmed_key_rate_is_an_error_naming_the_row():
    case = make_case(due_date="2026-09-01", invoice_date="2026-08-25", order_date="2026-08-20")
    # 02.09–10.09.2026 falls under the shipped row 27.07.2026 14.00 %, confirmed=no
    with pytest.raises(CalculationError) as caught:
        compute_figures(case, make_shop(), day("2026-09-10"), SHIPPED)
    assert str(caught.value) == (
        "ключевая ставка не подтверждена Банком России: 27.07.2026 — 14,00 %: "
        "запустите «pipeline rates update» или укажите --allow-unconfirmed-rates"
    )


def test_every_unconfirmed_row_the_period_touches_is_named():
    case = make_case(due_date="2026-02-01", invoice_date="2026-01-26", order_date="2026-01-20")
    # 02.02–10.09.2026: 16.00 % (22.12.2025, confirmed) until 15.02, 15.50 % (16.02, confirmed) until 22.03,
    # then the four unconfirmed rows 23.03, 27.04, 22.06 and 27.07.2026
    with pytest.raises(CalculationError) as caught:
        compute_figures(case, make_shop(), day("2026-09-10"), SHIPPED)
    assert str(caught.value) == (
        "ключевые ставки не подтверждены Банком России: 23.03.2026 — 15,00 %, 27.04.2026 — 14,50 %, "
        "22.06.2026 — 14,25 %, 27.07.2026 — 14,00 %: запустите «pipeline rates update» или укажите "
        "--allow-unconfirmed-rates"
    )


def test_allowed_unconfirmed_rates_are_computed_and_listed_for_the_letter():
    case = make_case(due_date="2026-09-01", invoice_date="2026-08-25", order_date="2026-08-20")
    figures = compute_figures(case, make_shop(), day("2026-09-10"), SHIPPED, allow_unconfirmed_rates=True)
    # 02.09–10.09.2026 = 9 days: 10000 × 14 % × 9 / 365 = 1 260 000 / 36 500 = 34.520…
    assert [(row.days, row.rate, row.amount) for row in figures.penalty.rows] == [(9, D("14.00"), D("34.52"))]
    assert figures.unconfirmed_key_rates == (KeyRate(day("2026-07-27"), D("14.00"), False),)
    assert figures.warnings == (
        "ключевая ставка не подтверждена Банком России: 27.07.2026 — 14,00 % — проценты посчитаны по ней, "
        "как разрешено --allow-unconfirmed-rates; письмо её называет",
    )


def test_confirmed_rates_only_need_no_allowance():
    case = make_case(due_date="2026-02-01", invoice_date="2026-01-26", order_date="2026-01-20")
    figures = compute_figures(case, make_shop(), day("2026-03-20"), SHIPPED)
    # 02.02–15.02.2026 at 16.00 % (from 22.12.2025) and 16.02–20.03.2026 at 15.50 %, both confirmed=yes:
    # 10000 × 16 % × 14 / 365 = 2 240 000 / 36 500 = 61.369… → 61.37
    # 10000 × 15.5 % × 33 / 365 = 5 115 000 / 36 500 = 140.136… → 140.14
    assert [row.amount for row in figures.penalty.rows] == [D("61.37"), D("140.14")]
    assert figures.unconfirmed_key_rates == ()


def test_a_contract_penalty_does_not_look_at_key_rates():
    case = make_case(terms=contract_terms(), due_date="2026-09-01")
    figures = compute_figures(case, make_shop(), day("2026-09-10"), SHIPPED)
    assert figures.penalty.total == D("90.00")  # 02.09–10.09 = 9 days × 10000 × 0.1 %
    assert figures.unconfirmed_key_rates == ()


def test_a_due_date_on_a_saturday_moves_to_monday():
    # 03.08.2026 (Monday) + 5 = 08.08.2026, a Saturday → the term ends on Monday 10.08.2026 (ГК РФ ст. 193)
    case = make_case(total="36500.00", invoice_date="2026-08-03", order_date="2026-08-01")
    on_due_day = compute_figures(case, make_shop(), day("2026-08-10"), TEN_PERCENT)
    assert on_due_day.due_date == day("2026-08-10")
    assert (on_due_day.days_overdue, on_due_day.penalty.total) == (0, D("0.00"))
    assert on_due_day.documents_due == ("invoice",)
    figures = compute_figures(case, make_shop(), day("2026-08-20"), TEN_PERCENT)
    # penalty from 11.08; to 20.08 = 10 days × 10.00 (10 % of 36 500.00 / 365)
    assert [(row.start, row.end, row.days, row.amount) for row in figures.penalty.rows] == [
        (day("2026-08-11"), day("2026-08-20"), 10, D("100.00"))
    ]
    assert figures.days_overdue == 10  # 20.08 − 10.08


def test_a_due_date_on_a_holiday_moves_past_the_new_year_holidays():
    # 26.12.2026 + 5 = 31.12.2026, a day off (ПП РФ № 1466: moved from 04.01.2026); 01–08.01.2027 are
    # holidays and 09–10.01 a weekend → the term ends on Monday 11.01.2027; to 20.01 = 9 days × 10.00
    case = make_case(total="36500.00", invoice_date="2026-12-26", order_date="2026-12-20")
    figures = compute_figures(case, make_shop(), day("2027-01-20"), TEN_PERCENT)
    assert figures.due_date == day("2027-01-11")
    assert (figures.days_overdue, figures.penalty.total) == (9, D("90.00"))


def test_a_due_date_on_a_working_saturday_stays():
    # 27.10.2025 + 5 = 01.11.2025, a Saturday worked for Monday 03.11.2025 (ПП РФ № 1335): a working day
    case = make_case(invoice_date="2025-10-27", order_date="2025-10-20")
    figures = compute_figures(case, make_shop(), day("2025-11-01"), TEN_PERCENT)
    assert figures.due_date == day("2025-11-01")


def test_an_explicit_due_date_is_taken_as_written():
    case = make_case(total="36500.00", invoice_date="2026-08-03", due_date="2026-08-08")  # a Saturday, as written
    figures = compute_figures(case, make_shop(), day("2026-08-20"), TEN_PERCENT)
    assert figures.due_date == day("2026-08-08")
    assert figures.penalty.total == D("120.00")  # 09.08–20.08 = 12 days × 10.00


def test_notice_and_pretension_deadlines_end_on_working_days():
    case = make_case(terms=make_terms(notice_days=7, pretension_response_days=10))
    figures = compute_figures(case, make_shop(), day("2026-03-02"), TEN_PERCENT)
    # 02.03.2026 + 7 = 09.03.2026: the day off for 08.03 (a Sunday; ТК РФ ст. 112) → Tuesday 10.03.2026
    assert figures.notice_deadline == day("2026-03-10")
    # 02.03.2026 + 10 = 12.03.2026, a Thursday: a working day
    assert figures.pretension_deadline == day("2026-03-12")


def test_the_calendar_is_data_passed_in():
    # With a calendar of weekends only, 31.12.2026 (a Thursday) is a working day: 26.12 + 5 stays 31.12
    case = make_case(invoice_date="2026-12-26", order_date="2026-12-20")
    figures = compute_figures(case, make_shop(), day("2027-01-20"), TEN_PERCENT, work_calendar=weekends_only())
    assert figures.due_date == day("2026-12-31")


def test_payment_after_as_of_is_not_counted_and_is_warned_about():
    case = make_case(due_date="2026-03-10", terms=contract_terms(), payments=(pay("2026-04-01", "100.00"),))
    figures = compute_figures(case, make_shop(), day("2026-03-20"), TEN_PERCENT)
    assert figures.paid == D("0.00")
    assert figures.warnings == ("платёж от 01.04.2026 на 100.00 руб. позже даты расчёта 20.03.2026 и не учтён",)


def test_report_shows_the_arithmetic_and_json_keeps_exact_amounts():
    case = make_case(
        terms=contract_terms(),
        due_date="2026-03-10",
        payments=(pay("2026-03-15", "3000.00"),),
        storage=Storage(day("2026-03-11")),
    )
    figures = compute_figures(case, make_shop(), day("2026-03-20"), TEN_PERCENT)
    text = format_figures(case, figures)
    assert "11.03.2026–15.03.2026: 10000.00 × 0.1 % × 5 дн. = 50.00" in text
    assert "платных дней: max(0, 10 − 3) = 7" in text
    data = json.loads(figures_to_json(figures))
    assert data["total"] == "10000.00"
    assert data["due_date"] == "2026-03-10"
    assert data["penalty"]["rows"][1]["balance"] == "7000.00"
    assert data["lines"][0]["is_expense"] is False
