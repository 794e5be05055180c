"""The command line: parse options, call one command (pipeline/commands/), print
its report and exit with `report.exit_code` (docs/cli.md). Only this module
prints or exits.

Exit codes: 0 all good; 1 some input is wrong (the rest was still done);
2 the command line is wrong; 3 the machine cannot do the job.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.arguments import build_parser
from pipeline.documents import JOURNALLED
from pipeline.errors import InputError, PipelineError, UsageError
from pipeline.resources import CASES_DIR, default_templates_dir

if TYPE_CHECKING:
    from pipeline.commands.batch import BatchReport
    from pipeline.commands.build import BuildReport
    from pipeline.commands.check_templates import CheckReport, ReferenceWritten
    from pipeline.commands.figures import FiguresReport
    from pipeline.commands.history import HistoryReport
    from pipeline.commands.post import PostImportReport
    from pipeline.commands.rates import RatesReport
    from pipeline.commands.validate import ValidateReport

    Report = (
        ValidateReport
        | FiguresReport
        | CheckReport
        | ReferenceWritten
        | BuildReport
        | BatchReport
        | HistoryReport
        | RatesReport
        | PostImportReport
    )


# The garbage collector's first generation is collected every this many new objects (Python's
# default 700). A batch keeps every case it read until the register is written; at 700 the collector
# walked those cases again and again: a quarter of reading 2 000 cases. Objects in cycles (the only
# ones it frees) are rare here, so collecting a little less often costs no memory worth naming.
GC_FIRST_GENERATION = 20_000


def main(argv: Sequence[str] | None = None) -> int:
    gc.set_threshold(GC_FIRST_GENERATION, *gc.get_threshold()[1:])
    args = build_parser().parse_args(argv)
    started = time.monotonic()
    try:
        report = COMMANDS[args.command](args)
    except InputError as err:
        _print_lines(err.problems)
        return err.exit_code
    except PipelineError as err:
        print(f"ошибка: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("прервано", file=sys.stderr)
        return 130
    PRINTERS[args.command](report, f"{time.monotonic() - started:.1f} с".replace(".", ",", 1))
    return report.exit_code


def _print_lines(lines: Iterable[object]) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def _validate(args: argparse.Namespace) -> Report:
    from pipeline.commands.validate import run_validate

    return run_validate(args.paths, args.shop)


def _figures(args: argparse.Namespace) -> Report:
    from pipeline.commands.figures import run_figures

    report = run_figures(args.case, args.shop, args.as_of or date.today(), args.allow_unconfirmed_rates)
    print(report.json if args.json else report.text)
    return report


def _check_templates(args: argparse.Namespace) -> Report:
    from pipeline.commands.check_templates import SAMPLE_AS_OF, ReferenceWritten, run_check_templates, write_reference

    if args.write_reference:
        from pipeline.inputs.schema_reference import write_case_format

        return ReferenceWritten((write_reference(), write_case_format()))
    return run_check_templates(
        args.template_files,
        args.cases or [CASES_DIR],
        args.shop,
        args.as_of or SAMPLE_AS_OF,
        args.templates or default_templates_dir(),
        args.samples,
    )


def _build(args: argparse.Namespace) -> Report:
    from pipeline.commands.build import BuildOptions, run_build
    from pipeline.pdf.converters import LOCAL

    _require_folder("--out", args.out)
    _require_folder("--state", args.state)
    options = BuildOptions(
        out_dir=args.out,
        as_of=args.as_of or date.today(),
        state_dir=args.state,
        draft=args.draft,
        formats=args.format,
        only=args.only,
        jobs=args.jobs,
        pdf_a=args.pdf_a,
        templates_dir=args.templates or default_templates_dir(),
        allow_unconfirmed_rates=args.allow_unconfirmed_rates,
        converter=args.converter or LOCAL,
        journal_url=args.journal,
    )
    with _progress_bar(sys.stderr.isatty()) as progress:
        report = run_build(args.paths, args.shop, options, progress=progress)
    for path in report.written:
        print(path)
    if args.open:
        _open_documents(report.written)
    return report


OPEN_AT_MOST = 5  # a build of the whole folder must not open hundreds of windows


def _open_documents(written: Sequence[Path]) -> None:
    """Open the PDFs just written (the DOCX files when no PDF was made) where there is a desktop."""
    pdfs = [path for path in written if path.suffix == ".pdf"] or list(written)
    if not pdfs:
        return
    opener = shutil.which("xdg-open")
    if opener is None or not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        print(f"предупреждение: --open: здесь нет рабочего стола; откройте {pdfs[0]}", file=sys.stderr)
        return
    for path in pdfs[:OPEN_AT_MOST]:
        subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if len(pdfs) > OPEN_AT_MOST:
        print(f"предупреждение: --open: открыты первые {OPEN_AT_MOST} из {len(pdfs)}", file=sys.stderr)


def _batch(args: argparse.Namespace) -> Report:
    from pipeline.commands.batch import BatchOptions, run_batch
    from pipeline.pdf.converters import LOCAL

    _require_folder("--out", args.out)
    _require_folder("--state", args.state)
    options = BatchOptions(
        out_dir=args.out,
        state_dir=args.state,
        as_of=args.as_of or date.today(),
        dry_run=args.dry_run,
        jobs=args.jobs,
        pdf_a=args.pdf_a,
        templates_dir=args.templates or default_templates_dir(),
        allow_unconfirmed_rates=args.allow_unconfirmed_rates,
        converter=args.converter or LOCAL,
        journal_url=args.journal,
        duplex=args.duplex,
    )
    with _progress_bar(sys.stderr.isatty() and not args.dry_run) as progress:
        return run_batch(args.paths, args.shop, options, progress=progress)


def _history(args: argparse.Namespace) -> Report:
    from pipeline.commands.history import run_history

    _require_folder("--state", args.state)
    report = run_history(args.case, args.shop, args.state)
    for line in report.lines:
        print(line)
    return report


def _rates(args: argparse.Namespace) -> Report:
    from pipeline.commands.rates import run_rates_update

    return run_rates_update(args.file, date.today())


def _post(args: argparse.Namespace) -> Report:
    from pipeline.commands.post import run_post_import

    return run_post_import(args.file, args.cases or [CASES_DIR], args.state, args.as_of or date.today())


def _require_folder(option: str, folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{option} {folder}: это файл, а нужна папка")


COMMANDS: dict[str, Callable[[argparse.Namespace], Report]] = {
    "validate": _validate,
    "figures": _figures,
    "check-templates": _check_templates,
    "build": _build,
    "batch": _batch,
    "history": _history,
    "rates": _rates,
    "post": _post,
}


def _print_validate(report: ValidateReport, elapsed: str) -> None:
    _print_lines([*report.problems, *report.warnings])
    ok = report.files_checked - report.failed_files
    _print_lines(
        [
            f"Проверено файлов: {report.files_checked}, без ошибок: {ok}, "
            f"с ошибками: {report.failed_files} (ошибок: {len(report.problems)})"
        ]
    )


def _print_warnings(report: FiguresReport | HistoryReport, elapsed: str) -> None:
    _print_lines(report.warnings)


def _print_check(report: CheckReport | ReferenceWritten, elapsed: str) -> None:
    from pipeline.commands.check_templates import ReferenceWritten  # loaded already by the command

    if isinstance(report, ReferenceWritten):
        _print_lines([f"записан {path}" for path in report.paths])
        return
    _print_lines([*report.input_problems, *report.problems, *report.warnings])
    _print_lines(
        [
            f"Шаблонов проверено: {len(report.templates)}, с ошибками: {report.failed_templates}, ошибок: "
            f"{len(report.errors)}, образцов собрано: {report.rendered}"
        ]
    )


def _print_build(report: BuildReport, elapsed: str) -> None:
    _print_lines([*report.problems, *report.warnings])
    _print_lines(
        [
            f"Дел: {report.cases_total}, собрано: {report.cases_built}, документов записано: "
            f"{len(report.written)}, без изменений: {report.unchanged}, писем с номером выпущено: "
            f"{len(report.issued)}, ошибок: {len(report.problems)}, {elapsed}"
        ]
    )


def _print_rates(report: RatesReport, elapsed: str) -> None:
    for line in report.lines:
        print(line)
    _print_lines([report.summary])


def _print_batch(report: BatchReport, elapsed: str) -> None:
    from pipeline.commands.batch_lines import issued_lines, waiting_lines

    _print_lines([*report.problems, *report.warnings])
    for line in (*issued_lines(report), *waiting_lines(report)):
        print(line)
    for number in report.repaired:
        print(f"{number}: файлы восстановлены")
    if report.dry_run:
        print("Пробный запуск (--dry-run): ничего не записано, номера предварительные")
    elif report.folder is not None:
        print(f"Реестр и файлы для печати: {report.folder}")
    issued = ", ".join(f"{kind.plural}: {report.issued(kind.name)}" for kind in JOURNALLED)
    _print_lines(
        [
            f"Дел: {report.cases_total}, {issued}, уже в журнале: {report.repeated}, "
            f"без нового документа: {report.skipped}, закрыто: {report.closed}, ошибок: {len(report.problems)}, "
            f"{elapsed}"
        ]
    )


def _print_post(report: PostImportReport, elapsed: str) -> None:
    _print_lines([*report.problems, *report.warnings])
    for line in report.written:
        print(line)
    _print_lines(
        [
            f"Записано отправок: {len(report.written)}, уже были: {report.present}, "
            f"ошибок: {len(report.problems)}, {elapsed}"
        ]
    )


# Each command's report printed its own way; by name, so that printing imports no other command's
# modules (a build with nothing to redo must not load the batch's).
PRINTERS: dict[str, Callable[[Any, str], None]] = {
    "validate": _print_validate,
    "figures": _print_warnings,
    "check-templates": _print_check,
    "build": _print_build,
    "batch": _print_batch,
    "history": _print_warnings,
    "rates": _print_rates,
    "post": _print_post,
}


@contextmanager
def _progress_bar(on_terminal: bool) -> Iterator[_ProgressBar | None]:
    bar = _ProgressBar() if on_terminal else None
    try:
        yield bar
    finally:
        if bar:
            bar.finish()


class _ProgressBar:
    """A one-line bar on stderr, redrawn in place; only used on a terminal."""

    def __init__(self, width: int = 30):
        self.width = width
        self.drawn = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        filled = self.width * done // max(total, 1)
        bar = "█" * filled + "·" * (self.width - filled)
        sys.stderr.write(f"\r{stage:<12} [{bar}] {done}/{total}")
        sys.stderr.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            sys.stderr.write("\r" + " " * (self.width + 30) + "\r")
            sys.stderr.flush()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
