"""The command line: parse options, call one command (pipeline/commands/), print
its report and exit with `report.exit_code` (docs/cli.md). Only this module
prints or exits.

Exit codes: 0 all good; 1 some input is wrong (the rest was still done);
2 the command line is wrong; 3 the machine cannot do the job.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.documents import JOURNALLED, KIND_NAMES
from pipeline.errors import InputError, PipelineError, UsageError
from pipeline.resources import CASES_DIR, OUT_DIR, SHOP_FILE, STATE_DIR, default_templates_dir

if TYPE_CHECKING:
    from pipeline.commands.batch import BatchReport
    from pipeline.commands.build import BuildReport
    from pipeline.commands.check_templates import CheckReport, ReferenceWritten
    from pipeline.commands.figures import FiguresReport
    from pipeline.commands.validate import ValidateReport

    Report = ValidateReport | FiguresReport | CheckReport | ReferenceWritten | BuildReport | BatchReport

FORMATS = ("docx", "pdf")
REFERENCE_NAME = "docs/template-variables.md"  # check_templates.REFERENCE_PATH, not imported until needed


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text) if len(text) == 10 else date.fromisoformat("")
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» — не дата (ГГГГ-ММ-ДД, например 2026-11-20)") from None


def _kinds(text: str) -> frozenset[str]:
    kinds = frozenset(part.strip() for part in text.split(",") if part.strip())
    unknown = sorted(kinds - set(KIND_NAMES))
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(
            f"неизвестный вид документа {', '.join(unknown)} (допустимо: {', '.join(KIND_NAMES)})"
        )
    return kinds


def _formats(text: str) -> frozenset[str]:
    formats = frozenset(part.strip() for part in text.split(",") if part.strip())
    if not formats or formats - set(FORMATS):
        raise argparse.ArgumentTypeError(f"«{text}» — допустимо docx, pdf или docx,pdf")
    return formats


def _jobs(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"«{text}» — нужно целое число от 1 до 64")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sub: argparse.ArgumentParser, with_as_of: bool = True) -> None:
        sub.add_argument("--shop", type=Path, default=SHOP_FILE, help="shop profile (default: shop.yaml)")
        if with_as_of:
            sub.add_argument(
                "--as-of",
                type=_as_of,
                default=None,
                metavar="YYYY-MM-DD",
                help="the date every calculation is made at (default: today)",
            )

    def templates_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--templates",
            type=Path,
            default=None,
            metavar="DIR",
            help="the Word templates' folder (default: templates/ here, else the templates shipped with the program)",
        )

    validate = commands.add_parser("validate", help="check the shop profile and cases; write nothing")
    validate.add_argument("paths", nargs="*", type=Path, default=[CASES_DIR], metavar="PATH")
    common(validate, with_as_of=False)

    figures = commands.add_parser("figures", help="print the computed figures of one case, with the arithmetic")
    figures.add_argument("case", type=Path, metavar="CASE.yaml")
    figures.add_argument("--json", action="store_true", help="print JSON instead of text")
    common(figures)

    build = commands.add_parser("build", help="render every document due for the cases into out/")
    build.add_argument("paths", nargs="*", type=Path, default=[CASES_DIR], metavar="PATH")
    common(build)
    build.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (default: out/)")
    build.add_argument("--format", type=_formats, default=frozenset(FORMATS), help="docx, pdf or docx,pdf (default)")
    build.add_argument(
        "--only",
        type=_kinds,
        default=None,
        metavar="KIND[,KIND]",
        help=f"build only these kinds: {', '.join(KIND_NAMES)}",
    )
    build.add_argument("--jobs", type=_jobs, default=os.cpu_count() or 1, help="LibreOffice workers (default: cores)")
    build.add_argument("--pdf-a", action="store_true", help="PDF/A-2b for archiving: every font embedded")
    templates_option(build)

    batch = commands.add_parser("batch", help="the monthly collections run: next letters, journal, register")
    batch.add_argument("paths", nargs="*", type=Path, default=[CASES_DIR], metavar="PATH")
    common(batch)
    batch.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (default: out/)")
    batch.add_argument("--state", type=Path, default=STATE_DIR, help="journal folder (default: state/)")
    batch.add_argument("--dry-run", action="store_true", help="say what would be issued; write nothing")
    batch.add_argument("--jobs", type=_jobs, default=os.cpu_count() or 1, help="LibreOffice workers (default: cores)")
    batch.add_argument("--pdf-a", action="store_true", help="PDF/A-2b for archiving: every font embedded")
    templates_option(batch)

    check = commands.add_parser("check-templates", help="check the Word templates and render each with the examples")
    check.add_argument(
        "template_files", nargs="*", type=Path, metavar="TEMPLATE", help="default: every templates/*.docx"
    )
    check.add_argument("--cases", type=Path, action="append", help="example cases to render (default: cases/)")
    check.add_argument("--shop", type=Path, default=SHOP_FILE, help="shop profile (default: shop.yaml)")
    check.add_argument(
        "--as-of", type=_as_of, metavar="YYYY-MM-DD", help="date of the example documents (default: 2026-11-23)"
    )
    templates_option(check)
    check.add_argument("--write-reference", action="store_true", help=f"rewrite {REFERENCE_NAME} and exit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
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
    _print_summary(report, time.monotonic() - started)
    return report.exit_code


def _print_lines(lines: Iterable[object]) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def _validate(args: argparse.Namespace) -> Report:
    from pipeline.commands.validate import run_validate

    return run_validate(args.paths, args.shop)


def _figures(args: argparse.Namespace) -> Report:
    from pipeline.commands.figures import run_figures

    report = run_figures(args.case, args.shop, args.as_of or date.today())
    print(report.json if args.json else report.text)
    return report


def _check_templates(args: argparse.Namespace) -> Report:
    from pipeline.commands.check_templates import SAMPLE_AS_OF, ReferenceWritten, run_check_templates, write_reference

    if args.write_reference:
        return ReferenceWritten(write_reference())
    return run_check_templates(
        args.template_files,
        args.cases or [CASES_DIR],
        args.shop,
        args.as_of or SAMPLE_AS_OF,
        args.templates or default_templates_dir(),
    )


def _build(args: argparse.Namespace) -> Report:
    from pipeline.commands.build import BuildOptions, run_build

    _require_folder("--out", args.out)
    options = BuildOptions(
        out_dir=args.out,
        as_of=args.as_of or date.today(),
        formats=args.format,
        only=args.only,
        jobs=args.jobs,
        pdf_a=args.pdf_a,
        templates_dir=args.templates or default_templates_dir(),
    )
    with _progress_bar(sys.stderr.isatty()) as progress:
        return run_build(args.paths, args.shop, options, progress=progress)


def _batch(args: argparse.Namespace) -> Report:
    from pipeline.commands.batch import BatchOptions, run_batch

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
    )
    with _progress_bar(sys.stderr.isatty() and not args.dry_run) as progress:
        return run_batch(args.paths, args.shop, options, progress=progress)


def _require_folder(option: str, folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{option} {folder}: это файл, а нужна папка")


COMMANDS: dict[str, Callable[[argparse.Namespace], Report]] = {
    "validate": _validate,
    "figures": _figures,
    "check-templates": _check_templates,
    "build": _build,
    "batch": _batch,
}


def _print_summary(report: Report, seconds: float) -> None:
    """Problems and warnings on stderr, then the command's own lines."""
    from pipeline.commands.batch import BatchReport
    from pipeline.commands.build import BuildReport
    from pipeline.commands.check_templates import CheckReport, ReferenceWritten
    from pipeline.commands.figures import FiguresReport
    from pipeline.commands.validate import ValidateReport

    elapsed = f"{seconds:.1f} с".replace(".", ",", 1)
    if isinstance(report, ValidateReport):
        _print_lines(report.problems)
        ok = report.files_checked - report.failed_files
        _print_lines(
            [
                f"Проверено файлов: {report.files_checked}, без ошибок: {ok}, "
                f"с ошибками: {report.failed_files} (ошибок: {len(report.problems)})"
            ]
        )
    elif isinstance(report, FiguresReport):
        _print_lines(report.warnings)
    elif isinstance(report, ReferenceWritten):
        _print_lines([f"записан {report.path}"])
    elif isinstance(report, CheckReport):
        _print_lines([*report.input_problems, *report.problems, *report.warnings])
        _print_lines(
            [
                f"Шаблонов проверено: {len(report.templates)}, с ошибками: {report.failed_templates}, ошибок: "
                f"{len(report.problems) + len(report.input_problems)}, образцов собрано: {report.rendered}"
            ]
        )
    elif isinstance(report, BuildReport):
        _print_lines([*report.problems, *report.warnings])
        _print_lines(
            [
                f"Дел: {report.cases_total}, собрано: {report.cases_built}, документов записано: "
                f"{len(report.written)}, без изменений: {report.unchanged}, ошибок: {len(report.problems)}, {elapsed}"
            ]
        )
    elif isinstance(report, BatchReport):
        _print_batch(report, elapsed)


def _print_batch(report: BatchReport, elapsed: str) -> None:
    _print_lines([*report.problems, *report.warnings])
    for outcome in report.outcomes:
        if outcome.new:
            print(f"{outcome.case.id}: {outcome.title} {outcome.number} ({outcome.decision.reason})")
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
