"""The case files a build found valid, so that the next build over unchanged files skips their checks.

Kept in `out/.manifest.json` (its "validated" part, manifest.py): per case file, the SHA-256 of the
bytes that were checked and the warnings the checks gave — only for a file with no error. A verdict
counts only for the very same bytes, and only in the same context: the bytes of the shop profile (a
case's penalty terms are checked against the shop's), the package's code, schemas and data
(manifest.code_fingerprint), and the Python, PyYAML and jsonschema that read and checked it. Any change
of the context and every file is checked again. What is not a file's own — an id repeated in another
file — is checked on every build, and so is everything that depends on the as-of date (the events
after it, event_rules.check_events_in_run: a run's check, not validation's). A part that is missing,
unreadable or of another format is no verdicts at all: every file is checked.
"""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Sequence
from dataclasses import asdict, fields
from importlib.metadata import version
from pathlib import Path
from typing import Any

from pipeline.models import Problem

_TEXT_FIELDS = frozenset({"path", "field", "message", "hint", "paragraph", "severity"})
_NUMBER_FIELDS = frozenset({"line", "column", "paragraph_number"})  # an int or None
PROBLEM_FIELDS = frozenset(field.name for field in fields(Problem))  # what a kept warning must have


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
    """The verdicts of one context: file path → (SHA-256 of its bytes, its warnings)."""

    def __init__(self, context: str = "", files: dict[str, tuple[str, tuple[Problem, ...]]] | None = None):
        self.context = context
        self._files = dict(files or {})

    @classmethod
    def from_json(cls, data: Any) -> ValidatedFiles:
        """The verdicts as the manifest keeps them; none when anything in them is not as written."""
        try:
            files = {
                path: (entry["sha256"], tuple(_problem(item) for item in entry["warnings"]))
                for path, entry in data["files"].items()
                if isinstance(path, str) and isinstance(entry["sha256"], str)
            }
            context = data["context"]
        except (KeyError, TypeError, AttributeError, ValueError):
            return cls()
        return cls(context, files) if isinstance(context, str) else cls()

    def to_json(self) -> dict[str, Any]:
        files = {
            path: {"sha256": digest, "warnings": [asdict(problem) for problem in warnings]}
            for path, (digest, warnings) in sorted(self._files.items())
        }
        return {"context": self.context, "files": files}

    def in_context(self, context: str) -> ValidatedFiles:
        """These verdicts when they were made in `context`; else none, recording anew in it."""
        return self if context == self.context else ValidatedFiles(context)

    def warnings_of(self, path: str, digest: str) -> list[Problem] | None:
        """The warnings of the file at `path` when these very bytes were found valid; else None."""
        entry = self._files.get(path)
        if entry is None or entry[0] != digest:
            return None
        return list(entry[1])

    def record(self, path: str, digest: str, warnings: Sequence[Problem]) -> None:
        """The file at `path`, these bytes, found without error and with these warnings."""
        self._files[path] = (digest, tuple(warnings))

    def forget_missing(self) -> None:
        """Drop the verdicts of files no longer there (deleted or renamed cases)."""
        for path in [path for path in self._files if not Path(path).is_file()]:
            del self._files[path]

    def __len__(self) -> int:
        return len(self._files)


def _problem(data: Any) -> Problem:
    """A warning as the manifest keeps it; ValueError when a field is missing, unknown or of a wrong type."""
    if not isinstance(data, dict) or set(data) != PROBLEM_FIELDS:
        raise ValueError("not a problem")
    for name, value in data.items():
        text = name in _TEXT_FIELDS and isinstance(value, str)
        number = name in _NUMBER_FIELDS and (value is None or (isinstance(value, int) and not isinstance(value, bool)))
        if not (text or number):
            raise ValueError(f"{name}: {value!r}")
    return Problem(**data)
