"""What the manager uploads to Russian Post's «Отправка» service
(otpravka.pochta.ru → «Загрузить из файла»): `otpravka.xlsx`, one row per letter
that goes by registered post, in the columns of the service's import template.
The service makes the batch, the envelopes with their ШПИ and the form 103
list from it; `pipeline post import` reads the list it gives back (post_import.py).

The format. The template's header row, in order, is POST_COLUMNS; the service reads
the sheet «Лист» by column position. Codes: MAILTYPE 2 — письмо; MAILCATEGORY 1 —
заказное (0 — простое); NOTIFICATIONTYPE «S» — простое уведомление о вручении
(ф. 119); NOTICEPAYMENTMETHOD «C» — безналичный; MASS in kilograms; ORDERNUM —
our number, returned with the ШПИ. The official template was not in reach when
this was written; the columns and codes are as two public programs that upload
to the service record them (docs/post.md names them, with dates). Check the
header against «Скачать шаблон» in the service before the first real upload.

The sender: the service takes the sender (name, ИНН, address, contract) from
the account; the file carries only INDEXFROM, the post office where the letters
are handed in — the shop's own postcode (the office that serves its address).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING

from openpyxl import Workbook
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from pipeline.documents import document_kind
from pipeline.models import Problem, Shop
from pipeline.store.addresses import clean_address, split_address

if TYPE_CHECKING:
    from pipeline.pdf.bundle import PrintItem

POST_FILE_NAME = "otpravka.xlsx"
DATA_SHEET = "Лист"
POST_COLUMNS = (
    "ADDRESSLINE",
    "ADRESAT",
    "MASS",
    "VALUE",
    "PAYMENT",
    "COMMENT",
    "ORDERNUM",
    "TELADDRESS",
    "MAILTYPE",
    "MAILCATEGORY",
    "INDEXFROM",
    "VLENGTH",
    "VWIDTH",
    "VHEIGHT",
    "VOLUME",
    "FRAGILE",
    "ENVELOPETYPE",
    "NOTIFICATIONTYPE",
    "COURIER",
    "SMSNOTICERECIPIENT",
    "WOMAILRANK",
    "PAYMENTMETHOD",
    "NOTICEPAYMENTMETHOD",
    "COMPLETENESSCHECKING",
    "NORETURN",
    "VSD",
    "TRANSPORTMODE",
    "EASYRETURN",
    "BRANCHNAME",
    "GROUPREFERENCE ",
    "ID_PO",
    "PREPOSTALPREPARATION",
    "DELIVERYPOINT",
    "DIMENSIONTYPE",
    "SHELFLIFEDAYS",
    "WITHOUTOPENING",
    "CONTENTSCHECKING",
    "SENDERCOMMENT",
    "TRANSPORTTYPE",
    "FARMA",
    "PREPAYMENT_RETURN",
)  # fmt: skip  (as the template has them, "GROUPREFERENCE " with its trailing space included)
MAX_TEXT = 200  # ADDRESSLINE, ADRESAT, COMMENT: the service refuses the whole file over this length


@dataclass(frozen=True)
class MailClass:
    """How a letter goes: the template's codes and what they mean, for the instruction sheet."""

    mail_type: int
    category: int
    notice: str  # NOTIFICATIONTYPE: "" none, "S" a paper notice of delivery
    notice_payment: str
    title: str


# By DocumentKind.registered_mail. A pretension goes «заказное письмо с уведомлением о вручении»: the notice
# is the court's proof that it was delivered (ГК РФ ст. 165.1; АПК РФ ст. 4 ч. 5 for a company). An overdue
# notice is a reminder that proves nothing a court needs: it goes as a simple letter with stamps, which has no
# ШПИ and no list, so it is not in the file (None).
MAIL_CLASSES: dict[bool, MailClass | None] = {
    True: MailClass(2, 1, "S", "C", "Письмо заказное с простым уведомлением о вручении"),
    False: None,
}

# The mass of a letter: an A4 sheet of 80 g/m² paper weighs 0.0624 m² × 80 g = 5 g; a C4/C5 envelope about
# 10 g. Sheets are the PDF's pages (printed one-sided); a PDF that cannot be read counts DEFAULT_SHEETS: a
# pretension of 2 pages with a debt statement of up to 2.
SHEET_GRAMS = 5
ENVELOPE_GRAMS = 10
DEFAULT_SHEETS = 4
LETTER_MAX_GRAMS = 100  # heavier is a бандероль, not a letter


