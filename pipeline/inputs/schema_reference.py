"""The human reference of the input files, docs/case-format.md, generated from the JSON Schemas in
pipeline/inputs/schemas/ and their Russian descriptions, as docs/template-variables.md is from the variables.
A test holds the committed file equal to `case_format_markdown()`; `make reference` rewrites it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.resources import schemas_dir

Schema = dict[str, Any]

REFERENCE_PATH = Path("docs") / "case-format.md"  # the repository's, from its top folder

# (schema file, what the section is called, the prefix of its field paths, a note under the heading)
SECTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("case.schema.json", "Case file", "", "One case per file anywhere under `cases/`."),
    ("shop.schema.json", "Shop profile", "", "One file, `shop.yaml` in the working folder (`--shop` names another)."),
    (
        "terms.schema.json",
        "Shared terms block",
        "terms.",
        "The block `terms:` is given in full in `shop.yaml` and, in part, in any case: a case's `terms:` overrides "
        "the parts it gives, for that case only. *yes in shop.yaml* marks what `shop.yaml` must give; in a case "
        "every part is optional.",
    ),
    (
        "letter.schema.json",
        "A lawyer's letter",
        "",
        "`templates/letters/NAME.yaml`, beside its template `templates/letters/NAME.docx`: a new kind of letter "
        "without a programmer (docs/for-lawyers.md).",
    ),
)

TYPE_WORDS = {
    "string": "текст",
    "integer": "целое число",
    "number": "число",
    "boolean": "да/нет",
    "object": "группа полей",
    "array": "список",
    "null": "пусто (null)",
}
# The formats the validator checks (schema.py), in words: (type, what the value looks like).
FORMATS = {
    "date": ("дата ГГГГ-ММ-ДД", "существующая дата, например 2026-09-01"),
    "money": ("сумма", "рубли с точкой, не больше двух знаков после неё: 1500.00"),
    "quantity": ("число", "не больше трёх знаков после точки: 1.5"),
}
# Every pattern of the schemas, in words: (type, or "" for the type's own word; what the value looks like).
PATTERNS = {
    # The debtor's identifiers of a court application (ГПК РФ ст. 124): СНИЛС, passport, licence, СТС.
    "^[0-9]{3}-?[0-9]{3}-?[0-9]{3}[ -]?[0-9]{2}$": ("11 цифр СНИЛС", "например 112-233-445 95"),
    "^[0-9]{2} ?[0-9]{2} [0-9]{6}$": ("серия (4 цифры) и номер (6 цифр)", "например 45 12 345678"),
    "^[0-9]{2} ?[0-9А-ЯA-Z]{2} [0-9]{6}$": ("серия (4 знака) и номер (6 цифр)", "например 99 01 123456"),
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": ("дата ГГГГ-ММ-ДД", "например 2026-09-01"),
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$": ("дата и время ГГГГ-ММ-ДДTЧЧ:ММ", "например 2026-09-03T14:30"),
    "^[0-9A-Za-zА-Яа-яЁё][0-9A-Za-zА-Яа-яЁё._-]*$": (
        "",
        "латинские или русские буквы, цифры, «.», «_», «-»; первый символ — буква или цифра",
    ),
    "^\\+?[0-9][0-9 ()\\-]{4,24}$": ("", "цифры, пробелы, скобки, дефисы, в начале можно «+»; от 5 до 25 символов"),
    "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$": ("", "адрес вида имя@домен.ru, без пробелов"),
    "^([0-9]{10}|[0-9]{12})$": ("", "10 или 12 цифр"),
    "^([0-9]{13}|[0-9]{15})$": ("", "13 или 15 цифр"),
    "^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$": ("", "9 символов: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры"),
    "^[A-HJ-NPR-Z0-9]{17}$": ("", "17 символов: цифры и заглавные латинские буквы, кроме I, O, Q"),
    "^[А-ЯЁA-Z]{1,4}$": ("", "от 1 до 4 заглавных букв, русских или латинских"),
    "^04[0-9]{7}$": ("", "9 цифр, первые — 04"),
    "^[0-9]{20}$": ("", "20 цифр"),
    "^301[0-9]{17}$": ("", "20 цифр, первые — 301"),
    "^([0-9]{14}|[A-Z]{2}[0-9]{9}[A-Z]{2})$": ("", "14 цифр, или международный: 2 латинские буквы, 9 цифр, 2 буквы"),
}

INTRO = """# Case format

