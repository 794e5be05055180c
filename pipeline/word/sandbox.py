"""The Jinja sandbox with limits (limits.py): Jinja's immutable sandbox, plus

- every {% for %} iteration, macro call and `~` checked against the document's
  budget: a tick is compiled into the start of each loop and macro body, with
  the length of the template text it repeats;
- `*`, `**`, `%` and `+` intercepted, and refused before they run when the
  result would be a string or list over the limit or a huge integer;
- the filters and string methods that make long text from short (center,
  format, join, replace, indent, wordwrap, batch, slice, tojson, urlize,
  str.format) checked the same way; range() capped; lipsum gone.

The checks cost a little only where a template loops, calls or computes;
the shipped templates do nothing but print values and loop over rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jinja2
import jinja2.sandbox
from jinja2 import nodes
from jinja2.runtime import Context, Macro
from jinja2.visitor import NodeTransformer
from markupsafe import EscapeFormatter, Markup

from pipeline.word import limits
from pipeline.word.limit_filters import LIMITED_FILTERS


def tick(chars: int) -> None:
    """Compiled into the start of every loop and macro body (see _Ticks)."""
    limits.current().tick(chars)


def checked_text(value: Any) -> Any:
    """Compiled around every `~`: the joined text must stay within the limits."""
    budget = limits.current()
    size = len(value) if isinstance(value, str) else 0
    limits.check_text("~", size, budget.limits)
    budget.charge(size)
    return value


def limited_range(*args: int) -> range:
    numbers = range(*args)
    limits.check_range(len(numbers), limits.current().limits)
    return numbers


class _Ticks(NodeTransformer):
    """Puts a tick at the start of every loop, macro and {% call %} body, and a check around every `~`."""

    def __init__(self, environment: jinja2.Environment):
        self.environment = environment

    def _internal_call(self, function: str, argument: nodes.Expr, lineno: int) -> nodes.Call:
        call = nodes.Call(nodes.EnvironmentAttribute(function), [argument], [], None, None, lineno=lineno)
        call.set_environment(self.environment)
        return call

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return self._internal_call("limit_concat", node, node.lineno)

    def _with_tick(self, node: nodes.For | nodes.Macro | nodes.CallBlock) -> nodes.Node:
        self.generic_visit(node)
        chars = sum(len(data.data) for data in node.find_all(nodes.TemplateData))
        chars += sum(len(const.value) for const in node.find_all(nodes.Const) if isinstance(const.value, str))
        statement = nodes.ExprStmt(self._internal_call("limit_tick", nodes.Const(chars), node.lineno))
        statement.set_lineno(node.lineno)
        statement.set_environment(self.environment)
        node.body.insert(0, statement)
        return node

    visit_For = visit_Macro = visit_CallBlock = _with_tick


class LimitedSandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox that keeps a document within limits.Limits."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    limit_tick = staticmethod(tick)
    limit_concat = staticmethod(checked_text)

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = limited_range
        del self.globals["lipsum"]  # lipsum(10**9) would write forever
        self.filters.update(LIMITED_FILTERS)

    def _generate(
        self, source: nodes.Template, name: str | None, filename: str | None, defer_init: bool = False
    ) -> str:
        _Ticks(self).visit(source)
        return super()._generate(source, name, filename, defer_init)

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        if obj is tick or obj is checked_text:
            return obj(*args)
        budget = limits.current()
        budget.check_time()
        owner = getattr(obj, "__self__", None)
        if isinstance(owner, str | bytes | int) and not isinstance(owner, bool):
            args = _check_method(owner, getattr(obj, "__name__", ""), args, kwargs, budget.limits)
        result = super().call(context, obj, *args, **kwargs)
        if not isinstance(obj, Macro) and isinstance(result, str | bytes | list | tuple | Mapping):
            size = limits.weight(result, budget.limits.text_chars)
            limits.check_text(getattr(obj, "__name__", "()"), size, budget.limits)
            budget.charge(size)
        return result

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        budget = limits.current()
        size = _binop_size(operator, left, right, budget.limits)
        result = self.binop_table[operator](left, right)
        budget.charge(int(size))
        return result

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """str.format and format_map as the sandbox does them, each field checked for size."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text: str = value.__self__
        formatter = (
            _LimitedEscapeFormatter(self, escape=text.escape) if isinstance(text, Markup) else _LimitedFormatter(self)
        )

        def format_checked(*args: Any, **kwargs: Any) -> str:
            if value.__name__ != "format_map":
                return type(text)(formatter.vformat(text, args, kwargs))
            if kwargs or len(args) != 1:
                raise TypeError("format_map() takes exactly one argument")
            return type(text)(formatter.vformat(text, (), args[0]))

        return format_checked


