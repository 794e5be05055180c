"""A journal several machines share, on a real PostgreSQL server (postgres_cluster.py):
concurrent transactions wait for the counters they share and never repeat or skip
a number; the migrations build and upgrade it as they do SQLite's; a URL that is
wrong or a server that is not there is one Russian line and exit 3, the password
never shown; and two real batches over two case folders on "two machines" at
once number their letters 0001..N between them."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from postgres_cluster import Cluster, needs_postgres
from test_journal import entry

from pipeline.errors import EnvironmentProblem
from pipeline.store import migrations
from pipeline.store.journal import JournalUrl, open_journal, open_journal_readonly
from pipeline.store.ownership import MARKER_NAME

ROOT = Path(__file__).resolve().parent.parent
pytestmark = needs_postgres
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


def version(url: str) -> int:
    return Cluster.sql(url, "SELECT version FROM schema_version")[0][0]


# --- numbers under concurrency ------------------------------------------------------


def take_in_thread(url: str, results: list[str], commit: threading.Event | None = None) -> threading.Thread:
    """Another batch: takes one УВ number in its own transaction (holding it until `commit` is set)."""

    def work() -> None:
        journal = open_journal(JournalUrl(url))
        try:
            with journal.transaction():
                results.append(journal.take_number("УВ", 2026))
                if commit is not None:
                    commit.wait(10)
        finally:
            journal.close()

    thread = threading.Thread(target=work)
    thread.start()
    return thread


def test_a_second_transaction_waits_for_the_counter_then_takes_the_next_number(postgres_url):
    first_results: list[str] = []
    commit = threading.Event()
    first = take_in_thread(postgres_url, first_results, commit)
    while not first_results:
        time.sleep(0.01)
    second_results: list[str] = []
    second = take_in_thread(postgres_url, second_results)
    time.sleep(0.5)
    assert second_results == []  # the counter's row is locked by the first transaction
    commit.set()
    first.join(10)
    second.join(10)
    assert first_results + second_results == ["УВ-2026-0001", "УВ-2026-0002"]


def test_a_number_rolled_back_is_taken_by_the_transaction_that_waited_for_it(postgres_url):
    journal = open_journal(JournalUrl(postgres_url))
    results: list[str] = []
    try:
        with pytest.raises(RuntimeError), journal.transaction():
            assert journal.take_number("УВ", 2026) == "УВ-2026-0001"
            waiting = take_in_thread(postgres_url, results)
            time.sleep(0.5)
            assert results == []
            raise RuntimeError("the PDF could not be made")
        waiting.join(10)
    finally:
        journal.close()
    assert results == ["УВ-2026-0001"]  # no gap


def test_two_batches_taking_the_same_sequences_in_opposite_orders_do_not_deadlock(postgres_url):
    """hold_counters takes every sequence in one order, so neither waits for the other while holding."""
    open_journal(JournalUrl(postgres_url)).close()
    numbers: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def batch(prefixes: tuple[str, str]) -> None:
        journal = open_journal(JournalUrl(postgres_url))
        try:
            with journal.transaction():
                start.wait(5)
                journal.hold_counters((prefix, 2026) for prefix in prefixes)
                for prefix in prefixes:
                    numbers.append(journal.take_number(prefix, 2026))
                    time.sleep(0.2)
        except BaseException as err:  # reported below, not lost in the thread
            errors.append(err)
        finally:
            journal.close()

    threads = [threading.Thread(target=batch, args=(order,)) for order in (("УВ", "ПР"), ("ПР", "УВ"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []
    assert sorted(numbers) == ["ПР-2026-0001", "ПР-2026-0002", "УВ-2026-0001", "УВ-2026-0002"]


# --- migrations ----------------------------------------------------------------------


def test_a_new_journal_gets_every_migration_and_the_version_in_its_table(postgres_url):
    open_journal(JournalUrl(postgres_url)).close()
    assert version(postgres_url) == migrations.latest_version()
    tables = Cluster.sql(postgres_url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
    assert {name for (name,) in tables} == {"documents", "counters", "meta", "schema_version"}
    open_journal(JournalUrl(postgres_url)).close()  # opening again changes nothing
    assert Cluster.sql(postgres_url, "SELECT COUNT(*) FROM schema_version") == [(1,)]


def test_a_journal_of_version_2_is_upgraded_keeping_its_documents(postgres_url, monkeypatch):
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:2])
    open_journal(JournalUrl(postgres_url)).close()
    monkeypatch.undo()
    Cluster.sql(  # a document as the version-2 program recorded it
        postgres_url,
        "INSERT INTO documents VALUES ('УВ-2026-0001', 'ZN-1', 'overdue_notice', '2026-10-01', '8840.00', 23, "
        f"'77.98', '7500.00', '16417.98', '{'d' * 64}', '{'p' * 64}', '{'t' * 64}', 'done')",
    )
    Cluster.sql(postgres_url, "INSERT INTO counters VALUES ('УВ', 2026, 1)")
    (journal_id,) = Cluster.sql(postgres_url, "SELECT value FROM meta")[0]
    assert version(postgres_url) == 2
    readonly = open_journal_readonly(JournalUrl(postgres_url))  # a dry run: upgraded, never committed
    assert readonly is not None
    try:
        assert readonly.history("ZN-1") == (entry("УВ-2026-0001"),)
        with pytest.raises(EnvironmentProblem, match="недоступен для записи"), readonly.transaction():
            readonly.take_number("УВ", 2026)
    finally:
        readonly.close()
    assert version(postgres_url) == 2
    journal = open_journal(JournalUrl(postgres_url))
    try:
        assert journal.history("ZN-1") == (entry("УВ-2026-0001"),) and journal.journal_id == journal_id
    finally:
        journal.close()
    assert version(postgres_url) == migrations.latest_version()
    assert Cluster.sql(postgres_url, "SELECT number, out_id FROM documents") == [("УВ-2026-0001", "")]


def test_programs_opening_an_old_journal_at_once_apply_each_migration_once(postgres_url):
    errors: list[BaseException] = []

    def open_and_close() -> None:
        try:
            open_journal(JournalUrl(postgres_url)).close()
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=open_and_close) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert version(postgres_url) == migrations.latest_version()
    assert Cluster.sql(postgres_url, "SELECT COUNT(*) FROM meta") == [(1,)]


@pytest.mark.parametrize("opener", [open_journal, open_journal_readonly])
def test_a_journal_of_a_newer_program_is_refused(postgres_url, opener):
    open_journal(JournalUrl(postgres_url)).close()
    Cluster.sql(postgres_url, "UPDATE schema_version SET version = 99")
    with pytest.raises(EnvironmentProblem) as caught:
        opener(JournalUrl(postgres_url))
    assert str(caught.value) == (
        f"журнал {JournalUrl(postgres_url).display} записан более новой версией программы "
        f"(версия схемы 99, эта программа знает до {migrations.latest_version()}): обновите программу"
    )


def test_a_failing_migration_leaves_the_journal_at_the_version_before(postgres_url, monkeypatch):
    broken = "CREATE TABLE reminders (number TEXT); INSERT INTO no_such_table VALUES (1);"
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, broken))
    with pytest.raises(EnvironmentProblem, match='не открывается: relation "no_such_table" does not exist'):
        open_journal(JournalUrl(postgres_url))
    assert version(postgres_url) == len(migrations.MIGRATIONS) - 1
    assert Cluster.sql(postgres_url, "SELECT to_regclass('reminders') IS NULL") == [(True,)]


# --- the command line ---------------------------------------------------------------


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "PIPELINE_LOCK_WAIT": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "batch", *args, "--shop", str(ROOT / "shop.yaml")],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def one_line(result: subprocess.CompletedProcess[str], code: int = 3) -> str:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ошибка: "), result.stderr
    return lines[0]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_server_that_refuses_is_one_line_without_the_password(tmp_path, dry_run):
    if not dry_run and shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (a real run checks for it first)")
    (tmp_path / "cases").mkdir()
    url = f"postgresql://shop:s3cret@127.0.0.1:{closed_port()}/journal"
    line = one_line(cli(tmp_path, "cases", "--journal", url, *(["--dry-run"] if dry_run else [])))
    assert line.startswith(f"ошибка: журнал postgresql://shop@127.0.0.1:{url.split(':')[3]} недоступен (")
    assert line.endswith("проверьте адрес --journal, пароль и что сервер PostgreSQL запущен и принимает подключения")
    assert "s3cret" not in line
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cases"]  # no state/, no out/


def test_a_missing_server_and_a_url_of_another_kind_are_one_line(tmp_path):
    (tmp_path / "cases").mkdir()
    line = one_line(cli(tmp_path, "cases", "--dry-run", "--journal", f"postgresql://shop@/journal?host={tmp_path}"))
    assert "недоступен (" in line and "No such file or directory" in line
    line = one_line(cli(tmp_path, "cases", "--dry-run", "--journal", "mysql://shop:s3cret@db/journal"))
    assert line == (
        "ошибка: --journal «mysql://shop@db/journal»: это не адрес PostgreSQL; укажите "
        "postgresql://пользователь@сервер:5432/база (журнал SQLite задаётся параметром --state ПАПКА)"
    )


def test_state_and_journal_together_are_a_command_line_error(tmp_path):
    result = cli(tmp_path, "--state", "state", "--journal", "postgresql://shop@db/journal")
    assert result.returncode == 2 and "--journal" in result.stderr and "Traceback" not in result.stderr


# --- two machines, one journal --------------------------------------------------------


def two_case_folders(work: Path, each: int) -> tuple[Path, Path]:
    """Synthetic cases (tools/make_cases.py) split into two folders with no case in common."""
    subprocess.run([sys.executable, ROOT / "tools" / "make_cases.py", str(2 * each), work / "all"], check=True)
    folders = work / "machine-a" / "cases", work / "machine-b" / "cases"
    for index, path in enumerate(sorted((work / "all").glob("*.yaml"))):
        folder = folders[index % 2]
        folder.mkdir(parents=True, exist_ok=True)
        path.rename(folder / path.name)
    return folders


def run_at_once(machines: list[Path], url: str, as_of: str) -> list[subprocess.CompletedProcess[str]]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "pipeline", "batch", "cases", "--journal", url, "--out", "out"]
    options = ["--as-of", as_of, "--jobs", "1", "--allow-unconfirmed-rates", "--shop", str(ROOT / "shop.yaml")]
    processes = [
        subprocess.Popen(
            [*command, *options],
            cwd=machine,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for machine in machines
    ]
    results = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=600)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr))
    return results


@needs_soffice
def test_two_batches_on_two_machines_share_one_sequence_without_a_gap(tmp_path, postgres_url):
    folders = two_case_folders(tmp_path, each=3)
    machines = [folder.parent for folder in folders]
    results = run_at_once(machines, postgres_url, "2026-11-20")
    for result in results:
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    # Each synthetic case gets its overdue notice, and some a notice to collect the car or a prepayment
    # letter beside it (escalation.SIDE_KINDS): the machines share the УВ, ЗА and ПО sequences.
    rows = Cluster.sql(postgres_url, "SELECT number, case_id, kind, out_id, state FROM documents")
    assert rows and {state for *_, state in rows} == {"done"}
    by_prefix: dict[str, list[int]] = {}
    for number, *_ in rows:
        prefix, _, sequence = number.rpartition("-")
        by_prefix.setdefault(prefix, []).append(int(sequence))
    for sequences in by_prefix.values():
        assert sorted(sequences) == list(range(1, len(sequences) + 1))  # 0001..N: no duplicate, no gap
    for machine, folder in zip(machines, folders, strict=True):
        journal_id, where, folder_id = (machine / "out" / MARKER_NAME).read_text().splitlines()
        assert where == JournalUrl(postgres_url).display
        cases = {path.stem.replace("bench-", "BENCH-") for path in folder.glob("*.yaml")}
        own = {(number, case_id, kind) for number, case_id, kind, out_id, _ in rows if out_id == folder_id}
        assert own and {case_id for _, case_id, _ in own} <= cases
        for number, case_id, kind in own:
            # Its DOCX and PDF, and a notice's (or a pretension's) debt statement's under its number.
            kinds = (kind, "debt_statement") if kind in ("overdue_notice", "pretension") else (kind,)
            names = {path.name for path in (machine / "out" / case_id).glob(f"*-{number}.*")}
            assert names == {f"{each}-{number}.{suffix}" for each in kinds for suffix in ("docx", "pdf")}
    # Each folder's run of the same date again: nothing new, nothing of the other folder's missing.
    again = run_at_once(machines, postgres_url, "2026-11-20")
    for result in again:
        assert result.returncode == 0, result.stderr
        assert result.stdout.count("файлы восстановлены") == 0
    assert len(Cluster.sql(postgres_url, "SELECT number FROM documents")) == len(rows)
