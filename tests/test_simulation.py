"""Six months of one shop's collections: four cases, a batch on the 1st of each month (a real
SQLite journal, real LibreOffice), and between the runs what the manager types into the case
files — payments, the post's ШПИ and a returned letter, a promise, a hold and its resume, an
instalment plan, the court's events. Each month's register is checked row by row against the
hand-written table below; the arithmetic of every date is in its comment.

The cases (shop.yaml: 30 days overdue before a pretension, 7 days after a notice, 10 days to
answer it — 30 for a company, АПК РФ ч. 5 ст. 4 —, a reminder 3 days before the due date):
- SIM-A, Белов, a consumer, 30 000,00 due 15.06.2026; pays 5 000,00; the pretension comes back
  unclaimed; the magistrate's court order.
- SIM-B, ООО «Ромашка», 60 000,00 due 25.06.2026; the pretension delivered; the arbitrazh court
  order, cancelled on the debtor's objection; the claim.
- SIM-C, Гусева, a consumer, 20 000,00 due 03.07.2026; a reminder, a promise, a hold while the
  bill is disputed, a resume, the notice, then paid.
- SIM-D, Орехов, a consumer, 30 000,00 due 20.05.2026 on an instalment plan agreed 25.06.2026;
  the second instalment missed, the demand of the remainder, then paid.
Every case sets a credit limit no debt reaches: no prepayment letters.
"""

import csv
import io
import os
import shutil
import stat
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from factories import day
from pypdf import PdfReader

from pipeline.commands.batch import BatchOptions, run_batch

ROOT = Path(__file__).resolve().parent.parent
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")

PERSON_A = """\
id: SIM-A
client:
  kind: person
  name: Белов Андрей Игоревич
  address: 125009, г. Москва, ул. Тверская, д. 7, кв. 15
  phone: "+7 916 100-20-30"
court:
  name: Мировой судья судебного участка № 370 Тверского района г. Москвы
  address: 125009, г. Москва, ул. Тверская, д. 9
vehicle: {make: Lada, model: Vesta, year: 2020, plate: О001ОО177}
order: {number: ЗН-А, date: 2026-06-08}
work:
  - {name: Ремонт двигателя, kind: labor, qty: 1, price: 30000.00, status: done}
invoice: {number: "А-1", date: 2026-06-10, due_date: 2026-06-15}
terms: {credit_limit: 1000000.00}
payments: []
events: []
"""
COMPANY_B = """\
id: SIM-B
client:
  kind: company
  name: ООО «Ромашка»
  inn: "5027323640"
  kpp: "502701001"
  ogrn: "1195040778503"
  address: 140000, Московская обл., г. Люберцы, ул. Мира, д. 5, офис 12
  phone: "+7 495 765-43-21"
  representative: {name: Сидоров Сидор Сидорович, position: Генеральный директор, basis: Устава}
court:
  name: Арбитражный суд Московской области
  address: 107053, г. Москва, пр-т Академика Сахарова, д. 18
vehicle: {make: Volkswagen, model: Polo, year: 2021, plate: Е777КХ750}
order: {number: ЗН-Б, date: 2026-06-15}
work:
  - {name: Ремонт коробки передач, kind: labor, qty: 1, price: 60000.00, status: done}
invoice: {number: "Б-1", date: 2026-06-20, due_date: 2026-06-25}
terms:
  credit_limit: 1000000.00
  penalty: {kind: contract, rate_percent_per_day: 0.1, cap_percent: 10, basis: п. 5.2 договора}
payments: []
events: []
"""
PERSON_C = """\
id: SIM-C
client:
  kind: person
  name: Гусева Ольга Петровна
  address: 117452, г. Москва, Симферопольский б-р, д. 24, кв. 18
  phone: "+7 916 300-40-50"
vehicle: {make: Kia, model: Rio, year: 2018, plate: М456ОР799}
order: {number: ЗН-В, date: 2026-06-25}
work:
  - {name: Замена сцепления, kind: labor, qty: 1, price: 20000.00, status: done}
invoice: {number: "В-1", date: 2026-06-28, due_date: 2026-07-03}
terms: {credit_limit: 1000000.00}
payments: []
events: []
"""
PERSON_D = """\
id: SIM-D
client:
  kind: person
  name: Орехов Павел Сергеевич
  address: 115088, г. Москва, ул. Шарикоподшипниковская, д. 9, кв. 41
  phone: "+7 903 222-33-44"
vehicle: {make: Toyota, model: Camry, year: 2019, plate: Т002ТТ177}
order: {number: ЗН-Г, date: 2026-05-10}
work:
  - {name: Кузовной ремонт, kind: labor, qty: 1, price: 30000.00, status: done}
invoice: {number: "Г-1", date: 2026-05-15, due_date: 2026-05-20}
terms: {credit_limit: 1000000.00}
payments: []
events:
  - kind: instalments
    date: 2026-06-25
    schedule:
      - {date: 2026-07-15, amount: 10000.00}
      - {date: 2026-08-15, amount: 10000.00}
      - {date: 2026-09-15, amount: 10000.00}
"""

