"""In which documents a variable that may be empty is filled. context.py fills every
group the same way for every kind but two: a kind's due rule reads some groups, so a
case has them whenever that kind is made (DocumentKind.needs), and the sent overdue
notice comes from the journal, only to the kinds that recount it.
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.documents import BY_NAME, DocumentKind
from pipeline.wording.variables import variable_paths

ALWAYS, SOMETIMES, NEVER = "always", "sometimes", "never"
_PATHS = variable_paths()

# The groups context.py fills only for kinds with a property; elsewhere they are always empty.
_FILLED_ONLY_FOR: dict[str, Callable[[DocumentKind], bool]] = {"notice": lambda kind: kind.recounts_notice}


def presence(path: str, kind: DocumentKind | None) -> str:
    """ALWAYS, SOMETIMES (when the case has it) or NEVER filled in a document of `kind`
    (None: a lawyer's letter, or a template of no kind: built on request for any case)."""
    variable = _PATHS.get(path)
    if variable is None or not variable.optional:
        return ALWAYS
    if kind is not None and path in kind.needs:
        return ALWAYS
    only_for = _FILLED_ONLY_FOR.get(path)
    if only_for is not None and (kind is None or not only_for(kind)):
        return NEVER
    return SOMETIMES


def always_filled(kind_name: str) -> frozenset[str]:
    """The variables that may be empty elsewhere but never are in a document of `kind_name`."""
    kind = BY_NAME.get(kind_name)
    return frozenset(kind.needs) if kind is not None else frozenset()
