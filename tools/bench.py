"""Measure `build` against the bare LibreOffice floor, on synthetic cases.

    .venv/bin/python tools/bench.py [--cases 200] [--rounds 3] [--scale] [--json PATH]
    .venv/bin/python tools/bench.py --events 5 [--cases 2000] [--rounds 3]

Generates the cases with tools/make_cases.py (every case is due
something on 2026-11-20) into a temporary folder and measures, one after the
other on this machine:

- cold build: `python -m pipeline build` (DOCX + PDF) into an empty folder,
  the numbered letters issued through a fresh journal beside it;
- floor: the DOCX files of that build converted by one cold
  `soffice --headless --convert-to pdf` batch process per core (own profile
  each, run concurrently; at most FLOOR_BATCH files a process, since
  --convert-to stops silently after about 250; every PDF checked to be made);
- the floor and the cold build alternate --rounds times (3), and each is
  reported as the median with every run and the spread, the ratio as the
  median of the ratios of each round;
- `build --format docx` (the documents without a number) per document, against a plain docxtpl loop (load the
  template, render, save) over the same templates and contexts;
- a second build with nothing changed (the median of --rounds; every child runs with its
  modules compiled once, as an installed copy has them, even where PYTHONDONTWRITEBYTECODE is set);
- the cold build's peak memory (the build process's maxrss from wait4);
- documents per hour: the cold build's, then the same build with
  `--converter unoserver://…` on one and on two local unoserver servers
  (tools/unoservers.py; started and ready before the clock starts; skipped
  when unoserver is missing: `make unoserver`). On one machine two servers
  share its cores with each other and with the rendering: the figure for
  servers on their own machines is one server's times the servers;
- with --scale, the same cold build for 10 × the cases, for linearity, and
  the collections `batch` on those cases (one letter per overdue debtor,
  print.pdf merging them all): its peak memory.

With --events K, only the cost of the case histories to the batch (issue 15), on
the same cases (2 000 unless --cases) without events and with K events each
(make_cases.py --events: events before the as-of date that leave the letters as
they are), in CPU seconds (what a shared machine's load inflates least):

- the part the events weigh on, --rounds times alternated (medians): `batch
  --dry-run` (reading, validation, figures, decisions; no documents) and, in this
  process, the register it would write (rows, register.csv, register.xlsx with
  its history sheet);
- the real `batch` as the month runs it — every letter with its PDF, numbered
  through a fresh journal, print.pdf, the register — --batch-rounds times each
  (2: without, with, with, without; medians): the CPU of the whole process tree
  (the batch, its LibreOffice workers and their soffice.bin) and the wall time.
  The workers are killed as process groups, so their soffice.bin is never waited
  for by the batch: this process makes itself the "child subreaper" of the tree
  (Linux prctl), reaps those orphans and counts them. Every batch must issue the
  same documents. The target: the batch with events takes at most 5 % more CPU
  than without.

Prints a table with each target and PASS/FAIL, and the figures as JSON.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from unoservers import converter_url, local_unoservers, unoserver_python  # noqa: E402

from pipeline.pdf.convert import DEFAULT_WORKERS, find_soffice  # noqa: E402

MAKE_CASES = ROOT / "tools" / "make_cases.py"
AS_OF = date(2026, 11, 20)
FLOOR_BATCH = 200
COLD_TARGET = 0.8  # issue 19: a cold build in at most 0.8 × the per-document floor
EVENTS_TARGET = 1.05  # issue 15: the batch of cases with their histories, at most 5 % more CPU than without
EVENTS_CASES = 2000  # issue 15's figure: 2 000 cases of 5 events each
PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h

PIPELINE = [sys.executable, "-m", "pipeline"]
# The shipped key-rate table's latest rows cannot be confirmed offline; without this every case that
# accrues ст. 395 interest would be refused and the bench would measure fewer documents.
ALLOW = "--allow-unconfirmed-rates"


@dataclass(frozen=True)
class Run:
    """One timed child process: wall seconds and its peak resident memory."""

    seconds: float
    peak_mb: float
    cpu_s: float = 0.0  # user + system: what a shared machine's other work does not inflate


# The project's modules compiled once, as in an installed copy (pip compiles them); a machine that sets
# PYTHONDONTWRITEBYTECODE would otherwise compile 130 modules anew in every run (0.1 s of a second build).
CHILD_ENVIRONMENT = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"} | {
    "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "pipeline-bench-pycache")
}


def run_timed(command: list[str], cwd: Path = ROOT) -> Run:
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=CHILD_ENVIRONMENT
    )
    assert process.stderr is not None
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:  # the generated cases are all valid: exit 1 would mean fewer documents measured
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr.decode(errors='replace')}")
    return Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def build_command(cases: Path, out: Path) -> list[str]:
    """A build into `out`, its journal beside it (the numbered letters are issued through it)."""
    journal = ["--state", str(out.parent / f"{out.name}-state")]
    return [*PIPELINE, "build", str(cases), "--as-of", AS_OF.isoformat(), "--out", str(out), *journal, ALLOW]


def batch_command(cases: Path, out: Path, state: Path) -> list[str]:
    return [
        *[*PIPELINE, "batch", str(cases), "--as-of", AS_OF.isoformat(), ALLOW],
        *["--out", str(out), "--state", str(state)],
    ]


def make_cases(count: int, folder: Path, events: int = 0) -> Path:
    cases = folder / f"cases-{count}-{events}"
    subprocess.run([sys.executable, str(MAKE_CASES), str(count), str(cases), "--events", str(events)], check=True)
    return cases


def time_register(cases: Path) -> tuple[float, int]:
    """CPU seconds to make the register of a batch over `cases` (rows, CSV, XLSX with its history
    sheet), the decisions made beforehand (not timed), and the history sheet's rows. The garbage
    collector as the batch's command line sets it."""
    from pipeline.cli import GC_FIRST_GENERATION
    from pipeline.commands.batch import decide_cases
    from pipeline.commands.issue import RunLog
    from pipeline.commands.worklist import Ledger, history_rows, register_rows
    from pipeline.inputs.validate import validate_inputs
    from pipeline.store.register import register_csv, register_xlsx

    collector = gc.get_threshold()
    gc.set_threshold(GC_FIRST_GENERATION, *collector[1:])
    inputs = validate_inputs([cases], ROOT / "shop.yaml")
    assert inputs.shop is not None
    outcomes = decide_cases(inputs.cases, inputs.shop, None, AS_OF, RunLog(), allow_unconfirmed_rates=True)
    ledger = Ledger({})
    started = time.process_time()
    rows = register_rows(outcomes, ledger)
    history = history_rows(outcomes, ledger)
    register_csv(rows)
    register_xlsx(rows, AS_OF, history)
    seconds = time.process_time() - started
    gc.set_threshold(*collector)
    return seconds, len(history)


