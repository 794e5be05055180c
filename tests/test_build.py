"""`build` end to end: the documents due for each case, a bad case reported
and skipped, identical DOCX bytes for identical input, PDFs through a real
LibreOffice, and exit 3 with the install command when it is missing. The
numbered letters are seen here as drafts (`--draft`: no journal);
test_build_journal.py issues them."""

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
    """`pipeline build` in the repository; the journal goes beside --out, never into the repository's state/."""
    out = Path(args[args.index("--out") + 1])
    state = ["--state", str(out.parent / f"{out.name}-state")]
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "--as-of", AS_OF, ALLOW, *state, *args],
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


BOOKKEEPING = {".lock", ".manifest.json", ".journal-id"}  # the run lock, what outputs were made from, the journal


def listing(folder: Path) -> list[str]:
    """The documents in an output folder (bookkeeping files left out)."""
    return sorted(
        str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file() and path.name not in BOOKKEEPING
    )


def test_every_case_gets_exactly_the_documents_due(tmp_path):
    out = tmp_path / "out"
    result = build("cases", "--out", str(out), "--format", "docx", "--draft")
    assert result.returncode == 0, result.stderr
    # The numbered letters as drafts: every kind the due rules give on 23.11, whatever the journal or
    # the events say (a draft is a preview); the unnumbered documents as they are.
    assert listing(out) == [
        # due 19.05.2023, time-barred and written off: the write-off act; notice and pretension by the figures
        "ZN-2023-0042/drafts/overdue_notice-ПРОЕКТ.docx",
        "ZN-2023-0042/drafts/pretension-ПРОЕКТ.docx",
        "ZN-2023-0042/invoice.docx",
        "ZN-2023-0042/write_off_act.docx",
        # refusal, 76 days overdue on 23.11 (due 08.09): all four;
        # it names its court and its court order was cancelled: the claim, numbered, so drafted too
        "ZN-2026-0147/drafts/claim-ПРОЕКТ.docx",
        "ZN-2026-0147/drafts/overdue_notice-ПРОЕКТ.docx",
        "ZN-2026-0147/drafts/pretension-ПРОЕКТ.docx",
        "ZN-2026-0147/invoice.docx",
        "ZN-2026-0147/refusal_act.docx",
        # instalments agreed, the 15.11 instalment missed (last day Mon 16.11): agreement and demand; owes more
        # than the credit limit (10 000): the prepayment letter
        "ZN-2026-0155/drafts/instalment_agreement-ПРОЕКТ.docx",
        "ZN-2026-0155/drafts/missed_instalment_notice-ПРОЕКТ.docx",
        "ZN-2026-0155/drafts/overdue_notice-ПРОЕКТ.docx",
        "ZN-2026-0155/drafts/prepayment_notice-ПРОЕКТ.docx",
        "ZN-2026-0155/drafts/pretension-ПРОЕКТ.docx",
        "ZN-2026-0155/invoice.docx",
        # due 23.09, 61 days overdue: invoice, notice, pretension; it names its court: the court order;
        # 19 940,50 > 10 000: the prepayment letter
        "ZN-2026-0163/drafts/court_order-ПРОЕКТ.docx",
        "ZN-2026-0163/drafts/overdue_notice-ПРОЕКТ.docx",
        "ZN-2026-0163/drafts/prepayment_notice-ПРОЕКТ.docx",
        "ZN-2026-0163/drafts/pretension-ПРОЕКТ.docx",
        "ZN-2026-0163/invoice.docx",
        # due 15.10, 39 days overdue ≥ 30: invoice, notice, pretension; the order cancelled: the claim;
        # Вектор's two orders 12 977,25 + 9 000,00 > 10 000: the prepayment letter, on the older order
        "ZN-2026-0171/drafts/claim-ПРОЕКТ.docx",
        "ZN-2026-0171/drafts/overdue_notice-ПРОЕКТ.docx",
        "ZN-2026-0171/drafts/prepayment_notice-ПРОЕКТ.docx",
        "ZN-2026-0171/drafts/pretension-ПРОЕКТ.docx",
        "ZN-2026-0171/invoice.docx",
        # paid in full: the invoice only
        "ZN-2026-0180/invoice.docx",
        # due 27.11, not yet due on 23.11: the invoice only (the reminder is from 24.11)
        "ZN-2026-0192/invoice.docx",
        # due 26.11, reminder from 23.11; the car not collected, no notice recorded
        "ZN-2026-0205/drafts/collect_car_notice-ПРОЕКТ.docx",
        "ZN-2026-0205/drafts/payment_reminder-ПРОЕКТ.docx",
        "ZN-2026-0205/invoice.docx",
    ]
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        # 8 invoices + 1 refusal act + 1 write-off act + 20 drafts = 30
        .startswith("Дел: 8, собрано: 8, документов записано: 30, без изменений: 0, писем с номером выпущено: 0,")
    )
    assert not (tmp_path / "out-state").exists()  # a draft is journalled nowhere