# What the manager types into the files before each run: (case, list or events, the item's YAML).
BEFORE = {
    "2026-08-01": [
        ("SIM-A", "payments", "{date: 2026-07-20, amount: 5000.00, method: card}"),
        ("SIM-C", "events", "{kind: promise, date: 2026-07-25, pay_by: 2026-08-10}"),
        ("SIM-D", "payments", "{date: 2026-07-14, amount: 10000.00, method: card}"),
    ],
    "2026-09-01": [
        (
            "SIM-A",
            "events",
            '{kind: sent, date: 2026-08-03, document: ПР-2026-0001, channel: registered_post, tracking: "11523026012345"}',
        ),
        ("SIM-A", "events", "{kind: returned, date: 2026-08-28, document: ПР-2026-0001, reason: истёк срок хранения}"),
        (
            "SIM-B",
            "events",
            '{kind: sent, date: 2026-08-03, document: ПР-2026-0002, channel: registered_post, tracking: "11523026012346"}',
        ),
        ("SIM-B", "events", "{kind: delivered, date: 2026-08-10, document: ПР-2026-0002}"),
        ("SIM-C", "payments", "{date: 2026-08-10, amount: 8000.00, method: cash}"),
        ("SIM-C", "events", "{kind: hold, date: 2026-08-20, reason: заказчица оспаривает счёт}"),
    ],
    "2026-10-01": [
        ("SIM-C", "events", "{kind: resume, date: 2026-09-15, reason: спор урегулирован}"),
        ("SIM-D", "payments", "{date: 2026-09-10, amount: 20000.00, method: transfer}"),
    ],
    "2026-11-01": [
        ("SIM-A", "events", "{kind: court_filed, date: 2026-10-05, court: Мировой судья судебного участка № 370}"),
        ("SIM-B", "events", "{kind: court_filed, date: 2026-10-05, court: Арбитражный суд Московской области}"),
        ("SIM-B", "events", "{kind: court_order_issued, date: 2026-10-15, court_case: А41-1111/2026}"),
        ("SIM-B", "events", "{kind: court_order_cancelled, date: 2026-10-26, court_case: А41-1111/2026}"),
        ("SIM-C", "payments", "{date: 2026-10-20, amount: 12000.00, method: card}"),
    ],
    "2026-12-01": [
        ("SIM-A", "events", "{kind: court_order_issued, date: 2026-11-10, court_case: 2-1234/2026}"),
        ("SIM-B", "events", "{kind: court_filed, date: 2026-11-09, court: Арбитражный суд Московской области}"),
    ],
}

COLUMNS = (
    "Дело",
    "Долг, руб.",
    "Дней просрочки",
    "Номер документа",
    "Статус",
    "Последний документ",
    "Отправлено / вручено",
    "Срок ответа на претензию",
    "Следующий шаг",
    "Дата следующего шага",
    "Госпошлина, руб.",
    "Сопутствующие письма",
)
NOTICE, PRETENSION = "Уведомление о просрочке оплаты", "Досудебная претензия"
ORDER, CLAIM = "Заявление о выдаче судебного приказа", "Исковое заявление о взыскании задолженности"
REMINDER = "Напоминание о сроке оплаты НП-2026-0001 от 01.07.2026"
AGREEMENT = "Соглашение о признании долга и рассрочке его погашения СР-2026-0001 от 01.07.2026"
DEMAND = "Требование о досрочной оплате оставшейся суммы долга по соглашению о рассрочке ТР-2026-0001 от 01.09.2026"
FILE_IT = "подать заявление в суд и записать событие court_filed"
IN_COURT = "ждать определения или решения суда и записать его событие"
A_MAILING = "отправлено 03.08.2026, ШПИ 11523026012345; вернулось 28.08.2026"
B_MAILING = "отправлено 03.08.2026, ШПИ 11523026012346; получено 10.08.2026"
DEMANDED = "требование об оплате остатка по рассрочке направлено"

