"""The command line: parse options, call one function of api.py, print what it
returns and exit with the code of cli.md. Only this module prints or exits.

Exit codes: 0 all good; 1 some input is wrong (the rest was still done);
2 the command line is wrong; 3 the machine cannot do the job.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from pipeline.commands import api
from pipeline.errors import InputError, PipelineError, UsageError
from pipeline.models import DOCUMENT_KINDS, Problem

FORMATS = ("docx", "pdf")
REFERENCE_NAME = "docs/template-variables.md"  # check_templates.REFERENCE_PATH, not imported until needed


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text) if len(text) == 10 else date.fromisoformat("")
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» — не дата (ГГГГ-ММ-ДД, например 2026-11-20)") from None


def _kinds(text: str) -> frozenset[str]:
    kinds = frozenset(part.strip() for part in text.split(",") if part.strip())
    unknown = sorted(kinds - set(DOCUMENT_KINDS))
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(
            f"неизвестный вид документа {', '.join(unknown)} (допустимо: {', '.join(DOCUMENT_KINDS)})"
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
        sub.add_argument("--shop", type=Path, default=Path("shop.yaml"), help="shop profile (default: shop.yaml)")
        if with_as_of:
            sub.add_argument(
                "--as-of",
                type=_as_of,
                default=None,
                metavar="YYYY-MM-DD",
                help="the date every calculation is made at (default: today)",
            )

    validate = commands.add_parser("validate", help="check the shop profile and cases; write nothing")
    validate.add_argument("paths", nargs="*", type=Path, default=[Path("cases")], metavar="PATH")
    common(validate, with_as_of=False)

    figures = commands.add_parser("figures", help="print the computed figures of one case, with the arithmetic")
    figures.add_argument("case", type=Path, metavar="CASE.yaml")
    figures.add_argument("--json", action="store_true", help="print JSON instead of text")
    common(figures)

    build = commands.add_parser("build", help="render every document due for the cases into out/")
    build.add_argument("paths", nargs="*", type=Path, default=[Path("cases")], metavar="PATH")
    common(build)
    build.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out/)")
    build.add_argument("--format", type=_formats, default=frozenset(FORMATS), help="docx, pdf or docx,pdf (default)")
    build.add_argument(
        "--only",
        type=_kinds,
        default=None,
        metavar="KIND[,KIND]",
        help=f"build only these kinds: {', '.join(DOCUMENT_KINDS)}",
    )
    build.add_argument("--jobs", type=_jobs, default=os.cpu_count() or 1, help="LibreOffice workers (default: cores)")
    build.add_argument("--pdf-a", action="store_true", help="PDF/A-2b for archiving: every font embedded")

    batch = commands.add_parser("batch", help="the monthly collections run: next letters, journal, register")
    batch.add_argument("paths", nargs="*", type=Path, default=[Path("cases")], metavar="PATH")
    common(batch)
    batch.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out/)")
    batch.add_argument("--state", type=Path, default=Path("state"), help="journal folder (default: state/)")
    batch.add_argument("--dry-run", action="store_true", help="say what would be issued; write nothing")
    batch.add_argument("--jobs", type=_jobs, default=os.cpu_count() or 1, help="LibreOffice workers (default: cores)")
    batch.add_argument("--pdf-a", action="store_true", help="PDF/A-2b for archiving: every font embedded")

    check = commands.add_parser("check-templates", help="check the Word templates and render each with the examples")
    check.add_argument("templates", nargs="*", type=Path, metavar="TEMPLATE", help="default: every templates/*.docx")
    check.add_argument("--cases", type=Path, action="append", help="example cases to render (default: cases/)")
    check.add_argument("--shop", type=Path, default=Path("shop.yaml"), help="shop profile (default: shop.yaml)")
    check.add_argument(
        "--as-of", type=_as_of, metavar="YYYY-MM-DD", help="date of the example documents (default: 2026-11-23)"
    )
    check.add_argument("--write-reference", action="store_true", help=f"rewrite {REFERENCE_NAME} and exit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    started = time.monotonic()
    try:
        if args.command == "validate":
            return _validate(args)
        if args.command == "figures":
            return _figures(args)
        if args.command == "check-templates":
            return _check_templates(args)
        if args.command == "batch":
            return _batch(args, started)
        return _build(args, started)
    except InputError as err:
        _print_problems(err.problems)
        return err.exit_code
    except PipelineError as err:
        print(f"ошибка: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("прервано", file=sys.stderr)
        return 130


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _print_problems_and_warnings(problems: Sequence[Problem], warnings: Sequence[str]) -> None:
    _print_problems(problems)
    for warning in warnings:
        print(f"предупреждение: {warning}", file=sys.stderr)


def _exit_code(problems: Sequence[Problem], environment_failed: bool) -> int:
    """3 when the machine failed the job, 1 when some input was wrong, else 0."""
    if environment_failed:
        return 3
    return 1 if problems else 0


def _validate(args: argparse.Namespace) -> int:
    inputs = api.validate(args.paths, args.shop)
    _print_problems(inputs.problems)
    print(
        f"Проверено файлов: {inputs.files_checked}, без ошибок: {inputs.files_checked - inputs.failed_files}, "
        f"с ошибками: {inputs.failed_files} (ошибок: {len(inputs.problems)})",
        file=sys.stderr,
    )
    return 1 if inputs.problems else 0


def _figures(args: argparse.Namespace) -> int:
    as_of = args.as_of or date.today()
    case, figures, text, as_json = api.figures(args.case, args.shop, as_of)
    print(as_json if args.json else text)
    for warning in figures.warnings:
        print(f"предупреждение: {warning}", file=sys.stderr)
    return 0


def _check_templates(args: argparse.Namespace) -> int:
    from pipeline.commands.check_templates import SAMPLE_AS_OF, write_reference  # heavy: docxtpl, lxml

    if args.write_reference:
        write_reference()
        print(f"записан {REFERENCE_NAME}", file=sys.stderr)
        return 0
    report = api.check_template_files(
        args.templates, args.cases or [Path("cases")], args.shop, args.as_of or SAMPLE_AS_OF
    )
    for problem in (*report.input_problems, *report.problems):
        print(problem, file=sys.stderr)
    for warning in report.warnings:
        print(f"предупреждение: {warning}", file=sys.stderr)
    failed = len({problem.template for problem in report.problems})
    print(
        f"Шаблонов проверено: {len(report.templates)}, с ошибками: {failed}, ошибок: "
        f"{len(report.problems) + len(report.input_problems)}, образцов собрано: {report.rendered}",
        file=sys.stderr,
    )
    return 1 if report.problems or report.input_problems else 0


def _build(args: argparse.Namespace, started: float) -> int:
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out {args.out}: это файл, а нужна папка")
    options = api.BuildOptions(
        out_dir=args.out,
        as_of=args.as_of or date.today(),
        formats=args.format,
        only=args.only,
        jobs=args.jobs,
        pdf_a=args.pdf_a,
    )
    progress = _ProgressBar() if sys.stderr.isatty() else None
    report = api.build(args.paths, args.shop, options, progress=progress)
    if progress:
        progress.finish()
    _print_problems_and_warnings(report.problems, report.warnings)
    print(
        f"Дел: {report.cases_total}, собрано: {report.cases_built}, документов записано: {len(report.written)}, "
        f"без изменений: {report.unchanged}, ошибок: {len(report.problems)}, "
        f"{time.monotonic() - started:.1f} с".replace(".", ",", 1),
        file=sys.stderr,
    )
    return _exit_code(report.problems, report.environment_failed)


def _batch(args: argparse.Namespace, started: float) -> int:
    for option, folder in (("--out", args.out), ("--state", args.state)):
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"{option} {folder}: это файл, а нужна папка")
    from pipeline.commands.batch import BatchOptions

    options = BatchOptions(
        out_dir=args.out,
        state_dir=args.state,
        as_of=args.as_of or date.today(),
        dry_run=args.dry_run,
        jobs=args.jobs,
        pdf_a=args.pdf_a,
    )
    progress = _ProgressBar() if sys.stderr.isatty() and not args.dry_run else None
    report = api.batch(args.paths, args.shop, options, progress=progress)
    if progress:
        progress.finish()
    _print_problems_and_warnings(report.problems, report.warnings)
    for outcome in report.outcomes:
        if outcome.new:
            print(f"{outcome.case.id}: {outcome.title} {outcome.number} ({outcome.decision.reason})")
    for number in report.repaired:
        print(f"{number}: файлы восстановлены")
    if report.dry_run:
        print("Пробный запуск (--dry-run): ничего не записано, номера предварительные")
    elif report.folder is not None:
        print(f"Реестр и файлы для печати: {report.folder}")
    print(
        f"Дел: {report.cases_total}, уведомлений: {report.issued('overdue_notice')}, "
        f"претензий: {report.issued('pretension')}, уже в журнале: {report.repeated}, "
        f"без нового документа: {report.skipped}, закрыто: {report.closed}, ошибок: {len(report.problems)}, "
        f"{time.monotonic() - started:.1f} с".replace(".", ",", 1),
        file=sys.stderr,
    )
    return _exit_code(report.problems, report.environment_failed)


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
