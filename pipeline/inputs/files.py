"""Which files are cases: every *.yaml / *.yml under the given files and folders,
hidden ones skipped, each file once however many ways it is reached.

A symbolic link found in a cases folder is followed only when it stays inside
that folder: a link out of it (to /etc, to another shop's cases) is refused, a
link to nothing is skipped with a warning. A file named on the command line is
read wherever it is: the user chose it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.models import Problem

CASE_SUFFIXES = (".yaml", ".yml")


@dataclass
class FoundFiles:
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # missing paths, links out of the folder
    warnings: list[Problem] = field(default_factory=list)  # links to nothing
    refused: int = 0  # links out of the folder: files checked, and wrong
    _seen: dict[Path, Path] = field(default_factory=dict)  # the real file → how it was first reached

    def add(self, path: Path, real: Path) -> None:
        """Add `path`, which leads to `real`, unless that file is already in; the file itself
        is shown rather than a link to it."""
        first = self._seen.get(real)
        if first is None:
            self._seen[real] = path
            self.files.append(path)
        elif first.is_symlink() and not path.is_symlink():
            self._seen[real] = path
            self.files[self.files.index(first)] = path


def _link_target(link: Path) -> str:
    try:
        return os.readlink(link)
    except OSError:  # pragma: no cover - it was a link a moment ago
        return "?"


def _real(path: Path) -> Path | None:
    """Where a path really leads, or None when it leads nowhere (a missing target, a loop)."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
        return None
    return real


def _add_link(found: FoundFiles, link: Path, folder: Path, real_folder: Path) -> None:
    real = _real(link)
    if real is None:
        found.warnings.append(
            Problem(
                str(link),
                1,
                1,
                "",
                f"ссылка ведёт на несуществующий файл ({_link_target(link)})",
                "файл пропущен; восстановите файл или удалите ссылку",
                severity="warning",
            )
        )
    elif not real.is_relative_to(real_folder):
        found.refused += 1
        found.problems.append(
            Problem(
                str(link),
                1,
                1,
                "",
                f"ссылка ведёт за пределы папки дел: {real}",
                f"дела читаются только из {folder}; скопируйте файл туда или удалите ссылку",
            )
        )
    elif real.is_file():
        found.add(link, real)


def _add_folder(found: FoundFiles, folder: Path) -> None:
    real_folder = folder.resolve()
    for candidate in sorted(folder.rglob("*")):
        hidden = any(part.startswith(".") for part in candidate.relative_to(folder).parts)
        if candidate.suffix not in CASE_SUFFIXES or hidden:
            continue
        if candidate.is_symlink():
            _add_link(found, candidate, folder, real_folder)
        elif candidate.is_file():
            found.add(candidate, candidate.resolve())


def find_case_files(paths: Sequence[Path]) -> FoundFiles:
    """Every case file under `paths`, sorted within each folder, once each."""
    found = FoundFiles()
    for path in paths:
        if path.is_dir():
            _add_folder(found, path)
        elif path.is_file():
            found.add(path, path.resolve())
        else:
            found.problems.append(Problem(str(path), 1, 1, "", "нет такого файла или папки", "проверьте путь"))
    return found
