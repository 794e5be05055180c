"""What each output was made from, so that a build redoes only what changed.

`out/.manifest.json` keeps, per document (`<case id>/<kind>`), a fingerprint
of everything its text depends on — the case file, the shop profile, the
template, the as-of date, PDF or PDF/A, and the code with its data (the key-rate table ships
inside the package) — and the size and modification time of each file written
for it. A document is skipped when its fingerprint is the same and each file
asked for is still there, untouched since. Anything else — a changed input, a
deleted or edited file, a manifest lost or unreadable — means "build it
again", never a wrong skip.

The manifest is written once at the end of a build (atomically, merged with
the entries of cases this build did not touch); a build killed before that
leaves the old manifest, and the next build redoes what the killed one did.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.store.outputs import write_atomic

MANIFEST_NAME = ".manifest.json"
FORMAT_VERSION = 1
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # pipeline/


@functools.cache
def code_fingerprint() -> str:
    """SHA-256 over the package's code and data (key rates included)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix in (".py", ".csv", ".json")):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, hashed again only when its size or mtime changed."""
    stat = Path(path).stat()
    return _sha256_of(Path(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=4096)
def _sha256_of(path: Path, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def document_fingerprint(
    case_file: Path, shop_file: Path, template: Path, as_of: str, kind: str, pdf_a: bool = False, extra: str = ""
) -> str:
    """What a document's files depend on, as one SHA-256; `extra` names inputs outside the files
    (the key-rate table in use, the allowance of unconfirmed rates, the holiday calendar's version)."""
    parts = [code_fingerprint(), file_sha256(case_file), file_sha256(shop_file), file_sha256(template), as_of, kind]
    parts += ["PDF/A-2b" if pdf_a else "PDF", extra]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One document: its fingerprint and, by file name, the (size, mtime_ns) of each file written."""

    fingerprint: str
    files: dict[str, tuple[int, int]]


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


class Manifest:
    """The manifest of one output folder."""

    def __init__(self, out_dir: Path, entries: dict[str, Entry]):
        self.out_dir = out_dir
        self._entries = entries

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """The folder's manifest; an empty one when it is missing or unreadable."""
        try:
            data = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT_VERSION:
                return cls(out_dir, {})
            entries = {
                key: Entry(value["fingerprint"], {name: (int(s), int(m)) for name, (s, m) in value["files"].items()})
                for key, value in data["documents"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls(out_dir, {})
        return cls(out_dir, entries)

    def is_fresh(self, key: str, fingerprint: str, files: Iterable[Path]) -> bool:
        """True when `key` was made from the same fingerprint and each of `files` is as it was written."""
        entry = self._entries.get(key)
        if entry is None or entry.fingerprint != fingerprint:
            return False
        for path in files:
            recorded = entry.files.get(path.name)
            if recorded is None or _stat(path) != recorded:
                return False
        return True

    def record(self, key: str, fingerprint: str, files: Iterable[Path]) -> None:
        """Remember the files just written for `key` (a missing file is left out, so it is rebuilt)."""
        stats = {path.name: stat for path in files if (stat := _stat(path)) is not None}
        self._entries[key] = Entry(fingerprint, stats)

    def forget(self, key: str) -> None:
        self._entries.pop(key, None)

    def save(self) -> None:
        documents = {
            key: {"fingerprint": entry.fingerprint, "files": {name: list(stat) for name, stat in entry.files.items()}}
            for key, entry in sorted(self._entries.items())
        }
        data = {"format": FORMAT_VERSION, "documents": documents}
        self.out_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(self.out_dir / MANIFEST_NAME, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode())


def manifest_key(case_id: str, kind: str) -> str:
    return f"{case_id}/{kind}"
