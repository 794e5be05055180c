"""Map a function over many items in forked worker processes, results in order.

Used to render a large `--format docx` build on every core (with PDFs, the
cores belong to LibreOffice and rendering stays in one process). Workers are
forked, so they inherit the items, the function and everything it closes
over — compiled templates included — without pickling; only the results
travel back, and they must be small and picklable. Below `min_items`, with
one worker, or where fork does not exist, it is a plain `map`.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

CHUNK = 8  # items a worker takes at a time: few round trips, even shares
# Set in the parent just before forking. One slot for whatever map_forked was called with, so its
# types are not known here; map_forked's signature ties the results back to Result.
_work: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def _call(index: int) -> Any:
    assert _work is not None
    function, items = _work
    return function(items[index])


def map_forked(
    function: Callable[[Item], Result], items: Sequence[Item], workers: int, min_items: int = 4 * CHUNK
) -> Iterator[Result]:
    """`function(item)` for each item, in order, computed by up to `workers` forked processes."""
    global _work
    if workers <= 1 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(function, items)
        return
    _work = (function, items)
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(items) // CHUNK)) as pool:
            yield from pool.imap(_call, range(len(items)), chunksize=CHUNK)
    finally:
        _work = None