def test_docx_alone_issues_no_numbered_letter_and_says_so(tmp_path):
    out = tmp_path / "out"
    result = build("cases", "--out", str(out), "--format", "docx")
    assert result.returncode == 0, result.stderr
    assert [name for name in listing(out) if "notice" in name or "pretension" in name] == []
    # On a fresh journal on 23.11 the escalation gives: Ivanov his first notice (1); Smirnova and Вектор their
    # first notice and, over the credit limit, the prepayment letter (2 + 2); Petrov, who missed the 15.11
    # instalment, the demand and the prepayment letter (2); Вектор's second order, due 26.11, the reminder and
    # the notice to collect the car (2); Orlov (written off), Кузнецов (paid), Соколова (not due) nothing: 9.
    assert (
        "предупреждение: --format docx: писем с исходящим номером положено, но не выпущено: 9 — номер в журнале "
        "даётся только вместе с PDF; запустите без --format docx, или проект без номера: --draft"
    ) in result.stderr
    assert not (tmp_path / "out-state").exists()


def test_documents_state_the_hand_worked_figures(tmp_path):
    out = tmp_path / "out"
    assert build("cases/ivanov-refusal.yaml", "--out", str(out), "--format", "docx", "--draft").returncode == 0
    pretension = docx_text(out / "ZN-2026-0147" / "drafts" / "pretension-ПРОЕКТ.docx")
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
    act = docx_text(out / "ZN-2026-0147" / "refusal_act.docx")
    assert "Заказчик от подписи отказался" in act
    assert "Смирнов А. А., автослесарь" in act


