"""Every date of a case lies in 2000–2099, and so does --as-of: a one-digit typo (2126) is one
located line from `validate`, never a crash of the whole build. DOCX archives carry a fixed
timestamp, whatever the document's date."""

import argparse
import io
import json
import zipfile
from pathlib import Path

import pytest

from pipeline.arguments import _as_of
from pipeline.inputs.rules import FIRST_DAY, LAST_DAY
from pipeline.inputs.validate import validate_inputs
from pipeline.resources import schemas_dir
from pipeline.word.docx_zip import compress, write_zip

ROOT = Path(__file__).resolve().parent.parent
IVANOV = (ROOT / "cases" / "ivanov-refusal.yaml").read_text(encoding="utf-8")
SHOP = (ROOT / "shop.yaml").read_text(encoding="utf-8")
ORDER_DATE = "order:\n  number: ЗН-0147\n  date: 2026-09-01\n"


def where(text: str, value: str) -> str:
    """line:column where `value` is written in `text` (the example cases change; the messages do not)."""
    index = text.index(value)
    return f"{text.count(chr(10), 0, index) + 1}:{index - text.rfind(chr(10), 0, index)}"


def check(tmp_path, text: str) -> tuple[list[str], int]:
    (tmp_path / "shop.yaml").write_text(SHOP, encoding="utf-8")
    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    inputs = validate_inputs([tmp_path / "c.yaml"], tmp_path / "shop.yaml")
    return [str(problem).replace(f"{tmp_path}/", "") for problem in inputs.problems], len(inputs.cases)


def test_the_first_and_last_days_of_the_range_are_fine(tmp_path):
    text = IVANOV.replace(ORDER_DATE, ORDER_DATE.replace("2026-09-01", "2000-01-01")).replace(
        "  end: null", "  end: 2099-12-31"
    )
    assert check(tmp_path, text) == ([], 1)


def test_a_date_before_2000_is_refused_where_it_stands(tmp_path):
    text = IVANOV.replace(ORDER_DATE, ORDER_DATE.replace("2026-09-01", "1999-12-31"))
    problems, built = check(tmp_path, text)
    assert problems == [
        f"c.yaml:{where(text, '1999-12-31')}: order.date: «1999-12-31» — дата вне 2000–2099 (ГГГГ-ММ-ДД, например 2026-09-01)"
    ]
    assert built == 0


def test_a_storage_end_in_2100_is_refused_not_reported_as_not_null(tmp_path):
    text = IVANOV.replace("  end: null", "  end: 2100-01-01")
    problems, _ = check(tmp_path, text)
    assert problems == [
        f"c.yaml:{where(text, '2100-01-01')}: storage.end: «2100-01-01» — дата вне 2000–2099 (ГГГГ-ММ-ДД, например 2026-09-01)"
    ]


def test_an_out_of_range_date_is_not_also_compared_with_the_others(tmp_path):
    # A payment dated 1926 is "before the order" too; the range says it once.
    text = IVANOV.replace("  - date: 2026-09-10", "  - date: 1926-09-10")
    problems, _ = check(tmp_path, text)
    assert problems == [
        f"c.yaml:{where(text, '1926-09-10')}: payments[1].date: «1926-09-10» — дата вне 2000–2099 (ГГГГ-ММ-ДД, например 2026-09-01)"
    ]


def test_an_impossible_date_out_of_range_is_one_problem_not_two(tmp_path):
    text = IVANOV.replace(ORDER_DATE, ORDER_DATE.replace("2026-09-01", "2126-02-30"))
    problems, _ = check(tmp_path, text)
    assert problems == [
        f"c.yaml:{where(text, '2126-02-30')}: order.date: «2126-02-30» — не существующая дата (ГГГГ-ММ-ДД, например 2026-09-01)"
    ]


def test_the_schema_bounds_are_the_rules_bounds():
    defs = json.loads((schemas_dir() / "case.schema.json").read_text(encoding="utf-8"))["$defs"]
    assert (defs["date"]["formatMinimum"], defs["date"]["formatMaximum"]) == (
        FIRST_DAY.isoformat(),
        LAST_DAY.isoformat(),
    )
    assert (defs["datetime"]["formatMinimum"], defs["datetime"]["formatMaximum"]) == (
        f"{FIRST_DAY.isoformat()}T00:00",
        f"{LAST_DAY.isoformat()}T23:59",
    )


@pytest.mark.parametrize("text", ["1999-12-31", "2100-01-01", "2108-01-01", "9999-12-31"])
def test_as_of_outside_the_range_is_a_command_line_error(text):
    with pytest.raises(argparse.ArgumentTypeError) as caught:
        _as_of(text)
    assert str(caught.value) == f"«{text}» — дата вне 2000–2099 (ГГГГ-ММ-ДД, например 2026-11-20)"


def test_as_of_at_the_ends_of_the_range_is_fine():
    assert (_as_of("2000-01-01"), _as_of("2099-12-31")) == (FIRST_DAY, LAST_DAY)


def test_zip_entries_carry_a_fixed_timestamp():
    data = write_zip([compress("word/document.xml", b"<w:document/>")])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert [entry.date_time for entry in archive.infolist()] == [(1980, 1, 1, 0, 0, 0)]
        assert archive.read("word/document.xml") == b"<w:document/>"
    assert data == write_zip([compress("word/document.xml", b"<w:document/>")])
