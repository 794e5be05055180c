"""`validate`: check the shop profile and every case, write nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.inputs.validate import validate_inputs
from pipeline.models import Problem, exit_code


@dataclass(frozen=True)
class ValidateReport:
    files_checked: int
    failed_files: int
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()

    @property
    def exit_code(self) -> int:
        return exit_code(self.problems)


def run_validate(paths: Sequence[Path], shop_path: Path) -> ValidateReport:
    inputs = validate_inputs(paths, shop_path)
    return ValidateReport(inputs.files_checked, inputs.failed_files, tuple(inputs.problems), inputs.warnings)
