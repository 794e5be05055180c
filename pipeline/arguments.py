"""The command line's words: the subcommands, their options with Russian help,
the defaults, the exit codes and an example each; the values' own checks
(dates, kinds, formats, job counts). cli.py parses with `build_parser`.
"""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

from pipeline.documents import KIND_NAMES
from pipeline.resources import CASES_DIR, OUT_DIR, SHOP_FILE, STATE_DIR

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


def _converter(text: str) -> object:
    from pipeline.pdf.converters import parse_converter  # loaded when the option is given

    try:
        return parse_converter(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


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
    _add_history(commands)
    _add_check_templates(commands)
    _add_rates(commands)
    _add_post(commands)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("autoservice-pipeline")
    except PackageNotFoundError:
        return "(не установлена)"


def _subcommand(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    example: str,
    description: str = "",
) -> argparse.ArgumentParser:
    return commands.add_parser(
        name,
        help=summary,
        description=description or summary,
        epilog=f"{EXIT_CODES}\nПример: {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _action(
    sub: argparse.ArgumentParser, name: str, summary: str, description: str, example: str
) -> argparse.ArgumentParser:
    """The one action of a subcommand that has actions (`rates update`, `post import`): its parser."""
    actions = sub.add_subparsers(
        dest=f"{sub.prog.split()[-1]}_action", required=True, metavar="ДЕЙСТВИЕ", title="действия"
    )
    return _subcommand(actions, name, summary, example, description)


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


def _add_journal(sub: argparse.ArgumentParser) -> None:
    """The journal of a command that issues numbered letters: an SQLite file in --state, or PostgreSQL."""
    journal = sub.add_mutually_exclusive_group()
    _add_state(journal)
    journal.add_argument(
        "--journal",
        default=None,
        metavar="URL",
        help="общий журнал в PostgreSQL для нескольких машин: postgresql://пользователь@сервер:5432/база "
        "(пароль — в ~/.pgpass или PGPASSWORD); вместо --state",
    )


def _add_templates(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--templates",
        type=Path,
        default=None,
        metavar="DIR",
        help="папка шаблонов Word (по умолчанию: templates/ в текущей папке, иначе шаблоны из поставки программы)",
    )


def _add_state(sub: argparse._ActionsContainer) -> None:
    sub.add_argument(
        "--state",
        type=Path,
        default=STATE_DIR,
        metavar="DIR",
        help="папка журнала исходящих номеров (по умолчанию: state/; не удаляйте её, храните копию)",
    )


def _add_conversion(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--jobs",
        type=_jobs,
        default=os.cpu_count() or 1,
        help="сколько процессов LibreOffice на этой машине (по умолчанию: по числу ядер)",
    )
    sub.add_argument("--pdf-a", action="store_true", help="PDF/A-2b для архива: все шрифты внутри файла")
    sub.add_argument(
        "--converter",
        type=_converter,
        default=None,
        metavar="unoserver://ХОСТ:ПОРТ[,…]",
        help="где делать PDF: local — LibreOffice на этой машине (по умолчанию), или серверы unoserver на других "
        "машинах, например unoserver://10.0.0.5:2003,10.0.0.6:2003 (документы делятся между ними; --jobs не нужен)",
    )


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
        "собрать в out/ все документы, которые положены по делам; письма с исходящим номером (уведомления, "
        "претензии) выпускаются через журнал, как в batch: сначала уведомление, потом претензия",
        "pipeline build cases --as-of 2026-11-20\n"
        "        pipeline build cases/ivanov-refusal.yaml --only pretension --draft   # проект без номера",
    )
    _add_paths(sub)
    _add_shop(sub)
    _add_as_of(sub)
    sub.add_argument("--out", type=Path, default=OUT_DIR, help="папка для документов (по умолчанию: out/)")
    _add_journal(sub)
    sub.add_argument(
        "--draft",
        action="store_true",
        help="письма с номером — только проектом: без номера, с пометкой «ПРОЕКТ» вверху, в out/<дело>/drafts/, "
        "даже если письмо ещё не положено; в журнал не попадают (по умолчанию: выпускаются через журнал)",
    )
    sub.add_argument(
        "--format",
        type=_formats,
        default=frozenset(FORMATS),
        help="docx, pdf или docx,pdf (по умолчанию: оба); письмо с номером выпускается только вместе с PDF",
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
    _add_journal(sub)
    sub.add_argument(
        "--dry-run",
        action="store_true",
        help="только показать, что будет выпущено (дело, клиент, долг, документы) и почему остальным ничего; "
        "ничего не записывать",
    )
    sub.add_argument(
        "--duplex",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="print.pdf для двусторонней печати: каждый документ дополняется пустой страницей до чётного числа "
        "страниц, чтобы следующий начинался с нового листа (по умолчанию: да; --no-duplex — без пустых страниц)",
    )
    _add_conversion(sub)
    _add_templates(sub)
    _add_allow_unconfirmed_rates(sub)


def _add_history(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = _subcommand(
        commands,
        "history",
        "история дела: письма из журнала и события из файла дела по порядку дат",
        "pipeline history cases/smirnova-unpaid.yaml --state state",
    )
    sub.add_argument("case", type=Path, metavar="CASE.yaml", help="файл дела")
    _add_shop(sub)
    _add_state(sub)


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
    update = _action(
        sub,
        "update",
        "скачать историю ключевой ставки с сайта Банка России и дополнить таблицу",
        "Скачивает историю ключевой ставки с веб-сервиса Банка России (www.cbr.ru), вносит её в "
        "таблицу и отмечает полученные строки как подтверждённые (confirmed=yes). Нужен доступ в интернет.",
        "pipeline rates update --file key_rates.csv",
    )
    update.add_argument(
        "--file",
        type=Path,
        default=USER_TABLE,
        metavar="ФАЙЛ",
        help=f"таблица ставок автосервиса (по умолчанию: {USER_TABLE}; если её нет — создаётся из таблицы программы)",
    )


def _add_post(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = _subcommand(
        commands, "post", "заказные письма через «Отправку» Почты России", "pipeline post import партия.xlsx"
    )
    imported = _action(
        sub,
        "import",
        "записать в дела отправку писем со ШПИ из списка, который вернула «Отправка»",
        "Читает список партии из «Отправки» (.xlsx или .csv со столбцом ШПИ), находит каждое письмо "
        "по номеру из журнала (ORDERNUM) и дописывает в его дело событие sent с датой и ШПИ.",
        "pipeline post import партия.xlsx --as-of 2026-11-02",
    )
    imported.add_argument("file", type=Path, metavar="ФАЙЛ", help="список партии из «Отправки» (.xlsx или .csv)")
    imported.add_argument(
        "--cases",
        type=Path,
        action="append",
        metavar="DIR",
        help="папка или файл дел (по умолчанию: cases/); можно повторять",
    )
    imported.add_argument(
        "--state", type=Path, default=STATE_DIR, metavar="DIR", help="папка журнала (по умолчанию: state/)"
    )
    imported.add_argument(
        "--as-of",
        type=_as_of,
        default=None,
        metavar="ГГГГ-ММ-ДД",
        help="дата отправки, которая будет записана в дела (по умолчанию: сегодня)",
    )
