"""check-templates: the shipped templates pass; each way Word or a lawyer breaks a
template is caught with the template's name and the paragraph; a template saved
by LibreOffice still passes and builds."""

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from test_golden import docx_text

from pipeline.cli import main
from pipeline.commands.build import BuildOptions, run_build
from pipeline.commands.check_templates import SAMPLE_AS_OF, check_templates, sample_contexts
from pipeline.word import fonts
from pipeline.word.render import TemplateCache, render_docx_bytes

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
SAMPLES, _ = sample_contexts([ROOT / "cases"], ROOT / "shop.yaml", SAMPLE_AS_OF)


def find_paragraph(document, text: str) -> Paragraph:
    for element in document.element.body.iter(qn("w:p")):
        if text in "".join(t.text or "" for t in element.iter(qn("w:t"))):
            return Paragraph(element, document._body)
    raise LookupError(text)


def set_runs(paragraph: Paragraph, *runs) -> None:
    """Replace the paragraph's runs: each is a str or (str, bold) — how Word splits an edited tag."""
    for run in list(paragraph._p.iter(qn("w:r"))):
        run.getparent().remove(run)
    for item in runs:
        text, bold = (item, False) if isinstance(item, str) else item
        paragraph.add_run(text).bold = bold or None


def edited(tmp_path: Path, kind: str, edit) -> Path:
    """A copy of templates/<kind>.docx changed by `edit(document)`, under the same file name."""
    document = Document(str(TEMPLATES / f"{kind}.docx"))
    edit(document)
    folder = tmp_path / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}.docx"
    document.save(str(path))
    return path


def retag(kind: str, old: str, *runs):
    return lambda document: set_runs(find_paragraph(document, old), *runs)


def problems_of(*paths: Path) -> list[str]:
    problems, _ = check_templates(paths, SAMPLES)
    return [str(problem) for problem in problems]


def rendered(path: Path, kind: str, case: str = "ivanov-refusal") -> str:
    sample = next(s for s in SAMPLES if s.kind == kind and Path(s.source).stem == case)
    return docx_text(render_docx_bytes(path, sample.context, TemplateCache()))


def test_the_shipped_templates_pass_and_render_every_example():
    problems, rendered_count = check_templates(sorted(TEMPLATES.glob("*.docx")), SAMPLES)
    assert problems == []
    # The 8 example cases on 23.11.2026, by their due rules: ivanov 5 (act, invoice, notice, pretension, claim:
    # its order was cancelled), kuznetsov 1 (invoice), orlov 4 (invoice, notice, pretension, write-off act),
    # petrov 6 (invoice, notice, pretension, prepayment letter, instalment agreement, its demand), smirnova 5
    # (invoice, notice, pretension, prepayment letter, court order), sokolova 1 (invoice), vector 5 (invoice,
    # notice, pretension, prepayment letter, claim), vector's second order 3 (invoice, notice to collect the
    # car, reminder): 30; the debt statement and the act of reconciliation alone for each case: 2 × 8; the
    # debt statement as the annex of each of the 10 notices and pretensions: 30 + 16 + 10.
    assert rendered_count == len(SAMPLES) == 56
    assert sorted((s.kind, Path(s.source).stem) for s in SAMPLES if s.kind in ("court_order", "claim")) == [
        ("claim", "ivanov-refusal"),
        ("claim", "vector-company"),
        ("court_order", "smirnova-unpaid"),
    ]


def test_a_misspelt_variable_names_the_template_paragraph_and_the_closest_name(tmp_path):
    path = edited(tmp_path, "pretension", retag("pretension", "{{ client.salutation }}", "{{ client.salutaton }}"))
    assert problems_of(path) == [
        f"{path}: неизвестная переменная «client.salutaton» (может быть, «client.salutation»?) "
        "— в абзаце 16 «{{ client.salutaton }}»"
    ]


def test_a_misspelt_top_level_name_and_loop_field_are_suggested(tmp_path):
    def edit(document):
        set_runs(find_paragraph(document, "{{ client.salutation }}"), "{{ clinet.salutation }}")
        set_runs(find_paragraph(document, "{{ item.number }}. {{ item.text }}."), "{{ item.number }}. {{ item.txt }}.")

    problems = problems_of(edited(tmp_path, "pretension", edit))
    assert any("«clinet» (может быть, «client»?)" in p for p in problems)
    assert any("«item.txt» (может быть, «item.text»?)" in p for p in problems)


