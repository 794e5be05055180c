"""The register files on their own (store/register.py): the new worklist columns in the CSV, the
aging sheet that counts only overdue debts, the history sheet, and a case whose file is gone."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl

from pipeline.store.register import (
    HEADERS,
    NOT_FOUND,
    HistoryRow,
    RegisterRow,
    compute_aging,
    register_csv,
    register_xlsx,
)

AS_OF = date(2026, 12, 1)


def row(case_id: str, outstanding: str, days_overdue: int, **fields) -> RegisterRow:
    amount = Decimal(outstanding)
    return RegisterRow(
        case_id, "Клиент", "", amount, days_overdue, Decimal("0.00"), Decimal("0.00"), amount, "", "", "", **fields
    )


def test_the_aging_counts_only_overdue_debts():
    rows = [
        row("A", "1000.00", 0),  # not yet due: no arrear
        row("B", "2000.00", 1),
        row("C", "3000.00", 45),
        row("D", "0.00", 0),  # paid
        row("E", "4000.00", 200),
        row("F", "0.00", 0, found=False),  # its file is gone: no figures
    ]
    buckets = [(bucket.title, bucket.cases, bucket.outstanding) for bucket in compute_aging(rows)]
    assert buckets == [
        ("1–30", 1, Decimal("2000.00")),
        ("31–60", 1, Decimal("3000.00")),
        ("61–90", 0, Decimal("0.00")),
        ("90+", 1, Decimal("4000.00")),
    ]


def test_the_csv_has_dates_duty_and_blank_figures_for_a_missing_case():
    rows = [
        row(
            "A",
            "25000.00",
            108,
            pay_by=date(2026, 6, 15),
            answer_by=date(2026, 9, 7),
            next_step="подать заявление в суд и записать событие court_filed",
            duty=Decimal("2000.00"),
        ),
        RegisterRow("B", "", "", *(Decimal("0.00"), 0), *[Decimal("0.00")] * 3, "", "", NOT_FOUND, found=False),
    ]
    header, first, missing = list(csv.reader(io.StringIO(register_csv(rows).decode("utf-8-sig")), delimiter=";"))
    assert tuple(header) == HEADERS
    cells = dict(zip(header, first, strict=True))
    assert (cells["Срок оплаты"], cells["Срок ответа на претензию"], cells["Госпошлина, руб."]) == (
        "15.06.2026",
        "07.09.2026",
        "2000,00",
    )
    assert cells["Дата следующего шага"] == ""
    gone = dict(zip(header, missing, strict=True))
    assert (gone["Долг, руб."], gone["Дней просрочки"], gone["Статус"]) == ("", "", NOT_FOUND)


def test_the_xlsx_has_the_history_sheet_with_dates():
    history = [
        HistoryRow("A", "Клиент", date(2026, 7, 1), "выпущено УВ-2026-0001: Уведомление о просрочке оплаты"),
        HistoryRow("A", "Клиент", date(2026, 8, 3), "отправлено УВ-2026-0001 заказным письмом"),
    ]
    workbook = openpyxl.load_workbook(io.BytesIO(register_xlsx([row("A", "100.00", 5)], AS_OF, history)))
    assert workbook.sheetnames == ["Реестр", "Просрочка", "История"]
    sheet = workbook["История"]
    assert [cell.value for cell in sheet[1]] == ["Дело", "Клиент", "Дата", "Письмо или событие"]
    assert sheet["C2"].value.date() == date(2026, 7, 1) and sheet["C2"].number_format == "DD.MM.YYYY"
    assert sheet["D3"].value == "отправлено УВ-2026-0001 заказным письмом"