LABELS = ("without", "with")


def measure_events(cases: dict[str, Path], rounds: int, folder: Path) -> dict:
    """The dry-run batch and its register over the same cases without and with events, alternated
    `rounds` times: each the median of its runs, every run listed."""
    runs: dict[str, list[tuple[float, float, int]]] = {label: [] for label in LABELS}
    for number in range(rounds):
        for label in LABELS:
            command = batch_command(cases[label], folder / f"out-{label}-{number}", folder / f"state-{label}-{number}")
            dry = run_timed([*command, "--dry-run"])
            register_s, history_rows = time_register(cases[label])
            runs[label].append((dry.cpu_s, register_s, history_rows))
    figures: dict = {"rounds": rounds}
    for label in LABELS:
        totals = [dry + register for dry, register, _ in runs[label]]
        figures[label] = {
            "dry_run_s": round(statistics.median(dry for dry, _, _ in runs[label]), 2),
            "register_s": round(statistics.median(register for _, register, _ in runs[label]), 2),
            "history_rows": runs[label][0][2],
            "total_s": round(statistics.median(totals), 2),
            "total_runs_s": [round(total, 2) for total in totals],
        }
    figures["events_vs_none"] = round(figures["with"]["total_s"] / figures["without"]["total_s"], 3)
    return figures


