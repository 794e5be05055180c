"""Every DOCX and PDF says where it came from: case id, kind, number, as-of date
and the SHA-256 of its template, in the file's own metadata."""

import hashlib
import io
from collections.abc import Mapping
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from pipeline.commands.build import BuildOptions, run_build
from pipeline.commands.check_templates import SAMPLE_AS_OF, sample_contexts
from pipeline.word.render import TemplateCache, render_docx_bytes
from pipeline.word.stamp import Stamp, parse_keywords

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
SAMPLES, _ = sample_contexts([ROOT / "cases"], ROOT / "shop.yaml", SAMPLE_AS_OF)
PRETENSION = next(s for s in SAMPLES if s.kind == "pretension" and "ivanov" in s.source)


def ivanov_stamp(kind: str, number: str) -> Stamp:
    """The stamp of Ivanov's document of `kind` on 23.11.2026, with its template's hash."""
    template_sha256 = hashlib.sha256((TEMPLATES / f"{kind}.docx").read_bytes()).hexdigest()
    return Stamp(case_id="ZN-2026-0147", kind=kind, number=number, as_of="2026-11-23", template_sha256=template_sha256)


EXPECTED = ivanov_stamp("pretension", "ПР-147")
# The refusal act, a document without a journal number, as a build makes it (numbered letters: the journal's).
ACT = ivanov_stamp("refusal_act", "АО-147")
ACT_TITLE = "Акт об отказе заказчика от исполнения договора (от ремонта автомобиля)"


# How a person (or a program) reads the stamp back: python-docx and pypdf.
def read_docx_stamp(docx: Path | bytes) -> Stamp | None:
    source = io.BytesIO(docx) if isinstance(docx, bytes) else str(docx)
    return parse_keywords(Document(source).core_properties.keywords)


def read_pdf_stamp(pdf: Path) -> Stamp | None:
    metadata: Mapping[str, object] = PdfReader(str(pdf)).metadata or {}
    return parse_keywords(str(metadata.get("/Keywords") or ""))


def rendered_pretension() -> bytes:
    return render_docx_bytes(TEMPLATES / "pretension.docx", PRETENSION.context, TemplateCache())


def test_a_rendered_docx_carries_the_stamp_in_its_core_properties():
    data = rendered_pretension()
    properties = Document(io.BytesIO(data)).core_properties
    assert read_docx_stamp(data) == EXPECTED
    assert properties.identifier == "ZN-2026-0147"
    assert properties.subject == "pretension"
    assert properties.title == "Досудебная претензия № ПР-147"
    assert EXPECTED.template_sha256 in properties.comments and "ZN-2026-0147" in properties.comments


def test_the_stamped_docx_is_still_byte_identical_across_runs():
    assert rendered_pretension() == rendered_pretension()


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: f"{s.kind}-{Path(s.source).stem}")
def test_every_example_document_is_stamped_with_its_own_case_and_template(sample):
    template = TEMPLATES / f"{sample.kind}.docx"
    stamp = read_docx_stamp(render_docx_bytes(template, sample.context, TemplateCache()))
    assert stamp.case_id == sample.context["document"]["case_id"]
    assert (stamp.kind, stamp.number, stamp.as_of) == (sample.kind, sample.context["document"]["number"], "2026-11-23")
    assert stamp.template_sha256 == hashlib.sha256(template.read_bytes()).hexdigest()


def test_keywords_round_trip_and_reject_foreign_text():
    assert parse_keywords(EXPECTED.keywords()) == EXPECTED
    assert parse_keywords("договор, ремонт") is None
    assert parse_keywords("") is None


def test_keywords_as_libreoffice_copies_them_into_the_pdf_still_parse():
    # LibreOffice splits DOCX keywords at ";" and joins them with ", " in the PDF.
    assert parse_keywords(EXPECTED.keywords().replace("; ", ", ")) == EXPECTED


@pytest.mark.libreoffice
def test_a_built_pdf_and_docx_trace_back_to_the_case_and_template(tmp_path):
    options = BuildOptions(
        out_dir=tmp_path / "out",
        as_of=SAMPLE_AS_OF,
        state_dir=tmp_path / "state",
        only=frozenset({"refusal_act"}),
        allow_unconfirmed_rates=True,
    )
    report = run_build([ROOT / "cases" / "ivanov-refusal.yaml"], ROOT / "shop.yaml", options)
    assert report.problems == []
    folder = tmp_path / "out" / "ZN-2026-0147"
    assert read_docx_stamp(folder / "refusal_act.docx") == ACT
    assert read_pdf_stamp(folder / "refusal_act.pdf") == ACT
    assert PdfReader(str(folder / "refusal_act.pdf")).metadata["/Title"] == f"{ACT_TITLE} № АО-147"