def test_same_input_gives_byte_identical_docx(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert build("cases", "--out", str(first), "--format", "docx", "--draft").returncode == 0
    assert build("cases", "--out", str(second), "--format", "docx", "--draft").returncode == 0
    for name in listing(first):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_bad_case_is_reported_and_the_others_are_built(tmp_path):
    cases = tmp_path / "cases"
    shutil.copytree(ROOT / "cases", cases)
    text = (cases / "smirnova-unpaid.yaml").read_text(encoding="utf-8")
    (cases / "smirnova-unpaid.yaml").write_text(text.replace("price: 6500.00", "price: -6500.00"), encoding="utf-8")
    out = tmp_path / "out"
    result = build(str(cases), "--out", str(out), "--format", "docx", "--draft")
    assert result.returncode == 1
    assert f"{cases}/smirnova-unpaid.yaml:29:12: work[1].price: «-6500.00» — должно быть больше 0" in result.stderr
    assert not (out / "ZN-2026-0163").exists()
    assert (out / "ZN-2026-0147" / "drafts" / "pretension-ПРОЕКТ.docx").exists()
    assert "Дел: 8, собрано: 7," in result.stderr  # the 8 example cases, Smirnova's refused


def test_only_builds_the_named_kinds(tmp_path):
    out = tmp_path / "out"
    assert build("cases", "--out", str(out), "--format", "docx", "--only", "refusal_act").returncode == 0
    assert listing(out) == ["ZN-2026-0147/refusal_act.docx"]


def test_a_named_numbered_kind_is_drafted_for_every_case_due_or_not(tmp_path):
    out = tmp_path / "out"
    assert build("cases", "--out", str(out), "--format", "docx", "--only", "pretension", "--draft").returncode == 0
    case_ids = ("ZN-2023-0042", "ZN-2026-0147", "ZN-2026-0155", "ZN-2026-0163", "ZN-2026-0171", "ZN-2026-0180")
    case_ids += ("ZN-2026-0192", "ZN-2026-0205")  # every one of the 8 example cases
    assert listing(out) == [f"{case_id}/drafts/pretension-ПРОЕКТ.docx" for case_id in case_ids]


def test_a_numbered_kind_without_its_number_is_removed(tmp_path):
    """`pretension.docx` as a build before the journal made it (Исх. № ПР-163, unknown to any journal)."""
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy(ROOT / "cases" / "smirnova-unpaid.yaml", cases / "smirnova.yaml")
    out = tmp_path / "out"
    (out / "ZN-2026-0163").mkdir(parents=True)
    (out / "ZN-2026-0163" / "pretension.docx").write_bytes(b"old")
    assert build(str(cases), "--out", str(out), "--format", "docx").returncode == 0
    assert listing(out) == ["ZN-2026-0163/invoice.docx"]


@needs_soffice
@pytest.mark.libreoffice
def test_pdfs_are_made_by_libreoffice_and_state_the_figures(tmp_path):
    result = build("cases/vector-company.yaml", "--out", str(tmp_path / "out"), "--draft")
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "out" / "ZN-2026-0171"
    # Overdue 39 days: notice and pretension; its arbitrazh order cancelled: the claim; built alone, Вектор owes
    # 12 977,25 on this order, over the credit limit of 10 000: the prepayment letter.
    assert listing(folder) == [
        "drafts/claim-ПРОЕКТ.docx",
        "drafts/claim-ПРОЕКТ.pdf",
        "drafts/overdue_notice-ПРОЕКТ.docx",
        "drafts/overdue_notice-ПРОЕКТ.pdf",
        "drafts/prepayment_notice-ПРОЕКТ.docx",
        "drafts/prepayment_notice-ПРОЕКТ.pdf",
        "drafts/pretension-ПРОЕКТ.docx",
        "drafts/pretension-ПРОЕКТ.pdf",
        "invoice.docx",
        "invoice.pdf",
    ]
    text = "".join(page.extract_text() for page in PdfReader(folder / "drafts" / "pretension-ПРОЕКТ.pdf").pages)
    # 7800 + 3400 + 2500 + 4.5 × 950.50 (= 4277.25) = 17977.25; paid 5000 → 12977.25 outstanding.
    # Contract penalty 0.1 %/day: 16.10–20.10 on 17977.25 (5 days) = 89.89 (89.886…);
    # 21.10–23.11 on 12977.25 (34 days) = 441.23 (441.2265); rows 531.12 < cap 10 % × 17977.25 = 1797.73.
    # Claim: 12977.25 + 531.12 = 13508.37
    flat = " ".join(text.split()).replace("\u00a0", " ")
    for figure in ("12 977,25", "89,89", "441,23", "531,12", "13 508,37"):
        assert figure in flat, figure
    assert "Генеральному директору" in flat and "ООО «Вектор»" in flat
    # A draft says so at the top and shows no number, not even the plain build's made-up «ПР-…».
    assert flat.startswith("ПРОЕКТ — не подписывать и не отправлять")
    assert "Исх. № ПРОЕКТ от" in flat and "ПР-" not in flat


def test_missing_libreoffice_exits_3_with_the_install_command(tmp_path, monkeypatch, capsys):
    def no_soffice() -> str:
        raise EnvironmentProblem(
            "LibreOffice (soffice) is not installed. Install it: sudo apt-get install libreoffice-writer-nogui"
        )

    monkeypatch.setattr("pipeline.pdf.converters.find_soffice", no_soffice)
    monkeypatch.chdir(ROOT)
    folders = ["--out", str(tmp_path / "out"), "--state", str(tmp_path / "state")]
    code = cli.main(["build", "cases", *folders, "--as-of", AS_OF, ALLOW])
    assert code == 3
    assert "apt-get install libreoffice-writer-nogui" in capsys.readouterr().err
    assert not (tmp_path / "out").exists() and not (tmp_path / "state").exists()  # nothing half-built, no journal
    # A draft, too, needs it for its PDF; DOCX alone needs no LibreOffice.
    assert cli.main(["build", "cases", *folders, "--as-of", AS_OF, ALLOW, "--draft"]) == 3
    assert cli.main(["build", "cases", *folders, "--as-of", AS_OF, ALLOW, "--format", "docx"]) == 0
