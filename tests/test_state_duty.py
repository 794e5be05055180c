"""The state duty (НК РФ ст. 333.19, 333.21 in the scales of ФЗ от 08.08.2024 № 259-ФЗ, for
applications sent from 09.09.2024): every band edge, one kopeck below and one above, worked
by hand in the comments; rounding to full roubles, 50 kopecks up (НК РФ п. 6 ст. 52); the
court order's half of the action's duty (and the arbitrazh minimum of 8 000 руб.)."""

from datetime import date
from decimal import Decimal

import pytest

from pipeline.errors import CalculationError
from pipeline.figures.state_duty import load_state_duty, parse_state_duty, round_duty, state_duty

ON = date(2026, 12, 2)
TABLE = load_state_duty()

# (claim, action duty) — ст. 333.19 п. 1 пп. 1, courts of general jurisdiction and magistrates.
GENERAL = [
    ("0.01", 4000),  # first band: 4 000 flat
    ("99999.99", 4000),
    ("100000.00", 4000),  # edge: «до 100 000 рублей — 4 000 рублей»
    ("100000.01", 4000),  # 4 000 + 0,01 × 3 % = 4 000,0003 → 4 000
    ("299999.99", 10000),  # 4 000 + 199 999,99 × 3 % = 4 000 + 5 999,9997 = 9 999,9997 → 10 000
    ("300000.00", 10000),  # 4 000 + 200 000 × 3 % = 10 000
    ("300000.01", 10000),  # 10 000 + 0,01 × 2,5 % = 10 000,00025 → 10 000
    ("499999.99", 15000),  # 10 000 + 199 999,99 × 2,5 % = 14 999,99975 → 15 000
    ("500000.00", 15000),  # 10 000 + 200 000 × 2,5 % = 15 000
    ("500000.01", 15000),  # 15 000 + 0,01 × 2 % = 15 000,0002 → 15 000
    ("999999.99", 25000),  # 15 000 + 499 999,99 × 2 % = 24 999,9998 → 25 000
    ("1000000.00", 25000),  # 15 000 + 500 000 × 2 % = 25 000
    ("1000000.01", 25000),  # 25 000 + 0,01 × 1 % = 25 000,0001 → 25 000
    ("2999999.99", 45000),  # 25 000 + 1 999 999,99 × 1 % = 44 999,9999 → 45 000
    ("3000000.00", 45000),  # 25 000 + 2 000 000 × 1 % = 45 000
    ("3000000.01", 45000),  # 45 000 + 0,01 × 0,7 % = 45 000,00007 → 45 000
    ("7999999.99", 80000),  # 45 000 + 4 999 999,99 × 0,7 % = 79 999,99993 → 80 000
    ("8000000.00", 80000),  # 45 000 + 5 000 000 × 0,7 % = 80 000
    ("8000000.01", 80000),  # 80 000 + 0,01 × 0,35 % = 80 000,000035 → 80 000
    ("23999999.99", 136000),  # 80 000 + 15 999 999,99 × 0,35 % = 135 999,999965 → 136 000
    ("24000000.00", 136000),  # 80 000 + 16 000 000 × 0,35 % = 136 000
    ("24000000.01", 136000),  # 136 000 + 0,01 × 0,3 % = 136 000,00003 → 136 000
    ("49999999.99", 214000),  # 136 000 + 25 999 999,99 × 0,3 % = 213 999,99997 → 214 000
    ("50000000.00", 214000),  # 136 000 + 26 000 000 × 0,3 % = 214 000
    ("50000000.01", 214000),  # 214 000 + 0,01 × 0,2 % = 214 000,00002 → 214 000
    ("99999999.99", 314000),  # 214 000 + 49 999 999,99 × 0,2 % = 313 999,99998 → 314 000
    ("100000000.00", 314000),  # 214 000 + 50 000 000 × 0,2 % = 314 000
    ("100000000.01", 314000),  # 314 000 + 0,01 × 0,15 % = 314 000,000015 → 314 000
    # The cap of 900 000 is reached at 100 000 000 + 586 000 / 0,15 % = 490 666 666,67 (rounded up).
    ("490666666.66", 900000),  # 314 000 + 390 666 666,66 × 0,15 % = 899 999,99999 → 900 000
    ("490666666.67", 900000),  # 314 000 + 390 666 666,67 × 0,15 % = 900 000,000005 > cap → 900 000
    ("1000000000.00", 900000),  # 314 000 + 900 000 000 × 0,15 % = 1 664 000 > cap → 900 000
    # Rounding inside a band: 50 kopecks and more up, less dropped (п. 6 ст. 52 НК РФ).
    ("300019.99", 10000),  # 10 000 + 19,99 × 2,5 % = 10 000,49975 → 10 000
    ("300020.00", 10001),  # 10 000 + 20 × 2,5 % = 10 000,50 → 10 001
    ("101230.00", 4037),  # 4 000 + 1 230 × 3 % = 4 036,90 → 4 037
]