# The hand-written register, month by month, one tuple per case in COLUMNS' order.
EXPECTED = {
    "2026-07-01": [
        # 01.07 − 15.06 = 16 days overdue: the first notice. The pretension once 30 days overdue
        # (15.06 + 30 = 15.07) and 7 days after the notice (08.07): 15.07.
        (
            "SIM-A",
            "30000,00",
            "16",
            "УВ-2026-0001",
            "уведомление направлено",
            f"{NOTICE} УВ-2026-0001 от 01.07.2026",
            "",
            "",
            "направить претензию не ранее 15.07.2026",
            "15.07.2026",
            "",
            "",
        ),
        # 01.07 − 25.06 = 6 days: the notice; the pretension from 25.06 + 30 = 25.07 (later than 08.07).
        (
            "SIM-B",
            "60000,00",
            "6",
            "УВ-2026-0002",
            "уведомление направлено",
            f"{NOTICE} УВ-2026-0002 от 01.07.2026",
            "",
            "",
            "направить претензию не ранее 25.07.2026",
            "25.07.2026",
            "",
            "",
        ),
        # Due Fri 03.07: the reminder from 03.07 − 3 = Tue 30.06; a notice once a day overdue, 04.07.
        (
            "SIM-C",
            "20000,00",
            "0",
            "",
            "срок оплаты не наступил",
            REMINDER,
            "",
            "",
            "уведомление о просрочке не ранее 04.07.2026",
            "04.07.2026",
            "",
            "Напоминание о сроке оплаты НП-2026-0001",
        ),
        # The plan agreed 25.06, nothing paid yet: the agreement to sign; 01.07 − 20.05 = 42 days.
        (
            "SIM-D",
            "30000,00",
            "42",
            "СР-2026-0001",
            "рассрочка по графику, следующий платёж 15.07.2026",
            AGREEMENT,
            "",
            "",
            "следующий платёж 15.07.2026",
            "15.07.2026",
            "",
            "",
        ),
    ],
    "2026-08-01": [
        # 30 000 − 5 000 = 25 000; 16 + 31 = 47 days; the notice of 01.07 is 31 ≥ 7 days old: the
        # pretension, 10 days to answer from today (last day Tue 11.08), court from 12.08.
        (
            "SIM-A",
            "25000,00",
            "47",
            "ПР-2026-0001",
            "претензия направлена",
            f"{PRETENSION} ПР-2026-0001 от 01.08.2026",
            "",
            "11.08.2026",
            "готово к суду не ранее 12.08.2026",
            "12.08.2026",
            "",
            "",
        ),
        # 6 + 31 = 37 days: the pretension, 30 days to answer: 01.08 + 30 = Mon 31.08; court from 01.09.
        (
            "SIM-B",
            "60000,00",
            "37",
            "ПР-2026-0002",
            "претензия направлена",
            f"{PRETENSION} ПР-2026-0002 от 01.08.2026",
            "",
            "31.08.2026",
            "готово к суду не ранее 01.09.2026",
            "01.09.2026",
            "",
            "",
        ),
        # The promise of 25.07 to pay by 10.08 stops the letters; 01.08 − 03.07 = 29 days.
        (
            "SIM-C",
            "20000,00",
            "29",
            "",
            "обещана оплата до 10.08.2026",
            REMINDER,
            "",
            "",
            "ждать оплату до 10.08.2026",
            "10.08.2026",
            "",
            "",
        ),
        # The first instalment paid 14.07; the second due Sat 15.08 (its last day Mon 17.08); 42 + 31 = 73.
        (
            "SIM-D",
            "20000,00",
            "73",
            "",
            "рассрочка по графику, следующий платёж 15.08.2026",
            AGREEMENT,
            "",
            "",
            "следующий платёж 15.08.2026",
            "15.08.2026",
            "",
            "",
        ),
    ],
    "2026-09-01": [
        # The pretension came back on 28.08 (counts as delivered, ГК РФ ст. 165.1): 28.08 + 10 = Mon 07.09
        # to answer, court from 08.09. 47 + 31 = 78 days.
        (
            "SIM-A",
            "25000,00",
            "78",
            "",
            "претензия направлена",
            f"{PRETENSION} ПР-2026-0001 от 01.08.2026",
            A_MAILING,
            "07.09.2026",
            "готово к суду не ранее 08.09.2026",
            "08.09.2026",
            "",
            "",
        ),
        # Delivered 10.08: 10.08 + 30 = Wed 09.09 to answer, court from 10.09. 37 + 31 = 68 days.
        (
            "SIM-B",
            "60000,00",
            "68",
            "",
            "претензия направлена",
            f"{PRETENSION} ПР-2026-0002 от 01.08.2026",
            B_MAILING,
            "09.09.2026",
            "готово к суду не ранее 10.09.2026",
            "10.09.2026",
            "",
            "",
        ),
        # 20 000 − 8 000 = 12 000; on hold since 20.08; 29 + 31 = 60 days.
        (
            "SIM-C",
            "12000,00",
            "60",
            "",
            "на паузе: заказчица оспаривает счёт",
            REMINDER,
            "",
            "",
            "на паузе (заказчица оспаривает счёт)",
            "",
            "",
            "",
        ),
        # The second instalment missed (last day 17.08): the demand of the remaining 20 000; 10 days to
        # answer from today, last day Fri 11.09, court from 12.09. 73 + 31 = 104 days.
        (
            "SIM-D",
            "20000,00",
            "104",
            "ТР-2026-0001",
            DEMANDED,
            DEMAND,
            "",
            "11.09.2026",
            "готово к суду не ранее 12.09.2026",
            "12.09.2026",
            "",
            "",
        ),
    ],
    "2026-10-01": [
        # The answer period ran out on 07.09: the court order application to the magistrate; the duty,
        # НК РФ ст. 333.19: a claim under 100 000 → 4 000, half of it for a court order = 2 000.
        # 78 + 30 = 108 days.
        (
            "SIM-A",
            "25000,00",
            "108",
            "СП-2026-0001",
            "заявление в суд подготовлено",
            f"{ORDER} СП-2026-0001 от 01.10.2026",
            "",
            "07.09.2026",
            FILE_IT,
            "",
            "2000,00",
            "",
        ),
        # Ran out on 09.09, and 30 days from mailing (03.08 + 30 = 02.09, АПК РФ ч. 5 ст. 4): the arbitrazh
        # court order; ст. 333.21: 10 000 for a claim under 100 000, half = 5 000, at least 8 000. 68 + 30 = 98.
        (
            "SIM-B",
            "60000,00",
            "98",
            "СП-2026-0002",
            "заявление в суд подготовлено",
            f"{ORDER} СП-2026-0002 от 01.10.2026",
            "",
            "09.09.2026",
            FILE_IT,
            "",
            "8000,00",
            "",
        ),
        # Resumed 15.09, never notified: the first notice; the pretension 7 days after it, 08.10 (it is
        # long past 30 days overdue: 60 + 30 = 90 days).
        (
            "SIM-C",
            "12000,00",
            "90",
            "УВ-2026-0003",
            "уведомление направлено",
            f"{NOTICE} УВ-2026-0003 от 01.10.2026",
            "",
            "",
            "направить претензию не ранее 08.10.2026",
            "08.10.2026",
            "",
            "",
        ),
        # Paid the remaining 20 000 on 10.09: closed; the demand's answer date stays on record.
        ("SIM-D", "0,00", "0", "", "закрыто", DEMAND, "", "11.09.2026", "—", "", "", ""),
    ],
    "2026-11-01": [
        # Filed 05.10: nothing until the court's event. 108 + 31 = 139 days.
        (
            "SIM-A",
            "25000,00",
            "139",
            "",
            "подано в суд 05.10.2026",
            f"{ORDER} СП-2026-0001 от 01.10.2026",
            "",
            "07.09.2026",
            IN_COURT,
            "",
            "",
            "",
        ),
        # The order cancelled on 26.10 (ГПК/АПК: then a claim): the claim in the simplified procedure
        # (under 800 000, АПК РФ ст. 227), ст. 333.21: 10 000 for a claim under 100 000. 98 + 31 = 129.
        (
            "SIM-B",
            "60000,00",
            "129",
            "ИЗ-2026-0001",
            "судебный приказ отменён 26.10.2026",
            f"{CLAIM} ИЗ-2026-0001 от 01.11.2026",
            "",
            "09.09.2026",
            FILE_IT,
            "",
            "10000,00",
            "",
        ),
        # Paid the remaining 12 000 on 20.10: closed.
        ("SIM-C", "0,00", "0", "", "закрыто", f"{NOTICE} УВ-2026-0003 от 01.10.2026", "", "", "—", "", "", ""),
        ("SIM-D", "0,00", "0", "", "закрыто", DEMAND, "", "11.09.2026", "—", "", "", ""),
    ],
    "2026-12-01": [
        # The court order of 10.11. 139 + 30 = 169 days.
        (
            "SIM-A",
            "25000,00",
            "169",
            "",
            "выдан судебный приказ 10.11.2026",
            f"{ORDER} СП-2026-0001 от 01.10.2026",
            "",
            "07.09.2026",
            "предъявить судебный приказ к исполнению",
            "",
            "",
            "",
        ),
        # The claim filed 09.11. 129 + 30 = 159 days.
        (
            "SIM-B",
            "60000,00",
            "159",
            "",
            "подано в суд 09.11.2026",
            f"{CLAIM} ИЗ-2026-0001 от 01.11.2026",
            "",
            "09.09.2026",
            IN_COURT,
            "",
            "",
            "",
        ),
        ("SIM-C", "0,00", "0", "", "закрыто", f"{NOTICE} УВ-2026-0003 от 01.10.2026", "", "", "—", "", "", ""),
        ("SIM-D", "0,00", "0", "", "закрыто", DEMAND, "", "11.09.2026", "—", "", "", ""),
    ],
}
# The duty to pay each month: the XLSX totals row sums the column.
DUTY_TOTALS = {"2026-10-01": 10000, "2026-11-01": 10000}


