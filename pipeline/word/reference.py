"""The lawyers' reference, docs/template-variables.md: every variable (wording/variables.py)
with the documents each group is filled in (wording/presence.py), the documents' numbers
as the journal gives them, and the filters, each example rendered by the sandbox the
documents are rendered in, so no example can say what a template would not print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.documents import KINDS, DocumentKind
from pipeline.store.journal import format_number
from pipeline.word.render import TemplateCache
from pipeline.wording.presence import ALWAYS, NEVER, SOMETIMES, presence
from pipeline.wording.variables import FLAG, GROUP, IMAGE, LIST, NUMBER, VARIABLES, Variable, variable_paths

EXAMPLE_YEAR = 2026
EXAMPLE_INVOICE = "147"  # the invoice of cases/ivanov-refusal.yaml: a plain build numbers the letters by it
LETTERS = "письма юриста (`templates/letters/`)"

INTRO = """# Переменные шаблонов

Этот файл создан программой из `pipeline/wording/variables.py` — не правьте его руками:
после изменения переменных выполните `make reference`. Как пользоваться
переменными в Word — в `docs/for-lawyers.md`.

- `{{ client.name }}` — вставить значение. Точка ведёт внутрь группы: `shop.bank.bik`.
- «да/нет» — для условий: `{%p if refusal %}` … `{%p endif %}`.
- «может быть пусто» — значение есть не в каждом деле: группа пуста, текст пустой.
  Ставьте его внутрь условия, которое его проверяет (`{%p if storage %}` …
  `{%p endif %}`, `{% if client.email %}…{% endif %}`), иначе документ не соберётся
  или напечатается с пропуском; `make check-templates` найдёт такое место и
  назовёт условие. Под заголовком каждой группы сказано, в каких документах она
  заполнена.
- «список» — перебирается циклом: `{%tr for row in lines.billed %}` в строке
  таблицы, затем `{{ row.name }}`; в этом справочнике поле строки записано как
  `lines.billed[].name`. Список без полей состоит из готовых строк текста.
- Примеры взяты из дела `cases/ivanov-refusal.yaml` (расчёт на 23.11.2026) и
  других примеров; в документе будут значения конкретного дела.
