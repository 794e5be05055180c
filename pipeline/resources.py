"""What the program ships inside the package (the JSON Schemas, the key-rate
table, the default Word templates) and the user's folders it defaults to.

Everything shipped is read through importlib.resources, so a plain
`pip install` works from any working directory; the user's folders
(`templates/`, `shop.yaml`, `state/`, `out/`) are relative to the working
directory, as the README's commands expect when run from the repository.
"""

from __future__ import annotations

import importlib
from importlib import resources
from pathlib import Path

# The user's folders, relative to the working directory.
SHOP_FILE = Path("shop.yaml")
CASES_DIR = Path("cases")
OUT_DIR = Path("out")
STATE_DIR = Path("state")
TEMPLATES_DIR = Path("templates")


def schemas_dir() -> Path:
    return Path(str(resources.files("pipeline.inputs").joinpath("schemas")))


def figures_data_text(name: str) -> str:
    """A data table shipped in `pipeline/figures/data/` (key rates, state duty, court rules)."""
    return resources.files("pipeline.figures").joinpath(f"data/{name}").read_text(encoding="utf-8")


def key_rates_text() -> str:
    return figures_data_text("key_rates.csv")


def shipped_templates_dir() -> Path:
    """The templates the package ships: the repository's `templates/`, copied into the wheel
    as `pipeline/templates/` (pyproject.toml); in a source checkout, that folder itself."""
    try:
        package = importlib.import_module("pipeline.templates")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[1] / "templates"
    # templates/ has no __init__.py (it is the lawyer's folder): a namespace package, whose
    # resources.files() is a MultiplexedPath, not a path; its one folder is __path__[0].
    return Path(next(iter(package.__path__)))


def default_templates_dir() -> Path:
    """`templates/` of the working directory when there is one (the lawyer's copy), else the shipped ones."""
    return TEMPLATES_DIR if TEMPLATES_DIR.is_dir() else shipped_templates_dir()


def is_office_temporary(path: Path) -> bool:
    """Word's owner file (`~$etension.docx`) and LibreOffice's lock (`.~lock.pretension.docx#`) exist
    while a template is open; they are not templates."""
    return path.name.startswith(("~$", ".~lock.", "~WRL")) or path.name.startswith(".")


def template_files(folder: Path) -> tuple[Path, ...]:
    """The Word templates in `folder`, without the lock and temporary files an open editor leaves there."""
    return tuple(path for path in sorted(folder.glob("*.docx")) if not is_office_temporary(path))
