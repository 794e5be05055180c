"""The corpus of wrong inputs: each `tests/wrong/cases/*.yaml` (checked with
the shipped shop profile) and `tests/wrong/shops/*.yaml` (a shop profile,
checked with a good case) must give exactly the problem lines of the
`.expected` file beside it — file:line:column, field, Russian message, hint —
through the real command line, exit 1, no traceback. Add a wrong input by
adding a pair of files; the expected lines are written by a person."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WRONG = Path(__file__).resolve().parent / "wrong"
CASES = sorted((WRONG / "cases").glob("*.yaml"))
SHOPS = sorted((WRONG / "shops").glob("*.yaml"))


def validate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "validate", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def problem_lines(stderr: str, folder: Path) -> list[str]:
    # The last line is the summary; paths are shown relative to the corpus folder.
    return [line.replace(f"{folder}/", "") for line in stderr.splitlines()[:-1]]


def expected_lines(path: Path) -> list[str]:
    return path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()


def test_the_corpus_holds_at_least_thirty_wrong_inputs():
    assert len(CASES) + len(SHOPS) >= 30
    assert all(path.with_suffix(".expected").is_file() for path in CASES + SHOPS)


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_a_wrong_case_gives_exactly_its_expected_lines(case):
    result = validate(str(case), "--shop", str(ROOT / "shop.yaml"))
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert problem_lines(result.stderr, case.parent) == expected_lines(case)


@pytest.mark.parametrize("shop", SHOPS, ids=lambda path: path.stem)
def test_a_wrong_shop_gives_exactly_its_expected_lines(shop):
    result = validate(str(ROOT / "cases" / "ivanov-refusal.yaml"), "--shop", str(shop))
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert problem_lines(result.stderr, shop.parent) == expected_lines(shop)
