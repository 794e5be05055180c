"""Read a YAML file into plain Python values, keeping the line and column of
every key and value so that each problem can point at the exact spot.

We compose the node graph with PyYAML's safe loader and resolve scalars
ourselves, because PyYAML's own YAML 1.1 resolution is wrong for this data:
it turns `2026-13-45` into a crash, `0274062111` into an octal number,
`yes` into True and `12.30` into a float. Here dates stay text, amounts
become `Decimal`, and only `true`/`false` are booleans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple, cast

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from pipeline.errors import InputError
from pipeline.inputs.characters import BAD_HINT, code, forbidden_word, visible
from pipeline.models import Problem

MAX_FILE_BYTES = 256 * 1024  # a case file is a few kilobytes; anything this big is a mistake
MAX_DEPTH = 12  # the deepest real path is terms.penalty.kind (4 levels)
# The longest number a case holds is a 20-digit bank account; Python refuses to turn more
# than 4300 digits into an int, and nothing near that is ever meant.
MAX_NUMBER_DIGITS = 100

Path_ = tuple[str | int, ...]

_INT = re.compile(r"[-+]?[0-9]+")
_DECIMAL = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)")
_NULL = {"", "~", "null", "Null", "NULL"}
_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


class Mark(NamedTuple):
    """Where a value or key stands. A tuple of two numbers, not a dataclass: a file has hundreds,
    and the garbage collector stops looking at a tuple of numbers once it has seen it."""

    line: int  # 1-based
    column: int  # 1-based


@dataclass
class LoadedFile:
    """A YAML file as plain values plus where each value and key stands.

    `value_marks[path]` is where the value at `path` starts; `key_marks[path]`
    is where its key is written (for unknown-key errors); `raw_text[path]` is
    a plain (unquoted) scalar exactly as typed, so digit identifiers such as
    ИНН can be kept as typed rather than read as numbers.
    """

    path: Path
    data: Any
    value_marks: dict[Path_, Mark] = field(default_factory=dict)
    key_marks: dict[Path_, Mark] = field(default_factory=dict)
    raw_text: dict[Path_, str] = field(default_factory=dict)

    def mark_of(self, path: Path_) -> Mark:
        """The nearest mark for `path`: its own, else its closest parent's."""
        path = tuple(path)
        for end in range(len(path), -1, -1):
            mark = self.value_marks.get(path[:end] if end < len(path) else path)
            if mark:
                return mark
        return Mark(1, 1)

    def problem(self, path: Path_, message: str, hint: str = "", at_key: bool = False) -> Problem:
        mark = (self.key_marks.get(tuple(path)) if at_key else None) or self.mark_of(path)
        return Problem(str(self.path), mark.line, mark.column, dotted(path), message, hint)


def dotted(path: Path_) -> str:
    """`('work', 1, 'qty')` → `work[2].qty`: items are counted from 1, as people count lines."""
    text = ""
    for part in path:
        name = visible(part) if isinstance(part, str) else ""  # an unknown key may hold anything
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{name}" if text else name)
    return text


_STR_TAG = "tag:yaml.org,2002:str"
# The only plain scalars PyYAML's safe resolver gives a tag outside _PLAIN_TAGS: the merge key and
# the value key, which _Builder refuses as tags.
_SPECIAL_PLAIN = {"<<": "tag:yaml.org,2002:merge", "=": "tag:yaml.org,2002:value"}
_COLLECTION_TAGS: dict[type[Node], str] = {SequenceNode: "tag:yaml.org,2002:seq", MappingNode: "tag:yaml.org,2002:map"}


