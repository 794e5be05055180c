"""The written contract of the command line keeps up with the parser: every subcommand and every
option of `pipeline.cli.build_parser()` is in docs/cli.md, and every subcommand in the README's table."""

import argparse
import re
from pathlib import Path

from pipeline.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
HELP = frozenset({"-h", "--help"})


def subcommands() -> dict[str, argparse.ArgumentParser]:
    """Each subcommand's name and parser, in the parser's order."""
    found: dict[str, argparse.ArgumentParser] = {}
    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.update(action.choices)
    return found


def option_strings(parser: argparse.ArgumentParser) -> list[str]:
    return [option for action in parser._actions for option in action.option_strings if option not in HELP]


def cli_sections() -> dict[str, str]:
    """docs/cli.md's text under each heading "### `pipeline NAME`", by NAME, up to the next heading."""
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    parts = re.split(r"^(#{1,3} .*)$", text, flags=re.MULTILINE)
    sections = {}
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        match = re.fullmatch(r"### `pipeline ([a-z-]+)`", heading.strip())
        if match:
            sections[match.group(1)] = body
    return sections


def readme_commands() -> list[str]:
    """The first word of each row of the table under "## The command line" in README.md."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = (
        text.split("\n## The command line\n", 1)[1].split("\n## ", 1)[0] if "\n## The command line\n" in text else ""
    )
    return re.findall(r"^\| `([^` ]+)[^`]*` \|", section, flags=re.MULTILINE)


def test_the_parser_has_subcommands():
    assert {"validate", "figures", "build", "batch", "check-templates"} <= set(subcommands())


def test_every_subcommand_and_option_is_in_docs_cli_md():
    sections = cli_sections()
    missing_commands = [name for name in subcommands() if name not in sections]
    missing_options = [
        f"{name} {option}"
        for name, parser in subcommands().items()
        for option in option_strings(parser)
        if name in sections and f"`{option}" not in sections[name]
    ]
    top_level = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    missing_options += [option for option in option_strings(build_parser()) if f"`{option}" not in top_level]
    assert not missing_commands and not missing_options, (
        "docs/cli.md lacks a section «### `pipeline NAME`» for: "
        f"{', '.join(missing_commands) or '-'}; and, in its command's section, the options: "
        f"{', '.join(missing_options) or '-'}"
    )


def test_every_subcommand_is_in_the_readme_command_table():
    listed = readme_commands()
    missing = [name for name in subcommands() if name not in listed]
    assert not missing, (
        f"README.md's table under «## The command line» lacks the subcommands: {', '.join(missing)} "
        f"(it lists: {', '.join(listed) or 'nothing'})"
    )


def test_every_option_is_in_its_row_of_the_readme_command_table():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## The command line\n", 1)[1].split("\n## ", 1)[0]
    rows = {match[0]: match[1] for match in re.findall(r"^\| `([^` ]+)[^`]*` \|(.*)$", section, flags=re.MULTILINE)}
    missing = [
        f"{name} {option}"
        for name, parser in subcommands().items()
        for option in option_strings(parser)
        if f"`{option}" not in rows.get(name, "")
    ]
    assert not missing, f"README.md's command table lacks, in the command's row, the options: {', '.join(missing)}"
