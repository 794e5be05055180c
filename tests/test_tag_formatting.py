"""A tag Word split across runs of different formatting (issue 18, point 3): the value takes
the formatting of the run where the tag starts, the text after the tag keeps its own, and
check-templates warns, naming the paragraph. Built from real Word XML runs with their <w:rPr>."""

import io
import zipfile
from pathlib import Path

from docx import Document
from lxml import etree
from test_check_templates import SAMPLES, problems_of

from pipeline.cli import main
from pipeline.word.render import TemplateCache, render_docx_bytes

ROOT = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CASES = ["--cases", str(ROOT / "cases"), "--shop", str(ROOT / "shop.yaml")]


def template_with_runs(tmp_path: Path, *runs) -> Path:
    """An overdue notice template of one paragraph «Вступление.» and one made of `runs`:
    each a str (plain) or (str, True) (bold), as Word stores a tag edited piece by piece."""
    document = Document()
    document.add_paragraph("Вступление.")
    paragraph = document.add_paragraph()
    for item in runs:
        text, bold = (item, False) if isinstance(item, str) else item
        paragraph.add_run(text).bold = bold or None
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    path = folder / "overdue_notice.docx"
    document.save(str(path))
    return path


def bold_pieces(path: Path) -> list[tuple[str, bool]]:
    """The rendered second paragraph as (text, bold) pieces, neighbours of one formatting joined."""
    sample = next(s for s in SAMPLES if s.kind == "overdue_notice" and "ivanov" in s.source)
    data = render_docx_bytes(path, sample.context, TemplateCache())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    paragraph = list(root.iter(f"{W}p"))[1]
    pieces: list[tuple[str, bool]] = []
    for run in paragraph.iter(f"{W}r"):
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        bold = run.find(f"{W}rPr/{W}b") is not None
        if not text:
            continue
        if pieces and pieces[-1][1] == bold:
            pieces[-1] = (pieces[-1][0] + text, bold)
        else:
            pieces.append((text, bold))
    return pieces


def test_a_tag_ending_in_a_bold_run_prints_plain_and_the_bold_text_after_it_stays_bold(tmp_path):
    path = template_with_runs(tmp_path, "Заказчик: {{ client.name ", ("}} — должник", True), ". Конец.")
    assert bold_pieces(path) == [
        ("Заказчик: Иванов Иван Иванович", False),
        (" — должник", True),
        (". Конец.", False),
    ]


def test_a_tag_starting_bold_prints_bold_and_the_plain_text_after_it_stays_plain(tmp_path):
    path = template_with_runs(tmp_path, "Заказчик: ", ("{{ client.", True), "name }}, адрес указан ниже.")
    assert bold_pieces(path) == [
        ("Заказчик: ", False),
        ("Иванов Иван Иванович", True),
        (", адрес указан ниже.", False),
    ]


def test_a_tag_bold_in_the_middle_prints_as_its_start(tmp_path):
    path = template_with_runs(tmp_path, "{{ client.", ("name", True), " }} и далее")
    assert bold_pieces(path) == [("Иванов Иван Иванович и далее", False)]


def test_a_tag_split_over_runs_of_one_formatting_is_no_warning(tmp_path):
    path = template_with_runs(tmp_path, "Заказчик: {{ client.", "name }}.")
    assert problems_of(path) == []
    assert bold_pieces(path) == [("Заказчик: Иванов Иван Иванович.", False)]


def test_check_templates_warns_naming_the_paragraph_and_exits_0(tmp_path, capsys):
    path = template_with_runs(tmp_path, "Заказчик: {{ client.name ", ("}} — должник", True), ".")
    assert problems_of(path) == [
        f"предупреждение: {path}: тег «{{{{ client.name }}}}» набран разным форматированием (часть тега "
        "выделена иначе): значение будет оформлено как начало тега, текст после тега — как был; выделите "
        "тег целиком и задайте ему одно оформление — в абзаце 2 «Заказчик: {{ client.name }} — должник.»"
    ]
    assert main(["check-templates", str(path), *CASES]) == 0
    assert "набран разным форматированием" in capsys.readouterr().err