def test_a_tag_split_across_runs_with_partial_bold_works_and_is_warned(tmp_path):
    split = retag("overdue_notice", "{{ client.salutation }}", "{", "{ client.sal", ("uta", True), "tion }", "}")
    path = edited(tmp_path, "overdue_notice", split)
    assert len(Document(str(path)).element.body.xpath(".//w:r[w:t[contains(., 'uta')]]")) == 1
    # The value takes the formatting of the tag's start (test_tag_formatting.py); a warning says so.
    (warned,) = problems_of(path)
    assert warned.startswith(f"предупреждение: {path}: тег «{{{{ client.salutation }}}}» набран разным форматированием")
    assert "Уважаемый Иван Иванович!" in rendered(path, "overdue_notice")


@pytest.mark.parametrize("opening, closing", [("«", "»"), ("“", "”")])
def test_curly_quotes_inside_a_tag_are_a_warning_and_still_render(tmp_path, opening, closing):
    tag = f"{{% if client.kind == {opening}person{closing} %}}"
    text = f"{tag}{{{{ client.salutation }}}}{{% else %}}Уважаемые господа!{{% endif %}}"
    path = edited(tmp_path, "pretension", retag("pretension", "{{ client.salutation }}", text))
    problems = problems_of(path)
    assert len(problems) == 1
    # A warning, not an error: the renderer reads them as straight quotes (tags.straighten_quotes).
    assert problems[0].startswith(f"предупреждение: {path}: в теге «{tag}» кавычки {opening}{closing} вместо прямых")
    assert "документ соберётся" in problems[0]
    assert f"— в абзаце 16 «{text[:60]}" in problems[0]  # the paragraph, by number and cut to about 90 characters
    assert "Уважаемый Иван Иванович!" in rendered(path, "pretension")
    assert "Уважаемые господа!" not in rendered(path, "pretension")


def test_an_unclosed_if_names_the_paragraph_it_opens_in(tmp_path):
    def edit(document):
        find_paragraph(document, "Акт составлен в двух").insert_paragraph_before(
            "{% if refusal.reason %}Причина: {{ refusal.reason }}"
        )

    path = edited(tmp_path, "refusal_act", edit)
    assert problems_of(path) == [
        f"{path}: «{{% if refusal.reason %}}» не закрыт: нет {{% endif %}} "
        "— в абзаце 76 «{% if refusal.reason %}Причина: {{ refusal.reason }}»"
    ]


def test_an_unclosed_paragraph_if_is_caught_too(tmp_path):
    def edit(document):
        find_paragraph(document, "Акт составлен в двух").insert_paragraph_before("{%p if refusal.reason %}")

    assert problems_of(edited(tmp_path, "refusal_act", edit)) == [
        f"{tmp_path}/templates/refusal_act.docx: «{{%p if refusal.reason %}}» не закрыт: нет {{%p endif %}} "
        "— в абзаце 76 «{%p if refusal.reason %}»"
    ]


def test_an_unknown_filter_is_named_with_the_closest_one(tmp_path):
    broken = retag("invoice", "{{ totals.total.words_cap }}", "{{ totals.total.words|capitalise }}")
    path = edited(tmp_path, "invoice", broken)
    assert problems_of(path) == [
        f"{path}: неизвестный фильтр «capitalise» (может быть, «capitalize»?) "
        "— в абзаце 72 «{{ totals.total.words|capitalise }}»"
    ]


def test_a_table_row_tag_outside_a_table_is_caught(tmp_path):
    def edit(document):
        anchor = find_paragraph(document, "{{ client.salutation }}")
        anchor.insert_paragraph_before("{%tr for row in penalty.rows %}")
        anchor.insert_paragraph_before("{%tr endfor %}")

    path = edited(tmp_path, "overdue_notice", edit)
    problems = problems_of(path)
    assert problems == [
        f"{path}: «{{%tr for row in penalty.rows %}}» стоит не в строке таблицы: тег {{%tr %}} ставится "
        "в строке таблицы, а для абзацев есть {%p %} — в абзаце 16 «{%tr for row in penalty.rows %}»",
        f"{path}: «{{%tr endfor %}}» стоит не в строке таблицы: тег {{%tr %}} ставится "
        "в строке таблицы, а для абзацев есть {%p %} — в абзаце 17 «{%tr endfor %}»",
    ]


def test_text_beside_a_paragraph_tag_would_be_lost(tmp_path):
    path = edited(
        tmp_path, "invoice", retag("invoice", "{%p if payments.is_paid %}", "Итог: {%p if payments.is_paid %}")
    )
    assert problems_of(path) == [
        f"{path}: «{{%p if payments.is_paid %}}» заменяет весь абзац, и остальной текст в нём пропадёт: "
        "поставьте тег отдельно — в абзаце 73 «Итог: {%p if payments.is_paid %}»"
    ]


