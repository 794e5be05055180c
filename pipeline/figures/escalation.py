"""Which letter a debtor gets next: the escalation rules of the monthly batch,
a pure function of a case's figures, its terms, the journal's history for the
case and the as-of date. No files, no clock, no journal access.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from pipeline.documents import document_kind
from pipeline.models import Decision, Figures, JournalEntry, Terms
from pipeline.wording.russian import format_date_short

# Statuses in the order a case moves through them, with the register's words.
STATUS_TITLES = {
    "not_due": "срок оплаты не наступил",
    "overdue": "просрочено",
    "notified": "уведомление направлено",
    "pretension_sent": "претензия направлена",
    "ready_for_court": "готово к суду",
    "closed": "закрыто",
}


def decide(figures: Figures, terms: Terms, history: Sequence[JournalEntry], as_of: date) -> Decision:
    """The decision for one case on `as_of`, given every document the journal holds for it.

    A document already journalled for this very date is this run's document
    (a repeated run issues nothing new). Documents dated after `as_of` are
    ignored: batch.py refuses to run into the past of the journal.
    """
    same_day = [entry for entry in history if entry.as_of == as_of]
    if same_day:
        entry = max(same_day, key=_order)
        return Decision(
            document_kind(entry.kind).status_after, issued=entry, reason=f"{entry.number} уже выпущен в этот день"
        )
    earlier = sorted((entry for entry in history if entry.as_of < as_of), key=_order)
    if figures.outstanding <= 0:
        return Decision("closed", reason="долга нет")
    pretension = _last(earlier, "pretension")
    if pretension is not None:
        return _after_pretension(pretension, terms, as_of)
    rules = terms.collections
    if figures.days_overdue < rules.notice_after_days:
        status = "overdue" if figures.days_overdue > 0 else "not_due"
        return Decision(status, reason=f"просрочка {figures.days_overdue} дн. < {rules.notice_after_days}")
    notice = _last(earlier, "overdue_notice")
    if notice is None:
        # However long overdue, the first letter is the notice: a pretension
        # recounts the notice and gives the debtor a last chance after it.
        return Decision("notified", issue="overdue_notice", reason="первое уведомление")
    since_notice = (as_of - notice.as_of).days
    if figures.days_overdue >= max(terms.pretension_after_days, 1):
        if since_notice >= rules.notice_before_pretension_days:
            return Decision("pretension_sent", issue="pretension", reason=f"после уведомления {notice.number}")
        earliest = notice.as_of + timedelta(days=rules.notice_before_pretension_days)
        return Decision("notified", reason=f"претензия не ранее {format_date_short(earliest)}")
    if since_notice >= rules.repeat_after_days:
        return Decision("notified", issue="overdue_notice", reason=f"повторно после {notice.number}")
    return Decision("notified", reason=f"уведомление {notice.number} от {format_date_short(notice.as_of)}")


def last_notice(history: Sequence[JournalEntry], before: date) -> JournalEntry | None:
    """The latest overdue notice dated before `before`: the one a pretension recounts."""
    return _last(sorted((entry for entry in history if entry.as_of < before), key=_order), "overdue_notice")


def _after_pretension(pretension: JournalEntry, terms: Terms, as_of: date) -> Decision:
    # The debtor has pretension_response_days to pay; a court (АПК РФ ст. 4 ч. 5
    # for a company) wants that time to have run before the claim is filed.
    deadline = pretension.as_of + timedelta(days=terms.pretension_response_days)
    if as_of >= deadline:
        return Decision("ready_for_court", reason=f"претензия {pretension.number}, срок ответа истёк")
    return Decision("pretension_sent", reason=f"претензия {pretension.number}, ответ до {format_date_short(deadline)}")


def _last(entries: Sequence[JournalEntry], kind: str) -> JournalEntry | None:
    found = [entry for entry in entries if entry.kind == kind]
    return found[-1] if found else None


def _order(entry: JournalEntry) -> tuple[date, str]:
    return entry.as_of, entry.number
