"""Hand-built shop, cases and figures for the document tests, mirroring shop.yaml
and cases/*.yaml, so these tests depend on neither the loader nor calc.py.

Every figure is worked out by hand; the arithmetic is in the comments.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal as D

from pipeline.models import (
    Bank,
    Case,
    Client,
    Figures,
    Invoice,
    LineAmount,
    Order,
    Payment,
    Penalty,
    PenaltyRow,
    PenaltyTerms,
    Refusal,
    Representative,
    Shop,
    Signatory,
    Storage,
    StorageFee,
    StorageNotice,
    StorageTerms,
    Terms,
    Vehicle,
    WorkLine,
)

TERMS = Terms(
    payment_days=5,
    storage=StorageTerms(daily_rate=D("300.00"), free_days=3, basis="п. 4.3 заказ-наряда"),
    penalty=PenaltyTerms(kind="key_rate"),
    notice_days=7,
    pretension_after_days=30,
    pretension_response_days=10,
    credit_limit=D("10000.00"),
)


def make_shop(**changes) -> Shop:
    shop = Shop(
        name="ООО «Автосервис Плюс»",
        short_name="Автосервис Плюс",
        kind="company",
        inn="7724212997",
        kpp="772401001",
        ogrn="1167746268183",
        address="115230, г. Москва, Варшавское ш., д. 47, стр. 2",
        phone="+7 495 123-45-67",
        email="service@avtoplus.example",
        signatory=Signatory(name="Петров Пётр Петрович", position="Генеральный директор", basis="Устава"),
        bank=Bank(
            name="ПАО Сбербанк",
            bik="044525225",
            account="40702810938000071234",
            corr_account="30101810400000000225",
        ),
        vat_rate=D("22"),
        terms=TERMS,
    )
    return replace(shop, **changes)


def _line(name, kind, qty, price, status, unit=None, percent_done=None, purchased=False, cost=None, doc=None):
    return WorkLine(
        name=name,
        kind=kind,
        qty=D(qty),
        unit=unit or ("шт." if kind == "part" else "усл."),
        price=D(price),
        status=status,
        percent_done=percent_done,
        purchased=purchased,
        purchase_cost=D(cost) if cost is not None else None,
        supplier_document=doc,
    )


def _amounts(lines, amounts) -> tuple[LineAmount, ...]:
    return tuple(LineAmount(n, line, D(a)) for n, (line, a) in enumerate(zip(lines, amounts, strict=True), 1))


# --- Иванов: refusal mid-repair, person, key rate, storage, witnesses ------------

IVANOV_LINES = (
    _line("Диагностика ходовой части", "labor", "1", "1500.00", "done"),
    _line("Замена рычага передней подвески", "labor", "1.5", "2400.00", "partial", "н/ч", 40),
    _line("Сайлентблоки переднего рычага", "part", "2", "850.00", "done"),
    _line(
        "Рычаг передний левый, арт. 2190-2904020",
        "part",
        "1",
        "6200.00",
        "not_started",
        purchased=True,
        cost="5900.00",
        doc="товарная накладная № 4417 от 02.09.2026",
    ),
    _line("Развал-схождение", "labor", "1", "2800.00", "not_started"),
)


def ivanov_case(**changes) -> Case:
    case = Case(
        id="ZN-2026-0147",
        client=Client(
            kind="person",
            name="Иванов Иван Иванович",
            address="101000, г. Москва, ул. Ленина, д. 1, кв. 2",
            phone="+7 900 123-45-67",
            email="ivanov@example.ru",
        ),
        vehicle=Vehicle("Lada", "Vesta", 2020, "XTAGFL110LY123456", "А123ВС777", 45210),
        order=Order("ЗН-0147", date(2026, 9, 1), D("48500.00")),
        work=IVANOV_LINES,
        terms=TERMS,
        refusal=Refusal(
            at=datetime(2026, 9, 3, 14, 30),
            channel="in_person",
            recorded_by="Кузнецов К. К., мастер-приёмщик",
            client_signed=False,
            reason="считает стоимость ремонта завышенной",
            witnesses=("Смирнов А. А., автослесарь", "Орлова Е. В., администратор"),
        ),
        invoice=Invoice(date(2026, 9, 3), "147"),
        payments=(Payment(date(2026, 9, 10), D("2000.00"), "cash"),),
        storage=Storage(start=date(2026, 9, 4), notice=StorageNotice(date(2026, 9, 4), date(2026, 9, 6), "15")),
    )
    return replace(case, **changes)


def ivanov_figures() -> Figures:
    # Lines: 1 × 1500 = 1500.00; 1.5 × 2400 × 40 % = 1440.00; 2 × 850 = 1700.00; the purchased
    # part at its actual cost 1 × 5900.00 (not the order's 6200.00); not started 0.
    # Total 1500 + 1440 + 1700 + 5900 = 10 540.00, VAT 10540 × 22 / 122 = 1900.655… → 1900.66.
    # Due 03.09 + 5 = 08.09 (a Tuesday); paid 2000 on 10.09; outstanding 8 540.00.
    # As of 20.10.2026: 42 days overdue (22 in September + 20 in October).
    # Interest 14 %: 09.09–10.09, 2 days × 10 540: 10540 × 0.14 × 2 / 365 = 8.0855 → 8.09;
    # 11.09–20.10, 40 days × 8 540: 8540 × 0.14 × 40 / 365 = 131.0247 → 131.02; total 139.11.
    # Storage 04.09–20.10 = 27 + 20 = 47 days; the notice's deadline 06.09 is the 3rd free day,
    # so 3 free, 44 × 300 = 13 200.00 (basis: п. 4.3 заказ-наряда).
    # Claim 8540 + 139.11 + 13200 = 21 879.11.
    return Figures(
        as_of=date(2026, 10, 20),
        lines=_amounts(IVANOV_LINES, ["1500.00", "1440.00", "1700.00", "5900.00", "0.00"]),
        total=D("10540.00"),
        vat_rate=D("22"),
        vat=D("1900.66"),
        due_date=date(2026, 9, 8),
        paid=D("2000.00"),
        outstanding=D("8540.00"),
        overpayment=D("0.00"),
        days_overdue=42,
        penalty=Penalty(
            kind="key_rate",
            rows=(
                PenaltyRow(date(2026, 9, 9), date(2026, 9, 10), 2, D("10540.00"), D("14.00"), 365, D("8.09")),
                PenaltyRow(date(2026, 9, 11), date(2026, 10, 20), 40, D("8540.00"), D("14.00"), 365, D("131.02")),
            ),
            total=D("139.11"),
        ),
        storage=StorageFee(
            start=date(2026, 9, 4),
            end=date(2026, 10, 20),
            still_held=True,
            days_held=47,
            free_days=3,
            paid_days=44,
            daily_rate=D("300.00"),
            fee=D("13200.00"),
        ),
        claim_total=D("21879.11"),
        notice_deadline=date(2026, 10, 27),
        pretension_deadline=date(2026, 10, 30),
        documents_due=("refusal_act", "invoice", "overdue_notice", "pretension"),
    )


# --- ООО «Вектор»: company with a representative, contract penalty, no storage ----

VECTOR_LINES = (
    _line("Техническое обслуживание ТО-4", "labor", "1", "7800.00", "done"),
    _line("Колодки тормозные передние", "part", "1", "3400.00", "done", "компл."),
    _line("Замена тормозных колодок", "labor", "1", "2500.00", "done"),
    _line("Масло моторное 5W-40", "part", "4.5", "950.50", "done", "л"),
)
VECTOR_TERMS = replace(
    TERMS,
    penalty=PenaltyTerms(
        kind="contract", rate_percent_per_day=D("0.1"), cap_percent=D("10"), basis="п. 5.2 договора-заказ-наряда"
    ),
    pretension_response_days=30,  # a company's order: the АПК РФ ч. 5 ст. 4 default
)


def vector_case(**changes) -> Case:
    case = Case(
        id="ZN-2026-0171",
        client=Client(
            kind="company",
            name="ООО «Вектор»",
            address="140000, Московская обл., г. Люберцы, ул. Мира, д. 5, офис 12",
            phone="+7 495 765-43-21",
            email="buh@vector.example",
            inn="5027323640",
            ogrn="1195040778503",
            kpp="502701001",
            representative=Representative("Сидоров Сидор Сидорович", "Генеральный директор", "Устава"),
        ),
        vehicle=Vehicle("Volkswagen", "Polo", 2021, "XW8ZZZ61ZMG012345", "Е777КХ750"),
        order=Order("ЗН-0171", date(2026, 10, 1)),
        work=VECTOR_LINES,
        terms=VECTOR_TERMS,
        invoice=Invoice(date(2026, 10, 5), "171", date(2026, 10, 15)),
        payments=(Payment(date(2026, 10, 20), D("5000.00"), "transfer"),),
    )
    return replace(case, **changes)


def vector_figures() -> Figures:
    # 7800 + 3400 + 2500 + 4.5 × 950.50 (= 4277.25) = 17 977.25; VAT 17977.25 × 22 / 122
    # = 3241.799… → 3241.80. Due 15.10; 5000 paid 20.10; outstanding 12 977.25.
    # As of 20.11.2026: 36 days overdue (16 in October + 20 in November).
    # Penalty 0.1 %/day: 16.10–20.10, 5 days × 17 977.25 = 89.886 → 89.89;
    # 21.10–20.11, 31 days × 12 977.25 = 402.29475 → 402.29; total 492.18.
    # Cap 10 % × 17 977.25 = 1797.725 → 1797.73, not reached. Claim 12977.25 + 492.18 = 13 469.43.
    return Figures(
        as_of=date(2026, 11, 20),
        lines=_amounts(VECTOR_LINES, ["7800.00", "3400.00", "2500.00", "4277.25"]),
        total=D("17977.25"),
        vat_rate=D("22"),
        vat=D("3241.80"),
        due_date=date(2026, 10, 15),
        paid=D("5000.00"),
        outstanding=D("12977.25"),
        overpayment=D("0.00"),
        days_overdue=36,
        penalty=Penalty(
            kind="contract",
            rows=(
                PenaltyRow(date(2026, 10, 16), date(2026, 10, 20), 5, D("17977.25"), D("0.1"), None, D("89.89")),
                PenaltyRow(date(2026, 10, 21), date(2026, 11, 20), 31, D("12977.25"), D("0.1"), None, D("402.29")),
            ),
            total=D("492.18"),
            cap=D("1797.73"),
        ),
        storage=None,
        claim_total=D("13469.43"),
        notice_deadline=date(2026, 11, 27),
        pretension_deadline=date(2026, 12, 20),
        documents_due=("invoice", "overdue_notice", "pretension"),
    )


# --- Соколова: entrepreneur, no VAT shop variant, key rate across a year end -------

SOKOLOVA_LINES = (
    _line("Развал-схождение", "labor", "1", "2800.00", "done"),
    _line("Балансировка колёс", "labor", "4", "450.00", "done"),
)


def sokolova_case(**changes) -> Case:
    case = Case(
        id="ZN-2026-0192",
        client=Client(
            kind="entrepreneur",
            name="Соколова Елена Викторовна",
            address="109052, г. Москва, ул. Нижегородская, д. 32, кв. 5",
            gender="female",
            phone="+7 925 111-22-33",
            inn="771507055500",
            ogrn="318773082168408",
        ),
        vehicle=Vehicle("Haval", "Jolion", 2023, "LGWEF6A59PH123456", "Т321ТТ797"),
        order=Order("ЗН-0192", date(2026, 11, 18)),
        work=SOKOLOVA_LINES,
        # A business order (no personal_use): 30 days to answer a pretension, АПК РФ ч. 5 ст. 4.
        terms=replace(TERMS, pretension_response_days=30),
        invoice=Invoice(date(2026, 11, 20), "192", date(2026, 11, 27)),
    )
    return replace(case, **changes)


def sokolova_figures() -> Figures:
    # 2800 + 4 × 450 = 4600.00, shop without VAT. Due 27.11.2026, nothing paid.
    # As of 15.01.2027: 49 days overdue (3 in November + 31 in December + 15 in January).
    # 14 %: 28.11–31.12.2026, 34 days: 4600 × 0.14 × 34 / 365 = 59.989 → 59.99;
    # 01.01–15.01.2027, 15 days: 4600 × 0.14 × 15 / 365 = 26.466 → 26.47; total 86.46.
    # Claim 4600 + 86.46 = 4686.46.
    return Figures(
        as_of=date(2027, 1, 15),
        lines=_amounts(SOKOLOVA_LINES, ["2800.00", "1800.00"]),
        total=D("4600.00"),
        vat_rate=D("0"),
        vat=D("0.00"),
        due_date=date(2026, 11, 27),
        paid=D("0.00"),
        outstanding=D("4600.00"),
        overpayment=D("0.00"),
        days_overdue=49,
        penalty=Penalty(
            kind="key_rate",
            rows=(
                PenaltyRow(date(2026, 11, 28), date(2026, 12, 31), 34, D("4600.00"), D("14.00"), 365, D("59.99")),
                PenaltyRow(date(2027, 1, 1), date(2027, 1, 15), 15, D("4600.00"), D("14.00"), 365, D("26.47")),
            ),
            total=D("86.46"),
        ),
        storage=None,
        claim_total=D("4686.46"),
        notice_deadline=date(2027, 1, 22),
        pretension_deadline=date(2027, 2, 15),  # 15.01 + 30 = 14.02.2027, a Sunday → Monday
        documents_due=("invoice", "overdue_notice", "pretension"),
    )


# --- Кузнецов: paid in full, invoice only --------------------------------------

KUZNETSOV_LINES = (
    _line("Замена масла в двигателе", "labor", "1", "1200.00", "done"),
    _line("Масло моторное 0W-20", "part", "5", "1100.00", "done", "л"),
    _line("Фильтр масляный", "part", "1", "890.00", "done"),
)


def kuznetsov_case() -> Case:
    return Case(
        id="ZN-2026-0180",
        client=Client(
            kind="person",
            name="Кузнецов Дмитрий Олегович",
            address="115088, г. Москва, ул. Шарикоподшипниковская, д. 9, кв. 41",
            phone="+7 903 222-33-44",
        ),
        vehicle=Vehicle("Toyota", "Camry", 2019, plate="О001ОО177"),
        order=Order("ЗН-0180", date(2026, 10, 12)),
        work=KUZNETSOV_LINES,
        terms=TERMS,
        invoice=Invoice(date(2026, 10, 12), "180"),
        payments=(Payment(date(2026, 10, 12), D("7590.00"), "card"),),
    )


def kuznetsov_figures() -> Figures:
    # 1200 + 5 × 1100 + 890 = 7590.00; VAT 7590 × 22 / 122 = 1368.688… → 1368.69; paid in full.
    # Due 12.10 + 5 = 17.10.2026, a Saturday → the next working day, Monday 19.10 (ГК РФ ст. 193).
    return Figures(
        as_of=date(2026, 11, 20),
        lines=_amounts(KUZNETSOV_LINES, ["1200.00", "5500.00", "890.00"]),
        total=D("7590.00"),
        vat_rate=D("22"),
        vat=D("1368.69"),
        due_date=date(2026, 10, 19),
        paid=D("7590.00"),
        outstanding=D("0.00"),
        overpayment=D("0.00"),
        days_overdue=0,
        penalty=Penalty(kind="key_rate", rows=(), total=D("0.00")),
        storage=None,
        claim_total=D("0.00"),
        notice_deadline=date(2026, 11, 27),
        pretension_deadline=date(2026, 11, 30),
        documents_due=("invoice",),
    )


def entrepreneur_shop() -> Shop:
    """A shop run by an entrepreneur on the simplified system: no KPP, ОГРНИП, no VAT."""
    return make_shop(
        name="ИП Морозов Алексей Николаевич",
        short_name="Автомастерская Морозова",
        kind="entrepreneur",
        inn="500100732259",
        kpp=None,
        ogrn="304500116000157",
        signatory=Signatory("Морозов Алексей Николаевич", "Индивидуальный предприниматель", "ОГРНИП"),
        vat_rate=D("0"),
    )


# (case, figures, shop) per scenario, for parametrised tests.
SCENARIOS = {
    "ivanov": (ivanov_case, ivanov_figures, make_shop),
    "vector": (vector_case, vector_figures, make_shop),
    "sokolova": (sokolova_case, sokolova_figures, entrepreneur_shop),
    "kuznetsov": (kuznetsov_case, kuznetsov_figures, make_shop),
}


def scenario(name: str) -> tuple[Case, Shop, Figures]:
    case_factory, figures_factory, shop_factory = SCENARIOS[name]
    return case_factory(), shop_factory(), figures_factory()
