"""The font check: the fonts a template's text is really set in, a missing one warned about (not
its metric twin's original), and a machine without fc-list said to be unchecked, not all missing."""

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from pipeline.commands.build import BuildOptions, run_build
from pipeline.commands.steps import template_font_warnings
from pipeline.word import fonts
from pipeline.word.fonts import (
    FONTS_UNCHECKED,
    font_warnings,
    installed_families,
    missing_families,
    parse_fc_list,
    template_fonts,
)

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "templates").glob("*.docx"))
MISSING_FONT = "Несуществующий Шрифт Grotesk"

needs_fc_list = pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig (fc-list) is not installed")


@pytest.fixture
def fresh_font_list():
    """installed_families() is cached per process: forget what a test made it see."""
    installed_families.cache_clear()
    yield
    installed_families.cache_clear()


def with_missing_font(folder: Path) -> Path:
    """templates/invoice.docx with one more paragraph set in a font no machine has."""
    document = Document(str(ROOT / "templates" / "invoice.docx"))
    document.add_paragraph().add_run("Примечание").font.name = MISSING_FONT
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "invoice.docx"
    document.save(str(path))
    return path


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_the_shipped_templates_are_set_in_times_new_roman_only(template):
    # Their styles.xml (python-docx's default) also names Cambria, Calibri, Courier and MS Mincho,
    # in styles and defaults that no paragraph of them uses.
    assert template_fonts(template.read_bytes()) == {"Times New Roman"}


@needs_fc_list
def test_the_shipped_templates_give_no_warning_on_this_machine(fresh_font_list):
    assert font_warnings(TEMPLATES) == []


def test_a_font_that_does_not_exist_gives_one_warning_naming_template_and_font(tmp_path):
    path = with_missing_font(tmp_path)
    assert font_warnings([path], installed={"Liberation Serif", "DejaVu Sans"}) == [
        f"{path}: шрифт «{MISSING_FONT}» не установлен — LibreOffice подставит другой, и в PDF могут съехать "
        "переносы строк и страницы (установите шрифт или выберите в шаблоне Times New Roman)"
    ]


@pytest.mark.parametrize(
    ("family", "twin"),
    [
        ("Times New Roman", "Liberation Serif"),
        ("Arial", "Liberation Sans"),
        ("Courier New", "Liberation Mono"),
        ("Calibri", "Carlito"),
        ("Cambria", "Caladea"),
    ],
)
def test_a_font_counts_as_present_when_only_its_metric_twin_is_installed(family, twin):
    assert missing_families({family}, {twin}) == []
    assert missing_families({family}, {"DejaVu Sans"}) == [family]


def test_font_names_are_compared_without_case():
    assert missing_families({"times new roman", "PT Serif"}, {"LIBERATION SERIF", "pt serif"}) == []


def test_a_theme_font_resolves_through_the_theme():
    # python-docx's own default template sets body text in the theme's minor font, which is Cambria.
    document = Document()
    document.add_paragraph("Текст")
    buffer = io.BytesIO()
    document.save(buffer)
    assert template_fonts(buffer.getvalue()) == {"Cambria"}


def test_every_name_of_every_fc_list_line_is_a_family():
    output = "DejaVu Sans,DejaVu Sans Condensed\nLiberation Serif\nFoo\\-Bar\n\nA\\,B,C\n"
    assert parse_fc_list(output) == {"DejaVu Sans", "DejaVu Sans Condensed", "Liberation Serif", "Foo-Bar", "A,B", "C"}


def test_without_fc_list_one_line_says_the_fonts_were_not_checked(tmp_path, monkeypatch, fresh_font_list):
    monkeypatch.setenv("PATH", str(tmp_path))  # no fc-list anywhere
    templates = [with_missing_font(tmp_path / "edited"), *TEMPLATES]
    assert installed_families() == frozenset()
    assert font_warnings(templates) == [FONTS_UNCHECKED]


def test_the_build_asks_for_the_warnings_of_its_kinds(tmp_path, monkeypatch):
    with_missing_font(tmp_path)
    monkeypatch.setattr(fonts, "installed_families", lambda: frozenset({"Liberation Serif"}))
    warnings = template_font_warnings(tmp_path, ["invoice", "invoice", "pretension"])  # no pretension.docx here
    assert len(warnings) == 1
    assert str(warnings[0]).startswith(f"предупреждение: {tmp_path / 'invoice.docx'}: шрифт «{MISSING_FONT}»")


@needs_fc_list
def test_check_templates_prints_the_warning_and_still_exits_0(tmp_path):
    path = with_missing_font(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "check-templates", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert f"предупреждение: {path}: шрифт «{MISSING_FONT}» не установлен" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("Шаблонов проверено: 1, с ошибками: 0, ошибок: 0")


class _PlaceholderPool:
    """Stands in for LibreOffice: each job gets a placeholder PDF."""

    def __init__(self, workers, *arguments, **options):
        pass

    def submit(self, job):
        from concurrent.futures import Future

        from pipeline.pdf.convert import ConversionResult

        job.target.write_bytes(b"%PDF-1.4\n%%EOF\n")
        future = Future()
        future.set_result(ConversionResult(job, True))
        return future

    def close(self, cancel=False):
        pass


def test_build_warns_about_a_missing_template_font_only_when_it_makes_pdfs(tmp_path, monkeypatch):
    from datetime import date

    monkeypatch.setattr(fonts, "installed_families", lambda: {"dejavu sans"})  # no Times New Roman, no twin
    monkeypatch.setattr("pipeline.pdf.convert.ConversionPool", _PlaceholderPool)
    monkeypatch.setattr("pipeline.pdf.converters.find_soffice", lambda: "soffice")
    case = [ROOT / "cases" / "kuznetsov-paid.yaml"]  # paid: the invoice only, no letter to issue
    state = tmp_path / "state"
    docx_only = BuildOptions(
        out_dir=tmp_path / "a", as_of=date(2026, 11, 23), state_dir=state, formats=frozenset({"docx"})
    )
    assert not any("шрифт" in warning.message for warning in run_build(case, ROOT / "shop.yaml", docx_only).warnings)
    with_pdf = BuildOptions(out_dir=tmp_path / "b", as_of=date(2026, 11, 23), state_dir=state)
    warnings = [str(w) for w in run_build(case, ROOT / "shop.yaml", with_pdf).warnings if "шрифт" in w.message]
    assert len(warnings) == 1 and "invoice.docx" in warnings[0] and "«Times New Roman»" in warnings[0], warnings