This file is generated from the JSON Schemas in `pipeline/inputs/schemas/` by
`pipeline/inputs/schema_reference.py` — do not edit it by hand: after changing a
schema, run `make reference`. The field descriptions are the schemas' own, in
Russian; the validator quotes the same texts in its hints. Rules the schemas
cannot express (check digits of ИНН, ОГРН and bank accounts, what each kind of
client must have, the order of dates) are checked by `pipeline/inputs/rules.py`;
the descriptions mention them.

`python -m pipeline validate PATH ...` checks files against all of this and
writes nothing (`docs/cli.md`).

## Rules worth knowing

- One case per file, `*.yaml` or `*.yml`, anywhere under `cases/` (subfolders
  are fine; hidden files and folders are skipped). Copy the closest example in `cases/`.
- Put identifiers in quotes: `inn: "7724212997"`. A number typed without
  quotes in a text field is kept exactly as typed, never read as an octal or a float.
- Amounts are `1500.00`: a dot, at most two decimals; quoted amounts are fine.
  A comma (`1500,00`) is an error.
- Dates are `2026-09-01`; the refusal time is `2026-09-03T14:30`.
- `gender` is needed only when the name has no patronymic.
- `terms:` in a case overrides any part of the shop's terms for that case.
- `events:` are written in date order, none before the order's date; a date
  out of order is an error (usually a typo), never sorted silently. Each kind
  of event has its own fields: a table per kind below.
- Each item of a list starts its own line with `- `. Messages count items
  from 1: `work[2]` is the second line of the order.

## How to read the tables

- **field**: where the key is. A dot leads into a group (`client.inn` is `inn:`
  under `client:`); `[]` is every item of a list (`work[].price` is `price:` of
  each line under `work:`).
- **type**: текст, целое число, число, сумма, дата ГГГГ-ММ-ДД, да/нет (`true` or
  `false`), список, группа полей, or «одно из» the values listed, written exactly so.
- **required**: whether the file is wrong without the key, when its group is there.
  Some keys are required only in some cases (the ИНН of a company, `percent_done`
  of a partial line): their descriptions say so.
- **format**: what the value must look like, and its limits.
"""

CLOSED_NOTE = "- Keys the tables do not list are errors; the message suggests the closest known key.\n"
TABLE_HEAD = "| field | type | required | format | description |\n| --- | --- | --- | --- | --- |"


@dataclass(frozen=True)
class Node:
    """A part of a schema, with the schema file its `$ref`s are relative to."""

    schema: Schema
    document: str


@dataclass(frozen=True)
class Row:
    path: str
    type: str
    required: str
    format: str
    description: str


@dataclass(frozen=True)
class Table:
    """The fields of one group: `client`, `work[]`, `terms.penalty`; "" is the file's top level."""

    path: str
    description: str
    rows: tuple[Row, ...]
    closed: bool  # unknown keys are errors (additionalProperties: false)


def load_schemas() -> dict[str, Schema]:
    """Every `*.schema.json` of the package, by file name."""
    return {
        path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(schemas_dir().glob("*.schema.json"))
    }


def _ref_target(ref: str, document: str, schemas: Mapping[str, Schema]) -> Node:
    """What a `$ref` points at: `#/$defs/date`, `terms.schema.json#/$defs/money`, `terms.schema.json`."""
    location, _, pointer = ref.partition("#")
    name = location.rsplit("/", 1)[-1] or document
    target: Any = schemas[name]
    for step in filter(None, pointer.split("/")):
        target = target[step.replace("~1", "/").replace("~0", "~")]
    return Node(target, name)


def resolve(node: Node, schemas: Mapping[str, Schema]) -> Node:
    """The node with what its `$ref` points at merged in; its own keywords (the description) win."""
    ref = node.schema.get("$ref")
    if not isinstance(ref, str):
        return node
    target = resolve(_ref_target(ref, node.document, schemas), schemas)
    own = {key: value for key, value in node.schema.items() if key != "$ref"}
    return Node({**target.schema, **own}, target.document)


def linked_file(node: Node) -> str | None:
    """The other schema file a field is, whole (`terms: {$ref: terms.schema.json}`), documented in its own section."""
    refs = [node.schema.get("$ref")] + [branch.get("$ref") for branch in node.schema.get("allOf", [])]
    for ref in refs:
        if isinstance(ref, str) and "/" not in ref.partition("#")[2]:
            name = ref.partition("#")[0].rsplit("/", 1)[-1]
            if name and name != node.document:
                return name
    return None