# (claim, action duty) — ст. 333.21 п. 1 пп. 1, arbitrazh courts.
ARBITRAZH = [
    ("0.01", 10000),  # first band: 10 000 flat
    ("99999.99", 10000),
    ("100000.00", 10000),  # edge: «до 100 000 рублей — 10 000 рублей»
    ("100000.01", 10000),  # 10 000 + 0,01 × 5 % = 10 000,0005 → 10 000
    ("999999.99", 55000),  # 10 000 + 899 999,99 × 5 % = 54 999,9995 → 55 000
    ("1000000.00", 55000),  # 10 000 + 900 000 × 5 % = 55 000
    ("1000000.01", 55000),  # 55 000 + 0,01 × 3 % = 55 000,0003 → 55 000
    ("9999999.99", 325000),  # 55 000 + 8 999 999,99 × 3 % = 324 999,9997 → 325 000
    ("10000000.00", 325000),  # 55 000 + 9 000 000 × 3 % = 325 000
    ("10000000.01", 325000),  # 325 000 + 0,01 × 1 % = 325 000,0001 → 325 000
    ("49999999.99", 725000),  # 325 000 + 39 999 999,99 × 1 % = 724 999,9999 → 725 000
    ("50000000.00", 725000),  # 325 000 + 40 000 000 × 1 % = 725 000
    ("50000000.01", 725000),  # 725 000 + 0,01 × 0,5 % = 725 000,00005 → 725 000
    # The cap of 10 000 000 is reached at 50 000 000 + 9 275 000 / 0,5 % = 1 905 000 000.
    ("1904999999.99", 10000000),  # 725 000 + 1 854 999 999,99 × 0,5 % = 9 999 999,99995 → 10 000 000
    ("1905000000.00", 10000000),  # 725 000 + 1 855 000 000 × 0,5 % = 10 000 000
    ("1905000000.01", 10000000),  # 10 000 000,00005 > cap → 10 000 000
    ("100009.99", 10000),  # 10 000 + 9,99 × 5 % = 10 000,4995 → 10 000
    ("100010.00", 10001),  # 10 000 + 10 × 5 % = 10 000,50 → 10 001
]

# (article, claim, court-order duty) — ст. 333.19 п. 1 пп. 2; ст. 333.21 п. 1 пп. 3.
ORDERS = [
    ("333.19", "32190.49", 2000),  # action 4 000 × 50 % = 2 000
    ("333.19", "300019.99", 5000),  # action 10 000 × 50 % = 5 000
    ("333.19", "300020.00", 5001),  # action 10 001 × 50 % = 5 000,50 → 5 001
    # Half of the action's duty as rounded: 4 036,90 → 4 037 × 50 % = 2 018,50 → 2 019
    # (half of the unrounded 4 036,90 would be 2 018,45 → 2 018: the literal reading is never less).
    ("333.19", "101230.00", 2019),
    ("333.19", "500000.00", 7500),  # action 15 000 × 50 % = 7 500
    ("333.21", "100000.00", 8000),  # action 10 000 × 50 % = 5 000, but not less than 8 000
    ("333.21", "219980.00", 8000),  # 10 000 + 119 980 × 5 % = 15 999 × 50 % = 7 999,50 → 8 000
    ("333.21", "220000.00", 8000),  # 10 000 + 120 000 × 5 % = 16 000 × 50 % = 8 000
    ("333.21", "220010.00", 8001),  # 10 000 + 120 010 × 5 % = 16 000,50 → 16 001 × 50 % = 8 000,50 → 8 001
    ("333.21", "500000.00", 15000),  # 10 000 + 400 000 × 5 % = 30 000 × 50 % = 15 000
]


