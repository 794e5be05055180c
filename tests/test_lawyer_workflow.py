"""What the lawyer does around the templates, done as the lawyer does it:
Word's lock file beside an open template, curly quotes from AutoCorrect,
previews of the rendered samples, the paths a build wrote."""

import shutil
from pathlib import Path

from test_check_templates import edited, retag

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
    assert summary.startswith("Шаблонов проверено: 9, с ошибками: 0, ошибок: 0")  # the nine shipped, no lock file


def test_curly_quotes_in_a_tag_warn_and_the_check_passes(tmp_path, capsys):
    tag = "{% if client.kind == «person» %}"
    text = f"{tag}{{{{ client.salutation }}}}{{% else %}}Уважаемые господа!{{% endif %}}"
    path = edited(tmp_path, "pretension", retag("pretension", "{{ client.salutation }}", text))
    # Warned, not failed: the renderer reads «» in a tag as straight quotes, so the letter is right.
    assert main(["check-templates", str(path), *CASES]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"предупреждение: {path}: в теге «{tag}» кавычки «» вместо прямых")
    assert err[-1].startswith("Шаблонов проверено: 1, с ошибками: 0, ошибок: 0, образцов собрано: 3")


def test_samples_are_saved_for_reading_in_word(tmp_path, capsys):
    samples = tmp_path / "samples"
    template = ROOT / "templates" / "pretension.docx"
    assert main(["check-templates", str(template), *CASES, "--samples", str(samples)]) == 0
    # A pretension is due for three examples on 23.11.2026: Ivanov, Smirnova, Vector (golden texts).
    assert sorted(path.name for path in samples.iterdir()) == [
        "pretension--ivanov-refusal.docx",
        "pretension--smirnova-unpaid.docx",
        "pretension--vector-company.docx",
    ]


def test_build_prints_the_paths_it_wrote_and_open_says_where_there_is_no_desktop(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    out = tmp_path / "out"
    case = str(ROOT / "cases" / "kuznetsov-paid.yaml")  # paid: the invoice only
    argv = ["build", case, "--shop", str(ROOT / "shop.yaml"), "--as-of", "2026-11-23", "--out", str(out)]
    assert main([*argv, "--format", "docx", "--open"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [str(out / "ZN-2026-0180" / "invoice.docx")]
    assert f"предупреждение: --open: здесь нет рабочего стола; откройте {out}/ZN-2026-0180/invoice.docx" in captured.err
