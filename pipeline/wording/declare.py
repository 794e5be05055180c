"""The building blocks of the template-variable declaration (variables.py): one
`Variable` (name, type, Russian description, example) and a constructor per type.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pipeline.wording.russian import capitalize_first, format_amount, format_money, format_rub, money_in_words

TEXT, NUMBER, FLAG, GROUP, LIST, IMAGE = "текст", "число", "да/нет", "группа", "список", "картинка"


@dataclass(frozen=True)
class Variable:
    """One name in the context. A group's `fields` are its members; a list's
    `fields` are the members of each item (none: each item is a text)."""

    name: str
    type: str
    description: str
    example: str = ""
    optional: bool = False  # may be empty (a group None, a text ""): test it with {% if … %} before use
    fields: tuple[Variable, ...] = ()
    # Flags (or texts) of the same group that are true only when this optional text is filled:
    # `{% if storage.has_basis %}` makes `{{ storage.basis }}` safe as well as `{% if storage.basis %}`.
    filled_when: tuple[str, ...] = ()

    def field(self, name: str) -> Variable | None:
        return next((item for item in self.fields if item.name == name), None)


def text(
    name: str, description: str, example: str = "", optional: bool = False, filled_when: tuple[str, ...] = ()
) -> Variable:
    return Variable(name, TEXT, description, example, optional=optional, filled_when=filled_when)


def number(name: str, description: str, example: str = "") -> Variable:
    return Variable(name, NUMBER, description, example)


def flag(name: str, description: str) -> Variable:
    return Variable(name, FLAG, description)


def group(name: str, description: str, *members: Variable, optional: bool = False) -> Variable:
    return Variable(name, GROUP, description, optional=optional, fields=members)


def items(name: str, description: str, *members: Variable, example: str = "") -> Variable:
    return Variable(name, LIST, description, example, fields=members)


def money(name: str, description: str, amount: str, optional: bool = False) -> Variable:
    """An amount in every printed form (context.money), with real examples."""
    value = Decimal(amount)
    words = money_in_words(value)
    return group(
        name,
        description,
        text("value", "число для расчётов, с точкой", str(value)),
        text("text", "сумма без «руб.»: для таблиц", format_money(value)),
        text("rub", "сумма с «руб.»", format_rub(value)),
        text("words", "прописью", words),
        text("words_cap", "прописью с заглавной буквы", capitalize_first(words)),
        text("full", "цифрами и прописью", format_amount(value)),
        optional=optional,
    )
