"""A case's `events:`: assembled into Event models that remember where each value
stands; the checks only a run can make (an event after the as-of date, a `sent`
naming a letter the journal does not know), located like every other problem; the
batch leaving such a case out; and `pipeline history`, the letters and events of a
case in date order. The order and consistency rules are in tests/wrong/cases/7x–8x."""

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from factories import day
from test_journal import entry

from pipeline.cli import main
from pipeline.commands.batch import decide_cases
from pipeline.commands.history import run_history
from pipeline.commands.issue import RunLog
from pipeline.inputs.event_rules import check_events_in_run
from pipeline.inputs.validate import validate_inputs
from pipeline.store.journal import open_journal

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "shop.yaml"
SMIRNOVA = ROOT / "cases" / "smirnova-unpaid.yaml"
TEXT = SMIRNOVA.read_text(encoding="utf-8")


def case_from(tmp_path, text: str = TEXT):
    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    inputs = validate_inputs([tmp_path / "c.yaml"], SHOP)
    assert inputs.problems == ()
    return inputs.cases[0], inputs.shop


def lines_of(problems, tmp_path) -> list[str]:
    return [str(problem).replace(f"{tmp_path}/", "") for problem in problems]


def where(value: str, text: str = TEXT) -> str:
    """line:column of the value's first character in the text."""
    index = text.index(value)
    return f"{text.count(chr(10), 0, index) + 1}:{index - text.rfind(chr(10), 0, index)}"


def test_the_example_events_become_models_in_the_files_order():
    case = validate_inputs([SMIRNOVA], SHOP).cases[0]
    sent, delivered, promise = case.events
    assert (sent.kind, sent.date, sent.document, sent.channel, sent.tracking) == (
        "sent",
        day("2026-09-18"),
        "163",
        "registered_post",
        "11523026001234",
    )
    assert (delivered.kind, delivered.document, delivered.index) == ("delivered", "163", 1)
    assert (promise.pay_by, promise.note) == (day("2026-09-30"), "Позвонила, обещала оплатить остаток до конца месяца")
    date_mark = next(mark for mark in promise.marks if mark.key == "pay_by")
    assert f"{date_mark.line}:{date_mark.column}" == where("2026-09-30")


def test_an_event_after_the_as_of_date_is_a_located_error_of_the_run(tmp_path):
    case, _ = case_from(tmp_path)
    # The promise was made on 25.09.2026: a run on 24.09 sees it in its future.
    assert lines_of(check_events_in_run(case, (), day("2026-09-24")), tmp_path) == [
        f"c.yaml:{where('2026-09-25')}: events[3].date: событие позже даты расчёта (24.09.2026) "
        "(дата не позже 2026-09-24; проверьте год и месяц)"
    ]
    assert check_events_in_run(case, (), day("2026-09-25")) == []


def test_a_sent_letter_must_be_in_the_journal_or_a_document_of_the_case(tmp_path):
    text = TEXT.replace('    document: "163"\n    channel', "    document: УВ-2026-0002\n    channel", 1)
    text = text.replace('  - kind: delivered\n    date: 2026-09-22\n    document: "163"\n', "")
    case, _ = case_from(tmp_path, text)
    as_of = day("2026-10-01")
    assert lines_of(check_events_in_run(case, (), as_of), tmp_path) == [
        f"c.yaml:{where('УВ-2026-0002', text)}: events[1].document: письма УВ-2026-0002 нет ни в журнале по этому "
        "делу, ни среди документов дела (укажите номер из журнала (pipeline history ДЕЛО) или номер счёта, "
        "уведомления о хранении)"
    ]
    # In the journal, for this case, issued on 15.09.2026: fine; issued after it was sent (20.09): wrong.
    assert check_events_in_run(case, (entry("УВ-2026-0002", case.id, as_of="2026-09-15"),), as_of) == []
    assert lines_of(
        check_events_in_run(case, (entry("УВ-2026-0002", case.id, as_of="2026-09-20"),), as_of), tmp_path
    ) == [
        f"c.yaml:{where('2026-09-18' + chr(10) + '    document: УВ', text)}: events[1].date: письмо УВ-2026-0002 выпущено 20.09.2026, "
        "отправить его раньше нельзя (дата не раньше 2026-09-20)"
    ]


def test_the_batch_leaves_out_a_case_whose_events_the_run_rejects(tmp_path):
    case, shop = case_from(tmp_path)
    run = RunLog()
    # 28.09: promised to pay by 30.09, so no letter yet.
    (outcome,) = decide_cases([case], shop, None, day("2026-09-28"), run, allow_unconfirmed_rates=True)
    assert (outcome.decision.issue, outcome.decision.title) == (None, "обещана оплата до 30.09.2026")
    # 24.09: the promise of 25.09 is in the future of the run: an error, and no outcome for the case.
    assert decide_cases([case], shop, None, day("2026-09-24"), run, allow_unconfirmed_rates=True) == []
    assert [problem.field for problem in run.problems] == ["events[3].date"]


def test_history_lists_the_journals_letters_and_the_events_by_date(tmp_path):
    case, _ = case_from(tmp_path)
    journal = open_journal(tmp_path / "state")
    with journal.transaction():  # another case's letter first, then this one's
        journal.record(entry(journal.take_number("УВ", 2026), "ZN-OTHER", as_of="2026-09-01"))
        journal.record(replace(entry(journal.take_number("УВ", 2026), case.id), outstanding=Decimal("19940.50")))
    journal.close()
    report = run_history(tmp_path / "c.yaml", SHOP, tmp_path / "state")
    assert report.lines == (
        "Дело ZN-2026-0163, Смирнова Анна Сергеевна: писем в журнале 1, событий 3",
        "18.09.2026  отправлено 163 заказным письмом, ШПИ 11523026001234",
        "22.09.2026  получено 163",
        "25.09.2026  обещано оплатить до 30.09.2026 — Позвонила, обещала оплатить остаток до конца месяца",
        "01.10.2026  выпущено УВ-2026-0002: Уведомление о просрочке оплаты",
    )
    assert report.exit_code == 0


def test_history_without_a_journal_shows_the_events_and_warns(tmp_path, capsys):
    assert main(["history", str(SMIRNOVA), "--shop", str(SHOP), "--state", str(tmp_path / "none")]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == "Дело ZN-2026-0163, Смирнова Анна Сергеевна: писем в журнале 0, событий 3"
    assert f"журнала нет ({tmp_path / 'none' / 'journal.sqlite'})" in captured.err


def test_history_of_a_wrong_case_prints_its_problems_and_exits_1(tmp_path, capsys):
    wrong = ROOT / "tests" / "wrong" / "cases" / "78-delivered-not-sent.yaml"
    assert main(["history", str(wrong), "--shop", str(SHOP), "--state", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "events[2].document: письмо 164 не отправлялось" in captured.err