def post_batch_file(items: Sequence[PrintItem], shop: Shop, as_of: date) -> tuple[str, bytes | None]:
    """(the file's name, its bytes) for the letters among `items` that go by registered post;
    bytes None when none does (the caller removes an older file of that name)."""
    letters = [(item, mail) for item in items if (mail := mail_class(item.kind)) is not None]
    if not letters:
        return POST_FILE_NAME, None
    workbook = Workbook()
    # openpyxl stamps the current time; the as-of date keeps a re-run's file identical.
    workbook.properties.created = workbook.properties.modified = datetime(as_of.year, as_of.month, as_of.day)
    sheet = workbook.active
    sheet.title = DATA_SHEET
    sheet.append(POST_COLUMNS)
    index_from = split_address(shop.address).parts.index
    for item, mail in letters:
        sheet.append(post_row(item, mail, index_from))
    _instructions(workbook, shop, letters)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return POST_FILE_NAME, buffer.getvalue()


def mail_class(kind: str) -> MailClass | None:
    return MAIL_CLASSES[document_kind(kind).registered_mail]


def post_row(item: PrintItem, mail: MailClass, index_from: str) -> list[str | int | float | None]:
    """One letter as a row of POST_COLUMNS; empty cells take the account's settings."""
    values: dict[str, str | int | float] = {
        "ADDRESSLINE": clean_address(item.address),
        "ADRESAT": clean_address(item.addressee),
        "MASS": float(letter_mass_kg(item)),
        "COMMENT": f"{item.title} № {item.number}, дело {item.case_id}"[:MAX_TEXT],
        "ORDERNUM": item.number,
        "MAILTYPE": mail.mail_type,
        "MAILCATEGORY": mail.category,
        "INDEXFROM": index_from,
        "NOTIFICATIONTYPE": mail.notice,
        "NOTICEPAYMENTMETHOD": mail.notice_payment if mail.notice else "",
    }
    return [None if values.get(column, "") == "" else values[column] for column in POST_COLUMNS]


def letter_mass_kg(item: PrintItem) -> Decimal:
    """The envelope and its sheets in kilograms, to the gram above."""
    grams = ENVELOPE_GRAMS + SHEET_GRAMS * _sheets(item)
    return (Decimal(grams) / 1000).quantize(Decimal("0.001"), rounding=ROUND_CEILING)


def _sheets(item: PrintItem) -> int:
    try:
        return len(PdfReader(item.pdf_path).pages) or DEFAULT_SHEETS
    except (OSError, PyPdfError):
        return DEFAULT_SHEETS


def post_warnings(items: Sequence[PrintItem]) -> list[Problem]:
    """One warning per registered letter the post may not take as written: an address that does not split
    into index, place, street and house, a name or address over MAX_TEXT, a letter over LETTER_MAX_GRAMS."""
    warnings = []
    for item in items:
        if mail_class(item.kind) is None:
            continue
        where = str(item.source) if item.source else item.case_id
        split = split_address(item.address)
        if not split.complete:
            hint = "пишите так: 101000, г. Москва, ул. Ленина, д. 1, кв. 2; Отправка попробует разобрать адрес сама"
            warnings.append(_warning(where, "client.address", f"адрес не разобран для Почты: {split.explain()}", hint))
        for field, text in (("client.address", item.address), ("client.name", item.addressee)):
            if len(clean_address(text)) > MAX_TEXT:
                warnings.append(_warning(where, field, f"длиннее {MAX_TEXT} знаков", "Отправка не примет файл"))
        if letter_mass_kg(item) * 1000 > LETTER_MAX_GRAMS:
            warnings.append(
                _warning(where, "", f"{item.number}: письмо тяжелее {LETTER_MAX_GRAMS} г", "отправьте бандеролью")
            )
    return warnings


def _warning(path: str, field: str, message: str, hint: str) -> Problem:
    return Problem(path, None, None, field, message, hint, severity="warning")


def _instructions(workbook: Workbook, shop: Shop, letters: Sequence[tuple[PrintItem, MailClass]]) -> None:
    """The sheets «Инструкция» and «Раскр. списки», as in the service's template: what this file holds."""
    notes = workbook.create_sheet("Инструкция")
    notes.append(["Файл для загрузки в «Отправку» Почты России (otpravka.pochta.ru → «Загрузить из файла»)."])
    notes.append([f"Отправитель — из профиля в «Отправке»: {shop.name}, ИНН {shop.inn}, {shop.address}."])
    notes.append(["INDEXFROM — индекс отделения, где сдаются письма: индекс адреса автосервиса."])
    notes.append([f"Писем: {len(letters)}. ORDERNUM — номер письма в журнале; вернётся со ШПИ."])
    lists = workbook.create_sheet("Раскр. списки")
    lists.append(["MAILTYPE", "MAILCATEGORY", "NOTIFICATIONTYPE", "Что это"])
    for mail in dict.fromkeys(mail for _, mail in letters):
        lists.append([mail.mail_type, mail.category, mail.notice, mail.title])