@pytest.mark.parametrize(("claim", "expected"), GENERAL, ids=[claim for claim, _ in GENERAL])
def test_the_general_courts_scale_at_every_edge(claim, expected):
    duty = state_duty("333.19", "action", Decimal(claim), ON, TABLE)
    assert duty.amount == expected
    assert duty.citation == "подп. 1 п. 1 ст. 333.19 НК РФ"


@pytest.mark.parametrize(("claim", "expected"), ARBITRAZH, ids=[claim for claim, _ in ARBITRAZH])
def test_the_arbitrazh_scale_at_every_edge(claim, expected):
    assert state_duty("333.21", "action", Decimal(claim), ON, TABLE).amount == expected


@pytest.mark.parametrize(("article", "claim", "expected"), ORDERS, ids=[f"{a}-{c}" for a, c, _ in ORDERS])
def test_a_court_order_costs_half_the_actions_duty(article, claim, expected):
    assert state_duty(article, "court_order", Decimal(claim), ON, TABLE).amount == expected


def test_the_simplified_procedure_costs_what_an_action_costs():
    # 10 000 + (600 000 − 100 000) × 5 % = 35 000 either way: simplified is a way of hearing an action.
    simplified = state_duty("333.21", "simplified", Decimal("600000.00"), ON, TABLE)
    assert simplified.amount == state_duty("333.21", "action", Decimal("600000.00"), ON, TABLE).amount == 35000


def test_the_arithmetic_is_printed_line_by_line():
    duty = state_duty("333.21", "court_order", Decimal("150000.00"), ON, TABLE)
    nbsp = "\u00a0"
    assert duty.lines == (
        f"10{nbsp}000 + (150{nbsp}000,00 − 100{nbsp}000) × 5 % = 12{nbsp}500",
        f"округлено до полного рубля (п. 6 ст. 52 НК РФ): 12{nbsp}500",
        f"судебный приказ: 12{nbsp}500 × 50 % = 6{nbsp}250 → 6{nbsp}250, но не менее 8{nbsp}000",
    )
    assert duty.citation == "подп. 3 п. 1 ст. 333.21 НК РФ"


def test_rounding_follows_the_tax_code():
    # НК РФ п. 6 ст. 52: less than 50 kopecks dropped, 50 kopecks and more up.
    assert round_duty(Decimal("4036.49")) == 4036
    assert round_duty(Decimal("4036.50")) == 4037


def test_no_scale_before_the_2024_scales_took_effect():
    # The table starts with the scales of 259-ФЗ for applications sent after 08.09.2024.
    with pytest.raises(CalculationError, match="нет ставок госпошлины ст. 333.19 НК РФ на 08.09.2024"):
        state_duty("333.19", "action", Decimal("1000"), date(2024, 9, 8), TABLE)
    assert state_duty("333.19", "action", Decimal("1000"), date(2024, 9, 9), TABLE).amount == 4000


def test_a_later_scale_replaces_the_earlier_from_its_date():
    header = "effective_from,article,item,over,base,percent,cap,minimum,source\n"
    table = parse_state_duty(
        header + '2024-09-09,333.19,action,0,4000,0,,,"a"\n2030-01-01,333.19,action,0,5000,0,,,"b"\n', "t.csv"
    )
    assert state_duty("333.19", "action", Decimal("10"), date(2029, 12, 31), table).amount == 4000
    assert state_duty("333.19", "action", Decimal("10"), date(2030, 1, 1), table).amount == 5000


def test_a_nil_claim_has_no_duty():
    with pytest.raises(CalculationError, match="только с положительной суммы"):
        state_duty("333.19", "action", Decimal("0"), ON, TABLE)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('2024-09-09,333.20,action,0,4000,0,,,"a"', "t.csv:2: статья «333.20»"),
        ('2024-09-09,333.19,appeal,0,4000,0,,,"a"', "t.csv:2: item «appeal»"),
        ("2024-09-09,333.19,action,0,4000,0,,,", "t.csv:2: не указан источник"),
        ('2024-09-09,333.19,action,0,4 000,0,,,"a"', "t.csv:2: «4 000» не число"),
        ('2024-13-09,333.19,action,0,4000,0,,,"a"', "t.csv:2: дата «2024-13-09»"),
    ],
)
def test_a_malformed_row_names_its_file_and_line(row, message):
    header = "effective_from,article,item,over,base,percent,cap,minimum,source\n"
    with pytest.raises(CalculationError, match=message):
        parse_state_duty(header + row + "\n", "t.csv")
