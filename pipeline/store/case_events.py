"""A `sent` event written into a case file: the one place the program writes a
user's YAML. The event is appended to the `events:` list as text, so the
user's comments, order and quoting stay as they were; the result is parsed
again before it replaces the file (atomically), and an event already there is
never written twice.

    events:
      - kind: sent
        date: 2026-11-02
        document: ПР-2026-0001
        channel: registered_post
        tracking: "80081234567893"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.inputs.load import load_yaml, parse_yaml
from pipeline.models import Problem
from pipeline.store.outputs import write_atomic

_EVENTS_BLOCK = re.compile(r"^events:[ \t]*(#.*)?$")
_EVENTS_EMPTY_FLOW = re.compile(r"^events:[ \t]*\[[ \t]*\][ \t]*(#.*)?$")
_EVENTS_ANY = re.compile(r"^events:")


@dataclass(frozen=True)
class SentEvent:
    date: date
    document: str  # the journal number: ПР-2026-0001
    tracking: str  # the 14-digit ШПИ
    channel: str = "registered_post"

    def lines(self, indent: str, newline: str) -> str:
        """The event as a block-list item at `indent`."""
        fields = (
            "- kind: sent",
            f"  date: {self.date.isoformat()}",
            f"  document: {self.document}",
            f"  channel: {self.channel}",
            f'  tracking: "{self.tracking}"',
        )
        return "".join(f"{indent}{field}{newline}" for field in fields)


def add_sent_event(path: Path, event: SentEvent) -> bool:
    """Append `event` to the case file at `path`; False when it is there already. InputError (one line
    naming the file, line and field) when the file holds another ШПИ for the document or cannot be edited."""
    loaded = load_yaml(path)
    if _already_sent(loaded.data, loaded.value_marks, event, path):
        return False
    text = path.read_bytes().decode("utf-8")
    updated = _with_event(text, event, path)
    check = parse_yaml(updated, path).data
    if not isinstance(check, dict) or not _same_event(check.get("events", [None])[-1], event):
        raise _cannot_edit(path, 1, "после дописывания файл читается иначе")
    write_atomic(path, updated.encode("utf-8"))
    return True


def _already_sent(data: Any, marks: dict[Any, Any], event: SentEvent, path: Path) -> bool:
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list):
        return False
    for position, existing in enumerate(events):
        if not isinstance(existing, dict) or existing.get("kind") != "sent":
            continue
        if existing.get("document") != event.document:
            continue
        if str(existing.get("tracking", "")) == event.tracking:
            return True
        mark = marks.get(("events", position, "tracking")) or marks.get(("events", position))
        raise InputError(
            [
                Problem(
                    str(path),
                    mark.line if mark else 1,
                    mark.column if mark else 1,
                    f"events[{position + 1}].tracking",
                    f"{event.document} уже записано со ШПИ «{existing.get('tracking')}», "
                    f"а в списке Почты — «{event.tracking}»",
                    "проверьте, какой верен, и исправьте дело вручную",
                )
            ]
        )
    return False


def _same_event(item: Any, event: SentEvent) -> bool:
    return (
        isinstance(item, dict)
        and item.get("kind") == "sent"
        and item.get("document") == event.document
        and str(item.get("tracking")) == event.tracking
        and str(item.get("date")) == event.date.isoformat()
    )


def _with_event(text: str, event: SentEvent, path: Path) -> str:
    """`text` with `event` added at the end of its top-level `events:` list (made when there is none)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    for at, line in enumerate(lines):
        bare = line.rstrip("\r\n")
        if _EVENTS_EMPTY_FLOW.match(bare):
            lines[at] = f"events:{newline}" + event.lines("  ", newline)
            return "".join(lines)
        if _EVENTS_BLOCK.match(bare):
            return _insert_in_block(lines, at, event, newline)
        if _EVENTS_ANY.match(bare):
            raise _cannot_edit(path, at + 1, "список events: записан в одну строку")
    ending = "" if not text or text.endswith("\n") else newline
    return f"{text}{ending}events:{newline}" + event.lines("  ", newline)


def _insert_in_block(lines: list[str], key_at: int, event: SentEvent, newline: str) -> str:
    """Insert after the last line of the block list that starts under `events:` at `key_at`."""
    indent: int | None = None
    last = key_at
    for at in range(key_at + 1, len(lines)):
        stripped = lines[at].strip()
        if not stripped or stripped.startswith("#"):
            continue
        width = len(lines[at]) - len(lines[at].lstrip(" "))
        if indent is None:
            if not stripped.startswith("-"):
                break  # `events:` with nothing under it: the list starts here
            indent = width
        if width > indent or (width == indent and stripped.startswith("-")):
            last = at
        else:
            break
    if not lines[last].endswith("\n"):
        lines[last] += newline
    lines.insert(last + 1, event.lines(" " * (indent if indent is not None else 2), newline))
    return "".join(lines)


def _cannot_edit(path: Path, line: int, why: str) -> InputError:
    return InputError(
        [Problem(str(path), line, 1, "events", f"событие не дописано: {why}", "допишите событие sent вручную")]
    )