@dataclass(frozen=True)
class TreeRun:
    """A command and every process it started, LibreOffice's included: CPU and wall seconds."""

    cpu_s: float  # the whole tree: the command, what it reaped, and the orphans this process reaped
    own_cpu_s: float  # the command and the children it waited for itself (os.wait4)
    orphans: int  # processes of the tree this process reaped (soffice.bin, oosplash of killed workers)
    seconds: float
    peak_mb: float

    @property
    def orphans_cpu_s(self) -> float:
        return self.cpu_s - self.own_cpu_s


def become_subreaper() -> None:
    """Make this process the one an orphan of its descendants is given to (Linux 3.4+), so that the
    LibreOffice processes of a killed worker group are reaped, and counted, here."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise SystemExit(f"prctl(PR_SET_CHILD_SUBREAPER) failed: {os.strerror(ctypes.get_errno())}")


def reap_orphans(timeout: float = 60.0) -> int:
    """Wait for every child left (the orphans given to this subreaper) and return how many there were;
    their CPU then counts in this process's RUSAGE_CHILDREN."""
    reaped, deadline = 0, time.monotonic() + timeout
    while True:
        try:
            pid, _, _ = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return reaped
        if pid:
            reaped += 1
        elif time.monotonic() > deadline:
            raise SystemExit("processes of the batch still running a minute after it ended: its CPU is not all counted")
        else:
            time.sleep(0.05)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_tree(command: list[str]) -> TreeRun:
    """`command` run to its end, its CPU counted over its whole process tree."""
    become_subreaper()
    reap_orphans()  # nothing of an earlier run left to count here
    before = children_cpu()
    run = run_timed(command)
    orphans = reap_orphans()
    return TreeRun(children_cpu() - before, run.cpu_s, orphans, run.seconds, run.peak_mb)


def documents_by_kind(out: Path) -> dict[str, int]:
    """The PDFs of a batch's out folder by kind (the file name up to the number), print.pdf aside."""
    found: dict[str, int] = {}
    for pdf in out.glob("*/*.pdf"):
        if pdf.parent.name != "batches":
            kind = pdf.name.split("-")[0]
            found[kind] = found.get(kind, 0) + 1
    return dict(sorted(found.items()))


def run_event_batch(cases: Path, out: Path, state: Path) -> tuple[TreeRun, dict[str, int]]:
    """One real batch into a fresh out folder and journal: its run and its PDFs by kind."""
    run = run_tree(batch_command(cases, out, state))
    if not (out / "batches" / AS_OF.isoformat() / "print.pdf").is_file():
        raise SystemExit(f"the batch over {cases} made no print.pdf")
    return run, documents_by_kind(out)


def measure_event_batches(cases: dict[str, Path], folder: Path, rounds: int) -> dict:
    """The real batch (PDFs, journal, print.pdf) over the cases without and with events, `rounds`
    times each in the order without, with, with, without, … (a load that rises or falls through the
    runs weighs on both alike); each figure the median of its runs, every run listed."""
    runs: dict[str, list[TreeRun]] = {label: [] for label in LABELS}
    kinds: list[dict[str, int]] = []
    for number in range(rounds):
        for label in LABELS if number % 2 == 0 else LABELS[::-1]:
            tag = f"{label}-{number}"
            run, by_kind = run_event_batch(cases[label], folder / f"batch-{tag}", folder / f"batch-state-{tag}")
            runs[label].append(run)
            kinds.append(by_kind)
    figures: dict = {"rounds": rounds}
    for label in LABELS:
        done = runs[label]
        figures[label] = {
            "cpu_s": round(statistics.median(run.cpu_s for run in done), 2),
            "batch_process_cpu_s": round(statistics.median(run.own_cpu_s for run in done), 2),
            "libreoffice_orphans_cpu_s": round(statistics.median(run.orphans_cpu_s for run in done), 2),
            "wall_s": round(statistics.median(run.seconds for run in done), 2),
            "peak_mb": round(max(run.peak_mb for run in done), 1),
            "cpu_runs_s": [round(run.cpu_s, 2) for run in done],
            "batch_process_cpu_runs_s": [round(run.own_cpu_s, 2) for run in done],
            "wall_runs_s": [round(run.seconds, 2) for run in done],
            "orphans_reaped": [run.orphans for run in done],
        }
    figures["pdfs_by_kind"] = kinds[0]
    figures["pdfs"] = sum(kinds[0].values())
    figures["same_documents"] = all(by_kind == kinds[0] for by_kind in kinds)
    figures["cpu_events_vs_none"] = round(figures["with"]["cpu_s"] / figures["without"]["cpu_s"], 3)
    figures["wall_events_vs_none"] = round(figures["with"]["wall_s"] / figures["without"]["wall_s"], 3)
    return figures