def test_an_inline_if_closed_in_another_paragraph_is_caught(tmp_path):
    def edit(document):
        anchor = find_paragraph(document, "Акт составлен в двух")
        anchor.insert_paragraph_before("{% if refusal.reason %}Причина:")
        anchor.insert_paragraph_before("{{ refusal.reason }}{% endif %}")

    problems = problems_of(edited(tmp_path, "refusal_act", edit))
    assert len(problems) == 1 and "закрыт в другом абзаце" in problems[0] and "{%p if … %}" in problems[0]


def test_a_dict_method_name_and_a_loop_over_a_group_are_caught(tmp_path):
    def edit(document):
        anchor = find_paragraph(document, "{{ client.salutation }}")
        anchor.insert_paragraph_before("{% for p in payments.items %}{{ p.date }}{% endfor %}")
        anchor.insert_paragraph_before("{% for x in shop.bank %}{{ x }}{% endfor %}")

    problems = problems_of(edited(tmp_path, "overdue_notice", edit))
    assert any("«payments.items» даст служебный метод, а не значение; пишите payments['items']" in p for p in problems)
    assert any("«shop.bank» — не список" in p for p in problems)


def test_every_problem_of_every_template_is_reported_at_once(tmp_path):
    misspelt = edited(tmp_path / "a", "pretension", retag("pretension", "{{ client.salutation }}", "{{ client.nam }}"))
    bad_filter = edited(tmp_path / "b", "invoice", retag("invoice", "{{ totals.total.words_cap }}", "{{ x|nope }}"))
    problems = problems_of(misspelt, bad_filter, TEMPLATES / "refusal_act.docx")
    assert len(problems) == 3
    assert [p.split(":")[0] for p in problems] == [str(misspelt), str(bad_filter), str(bad_filter)]


def test_a_file_that_is_not_a_word_document_is_a_problem_not_a_traceback(tmp_path):
    path = tmp_path / "invoice.docx"
    path.write_bytes(b"not a zip")
    assert problems_of(path) == [f"{path}: не документ Word (.docx): File is not a zip file"]


def test_the_command_exits_1_listing_every_problem(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    path = edited(tmp_path, "pretension", retag("pretension", "{{ client.salutation }}", "{{ client.salutaton }}"))
    assert main(["check-templates", str(path), str(TEMPLATES / "invoice.docx")]) == 1
    err = capsys.readouterr().err
    assert "неизвестная переменная «client.salutaton»" in err and "Traceback" not in err
    # The broken pretension is not rendered; the invoice is, for each of the 8 example cases.
    assert err.splitlines()[-1] == "Шаблонов проверено: 2, с ошибками: 1, ошибок: 1, образцов собрано: 8"


def test_the_command_passes_the_shipped_templates(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    # The machine's fonts are test_fonts.py's concern; without fc-list a warning line would be printed.
    monkeypatch.setattr(fonts, "installed_families", lambda: frozenset({"Liberation Serif"}))
    assert main(["check-templates"]) == 0
    assert capsys.readouterr().err == "Шаблонов проверено: 14, с ошибками: 0, ошибок: 0, образцов собрано: 56\n"


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.skip("LibreOffice is not installed")
    return found


@pytest.mark.libreoffice
def test_a_template_saved_by_libreoffice_still_passes_and_builds(tmp_path):
    sentence = "на добросовестное исполнение Вами обязательств"  # after {{ shop.voice.count_on_cap }}
    new_sentence = "Надеемся на добросовестное исполнение Вами обязательств и на скорую оплату"
    source = edited(tmp_path / "edited", "pretension", retag("pretension", sentence, new_sentence + "."))
    saved = tmp_path / "templates"
    saved.mkdir()
    subprocess.run(
        [
            _soffice(),
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(saved),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    template = saved / "pretension.docx"
    assert template.read_bytes() != source.read_bytes()  # really rewritten by LibreOffice
    assert problems_of(template) == []
    options = BuildOptions(
        out_dir=tmp_path / "out",
        as_of=SAMPLE_AS_OF,
        state_dir=tmp_path / "state",
        draft=True,  # the pretension as a draft: no journal, no number
        formats=frozenset({"docx"}),
        only=frozenset({"pretension"}),
        templates_dir=saved,
        allow_unconfirmed_rates=True,  # the shipped table's latest rows are unconfirmed offline; not about rates
    )
    report = run_build([ROOT / "cases" / "ivanov-refusal.yaml"], ROOT / "shop.yaml", options)
    assert report.problems == []
    draft = tmp_path / "out" / "ZN-2026-0147" / "drafts" / "pretension-ПРОЕКТ.docx"
    text = docx_text(draft.read_bytes()).replace("\u00a0", " ")
    # 8 540,00 (the bought part at its cost 5 900,00) + 250,49 + 23 400,00 = 32 190,49
    assert new_sentence in text and "32 190,49" in text
