"""`build` end to end: the documents due for each case, a bad case reported
and skipped, identical DOCX bytes for identical input, PDFs through a real
LibreOffice, and exit 3 with the install command when it is missing."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from pipeline import cli
from pipeline.errors import EnvironmentProblem

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-23"
# The shipped key-rate table's latest rows are unconfirmed (no network here to confirm them); these tests are not about rates.
ALLOW = "--allow-unconfirmed-rates"
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


def build(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "--as-of", AS_OF, ALLOW, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def docx_text(path: Path) -> str:
    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


BOOKKEEPING = {".lock", ".manifest.json"}  # the run lock and what each output was made from


def listing(folder: Path) -> list[str]:
    """The documents in an output folder (bookkeeping files left out)."""
    return sorted(
        str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file() and path.name not in BOOKKEEPING
    )


def test_every_case_gets_exactly_the_documents_due(tmp_path):
    result = build("cases", "--out", str(tmp_path), "--format", "docx")
    assert result.returncode == 0, result.stderr
    assert listing(tmp_path) == [
        # due 19.05.2023, time-barred 20.05.2026 and written off 01.06.2026: the write-off act; the letters too,
        # as for every overdue case (build's letter rules read the figures, the batch reads the events)
        "ZN-2023-0042/invoice.docx",
        "ZN-2023-0042/overdue_notice.docx",
        "ZN-2023-0042/pretension.docx",
        "ZN-2023-0042/write_off_act.docx",
        # refusal, 76 days overdue on 23.11 (due 08.09): all four
        "ZN-2026-0147/invoice.docx",
        "ZN-2026-0147/overdue_notice.docx",
        "ZN-2026-0147/pretension.docx",
        "ZN-2026-0147/refusal_act.docx",
        # instalments agreed 15.09.2026, the 15.11 instalment missed (last day Mon 16.11): agreement and demand
        "ZN-2026-0155/instalment_agreement.docx",
        "ZN-2026-0155/invoice.docx",
        "ZN-2026-0155/missed_instalment_notice.docx",
        "ZN-2026-0155/overdue_notice.docx",
        "ZN-2026-0155/pretension.docx",
        # due 23.09, 61 days overdue: invoice, notice, pretension
        "ZN-2026-0163/invoice.docx",
        "ZN-2026-0163/overdue_notice.docx",
        "ZN-2026-0163/pretension.docx",
        # due 15.10, 39 days overdue ≥ 30: invoice, notice, pretension
        "ZN-2026-0171/invoice.docx",
        "ZN-2026-0171/overdue_notice.docx",
        "ZN-2026-0171/pretension.docx",
        # paid in full: the invoice only
        "ZN-2026-0180/invoice.docx",
        # due 27.11, not yet due on 23.11: the invoice only
        "ZN-2026-0192/invoice.docx",
    ]
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("Дел: 7, собрано: 7, документов записано: 21, без изменений: 0, ошибок: 0,")
    )


def test_documents_state_the_hand_worked_figures(tmp_path):
    assert build("cases/ivanov-refusal.yaml", "--out", str(tmp_path), "--format", "docx").returncode == 0
    pretension = docx_text(tmp_path / "ZN-2026-0147" / "pretension.docx")
    nbsp = "\u00a0"
    # total 1500.00 + 1.5 × 2400.00 × 40 % (1440.00) + 2 × 850.00 + the part bought at its cost 5900.00 = 10540.00;
    # outstanding 10540.00 − 2000.00 = 8540.00. Due 03.09 + 5 = 08.09 (a Tuesday); interest at 14 % a year:
    # 10540.00 × 0.14 × 2 / 365 = 8.09 (09–10.09, the day of payment on the old balance)
    # + 8540.00 × 0.14 × 74 / 365 = 242.40 (11.09–23.11: 20 + 31 + 23 days) = 250.49;
    # storage 04.09–23.11 = 81 days, free to 06.09 (3 days, also the notice's collect-by): 78 × 300 = 23400.00;
    # claim 8540.00 + 250.49 + 23400.00 = 32190.49
    for figure in (f"8{nbsp}540,00", "250,49", f"23{nbsp}400,00", f"32{nbsp}190,49"):
        assert figure in pretension
    assert "тридцать две тысячи сто девяносто рублей 49 копеек" in pretension
    assert "Иванову Ивану Ивановичу" in pretension  # dative in "Кому"
    assert "Уважаемый Иван Иванович!" in pretension
    act = docx_text(tmp_path / "ZN-2026-0147" / "refusal_act.docx")
    assert "Заказчик от подписи отказался" in act
    assert "Смирнов А. А., автослесарь" in act


def test_same_input_gives_byte_identical_docx(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert build("cases", "--out", str(first), "--format", "docx").returncode == 0
    assert build("cases", "--out", str(second), "--format", "docx").returncode == 0
    for name in listing(first):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_bad_case_is_reported_and_the_others_are_built(tmp_path):
    cases = tmp_path / "cases"
    shutil.copytree(ROOT / "cases", cases)
    text = (cases / "smirnova-unpaid.yaml").read_text(encoding="utf-8")
    (cases / "smirnova-unpaid.yaml").write_text(text.replace("price: 6500.00", "price: -6500.00"), encoding="utf-8")
    out = tmp_path / "out"
    result = build(str(cases), "--out", str(out), "--format", "docx")
    assert result.returncode == 1
    assert f"{cases}/smirnova-unpaid.yaml:23:12: work[1].price: «-6500.00» — должно быть больше 0" in result.stderr
    assert not (out / "ZN-2026-0163").exists()
    assert (out / "ZN-2026-0147" / "pretension.docx").exists()
    assert "Дел: 7, собрано: 6," in result.stderr


def test_only_builds_the_named_kinds(tmp_path):
    assert build("cases", "--out", str(tmp_path), "--format", "docx", "--only", "pretension").returncode == 0
    assert listing(tmp_path) == [
        "ZN-2023-0042/pretension.docx",
        "ZN-2026-0147/pretension.docx",
        "ZN-2026-0155/pretension.docx",
        "ZN-2026-0163/pretension.docx",
        "ZN-2026-0171/pretension.docx",
    ]


def test_a_document_no_longer_due_is_removed(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    case = cases / "smirnova.yaml"
    shutil.copy(ROOT / "cases" / "smirnova-unpaid.yaml", case)
    out = tmp_path / "out"
    assert build(str(cases), "--out", str(out), "--format", "docx").returncode == 0
    assert (out / "ZN-2026-0163" / "pretension.docx").exists()
    # The client pays the rest: 24940.50 − 5000.00 = 19940.50 on 20.11.
    # (into `payments:`, which `events:` now follows in the file)
    paid = "    method: card\n  - date: 2026-11-20\n    amount: 19940.50\n    method: transfer\n"
    case.write_text(case.read_text(encoding="utf-8").replace("    method: card\n", paid), encoding="utf-8")
    assert build(str(cases), "--out", str(out), "--format", "docx").returncode == 0
    assert listing(out) == ["ZN-2026-0163/invoice.docx"]


@needs_soffice
@pytest.mark.libreoffice
def test_pdfs_are_made_by_libreoffice_and_state_the_figures(tmp_path):
    result = build("cases/vector-company.yaml", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "ZN-2026-0171"
    assert listing(folder) == [
        "invoice.docx",
        "invoice.pdf",
        "overdue_notice.docx",
        "overdue_notice.pdf",
        "pretension.docx",
        "pretension.pdf",
    ]
    text = "".join(page.extract_text() for page in PdfReader(folder / "pretension.pdf").pages)
    # 7800 + 3400 + 2500 + 4.5 × 950.50 (= 4277.25) = 17977.25; paid 5000 → 12977.25 outstanding.
    # Contract penalty 0.1 %/day: 16.10–20.10 on 17977.25 (5 days) = 89.89 (89.886…);
    # 21.10–23.11 on 12977.25 (34 days) = 441.23 (441.2265); rows 531.12 < cap 10 % × 17977.25 = 1797.73.
    # Claim: 12977.25 + 531.12 = 13508.37
    flat = " ".join(text.split()).replace("\u00a0", " ")
    for figure in ("12 977,25", "89,89", "441,23", "531,12", "13 508,37"):
        assert figure in flat, figure
    assert "Генеральному директору" in flat and "ООО «Вектор»" in flat


def test_missing_libreoffice_exits_3_with_the_install_command(tmp_path, monkeypatch, capsys):
    def no_soffice() -> str:
        raise EnvironmentProblem(
            "LibreOffice (soffice) is not installed. Install it: sudo apt-get install libreoffice-writer-nogui"
        )

    monkeypatch.setattr("pipeline.commands.build.find_soffice", no_soffice)
    monkeypatch.chdir(ROOT)
    code = cli.main(["build", "cases", "--out", str(tmp_path), "--as-of", AS_OF, ALLOW])
    assert code == 3
    assert "apt-get install libreoffice-writer-nogui" in capsys.readouterr().err
    assert listing(tmp_path) == []  # nothing half-built
    # DOCX alone needs no LibreOffice.
    assert cli.main(["build", "cases", "--out", str(tmp_path), "--as-of", AS_OF, ALLOW, "--format", "docx"]) == 0
