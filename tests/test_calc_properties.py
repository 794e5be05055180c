"""Invariants of the calculation over generated cases and dates."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from factories import make_case, make_shop, make_terms
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.figures.calc import compute_figures
from pipeline.figures.calendar import load_work_calendar
from pipeline.figures.rates import load_key_rates
from pipeline.models import Payment

SHIPPED = load_key_rates()
SHOP = make_shop()
# The invariants hold whatever the rates' confirmation: the shipped rows from 23.03.2026 are
# unconfirmed, so every calculation here allows them (calc refuses them by default).
ALLOW = {"allow_unconfirmed_rates": True}

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500000"), places=2)
# From the first shipped rate to a year past the last, across the 2022 moratorium and 2024.
due_dates = st.dates(min_value=date(2021, 12, 20), max_value=date(2027, 6, 30))
terms = st.one_of(
    st.builds(make_terms, exclude_moratorium=st.booleans()),
    st.builds(
        make_terms,
        penalty_kind=st.just("contract"),
        rate_per_day=st.sampled_from(["0.01", "0.1", "0.5"]),
        cap_percent=st.sampled_from([None, "10", "100"]),
        exclude_moratorium=st.booleans(),
    ),
)


def build_case(total, due_date, case_terms, payments=()):
    return make_case(
        total=str(total),
        terms=case_terms,
        order_date="2021-01-01",
        invoice_date=due_date.isoformat(),
        due_date=due_date.isoformat(),
        payments=tuple(payments),
    )


@st.composite
def payment_lists(draw, due_date):
    offsets = draw(st.lists(st.integers(-10, 600), max_size=4))
    return [Payment(due_date + timedelta(days=offset), draw(amounts), "cash") for offset in sorted(offsets)]


@settings(max_examples=60, deadline=None)
@given(total=amounts, due_date=due_dates, case_terms=terms, days=st.integers(0, 800), more=st.integers(1, 400))
def test_penalty_never_decreases_as_time_passes_without_payments(total, due_date, case_terms, days, more):
    case = build_case(total, due_date, case_terms)
    as_of = due_date + timedelta(days=days)
    earlier = compute_figures(case, SHOP, as_of, SHIPPED, **ALLOW).penalty.total
    later = compute_figures(case, SHOP, as_of + timedelta(days=more), SHIPPED, **ALLOW).penalty.total
    assert later >= earlier >= 0


@settings(max_examples=60, deadline=None)
@given(data=st.data(), total=amounts, due_date=due_dates, case_terms=terms, days=st.integers(-30, 800))
def test_penalty_is_never_negative_and_is_the_capped_sum_of_rows(data, total, due_date, case_terms, days):
    payments = data.draw(payment_lists(due_date))
    figures = compute_figures(
        build_case(total, due_date, case_terms, payments), SHOP, due_date + timedelta(days=days), SHIPPED, **ALLOW
    )
    rows_sum = sum((row.amount for row in figures.penalty.rows), Decimal("0"))
    assert all(row.amount >= 0 and row.days > 0 and row.balance > 0 for row in figures.penalty.rows)
    assert figures.penalty.total == (
        min(rows_sum, figures.penalty.cap) if figures.penalty.cap is not None else rows_sum
    )
    assert figures.penalty.total >= 0


@settings(max_examples=60, deadline=None)
@given(
    total=amounts,
    due_date=due_dates,
    days=st.integers(0, 800),
    offsets=st.lists(st.integers(0, 800), max_size=3),
)
def test_rows_cover_every_overdue_day_while_a_balance_remains(total, due_date, days, offsets):
    # Up to three payments of a tenth of the total each never clear the balance.
    tenth = (total / 10).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    payments = [Payment(due_date + timedelta(days=offset), tenth, "card") for offset in offsets if tenth > 0]
    as_of = due_date + timedelta(days=days)
    for case_terms in (
        make_terms(exclude_moratorium=False),
        make_terms(penalty_kind="contract", rate_per_day="0.1", exclude_moratorium=False),
    ):
        figures = compute_figures(build_case(total, due_date, case_terms, payments), SHOP, as_of, SHIPPED, **ALLOW)
        assert sum(row.days for row in figures.penalty.rows) == figures.days_overdue == days


@settings(max_examples=60, deadline=None)
@given(data=st.data(), total=amounts, due_date=due_dates, days=st.integers(-30, 800))
def test_outstanding_plus_paid_is_the_total_when_not_overpaid(data, total, due_date, days):
    payments = data.draw(payment_lists(due_date))
    figures = compute_figures(
        build_case(total, due_date, make_terms(), payments), SHOP, due_date + timedelta(days=days), SHIPPED, **ALLOW
    )
    if figures.overpayment == 0:
        assert figures.outstanding + figures.paid == figures.total
    else:
        assert figures.outstanding == 0 and figures.paid - figures.overpayment == figures.total


def count_rows_day_by_day(case, as_of, key_rates):
    """The penalty rows by the slow, obvious rule: one day at a time, joined while nothing changes."""
    terms = case.terms.penalty
    due_date = case.invoice.due_date
    rows = []
    day = due_date + timedelta(days=1)
    while day <= as_of:
        # a payment lowers the balance from the day after its date
        paid = sum((p.amount for p in case.payments if p.date < day), Decimal("0"))
        balance = max(Decimal("0.00"), case.work[0].price - paid)
        frozen = (
            terms.exclude_moratorium and due_date < date(2022, 4, 1) and date(2022, 4, 1) <= day <= date(2022, 10, 1)
        )
        if balance > 0 and not frozen:
            if terms.kind == "key_rate":
                rate = [k for k in key_rates if k.effective_from <= day][-1].rate_percent
                days_in_year = 366 if day.year % 4 == 0 else 365
                key = (balance, rate, days_in_year, day.year)
            else:
                rate, days_in_year = terms.rate_percent_per_day, None
                key = (balance, rate, None, None)
            if rows and rows[-1][0] == key and rows[-1][2] == day - timedelta(days=1):
                rows[-1][2] = day
            else:
                rows.append([key, day, day])
        day += timedelta(days=1)
    return [(start, end, (end - start).days + 1, key[0], key[1], key[2]) for key, start, end in rows]


@settings(max_examples=60, deadline=None)
@given(data=st.data(), total=amounts, due_date=due_dates, case_terms=terms, days=st.integers(0, 800))
def test_rows_match_a_day_by_day_count(data, total, due_date, case_terms, days):
    case = build_case(total, due_date, case_terms, data.draw(payment_lists(due_date)))
    as_of = due_date + timedelta(days=days)
    figures = compute_figures(case, SHOP, as_of, SHIPPED, **ALLOW)
    assert [
        (row.start, row.end, row.days, row.balance, row.rate, row.days_in_year) for row in figures.penalty.rows
    ] == count_rows_day_by_day(case, as_of, SHIPPED)


@settings(max_examples=100, deadline=None)
@given(
    invoice_date=st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 11, 30)),
    payment_days=st.integers(0, 45),
)
def test_a_computed_due_date_is_the_first_working_day_from_the_end_of_the_term(invoice_date, payment_days):
    # ГК РФ ст. 191 and 193: the term ends on invoice date + payment_days, or the first working day after it
    calendar = load_work_calendar()
    case = make_case(
        terms=make_terms(payment_days=payment_days), order_date="2021-01-01", invoice_date=invoice_date.isoformat()
    )
    due_date = compute_figures(case, SHOP, invoice_date, SHIPPED, **ALLOW).due_date
    last_day = invoice_date + timedelta(days=payment_days)
    assert due_date >= last_day and calendar.is_working_day(due_date)
    assert not any(calendar.is_working_day(last_day + timedelta(days=n)) for n in range((due_date - last_day).days))
