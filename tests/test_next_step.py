"""The register's next step and its date, one row per escalation state: the date comes from the
escalation's decision (Decision.next_on), the words from figures/next_step.py.

AS_OF is Monday 01.06.2026; 12.06.2026 (Fri) is a public holiday, Saturdays and Sundays are off.
"""

import pytest
from factories import day, make_terms, pay
from test_escalation import AS_OF, NOTICE, PRETENSION, figures_at, sent
from test_escalation_events import AGREEMENT, SCHEDULE, event

from pipeline.figures.escalation import decide
from pipeline.figures.next_step import FILE_IT, NAME_THE_COURT, NextStep, next_step
from pipeline.models import Decision

PR = "ПР-2026-0020"


def step_of(days_overdue, history, events=(), outstanding="10000.00", terms=None, payments=()):
    figures = figures_at(days_overdue, outstanding)
    decision = decide(figures, terms or make_terms(), history, AS_OF, events, payments)
    return next_step(decision, events, court_named=False)  # make_case names no court


@pytest.mark.parametrize(
    ("days_overdue", "history", "events", "expected"),
    [
        # due on AS_OF itself: a notice once 1 day overdue, 01.06 + 1 = 02.06
        (0, [], [], NextStep("уведомление о просрочке не ранее 02.06.2026", day("2026-06-02"))),
        # the notice goes today (1 day overdue, due 31.05): the pretension once 30 days overdue,
        # 31.05 + 30 = 30.06, and 7 days after today's notice (08.06): the later, 30.06
        (1, [], [], NextStep("направить претензию не ранее 30.06.2026", day("2026-06-30"))),
        # notice of 12.05 (20 days ago), 29 days overdue (due 03.05): 30 days overdue on 02.06; the
        # notice's 7 days ran on 19.05; a repeated notice only on 12.05 + 30 = 11.06, later
        (29, [sent(NOTICE, 20)], [], NextStep("направить претензию не ранее 02.06.2026", day("2026-06-02"))),
        # 40 days overdue, notice of 26.05 (6 days ago): the pretension 7 days after it, 02.06
        (40, [sent(NOTICE, 6)], [], NextStep("направить претензию не ранее 02.06.2026", day("2026-06-02"))),
        # the notice of 26.05 was delivered on 29.05: 29.05 + 7 = 05.06
        (
            40,
            [sent(NOTICE, 6, "УВ-2026-0006")],
            [event("delivered", "2026-05-29", document="УВ-2026-0006")],
            NextStep("направить претензию не ранее 05.06.2026", day("2026-06-05")),
        ),
        # the pretension goes today: 10 days to answer from today, the last day Thu 11.06; court from 12.06
        (40, [sent(NOTICE, 10)], [], NextStep("готово к суду не ранее 12.06.2026", day("2026-06-12"))),
        # pretension of Sat 23.05 (9 days ago): last day 23.05 + 10 = Tue 02.06; court from 03.06
        (
            60,
            [sent(NOTICE, 40), sent(PRETENSION, 9)],
            [],
            NextStep("готово к суду не ранее 03.06.2026", day("2026-06-03")),
        ),
        # pretension of 12.05 delivered Fri 22.05: last day 22.05 + 10 = Mon 01.06 = AS_OF; court from 02.06
        (
            60,
            [sent(NOTICE, 40), sent(PRETENSION, 20, PR)],
            [event("delivered", "2026-05-22", document=PR)],
            NextStep("готово к суду не ранее 02.06.2026", day("2026-06-02")),
        ),
        # the answer period ran out (pretension of 19.05, last day 29.05) and no court is named
        (60, [sent(NOTICE, 40), sent(PRETENSION, 13)], [], NextStep(NAME_THE_COURT)),
        # on hold
        (60, [sent(NOTICE, 40)], [event("hold", "2026-05-20", reason="переговоры")], NextStep("на паузе (переговоры)")),
        # a promise to pay by 15.06
        (
            60,
            [sent(NOTICE, 40)],
            [event("promise", "2026-05-25", pay_by=day("2026-06-15"))],
            NextStep("ждать оплату до 15.06.2026", day("2026-06-15")),
        ),
    ],
)
def test_the_next_step_of_each_escalation_state(days_overdue, history, events, expected):
    assert step_of(days_overdue, history, events) == expected


def test_a_closed_case_has_no_next_step():
    assert step_of(0, [sent(NOTICE, 40)], outstanding="0.00") == NextStep("—")


def test_a_repeated_notice_when_it_comes_before_the_pretension_is_due():
    # 60 days overdue before a pretension; 10 days overdue (due 22.05), the notice of 27.05: a repeated
    # notice on 27.05 + 30 = 26.06, before the debt is 60 days overdue (21.07)
    terms = make_terms(pretension_after_days=60)
    assert step_of(10, [sent(NOTICE, 5)], terms=terms) == NextStep(
        "повторное уведомление не ранее 26.06.2026", day("2026-06-26")
    )


def test_an_instalment_schedule_names_the_next_instalment():
    # SCHEDULE: 3 000 by 01.05 (paid 30.04), 3 000 by 01.06, 4 000 by 01.07; on 01.06 the second is next
    step = step_of(60, [sent(NOTICE, 40), AGREEMENT], [SCHEDULE], payments=[pay("2026-04-30", "3000.00")])
    assert step == NextStep("следующий платёж 01.06.2026", day("2026-06-01"))


def test_a_repeated_run_has_the_first_runs_next_step():
    # The pretension ПР-2026-0001 is already journalled for AS_OF: the same step as when it was issued.
    today = sent(PRETENSION, 0, "ПР-2026-0001")
    assert step_of(40, [sent(NOTICE, 10), today]) == NextStep("готово к суду не ранее 12.06.2026", day("2026-06-12"))


@pytest.mark.parametrize(
    ("decision", "court_named", "waiting", "words"),
    [
        (Decision("ready_for_court"), False, "", NAME_THE_COURT),
        (
            Decision("ready_for_court"),
            True,
            "не готово к суду: не истёк претензионный срок",
            "не готово к суду: не истёк претензионный срок",
        ),
        (Decision("application_ready", issue="court_order"), True, "", FILE_IT),
        (Decision("application_ready", title="заявление в суд подготовлено СП-2026-0001"), True, "", FILE_IT),
        (Decision("court_order_cancelled", issue="claim"), True, "", FILE_IT),
        (Decision("closed", next_on=day("2026-07-01")), True, "", "—"),
        (Decision("limitation_expired"), True, "", "списать долг: записать событие written_off"),
    ],
)
def test_the_next_step_on_the_way_to_court(decision, court_named, waiting, words):
    assert next_step(decision, (), court_named, waiting) == NextStep(words)


def test_every_state_has_words():
    from pipeline.figures.escalation import STATUS_TITLES

    for status in STATUS_TITLES:
        assert next_step(Decision(status, next_on=AS_OF)).words
