"""Golden texts: the plain text of every template rendered for every example case
it is due for, at a fixed date, kept in tests/golden/<kind>--<case>.txt. A change
of wording shows here as a diff; `make golden` rewrites the files once a person
has read it.
"""

import difflib
import io
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from pipeline.commands.check_templates import SAMPLE_AS_OF, sample_contexts
from pipeline.word.render import TemplateCache, render_docx_bytes

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
SAMPLES, INPUT_PROBLEMS = sample_contexts([ROOT / "cases"], ROOT / "shop.yaml", SAMPLE_AS_OF)
CACHE = TemplateCache()


def golden_name(sample) -> str:
    """`pretension--ivanov-refusal.txt`; an annex: `debt_statement--ivanov-refusal--pretension.txt`."""
    return f"{sample.kind}--{sample.label}.txt"


def _paragraph_text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _table_lines(table) -> list[str]:
    lines = []
    for row in table.iter(qn("w:tr")):
        cells = [" / ".join(_paragraph_text(p) for p in cell.iter(qn("w:p"))) for cell in row.iter(qn("w:tc"))]
        lines.append(" | ".join(cells))
    return lines


def docx_text(data: bytes) -> str:
    """The body paragraph by paragraph (a table row per line, cells split by " | "), then the footers."""
    document = Document(io.BytesIO(data))
    lines = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            lines.append(_paragraph_text(element))
        elif element.tag == qn("w:tbl"):
            lines.extend(_table_lines(element))
    for section in document.sections:
        for name, part in (("верхний", section.header), ("нижний", section.footer)):
            text = "\n".join(p.text for p in part.paragraphs if p.text)
            if text:
                lines += [f"--- {name} колонтитул ---", text]
    return "\n".join(lines).rstrip() + "\n"


def rendered_text(sample) -> str:
    return docx_text(render_docx_bytes(ROOT / "templates" / f"{sample.kind}.docx", sample.context, CACHE))


def test_the_example_cases_are_valid_and_cover_every_kind():
    assert INPUT_PROBLEMS == []
    assert {sample.kind for sample in SAMPLES} == {
        "refusal_act",
        "invoice",
        "overdue_notice",
        "pretension",
        "debt_statement",
        "court_order",
        "claim",
        "collect_car_notice",
        "payment_reminder",
        "reconciliation_act",
        "prepayment_notice",
        "instalment_agreement",
        "missed_instalment_notice",
        "write_off_act",
    }
    # The debt statement alone for every case, and as the annex of each notice and pretension.
    annexed = {(Path(s.source).stem, s.annex_of) for s in SAMPLES if s.kind == "debt_statement" and s.annex_of}
    letters = {(Path(s.source).stem, s.kind) for s in SAMPLES if s.kind in ("overdue_notice", "pretension")}
    assert annexed == letters


@pytest.mark.parametrize("sample", SAMPLES, ids=golden_name)
def test_rendered_text_matches_the_golden_file(sample, request):
    path = GOLDEN / golden_name(sample)
    actual = rendered_text(sample)
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"нет {path.relative_to(ROOT)}: прочтите документ и выполните make golden"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"golden/{path.name}",
            tofile="rendered now",
        )
        pytest.fail(
            f"{sample.kind} для {Path(sample.source).name} изменился; если так и задумано — make golden\n"
            + "".join(diff),
            pytrace=False,
        )


def test_every_golden_file_belongs_to_a_rendered_sample(request):
    expected = {golden_name(sample) for sample in SAMPLES}
    stale = sorted(path.name for path in GOLDEN.glob("*.txt") if path.name not in expected)
    if request.config.getoption("--update-golden"):
        for name in stale:
            (GOLDEN / name).unlink()
        return
    assert stale == [], "лишние файлы в tests/golden (выполните make golden)"
