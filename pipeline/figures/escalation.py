"""Which letter a debtor gets next: the escalation rules of the monthly batch,
a pure function of a case's figures, its terms, the journal's history for the
case, the case's own events and payments, and the as-of date. No files, no
clock, no journal access.

The events stop or postpone the letters (court, write-off, hold, promise,
instalments; case_events.py) and move the start of the terms: a letter's terms
run from the day it was received when the history knows it (ГК РФ ст. 165.1).
An instalment schedule has letters of its own: its agreement, and the demand of the
whole remainder the day after a missed instalment. A debt past its limitation period
(limitation.py) gets no letters: it is a candidate for writing off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from pipeline.documents import document_kind
from pipeline.figures.calendar import WorkCalendar, load_work_calendar
from pipeline.figures.case_events import (
    COURT_KINDS,
    active_hold,
    last_of,
    promise_covering,
    received,
    schedule_state,
)
from pipeline.figures.limitation import limitation_period
from pipeline.models import Decision, Event, Figures, JournalEntry, Payment, Terms
from pipeline.wording.russian import format_date_short

# Statuses in the order a case moves through them, with the register's words.
STATUS_TITLES = {
    "not_due": "срок оплаты не наступил",
    "overdue": "просрочено",
    "promised": "обещана оплата",
    "instalments": "рассрочка по графику",
    "instalment_overdue": "просрочен платёж по рассрочке",
    "instalment_demanded": "требование об оплате остатка по рассрочке направлено",
    "limitation_expired": "кандидат на списание: срок исковой давности истёк",
    "on_hold": "на паузе",
    "notified": "уведомление направлено",
    "pretension_sent": "претензия направлена",
    "ready_for_court": "готово к суду",
    "application_ready": "заявление в суд подготовлено",
    "in_court": "подано в суд",
    "court_order": "выдан судебный приказ",
    "court_order_cancelled": "судебный приказ отменён",
    "judgment": "решение суда",
    "closed": "закрыто",
}
# The status of a case whose latest court event is of this kind: no letters any more.
COURT_STATUS = {
    "court_filed": "in_court",
    "court_order_issued": "court_order",
    "court_order_cancelled": "court_order_cancelled",
    "judgment": "judgment",
}


ONE_DAY = timedelta(days=1)
# Letters issued beside the escalation's own when their rule in documents.py gives them (the
# figures' documents_due) and nothing stops the letters, each once per case: a reminder before the
# due date, a notice to collect the car, and the prepayment letter (a client told once that work
# goes on prepayment above the limit is told; a monthly repeat would only annoy).
SIDE_KINDS = ("payment_reminder", "collect_car_notice", "prepayment_notice")
# The court applications, issued once the pretension's answer period has run (or a court order
# was cancelled) by the kind the case's court plan allows (figures/court_filing.py).
APPLICATION_KINDS = ("court_order", "claim")


def status_words(decision: Decision) -> str:
    """The register's words for a decision: its own when it has them, else its status's."""
    return decision.title or STATUS_TITLES[decision.status]


def decide(
    figures: Figures,
    terms: Terms,
    history: Sequence[JournalEntry],
    as_of: date,
    events: Sequence[Event] = (),
    payments: Sequence[Payment] = (),
    work_calendar: WorkCalendar | None = None,
    application: str | None = None,
) -> Decision:
    """The decision for one case on `as_of`, given every document the journal holds for it and
    the case's events and payments (in date order, as validation holds them). `application` is
    the court application the case's court plan allows on `as_of` (None: no court named, or
    none allowed), issued once the demands have run their course.

    A document already journalled for this very date is this run's document
    (a repeated run issues nothing new). Documents and events dated after `as_of`
    are ignored: batch.py refuses to run into the past of the journal, and
    reports an event after the as-of date as an error of the case. The side letters
    (SIDE_KINDS) go with whatever the escalation decides, unless the letters are stopped.
    """
    main_line = [entry for entry in history if entry.kind not in SIDE_KINDS]
    same_day = [entry for entry in main_line if entry.as_of == as_of]
    if same_day:
        entry = max(same_day, key=_order)
        # What the first run of this date decided, for its next step: the same register again.
        first = decide(
            figures,
            terms,
            [e for e in history if e not in same_day],
            as_of,
            events,
            payments,
            work_calendar,
            application,
        )
        return Decision(
            document_kind(entry.kind).status_after,
            issued=entry,
            reason=f"{entry.number} уже выпущен в этот день",
            next_on=first.next_on if first.issue == entry.kind else None,
            next_letter=first.next_letter if first.issue == entry.kind else "",
        )
    known = [event for event in events if event.date <= as_of]
    calendar = work_calendar or load_work_calendar()
    stopped = _stopped(figures, known, as_of, calendar, main_line, application)
    if stopped is not None:
        return stopped
    decision = _main_letter(figures, terms, main_line, as_of, known, payments, calendar, application)
    return replace(decision, also=side_letters(figures.documents_due, history))


def _main_letter(
    figures: Figures,
    terms: Terms,
    history: Sequence[JournalEntry],
    as_of: date,
    events: Sequence[Event],
    payments: Sequence[Payment],
    calendar: WorkCalendar,
    application: str | None,
) -> Decision:
    """The escalation's next letter, from the letters issued before `as_of`."""
    earlier = sorted((entry for entry in history if entry.as_of < as_of), key=_order)
    scheduled = _on_schedule(earlier, terms, events, payments, as_of, calendar)
    if scheduled is not None:
        return _to_court(scheduled, earlier, application)
    pretension = _last(earlier, "pretension")
    if pretension is not None:
        return _to_court(_after_pretension(pretension, terms, as_of, events, calendar), earlier, application)
    return _before_pretension(figures, terms, earlier, as_of, events, calendar)


