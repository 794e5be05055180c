"""The stages every command runs in the same order, written once: the figures
of each valid case (a case whose figures fail is reported, the others go on),
and one document rendered from its kind's template.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.documents import BY_NAME, document_kind, register_letters
from pipeline.errors import CalculationError, InputError, UsageError
from pipeline.figures.calc import compute_figures, with_client_debt
from pipeline.figures.credit import client_debts
from pipeline.figures.rates import load_working_key_rates
from pipeline.models import Case, Figures, Problem, SentLetter, Shop, warning

if TYPE_CHECKING:
    from pipeline.figures.court import CourtPlan
    from pipeline.word.render import TemplateCache


def case_problem(case: Case, message: str, field_name: str = "") -> Problem:
    """A problem of a valid case found after validation (figures, rendering): it points at the file."""
    return Problem(str(case.source), 1, 1, field_name, message)


def compute_case_figures(
    cases: Sequence[Case],
    shop: Shop,
    as_of: date,
    problems: list[Problem],
    warnings: list[Problem],
    allow_unconfirmed_rates: bool = False,
) -> list[tuple[Case, Figures]]:
    """Each case with its figures on `as_of`; failures go to `problems`, new warnings to `warnings`."""
    key_rates = load_working_key_rates()
    computed = []
    for case in cases:
        try:
            figures = compute_figures(case, shop, as_of, key_rates, allow_unconfirmed_rates=allow_unconfirmed_rates)
        except (CalculationError, InputError) as err:
            problems.append(case_problem(case, str(err)))
            continue
        for text in figures.warnings:
            if warning(text) not in warnings:  # the same stale key-rate table is said once, not per case
                warnings.append(warning(text))
        computed.append((case, figures))
    # The credit limit looks at every case of the client in this run (same ИНН, else same name and phone).
    debts = client_debts((case, figures.outstanding) for case, figures in computed)
    return [(case, with_client_debt(case, figures, debts[case.id])) for case, figures in computed]


def render_document(
    kind: str,
    templates_dir: Path,
    context: dict[str, Any],
    target: Path,
    cache: TemplateCache,
    durable: bool = True,
) -> Path:
    """Render `kind`'s template with `context` into `target`, written atomically."""
    from pipeline.word.render import render_docx

    return render_docx(document_kind(kind).template(templates_dir), context, target, cache, durable=durable)


def template_font_warnings(templates_dir: Path, kinds: Iterable[str]) -> list[Problem]:
    """The warnings for the templates of `kinds` set in a font LibreOffice would replace on this
    machine (fonts.py); worth asking only when PDFs are going to be made."""
    from pipeline.word.fonts import font_warnings

    templates = [document_kind(kind).template(templates_dir) for kind in dict.fromkeys(kinds)]
    return [warning(text) for text in font_warnings(templates)]


def use_letters_of(templates_dir: Path, only: Iterable[str] | None = None) -> list[Problem]:
    """Register the lawyer's letters declared in `templates_dir` (documents.register_letters) and
    return the problems of their declarations; UsageError for a kind in `only` that nobody declares."""
    from pipeline.inputs.letters import load_letters

    letters, problems = load_letters(templates_dir)
    register_letters(letters)
    unknown = sorted(set(only or ()) - set(BY_NAME))
    if unknown:
        raise UsageError(f"неизвестный вид документа {', '.join(unknown)} (допустимо: {', '.join(BY_NAME)})")
    return problems


# --- court applications (issue 17, points 3–4) ----------------------------------------


def court_plan_of(case: Case, figures: Figures, sent: Sequence[SentLetter] = ()) -> CourtPlan | None:
    """The court plan of the case on the figures' date, by the shipped thresholds and duty table."""
    from pipeline.figures.court import load_court_rules
    from pipeline.figures.court_filing import plan_filing
    from pipeline.figures.state_duty import load_state_duty

    return plan_filing(case, figures, sent, load_court_rules(), load_state_duty())


def court_applications_due(case: Case, figures: Figures, sent: Sequence[SentLetter] = ()) -> tuple[str, ...]:
    """The court applications a case may have: only for a case that names its court (`court:`), and
    only the one its court plan allows (court_filing.filing_problem is empty), given the letters sent."""
    from pipeline.figures.court_filing import COURT_KINDS, filing_problem

    if case.court is None:
        return ()
    plan = court_plan_of(case, figures, sent)
    return tuple(kind for kind in COURT_KINDS if not filing_problem(kind, plan))


def document_context(
    case: Case,
    shop: Shop,
    figures: Figures,
    kind: str,
    sent: Sequence[SentLetter] = (),
    **numbering: Any,
) -> dict[str, Any]:
    """The template variables of one document (`numbering`: build_context's document_number,
    notice and annex_of); a court application gets its court plan, and a CalculationError naming
    the reason when it cannot be made for the case (court_filing.py)."""
    from pipeline.figures.court_filing import COURT_KINDS, filing_problem
    from pipeline.wording.context import build_context

    if kind not in COURT_KINDS:
        return build_context(case, shop, figures, kind, **numbering)
    plan = court_plan_of(case, figures, sent)
    problem = filing_problem(kind, plan)
    if problem:
        raise CalculationError(f"{document_kind(kind).title}: {problem}")
    return build_context(case, shop, figures, kind, court=plan, sent=sent, **numbering)
