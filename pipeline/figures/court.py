"""Which court hears a debt and in which procedure, the price of the claim, the state duty
on it and what the application asks to recover. Pure: the thresholds (`data/court_rules.csv`,
dated, each with its source) and the duty scales are data passed in; whether a court order
was cancelled and whether the pretension period has run are plain arguments.

- An individual (a consumer or a person): a court order from the magistrate for a documented
  contract debt up to ГПК РФ ст. 121 (ст. 122: a claim on a transaction in simple written
  form); an action otherwise or after the order was cancelled (ст. 129), before the magistrate
  up to ч. 1 ст. 23 ГПК РФ, else before the district court (ст. 24).
- A business client: the arbitrazh court; a court order up to АПК РФ ст. 229.2, otherwise an
  action, in the simplified procedure up to ст. 227; only after the pretension period of
  ч. 5 ст. 4 АПК РФ has run.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from pipeline.errors import CalculationError
from pipeline.figures.money import ZERO
from pipeline.figures.rates import data_date, data_rows, format_day
from pipeline.figures.state_duty import DutyRow, StateDuty, data_amount, state_duty
from pipeline.models import Case, Court, Figures, Terms
from pipeline.resources import figures_data_text
from pipeline.wording.russian import format_money, format_number

SHIPPED_RULES = "pipeline/figures/data/court_rules.csv"
COLUMNS = ("effective_from", "rule", "amount", "disputed_up_to", "source")
RULES = (
    "gpk_order_max",  # ГПК РФ ст. 121: a court order up to this sum
    "magistrate_action_max",  # ГПК РФ ч. 1 ст. 23: the magistrate hears a property action up to it
    "apk_order_max",  # АПК РФ ст. 229.2: a court order up to it
    "apk_simplified_company_max",  # АПК РФ ст. 227: the simplified procedure, a company
    "apk_simplified_entrepreneur_max",  # the same, an entrepreneur
)

MAGISTRATE, DISTRICT, ARBITRAZH = "magistrate", "district", "arbitrazh"
COURT_ORDER, ACTION, SIMPLIFIED = "court_order", "action", "simplified"
COURT_TITLES = {
    MAGISTRATE: "мировой судья",
    DISTRICT: "районный (городской) суд",
    ARBITRAZH: "арбитражный суд субъекта Российской Федерации",
}
PROCEDURE_TITLES = {
    COURT_ORDER: "заявление о вынесении судебного приказа",
    ACTION: "исковое заявление",
    SIMPLIFIED: "исковое заявление (упрощённое производство)",
}
PRETENSION_RULE = (
    "ч. 5 ст. 4 АПК РФ: 30 календарных дней со дня направления претензии, если договор не установил иной срок"
)


@dataclass(frozen=True)
class CourtRule:
    """A threshold of the procedural codes in force from `effective_from` until the next row of
    the same rule. `disputed_up_to`: a higher value some source gives, not confirmed; a claim up
    to it gets a caution (docs/legal-basis.md, «Суд и госпошлина»)."""

    effective_from: date
    rule: str
    amount: Decimal
    disputed_up_to: Decimal | None
    source: str


@dataclass(frozen=True)
class ClaimPrice:
    """The price of the claim (ГПК РФ ст. 91, АПК РФ ст. 103): the debt, the penalty or interest,
    and storage only where the client agreed its tariff (terms.storage.basis)."""

    principal: Decimal
    penalty: Decimal
    storage: Decimal
    total: Decimal
    line: str


@dataclass(frozen=True)
class ProcedureDecision:
    court_type: str  # magistrate | district | arbitrazh
    procedure: str  # court_order | action | simplified
    reason: str  # Russian, with the articles
    ready: bool  # False: the would-be procedure, not yet open (see `waiting`)
    waiting: str = ""
    caution: str = ""  # a source gives another threshold: check before filing

    @property
    def duty_article(self) -> str:
        return "333.21" if self.court_type == ARBITRAZH else "333.19"


@dataclass(frozen=True)
class CourtPlan:
    """Where and how the debt of one case goes to court, and what the application asks for."""

    claim: ClaimPrice
    decision: ProcedureDecision
    duty: StateDuty
    court: Court | None
    court_source: str  # which field named the court
    missing_court: str  # the field to add when no court is named, «» otherwise
    to_recover: Decimal  # claim + duty

    @property
    def status(self) -> str:
        if not self.decision.ready:
            return f"не готово к суду: {self.decision.waiting}"
        return f"готово к суду — укажите суд: {self.missing_court}" if self.court is None else "готово к суду"


# --- the decision ------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimFacts:
    """What decides the court and the procedure, as plain values: the claim on `as_of`, whether
    the client is a business client (an entrepreneur), whether a court order was cancelled and
    whether the pretension period has run."""

    claim: Decimal
    as_of: date
    business: bool = False
    entrepreneur: bool = False
    order_cancelled: bool = False
    pretension_period_run: bool = False


def decide_procedure(facts: ClaimFacts, rules: Sequence[CourtRule]) -> ProcedureDecision:
    """The court and procedure: a business client's before the arbitrazh court, else an individual's."""
    return decide_arbitrazh(facts, rules) if facts.business else decide_general(facts, rules)


def decide_general(facts: ClaimFacts, rules: Sequence[CourtRule]) -> ProcedureDecision:
    claim, as_of, order_cancelled = facts.claim, facts.as_of, facts.order_cancelled
    order_max = rule_in_force("gpk_order_max", as_of, rules)
    if not order_cancelled and claim <= order_max.amount:
        reason = (
            "судебный приказ: бесспорное требование из договора в письменной форме, "
            f"сумма {format_money(claim)} ≤ {rub(order_max.amount)} (ст. 121, 122 ГПК РФ)"
        )
        return ProcedureDecision(MAGISTRATE, COURT_ORDER, reason, ready=True)
    why = (
        "судебный приказ отменён, требование предъявляется в порядке искового производства (ст. 129 ГПК РФ)"
        if order_cancelled
        else f"сумма {format_money(claim)} > {rub(order_max.amount)}: судебный приказ невозможен (ст. 121 ГПК РФ)"
    )
    magistrate_max = rule_in_force("magistrate_action_max", as_of, rules)
    if claim <= magistrate_max.amount:
        where = f"цена иска {format_money(claim)} ≤ {rub(magistrate_max.amount)} — мировой судья (ч. 1 ст. 23 ГПК РФ)"
        return ProcedureDecision(MAGISTRATE, ACTION, f"исковое производство: {why}; {where}", ready=True)
    where = (
        f"цена иска {format_money(claim)} > {rub(magistrate_max.amount)} — районный суд (ч. 1 ст. 23, ст. 24 ГПК РФ)"
    )
    caution = ""
    if magistrate_max.disputed_up_to is not None and claim <= magistrate_max.disputed_up_to:
        caution = (
            f"до {rub(magistrate_max.disputed_up_to)} мировой судья рассматривает и споры о защите прав "
            "потребителей (ч. 1 ст. 23 ГПК РФ); иск сервиса к заказчику о взыскании долга к ним не отнесён"
        )
    return ProcedureDecision(DISTRICT, ACTION, f"исковое производство: {why}; {where}", ready=True, caution=caution)


def decide_arbitrazh(facts: ClaimFacts, rules: Sequence[CourtRule]) -> ProcedureDecision:
    claim, ready = facts.claim, facts.pretension_period_run
    waiting = "" if ready else f"не истёк претензионный срок ({PRETENSION_RULE})"
    order_max = rule_in_force("apk_order_max", facts.as_of, rules)
    if not facts.order_cancelled and claim <= order_max.amount:
        reason = (
            "судебный приказ: требование из договора, подтверждённое документами, "
            f"сумма {format_money(claim)} ≤ {rub(order_max.amount)} (ст. 229.1, 229.2 АПК РФ)"
        )
        return ProcedureDecision(ARBITRAZH, COURT_ORDER, reason, ready, waiting)
    if facts.order_cancelled:
        why, caution = "судебный приказ отменён (ст. 229.5 АПК РФ)", ""
    else:
        why = f"сумма {format_money(claim)} > {rub(order_max.amount)}: судебный приказ невозможен (ст. 229.2 АПК РФ)"
        caution = disputed_caution(order_max, claim, "ст. 229.2 АПК РФ")
    decision = arbitrazh_action(facts, why, rules)
    return replace(decision, ready=ready, waiting=waiting, caution=caution or decision.caution)


def arbitrazh_action(facts: ClaimFacts, why: str, rules: Sequence[CourtRule]) -> ProcedureDecision:
    """An action before the arbitrazh court (`why`: why no court order), simplified up to ст. 227."""
    claim = facts.claim
    rule = "apk_simplified_entrepreneur_max" if facts.entrepreneur else "apk_simplified_company_max"
    simplified = rule_in_force(rule, facts.as_of, rules)
    who = "индивидуального предпринимателя" if facts.entrepreneur else "юридического лица"
    if claim <= simplified.amount:
        reason = (
            f"исковое заявление, упрощённое производство: {why}; цена иска {format_money(claim)} ≤ "
            f"{rub(simplified.amount)} для {who} (п. 1 ч. 1 ст. 227 АПК РФ)"
        )
        return ProcedureDecision(ARBITRAZH, SIMPLIFIED, reason, ready=True)
    reason = (
        f"исковое заявление: {why}; цена иска {format_money(claim)} > {rub(simplified.amount)} "
        f"для {who} — общий порядок (ст. 227 АПК РФ)"
    )
    caution = disputed_caution(simplified, claim, "п. 1 ч. 1 ст. 227 АПК РФ")
    return ProcedureDecision(ARBITRAZH, ACTION, reason, ready=True, caution=caution)


def disputed_caution(rule: CourtRule, claim: Decimal, article: str) -> str:
    """A caution when the claim is above the threshold in force but within a higher one a source gives."""
    if rule.disputed_up_to is None or not rule.amount < claim <= rule.disputed_up_to:
        return ""
    return (
        f"источники расходятся о пороге {article}: {rub(rule.amount)} или {rub(rule.disputed_up_to)} — "
        "проверьте действующую редакцию перед подачей"
    )


def rub(amount: Decimal) -> str:
    """A threshold of a code: 500000 → «500 000 руб.»."""
    return f"{format_number(amount)} руб."


# --- the claim, the court, the plan -----------------------------------------------


def claim_price(figures: Figures, terms: Terms) -> ClaimPrice:
    """The debt plus the penalty or interest, plus storage only where the client agreed its tariff."""
    storage = figures.storage.fee if figures.storage is not None and terms.storage.basis else ZERO
    principal, penalty = figures.outstanding, figures.penalty.total
    total = principal + penalty + storage
    parts = [f"{format_money(principal)} (долг)", f"{format_money(penalty)} ({PENALTY_WORDS[figures.penalty.kind]})"]
    if storage:
        parts.append(f"{format_money(storage)} (хранение, {terms.storage.basis})")
    return ClaimPrice(principal, penalty, storage, total, f"{' + '.join(parts)} = {format_money(total)}")


PENALTY_WORDS = {"key_rate": "проценты по ст. 395 ГК РФ", "contract": "неустойка"}


def court_for(case: Case) -> tuple[Court | None, str]:
    """The court the case names, else for a business client the one of the contract (terms.court,
    ст. 37 АПК РФ); a consumer's court is never taken from the shop's terms (ст. 17 ЗоЗПП)."""
    if case.court is not None:
        return case.court, "court"
    if not case.is_consumer and case.terms.court is not None:
        return case.terms.court, "terms.court (договорная подсудность, ст. 37 АПК РФ)"
    return None, ""


def missing_court_field(case: Case) -> str:
    """The exact field to add to name the court."""
    where = f"добавьте в {case.source} court: с полями name и address"
    if case.is_consumer:
        return where
    return f"{where} (или terms.court с договорной подсудностью в shop.yaml)"


def plan_court(
    case: Case,
    figures: Figures,
    *,
    order_cancelled: bool,
    pretension_period_run: bool,
    rules: Sequence[CourtRule],
    duty_table: Sequence[DutyRow],
) -> CourtPlan | None:
    """Where the case's debt goes to court on the figures' date; None when nothing is claimed."""
    claim = claim_price(figures, case.terms)
    if claim.total <= 0:
        return None
    facts = ClaimFacts(
        claim.total,
        figures.as_of,
        business=not case.is_consumer,
        entrepreneur=case.client.kind == "entrepreneur",
        order_cancelled=order_cancelled,
        pretension_period_run=pretension_period_run,
    )
    decision = decide_procedure(facts, rules)
    if figures.days_overdue <= 0:
        decision = replace(decision, ready=False, waiting="срок оплаты не истёк: просрочки нет")
    duty = state_duty(decision.duty_article, decision.procedure, claim.total, figures.as_of, duty_table)
    court, source = court_for(case)
    missing = "" if court is not None else missing_court_field(case)
    return CourtPlan(claim, decision, duty, court, source, missing, claim.total + duty.amount)


def ready_status(case: Case) -> str:
    """The register's words for a case ready for court: naming the field to add when no court is named."""
    court, _ = court_for(case)
    return "готово к суду" if court is not None else f"готово к суду — укажите суд: {missing_court_field(case)}"


