"""The case files a build found valid (store/validated.py, kept in out/.manifest.json): the very same
bytes in the same context are not checked again and give the same inputs; a changed case file, shop
profile or code is checked again; a file with an error is never remembered as valid; a damaged record
is no record."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from pipeline.commands.build import BuildOptions, run_build
from pipeline.inputs import validate
from pipeline.inputs.validate import validate_inputs
from pipeline.models import Problem
from pipeline.store import manifest as manifest_module
from pipeline.store.manifest import MANIFEST_NAME, Manifest
from pipeline.store.validated import PROBLEM_FIELDS, ValidatedFiles, validation_context

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ("smirnova-unpaid.yaml", "vector-company.yaml", "petrov-instalments.yaml")


@pytest.fixture
def work(tmp_path):
    """Three example cases and the shop profile, in a folder of their own."""
    (tmp_path / "cases").mkdir()
    for name in EXAMPLES:
        shutil.copy(ROOT / "cases" / name, tmp_path / "cases" / name)
    shutil.copy(ROOT / "shop.yaml", tmp_path / "shop.yaml")
    return tmp_path


@pytest.fixture
def checked(monkeypatch):
    """The paths of the files whose checks ran (validate._check, after reading), in order."""
    paths: list[str] = []
    real = validate._check

    def spy(loaded, kind, rules):
        if kind == "case":
            paths.append(loaded.path.name)
        return real(loaded, kind, rules)

    monkeypatch.setattr(validate, "_check", spy)
    return paths


def verdicts_for(work: Path, previous: ValidatedFiles | None = None) -> ValidatedFiles:
    """As a build takes them: the previous verdicts, if they were made in this context."""
    return (previous or ValidatedFiles()).in_context(validation_context(work / "shop.yaml"))


def run(work: Path, verdicts: ValidatedFiles | None):
    return validate_inputs([work / "cases"], work / "shop.yaml", verdicts)


def same_inputs(one, other) -> bool:
    fields = ("shop", "cases", "problems", "warnings", "files_checked", "ids_read")
    return all(getattr(one, name) == getattr(other, name) for name in fields)


def test_a_file_found_valid_is_not_checked_again_and_gives_the_same_inputs(work, checked):
    verdicts = verdicts_for(work)
    first = run(work, verdicts)
    assert first.problems == () and len(first.cases) == 3
    assert checked == sorted(EXAMPLES) and len(verdicts) == 3
    again = run(work, verdicts_for(work, verdicts))
    assert checked == sorted(EXAMPLES)  # nothing checked the second time
    assert same_inputs(again, first)
    assert same_inputs(again, run(work, None))  # and what no remembering gives


def test_a_changed_case_file_is_checked_again(work, checked):
    verdicts = verdicts_for(work)
    run(work, verdicts)
    case = work / "cases" / "vector-company.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("client:", "clinet:", 1), encoding="utf-8")
    again = run(work, verdicts_for(work, verdicts))
    assert checked[3:] == ["vector-company.yaml"]  # only the changed file
    assert [(problem.field, problem.message, problem.hint) for problem in again.problems] == [
        ("clinet", "неизвестное поле", "может быть, client?")
    ]
    assert len(again.cases) == 2


def shop_with_penalty(work: Path, penalty: str) -> None:
    text = (ROOT / "shop.yaml").read_text(encoding="utf-8")
    assert "  penalty:\n    kind: key_rate\n" in text
    (work / "shop.yaml").write_text(text.replace("  penalty:\n    kind: key_rate\n", penalty), encoding="utf-8")


CONTRACT = (
    "  penalty:\n    kind: contract\n    rate_percent_per_day: 0.1\n    cap_percent: 10\n    basis: п. 5.2 договора\n"
)


def test_a_changed_shop_profile_checks_every_case_again(work, checked):
    # The case sets only the rate of the shop's contract penalty: valid under a contract penalty,
    # wrong once the shop's penalty is the key rate (the rate is then for a contract penalty only).
    shop_with_penalty(work, CONTRACT)
    case = work / "cases" / "smirnova-unpaid.yaml"
    case.write_text(case.read_text(encoding="utf-8") + "terms:\n  penalty:\n    rate_percent_per_day: 0.2\n")
    verdicts = verdicts_for(work)
    assert run(work, verdicts).problems == ()
    assert len(verdicts) == 3
    shop_with_penalty(work, "  penalty:\n    kind: key_rate\n")
    again = run(work, verdicts_for(work, verdicts))
    assert checked[3:] == sorted(EXAMPLES)
    assert [(problem.field, problem.message) for problem in again.problems] == [
        ("terms.penalty.rate_percent_per_day", "это поле только для договорной неустойки (kind: contract)")
    ]


def test_the_same_shop_bytes_keep_the_verdicts_and_a_new_code_does_not(work, checked, monkeypatch):
    verdicts = verdicts_for(work)
    run(work, verdicts)
    assert verdicts_for(work, verdicts) is verdicts
    # A new version of the code or of its schemas (manifest.code_fingerprint hashes both).
    monkeypatch.setattr(manifest_module, "code_fingerprint", lambda: "another version of the code")
    fresh = verdicts_for(work, verdicts)
    assert fresh is not verdicts and len(fresh) == 0
    run(work, fresh)
    assert checked == sorted(EXAMPLES) * 2


def test_a_file_with_an_error_is_never_remembered_as_valid(work, checked):
    case = work / "cases" / "petrov-instalments.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("client:", "clinet:", 1), encoding="utf-8")
    verdicts = verdicts_for(work)
    first = run(work, verdicts)
    assert len(verdicts) == 2
    again = run(work, verdicts_for(work, verdicts))
    assert checked[3:] == ["petrov-instalments.yaml"]  # checked again, and again wrong
    assert again.problems == first.problems and len(again.problems) == 1


def test_a_file_valid_on_its_own_still_meets_the_ids_of_the_others(work, checked):
    verdicts = verdicts_for(work)
    run(work, verdicts)
    shutil.copy(work / "cases" / "vector-company.yaml", work / "cases" / "vector-copy.yaml")
    again = run(work, verdicts_for(work, verdicts))
    assert checked[3:] == ["vector-copy.yaml"]  # the new file; the others are remembered
    assert {Path(problem.path).name for problem in again.problems} == {"vector-company.yaml", "vector-copy.yaml"}
    assert {problem.field for problem in again.problems} == {"id"}


def test_the_warnings_of_a_valid_file_are_given_again(work, checked):
    case = work / "cases" / "smirnova-unpaid.yaml"
    text = case.read_text(encoding="utf-8")
    address = next(line for line in text.splitlines() if line.startswith("  address: "))
    case.write_text(text.replace(address, address + "\u200b", 1), encoding="utf-8")  # a zero-width space
    verdicts = verdicts_for(work)
    first = run(work, verdicts)
    assert first.problems == ()
    assert [(problem.field, problem.severity) for problem in first.warnings] == [("client.address", "warning")]
    again = run(work, verdicts_for(work, verdicts))
    assert len(checked) == 3 and again.warnings == first.warnings


def test_the_verdicts_are_kept_in_the_manifest_and_a_deleted_file_is_forgotten(work, tmp_path):
    verdicts = verdicts_for(work)
    run(work, verdicts)
    manifest = Manifest(tmp_path / "out", {}, verdicts)
    manifest.save()
    loaded = Manifest.load(tmp_path / "out").validated
    assert loaded.to_json() == verdicts.to_json() and len(loaded) == 3
    (work / "cases" / "vector-company.yaml").unlink()
    Manifest(tmp_path / "out", {}, loaded).save()
    assert len(Manifest.load(tmp_path / "out").validated) == 2


@pytest.mark.parametrize(
    "damage",
    [
        "not json at all {",
        json.dumps({"format": 1, "documents": {}, "validated": "everything is valid"}),
        json.dumps({"format": 1, "documents": {}, "validated": {"context": 5, "files": {}}}),
        json.dumps({"format": 1, "documents": {}, "validated": {"context": "x", "files": {"a.yaml": {"sha": "1"}}}}),
    ],
)
def test_a_damaged_record_is_no_record(work, tmp_path, damage):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / MANIFEST_NAME).write_text(damage, encoding="utf-8")
    assert len(Manifest.load(tmp_path / "out").validated) == 0


def test_a_record_with_a_wrong_warning_is_no_record(work):
    verdicts = verdicts_for(work)
    run(work, verdicts)
    data = verdicts.to_json()
    path = str(work / "cases" / "smirnova-unpaid.yaml")
    good = {"path": path, "line": 3, "column": 9, "field": "client.name", "message": "m", "hint": "h"}
    good |= {"paragraph": "", "severity": "warning", "paragraph_number": None}
    assert set(good) == PROBLEM_FIELDS
    data["files"][path]["warnings"] = [good]
    assert ValidatedFiles.from_json(data).warnings_of(path, data["files"][path]["sha256"]) == [Problem(**good)]
    for wrong in ({**good, "line": "3"}, {**good, "line": True}, {**good, "extra": 1}, {"path": path}):
        data["files"][path]["warnings"] = [wrong]
        assert len(ValidatedFiles.from_json(data)) == 0


def test_a_second_build_checks_no_case_file_again(work, checked):
    options = BuildOptions(work / "out", date(2026, 11, 23), work / "state", formats=frozenset({"docx"}))
    options = BuildOptions(**{**options.__dict__, "allow_unconfirmed_rates": True})
    first = run_build([work / "cases"], work / "shop.yaml", options)
    assert checked == sorted(EXAMPLES) and first.cases_built == 3
    second = run_build([work / "cases"], work / "shop.yaml", options)
    assert checked == sorted(EXAMPLES)  # the second build checked no case file
    assert second.cases_built == 3 and second.problems == first.problems and second.written == []
    kept = json.loads((work / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))["validated"]
    assert sorted(Path(path).name for path in kept["files"]) == sorted(EXAMPLES)
