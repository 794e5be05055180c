"""Point 10, the layout: a table header never stands alone at the bottom of a page (it repeats
and keeps with its rows), the cap note stays right under the penalty table, no word breaks
inside a unit («компл.»), the pretension has the shop's letterhead like the notice, and no
grounds list repeats the body. The shipped templates are checked as built by
tools/make_templates.py; the LibreOffice tests look at the PDF pages themselves."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
KINDS = ("refusal_act", "invoice", "overdue_notice", "pretension")
needs_pdf_tools = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None, reason="LibreOffice or pdftotext missing"
)


def text_of(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def tables(kind: str) -> list:
    return list(Document(str(TEMPLATES / f"{kind}.docx")).element.body.iter(qn("w:tbl")))


def has(element, tag: str) -> bool:
    return element.find(qn(tag)) is not None


@pytest.mark.parametrize("kind", KINDS)
def test_every_bordered_table_header_repeats_and_keeps_with_the_rows(kind):
    bordered = [t for t in tables(kind) if t.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}") is not None]
    assert bordered
    for table in bordered:
        header = table.find(qn("w:tr"))
        assert has(header.find(qn("w:trPr")), "w:tblHeader"), text_of(header)
        assert has(header.find(qn("w:trPr")), "w:cantSplit")
        for paragraph in header.iter(qn("w:p")):
            assert has(paragraph.find(qn("w:pPr")), "w:keepNext"), text_of(header)


@pytest.mark.parametrize("kind", ["overdue_notice", "pretension"])
def test_the_penalty_tables_keep_with_the_note_under_them(kind):
    document = Document(str(TEMPLATES / f"{kind}.docx"))
    body = list(document.element.body.iterchildren())
    penalty = [i for i, e in enumerate(body) if e.tag == qn("w:tbl") and "Период с" in text_of(e)]
    assert len(penalty) == 2  # ст. 395 interest, contract penalty
    for index in penalty:
        for row in body[index].iter(qn("w:tr")):
            if text_of(row).startswith("{%tr"):
                continue  # a row tag: it leaves no row behind
            for paragraph in row.iter(qn("w:p")):
                assert has(paragraph.find(qn("w:pPr")), "w:keepNext"), text_of(row)
        assert text_of(body[index + 1]).startswith(("Проценты =", "Неустойка =")), "the note follows at once"


@pytest.mark.parametrize("kind", ["refusal_act", "invoice"])
def test_the_unit_column_fits_a_unit_at_ten_points(kind):
    lines = [t for t in tables(kind) if "Ед.\u00a0изм." in text_of(t.find(qn("w:tr")))]
    assert lines
    for table in lines:
        widths = [int(col.get(qn("w:w"))) for col in table.iter(qn("w:gridCol"))]
        assert widths[3] >= Mm(17).twips  # «компл.» at 10 pt plus the cell margins


def test_the_pretension_has_the_letterhead_and_no_grounds_list_repeating_the_body():
    paragraphs = [text_of(p) for p in Document(str(TEMPLATES / "pretension.docx")).element.body.iter(qn("w:p"))]
    assert paragraphs[:4] == [
        "{{ shop.name }}",
        "{{ shop.requisites_line }}",
        "{{ shop.address }}, {{ shop.contacts_line }}",
        "{{ shop.bank.line }}",
    ]
    assert not any("Правовые основания" in p or "legal.grounds" in p or "От кого" in p for p in paragraphs)


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def _page_of(pages: list[str], needle: str) -> int:
    return next(i for i, page in enumerate(pages) if needle in page)


@needs_pdf_tools
@pytest.mark.libreoffice
def test_a_header_is_never_left_alone_at_a_page_bottom_and_a_kept_note_follows_its_table(tmp_path):
    # The same table pushed down line by line across the page end: header and first row always
    # share a page, and a table kept with its note never leaves the note behind.
    sys.path.insert(0, str(ROOT / "tools"))
    from template_builder import CENTER, RIGHT, TemplateBuilder

    documents = []
    for filler in range(40, 58):
        for keep in (False, True):
            builder = TemplateBuilder("t")
            for line in range(filler):
                builder.para(f"Строка {line}")
            builder.table(
                [(40, CENTER), (40, CENTER), (80, RIGHT)],
                ["ЗАГОЛОВОК", "по", "Сумма"],
                [[f"строка{row}", "x", "y"] for row in range(6)],
                totals=[("ИТОГО:", "1")],
                keep_with_next=keep,
            )
            builder.para("ПОЯСНЕНИЕ", size=9)
            path = tmp_path / f"t{filler}-{keep}.docx"
            builder.save(path)
            documents.append(path)
    profile = (tmp_path / "profile").as_uri()
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    subprocess.run([*command, "--outdir", str(tmp_path), *map(str, documents)], check=True, capture_output=True)
    for path in documents:
        pages = _pages(path.with_suffix(".pdf"))
        assert _page_of(pages, "ЗАГОЛОВОК") == _page_of(pages, "строка0"), path.name
        if path.stem.endswith("True"):
            assert _page_of(pages, "ИТОГО:") == _page_of(pages, "ПОЯСНЕНИЕ"), path.name


@needs_pdf_tools
@pytest.mark.libreoffice
def test_no_word_breaks_inside_a_unit(tmp_path):
    from doc_factories import make_shop, vector_case, vector_figures

    from pipeline.word.render import TemplateCache, render_docx_bytes
    from pipeline.wording.context import build_context

    context = build_context(vector_case(), make_shop(), vector_figures(), "invoice")
    document = tmp_path / "invoice.docx"
    document.write_bytes(render_docx_bytes(TEMPLATES / "invoice.docx", context, TemplateCache()))
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(document)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    text = "".join(_pages(tmp_path / "invoice.pdf"))
    row = next(line for line in text.splitlines() if "Колодки тормозные передние" in line)
    assert "компл." in row.split()  # the unit whole on the row's line, not «ком-»/«пл.»
