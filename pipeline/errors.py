"""The exceptions the pipeline raises on purpose. `cli.py` maps each to a
message and an exit code; anything else is a bug.
"""

from __future__ import annotations

from pipeline.models import Problem


class PipelineError(Exception):
    """Base of every error the user is meant to see (never a traceback)."""

    exit_code = 1


class InputError(PipelineError):
    """Raised when input files (the shop profile, cases) break the contract.

    Carries every problem found, each printed on its own line.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class TemplateError(PipelineError):
    """Raised when a Word template cannot be rendered: bad Jinja syntax, an
    unknown variable or filter, a forbidden attribute. The message names the
    template and the variable."""


class CalculationError(PipelineError):
    """Raised when figures cannot be computed for valid input, e.g. an as-of
    date before the first key rate in the table."""


class EnvironmentProblem(PipelineError):
    """Raised when the machine cannot do the job: LibreOffice missing, a
    conversion that failed. The message says what to install or check."""

    exit_code = 3


class UsageError(PipelineError):
    """Raised when the command line itself is wrong (bad option value)."""

    exit_code = 2