def add_item(case_file: Path, block: str, item: str) -> None:
    """Append `item` to the `payments:` or `events:` list of the file, as the manager would."""
    text = case_file.read_text(encoding="utf-8")
    entry = f"  - {item}\n"
    if f"{block}: []\n" in text:
        case_file.write_text(text.replace(f"{block}: []\n", f"{block}:\n{entry}"), encoding="utf-8")
        return
    lines = text.splitlines(keepends=True)
    end = lines.index(f"{block}:\n") + 1
    while end < len(lines) and lines[end].startswith(" "):  # the list's items and their fields
        end += 1
    lines.insert(end, entry)
    case_file.write_text("".join(lines), encoding="utf-8")


def register_of(folder: Path) -> list[dict[str, str]]:
    raw = (folder / "register.csv").read_bytes().decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(raw), delimiter=";"))
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture(scope="module")
def six_months(tmp_path_factory):
    work = tmp_path_factory.mktemp("simulation")
    cases = work / "cases"
    cases.mkdir()
    for name, text in (("a", PERSON_A), ("b", COMPANY_B), ("c", PERSON_C), ("d", PERSON_D)):
        (cases / f"sim-{name}.yaml").write_text(text, encoding="utf-8")
    options = BatchOptions(
        out_dir=work / "out", state_dir=work / "state", as_of=day("2026-07-01"), jobs=2, allow_unconfirmed_rates=True
    )
    reports, registers = {}, {}
    for month in EXPECTED:
        for case_id, block, item in BEFORE.get(month, ()):
            add_item(cases / f"sim-{case_id[-1].lower()}.yaml", block, item)
        reports[month] = run_batch([cases], ROOT / "shop.yaml", replace(options, as_of=day(month)))
        registers[month] = register_of(work / "out/batches" / month)
    return work, reports, registers