# --- the table ---------------------------------------------------------------------


def rule_in_force(rule: str, day: date, rules: Sequence[CourtRule]) -> CourtRule:
    """The row of `rule` in force on `day`: the latest that took effect on or before it."""
    rows = sorted((row for row in rules if row.rule == rule), key=lambda row: row.effective_from)
    position = bisect_right([row.effective_from for row in rows], day)
    if position == 0:
        raise CalculationError(f"нет правила подсудности {rule} на {format_day(day)}: проверьте {SHIPPED_RULES}")
    return rows[position - 1]


@functools.cache
def load_court_rules() -> tuple[CourtRule, ...]:
    """The shipped thresholds, read once per process."""
    return parse_court_rules(figures_data_text("court_rules.csv"), SHIPPED_RULES)


def parse_court_rules(text: str, source: str) -> tuple[CourtRule, ...]:
    rules = tuple(parse_rule_row(cells, where) for cells, where in data_rows(text, COLUMNS, source))
    missing = [rule for rule in RULES if all(row.rule != rule for row in rules)]
    if missing:
        raise CalculationError(f"{source}: нет правил {', '.join(missing)}")
    return rules


def parse_rule_row(cells: list[str], where: str) -> CourtRule:
    day_text, rule, amount, disputed, source = cells
    if rule not in RULES:
        raise CalculationError(f"{where}: неизвестное правило «{rule}» — ожидается одно из {', '.join(RULES)}")
    if not source:
        raise CalculationError(f"{where}: не указан источник (статья и редакция закона)")
    return CourtRule(
        data_date(day_text, where),
        rule,
        data_amount(amount, where),
        data_amount(disputed, where) if disputed else None,
        source,
    )
