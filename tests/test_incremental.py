"""Incremental builds: a second build with nothing changed writes nothing, and
each input a document depends on — case file, shop profile, template, as-of
date, the file itself — makes exactly the documents that depend on it again."""

import json
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest

from pipeline.commands.build import BuildOptions, BuildReport, run_build
from pipeline.store.manifest import MANIFEST_NAME

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 23)
# The documents without a journal number that the 8 example cases are due on 2026-11-23 (see test_build): the 8
# invoices, Ivanov's refusal act and Orlov's write-off act (the numbered letters are the journal's,
# test_build_journal.py; `--format docx` issues none): 8 + 1 + 1.
EXPECTED_DOCUMENTS = 10
REFUSAL_ACTS_AND_INVOICES = 9  # 8 invoices + Ivanov's refusal act


@pytest.fixture
def work(tmp_path):
    shutil.copytree(ROOT / "cases", tmp_path / "cases")
    shutil.copy(ROOT / "shop.yaml", tmp_path / "shop.yaml")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return tmp_path


def run(work: Path, as_of: date = AS_OF, formats=frozenset({"docx"}), only=None) -> BuildReport:
    options = BuildOptions(
        out_dir=work / "out",
        as_of=as_of,
        state_dir=work / "state",
        formats=formats,
        only=only,
        templates_dir=work / "templates",
        jobs=1,
        allow_unconfirmed_rates=True,  # the shipped table's latest rows are unconfirmed offline; not about rates
    )
    report = run_build([work / "cases"], work / "shop.yaml", options)
    assert report.problems == []
    return report


def written(report: BuildReport, work: Path) -> list[str]:
    return sorted(str(path.relative_to(work / "out")) for path in report.written)


def stamps(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*.docx")}


def test_a_second_build_with_nothing_changed_writes_nothing(work):
    first = run(work)
    assert len(first.written) == EXPECTED_DOCUMENTS and first.unchanged == 0
    before = stamps(work / "out")
    second = run(work)
    assert second.written == [] and second.unchanged == EXPECTED_DOCUMENTS
    assert stamps(work / "out") == before


def test_a_changed_case_rebuilds_only_its_documents(work):
    run(work)
    case = work / "cases" / "smirnova-unpaid.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("Смирнова", "Смирнова-Ключевская"), encoding="utf-8")
    report = run(work)
    assert {path.split("/")[0] for path in written(report, work)} == {"ZN-2026-0163"}
    assert report.unchanged == EXPECTED_DOCUMENTS - len(report.written)


def test_a_changed_shop_or_as_of_date_rebuilds_everything(work):
    run(work)
    shop = work / "shop.yaml"
    shop.write_text(shop.read_text(encoding="utf-8") + "\n# новый комментарий\n", encoding="utf-8")
    assert len(run(work).written) == EXPECTED_DOCUMENTS
    # On 24.11 the same unnumbered documents again, made anew for the new date (Sokolova's reminder, due
    # Friday 27.11 − 3 days = Tuesday 24.11, is a numbered letter: the journal's, not the manifest's).
    assert len(run(work, as_of=date(2026, 11, 24)).written) == EXPECTED_DOCUMENTS


def test_a_changed_template_rebuilds_only_its_kind(work):
    run(work)
    template = work / "templates" / "refusal_act.docx"
    template.write_bytes(template.read_bytes())  # same bytes, new mtime: nothing to redo
    assert run(work).written == []
    with zipfile.ZipFile(template, "a") as archive:  # other bytes, the same text
        archive.comment = "правка юриста".encode()
    report = run(work)
    assert written(report, work) == ["ZN-2026-0147/refusal_act.docx"]


def test_a_deleted_or_edited_output_is_made_again(work):
    run(work)
    invoice = work / "out" / "ZN-2026-0163" / "invoice.docx"
    original = invoice.read_bytes()
    invoice.unlink()
    assert written(run(work), work) == ["ZN-2026-0163/invoice.docx"]
    invoice.write_bytes(b"edited in Word")
    assert written(run(work), work) == ["ZN-2026-0163/invoice.docx"]
    assert invoice.read_bytes() == original


def test_a_broken_manifest_means_a_full_rebuild_not_an_error(work):
    run(work)
    (work / "out" / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    assert len(run(work).written) == EXPECTED_DOCUMENTS
    assert json.loads((work / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))["format"] == 1


def test_a_pdf_missing_beside_its_docx_is_made_again_and_nothing_else(work, monkeypatch):
    converted = []

    class RecordingPool:
        """Stands in for LibreOffice: writes a placeholder PDF and records the job."""

        def __init__(self, workers, *arguments, **options):
            pass

        def submit(self, job):
            from concurrent.futures import Future

            from pipeline.pdf.convert import ConversionResult

            job.target.write_bytes(b"%PDF-1.4\n%%EOF\n")
            converted.append(job.target.name)
            future = Future()
            future.set_result(ConversionResult(job, True))
            return future

        def close(self, cancel=False):
            pass

    monkeypatch.setattr("pipeline.pdf.convert.ConversionPool", RecordingPool)
    monkeypatch.setattr("pipeline.pdf.converters.find_soffice", lambda: "soffice")
    both = frozenset({"docx", "pdf"})
    unnumbered = frozenset({"refusal_act", "invoice"})  # no letter to issue: no journal, no real LibreOffice
    run(work, formats=both, only=unnumbered)
    assert len(converted) == REFUSAL_ACTS_AND_INVOICES
    converted.clear()
    (work / "out" / "ZN-2026-0147" / "refusal_act.pdf").unlink()  # as a build killed before converting leaves it
    report = run(work, formats=both, only=unnumbered)
    assert converted == ["refusal_act.pdf"]
    assert report.unchanged == 2 * (REFUSAL_ACTS_AND_INVOICES - 1)  # files: a DOCX and a PDF each


def test_a_key_rate_table_updated_in_the_working_folder_rebuilds_everything(work, monkeypatch):
    monkeypatch.chdir(work)  # `pipeline rates update` writes key_rates.csv in the working folder
    run(work)
    shipped = (ROOT / "pipeline" / "figures" / "data" / "key_rates.csv").read_text(encoding="utf-8")
    (work / "key_rates.csv").write_text(shipped, encoding="utf-8")
    # The same rates, but another table in use: the letters may now differ, so all are made again.
    assert len(run(work).written) == EXPECTED_DOCUMENTS
    assert run(work).written == []