def side_letters(due: Sequence[str], history: Sequence[JournalEntry]) -> tuple[str, ...]:
    """The side letters to issue: due by their rule, and never issued for the case."""
    issued = {entry.kind for entry in history}
    return tuple(kind for kind in SIDE_KINDS if kind in due and kind not in issued)


def _to_court(decision: Decision, earlier: Sequence[JournalEntry], application: str | None) -> Decision:
    """Once the demands have run their course, the court application the plan allows, issued once."""
    if decision.status != "ready_for_court":
        return decision
    issued = _last(earlier, *APPLICATION_KINDS)
    if issued is not None:
        words = f"{STATUS_TITLES['application_ready']} {issued.number}: подайте его и запишите событие court_filed"
        return Decision("application_ready", reason=words, title=words)
    if application is None:
        return decision  # no court named, or none allowed: the register says what to add
    return Decision("application_ready", issue=application, reason=decision.reason)


def _stopped(
    figures: Figures,
    events: Sequence[Event],
    as_of: date,
    calendar: WorkCalendar,
    history: Sequence[JournalEntry],
    application: str | None,
) -> Decision | None:
    """The decision when something other than the days overdue decides: the debt is gone,
    written off or time-barred, the case is in court, on hold or under a promise."""
    written_off = last_of(events, "written_off")
    if written_off is not None:
        when = format_date_short(written_off.date)
        return Decision(
            "closed", reason=f"долг списан {when}", title=f"закрыто: долг списан {when} ({written_off.reason})"
        )
    if figures.outstanding <= 0:
        return Decision("closed", reason="долга нет")
    limitation = limitation_period(figures.due_date, events, calendar)
    if limitation is not None and limitation.expired(as_of):
        words = f"{STATUS_TITLES['limitation_expired']} {format_date_short(limitation.end)}"
        return Decision("limitation_expired", reason=words, title=words)
    court = last_of(events, *COURT_KINDS)
    if court is not None:
        words = f"{STATUS_TITLES[COURT_STATUS[court.kind]]} {format_date_short(court.date)}"
        if court.kind == "court_order_cancelled" and application == "claim":
            # ГПК РФ ст. 129: after the order is cancelled, the claim; issued once, after the cancellation.
            if not any(entry.kind == "claim" and entry.as_of >= court.date for entry in history):
                return Decision(COURT_STATUS[court.kind], issue="claim", reason=words, title=words)
        return Decision(COURT_STATUS[court.kind], reason=words, title=words)
    hold = active_hold(events)
    if hold is not None:
        return Decision("on_hold", reason=f"с {format_date_short(hold.date)}", title=f"на паузе: {hold.reason}")
    promise = promise_covering(events, as_of)
    if promise is not None and promise.pay_by is not None:
        words = f"обещана оплата до {format_date_short(promise.pay_by)}"
        return Decision("promised", reason=words, title=words, next_on=promise.pay_by)
    return None


