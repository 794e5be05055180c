"""What the lawyer does around the templates, done as the lawyer does it:
Word's lock file beside an open template, curly quotes from AutoCorrect,
previews of the rendered samples, the paths a build wrote."""

import shutil
from pathlib import Path

from test_check_templates import edited, retag
from test_golden import docx_text

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
CASES = ["--cases", str(ROOT / "cases"), "--shop", str(ROOT / "shop.yaml")]


def copy_templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    return folder


def test_word_lock_files_beside_an_open_template_are_not_templates(tmp_path, capsys):
    folder = copy_templates(tmp_path)
    # While pretension.docx is open, Word keeps an owner file of 162 bytes beside it: not a ZIP.
    (folder / "~$etension.docx").write_bytes(b"\x0bLawyer  " + b"\x00" * 153)
    (folder / ".~lock.invoice.docx#").write_text(",Lawyer,pc,02.12.2026 10:00,file:///home/lawyer;")
    assert main(["check-templates", "--templates", str(folder), *CASES]) == 0
    summary = capsys.readouterr().err.splitlines()[-1]
    # the fourteen shipped (refusal act, invoice, notice, pretension, debt statement, two court applications, four of
    # issue 16 points 1–5, three of points 3 and 6), no lock file
    assert summary.startswith("Шаблонов проверено: 14, с ошибками: 0, ошибок: 0")


def test_curly_quotes_in_a_tag_warn_and_the_check_passes(tmp_path, capsys):
    tag = "{% if client.kind == «person» %}"
    text = f"{tag}{{{{ client.salutation }}}}{{% else %}}Уважаемые господа!{{% endif %}}"
    path = edited(tmp_path, "pretension", retag("pretension", "{{ client.salutation }}", text))
    # Warned, not failed: the renderer reads «» in a tag as straight quotes, so the letter is right.
    assert main(["check-templates", str(path), *CASES]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"предупреждение: {path}: в теге «{tag}» кавычки «» вместо прямых")
    assert err[-1].startswith("Шаблонов проверено: 1, с ошибками: 0, ошибок: 0, образцов собрано: 5")


def test_samples_are_saved_for_reading_in_word(tmp_path, capsys):
    samples = tmp_path / "samples"
    template = ROOT / "templates" / "pretension.docx"
    assert main(["check-templates", str(template), *CASES, "--samples", str(samples)]) == 0
    # A pretension is due for five examples on 23.11.2026: Ivanov, Orlov, Petrov, Smirnova, Vector (golden texts).
    assert sorted(path.name for path in samples.iterdir()) == [
        "pretension--ivanov-refusal.docx",
        "pretension--orlov-written-off.docx",
        "pretension--petrov-instalments.docx",
        "pretension--smirnova-unpaid.docx",
        "pretension--vector-company.docx",
    ]


def test_build_prints_the_paths_it_wrote_and_open_says_where_there_is_no_desktop(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    out = tmp_path / "out"
    case = str(ROOT / "cases" / "kuznetsov-paid.yaml")  # paid: the invoice only
    argv = ["build", case, "--shop", str(ROOT / "shop.yaml"), "--as-of", "2026-11-23", "--out", str(out)]
    argv += ["--state", str(tmp_path / "state")]
    assert main([*argv, "--format", "docx", "--open"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [str(out / "ZN-2026-0180" / "invoice.docx")]
    assert f"предупреждение: --open: здесь нет рабочего стола; откройте {out}/ZN-2026-0180/invoice.docx" in captured.err


def test_curly_quotes_are_read_as_straight_by_build_too_and_the_guide_says_so(tmp_path, capsys):
    """Issue 18, point 5: one behaviour — the rendered copy reads them as straight quotes, check-templates
    warns (exit 0) — and the guide (docs/for-lawyers.md, п. 5) says just that."""
    tag = "{% if client.kind == «company» %}"
    text = f"{tag}Уважаемые господа!{{% else %}}{{{{ client.salutation }}}}{{% endif %}}"
    path = edited(tmp_path, "pretension", retag("pretension", "{{ client.salutation }}", text))
    out = tmp_path / "out"
    argv = ["build", str(ROOT / "cases" / "ivanov-refusal.yaml"), "--shop", str(ROOT / "shop.yaml"), "--out", str(out)]
    options = ["--templates", str(path.parent), "--only", "pretension", "--format", "docx", "--as-of", "2026-11-23"]
    options += ["--draft", "--state", str(tmp_path / "state")]  # a numbered letter is seen as a draft
    assert main([*argv, *options, "--allow-unconfirmed-rates"]) == 0
    built = docx_text((out / "ZN-2026-0147" / "drafts" / "pretension-ПРОЕКТ.docx").read_bytes())
    assert "Уважаемый Иван Иванович!" in built and "Уважаемые господа!" not in built
    capsys.readouterr()
    assert main(["check-templates", str(path), *CASES]) == 0
    assert "программа при сборке читает их как прямые, документ соберётся" in capsys.readouterr().err
    guide = " ".join((ROOT / "docs" / "for-lawyers.md").read_text(encoding="utf-8").split())
    assert "Программа при сборке читает такие кавычки как прямые, и документ соберётся верно" in guide
    assert "проверка выдаст предупреждение (не ошибку: шаблон считается исправным" in guide