@needs_soffice
@pytest.mark.parametrize("month", list(EXPECTED))
def test_each_months_register_matches_the_hand_written_table(six_months, month):
    _, reports, registers = six_months
    assert reports[month].problems == ()
    rows = [tuple(row[column] for column in COLUMNS) for row in registers[month]]
    assert rows == EXPECTED[month]


@needs_soffice
@pytest.mark.parametrize(("month", "duty"), list(DUTY_TOTALS.items()))
def test_the_register_totals_the_state_duty_of_the_month(six_months, month, duty):
    work, _, registers = six_months
    assert sum(int(row["Госпошлина, руб."].split(",")[0] or 0) for row in registers[month]) == duty
    sheet = openpyxl.load_workbook(work / "out/batches" / month / "register.xlsx")["Реестр"]
    assert sheet.cell(row=1, column=20).value == "Госпошлина, руб."
    assert sheet.cell(row=6, column=20).value == "=SUM(T2:T5)"


@needs_soffice
def test_the_history_sheet_has_every_letter_and_event_in_date_order(six_months):
    work, _, _ = six_months
    sheet = openpyxl.load_workbook(work / "out/batches/2026-12-01/register.xlsx")["История"]
    rows = [
        (case, when.date().isoformat(), words) for case, _, when, words in sheet.iter_rows(min_row=2, values_only=True)
    ]
    sim_a = [(when, words) for case, when, words in rows if case == "SIM-A"]
    assert sim_a == [
        ("2026-07-01", "выпущено УВ-2026-0001: Уведомление о просрочке оплаты"),
        ("2026-08-01", "выпущено ПР-2026-0001: Досудебная претензия"),
        ("2026-08-03", "отправлено ПР-2026-0001 заказным письмом, ШПИ 11523026012345"),
        ("2026-08-28", "вернулось ПР-2026-0001 (истёк срок хранения): считается доставленным (ст. 165.1 ГК РФ)"),
        ("2026-10-01", "выпущено СП-2026-0001: Заявление о выдаче судебного приказа"),
        ("2026-10-05", "подано в суд: Мировой судья судебного участка № 370"),
        ("2026-11-10", "выдан судебный приказ, дело 2-1234/2026"),
    ]
    assert [case for case, _, _ in rows] == sorted(case for case, _, _ in rows)  # grouped by case
    assert {case for case, _, _ in rows} == {"SIM-A", "SIM-B", "SIM-C", "SIM-D"}