def measure_floor(docx_files: list[Path], workers: int, folder: Path) -> float:
    """One cold soffice batch per worker over its share of the files, run
    concurrently. A share above FLOOR_BATCH documents is split into batches
    run one after the other on the same profile: LibreOffice 7.4's
    --convert-to silently stops after about 250 documents, exiting 0; and
    every PDF is checked to be there."""
    soffice = find_soffice()
    batches: list[list[list[str]]] = []
    for worker in range(workers):
        inbox, outbox = folder / f"floor-{worker}" / "in", folder / f"floor-{worker}" / "out"
        inbox.mkdir(parents=True)
        share = docx_files[worker::workers]
        # --outdir names PDFs by stem: numbered copies keep two invoice.docx apart.
        for number, source in enumerate(share):
            shutil.copyfile(source, inbox / f"{number}.docx")
        profile = (folder / f"floor-{worker}" / "profile").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
        names = [str(inbox / f"{number}.docx") for number in range(len(share))]
        batches.append(
            [
                [*command, "--outdir", str(outbox), *names[start : start + FLOOR_BATCH]]
                for start in range(0, len(names), FLOOR_BATCH)
            ]
        )

    def run_batches(commands: list[list[str]]) -> None:
        for command in commands:
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=workers) as executor:
        list(executor.map(run_batches, batches))
    seconds = time.monotonic() - started
    made = sum(len(list((folder / f"floor-{worker}" / "out").glob("*.pdf"))) for worker in range(workers))
    if made != len(docx_files):
        raise SystemExit(f"the floor made {made} PDFs of {len(docx_files)}")
    return seconds


