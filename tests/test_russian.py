"""Russian formatting: money in figures and words, dates, plurals, names and positions."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.wording.russian import (
    decline_person,
    decline_position,
    detect_gender,
    format_amount,
    format_calendar_days_genitive,
    format_date_long,
    format_date_short,
    format_datetime_long,
    format_days,
    format_money,
    format_number,
    format_percent,
    initials_name,
    money_in_words,
    past_form,
    plural,
    reported_reason,
    salutation,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("12345.67", f"12{NBSP}345,67"),
        ("0", "0,00"),
        ("0.5", "0,50"),
        ("999.999", f"1{NBSP}000,00"),  # half-up to kopecks
        ("1234567.8", f"1{NBSP}234{NBSP}567,80"),
        ("-1500", f"-1{NBSP}500,00"),
    ],
)
def test_format_money_groups_thousands_with_no_break_space(amount, expected):
    assert format_money(D(amount)) == expected


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_format_money_reads_back_to_the_same_amount(amount):
    text = format_money(amount).replace(NBSP, "").replace(",", ".")
    assert D(text) == amount


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("5000", "пять тысяч рублей 00 копеек"),
        ("1", "один рубль 00 копеек"),
        ("21.01", "двадцать один рубль 01 копейка"),
        ("0.5", "ноль рублей 50 копеек"),
        ("2.02", "два рубля 02 копейки"),
        ("11.11", "одиннадцать рублей 11 копеек"),
        ("12345.67", "двенадцать тысяч триста сорок пять рублей 67 копеек"),
        ("22183.95", "двадцать две тысячи сто восемьдесят три рубля 95 копеек"),
        ("1000000", "один миллион рублей 00 копеек"),
    ],
)
def test_money_in_words_spells_roubles_and_keeps_kopecks_as_digits(amount, expected):
    assert money_in_words(D(amount)) == expected


def test_format_amount_puts_words_in_parenthesis_after_figures():
    assert format_amount(D("5000")) == f"5{NBSP}000,00{NBSP}руб. (пять тысяч рублей 00 копеек)"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "день"),
        (2, "дня"),
        (4, "дня"),
        (5, "дней"),
        (11, "дней"),
        (12, "дней"),
        (14, "дней"),
        (21, "день"),
        (22, "дня"),
        (76, "дней"),
        (101, "день"),
        (111, "дней"),
        (0, "дней"),
    ],
)
def test_plural_agrees_with_the_number(n, expected):
    assert plural(n, "день", "дня", "дней") == expected


def test_format_days_joins_number_and_noun():
    assert format_days(76) == f"76{NBSP}дней"
    assert format_days(42) == f"42{NBSP}дня"


def test_dates_print_long_and_short():
    assert format_date_long(date(2026, 9, 3)) == f"«3»{NBSP}сентября 2026{NBSP}г."
    assert format_date_short(date(2026, 9, 3)) == "03.09.2026"
    assert format_datetime_long(datetime(2026, 9, 3, 14, 30)) == f"«3»{NBSP}сентября 2026{NBSP}г. в 14:30"


def test_numbers_and_percents_drop_trailing_zeros():
    assert format_number(D("1.50")) == "1,5"
    assert format_number(D("4")) == "4"
    assert format_percent(D("14.00")) == f"14{NBSP}%"
    assert format_percent(D("0.1")) == f"0,1{NBSP}%"


@pytest.mark.parametrize(
    ("name", "dative", "genitive"),
    [
        ("Иванов Иван Иванович", "Иванову Ивану Ивановичу", "Иванова Ивана Ивановича"),
        ("Кузнецов Дмитрий Олегович", "Кузнецову Дмитрию Олеговичу", "Кузнецова Дмитрия Олеговича"),
        ("Соколов Павел", "Соколову Павлу", "Соколова Павла"),
        ("Смирнова Анна Сергеевна", "Смирновой Анне Сергеевне", "Смирновой Анны Сергеевны"),
        ("Фёдорова Ольга Павловна", "Фёдоровой Ольге Павловне", "Фёдоровой Ольги Павловны"),
        ("Попова Мария Ивановна", "Поповой Марии Ивановне", "Поповой Марии Ивановны"),
        ("Михайлова Ирина", "Михайловой Ирине", "Михайловой Ирины"),
        ("Соколова Елена Викторовна", "Соколовой Елене Викторовне", "Соколовой Елены Викторовны"),
        ("Петров Пётр Петрович", "Петрову Петру Петровичу", "Петрова Петра Петровича"),
    ],
)
def test_decline_person_in_dative_and_genitive(name, dative, genitive):
    assert decline_person(name, "dative") == dative
    assert decline_person(name, "genitive") == genitive


def test_gender_comes_from_the_argument_before_the_name():
    assert detect_gender("Смирнова Анна Сергеевна") == "female"
    assert detect_gender("Соколов Павел") == "male"
    assert detect_gender("Черных Саша", "female") == "female"
    assert decline_person("Черных Саша", "dative", "female") == "Черных Саше"


@pytest.mark.parametrize(
    ("name", "case", "expected"),
    [
        ("Петров Пётр Петрович", "nominative", "Петров П. П."),
        ("Сидоров Сидор Сидорович", "dative", "Сидорову С. С."),
        ("Смирнова Анна Сергеевна", "dative", "Смирновой А. С."),
        ("Михайлова Ирина", "nominative", "Михайлова И."),
    ],
)
def test_initials_name(name, case, expected):
    assert initials_name(name, case) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Иванов Иван Иванович", "Уважаемый Иван Иванович!"),
        ("Смирнова Анна Сергеевна", "Уважаемая Анна Сергеевна!"),
        ("Соколов Павел", "Уважаемый господин Соколов!"),
        ("Михайлова Ирина", "Уважаемая госпожа Михайлова!"),
    ],
)
def test_salutation_agrees_with_gender(name, expected):
    assert salutation(name) == expected


@pytest.mark.parametrize(
    ("position", "dative", "genitive"),
    [
        ("Генеральный директор", "Генеральному директору", "Генерального директора"),
        ("Директор", "Директору", "Директора"),
        ("Управляющий", "Управляющему", "Управляющего"),
        ("Индивидуальный предприниматель", "Индивидуальному предпринимателю", "Индивидуального предпринимателя"),
        ("Директор по развитию", "Директору по развитию", "Директора по развитию"),
        ("Главный бухгалтер", "Главному бухгалтеру", "Главного бухгалтера"),
    ],
)
def test_decline_position(position, dative, genitive):
    assert decline_position(position, "dative") == dative
    assert decline_position(position, "genitive") == genitive


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        # After «в течение» the genitive: одного календарного дня, двух/пяти … календарных дней.
        (1, "1 (одного) календарного дня"),
        (2, "2 (двух) календарных дней"),
        (5, "5 (пяти) календарных дней"),
        (10, "10 (десяти) календарных дней"),
        (11, "11 (одиннадцати) календарных дней"),  # 11 is not «…один»
        (21, "21 (двадцати одного) календарного дня"),
        (30, "30 (тридцати) календарных дней"),
        (111, "111 (ста одиннадцати) календарных дней"),
    ],
)
def test_a_term_in_figures_and_words_in_the_genitive(days, expected):
    assert format_calendar_days_genitive(days).replace(NBSP, " ") == expected


@pytest.mark.parametrize(
    ("name", "gender", "expected"),
    [
        ("Иванов Иван Иванович", None, "Ивановым Иваном Ивановичем"),
        ("Соколова Елена Викторовна", "female", "Соколовой Еленой Викторовной"),
        ("Смирнова Анна Сергеевна", None, "Смирновой Анной Сергеевной"),
    ],
)
def test_decline_person_instrumental(name, gender, expected):
    assert decline_person(name, "instrumental", gender) == expected


@pytest.mark.parametrize(
    ("reason", "reported"),
    [
        ("считает стоимость ремонта завышенной", "считает стоимость ремонта завышенной"),
        ("Считает стоимость завышенной.", "считает стоимость завышенной"),  # a sentence's capital and stop go
        ("Клиент счёл стоимость ремонта завышенной", "счёл стоимость ремонта завышенной"),  # no third person
        ("заказчица решила продать автомобиль", "решила продать автомобиль"),
        ("СТО рядом дешевле", "СТО рядом дешевле"),  # an abbreviation keeps its capitals
    ],
)
def test_a_reason_is_reported_after_that(reason, reported):
    assert reported_reason(reason) == reported


def test_past_form_agrees_with_the_person():
    assert past_form("female", "ознакомлен", "ознакомлена") == "ознакомлена"
    assert past_form("male", "ознакомлен", "ознакомлена") == "ознакомлен"