@needs_soffice
def test_a_case_whose_file_is_gone_stays_in_the_register_with_a_warning(six_months, tmp_path):
    work, _, _ = six_months
    copy = tmp_path / "copy"
    shutil.copytree(work, copy)
    (copy / "cases/sim-a.yaml").unlink()
    options = BatchOptions(
        out_dir=copy / "out", state_dir=copy / "state", as_of=day("2026-12-01"), allow_unconfirmed_rates=True
    )
    report = run_batch([copy / "cases"], ROOT / "shop.yaml", options)
    assert [(w.path, w.message) for w in report.warnings if "SIM-A" in w.message] == [
        (
            str(copy / "cases"),
            f"SIM-A: дело есть в журнале, но файла дела нет в папке {copy / 'cases'}; в реестре — по последнему "
            "письму Заявление о выдаче судебного приказа СП-2026-0001 от 01.10.2026 (верните файл или закройте "
            "дело событием written_off)",
        )
    ]
    row = register_of(copy / "out/batches/2026-12-01")[0]
    assert (row["Дело"], row["Долг, руб."], row["Статус"], row["Последний документ"]) == (
        "SIM-A",
        "",
        "дело не найдено в папке",
        f"{ORDER} СП-2026-0001 от 01.10.2026",
    )


@needs_soffice
def test_the_documents_and_the_register_are_readable_as_the_umask_allows(six_months):
    work, _, _ = six_months
    mask = os.umask(0o022)
    os.umask(mask)
    folder = work / "out/batches/2026-10-01"
    for path in (
        folder / "register.csv",
        folder / "register.xlsx",
        folder / "print.pdf",
        work / "out/SIM-A/court_order-СП-2026-0001.pdf",
    ):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask, path  # not mkstemp's 0600


@needs_soffice
def test_print_pdf_pads_each_document_for_double_sided_printing(six_months):
    work, _, _ = six_months
    reader = PdfReader(work / "out/batches/2026-10-01/print.pdf")
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    assert all(start % 2 == 0 for start in starts)  # each document on the front of a sheet
    assert len(reader.pages) % 2 == 0
