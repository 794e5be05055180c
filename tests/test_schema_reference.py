"""docs/case-format.md is generated from the JSON Schemas (pipeline/inputs/schema_reference.py):
the committed file must be current, and a few of its rows are checked by hand against the schema files."""

import json
import re
from pathlib import Path

from pipeline.inputs.schema_reference import PATTERNS, case_format_markdown, write_case_format
from pipeline.resources import schemas_dir

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "case-format.md"


def rows(markdown: str) -> dict[str, list[str]]:
    """Every table row by its field path: `client.inn` → [type, required, format, description]."""
    found = {}
    for line in markdown.splitlines():
        match = re.match(r"^\| `([^`]+)` \| (.*) \|$", line)
        if match:
            found[match.group(1)] = [cell.strip() for cell in re.split(r"(?<!\\)\|", match.group(2))]
    return found


def test_committed_reference_is_current():
    assert REFERENCE.read_text(encoding="utf-8") == case_format_markdown(), (
        "docs/case-format.md is stale (the schemas changed): run `make reference`"
    )


def test_write_case_format_writes_the_markdown(tmp_path):
    target = tmp_path / "docs" / "case-format.md"
    assert write_case_format(target) == target
    assert target.read_text(encoding="utf-8") == case_format_markdown()


def test_client_inn_has_its_russian_description():
    kind, required, shape, description = rows(case_format_markdown())["client.inn"]
    assert kind == "текст"
    assert required == "no"  # required by rules.py for companies and entrepreneurs only, as the description says
    assert shape == "10 или 12 цифр"
    assert description == (
        "ИНН: 10 цифр у организации, 12 у предпринимателя и гражданина; обязателен для организации и предпринимателя"
    )


def test_enum_values_are_listed():
    table = rows(case_format_markdown())
    assert table["work[].status"][0] == "одно из: `done`, `partial`, `not_started`"
    assert table["refusal.channel"][0] == "одно из: `in_person`, `phone`, `written`, `email`, `messenger`"
    assert table["terms.penalty.kind"][0] == "одно из: `key_rate`, `contract`"


def test_required_marks_follow_the_schemas():
    table = rows(case_format_markdown())
    required = {path: cells[1] for path, cells in table.items()}
    # case.schema.json
    assert required["id"] == "yes"
    assert required["work"] == "yes"
    assert required["work[].status"] == "yes"
    assert required["work[].percent_done"] == "no"
    assert required["refusal"] == "no"
    assert required["refusal.client_signed"] == "yes"
    assert required["refusal.witnesses"] == "no"
    assert required["client.gender"] == "no"
    assert required["client.representative.position"] == "yes"
    assert required["payments[].method"] == "yes"
    # shop.schema.json, and what its allOf adds to the terms block
    assert required["bank.corr_account"] == "yes"
    assert required["kpp"] == "no"
    assert required["terms.payment_days"] == "yes in shop.yaml"
    assert required["terms.storage.free_days"] == "yes in shop.yaml"
    assert required["terms.penalty.kind"] == "yes in shop.yaml"
    assert required["terms.penalty.cap_percent"] == "no"
    assert required["terms.collections"] == "no"


def test_refs_are_followed_for_types_and_formats():
    table = rows(case_format_markdown())
    assert table["order.date"][:3] == ["дата ГГГГ-ММ-ДД", "yes", "существующая дата, например 2026-09-01"]
    assert table["refusal.at"][0] == "дата и время ГГГГ-ММ-ДДTЧЧ:ММ"
    assert table["storage.end"][0] == "дата ГГГГ-ММ-ДД или пусто (null)"
    price = table["work[].price"]  # terms.schema.json#/$defs/money, with the case's own exclusiveMinimum
    assert price[0] == "сумма"
    assert "больше 0, не больше 1 000 000 000" in price[2]
    assert price[3] == "Цена за единицу в рублях, больше нуля; с НДС, если сервис его начисляет"
    assert table["terms.credit_limit"][0] == "сумма"
    assert table["terms"][0] == "группа полей (раздел `terms`)"
    assert table["vehicle.year"][2] == "от 1900 до 2100"
    assert table["refusal.witnesses"][2] == "до 5 элементов; каждый — текст, от 3 до 200 символов"


def _objects(node):
    """Every JSON object inside a parsed schema, itself included."""
    if isinstance(node, dict):
        yield node
        node = list(node.values())
    if isinstance(node, list):
        for value in node:
            yield from _objects(value)


def test_every_described_field_and_every_pattern_is_in_the_reference():
    markdown = case_format_markdown()
    schemas = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(schemas_dir().glob("*.schema.json"))]
    objects = [item for schema in schemas for item in _objects(schema)]
    fields = [field for item in objects for field in item.get("properties", {}).values() if isinstance(field, dict)]
    missing = [
        field["description"] for field in fields if "description" in field and field["description"] not in markdown
    ]
    assert not missing, f"descriptions missing from docs/case-format.md: {missing}"
    patterns = {item["pattern"] for item in objects if isinstance(item.get("pattern"), str)}
    unworded = sorted(patterns - set(PATTERNS))
    assert not unworded, f"say these patterns in words in schema_reference.PATTERNS: {unworded}"
    assert "шаблон `" not in markdown
