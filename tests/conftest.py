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