def _binop_size(operator: str, left: Any, right: Any, limit: limits.Limits) -> float:
    """The size of `left operator right` when it is text, a list or a big integer; refused over the limits."""
    size: float = 0
    if operator == "*":
        if isinstance(left, int) and isinstance(right, int):
            limits.check_bits("*", left.bit_length() + right.bit_length(), limit)
            return 0
        sequence, times = (left, right) if isinstance(right, int) else (right, left)
        if isinstance(sequence, str | bytes | list | tuple) and isinstance(times, int) and times > 0:
            size = times * limits.weight(sequence, limit.text_chars // times + 1)
            limits.check_text("*", size, limit)
            return size
    elif operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            limits.check_bits("**", right * (abs(left).bit_length() - 1), limit)
    elif operator == "%" and isinstance(left, str | bytes):
        size = limits.percent_size(left if isinstance(left, str) else left.decode("latin-1"), right, limit)
        limits.check_text("%", size, limit)
        return size
    elif operator == "+" and isinstance(left, str | bytes | list | tuple):
        size = limits.weight(left, limit.text_chars) + limits.weight(right, limit.text_chars)
        limits.check_text("+", size, limit)
        return size
    return 0


def _check_method(
    owner: str | bytes | int, name: str, args: tuple[Any, ...], kwargs: Mapping[str, Any], limit: limits.Limits
) -> tuple[Any, ...]:
    """Refuse a string (or int) method call that would make text over the limit; the arguments to call it with."""
    values = [*args, *(value for key, value in kwargs.items() if not key.startswith("_"))]  # not _loop_vars
    numbers = sum(abs(value) for value in values if isinstance(value, int))
    size: float = 0
    if isinstance(owner, int):
        size = numbers if name == "to_bytes" else 0
    elif name in ("center", "ljust", "rjust", "zfill"):
        size = len(owner) + numbers
    elif name == "expandtabs":
        tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
        size = len(owner) + tabs * (numbers or 8)
    elif name == "replace" and len(values) >= 2:
        size = _replaced_size(owner, values[0], values[1])
    elif name == "translate":
        size = len(owner) * (1 + limits.weight(values, limit.text_chars))
    elif name == "join" and len(args) == 1:
        items = list(args[0])
        size = len(owner) * len(items) + limits.weight(items, limit.text_chars)
        args = (items,)
    limits.check_text(name, size, limit)
    return args


def _replaced_size(text: str | bytes, old: Any, new: Any) -> float:
    """The length of `text.replace(old, new)` (at most: a count argument only replaces fewer)."""
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        found = text.count(old)
    elif isinstance(text, bytes) and isinstance(old, bytes) and isinstance(new, bytes):
        found = text.count(old)
    else:
        return len(text)  # Python refuses the types
    return len(text) + found * max(len(new) - len(old), 0)


class _LimitedFormatter(jinja2.sandbox.SandboxedFormatter):
    """The sandbox's str.format, refusing a result over the text limit before making it."""

    size: float = 0

    def vformat(self, format_string: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> str:
        self.size = len(format_string)
        return super().vformat(format_string, args, kwargs)

    def format_field(self, value: Any, format_spec: str) -> Any:
        limit = limits.current().limits
        self.size += limits.format_spec_size(format_spec) + limits.weight(value, limit.text_chars)
        limits.check_text("format", self.size, limit)
        return super().format_field(value, format_spec)


class _LimitedEscapeFormatter(_LimitedFormatter, EscapeFormatter):
    """The same for a Markup string: its fields escaped, as markupsafe does."""
