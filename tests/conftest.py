"""Shared fixtures: the project's own shop profile and example cases."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The throw-away PostgreSQL server and the journal's two databases, as fixtures for every test file.
pytest_plugins = ["postgres_cluster", "journal_backends"]


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def shop_path() -> Path:
    return ROOT / "shop.yaml"


@pytest.fixture
def write_case(tmp_path):
    """Write a case file from text into tmp_path and return its path."""

    def write(text: str, name: str = "case.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/*.txt from the templates (make golden) instead of comparing",
    )


def _working_folders_state() -> dict[str, tuple[int, int] | None]:
    """The working folder's journal and manifest as `make docs` left them (size, mtime), or None."""
    found = {}
    for name in ("state/journal.sqlite", "out/.manifest.json"):
        path = ROOT / name
        found[name] = (path.stat().st_size, path.stat().st_mtime_ns) if path.exists() else None
    return found


@pytest.fixture(scope="session", autouse=True)
def the_working_folders_are_not_touched():
    """No test writes the repository's own state/ or out/ (the shop's journal and documents): each test
    names its journal and output folder in tmp. Fails the session's last test when one does."""
    before = _working_folders_state()
    yield
    assert _working_folders_state() == before, "a test wrote the repository's state/ or out/: pass --state/--out"
