"""Documentation keeps up with the code: every setting and every CLI command and option is documented."""

from __future__ import annotations

import argparse
import re

from generator.cli import build_parser
from generator.settings import Settings
from tests.conftest import ROOT


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "configuration.md").read_text()
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", doc, flags=re.M))
    missing = set(Settings.model_fields) - documented
    assert not missing, f"settings missing from docs/configuration.md: {sorted(missing)}"
    stale = documented - set(Settings.model_fields)
    assert not stale, f"docs/configuration.md documents settings that do not exist: {sorted(stale)}"


def _commands(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, argparse.ArgumentParser]:
    found = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found[f"{prefix}{name}"] = sub
                found.update(_commands(sub, f"{prefix}{name} "))
    return found


def test_every_cli_command_and_option_is_documented() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text()
    for name, sub in _commands(build_parser()).items():
        assert f"marketnews {name}" in doc, f"docs/cli.md does not document 'marketnews {name}'"
        for action in sub._actions:
            for opt in action.option_strings:
                if opt.startswith("--") and opt != "--help":
                    assert opt in doc, f"docs/cli.md does not document {opt} of 'marketnews {name}'"


def test_every_docs_page_is_linked_from_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert f"docs/{page.name}" in readme, f"README.md does not link docs/{page.name}"


def test_links_between_docs_pages_resolve() -> None:
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([\w./-]+\.md)(?:#[\w-]*)?\)", page.read_text()):
            assert (page.parent / target).exists(), f"{page.name} links {target}, which does not exist"