def _literal(value: Any) -> str:
    """A value as it is typed in YAML: person, 0, true."""
    return value if isinstance(value, str) else json.dumps(value)


def _number(value: Any) -> str:
    """1000000 → «1 000 000»; four-digit numbers (years) stay whole."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10000:
        return f"{value:,}".replace(",", " ")
    return str(value)


def _counted(count: int, one: str, few: str) -> str:
    """The noun after «до N», «от M до N»: «до 21 символа», «до 300 символов»."""
    return one if count % 10 == 1 and count % 100 != 11 else few


def _range(low: Any, high: Any, one: str, few: str) -> str:
    if low is not None and high is not None:
        return f"от {low} до {high} {_counted(high, one, few)}" if low != high else f"ровно {high} {few}"
    if high is not None:
        return f"до {high} {_counted(high, one, few)}"
    return f"не меньше {low} {_counted(low, one, few)}" if low is not None else ""


def _bounds(schema: Schema) -> str:
    """The limits of a number: «от 1 до 99», «больше 0, не больше 10»."""
    low, exclusive, high = schema.get("minimum"), schema.get("exclusiveMinimum"), schema.get("maximum")
    parts = []
    if exclusive is not None and (low is None or exclusive >= low):
        parts.append(f"больше {_number(exclusive)}")
    elif low is not None and high is not None:
        return f"от {_number(low)} до {_number(high)}"
    elif low is not None:
        parts.append(f"не меньше {_number(low)}")
    if high is not None:
        parts.append(f"не больше {_number(high)}")
    return ", ".join(parts)


def _limits(schema: Schema) -> str:
    """Lengths, counts and bounds, in words."""
    types = set(_type_names(schema))
    if "string" in types:
        return _range(schema.get("minLength"), schema.get("maxLength"), "символа", "символов")
    if "array" in types:
        return _range(schema.get("minItems"), schema.get("maxItems"), "элемента", "элементов")
    if types & {"integer", "number"}:
        return _bounds(schema)
    return ""


def _type_names(schema: Schema) -> list[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return [declared]
    return [str(name) for name in declared] if isinstance(declared, list) else []


def value_words(node: Node, schemas: Mapping[str, Schema]) -> tuple[str, str]:
    """(type, format) of one value, in words."""
    linked = linked_file(node)
    if linked is not None:
        return f"группа полей (раздел `{linked.split('.')[0]}`)", ""
    schema = resolve(node, schemas).schema
    if "enum" in schema:
        return "одно из: " + ", ".join(f"`{_literal(value)}`" for value in schema["enum"]), ""
    if "const" in schema:
        return f"`{_literal(schema['const'])}`", ""
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            branches = [value_words(Node(branch, node.document), schemas) for branch in schema[combinator]]
            return " или ".join(words for words, _ in branches), "; ".join(filter(None, (f for _, f in branches)))
    kind, shape = " или ".join(TYPE_WORDS.get(name, name) for name in _type_names(schema)), ""
    if schema.get("format") in FORMATS:
        kind, shape = FORMATS[schema["format"]]
    elif "format" in schema:
        shape = f"формат {schema['format']}"
    elif "pattern" in schema:
        pattern_kind, shape = PATTERNS.get(schema["pattern"], ("", f"шаблон `{schema['pattern']}`"))
        kind = pattern_kind or kind
    if _type_names(schema) == ["boolean"]:
        shape = "`true` или `false`"
    return kind, "; ".join(filter(None, (shape, _limits(schema), _items_words(schema, node.document, schemas))))


def _items_words(schema: Schema, document: str, schemas: Mapping[str, Schema]) -> str:
    """What each item of a list of plain values is; a list of groups gets its own table."""
    items = schema.get("items")
    if not isinstance(items, dict) or _is_group(resolve(Node(items, document), schemas).schema):
        return ""
    kind, shape = value_words(Node(items, document), schemas)
    return f"каждый — {kind}" + (f", {shape}" if shape else "")


def _is_group(schema: Schema) -> bool:
    return "properties" in schema


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _required(name: str, schema: Schema, shop_required: Schema) -> str:
    if name in schema.get("required", []):
        return "yes"
    return "yes in shop.yaml" if name in shop_required.get("required", []) else "no"


def tables(
    node: Node, path: str, description: str, schemas: Mapping[str, Schema], shop_required: Schema
) -> Iterator[Table]:
    """The table of one group, then the tables of the groups inside it, depth first, in the schema's order.

    `shop_required` is what shop.yaml's schema adds to this group's `required` (for the terms block)."""
    schema = resolve(node, schemas).schema
    prefix = f"{path}." if path else ""
    rows, inner = [], []
    for name, field_schema in schema.get("properties", {}).items():
        field = Node(field_schema, node.document)
        kind, shape = value_words(field, schemas)
        resolved = resolve(field, schemas)
        field_description = resolved.schema.get("description", "")
        rows.append(Row(prefix + name, kind, _required(name, schema, shop_required), shape, field_description))
        if linked_file(field) is not None:
            continue
        extra = shop_required.get("properties", {}).get(name, {})
        items = resolved.schema.get("items")
        if _is_group(resolved.schema):
            inner.append(tables(resolved, prefix + name, field_description, schemas, extra))
        elif isinstance(items, dict) and _is_group(resolve(Node(items, resolved.document), schemas).schema):
            item = resolve(Node(items, resolved.document), schemas)
            text = item.schema.get("description") or field_description
            inner.append(tables(item, f"{prefix}{name}[]", text, schemas, extra.get("items", {})))
    branches = [branch for branch in schema.get("oneOf", []) if _is_group(branch)]
    closed = (
        schema.get("additionalProperties") is False
        or bool(branches)
        and all(branch.get("additionalProperties") is False for branch in branches)
    )
    yield Table(path, description, tuple(rows), closed)
    for group in inner:
        yield from group
    for branch in branches:  # a list of kinds (events): a table per kind, headed by it
        kind = branch.get("properties", {}).get("kind", {}).get("const")
        yield from tables(
            Node(branch, node.document), path, f"kind: {kind} — {branch.get('description', '')}", schemas, {}
        )


def shop_terms_required(schemas: Mapping[str, Schema]) -> Schema:
    """What shop.yaml's schema requires of its `terms` beyond the terms schema: the `allOf` branches without `$ref`."""
    merged: Schema = {}
    terms = schemas["shop.schema.json"].get("properties", {}).get("terms", {})
    for branch in terms.get("allOf", []):
        if "$ref" not in branch:
            merged = _merge_required(merged, branch)
    return merged