class _QuickResolving:
    """PyYAML's safe resolver tries its regular expressions on every scalar, in Python, for a tag
    _Builder only tests for being plain (it resolves the values itself). Here a scalar PyYAML would
    tag plainly gets the text's tag, the two special ones PyYAML's own; and as the safe loader has no
    path resolvers, descending and ascending do nothing (tests/test_load.py compares the two)."""

    def resolve(self, kind: type[Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            return _SPECIAL_PLAIN.get(value, _STR_TAG) if implicit[0] else _STR_TAG
        return _COLLECTION_TAGS[kind]

    def descend_resolver(self, current_node: Node | None, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


class _NoAliasLoader(_QuickResolving, yaml.SafeLoader):
    """The pure-Python fallback when PyYAML was built without libyaml: refuses
    aliases while composing."""

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        # types-PyYAML leaves the pure-Python Parser.peek_event unannotated.
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, AliasEvent):
            # The stubs type event marks as PyYAML's or libyaml's Mark; this pure-Python
            # parser only ever makes yaml.error.Mark, which MarkedYAMLError expects.
            start_mark = cast(yaml.error.Mark | None, event.start_mark)
            raise yaml.MarkedYAMLError(None, None, _NO_ALIASES, start_mark)
        return super().compose_node(parent, index)


# libyaml composes ~10× faster. It cannot be hooked, so aliases are caught in
# _Builder instead: an alias is the same node object met twice, and refusing it
# there stops an alias bomb (a billion laughs) before anything is expanded.
_CSafeLoader = getattr(yaml, "CSafeLoader", None)
_Loader = type("_QuickCSafeLoader", (_QuickResolving, _CSafeLoader), {}) if _CSafeLoader else _NoAliasLoader
_NO_ALIASES = "якоря и ссылки YAML (&имя, *имя) не поддерживаются — повторите значение явно"


def _mark(node: Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


_NUMBER_START = frozenset("+-.0123456789")


def _resolve_plain(text: str) -> Any:
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text[0] not in _NUMBER_START:  # neither _INT nor _DECIMAL can match: a name, an address
        return text
    # A leading zero means an identifier (ИНН 0274…, a BIK): never a number.
    if _INT.fullmatch(text) and not (len(text.lstrip("+-")) > 1 and text.lstrip("+-").startswith("0")):
        return int(text)
    if _DECIMAL.fullmatch(text):
        return Decimal(text)
    return text


class _Builder:
    """Turns the composed node tree into values, recording marks as it goes."""

    def __init__(self, loaded: LoadedFile):
        self.loaded = loaded
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def build(self, node: Node, path: Path_, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise _TooDeep(node)
        if not isinstance(node, ScalarNode):
            if id(node) in self.seen:
                raise _Alias(node)
            self.seen.add(id(node))
        self.loaded.value_marks[path] = _mark(node)
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth)
        raise _TooDeep(node)  # pragma: no cover - PyYAML has only these three

    def _scalar(self, node: ScalarNode, path: Path_) -> Any:
        if node.tag not in _PLAIN_TAGS:
            self.problems.append(self.loaded.problem(path, f"теги YAML ({node.tag}) не поддерживаются", "уберите тег"))
        if node.style:  # quoted or block scalar: always text, exactly as typed
            return node.value
        self.loaded.raw_text[path] = node.value
        digits = sum(char.isdigit() for char in node.value) if len(node.value) > MAX_NUMBER_DIGITS else 0
        if digits > MAX_NUMBER_DIGITS and (_INT.fullmatch(node.value) or _DECIMAL.fullmatch(node.value)):
            message = f"число из {digits} цифр — слишком длинное"
            hint = f"не больше {MAX_NUMBER_DIGITS} цифр; длинный номер или текст возьмите в кавычки"
            self.problems.append(self.loaded.problem(path, message, hint))
            return node.value
        return _resolve_plain(node.value)

    def _mapping(self, node: MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problems.append(self._at(key_node, path, "ключ должен быть простым словом", "например client:"))
                continue
            key = key_node.value
            child = (*path, key)
            if key in result:
                first = self.loaded.key_marks[child]
                message = f"ключ повторяется (уже был в строке {first.line})"
                self.problems.append(self._at(key_node, child, message, "оставьте один"))
                continue
            self.loaded.key_marks[child] = _mark(key_node)
            result[key] = self.build(value_node, child, depth + 1)
        return result

    def _at(self, node: Node, path: Path_, message: str, hint: str) -> Problem:
        mark = _mark(node)
        return Problem(str(self.loaded.path), mark.line, mark.column, dotted(path), message, hint)


class _TooDeep(Exception):
    def __init__(self, node: Node):
        self.node = node


class _Alias(_TooDeep):
    """A collection met twice: the target of a YAML alias."""


def load_yaml(path: Path) -> LoadedFile:
    """Read one YAML file; raises InputError with every problem found in it."""
    display = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                [
                    Problem(
                        display,
                        1,
                        1,
                        "",
                        f"файл слишком большой ({size // 1024} КБ)",
                        f"дело — это несколько килобайт; не больше {MAX_FILE_BYTES // 1024} КБ",
                    )
                ]
            )
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError([Problem(display, 1, 1, "", "файл не в кодировке UTF-8", "сохраните его как UTF-8")]) from err
    except OSError as err:
        raise InputError(
            [Problem(display, 1, 1, "", f"файл не читается: {err.strerror}", "проверьте путь и права")]
        ) from err
    return parse_yaml(text, path)


def parse_yaml(text: str, path: Path) -> LoadedFile:
    """Parse YAML text; raises InputError with every problem found."""
    display = str(path)
    loaded = LoadedFile(path=path, data=None)
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as err:
        err_mark = err.problem_mark or err.context_mark
        line, column = (err_mark.line + 1, err_mark.column + 1) if err_mark else (1, 1)
        if err.problem == _NO_ALIASES:
            raise InputError([Problem(display, line, column, "", _NO_ALIASES)]) from err
        message = _russian_yaml_error(err)
        raise InputError(
            [Problem(display, line, column, "", message, "проверьте отступы, двоеточия и кавычки")]
        ) from err
    except yaml.reader.ReaderError as err:
        raise InputError([_unreadable_character(text, err, display)]) from err
    except yaml.YAMLError as err:
        raise InputError([Problem(display, 1, 1, "", "файл не читается как YAML", str(err))]) from err
    if root is None:
        raise InputError([Problem(display, 1, 1, "", "файл пустой", "заполните его по образцу из cases/")])
    builder = _Builder(loaded)
    try:
        loaded.data = builder.build(root, ())
    except _Alias as alias:
        mark = _mark(alias.node)
        raise InputError([Problem(display, mark.line, mark.column, "", _NO_ALIASES)]) from None
    except _TooDeep as deep:
        mark = _mark(deep.node)
        raise InputError(
            [
                Problem(
                    display,
                    mark.line,
                    mark.column,
                    "",
                    "слишком глубокая вложенность",
                    f"не больше {MAX_DEPTH} уровней",
                )
            ]
        ) from None
    except RecursionError:
        raise InputError([Problem(display, 1, 1, "", "слишком глубокая вложенность", "упростите файл")]) from None
    if builder.problems:
        raise InputError(builder.problems)
    return loaded


def _unreadable_character(text: str, err: yaml.reader.ReaderError, display: str) -> Problem:
    """A character YAML refuses to read (a raw control character such as NUL), where it stands.

    The position the reader gives is in characters for PyYAML and in UTF-8 bytes for libyaml;
    the first occurrence of the character itself is the same spot either way."""
    character = chr(err.character) if isinstance(err.character, int) else ""
    index = text.find(character) if character else -1
    if index < 0:
        return Problem(display, 1, 1, "", "недопустимый символ в файле", "сохраните файл как обычный текст UTF-8")
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return Problem(display, line, column, "", f"{forbidden_word(character)} {code(character)}", BAD_HINT)


def _russian_yaml_error(err: yaml.MarkedYAMLError) -> str:
    problem = err.problem or ""
    translations = {  # PyYAML's and libyaml's wordings
        "mapping values are not allowed": "двоеточие здесь не к месту (значение с «: » возьмите в кавычки)",
        "could not find expected ':'": "не найдено двоеточие после ключа",
        "did not find expected key": "неверный отступ или лишний символ",
        "that cannot start any token": "недопустимый символ (табуляция вместо пробелов?)",
        "expected <block end>, but found": "неверный отступ",
        "found undefined alias": "ссылки YAML не поддерживаются",
        "found unexpected end of stream": "файл обрывается внутри кавычек или скобок",
        "<stream end>": "файл обрывается внутри кавычек или скобок",
        "did not find expected ',' or": "файл обрывается внутри кавычек или скобок",
        "but found another document": "в файле больше одного документа (---): одно дело — один файл",
        "expected a single document": "в файле больше одного документа (---): одно дело — один файл",
    }
    for english, russian in translations.items():
        if english in problem or english in (err.context or ""):
            return russian
    return f"ошибка синтаксиса YAML: {problem}".rstrip(": ")
