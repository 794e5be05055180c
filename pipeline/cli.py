"""The command line: parse options, call one command (pipeline/commands/), print
its report and exit with `report.exit_code` (docs/cli.md). Only this module
prints or exits.

Exit codes: 0 all good; 1 some input is wrong (the rest was still done);
2 the command line is wrong; 3 the machine cannot do the job.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
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
    from pipeline.commands.rates import RatesReport
    from pipeline.commands.validate import ValidateReport

    Report = ValidateReport | FiguresReport | CheckReport | ReferenceWritten | BuildReport | BatchReport | RatesReport

FORMATS = ("docx", "pdf")


def _as_of(text: str) -> date:
    try:
        day = date.fromisoformat(text) if len(text) == 10 else date.fromisoformat("")
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» — не дата (ГГГГ-ММ-ДД, например 2026-11-20)") from None
    if not 2000 <= day.year <= 2099:  # the years a case's dates may have (pipeline/inputs/rules.py)
        raise argparse.ArgumentTypeError(f"«{text}» — дата вне 2000–2099 (ГГГГ-ММ-ДД, например 2026-11-20)")
    return day


def _kinds(text: str) -> frozenset[str]:
    # Checked against the kinds by the build itself: the lawyer's letters of --templates count too.
    kinds = frozenset(part.strip() for part in text.split(",") if part.strip())
    if not kinds:
        raise argparse.ArgumentTypeError(f"«{text}» — перечислите виды через запятую: {', '.join(KIND_NAMES)}")
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


# argparse's own words (usage, errors) come from gettext, which has no Russian
# catalogue for it; the messages are the user's, so they are Russian too.
ARGPARSE_RUSSIAN = {
    "usage: ": "использование: ",
    "options": "параметры",
    "positional arguments": "аргументы",
    "show this help message and exit": "показать эту справку и выйти",
    "show program's version number and exit": "показать версию программы и выйти",
    "%(prog)s: error: %(message)s\n": "%(prog)s: ошибка: %(message)s\n",
    "the following arguments are required: %s": "не указаны обязательные аргументы: %s",
    "argument %(argument_name)s: %(message)s": "аргумент %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "неизвестная команда %(value)r (допустимо: %(choices)s)",
    "unrecognized arguments: %s": "лишние аргументы: %s",
    "expected one argument": "нужно одно значение",
}
argparse._ = lambda text: ARGPARSE_RUSSIAN.get(text, text)  # type: ignore[attr-defined]

EXIT_CODES = (
    "Коды выхода: 0 — всё в порядке; 1 — часть входных данных с ошибками (остальное сделано); "
    "2 — ошибка в командной строке; 3 — машина не может выполнить работу (нет LibreOffice, журнала, места на диске)."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pipeline",
        description="Документы автосервиса по делам о неоплате и отказе от ремонта: YAML-дела → Word и PDF.",
        epilog=f"{EXIT_CODES}\nПример: pipeline build cases --as-of 2026-11-20",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="КОМАНДА", title="команды")
    _add_validate(commands)
    _add_figures(commands)
    _add_build(commands)
    _add_batch(commands)
    _add_check_templates(commands)
    _add_rates(commands)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("autoservice-pipeline")
    except PackageNotFoundError:
        return "(не установлена)"


def _subcommand(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], name: str, summary: str, example: str
) -> argparse.ArgumentParser:
    return commands.add_parser(
        name,
        help=summary,
        description=summary,
        epilog=f"{EXIT_CODES}\nПример: {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _add_paths(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[CASES_DIR],
        metavar="PATH",
        help="файлы дел или папки с ними (по умолчанию: cases/)",
    )


def _add_shop(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--shop", type=Path, default=SHOP_FILE, help="профиль автосервиса (по умолчанию: shop.yaml)")


def _add_as_of(sub: argparse.ArgumentParser, default: str = "сегодня") -> None:
    sub.add_argument(
        "--as-of",
        type=_as_of,
        default=None,
        metavar="ГГГГ-ММ-ДД",
        help=f"дата, на которую делается расчёт и датируются документы (по умолчанию: {default})",
    )


def _add_templates(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--templates",
        type=Path,
        default=None,
        metavar="DIR",
        help="папка шаблонов Word (по умолчанию: templates/ в текущей папке, иначе шаблоны из поставки программы)",
    )


def _add_conversion(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--jobs",
        type=_jobs,
        default=os.cpu_count() or 1,
        help="сколько процессов LibreOffice (по умолчанию: по числу ядер)",
    )
    sub.add_argument("--pdf-a", action="store_true", help="PDF/A-2b для архива: все шрифты внутри файла")


def _add_allow_unconfirmed_rates(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--allow-unconfirmed-rates",
        action="store_true",
        help="считать проценты по ст. 395 ГК РФ и по ставкам, не подтверждённым Банком России "
        "(confirmed=no); документ перечислит такие ставки (по умолчанию: такое дело — ошибка)",
    )


def _add_validate(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = _subcommand(
        commands, "validate", "проверить профиль автосервиса и дела, ничего не записывая", "pipeline validate cases"
    )
    _add_paths(sub)
    _add_shop(sub)


def _add_figures(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = _subcommand(
        commands, "figures", "показать все суммы одного дела с расчётом", "pipeline figures cases/ivanov-refusal.yaml"
    )
    sub.add_argument("case", type=Path, metavar="CASE.yaml", help="файл дела")
    sub.add_argument("--json", action="store_true", help="вывести JSON вместо текста")
    _add_shop(sub)
    _add_as_of(sub)
    _add_allow_unconfirmed_rates(sub)


def _add_build(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = _subcommand(
        commands,
        "build",
        "собрать в out/ все документы, которые положены по делам",
        "pipeline build cases --as-of 2026-11-20 --format docx",
    )
    _add_paths(sub)
    _add_shop(sub)
    _add_as_of(sub)
    sub.add_argument("--out", type=Path, default=OUT_DIR, help="папка для документов (по умолчанию: out/)")
    sub.add_argument(
        "--format", type=_formats, default=frozenset(FORMATS), help="docx, pdf или docx,pdf (по умолчанию: оба)"
    )
    sub.add_argument(
        "--only",
        type=_kinds,
        default=None,
        metavar="KIND[,KIND]",
        help=f"собрать только эти виды документов: {', '.join(KIND_NAMES)}",
    )
    _add_conversion(sub)
    _add_templates(sub)
    _add_allow_unconfirmed_rates(sub)
    sub.add_argument(
        "--open", action="store_true", help="открыть собранные PDF (не больше пяти), если есть рабочий стол"
    )


def _add_batch(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = _subcommand(
        commands,
        "batch",
        "ежемесячный прогон: следующее письмо каждому должнику, журнал, реестр",
        "pipeline batch cases --as-of 2026-12-01 --dry-run",
    )
    _add_paths(sub)
    _add_shop(sub)
    _add_as_of(sub)
    sub.add_argument("--out", type=Path, default=OUT_DIR, help="папка для документов (по умолчанию: out/)")
    sub.add_argument("--state", type=Path, default=STATE_DIR, help="папка журнала (по умолчанию: state/)")
    sub.add_argument("--dry-run", action="store_true", help="только показать, что будет выпущено; ничего не записывать")
    _add_conversion(sub)
    _add_templates(sub)
    _add_allow_unconfirmed_rates(sub)


def _add_check_templates(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = _subcommand(
        commands,
        "check-templates",
        "проверить шаблоны Word и собрать каждый по делам-образцам",
        "pipeline check-templates templates/pretension.docx",
    )
    sub.add_argument(
        "template_files",
        nargs="*",
        type=Path,
        metavar="TEMPLATE",
        help="шаблоны для проверки (по умолчанию: все из папки шаблонов)",
    )
    sub.add_argument("--cases", type=Path, action="append", help="дела-образцы (по умолчанию: cases/); можно повторять")
    _add_shop(sub)
    _add_as_of(sub, default="2026-11-23")
    _add_templates(sub)
    sub.add_argument(
        "--samples",
        type=Path,
        default=None,
        metavar="DIR",
        help="сохранить собранные образцы в эту папку (шаблон--дело.docx), чтобы прочитать их в Word",
    )
    sub.add_argument(
        "--write-reference",
        action="store_true",
        help="переписать docs/template-variables.md и docs/case-format.md и выйти",
    )


def _add_rates(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from pipeline.figures.rates import USER_TABLE

    sub = _subcommand(
        commands,
        "rates",
        "таблица ключевых ставок Банка России для процентов по ст. 395 ГК РФ",
        "pipeline rates update",
    )
    actions = sub.add_subparsers(dest="rates_action", required=True, metavar="ДЕЙСТВИЕ", title="действия")
    update = actions.add_parser(
        "update",
        help="скачать историю ключевой ставки с сайта Банка России и дополнить таблицу",
        description="Скачивает историю ключевой ставки с веб-сервиса Банка России (www.cbr.ru), вносит её в "
        "таблицу и отмечает полученные строки как подтверждённые (confirmed=yes). Нужен доступ в интернет.",
        epilog=f"{EXIT_CODES}\nПример: pipeline rates update --file key_rates.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    update.add_argument(
        "--file",
        type=Path,
        default=USER_TABLE,
        metavar="ФАЙЛ",
        help=f"таблица ставок автосервиса (по умолчанию: {USER_TABLE}; если её нет — создаётся из таблицы программы)",
    )


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

    _require_folder("--out", args.out)
    options = BuildOptions(
        out_dir=args.out,
        as_of=args.as_of or date.today(),
        formats=args.format,
        only=args.only,
        jobs=args.jobs,
        pdf_a=args.pdf_a,
        templates_dir=args.templates or default_templates_dir(),
        allow_unconfirmed_rates=args.allow_unconfirmed_rates,
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
    )
    with _progress_bar(sys.stderr.isatty() and not args.dry_run) as progress:
        return run_batch(args.paths, args.shop, options, progress=progress)


def _rates(args: argparse.Namespace) -> Report:
    from pipeline.commands.rates import run_rates_update

    return run_rates_update(args.file, date.today())


def _require_folder(option: str, folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{option} {folder}: это файл, а нужна папка")


COMMANDS: dict[str, Callable[[argparse.Namespace], Report]] = {
    "validate": _validate,
    "figures": _figures,
    "check-templates": _check_templates,
    "build": _build,
    "batch": _batch,
    "rates": _rates,
}


def _print_summary(report: Report, seconds: float) -> None:
    """Problems and warnings on stderr, then the command's own lines."""
    from pipeline.commands.batch import BatchReport
    from pipeline.commands.build import BuildReport
    from pipeline.commands.check_templates import CheckReport, ReferenceWritten
    from pipeline.commands.figures import FiguresReport
    from pipeline.commands.rates import RatesReport
    from pipeline.commands.validate import ValidateReport

    elapsed = f"{seconds:.1f} с".replace(".", ",", 1)
    if isinstance(report, ValidateReport):
        _print_lines([*report.problems, *report.warnings])
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
        _print_lines([f"записан {path}" for path in report.paths])
    elif isinstance(report, CheckReport):
        _print_lines([*report.input_problems, *report.problems, *report.warnings])
        _print_lines(
            [
                f"Шаблонов проверено: {len(report.templates)}, с ошибками: {report.failed_templates}, ошибок: "
                f"{len(report.errors)}, образцов собрано: {report.rendered}"
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
    elif isinstance(report, RatesReport):
        for line in report.lines:
            print(line)
        _print_lines([report.summary])


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
