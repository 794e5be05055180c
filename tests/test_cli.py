"""The command line as people and scripts use it: exit codes, one line per
problem on stderr, a summary line, and never a traceback."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_validate_passes_on_the_shipped_cases():
    result = run("validate", "cases")
    assert result.returncode == 0
    # 8 example cases (the five first, Вектор's second order, Petrov's instalments, Orlov's write-off) and shop.yaml
    assert result.stderr.strip().splitlines()[-1] == "Проверено файлов: 9, без ошибок: 9, с ошибками: 0 (ошибок: 0)"


def test_validate_mix_of_good_and_bad_files_exits_1_with_each_problem(tmp_path):
    shutil.copy(ROOT / "cases" / "ivanov-refusal.yaml", tmp_path / "good.yaml")
    (tmp_path / "bad.yaml").write_text("id: X\nclient: {kind: person}\n", encoding="utf-8")
    result = run("validate", str(tmp_path))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert (
        f"{tmp_path}/bad.yaml:2:9: client.address: нет обязательного поля (добавьте address: Почтовый адрес с индексом, на который отправляются письма)"
        in lines
    )
    assert all(line.startswith(f"{tmp_path}/bad.yaml:") for line in lines[:-1])
    assert lines[-1].startswith("Проверено файлов: 3, без ошибок: 2, с ошибками: 1")


def test_wrong_shop_profile_is_reported_with_its_path(tmp_path):
    (tmp_path / "shop.yaml").write_text("name: X\n", encoding="utf-8")
    result = run("validate", "cases", "--shop", str(tmp_path / "shop.yaml"))
    assert result.returncode == 1
    assert f"{tmp_path}/shop.yaml:1:1: inn: нет обязательного поля" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("build", "--as-of", "2026-13-01"),
        ("build", "--only", "letter"),
        ("build", "--format", "odt"),
        ("build", "--jobs", "0"),
        ("frobnicate",),
    ],
)
def test_wrong_command_line_exits_2(args):
    assert run(*args).returncode == 2


def test_figures_prints_checkable_arithmetic():
    result = run("figures", "cases/smirnova-unpaid.yaml", "--as-of", "2026-11-23", "--allow-unconfirmed-rates")
    assert result.returncode == 0
    # 6500 + 12800 + 4350.50 + 1290 = 24940.50; paid 5000 on 05.10 → 19940.50 outstanding.
    assert "24940.50" in result.stdout
    assert "19940.50" in result.stdout
    # 24.09–05.10 on 24940.50 (12 days, payment day included), then 06.10–23.11 on 19940.50 (49 days), key rate 14 %:
    # 24940.50 × 0.14 × 12 = 41900.04; / 365 = 114.795… → 114.79
    # 19940.50 × 0.14 × 49 = 136791.83; / 365 = 374.772… → 374.77
    assert "= 114.79" in result.stdout and "= 374.77" in result.stdout
    assert "114.79 + 374.77 = 489.56" in result.stdout


def test_figures_json():
    result = run("figures", "cases/kuznetsov-paid.yaml", "--as-of", "2026-11-23", "--json")
    assert result.returncode == 0
    assert '"outstanding": "0.00"' in result.stdout  # 1200 + 5 × 1100 + 890 = 7590 paid in full


def test_figures_on_a_wrong_case_is_a_problem_line_not_a_traceback(tmp_path):
    (tmp_path / "x.yaml").write_text("id: [\n", encoding="utf-8")
    result = run("figures", str(tmp_path / "x.yaml"))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{tmp_path}/x.yaml:2:1:")