def _merge_required(into: Schema, extra: Schema) -> Schema:
    properties = dict(into.get("properties", {}))
    for name, inner in extra.get("properties", {}).items():
        properties[name] = _merge_required(properties.get(name, {}), inner)
    return {"required": [*into.get("required", []), *extra.get("required", [])], "properties": properties}


def section_tables(file: str, prefix: str, schemas: Mapping[str, Schema]) -> list[Table]:
    schema = schemas[file]
    shop_required = shop_terms_required(schemas) if file == "terms.schema.json" else {}
    path = prefix.rstrip(".")
    return list(tables(Node(schema, file), path, schema.get("description", ""), schemas, shop_required))


def table_markdown(table: Table, first: bool) -> str:
    """One table; the first of a section goes without its description, which the section gives."""
    title = f"`{table.path}`" if table.path else "Top level"
    heading = f"### {title}" if first or not table.description else f"### {title} — {table.description}"
    rows = [
        f"| `{row.path}` | {_cell(row.type)} | {row.required} | {_cell(row.format)} | {_cell(row.description)} |"
        for row in table.rows
    ]
    return "\n".join([heading, "", TABLE_HEAD, *rows, ""])


def section_markdown(file: str, label: str, note: str, found: list[Table], schemas: Mapping[str, Schema]) -> str:
    schema = schemas[file]
    lines = [f"## {label} — {schema.get('title', file)}", ""]
    lines += [f"{schema.get('description', '')}", "", f"{note} Schema: `pipeline/inputs/schemas/{file}`.", ""]
    return "\n".join(lines + [table_markdown(table, i == 0) for i, table in enumerate(found)])


def case_format_markdown() -> str:
    """docs/case-format.md: the preface, then one section per file kind with a table per group of fields."""
    schemas = load_schemas()
    found = {file: section_tables(file, prefix, schemas) for file, _, prefix, _ in SECTIONS}
    closed = all(table.closed for tables_ in found.values() for table in tables_)
    parts = [INTRO + (CLOSED_NOTE if closed else "")]
    parts += [section_markdown(file, label, note, found[file], schemas) for file, label, _, note in SECTIONS]
    return "\n".join(parts)


def write_case_format(target: Path = REFERENCE_PATH) -> Path:
    """Write docs/case-format.md from the schemas."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(case_format_markdown(), encoding="utf-8", newline="\n")
    return target