def _on_schedule(
    earlier: Sequence[JournalEntry],
    terms: Terms,
    events: Sequence[Event],
    payments: Sequence[Payment],
    as_of: date,
    calendar: WorkCalendar,
) -> Decision | None:
    """An agreed schedule: its agreement first (numbered in the journal); nothing while it is
    kept; the day after a missed instalment's last day, the demand of the whole remainder; then
    the demand's answer period, as a pretension's. None: no schedule, or all of it paid."""
    state = schedule_state(events, payments, as_of, calendar)
    if state is None:
        return None
    since = [entry for entry in earlier if entry.as_of >= state.agreed.date]
    demand = _last(since, "missed_instalment_notice")
    if demand is not None:
        return _after_letter(demand, terms, as_of, events, calendar, "instalment_demanded", "требование")
    if state.due is None or state.last_day is None:
        return None
    when = format_date_short(state.due.date)
    if as_of > state.last_day:
        words = f"просрочен платёж по рассрочке от {when}"
        court_on = answer_last_day(as_of, terms, calendar) + ONE_DAY
        return Decision("instalment_demanded", issue="missed_instalment_notice", reason=words, next_on=court_on)
    words = f"рассрочка по графику, следующий платёж {when}"
    issue = None if _last(since, "instalment_agreement") else "instalment_agreement"
    return Decision("instalments", issue=issue, reason=words, title=words, next_on=state.due.date)


def _before_pretension(
    figures: Figures,
    terms: Terms,
    earlier: Sequence[JournalEntry],
    as_of: date,
    events: Sequence[Event],
    calendar: WorkCalendar,
) -> Decision:
    rules = terms.collections
    if figures.days_overdue < rules.notice_after_days:
        status = "overdue" if figures.days_overdue > 0 else "not_due"
        notice_on = _overdue_for(figures, rules.notice_after_days)
        return Decision(
            status,
            reason=f"просрочка {figures.days_overdue} дн. < {rules.notice_after_days}",
            next_on=notice_on,
            next_letter="overdue_notice" if notice_on else "",
        )
    notice = _last(earlier, "overdue_notice")
    if notice is None:
        # However long overdue, the first letter is the notice: a pretension
        # recounts the notice and gives the debtor a last chance after it.
        return _notified(figures, terms, as_of, as_of, issue="overdue_notice", reason="первое уведомление")
    start = received(notice, events)  # the debtor's last chance runs from when he had the notice
    if figures.days_overdue >= max(terms.pretension_after_days, 1):
        if (as_of - start.day).days >= rules.notice_before_pretension_days:
            court_on = answer_last_day(as_of, terms, calendar) + ONE_DAY
            reason = f"после уведомления {notice.number}"
            return Decision("pretension_sent", issue="pretension", reason=reason, next_on=court_on)
        earliest = start.day + timedelta(days=rules.notice_before_pretension_days)
        reason = f"уведомление {notice.number} {start.words}, претензия не ранее {format_date_short(earliest)}"
        return Decision("notified", reason=reason, next_on=earliest, next_letter="pretension")
    if (as_of - notice.as_of).days >= rules.repeat_after_days:
        return _notified(figures, terms, as_of, as_of, issue="overdue_notice", reason=f"повторно после {notice.number}")
    reason = f"уведомление {notice.number} от {format_date_short(notice.as_of)}"
    return _notified(figures, terms, notice.as_of, start.day, reason=reason)


