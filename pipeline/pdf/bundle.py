"""What the post room gets from a batch: `print.pdf`, every document issued in
the batch merged in register order with a bookmark each, and `form103.csv`,
the Russian Post list of the registered letters (pretensions) in lists of at
most 35. Returns bytes; batch.py writes them atomically.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from pipeline.documents import document_kind
from pipeline.errors import EnvironmentProblem

# Russian Post takes at most 35 registered letters on one form 103 list.
FORM103_LIST_SIZE = 35
FORM103_HEADERS = (
    "Номер списка",
    "Номер в списке",
    "Адресат",
    "Индекс",
    "Адрес",
    "Вид отправления",
    "Документ",
    "Дело",
)
MAIL_KIND = "Заказное письмо с уведомлением о вручении"
_POSTCODE = re.compile(r"^\s*(\d{6})\b")


@dataclass(frozen=True)
class PrintItem:
    """One issued document as the post room sees it."""

    case_id: str
    kind: str
    number: str
    title: str  # "Досудебная претензия"
    addressee: str
    address: str
    pdf_path: Path

    @property
    def bookmark(self) -> str:
        return f"{self.case_id} — {self.title} {self.number}"


def merge_pdfs(items: Sequence[PrintItem]) -> bytes:
    """All items' PDFs in order, one bookmark at the first page of each."""
    writer = PdfWriter()
    for item in items:
        try:
            writer.append(PdfReader(item.pdf_path), outline_item=item.bookmark)
        except (OSError, PyPdfError) as err:
            raise EnvironmentProblem(f"{item.pdf_path}: PDF не читается, print.pdf не собран: {err}") from err
    writer.add_metadata({"/Title": "Документы к отправке"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def form103_csv(items: Sequence[PrintItem]) -> bytes:
    """The registered letters among `items`, numbered in lists of FORM103_LIST_SIZE."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(FORM103_HEADERS)
    letters = [item for item in items if document_kind(item.kind).registered_mail]
    for index, item in enumerate(letters):
        list_number, place = divmod(index, FORM103_LIST_SIZE)
        postcode = _POSTCODE.match(item.address)
        writer.writerow(
            (
                list_number + 1,
                place + 1,
                item.addressee,
                postcode.group(1) if postcode else "",
                item.address,
                MAIL_KIND,
                f"{item.title} № {item.number}",
                item.case_id,
            )
        )
    return buffer.getvalue().encode("utf-8-sig")
