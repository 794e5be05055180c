"""The case files a build found valid, so that the next build over unchanged files skips their checks.

Kept in `out/.manifest.json` (its "validated" part, manifest.py): the SHA-256 of the bytes of each case
file found with no error, and the warnings its checks gave. A verdict counts only for the very same
bytes, wherever the file now is (nothing the checks say depends on its path but the path they print),
and only in the same context: the bytes of the shop profile (a case's penalty terms are checked against
the shop's), the package's code, schemas and data (manifest.code_fingerprint), and the Python, PyYAML
and jsonschema that read and checked it. Any change of the context and every file is checked again.
What is not a file's own — an id repeated in another file — is checked on every build, and so is
everything that depends on the as-of date (the events after it, event_rules.check_events_in_run: a
run's check, not validation's). A part that is missing, unreadable or not as written is no verdicts at
all: every file is checked. The manifest keeps the verdicts of the files of the last build only.
"""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Sequence
from dataclasses import asdict, fields, replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

from pipeline.models import Problem

_TEXT_FIELDS = frozenset({"field", "message", "hint", "paragraph", "severity"})
_NUMBER_FIELDS = frozenset({"line", "column", "paragraph_number"})  # an int or None
# What a kept warning holds: a Problem but its path, which is the file's where it is read.
WARNING_FIELDS = frozenset(field.name for field in fields(Problem)) - {"path"}


def validation_context(shop_path: Path) -> str:
    """What a case file's verdict depends on beyond its own bytes, as one SHA-256."""
    import yaml

    from pipeline.store.manifest import code_fingerprint  # manifest.py keeps the verdicts: imported late

    try:
        shop = hashlib.sha256(shop_path.read_bytes()).hexdigest()
    except OSError:
        shop = "no shop profile"  # validation says why; no verdict is recorded then (nothing is built)
    parts = [
        "validated 1",
        shop,
        code_fingerprint(),
        platform.python_version(),
        f"PyYAML {yaml.__version__} libyaml {getattr(yaml, '__with_libyaml__', False)}",
        f"jsonschema {version('jsonschema')} referencing {version('referencing')}",
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class ValidatedFiles:
    """The verdicts of one context: SHA-256 of a file's bytes → its warnings (their path left out)."""

    def __init__(self, context: str = "", valid: dict[str, tuple[Problem, ...]] | None = None):
        self.context = context
        self._valid = dict(valid or {})
        self._used: set[str] = set()  # the verdicts this build gave or made: the ones kept

    @classmethod
    def from_json(cls, data: Any) -> ValidatedFiles:
        """The verdicts as the manifest keeps them; none when anything in them is not as written."""
        try:
            context, valid = data["context"], data["valid"]
            verdicts = {digest: tuple(_warning(item) for item in warnings) for digest, warnings in valid.items()}
        except (KeyError, TypeError, AttributeError, ValueError):
            return cls()
        if not isinstance(context, str) or not all(isinstance(digest, str) for digest in verdicts):
            return cls()
        return cls(context, verdicts)

    def to_json(self) -> dict[str, Any]:
        """The verdicts this build used or made, as the manifest keeps them."""
        valid = {digest: [_fields(warning) for warning in self._valid[digest]] for digest in sorted(self._used)}
        return {"context": self.context, "valid": valid}

    def in_context(self, context: str) -> ValidatedFiles:
        """These verdicts when they were made in `context`; else none, recording anew in it."""
        return self if context == self.context else ValidatedFiles(context)

    def warnings_of(self, path: str, digest: str) -> list[Problem] | None:
        """The warnings, at `path`, of a file whose bytes (`digest`) were found valid; else None."""
        warnings = self._valid.get(digest)
        if warnings is None:
            return None
        self._used.add(digest)
        return [replace(warning, path=path) for warning in warnings]

    def record(self, path: str, digest: str, warnings: Sequence[Problem]) -> None:
        """A file of these bytes found without error, with these warnings (at `path`)."""
        self._valid[digest] = tuple(replace(warning, path="") for warning in warnings)
        self._used.add(digest)

    def __len__(self) -> int:
        return len(self._valid)


def _fields(warning: Problem) -> dict[str, Any]:
    kept = asdict(warning)
    del kept["path"]
    return kept


def _warning(data: Any) -> Problem:
    """A warning as the manifest keeps it; ValueError when a field is missing, unknown or of a wrong type."""
    if not isinstance(data, dict) or set(data) != WARNING_FIELDS:
        raise ValueError("not a warning")
    for name, value in data.items():
        text = name in _TEXT_FIELDS and isinstance(value, str)
        number = name in _NUMBER_FIELDS and (value is None or (isinstance(value, int) and not isinstance(value, bool)))
        if not (text or number):
            raise ValueError(f"{name}: {value!r}")
    return Problem(path="", **data)