def _notified(
    figures: Figures, terms: Terms, notice_date: date, start: date, issue: str | None = None, reason: str = ""
) -> Decision:
    """A notice of `notice_date` received on `start` (today's: both are today): its next letter is
    the pretension, once the debt is old enough and the notice's time has run, or a repeated notice
    when that comes first, before the pretension is due at all."""
    rules = terms.collections
    pretension_age = _overdue_for(figures, max(terms.pretension_after_days, 1))
    repeat_on = notice_date + timedelta(days=rules.repeat_after_days)
    if pretension_age is None:
        return Decision("notified", issue=issue, reason=reason)
    if repeat_on < pretension_age:
        return Decision("notified", issue=issue, reason=reason, next_on=repeat_on, next_letter="overdue_notice")
    pretension_on = max(pretension_age, start + timedelta(days=rules.notice_before_pretension_days))
    return Decision("notified", issue=issue, reason=reason, next_on=pretension_on, next_letter="pretension")


def _overdue_for(figures: Figures, days: int) -> date | None:
    """The day the debt is `days` days overdue (calc.count_days_overdue); None without a due date."""
    return figures.due_date + timedelta(days=days) if figures.due_date is not None else None


def answer_last_day(start: date, terms: Terms, calendar: WorkCalendar) -> date:
    """The last day to answer a demand received on `start` (ГК РФ ст. 191, 193)."""
    return calendar.term_after(start, terms.pretension_response_days)


def answer_deadline(letter: JournalEntry, terms: Terms, events: Sequence[Event], calendar: WorkCalendar) -> date:
    """The last day to answer `letter` (a pretension, an instalment demand), counted from its receipt."""
    return answer_last_day(received(letter, events).day, terms, calendar)


def last_notice(history: Sequence[JournalEntry], before: date) -> JournalEntry | None:
    """The latest overdue notice dated before `before`: the one a pretension recounts."""
    return _last(sorted((entry for entry in history if entry.as_of < before), key=_order), "overdue_notice")


def _after_pretension(
    pretension: JournalEntry, terms: Terms, as_of: date, events: Sequence[Event], calendar: WorkCalendar
) -> Decision:
    # The debtor has pretension_response_days to pay from the day he received the pretension
    # (ГК РФ ст. 165.1, 191), the last day moved to a working day (ст. 193); a court (АПК РФ
    # ст. 4 ч. 5 for a company) wants that time to have run before the claim is filed.
    return _after_letter(pretension, terms, as_of, events, calendar, "pretension_sent", "претензия")


def _after_letter(
    letter: JournalEntry,
    terms: Terms,
    as_of: date,
    events: Sequence[Event],
    calendar: WorkCalendar,
    status: str,
    noun: str,
) -> Decision:
    """A demand sent (a pretension, the demand of an instalment remainder): `status` while its
    answer period runs, ready for court once it has run."""
    start = received(letter, events)
    last_day = answer_last_day(start.day, terms, calendar)
    words = f"{noun} {letter.number} {start.words}"
    if as_of > last_day:
        return Decision("ready_for_court", reason=f"{words}, срок ответа истёк {format_date_short(last_day)}")
    return Decision(status, reason=f"{words}, ответ до {format_date_short(last_day)}", next_on=last_day + ONE_DAY)


def _last(entries: Sequence[JournalEntry], *kinds: str) -> JournalEntry | None:
    found = [entry for entry in entries if entry.kind in kinds]
    return found[-1] if found else None


def _order(entry: JournalEntry) -> tuple[date, str]:
    return entry.as_of, entry.number
