"""Russian Post: the address split, the «Отправка» upload file (store/post.py) against the
template's published column set, the ШПИ check digit, the returned list (store/post_import.py),
the `sent` event written into a case file (store/case_events.py) and `pipeline post import`."""

from __future__ import annotations

import io
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from factories import make_shop
from pypdf import PdfWriter

from pipeline.cli import main
from pipeline.commands.post import run_post_import
from pipeline.errors import InputError
from pipeline.models import JournalEntry
from pipeline.pdf.bundle import PrintItem
from pipeline.store.addresses import AddressParts, split_address
from pipeline.store.case_events import SentEvent, add_sent_event
from pipeline.store.journal import open_journal
from pipeline.store.post import POST_COLUMNS, letter_mass_kg, post_batch_file, post_warnings
from pipeline.store.post_import import check_digit, read_returned_list, tracking_problem

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "post"
AS_OF = date(2026, 11, 1)

# --- the address ----------------------------------------------------------------------------------

ADDRESSES = [
    (
        "101000, г. Москва, ул. Ленина, д. 1, кв. 2",
        AddressParts("101000", "г. Москва", "", "г. Москва", "ул. Ленина", "1", "2"),
    ),
    (
        "141400, Московская обл., г. Химки, ул. Московская, д. 10, кв. 5",
        AddressParts("141400", "Московская обл.", "", "г. Химки", "ул. Московская", "10", "5"),
    ),
    (
        "142100, Московская обл., г.о. Подольск, пос. Железнодорожный, ул. Лесная, д. 3",
        AddressParts("142100", "Московская обл.", "г.о. Подольск", "пос. Железнодорожный", "ул. Лесная", "3", ""),
    ),
    (  # a village: the house without a street; «д.» before a name is the village, before a digit the house
        "188660, Ленинградская обл., Всеволожский р-н, д. Лесколово, д. 12",
        AddressParts("188660", "Ленинградская обл.", "Всеволожский р-н", "д. Лесколово", "", "12", ""),
    ),
    (  # a bare house number after the street; a republic
        "420111, Республика Татарстан, г. Казань, ул. Баумана, 15",
        AddressParts("420111", "Республика Татарстан", "", "г. Казань", "ул. Баумана", "15", ""),
    ),
    (  # a building joins its house; no-break spaces are spaces
        "115230,\xa0г. Москва, Варшавское ш., д. 47, стр. 2",
        AddressParts("115230", "г. Москва", "", "г. Москва", "Варшавское ш.", "47 стр. 2", ""),
    ),
    (
        "630099, Новосибирская обл., г. Новосибирск, Красный пр-т, д. 5, корп. 2, оф. 10",
        AddressParts("630099", "Новосибирская обл.", "", "г. Новосибирск", "Красный пр-т", "5 корп. 2", "10"),
    ),
]


@pytest.mark.parametrize(("text", "parts"), ADDRESSES, ids=[text[:22] for text, _ in ADDRESSES])
def test_an_address_splits_into_its_parts(text, parts):
    split = split_address(text)
    assert split.parts == parts
    assert split.complete


@pytest.mark.parametrize(
    ("text", "explained"),
    [
        ("пр-т Мира, д. 5, корп. 2, кв. 10", "нет индекса (6 цифр)"),
        ("101000, г. Москва, ул. Ленина", "нет номера дома"),
        ("101000, Ленина 5", "нет населённого пункта; нет номера дома; непонятная часть «Ленина 5»"),
        ("", "нет индекса (6 цифр); нет населённого пункта; нет номера дома"),
        ("101000, г. Москва, ул. Ленина, д. 1, ул. Мира", "непонятная часть «ул. Мира»"),
    ],
)
def test_an_address_that_does_not_split_says_why(text, explained):
    split = split_address(text)
    assert not split.complete
    assert split.explain() == explained


# --- the upload file ------------------------------------------------------------------------------


def pdf_of(pages: int, path: Path) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    with path.open("wb") as stream:
        writer.write(stream)
    return path


def item(tmp_path: Path, number: str = "ПР-2026-0001", kind: str = "pretension", pages: int = 3, **kw) -> PrintItem:
    fields = {
        "case_id": "ZN-2026-0147",
        "kind": kind,
        "number": number,
        "title": "Досудебная претензия" if kind == "pretension" else "Уведомление о просрочке оплаты",
        "addressee": "Иванов Иван Иванович",
        "address": "101000, г. Москва, ул. Ленина, д. 1, кв. 2",
        "pdf_path": pdf_of(pages, tmp_path / f"{number}.pdf"),
        "source": Path("cases/ivanov.yaml"),
    }
    return PrintItem(**{**fields, **kw})


