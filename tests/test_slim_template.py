"""tools/slim_template.py drops unused styles and Word 2010's duplicate of
styles.xml, and what LibreOffice prints stays exactly the same."""

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from slim_template import slim_package  # noqa: E402


def fat_template() -> bytes:
    """python-docx's default package (164 styles, stylesWithEffects.xml) using three styles."""
    document = Document()
    document.add_paragraph("Досудебная претензия", style="Heading 1")
    document.add_paragraph("Прошу оплатить задолженность в размере 24 940,50 руб.", style="List Number")
    table = document.add_table(rows=2, cols=2, style="Table Grid")
    table.cell(0, 0).text, table.cell(1, 1).text = "Наименование", "Сумма, руб."
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def style_ids(package: bytes) -> set[str]:
    return {style.style_id for style in Document(io.BytesIO(package)).styles}


def test_unused_styles_and_the_word_2010_duplicate_go_and_the_used_chain_stays():
    fat = fat_template()
    slim = slim_package(fat)
    kept = style_ids(slim)
    assert {"Heading1", "ListNumber", "TableGrid", "Normal"} <= kept  # used, and what they are based on
    assert "Heading9" not in kept and "LightShading" not in kept
    assert len(kept) < len(style_ids(fat)) / 4
    with zipfile.ZipFile(io.BytesIO(slim)) as archive:
        assert "word/stylesWithEffects.xml" not in archive.namelist()
        assert b"stylesWithEffects" not in archive.read("word/_rels/document.xml.rels")
        assert b"stylesWithEffects" not in archive.read("[Content_Types].xml")
    assert len(slim) < len(fat) / 2


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None, reason="needs LibreOffice")
def test_libreoffice_prints_the_slim_template_exactly_as_the_fat_one(tmp_path):
    (tmp_path / "fat.docx").write_bytes(fat_template())
    (tmp_path / "slim.docx").write_bytes(slim_package(fat_template()))
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(tmp_path / "fat.docx"), str(tmp_path / "slim.docx")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    for name in ("fat", "slim"):
        subprocess.run(
            ["pdftoppm", "-r", "100", "-png", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)], check=True
        )
    fat_pages = sorted(tmp_path.glob("fat-*.png"))
    assert fat_pages
    for page in fat_pages:
        assert page.read_bytes() == (tmp_path / page.name.replace("fat", "slim")).read_bytes(), page.name
