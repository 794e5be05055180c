"""The document registry is the one place a kind is declared: a new kind is a
template plus one declaration plus the figures its rule reads, and every
command picks it up."""

import shutil
from datetime import date
from pathlib import Path

from docx import Document

from pipeline import documents
from pipeline.commands.build import BuildOptions, run_build
from pipeline.documents import BY_NAME, KINDS, DocumentKind, DueFacts

ROOT = Path(__file__).resolve().parent.parent


def _paid_in_full(facts: DueFacts) -> bool:
    return facts.case.invoice is not None and facts.outstanding == 0


THANKS = DocumentKind("thanks", "Благодарность за оплату", "благодарностей", _paid_in_full, number_prefix="БЛ")


def thanks_template(folder: Path) -> Path:
    document = Document()
    document.add_paragraph("{{ document.title }} № {{ document.number }}")
    document.add_paragraph("Уважаемый(ая) {{ client.name }}! Благодарим за оплату.")
    path = folder / THANKS.template_name
    document.save(str(path))
    return path


def test_every_declared_kind_has_a_shipped_template_and_a_unique_prefix():
    assert [kind.name for kind in KINDS] == list(BY_NAME)
    for kind in KINDS:
        assert kind.template(ROOT / "templates").is_file(), kind.name
    prefixes = [kind.number_prefix for kind in KINDS if kind.number_prefix]
    assert len(prefixes) == len(set(prefixes))


def test_a_throw_away_kind_is_built_from_one_declaration_and_its_template(tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    thanks_template(templates)
    monkeypatch.setitem(documents.BY_NAME, "thanks", THANKS)

    options = BuildOptions(
        out_dir=tmp_path / "out",
        as_of=date(2026, 11, 23),
        state_dir=tmp_path / "state",
        formats=frozenset({"docx"}),
        templates_dir=templates,
        allow_unconfirmed_rates=True,  # the shipped table's latest rows are unconfirmed offline; not about rates
    )
    report = run_build([ROOT / "cases"], ROOT / "shop.yaml", options)

    assert report.problems == []
    # kuznetsov-paid.yaml is the only example paid in full: it alone gets the new kind.
    made = sorted(path.relative_to(tmp_path / "out").as_posix() for path in (tmp_path / "out").rglob("thanks.docx"))
    assert made == ["ZN-2026-0180/thanks.docx"]
    text = "\n".join(p.text for p in Document(str(tmp_path / "out" / made[0])).paragraphs)
    # The number is the prefix and the invoice's number without its own prefix (context._document_number).
    assert text.startswith("Благодарность за оплату № БЛ-180\n")  # invoice number "180"
    assert "Кузнецов" in text