def measure_plain_docxtpl(cases: Path) -> tuple[float, int]:
    """Seconds and documents for a plain docxtpl loop: load, render, save,
    with our contexts computed beforehand (not timed)."""
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    from pipeline.figures.calc import compute_figures
    from pipeline.figures.rates import load_key_rates
    from pipeline.inputs.validate import validate_inputs
    from pipeline.word.render import TemplateCache
    from pipeline.wording.context import QrCode, build_context
    from pipeline.wording.qr import payment_qr_png

    inputs = validate_inputs([cases], ROOT / "shop.yaml")
    rates = load_key_rates()
    work = []
    for case in inputs.cases:
        figures = compute_figures(case, inputs.shop, AS_OF, rates, allow_unconfirmed_rates=True)
        for kind in figures.documents_due:
            work.append((kind, build_context(case, inputs.shop, figures, kind)))
    environment = TemplateCache().environment

    def with_images(value, template):
        if isinstance(value, QrCode):
            return InlineImage(template, io.BytesIO(payment_qr_png(value.payload)), width=Mm(value.width_mm))
        if isinstance(value, dict):
            return {key: with_images(item, template) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [with_images(item, template) for item in value]
        return value

    started = time.monotonic()
    for kind, context in work:
        template = DocxTemplate(ROOT / "templates" / f"{kind}.docx")
        template.render(with_images(context, template), jinja_env=environment, autoescape=True)
        template.save(io.BytesIO())
    return time.monotonic() - started, len(work)


def count(folder: Path, suffix: str) -> int:
    return sum(1 for _ in folder.rglob(f"*{suffix}"))


def measure(count_cases: int, workers: int, folder: Path, rounds: int) -> dict:
    cases = make_cases(count_cases, folder)
    # DOCX alone: the documents without a journal number (a numbered letter is issued only with its PDF).
    docx_only = run_timed([*build_command(cases, folder / "docx"), "--format", "docx"])
    docx_documents = count(folder / "docx", ".docx")
    floors, colds = [], []
    for number in range(rounds):  # alternated, so that a load that comes and goes weighs on both alike
        out = folder / f"out-{number}"
        colds.append(measure_cold_build(cases, out))
        # The floor converts the very DOCX files the cold build made, the issued letters included.
        floors.append(measure_floor(sorted(out.rglob("*.docx")), workers, folder / f"floor-round-{number}"))
    documents = count(out, ".docx")
    seconds = statistics.median(run_timed(build_command(cases, out)).seconds for _ in range(rounds))
    plain_seconds, plain_documents = measure_plain_docxtpl(cases)
    cold_s = statistics.median(run.seconds for run in colds)
    per_hour = documents_per_hour(cases, documents, cold_s, folder)
    ratios = [cold.seconds / floor for cold, floor in zip(colds, floors, strict=True)]
    return {
        "cases": count_cases,
        "documents": documents,
        "workers": workers,
        "rounds": rounds,
        "floor_s": round(statistics.median(floors), 2),
        "floor_runs_s": [round(seconds, 2) for seconds in floors],
        "cold_build_s": round(cold_s, 2),
        "cold_build_runs_s": [round(run.seconds, 2) for run in colds],
        "cold_build_peak_mb": round(max(run.peak_mb for run in colds), 1),
        "build_vs_floor": round(statistics.median(ratios), 3),
        "build_vs_floor_runs": [round(ratio, 3) for ratio in ratios],
        "docx_build_s": round(docx_only.seconds, 2),
        "docx_ms_per_document": round(1000 * docx_only.seconds / docx_documents, 1),
        "plain_docxtpl_ms_per_document": round(1000 * plain_seconds / plain_documents, 1),
        "docx_speedup": round((plain_seconds / plain_documents) / (docx_only.seconds / docx_documents), 2),
        "second_build_s": round(seconds, 2),  # the median of --rounds second builds
        "second_vs_cold": round(seconds / cold_s, 3),
        "documents_per_hour": per_hour,
    }


def measure_cold_build(cases: Path, out: Path) -> Run:
    """A cold build into an empty folder, checked to have made the PDF of every DOCX."""
    cold = run_timed(build_command(cases, out))
    documents = count(out, ".docx")
    if count(out, ".pdf") != documents:
        raise SystemExit(f"the build made {count(out, '.pdf')} PDFs of {documents}")
    return cold


def documents_per_hour(cases: Path, documents: int, cold_build_s: float, folder: Path) -> dict:
    """Documents per hour of a cold build: the local pool's (measured already), and on 1 and 2 unoserver servers."""
    per_hour = {"local": round(documents * 3600 / cold_build_s)}
    python = unoserver_python()
    if python is None:
        print("unoserver is not installed (make unoserver): its documents per hour are not measured", file=sys.stderr)
        return per_hour
    for number in (1, 2):
        out = folder / f"out-unoserver-{number}"
        with local_unoservers(number, folder / f"unoservers-{number}", python) as servers:
            run = run_timed([*build_command(cases, out), "--converter", converter_url(servers)])
        made = count(out, ".pdf")
        if made != documents:
            raise SystemExit(f"the build on {number} unoserver server(s) made {made} PDFs of {documents}")
        per_hour[f"unoserver_{number}"] = round(documents * 3600 / run.seconds)
    return per_hour


def scale(count_cases: int, workers: int, folder: Path) -> dict:
    cases = make_cases(count_cases, folder)
    cold = run_timed(build_command(cases, folder / "out-scale"))
    batch = run_timed(batch_command(cases, folder / "out-batch", folder / "state-batch"))
    print_pdf = folder / "out-batch" / "batches" / AS_OF.isoformat() / "print.pdf"
    if not print_pdf.is_file():
        raise SystemExit(f"the batch made no {print_pdf}")
    return {
        "cases": count_cases,
        "cold_build_s": round(cold.seconds, 2),
        "cold_build_peak_mb": round(cold.peak_mb, 1),
        "batch_letters": count(folder / "out-batch", ".pdf") - 1,  # print.pdf aside
        "batch_s": round(batch.seconds, 2),
        "batch_peak_mb": round(batch.peak_mb, 1),
        "print_pdf_mb": round(print_pdf.stat().st_size / 2**20, 1),
    }


def verdicts(figures: dict) -> list[tuple[str, str, str, bool]]:
    """(target, limit, measured, passed) rows."""
    ratio = figures["build_vs_floor"]
    rows = [
        ("cold build / floor (median)", f"≤ {COLD_TARGET}", f"{ratio:.3f}", ratio <= COLD_TARGET),
        ("docx: plain docxtpl / build", "≥ 4", f"{figures['docx_speedup']:.2f}", figures["docx_speedup"] >= 4),
        ("second build / cold", "≤ 0.03", f"{figures['second_vs_cold']:.3f}", figures["second_vs_cold"] <= 0.03),
    ]
    big = figures.get("scale")
    if big:
        per_doc_growth = (big["cold_build_s"] / big["cases"]) / (figures["cold_build_s"] / figures["cases"])
        rows.append(("peak memory, MB", "≤ 300", f"{big['cold_build_peak_mb']:.0f}", big["cold_build_peak_mb"] <= 300))
        rows.append(("batch peak memory, MB", "≤ 300", f"{big['batch_peak_mb']:.0f}", big["batch_peak_mb"] <= 300))
        rows.append(("time per case, 10× cases / 1×", "≤ 1.15", f"{per_doc_growth:.2f}", per_doc_growth <= 1.15))
    return rows


def spread(values: list[float]) -> str:
    return f"[{', '.join(f'{value:g}' for value in values)}; spread {max(values) - min(values):.3g}]"


def print_per_hour(per_hour: dict, workers: int) -> None:
    names = {
        "local": f"local pool, {workers} workers",
        "unoserver_1": "1 unoserver server (local)",
        "unoserver_2": "2 unoserver servers (local)",
    }
    for key, name in names.items():
        if key in per_hour:
            print(f"documents per hour, {name:30} {per_hour[key]:>8}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, help=f"cases to generate (default: 200; with --events {EVENTS_CASES})")
    parser.add_argument("--scale", action="store_true", help="also a cold build of 10 × the cases (linearity, memory)")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="soffice processes for the floor")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="floor and cold build (with --events: the dry runs) alternated this many times",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--events", type=int, default=0, metavar="K", help="only the cost of K events per case")
    parser.add_argument(
        "--batch-rounds", type=int, default=2, help="with --events: the real batches, each this many times (2)"
    )
    args = parser.parse_args()
    if args.events:
        return main_events(args.cases or EVENTS_CASES, args.events, args.rounds, args.batch_rounds, args.json)
    args.cases = args.cases or 200
    with tempfile.TemporaryDirectory(prefix="bench-") as temporary:
        folder = Path(temporary)
        figures = {"load_before": os.getloadavg()[0], **measure(args.cases, args.workers, folder, args.rounds)}
        if args.scale:
            figures["scale"] = scale(args.cases * 10, args.workers, folder)
        figures["load_after"] = os.getloadavg()[0]
    rows = verdicts(figures)
    figures["passed"] = all(passed for *_, passed in rows)
    print(json.dumps(figures, indent=2))
    print()
    print(
        f"{figures['cases']} cases, {figures['documents']} documents, {figures['workers']} workers; "
        f"load {figures['load_before']:.2f} → {figures['load_after']:.2f}; medians of {figures['rounds']} rounds "
        f"alternated (each run in brackets):"
    )
    print(f"floor {figures['floor_s']} s {spread(figures['floor_runs_s'])}")
    print(f"cold build {figures['cold_build_s']} s {spread(figures['cold_build_runs_s'])}")
    print(f"cold build / floor {figures['build_vs_floor']:.3f} {spread(figures['build_vs_floor_runs'])}")
    big = figures.get("scale")
    if big:
        print(
            f"{big['cases']} cases: cold build {big['cold_build_s']} s; batch {big['batch_s']} s, "
            f"{big['batch_letters']} letters, print.pdf {big['print_pdf_mb']} MB"
        )
    print_per_hour(figures["documents_per_hour"], figures["workers"])
    print(f"{'target':32} {'limit':>8} {'measured':>9}  result")
    for target, limit, measured, passed in rows:
        print(f"{target:32} {limit:>8} {measured:>9}  {'PASS' if passed else 'FAIL'}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if figures["passed"] else 1


def main_events(count_cases: int, events: int, rounds: int, batch_rounds: int, json_path: Path | None) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-") as temporary:
        folder = Path(temporary)
        load_before = os.getloadavg()[0]
        cases = {
            label: make_cases(count_cases, folder, per_case)
            for label, per_case in zip(LABELS, (0, events), strict=True)
        }
        figures: dict = {"cases": count_cases, "events_per_case": events}
        figures["dry_run"] = measure_events(cases, rounds, folder)
        figures["batch"] = measure_event_batches(cases, folder, batch_rounds)
        figures["load"] = [load_before, os.getloadavg()[0]]
    batch = figures["batch"]
    figures["passed"] = batch["same_documents"] and batch["cpu_events_vs_none"] <= EVENTS_TARGET
    print(json.dumps(figures, indent=2))
    print_events(figures)
    if json_path:
        json_path.write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if figures["passed"] else 1


def print_events(figures: dict) -> None:
    cases, events, dry, batch = figures["cases"], figures["events_per_case"], figures["dry_run"], figures["batch"]
    print(
        f"\n{cases} cases without and with {events} events each; "
        f"load {figures['load'][0]:.2f} → {figures['load'][1]:.2f}"
    )
    for label in LABELS:
        run = dry[label]
        print(
            f"{label:>7}: dry-run batch {run['dry_run_s']} s + register {run['register_s']} s "
            f"({run['history_rows']} history rows) = {run['total_s']} s CPU, medians of {dry['rounds']} "
            f"{spread(run['total_runs_s'])}"
        )
    for label in LABELS:
        run = batch[label]
        print(
            f"{label:>7}: batch {run['cpu_s']} s CPU {spread(run['cpu_runs_s'])} (batch process "
            f"{run['batch_process_cpu_s']} s, LibreOffice reaped here {run['libreoffice_orphans_cpu_s']} s), "
            f"{run['wall_s']} s wall {spread(run['wall_runs_s'])}; medians of {batch['rounds']}"
        )
    print(f"each batch: {batch['pdfs']} PDFs {batch['pdfs_by_kind']}")
    print(f"{'target':36} {'limit':>8} {'measured':>9}  result")
    print(f"{'dry run + register, with / without':36} {'—':>8} {dry['events_vs_none']:>9.3f}  (the events' own cost)")
    print(f"{'batch wall, with / without':36} {'—':>8} {batch['wall_events_vs_none']:>9.3f}")
    verdict = "PASS" if batch["same_documents"] else "FAIL"
    print(f"{'the same documents issued':36} {'=':>8} {str(batch['same_documents']):>9}  {verdict}")
    verdict = "PASS" if batch["cpu_events_vs_none"] <= EVENTS_TARGET else "FAIL"
    print(
        f"{'batch CPU, with / without':36} {'≤ ' + str(EVENTS_TARGET):>8} "
        f"{batch['cpu_events_vs_none']:>9.3f}  {verdict}"
    )


if __name__ == "__main__":
    sys.exit(main())
