"""`figures`: every figure of one case with its arithmetic, as text or JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline.errors import InputError
from pipeline.figures.calc import compute_figures
from pipeline.figures.court import load_court_rules, plan_court
from pipeline.figures.rates import load_working_key_rates
from pipeline.figures.report import figures_to_json, format_figures
from pipeline.figures.state_duty import load_state_duty
from pipeline.inputs.validate import validate_inputs
from pipeline.models import Problem, exit_code, warning


@dataclass(frozen=True)
class FiguresReport:
    text: str
    json: str
    warnings: tuple[Problem, ...]

    @property
    def exit_code(self) -> int:
        return exit_code(self.warnings)


def run_figures(case_path: Path, shop_path: Path, as_of: date, allow_unconfirmed_rates: bool = False) -> FiguresReport:
    """The figures of one case; InputError when the files are wrong."""
    inputs = validate_inputs([case_path], shop_path)
    if inputs.problems or inputs.shop is None:
        raise InputError(list(inputs.problems))
    case = inputs.cases[0]
    case_figures = compute_figures(
        case, inputs.shop, as_of, load_working_key_rates(), allow_unconfirmed_rates=allow_unconfirmed_rates
    )
    # The figures know nothing of the journal: whether a pretension was sent or an order cancelled
    # is the batch's to say, so a business client's procedure is shown as it would be.
    court = plan_court(
        case,
        case_figures,
        order_cancelled=False,
        pretension_period_run=False,
        rules=load_court_rules(),
        duty_table=load_state_duty(),
    )
    return FiguresReport(
        format_figures(case, case_figures, court),
        figures_to_json(case_figures, court),
        (*inputs.warnings, *(warning(text) for text in case_figures.warnings)),
    )
