"""Documents converted in chunks (pipeline/pdf/chunks.py, merge.py, lists.py):
every example document split out of a merged conversion is the same as its
conversion alone — text, pages, page sizes, stamp, PDF/A — and a chunk that
cannot be made falls back to converting its documents one by one."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest
from lxml import etree
from test_convert import install_fake_worker, requires_soffice, use_scratch
from test_stamp import read_docx_stamp, read_pdf_stamp

from pipeline.commands.check_templates import SAMPLE_AS_OF, sample_contexts
from pipeline.pdf import chunks, convert
from pipeline.pdf.convert import ConversionJob, ConversionPool, ConversionResult
from pipeline.pdf.merge import merge_docx, merge_key
from pipeline.pdf.soffice_worker import WorkerProcess
from pipeline.word.render import TemplateCache, render_docx_bytes

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SAMPLES, _ = sample_contexts([ROOT / "cases"], ROOT / "shop.yaml", SAMPLE_AS_OF)
NAMES = [f"{sample.label}/{sample.kind}" for sample in SAMPLES]


def render_samples(folder: Path) -> list[Path]:
    cache = TemplateCache()
    sources = []
    for sample, name in zip(SAMPLES, NAMES, strict=True):
        source = folder / f"{name}.docx"
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_bytes(render_docx_bytes(TEMPLATES / f"{sample.kind}.docx", sample.context, cache))
        sources.append(source)
    return sources


@dataclass
class Run:
    """One conversion of the samples: the results, and what each chunk conversion answered."""

    results: list[ConversionResult]
    chunk_errors: list[list[str | None]]


def convert_all(
    sources: list[Path], out: Path, chunk_documents: int, pdfa: bool = False, workers: int = 2
) -> list[ConversionResult]:
    jobs = [ConversionJob(source, out / source.parent.name / source.with_suffix(".pdf").name) for source in sources]
    with ConversionPool(workers, pdfa=pdfa, chunk_documents=chunk_documents) as pool:
        futures = [pool.submit(job) for job in jobs]  # all queued at once: the chunks are full
        return [future.result() for future in futures]


def run_recording_chunks(monkeypatch: pytest.MonkeyPatch, convert_run) -> Run:
    answered: list[list[str | None]] = []
    real = convert.convert_chunk

    def recording(*args, **kwargs):
        errors = real(*args, **kwargs)
        answered.append(errors)
        return errors

    monkeypatch.setattr(convert, "convert_chunk", recording)
    return Run(convert_run(), answered)


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, Run]:
    """The samples converted alone and in chunks, plain and PDF/A."""
    folder = tmp_path_factory.mktemp("chunks")
    sources = render_samples(folder / "docx")
    runs = {}
    with pytest.MonkeyPatch.context() as monkeypatch:
        for pdfa in (False, True):
            kind = "pdfa" if pdfa else "pdf"
            runs[f"alone-{kind}"] = Run(convert_all(sources, folder / f"alone-{kind}", 1, pdfa), [])
            runs[f"chunks-{kind}"] = run_recording_chunks(
                monkeypatch, lambda kind=kind, pdfa=pdfa: convert_all(sources, folder / f"chunks-{kind}", 8, pdfa)
            )
    return runs


def pdf_of(run: Run, name: str) -> Path:
    return run.results[NAMES.index(name)].job.target


def layout(pdf: Path) -> list[tuple[str, tuple[float, float]]]:
    # Page sizes to 1/1000 pt: a PDF cut out of a chunk (split.py) is written by pypdf, which writes
    # numbers to some 9 significant digits (A4's 841.889763779528 pt becomes 841.889764).
    return [
        (page.extract_text(), (round(float(page.mediabox.width), 3), round(float(page.mediabox.height), 3)))
        for page in pypdf.PdfReader(pdf).pages
    ]


@pytest.mark.libreoffice
@requires_soffice
def test_the_samples_went_through_chunks_and_every_chunk_was_made(converted):
    for kind in ("pdf", "pdfa"):
        run = converted[f"chunks-{kind}"]
        assert all(result.ok for result in run.results)
        assert sum(len(errors) for errors in run.chunk_errors) >= len(SAMPLES) // 2
        # A document whose "keep with next" broke across a page in the merged file is converted alone (uno_worker.py).
        fallbacks = [error for errors in run.chunk_errors for error in errors if error]
        assert all("converted alone to be sure of its layout" in error for error in fallbacks)
        assert len(fallbacks) <= len(SAMPLES) // 10


@pytest.mark.libreoffice
@requires_soffice
@pytest.mark.parametrize("kind", ["pdf", "pdfa"])
@pytest.mark.parametrize("name", NAMES)
def test_a_split_pdf_has_the_text_pages_and_page_sizes_of_its_conversion_alone(converted, kind, name):
    alone, chunked = pdf_of(converted[f"alone-{kind}"], name), pdf_of(converted[f"chunks-{kind}"], name)
    assert layout(chunked) == layout(alone)


@pytest.mark.libreoffice
@requires_soffice
@pytest.mark.parametrize("name", NAMES)
def test_a_split_pdf_carries_its_own_stamp_and_title(converted, name):
    source = converted["alone-pdf"].results[NAMES.index(name)].job.source
    for kind in ("pdf", "pdfa"):
        chunked = pdf_of(converted[f"chunks-{kind}"], name)
        assert read_pdf_stamp(chunked) == read_docx_stamp(source)
        metadata = pypdf.PdfReader(chunked).metadata
        alone = pypdf.PdfReader(pdf_of(converted[f"alone-{kind}"], name)).metadata
        assert {key: metadata[key] for key in ("/Title", "/Subject", "/Author")} == {
            key: alone[key] for key in ("/Title", "/Subject", "/Author")
        }


@pytest.mark.libreoffice
@requires_soffice
@pytest.mark.parametrize("name", NAMES)
def test_a_split_pdf_is_pdf_a_2b_when_asked_with_its_own_title_in_its_xmp(converted, name):
    reader = pypdf.PdfReader(pdf_of(converted["chunks-pdfa"], name))
    xmp = reader.xmp_metadata.rdf_root.toxml()
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert reader.xmp_metadata.dc_title["x-default"] == reader.metadata["/Title"]
    assert b"pdfaid" not in pdf_of(converted["chunks-pdf"], name).read_bytes()


def broken_copy(source: Path, target: Path) -> None:
    """`source` with its body cut short: the same template (merge key), XML no parser accepts."""
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(target, "w") as output:
        for name in package.namelist():
            data = package.read(name)
            output.writestr(name, data[: len(data) // 2] if name == "word/document.xml" else data)


@pytest.mark.libreoffice
@requires_soffice
def test_a_broken_docx_in_a_chunk_fails_alone_and_the_others_are_made(tmp_path, monkeypatch):
    sources = [source for source in render_samples(tmp_path / "docx") if source.stem == "pretension"]
    broken = tmp_path / "docx" / "broken" / "pretension.docx"
    broken.parent.mkdir()
    broken_copy(sources[0], broken)
    assert merge_key(broken) == merge_key(sources[0])
    run = run_recording_chunks(monkeypatch, lambda: convert_all([*sources, broken], tmp_path / "pdf", 8, workers=1))
    assert [result.ok for result in run.results] == [True] * len(sources) + [False]
    assert all(result.job.target.is_file() for result in run.results[:-1])
    assert not run.results[-1].job.target.exists()
    assert run.chunk_errors and all(error and "could not convert the merged" in error for error in run.chunk_errors[0])


@pytest.mark.libreoffice
@requires_soffice
def test_a_merged_file_libreoffice_cannot_open_falls_back_to_one_document_at_a_time(tmp_path, monkeypatch):
    sources = [source for source in render_samples(tmp_path / "docx") if source.stem == "invoice"]

    def garbage_merge(merging: list[Path], target: Path):
        documents = merge_docx(merging, target)
        target.write_bytes(b"PK\x03\x04 not a zip any more")
        return documents

    monkeypatch.setattr(chunks, "merge_docx", garbage_merge)
    run = run_recording_chunks(monkeypatch, lambda: convert_all(sources, tmp_path / "pdf", 8, workers=1))
    assert all(result.ok and result.job.target.is_file() for result in run.results)
    assert run.chunk_errors and all(error for errors in run.chunk_errors for error in errors)
    assert not list((tmp_path / "pdf").rglob("*.part"))


def test_a_worker_lost_on_a_chunk_is_replaced_and_its_documents_are_made_one_by_one(tmp_path, monkeypatch):
    # The fake worker knows no chunk request: it dies on one, as a LibreOffice crashing on a merged file would.
    fake_worker = install_fake_worker(tmp_path)
    scratch = use_scratch(monkeypatch, tmp_path)
    sources = [source for source in render_samples(tmp_path / "docx") if source.stem == "invoice"]
    jobs = [ConversionJob(source, tmp_path / "pdf" / source.parent.name / "invoice.pdf") for source in sources]
    with ConversionPool(1, worker_command=fake_worker.command, chunk_documents=8) as pool:
        futures = [pool.submit(job) for job in jobs]
        results = [future.result() for future in futures]
    assert [(result.ok, result.error) for result in results] == [(True, None)] * len(jobs)
    assert all(job.target.is_file() for job in jobs)
    names = [name for _, name in fake_worker.conversions()]
    assert names[0] == "chunk-0.docx" and names.count("invoice.docx") == len(jobs)
    assert len(fake_worker.started()) == 1 + names.count("chunk-0.docx")  # a fresh worker after each chunk lost
    fake_worker.assert_nothing_left(scratch)


# Merging alone, without LibreOffice.


def merged_xml(tmp_path: Path, sources: list[Path], part: str) -> etree._Element:
    target = tmp_path / "merged.docx"
    merge_docx(sources, target)
    with zipfile.ZipFile(target) as package:
        return etree.fromstring(package.read(part))


def test_each_merged_document_is_a_section_restarting_its_page_numbers(tmp_path):
    sources = [source for source in render_samples(tmp_path) if source.stem == "pretension"][:3]
    body = merged_xml(tmp_path, sources, "word/document.xml").find(f"{W}body")
    sections = list(body.iter(f"{W}sectPr"))
    assert len(sections) == 3
    assert [section.find(f"{W}pgNumType").get(f"{W}start") for section in sections] == ["1", "1", "1"]
    relationship = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    footers = [section.find(f"{W}footerReference").get(relationship) for section in sections]
    assert len(set(footers)) == 3


def test_each_merged_document_numbers_its_lists_from_1_with_a_list_of_its_own(tmp_path):
    sources = [source for source in render_samples(tmp_path) if source.stem == "pretension"][:3]
    body = merged_xml(tmp_path, sources, "word/document.xml").find(f"{W}body")
    sections = split_sections(body)
    list_ids = [{number.get(f"{W}val") for number in section.iter(f"{W}numId")} for section in sections]
    assert list_ids[0] == set()  # the first keeps its style's list
    assert list_ids[1] and list_ids[2] and not list_ids[1] & list_ids[2]
    numbering = merged_xml(tmp_path, sources, "word/numbering.xml")
    abstract_of = {
        num.get(f"{W}numId"): num.find(f"{W}abstractNumId").get(f"{W}val") for num in numbering.iter(f"{W}num")
    }
    abstracts = [{abstract_of[num_id] for num_id in ids} for ids in list_ids[1:]]
    assert not abstracts[0] & abstracts[1]


def split_sections(body: etree._Element) -> list[list[etree._Element]]:
    sections: list[list[etree._Element]] = [[]]
    for block in body:
        sections[-1].append(block)
        if block.find(f"{W}pPr/{W}sectPr") is not None:
            sections.append([])
    return [_wrap(blocks) for blocks in sections if blocks]


def _wrap(blocks: list[etree._Element]) -> etree._Element:
    section = etree.Element("section")
    for block in blocks:
        section.append(etree.fromstring(etree.tostring(block)))
    return section


def test_documents_of_one_template_share_a_merge_key_and_others_do_not(tmp_path):
    sources = render_samples(tmp_path)
    invoices = {merge_key(source) for source in sources if source.stem == "invoice"}
    pretensions = {merge_key(source) for source in sources if source.stem == "pretension"}
    assert len(invoices) == 1 and len(pretensions) == 1 and invoices != pretensions


def test_what_cannot_be_merged_has_no_merge_key(tmp_path):
    garbage = tmp_path / "garbage.docx"
    garbage.write_bytes(b"not a zip")
    assert merge_key(garbage) is None
    [source] = [source for source in render_samples(tmp_path) if source.stem == "invoice"][:1]
    counted = tmp_path / "counted.docx"
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(counted, "w") as output:
        for name in package.namelist():
            data = package.read(name)
            if name == "word/document.xml":
                data = data.replace(b"</w:body>", b'<w:p><w:fldSimple w:instr=" NUMPAGES "/></w:p></w:body>')
            output.writestr(name, data)
    assert merge_key(counted) is None


def test_keywords_are_split_as_libreoffice_splits_them(tmp_path):
    [source] = [source for source in render_samples(tmp_path) if source.stem == "invoice"][:1]
    [document] = merge_docx([source], tmp_path / "merged.docx")
    stamp = read_docx_stamp(source)
    assert document.properties.keywords[0] == f"case_id={stamp.case_id}"
    assert len(document.properties.keywords) == 5


# Inside soffice (uno_worker.py's macro) or over the pipe: the same PDFs.

SCRIPT_PROVIDER = Path("/usr/lib/libreoffice/program/pythonscript.py")


@pytest.mark.libreoffice
@requires_soffice
@pytest.mark.skipif(not SCRIPT_PROVIDER.exists(), reason="libreoffice-script-provider-python is not installed")
def test_the_worker_answers_inside_soffice_where_the_script_provider_is_installed(tmp_path):
    worker = WorkerProcess(convert.default_worker_command(), tmp_path / "worker", f"pipeline-test-{tmp_path.name}")
    try:
        worker.wait_ready(60)
        assert worker.in_soffice
        assert worker.ask({"ping": True}, 30) == {"ok": True, "error": None}
    finally:
        worker.kill()


@pytest.mark.libreoffice
@requires_soffice
def test_over_the_pipe_the_chunks_make_the_same_pdfs_as_inside_soffice(converted, tmp_path):
    # --no-macro: the worker LibreOffice's script provider cannot serve (not installed, or failing).
    sources = [result.job.source for result in converted["alone-pdf"].results if result.job.source.stem == "invoice"]
    jobs = [ConversionJob(source, tmp_path / source.parent.name / "invoice.pdf") for source in sources]
    with ConversionPool(1, worker_command=[*convert.default_worker_command(), "--no-macro"], chunk_documents=8) as pool:
        results = [future.result() for future in [pool.submit(job) for job in jobs]]
    assert all(result.ok for result in results)
    for result in results:
        name = f"{result.job.source.parent.name}/invoice"
        assert layout(result.job.target) == layout(pdf_of(converted["chunks-pdf"], name))
        assert read_pdf_stamp(result.job.target) == read_pdf_stamp(pdf_of(converted["chunks-pdf"], name))
