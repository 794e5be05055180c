"""Symbolic links in a cases folder: followed inside the folder, refused when they lead out of
it, a warning when they lead nowhere; a file reached twice is read once."""

import os
from pathlib import Path

import pytest

from pipeline.inputs.files import find_case_files
from pipeline.inputs.validate import validate_inputs

ROOT = Path(__file__).resolve().parent.parent
IVANOV = (ROOT / "cases" / "ivanov-refusal.yaml").read_text(encoding="utf-8")
VECTOR = (ROOT / "cases" / "vector-company.yaml").read_text(encoding="utf-8")
SHOP = (ROOT / "shop.yaml").read_text(encoding="utf-8")

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="POSIX symbolic links")


@pytest.fixture
def folders(tmp_path):
    (tmp_path / "shop.yaml").write_text(SHOP, encoding="utf-8")
    cases, outside = tmp_path / "cases", tmp_path / "elsewhere"
    cases.mkdir()
    outside.mkdir()
    (cases / "ivanov.yaml").write_text(IVANOV, encoding="utf-8")
    (outside / "vector.yaml").write_text(VECTOR, encoding="utf-8")
    return tmp_path, cases, outside


def run(tmp_path, paths):
    inputs = validate_inputs(paths, tmp_path / "shop.yaml")
    shown = [str(p).replace(f"{tmp_path}/", "") for p in inputs.problems]
    warned = [str(p).replace(f"{tmp_path}/", "") for p in inputs.warnings]
    return shown, warned, sorted(case.id for case in inputs.cases), inputs.files_checked


def test_a_link_out_of_the_cases_folder_is_refused_and_not_read(folders):
    tmp_path, cases, outside = folders
    (cases / "vector.yaml").symlink_to(outside / "vector.yaml")
    problems, warnings, built, checked = run(tmp_path, [cases])
    assert problems == [
        "cases/vector.yaml:1:1: ссылка ведёт за пределы папки дел: elsewhere/vector.yaml "
        "(дела читаются только из cases; скопируйте файл туда или удалите ссылку)"
    ]
    assert (warnings, built, checked) == ([], ["ZN-2026-0147"], 3)


def test_a_relative_link_climbing_out_is_refused_too(folders):
    tmp_path, cases, _ = folders
    (cases / "sub").mkdir()
    (cases / "sub" / "v.yml").symlink_to(Path("..") / ".." / "elsewhere" / "vector.yaml")
    problems, _, built, _ = run(tmp_path, [cases])
    assert [line.split(": ")[0] for line in problems] == ["cases/sub/v.yml:1:1"]
    assert built == ["ZN-2026-0147"]


def test_a_dangling_link_is_a_warning_and_the_rest_is_built(folders):
    tmp_path, cases, _ = folders
    (cases / "gone.yaml").symlink_to("deleted.yaml")
    problems, warnings, built, checked = run(tmp_path, [cases])
    assert warnings == [
        "предупреждение: cases/gone.yaml:1:1: ссылка ведёт на несуществующий файл (deleted.yaml) "
        "(файл пропущен; восстановите файл или удалите ссылку)"
    ]
    assert (problems, built, checked) == ([], ["ZN-2026-0147"], 2)


def test_a_link_loop_is_a_warning_not_a_crash(folders):
    tmp_path, cases, _ = folders
    (cases / "a.yaml").symlink_to("b.yaml")
    (cases / "b.yaml").symlink_to("a.yaml")
    problems, warnings, built, _ = run(tmp_path, [cases])
    assert [line.split(": ")[1] for line in warnings] == ["cases/a.yaml:1:1", "cases/b.yaml:1:1"]
    assert (problems, built) == ([], ["ZN-2026-0147"])


def test_a_link_inside_the_folder_is_followed_and_the_file_read_once(folders):
    tmp_path, cases, _ = folders
    (cases / "sub").mkdir()
    (cases / "sub" / "same.yaml").symlink_to(cases / "ivanov.yaml")
    problems, warnings, built, checked = run(tmp_path, [cases, cases / "ivanov.yaml"])
    assert (problems, warnings, built, checked) == ([], [], ["ZN-2026-0147"], 2)  # no "id repeated"


def test_a_linked_cases_folder_is_followed(folders):
    tmp_path, cases, _ = folders
    (tmp_path / "link-to-cases").symlink_to(cases)
    (cases / "again.yaml").symlink_to(cases / "ivanov.yaml")
    inputs = validate_inputs([tmp_path / "link-to-cases"], tmp_path / "shop.yaml")
    assert inputs.problems == ()
    assert [case.source for case in inputs.cases] == [tmp_path / "link-to-cases" / "ivanov.yaml"]  # not the link


def test_a_file_named_on_the_command_line_is_read_wherever_it_is(folders):
    tmp_path, cases, outside = folders
    (cases / "vector.yaml").symlink_to(outside / "vector.yaml")
    problems, _, built, _ = run(tmp_path, [cases / "vector.yaml"])
    assert (problems, built) == ([], ["ZN-2026-0171"])


def test_find_case_files_skips_hidden_and_other_files(folders):
    _, cases, _ = folders
    (cases / ".hidden.yaml").write_text("id: x\n", encoding="utf-8")
    (cases / "readme.txt").write_text("x\n", encoding="utf-8")
    (cases / ".git").mkdir()
    (cases / ".git" / "x.yaml").write_text("id: x\n", encoding="utf-8")
    assert find_case_files([cases]).files == [cases / "ivanov.yaml"]