"""


@dataclass(frozen=True)
class FilterDoc:
    """One filter for the reference: what it does and an example rendered with the declared examples."""

    name: str
    description: str
    expression: str  # what goes inside {{ … }}
    context: dict[str, Any] = field(default_factory=dict)  # changes to the example context
    aliases: tuple[str, ...] = ()  # the filters its description names too


# Lists whose rows differ, for the filters that sort, reverse or join them.
_WITNESSES = {"refusal": {"witnesses": [{"name": "Смирнов А. А."}, {"name": "Орлова Е. В."}]}}
_ADDRESSEE = {"client": {"addressee_lines": ["ООО «Вектор»", "Генеральному директору Сидорову С. С."]}}
_ROWS = {"penalty": {"rows": [{"days": 2}, {"days": 74}]}}
_BILLED = {
    "lines": {
        "billed": [
            {"name": "Замена рычага передней подвески", "is_partial": True},
            {"name": "Развал-схождение", "is_partial": False},
        ]
    }
}

FILTERS: tuple[FilterDoc, ...] = (
    FilterDoc("upper", "всё заглавными буквами", "client.name|upper"),
    FilterDoc("lower", "всё строчными буквами", "shop.voice.ask_cap|lower"),
    FilterDoc("capitalize", "первая буква заглавная, остальные строчные", "totals.total.words|capitalize"),
    FilterDoc("title", "Каждое Слово С Заглавной Буквы", "shop.voice.demand|title"),
    FilterDoc(
        "default",
        "запасной текст, когда значение пусто (с `true` — и для пустого текста); краткое имя — `d`",
        'client.email|default("не указан", true)',
        {"client": {"email": ""}},
        aliases=("d",),
    ),
    FilterDoc("replace", "заменить часть текста другой", 'document.date_short|replace(".", "/")'),
    FilterDoc(
        "trim", "убрать пробелы в начале и в конце", "refusal.reason|trim", {"refusal": {"reason": "  спешит  "}}
    ),
    FilterDoc("truncate", "обрезать текст до N знаков, с многоточием в конце", "vehicle.line|truncate(24)"),
    FilterDoc("format", "подставить значения в образец вместо %s", '"%s от %s"|format(order.number, order.date_short)'),
    FilterDoc(
        "length",
        "сколько строк в списке (или знаков в тексте); то же — `count`",
        "refusal.witnesses|length",
        _WITNESSES,
        aliases=("count",),
    ),
    FilterDoc("first", "первая строка списка", "client.addressee_lines|first", _ADDRESSEE),
    FilterDoc("last", "последняя строка списка", "client.addressee_lines|last", _ADDRESSEE),
    FilterDoc(
        "join", "строки списка одной строкой, через разделитель", 'client.addressee_lines|join(", ")', _ADDRESSEE
    ),
    FilterDoc(
        "map", "у каждой строки списка — одно поле", 'refusal.witnesses|map(attribute="name")|join(", ")', _WITNESSES
    ),
    FilterDoc(
        "selectattr",
        "только строки списка, у которых поле «да» (`rejectattr` — у которых «нет»)",
        'lines.billed|selectattr("is_partial")|map(attribute="name")|join("; ")',
        _BILLED,
        aliases=("rejectattr",),
    ),
    FilterDoc(
        "sort",
        "список по порядку (attribute= — по полю строк)",
        'refusal.witnesses|sort(attribute="name")|map(attribute="name")|join(", ")',
        _WITNESSES,
    ),
    FilterDoc(
        "reverse", "список в обратном порядке", 'refusal.witnesses|reverse|map(attribute="name")|join(", ")', _WITNESSES
    ),
    FilterDoc("sum", "сумма чисел (attribute= — поля строк списка)", 'penalty.rows|sum(attribute="days")', _ROWS),
    FilterDoc(
        "max", "наибольшее (`min` — наименьшее)", 'penalty.rows|map(attribute="days")|max', _ROWS, aliases=("min",)
    ),
    FilterDoc(
        "round",
        "округлить число (`int` — целое, `float` — число из текста)",
        "payment.amount.value|float|round|int",
        aliases=("int", "float"),
    ),
)
# Jinja's other filters: for programmers, or harmful in a Word document (`safe` lets a value break its XML).
TECHNICAL_FILTERS = frozenset(
    "abs attr batch center dictsort e escape filesizeformat forceescape groupby indent items list pprint random "
    "reject safe select slice string striptags tojson unique urlencode urlize wordcount wordwrap xmlattr".split()
)
EXAMPLE_ROWS = 2  # each list of the example context has two rows alike, unless a filter's example says otherwise


def _example(variable: Variable) -> Any:
    """The example value of a declared variable, as context.py would build it."""
    if variable.type == GROUP:
        return {member.name: _example(member) for member in variable.fields}
    if variable.type == LIST:
        row = _example(Variable(variable.name, GROUP, "", fields=variable.fields)) if variable.fields else None
        return [variable.example if row is None else row] * EXAMPLE_ROWS
    if variable.type == FLAG:
        return True
    if variable.type == NUMBER:
        return int(variable.example) if variable.example.isdigit() else variable.example
    if variable.type == IMAGE:
        return None
    return variable.example


def _merged(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in changes.items():
        merged[key] = _merged(base[key], value) if isinstance(value, dict) else value
    return merged


def render_example(expression: str, changes: dict[str, Any] | None = None) -> str:
    """What `{{ expression }}` prints with the declared examples (and `changes`) as the context."""
    context = _merged({variable.name: _example(variable) for variable in VARIABLES}, changes or {})
    environment = TemplateCache().environment
    return str(environment.from_string("{{ " + expression + " }}").render(context))


def _short_title(kind: DocumentKind) -> str:
    return kind.title.split(" (", 1)[0]


def presence_line(variable: Variable) -> str:
    """«В документах: …» — in which documents a top-level variable is filled."""
    if not variable.optional:
        return "В документах: во всех."
    by_presence: dict[str, list[str]] = {ALWAYS: [], SOMETIMES: [], NEVER: []}
    for kind in KINDS:
        by_presence[presence(variable.name, kind)].append(_short_title(kind))
    by_presence[presence(variable.name, None)].append(LETTERS)
    labels = {ALWAYS: "всегда", SOMETIMES: "когда есть в деле", NEVER: "всегда пусто"}
    parts = [f"{labels[key]} — {', '.join(titles)}" for key, titles in by_presence.items() if titles]
    return f"В документах: {'; '.join(parts)}."


def numbers_section() -> str:
    """How each document is numbered: from the journal when it carries an outgoing number, else its own."""
    lines = [
        "## Номера документов (`document.number`, `notice.number`)\n",
        "Письма с исходящим номером получают его только из журнала — и при сборке `build`, и в пакетной",
        "рассылке `batch`: свой счётчик у каждого вида и года, номера не повторяются. В проекте (`build --draft`)",
        "на месте номера стоит «ПРОЕКТ». В образцах `check-templates`, которые журнал не видит, номер",
        f"составлен из начала номера вида и номера счёта дела (здесь счёт № {EXAMPLE_INVOICE}).\n",
        "| документ | номер | в образцах `check-templates` |",
        "| --- | --- | --- |",
    ]
    for kind in KINDS:
        sample = _document_number_of(kind)
        if kind.journalled:
            number = (
                ", ".join(f"`{format_number(kind.number_prefix, EXAMPLE_YEAR, n)}`" for n in (1, 2)) + ", … (журнал)"
            )
        elif any(kind.name in other.annexes for other in KINDS):
            number = "номер письма, к которому приложен"
        else:
            number = f"{sample} (без журнала)"
        lines.append(f"| {_short_title(kind)} | {number} | {sample} |")
    lines.append(
        f"| {LETTERS} | с `number_prefix` — из журнала: `ПС-2026-0001`; без него — «б/н» | `ПС-{EXAMPLE_INVOICE}` |"
    )
    return "\n".join(lines) + "\n"


def _document_number_of(kind: DocumentKind) -> str:
    """The number a document of `kind` shows outside the journal, as wording/context.py makes it."""
    if kind.name == "invoice":
        return f"номер счёта: `{EXAMPLE_INVOICE}`"
    return f"`{kind.number_prefix}-{EXAMPLE_INVOICE}`" if kind.number_prefix else "«б/н»"


def filters_section() -> str:
    """Every filter a lawyer may want, with an example as the renderer prints it."""
    lines = [
        "## Фильтры\n",
        "Фильтр пишется после вертикальной черты и меняет значение: `{{ client.name|upper }}`.",
        "Результаты посчитаны программой по примерам из этого справочника.\n",
        "| фильтр | что делает | пример | результат |",
        "| --- | --- | --- | --- |",
    ]
    for doc in FILTERS:
        result = render_example(doc.expression, doc.context)
        example = _cell(f"{{{{ {doc.expression} }}}}")
        lines.append(f"| `{doc.name}` | {doc.description} | `{example}` | {_cell(result)} |")
    technical = ", ".join(f"`{name}`" for name in sorted(TECHNICAL_FILTERS))
    lines.append(f"\nЕсть и другие фильтры Jinja, для программистов: {technical}.\n")
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Text for a Markdown table's cell: a bare | would split it."""
    return text.replace("|", "\\|")


def _row(path: str, variable: Variable) -> str:
    kind = variable.type + (", может быть пусто" if variable.optional else "")
    example = f"`{_cell(variable.example)}`" if variable.example else ""
    return f"| `{path}` | {kind} | {_cell(variable.description)} | {example} |"


def reference_markdown() -> str:
    """docs/template-variables.md: the numbers, then one table per top-level variable, then the filters."""
    parts = [INTRO, numbers_section()]
    for variable in VARIABLES:
        parts.append(f"## `{variable.name}` — {variable.description}\n")
        parts.append(presence_line(variable) + "\n")
        parts.append("| переменная | тип | что это | пример |\n| --- | --- | --- | --- |")
        parts.append(_row(variable.name, variable))
        inner = f"{variable.name}[]." if variable.type == LIST else f"{variable.name}."
        for path, member in variable_paths(variable.fields, inner).items():
            parts.append(_row(path, member))
        parts.append("")
    parts.append(filters_section())
    return "\n".join(parts)