def rows_of(data: bytes) -> list[dict[str, object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Лист"]
    header, *rows = sheet.iter_rows(values_only=True)
    assert header == POST_COLUMNS
    return [dict(zip(POST_COLUMNS, row, strict=True)) for row in rows]


def test_the_header_is_the_published_template_s():
    # tests/data/post/otpravka-template-columns.txt: the header row of the «Отправка» import template,
    # transcribed from the public sources named in docs/post.md (not from our code).
    published = (DATA / "otpravka-template-columns.txt").read_text(encoding="utf-8").splitlines()
    assert list(POST_COLUMNS) == [line.replace("␠", " ") for line in published if not line.startswith("#")]


def test_a_pretension_is_the_published_example_s_registered_letter_with_notice(tmp_path):
    # The published example (docs/post.md, source 1) fills, for «письмо заказное» with a simple notice of
    # delivery: ADDRESSLINE, ADRESAT, MASS in kg, COMMENT, ORDERNUM, MAILTYPE 2, MAILCATEGORY 1, INDEXFROM,
    # NOTIFICATIONTYPE "S", NOTICEPAYMENTMETHOD "C"; everything else empty (the account's settings).
    name, data = post_batch_file([item(tmp_path)], make_shop(), AS_OF)
    assert name == "otpravka.xlsx"
    [row] = rows_of(data)
    expected = {
        "ADDRESSLINE": "101000, г. Москва, ул. Ленина, д. 1, кв. 2",
        "ADRESAT": "Иванов Иван Иванович",
        "MASS": 0.025,  # 10 g envelope + 3 pages × 5 g = 25 g
        "COMMENT": "Досудебная претензия № ПР-2026-0001, дело ZN-2026-0147",
        "ORDERNUM": "ПР-2026-0001",
        "MAILTYPE": 2,
        "MAILCATEGORY": 1,
        "INDEXFROM": "123456",  # the shop's postcode (factories.make_shop)
        "NOTIFICATIONTYPE": "S",
        "NOTICEPAYMENTMETHOD": "C",
    }
    assert {column: value for column, value in row.items() if value is not None} == expected


def test_only_registered_letters_are_in_the_file(tmp_path):
    notice = item(tmp_path, "УВ-2026-0001", kind="overdue_notice")
    assert post_batch_file([notice], make_shop(), AS_OF) == ("otpravka.xlsx", None)
    letters = [item(tmp_path, f"ПР-2026-{n:04d}") for n in range(1, 38)]
    _, data = post_batch_file([notice, *letters], make_shop(), AS_OF)
    rows = rows_of(data)
    # No lists of 35 here: «Отправка» makes the batches and their form 103 itself.
    assert [row["ORDERNUM"] for row in rows] == [f"ПР-2026-{n:04d}" for n in range(1, 38)]


def test_the_file_is_the_same_when_made_again(tmp_path):
    items = [item(tmp_path)]
    assert post_batch_file(items, make_shop(), AS_OF) == post_batch_file(items, make_shop(), AS_OF)


def test_the_sender_is_named_in_the_instruction_sheet(tmp_path):
    _, data = post_batch_file([item(tmp_path)], make_shop(), AS_OF)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Лист", "Инструкция", "Раскр. списки"]
    text = " ".join(str(row[0]) for row in workbook["Инструкция"].iter_rows(values_only=True))
    assert make_shop().inn in text and make_shop().name in text


@pytest.mark.parametrize(("pages", "kilograms"), [(1, "0.015"), (4, "0.030"), (18, "0.100")])
def test_the_mass_is_the_envelope_and_its_sheets(tmp_path, pages, kilograms):
    assert letter_mass_kg(item(tmp_path, pages=pages)) == Decimal(kilograms)


def test_an_unreadable_pdf_counts_as_four_sheets(tmp_path):
    broken = item(tmp_path)
    broken.pdf_path.write_bytes(b"not a pdf")
    assert letter_mass_kg(broken) == Decimal("0.030")  # 10 + 4 × 5 g


def test_what_the_post_may_refuse_is_a_warning_naming_the_case_file(tmp_path):
    letters = [
        item(tmp_path, "ПР-2026-0001", address="Ленина 5"),
        item(tmp_path, "ПР-2026-0002", pages=19),
        item(tmp_path, "УВ-2026-0001", kind="overdue_notice", address="Ленина 5"),  # not by registered post
    ]
    assert [str(problem) for problem in post_warnings(letters)] == [
        "предупреждение: cases/ivanov.yaml: client.address: адрес не разобран для Почты: нет индекса (6 цифр); "
        "нет населённого пункта; нет номера дома; непонятная часть «Ленина 5» (пишите так: 101000, г. Москва, "
        "ул. Ленина, д. 1, кв. 2; Отправка попробует разобрать адрес сама)",
        "предупреждение: cases/ivanov.yaml: ПР-2026-0002: письмо тяжелее 100 г (отправьте бандеролью)",
    ]


# --- the ШПИ --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first13", "digit"),
    [
        # 1 1 5 2 3 0 1 2 3 4 5 6 7: odd places 1+5+3+1+3+5+7 = 25 × 3 = 75, even 1+2+0+2+4+6 = 15; 90 → 0
        ("1152301234567", 0),
        # 8 0 0 8 1 2 3 4 5 6 7 8 9: odd 8+0+1+3+5+7+9 = 33 × 3 = 99, even 0+8+2+4+6+8 = 28; 127 → 3
        ("8008123456789", 3),
        # 1 0 1 0 0 0 0 0 0 0 0 0 1: odd 1+1+0+0+0+0+1 = 3 × 3 = 9, even 0; 9 → 1
        ("1010000000001", 1),
    ],
)
def test_the_check_digit_of_a_domestic_tracking_number(first13, digit):
    assert check_digit(first13) == digit
    assert tracking_problem(first13 + str(digit)) is None


@pytest.mark.parametrize(
    ("tracking", "problem"),
    [
        ("80081234567890", "ШПИ «80081234567890»: контрольная цифра не сходится (должна быть 3)"),
        ("8008123456789", "ШПИ «8008123456789» — не 14 цифр"),
        ("RA123456785RU", "ШПИ «RA123456785RU» — не 14 цифр"),
        ("", "ШПИ пуст"),
    ],
)
def test_a_wrong_tracking_number_says_what_is_wrong(tracking, problem):
    assert tracking_problem(tracking) == problem


# --- the returned list ----------------------------------------------------------------------------


def returned_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Партия № 12 от 02.11.2026"])  # a title above the header, as exports have
    sheet.append(["№ п/п", "ШПИ", "Номер заказа", "Получатель", "Адрес"])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_the_returned_xlsx_gives_each_letter_its_number_and_tracking(tmp_path):
    path = returned_xlsx(
        tmp_path / "batch.xlsx",
        [
            [1, 80081234567893, "ПР-2026-0001", "Иванов Иван Иванович", "101000, г. Москва"],  # a number cell
            [2, "1152 3012 3456 70", "пр-2026-0002", "Смирнова", "117452"],  # spaces, lower case
            [],
            [3, "10100000000011", "", "Без номера", ""],
        ],
    )
    rows = [(row.line, row.column, row.number, row.tracking) for row in read_returned_list(path)]
    assert rows == [
        (3, 2, "ПР-2026-0001", "80081234567893"),
        (4, 2, "ПР-2026-0002", "11523012345670"),
        (6, 2, None, "10100000000011"),
    ]


def test_the_returned_csv_in_windows_1251_is_read(tmp_path):
    path = tmp_path / "batch.csv"
    text = "ШПИ;Получатель;ORDERNUM\r\n80081234567893;Иванов;ПР-2026-0001\r\n"
    path.write_bytes(text.encode("cp1251"))
    [row] = read_returned_list(path)
    assert (row.line, row.column, row.number, row.tracking) == (2, 1, "ПР-2026-0001", "80081234567893")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("batch.csv", "Получатель;Адрес\r\nИванов;Москва\r\n", "не найден столбец ШПИ"),
        ("batch.xlsx", "not a zip", "файл Excel повреждён или не .xlsx"),
        ("batch.xls", "old excel", "формат «.xls» не читается"),
    ],
)
def test_a_list_that_cannot_be_read_is_one_line(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_returned_list(path)
    [problem] = raised.value.problems
    assert str(problem).startswith(f"{path}: {message} (")


# --- the sent event -------------------------------------------------------------------------------

EVENT = SentEvent(date(2026, 11, 2), "ПР-2026-0001", "80081234567893")
EVENT_LINES = (
    "  - kind: sent\n"
    "    date: 2026-11-02\n"
    "    document: ПР-2026-0001\n"
    "    channel: registered_post\n"
    '    tracking: "80081234567893"\n'
)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (  # no events yet: the list is added at the end, comments kept
            "# Иванов\nid: ZN-1\nnotes: звонил 01.11  # не берёт трубку\n",
            "# Иванов\nid: ZN-1\nnotes: звонил 01.11  # не берёт трубку\nevents:\n" + EVENT_LINES,
        ),
        (  # no newline at the end of the file
            "id: ZN-1",
            "id: ZN-1\nevents:\n" + EVENT_LINES,
        ),
        (  # an events list followed by another key and a comment: the event goes at the list's end
            "id: ZN-1\nevents:\n  - kind: call  # позвонили\n    date: 2026-10-20\n\n# дальше заметки\nnotes: x\n",
            "id: ZN-1\nevents:\n  - kind: call  # позвонили\n    date: 2026-10-20\n"
            + EVENT_LINES
            + "\n# дальше заметки\nnotes: x\n",
        ),
        (  # items written at the key's own indentation
            "id: ZN-1\nevents:\n- kind: call\n  date: 2026-10-20\nnotes: x\n",
            "id: ZN-1\nevents:\n- kind: call\n  date: 2026-10-20\n"
            + EVENT_LINES.replace("\n  ", "\n").removeprefix("  ")
            + "notes: x\n",
        ),
        (  # an empty flow list
            "id: ZN-1\nevents: []\nnotes: x\n",
            "id: ZN-1\nevents:\n" + EVENT_LINES + "notes: x\n",
        ),
    ],
    ids=["no-events", "no-final-newline", "after-the-list", "list-at-column-1", "empty-flow-list"],
)
def test_the_event_is_appended_as_text(tmp_path, before, after):
    case = tmp_path / "case.yaml"
    case.write_text(before, encoding="utf-8")
    assert add_sent_event(case, EVENT) is True
    assert case.read_text(encoding="utf-8") == after


