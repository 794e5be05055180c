"""Jinja's filters that make long text from short, each refusing (before it
runs) a result over the text limit and charging what it makes to the
document's budget (limits.py). The rest of Jinja's filters make at most a few
times what they are given and are used as they are.

Each is `pass_context`, which also keeps Jinja from running it at compile time
on constant arguments: a check that fails while compiling would only make the
folding give up, and a folded result would escape the document's budget.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from jinja2 import filters, pass_context
from jinja2.runtime import Context

from pipeline.word import limits


def _made(operation: str, size: float, make: Callable[[], Any]) -> Any:
    budget = limits.current()
    limits.check_text(operation, size, budget.limits)
    result = make()
    budget.charge(len(result) if isinstance(result, str) else int(size))
    return result


def _text_weight(value: Any) -> int:
    return limits.weight(value, limits.current().limits.text_chars)


@pass_context
def center(context: Context, value: Any, width: int = 80) -> Any:
    return _made("center", len(str(value)) + abs(width), lambda: filters.do_center(value, width))


@pass_context
def indent(context: Context, s: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> Any:
    step = len(width) if isinstance(width, str) else abs(width)
    size = len(str(s)) + (str(s).count("\n") + 2) * step
    return _made("indent", size, lambda: filters.do_indent(s, width, first, blank))


@pass_context
def format_(context: Context, value: Any, *args: Any, **kwargs: Any) -> Any:
    size = limits.percent_size(str(value), kwargs or args, limits.current().limits)
    return _made("format", size, lambda: filters.do_format(value, *args, **kwargs))


@pass_context
def replace(context: Context, s: Any, old: Any, new: Any, count: int | None = None) -> Any:
    text, old_text, new_text = str(s), str(old), str(new)
    found = text.count(old_text) if old_text else len(text) + 1
    size = len(text) + min(found, count if count is not None and count >= 0 else found) * len(new_text)
    return _made("replace", size, lambda: filters.do_replace(context.eval_ctx, s, old, new, count))


@pass_context
def join(context: Context, value: Iterable[Any], d: str = "", attribute: str | int | None = None) -> Any:
    items = list(value)
    size = len(str(d)) * len(items) + _text_weight(items)
    return _made("join", size, lambda: filters.sync_do_join(context.eval_ctx, items, d, attribute))


@pass_context
def wordwrap(
    context: Context,
    s: Any,
    width: int = 79,
    break_long_words: bool = True,
    wrapstring: str | None = None,
    break_on_hyphens: bool = True,
) -> Any:
    size = len(str(s)) * (1 + len(wrapstring if wrapstring is not None else "\n"))
    return _made(
        "wordwrap",
        size,
        lambda: filters.do_wordwrap(context.environment, s, width, break_long_words, wrapstring, break_on_hyphens),
    )


@pass_context
def batch(context: Context, value: Iterable[Any], linecount: int, fill_with: Any = None) -> Any:
    items = list(value)
    size = _text_weight(items) + (abs(linecount) * _text_weight(fill_with) if fill_with is not None else 0)
    return _made("batch", size, lambda: list(filters.do_batch(items, linecount, fill_with)))


@pass_context
def slice_(context: Context, value: Iterable[Any], slices: int, fill_with: Any = None) -> Any:
    items = list(value)
    size = _text_weight(items) + abs(slices) * (2 + _text_weight(fill_with))
    return _made("slice", size, lambda: list(filters.sync_do_slice(items, slices, fill_with)))


@pass_context
def tojson(context: Context, value: Any, indent: int | None = None) -> Any:
    size = _text_weight(value) * (2 + abs(indent or 0))
    return _made("tojson", size, lambda: filters.do_tojson(context.eval_ctx, value, indent))


@pass_context
def urlize(context: Context, value: Any, *args: Any, **kwargs: Any) -> Any:
    extra = sum(len(str(arg)) for arg in (*args, *kwargs.values()) if isinstance(arg, str))
    size = len(str(value)) * (12 + extra)
    return _made("urlize", size, lambda: filters.do_urlize(context.eval_ctx, value, *args, **kwargs))


@pass_context
def sum_(context: Context, iterable: Iterable[Any], attribute: str | int | None = None, start: Any = 0) -> Any:
    items = list(iterable)
    if isinstance(start, int | float):
        return filters.sync_do_sum(context.environment, items, attribute, start)
    # Lists or tuples added one after another: each addition copies everything so far.
    size = _text_weight(items) * max(len(items), 1) + _text_weight(start)
    return _made("sum", size, lambda: filters.sync_do_sum(context.environment, items, attribute, start))


@pass_context
def round_(context: Context, value: Any, precision: int = 0, method: str = "common") -> Any:
    # round(5, -10**9) and the ceil/floor methods' 10**precision build a number of a billion digits.
    if isinstance(precision, int):
        limits.check_bits("round", abs(precision) * math.log2(10), limits.current().limits)
    return filters.do_round(value, precision, method)  # type: ignore[arg-type]


LIMITED_FILTERS: dict[str, Callable[..., Any]] = {
    "center": center,
    "indent": indent,
    "format": format_,
    "replace": replace,
    "join": join,
    "wordwrap": wordwrap,
    "batch": batch,
    "slice": slice_,
    "tojson": tojson,
    "urlize": urlize,
    "sum": sum_,
    "round": round_,
}
