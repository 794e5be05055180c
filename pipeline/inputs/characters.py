"""Characters a letter must not carry, in any text of a case or the shop profile.

A control character (`\\v`, `\\0`, typed as an escape in double quotes) cannot go
into a Word document at all: it is an error, pointed at in the value. An invisible
character — a bidi override that reorders the letters, a zero-width space, a soft
hyphen — prints as nothing, but makes a name or an address differ from what it
looks like: in names and addresses it is a warning, with the value shown and the
character made visible.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from pipeline.models import Problem

if TYPE_CHECKING:  # load.py reports unreadable characters with the words of this module
    from pipeline.inputs.load import LoadedFile, Path_

# Fields that name a person, an organisation, a line of the order or a place.
NAME_FIELDS = frozenset({"name", "short_name", "address", "recorded_by", "witnesses"})
# Allowed in any text: a tab and the line breaks of a multi-line value.
_ALLOWED_CONTROLS = frozenset("\t\n\r")
# Characters that turn the order of the letters around.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_EXCERPT = 60  # characters of a long value shown around the one found

BAD_HINT = "удалите его — в документе Word такой символ недопустим"


def code(char: str) -> str:
    return f"U+{ord(char):04X}"


def is_forbidden(char: str) -> bool:
    """A character XML 1.0, and so Word, refuses, or a C0/C1 control or DEL (tab and line breaks allowed)."""
    category = unicodedata.category(char)
    if category == "Cc":
        return char not in _ALLOWED_CONTROLS
    return category == "Cs" or char in ("\ufffe", "\uffff")


def is_invisible(char: str) -> bool:
    """A character that prints as nothing: format characters (bidi marks, zero-width, soft hyphen) and
    the Unicode line and paragraph separators."""
    return unicodedata.category(char) in ("Cf", "Zl", "Zp")


def forbidden_word(char: str) -> str:
    return "управляющий символ" if unicodedata.category(char) == "Cc" else "недопустимый символ"


def visible(text: str) -> str:
    """`text` with every control and invisible character shown by its code point (⟨U+202E⟩): safe on one line."""
    return "".join(f"⟨{code(c)}⟩" if is_forbidden(c) or is_invisible(c) or c in "\t\n\r" else c for c in text)


def excerpt(text: str, index: int) -> str:
    """The value around position `index`, made visible and cut to about _EXCERPT characters."""
    if len(text) <= _EXCERPT:
        return f"«{visible(text)}»"
    start = max(0, index - _EXCERPT // 2)
    end = min(len(text), start + _EXCERPT)
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return f"«{prefix}{visible(text[start:end])}{suffix}»"


def _strings(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))


def _is_name(path: Path_) -> bool:
    keys = [step for step in path if isinstance(step, str)]
    return bool(keys) and keys[-1] in NAME_FIELDS


def forbidden_characters(loaded: LoadedFile) -> list[Problem]:
    """An error for every text value holding a control character, at the value, naming the first one."""
    problems = []
    for path, text in _strings(loaded.data, ()):
        if text.isprintable():
            continue  # fast path: no control, format, separator or unassigned character at all
        index = next((i for i, char in enumerate(text) if is_forbidden(char)), None)
        if index is not None:
            char = text[index]
            message = f"{forbidden_word(char)} {code(char)} на {index + 1}-м знаке: {excerpt(text, index)}"
            problems.append(loaded.problem(path, message, BAD_HINT))
    return problems


def invisible_characters(loaded: LoadedFile) -> list[Problem]:
    """A warning for every name or address holding an invisible character, with the value made visible."""
    problems = []
    for path, text in _strings(loaded.data, ()):
        if text.isprintable() or not _is_name(path):
            continue
        index = next((i for i, char in enumerate(text) if is_invisible(char) and not is_forbidden(char)), None)
        if index is None:
            continue
        char = text[index]
        if char in _BIDI:
            hint = "он меняет порядок букв в письме — удалите его"
        else:
            hint = "в письме его не видно, но имя или адрес уже не совпадёт с набранным заново — удалите его"
        message = f"невидимый символ {code(char)} на {index + 1}-м знаке: {excerpt(text, index)}"
        problems.append(replace(loaded.problem(path, message, hint), severity="warning"))
    return problems
