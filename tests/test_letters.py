"""A lawyer adds a letter without a programmer: a Word file in
templates/letters/ and a short declaration beside it, checked by
check-templates, built with `build --only NAME CASE`."""

import shutil
from pathlib import Path

import pytest
from docx import Document

from pipeline import documents
from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "ivanov-refusal.yaml"
INPUTS = ["--shop", str(ROOT / "shop.yaml")]


@pytest.fixture(autouse=True)
def forget_letters():
    yield
    documents.register_letters([])  # the registry is per process: leave no letter to other tests


def templates_with_letter(
    tmp_path: Path, declaration: str | None = "title: Письмо о порядке получения автомобиля\nnumber_prefix: ПС\n"
) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    (folder / "letters").mkdir()
    # What the guide says: an empty Word document, a few paragraphs with tags, saved as .docx.
    letter = Document()
    letter.add_paragraph("Исх. № {{ document.number }} от {{ document.date }}")
    letter.add_paragraph("{{ client.name }}")
    letter.add_paragraph("Автомобиль {{ vehicle.make_model }} можно получить в рабочее время.")
    letter.save(str(folder / "letters" / "car_pickup.docx"))
    if declaration is not None:
        (folder / "letters" / "car_pickup.yaml").write_text(declaration, encoding="utf-8")
    return folder


def test_a_declared_letter_is_checked_and_built_for_one_case(tmp_path, capsys):
    # Without number_prefix: a letter without an outgoing number, built as the unnumbered documents are.
    folder = templates_with_letter(tmp_path, "title: Письмо о порядке получения автомобиля\n")
    check = ["check-templates", "--templates", str(folder), "--cases", str(ROOT / "cases"), *INPUTS]
    assert main(check) == 0
    err = capsys.readouterr().err
    # 14 shipped templates + the letter; 56 samples of the shipped ones (test_check_templates.py) + the letter for each
    # of the 8 example cases.
    assert err.splitlines()[-1] == "Шаблонов проверено: 15, с ошибками: 0, ошибок: 0, образцов собрано: 64"

    out = tmp_path / "out"
    build = ["build", str(CASE), *INPUTS, "--templates", str(folder), "--as-of", "2026-11-23", "--out", str(out)]
    build += ["--state", str(tmp_path / "state")]
    build.append("--allow-unconfirmed-rates")  # the shipped table's latest rows are unconfirmed offline
    assert main([*build, "--only", "car_pickup", "--format", "docx"]) == 0
    written = out / "ZN-2026-0147" / "car_pickup.docx"
    assert capsys.readouterr().out.splitlines() == [str(written)]
    text = [paragraph.text.replace("\xa0", " ") for paragraph in Document(str(written)).paragraphs]
    # No prefix: no outgoing number, «б/н» (без номера), as a number outside the journal would be one the
    # journal never saw. The date as every letter prints it (format_date_long): «23» ноября 2026 г.
    assert text[0] == "Исх. № б/н от «23» ноября 2026 г."
    assert text[1] == "Иванов Иван Иванович"


def test_a_template_in_letters_without_a_declaration_is_reported_unused(tmp_path, capsys):
    folder = templates_with_letter(tmp_path, declaration=None)
    assert main(["check-templates", "--templates", str(folder), "--cases", str(ROOT / "cases"), *INPUTS]) == 0
    err = capsys.readouterr().err
    assert (
        f"предупреждение: {folder}/letters/car_pickup.docx: файл программой не используется: "
        "рядом нет объявления car_pickup.yaml (название письма, см. docs/for-lawyers.md)"
    ) in err


def test_an_outgoing_number_outside_the_journal_is_refused(tmp_path, capsys):
    folder = templates_with_letter(tmp_path, declaration="title: Письмо\nnumber_prefix: ПС\njournalled: false\n")
    assert main(["check-templates", "--templates", str(folder), "--cases", str(ROOT / "cases"), *INPUTS]) == 1
    # line 3 `journalled: false`, its value at column 13
    assert (
        f"{folder}/letters/car_pickup.yaml:3:13: journalled: письмо с исходящим номером (number_prefix) выпускается "
        "только через журнал (уберите journalled: false, или уберите number_prefix — тогда письмо будет без номера)"
    ) in capsys.readouterr().err


def test_a_wrong_declaration_is_a_located_error_and_an_unknown_letter_a_usage_error(tmp_path, capsys):
    folder = templates_with_letter(tmp_path, declaration="title: Письмо\nnumber_prefix: пс\n")
    assert main(["check-templates", "--templates", str(folder), "--cases", str(ROOT / "cases"), *INPUTS]) == 1
    err = capsys.readouterr().err
    assert f"{folder}/letters/car_pickup.yaml:2:16: number_prefix:" in err
    build = ["build", str(CASE), *INPUTS, "--templates", str(folder), "--out", str(tmp_path / "out")]
    build += ["--state", str(tmp_path / "state")]
    assert main([*build, "--only", "car_pikcup"]) == 2
    assert (
        "ошибка: неизвестный вид документа car_pikcup (допустимо: refusal_act, invoice, overdue_notice, pretension, "
        "debt_statement, collect_car_notice, payment_reminder, reconciliation_act, prepayment_notice, "
        "instalment_agreement, missed_instalment_notice, write_off_act, court_order, claim)" in capsys.readouterr().err
    )


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_journalled_letter_is_numbered_in_the_journal_once_a_date(tmp_path, capsys):
    folder = templates_with_letter(
        tmp_path,
        "title: Письмо о порядке получения автомобиля\nnumber_prefix: ПС\n",  # a prefix: the journal's
    )
    out, state = tmp_path / "out", tmp_path / "state"
    build = ["build", str(CASE), *INPUTS, "--templates", str(folder), "--as-of", "2026-11-23", "--out", str(out)]
    build += ["--state", str(state), "--only", "car_pickup", "--allow-unconfirmed-rates"]
    assert main(build) == 0
    letter = out / "ZN-2026-0147" / "car_pickup-ПС-2026-0001.docx"
    assert capsys.readouterr().out.splitlines() == [str(letter), str(letter.with_suffix(".pdf"))]
    assert Document(str(letter)).paragraphs[0].text.startswith("Исх. № ПС-2026-0001 от")
    assert main(build) == 0  # the same date again: nothing new
    assert capsys.readouterr().out == ""
    assert sorted(path.name for path in letter.parent.iterdir()) == [letter.name, letter.with_suffix(".pdf").name]