def test_an_event_already_there_is_not_written_again(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("id: ZN-1\nevents:\n" + EVENT_LINES, encoding="utf-8")
    assert add_sent_event(case, EVENT) is False
    assert case.read_text(encoding="utf-8") == "id: ZN-1\nevents:\n" + EVENT_LINES


def test_another_tracking_number_for_the_same_letter_is_refused(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("id: ZN-1\nevents:\n" + EVENT_LINES, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        add_sent_event(case, SentEvent(date(2026, 11, 2), "ПР-2026-0001", "11523012345670"))
    assert [str(problem) for problem in raised.value.problems] == [
        f"{case}:7:15: events[1].tracking: ПР-2026-0001 уже записано со ШПИ «80081234567893», а в списке Почты — "
        "«11523012345670» (проверьте, какой верен, и исправьте дело вручную)"
    ]


def test_a_flow_events_list_is_left_to_the_user(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("id: ZN-1\nevents: [{kind: call}]\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        add_sent_event(case, EVENT)
    assert str(raised.value.problems[0]) == (
        f"{case}:2:1: events: событие не дописано: список events: записан в одну строку (допишите событие sent вручную)"
    )
    assert case.read_text(encoding="utf-8") == "id: ZN-1\nevents: [{kind: call}]\n"


# --- pipeline post import -------------------------------------------------------------------------


def journal_with(state: Path, letters: list[tuple[str, str, str]]) -> None:
    """A journal holding (case id, kind, prefix) letters, numbered from 1 per prefix."""
    journal = open_journal(state)
    zero = Decimal("0.00")
    with journal.transaction():
        for case_id, kind, prefix in letters:
            number = journal.take_number(prefix, 2026)
            journal.record(JournalEntry(number, case_id, kind, AS_OF, zero, 40, zero, zero, zero, *["a" * 64] * 3))
    journal.close()


@pytest.fixture
def shop_folder(tmp_path):
    """cases/ with two example cases and a journal of a pretension for each and a notice."""
    shutil.copytree(ROOT / "cases", tmp_path / "cases")
    journal_with(
        tmp_path / "state",
        [
            ("ZN-2026-0147", "pretension", "ПР"),
            ("ZN-2026-0163", "pretension", "ПР"),
            ("ZN-2026-0163", "overdue_notice", "УВ"),
        ],
    )
    return tmp_path


def test_post_import_writes_each_letter_s_event_into_its_case(shop_folder, capsys):
    returned = returned_xlsx(
        shop_folder / "batch.xlsx",
        [
            [1, "80081234567893", "ПР-2026-0001", "Иванов Иван Иванович", ""],
            [2, "11523012345670", "ПР-2026-0002", "Смирнова Анна Сергеевна", ""],
            [3, "10100000000011", "ПР-2026-0099", "Чужое письмо", ""],
            [4, "10100000000012", "", "Без номера", ""],
        ],
    )
    argv = ["post", "import", str(returned), "--cases", str(shop_folder / "cases"), "--state"]
    argv += [str(shop_folder / "state"), "--as-of", "2026-11-02"]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    ivanov = shop_folder / "cases/ivanov-refusal.yaml"
    assert out.splitlines() == [
        f"ZN-2026-0147: ПР-2026-0001 отправлено, ШПИ 80081234567893 → {ivanov}",
        f"ZN-2026-0163: ПР-2026-0002 отправлено, ШПИ 11523012345670 → {shop_folder / 'cases/smirnova-unpaid.yaml'}",
    ]
    assert err.splitlines()[:2] == [
        f"предупреждение: {returned}:5:2: ORDERNUM: письма ПР-2026-0099 нет в журнале "
        f"{shop_folder / 'state/journal.sqlite'} (строка пропущена)",
        f"предупреждение: {returned}:6:2: ORDERNUM: в строке нет номера письма (ORDERNUM) (строка пропущена)",
    ]
    original = (ROOT / "cases/ivanov-refusal.yaml").read_text(encoding="utf-8")
    assert ivanov.read_text(encoding="utf-8") == original + "events:\n" + EVENT_LINES
    # Imported again: nothing new, nothing doubled.
    assert main(argv) == 0
    assert ivanov.read_text(encoding="utf-8") == original + "events:\n" + EVENT_LINES
    assert "Записано отправок: 0, уже были: 2" in capsys.readouterr().err


def test_a_wrong_tracking_number_is_an_error_and_the_other_rows_are_written(shop_folder):
    returned = returned_xlsx(
        shop_folder / "batch.xlsx",
        [[1, "80081234567890", "ПР-2026-0001", "", ""], [2, "11523012345670", "ПР-2026-0002", "", ""]],
    )
    report = run_post_import(returned, [shop_folder / "cases"], shop_folder / "state", date(2026, 11, 2))
    assert report.exit_code == 1
    assert [str(problem) for problem in report.problems] == [
        f"{returned}:3:2: ШПИ: ШПИ «80081234567890»: контрольная цифра не сходится (должна быть 3) "
        "(проверьте номер в списке Почты)"
    ]
    assert len(report.written) == 1 and "ПР-2026-0002" in report.written[0]
    assert "events:" not in (shop_folder / "cases/ivanov-refusal.yaml").read_text(encoding="utf-8")


def test_control_characters_in_a_list_are_dropped(tmp_path):
    path = tmp_path / "batch.csv"
    path.write_text("ШПИ;ORDERNUM\r\n8008\x00\u202e;ПР-2026-0001\r\n", encoding="utf-8")
    [row] = read_returned_list(path)
    assert tracking_problem(row.tracking) == "ШПИ «8008» — не 14 цифр"


def test_a_missing_list_is_one_line(tmp_path):
    with pytest.raises(InputError) as raised:
        read_returned_list(tmp_path / "nowhere.xlsx")
    assert str(raised.value) == f"{tmp_path / 'nowhere.xlsx'}: нет такого файла (проверьте путь к списку из «Отправки»)"


def test_a_case_file_that_cannot_be_written_is_an_error_not_a_traceback(shop_folder, monkeypatch):
    def refuse(path: Path, data: bytes, durable: bool = True) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("pipeline.store.case_events.write_atomic", refuse)
    returned = returned_xlsx(shop_folder / "batch.xlsx", [[1, "80081234567893", "ПР-2026-0001", "", ""]])
    report = run_post_import(returned, [shop_folder / "cases"], shop_folder / "state", date(2026, 11, 2))
    assert [str(problem) for problem in report.problems] == [
        f"{shop_folder / 'cases/ivanov-refusal.yaml'}: events: дело не записано: Permission denied (проверьте права)"
    ]
    assert report.exit_code == 1


def test_post_import_without_a_journal_is_a_command_line_error(tmp_path, capsys):
    returned = returned_xlsx(tmp_path / "batch.xlsx", [])
    assert main(["post", "import", str(returned), "--state", str(tmp_path / "nowhere")]) == 2
    assert "нет журнала" in capsys.readouterr().err
