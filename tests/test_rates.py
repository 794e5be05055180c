"""Loading, validating and querying the key-rate table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from factories import rate_table

from pipeline.errors import CalculationError
from pipeline.figures.rates import (
    describe_key_rates,
    find_key_rate,
    format_key_rates,
    load_key_rates,
    load_key_rates_from,
    load_working_key_rates,
    parse_key_rates,
    staleness_warning,
    unconfirmed_key_rates,
)
from pipeline.models import KeyRate

HEADER = "effective_from,rate_percent,confirmed\n"


def test_shipped_table_loads_sorted_once_per_process():
    key_rates = load_key_rates()
    assert key_rates[0] == KeyRate(date(2021, 12, 20), Decimal("8.50"), True)
    assert key_rates[-1] == KeyRate(date(2026, 7, 27), Decimal("14.00"), False)
    assert [key_rate.effective_from for key_rate in key_rates] == sorted(k.effective_from for k in key_rates)
    assert load_key_rates() is key_rates


def test_user_table_is_sorted(tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(HEADER + "2025-06-01,12.00,yes\n2025-01-01,10.00,no\n", encoding="utf-8")
    assert load_key_rates_from(path) == (
        KeyRate(date(2025, 1, 1), Decimal("10.00"), False),
        KeyRate(date(2025, 6, 1), Decimal("12.00"), True),
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("2025-01-01,10.00,yes\n2025-13-01,11.00,yes\n", ":3: дата «2025-13-01» не в формате ГГГГ-ММ-ДД"),
        ("2025-01-01,десять,yes\n", ":2: ставка «десять» не число (пример: 16.50)"),
        ("2025-01-01,10.00,maybe\n", ":2: confirmed должно быть yes или no, а не «maybe»"),
        ("2025-01-01,10.00\n", ":2: ожидается 3 столбца"),
        ("2025-01-01,-1,yes\n", ":2: ставка «-1» вне диапазона 0..100 %"),
        ("2025-01-01,10,yes\n2025-01-01,11,yes\n", ": дата 01.01.2025 встречается в таблице дважды"),
        ("", ": таблица ключевых ставок пуста"),
    ],
)
def test_malformed_table_names_the_file_and_line(tmp_path, body, message):
    path = tmp_path / "rates.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(CalculationError) as caught:
        load_key_rates_from(path)
    assert str(caught.value).startswith(f"{path}{message}")


def test_table_without_header_is_rejected(tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text("2025-01-01,10.00,yes\n", encoding="utf-8")
    with pytest.raises(CalculationError, match=r":1: ожидается заголовок effective_from,rate_percent,confirmed"):
        load_key_rates_from(path)


def test_missing_file_is_a_calculation_error(tmp_path):
    with pytest.raises(CalculationError, match="не удалось прочитать"):
        load_key_rates_from(tmp_path / "absent.csv")


def test_rate_changes_on_its_effective_day():
    key_rates = rate_table(("2025-01-01", "10.00"), ("2025-12-15", "12.00"))
    assert find_key_rate(date(2025, 12, 14), key_rates).rate_percent == Decimal("10.00")
    assert find_key_rate(date(2025, 12, 15), key_rates).rate_percent == Decimal("12.00")
    assert find_key_rate(date(2030, 1, 1), key_rates).rate_percent == Decimal("12.00")


def test_day_before_the_table_is_an_error_in_russian():
    with pytest.raises(CalculationError) as caught:
        find_key_rate(date(2020, 1, 1), load_key_rates())
    assert str(caught.value) == "нет ключевой ставки на 01.01.2020: таблица начинается с 20.12.2021"


def test_staleness_warning_after_60_days_only():
    key_rates = rate_table(("2026-07-27", "14.00"))
    # 27.07.2026 + 60 days = 25.09.2026 (4 days of July + 31 of August + 25 of September)
    assert staleness_warning(date(2026, 9, 25), key_rates) is None
    assert staleness_warning(date(2026, 9, 26), key_rates) == (
        "таблица ключевых ставок могла устареть: последнее изменение 27.07.2026, расчёт на 26.09.2026 — "
        "обновите таблицу: pipeline rates update"
    )


def test_the_shipped_table_is_confirmed_up_to_february_2026():
    # Checked against the Bank of Russia's decisions (see pipeline/figures/data/README.md); the rows from
    # 23.03.2026 on came from secondary tables and no source confirmed them: they stay confirmed=no.
    unconfirmed = [key_rate.effective_from for key_rate in load_key_rates() if not key_rate.confirmed]
    assert unconfirmed == [date(2026, 3, 23), date(2026, 4, 27), date(2026, 6, 22), date(2026, 7, 27)]


def test_unconfirmed_rows_are_those_in_force_during_a_period():
    key_rates = (
        KeyRate(date(2025, 1, 1), Decimal("10.00"), True),
        KeyRate(date(2025, 3, 1), Decimal("11.00"), False),
        KeyRate(date(2025, 6, 1), Decimal("12.00"), False),
    )
    # 10.01–28.02.2025 lies under the confirmed first row only
    assert unconfirmed_key_rates([(date(2025, 1, 10), date(2025, 2, 28))], key_rates) == ()
    # 28.02–01.03.2025 touches the 01.03 row on its last day
    assert unconfirmed_key_rates([(date(2025, 2, 28), date(2025, 3, 1))], key_rates) == (key_rates[1],)
    # 31.05–01.06.2025 touches both unconfirmed rows
    assert unconfirmed_key_rates([(date(2025, 5, 31), date(2025, 6, 1))], key_rates) == key_rates[1:]


def test_rates_are_described_with_a_decimal_comma():
    key_rates = rate_table(("2025-10-27", "16.5"), ("2026-06-22", "14.25"))
    assert describe_key_rates(key_rates) == "27.10.2025 — 16,50 %, 22.06.2026 — 14,25 %"


def test_a_table_written_reads_back_the_same():
    table = (KeyRate(date(2025, 12, 22), Decimal("16"), True), KeyRate(date(2026, 3, 23), Decimal("15.00"), False))
    text = format_key_rates(reversed(table))
    assert text == "effective_from,rate_percent,confirmed\n2025-12-22,16.00,yes\n2026-03-23,15.00,no\n"
    assert parse_key_rates(text, "t.csv") == table


def test_the_users_table_is_used_when_the_working_folder_has_one(tmp_path):
    assert load_working_key_rates(tmp_path / "key_rates.csv") is load_key_rates()
    path = tmp_path / "key_rates.csv"
    path.write_text(HEADER + "2025-01-01,10.00,yes\n", encoding="utf-8")
    assert load_working_key_rates(path) == (KeyRate(date(2025, 1, 1), Decimal("10.00"), True),)


def test_a_letter_over_unconfirmed_rates_says_which_and_that_the_sum_may_be_corrected():
    from pipeline.models import KeyRate
    from pipeline.wording.tables import unconfirmed_note

    one = [KeyRate(date(2026, 7, 27), Decimal("14.00"), False)]
    two = [KeyRate(date(2026, 6, 22), Decimal("14.25"), False), *one]
    assert unconfirmed_note([]) == ""
    assert unconfirmed_note(one) == (
        "Ключевая ставка Банка России (27.07.2026 — 14,00 %) на дату расчёта не сверена с официальной "
        "публикацией Банка России; при расхождении расчёт процентов будет уточнён."
    )
    assert unconfirmed_note(two).startswith(
        "Ключевые ставки Банка России (22.06.2026 — 14,25 %, 27.07.2026 — 14,00 %) на дату расчёта не сверены"
    )
