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


def test_every_cli_command_and_option_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for name, sub in _commands(build_parser()).items():
        assert f"marketnews {name}" in readme, f"README.md does not document 'marketnews {name}'"
        for action in sub._actions:
            for opt in action.option_strings:
                if opt.startswith("--") and opt != "--help":
                    assert opt in readme, f"README.md does not document {opt} of 'marketnews {name}'"
