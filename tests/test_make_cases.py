"""tools/make_cases.py: deterministic, valid by the project's own validator, and a realistic mix."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "make_cases.py"
COUNT = 60
AS_OF = date(2026, 11, 20)


def load_tool():
    """tools/ is not a package: load the script as a module by its path."""
    spec = importlib.util.spec_from_file_location("make_cases", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


make_cases = load_tool()


def read_all(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.yaml"))}


def validate(folder: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pipeline", "validate", str(folder), "--shop", str(ROOT / "shop.yaml")]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[int, Path]:
    """COUNT cases for each of two seeds."""
    folders = {}
    for seed in (7, 2026):
        folder = tmp_path_factory.mktemp(f"seed-{seed}")
        make_cases.write_cases(COUNT, folder, seed=seed, as_of=AS_OF)
        folders[seed] = folder
    return folders


def test_same_seed_gives_identical_files(generated, tmp_path):
    again = make_cases.write_cases(COUNT, tmp_path / "again", seed=7, as_of=AS_OF)
    assert [path.name for path in again] == [f"bench-{index:05d}.yaml" for index in range(COUNT)]
    assert read_all(tmp_path / "again") == read_all(generated[7])
    assert read_all(generated[2026]) != read_all(generated[7])


def test_command_line_writes_the_same_files(generated, tmp_path):
    out = tmp_path / "cli" / "cases"
    subprocess.run([sys.executable, str(SCRIPT), str(COUNT), str(out)], check=True, timeout=60)
    assert read_all(out) == read_all(generated[7])


@pytest.mark.parametrize("seed", [7, 2026])
def test_every_case_is_valid(generated, seed):
    result = validate(generated[seed])
    assert result.returncode == 0, result.stderr
    # stderr holds one line per problem, then the summary line "Проверено файлов: …".
    problems = [line for line in result.stderr.splitlines() if not line.startswith("Проверено файлов")]
    assert problems == []
    assert f"Проверено файлов: {COUNT + 1}," in result.stderr  # the cases and shop.yaml


def test_the_mix(generated):
    cases = [
        yaml.safe_load(path.read_text(encoding="utf-8"))
        for folder in generated.values()
        for path in sorted(folder.glob("*.yaml"))
    ]
    assert len(cases) == 2 * COUNT
    refusals = [case["refusal"] for case in cases if "refusal" in case]
    assert any(case["client"]["kind"] == "company" for case in cases)
    assert any(case["client"]["kind"] == "person" for case in cases)
    assert any(refusal["client_signed"] is False for refusal in refusals)
    assert any(refusal["client_signed"] is True for refusal in refusals)
    assert all(len(refusal["witnesses"]) == 2 for refusal in refusals if refusal["client_signed"] is False)
    assert 0.3 < len(refusals) / len(cases) < 0.7
    assert any(case.get("payments") for case in cases)
    assert any(case.get("storage") for case in cases)
    statuses = {line["status"] for case in cases for line in case["work"]}
    assert statuses == {"done", "partial", "not_started"}
    assert any(line.get("purchased") for case in cases for line in case["work"])


def test_every_case_is_due_a_document(generated):
    for folder in generated.values():
        for path in sorted(folder.glob("*.yaml")):
            case = yaml.safe_load(path.read_text(encoding="utf-8"))
            order_date, invoice_date = case["order"]["date"], case["invoice"]["date"]
            assert 3 <= (AS_OF - order_date).days <= 120, path.name
            assert order_date <= invoice_date <= AS_OF, path.name
            assert all(payment["date"] <= AS_OF for payment in case.get("payments") or []), path.name


def test_events_are_all_before_the_as_of_date():
    # An invoice of the as-of day (1 case in 2 000 of the bench): its 5 events the day before, the
    # promise made and kept then, so that on the as-of day it no longer keeps a letter back.
    lines = make_cases.event_lines(5, AS_OF, AS_OF)
    dates = [line.split(": ")[1] for line in lines if line.strip().startswith(("date:", "pay_by:"))]
    assert dates == ["2026-11-19"] * 6
    assert [line for line in lines if "kind:" in line] == [
        "  - kind: promise",
        "  - kind: hold",
        "  - kind: resume",
        "  - kind: hold",
        "  - kind: resume",
    ]
    # From the 1st: spread over the 18 days to the 19th, at 18 × n // 6 days.
    spread = [line.split(": ")[1] for line in make_cases.event_lines(5, date(2026, 11, 1), AS_OF) if "date:" in line]
    assert spread == ["2026-11-04", "2026-11-07", "2026-11-10", "2026-11-13", "2026-11-16"]


def dry_run(cases: Path, work: Path) -> list[str]:
    """What a dry-run batch would issue for each case, the folder's name left out."""
    command = [sys.executable, "-m", "pipeline", "batch", str(cases), "--as-of", AS_OF.isoformat(), "--dry-run"]
    command += ["--out", str(work / "out"), "--state", str(work / "state"), "--allow-unconfirmed-rates"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if "→" in line]


def test_events_leave_the_letters_as_they_are(generated, tmp_path):
    with_events = make_cases.write_cases(COUNT, tmp_path / "events", seed=7, as_of=AS_OF, events=5)
    assert all("  - kind: resume" in path.read_text(encoding="utf-8") for path in with_events)
    letters = dry_run(generated[7], tmp_path / "without")
    assert len(letters) > COUNT // 2
    assert dry_run(tmp_path / "events", tmp_path / "with") == letters
