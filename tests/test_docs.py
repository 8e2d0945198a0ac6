"""The README's settings table is in step with the declared settings."""
from __future__ import annotations

from kg.settings import SETTINGS, env_name
from tests.conftest import ROOT


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for setting in SETTINGS:
        row = next((line for line in readme.splitlines() if line.startswith(f"| `--{setting.name.replace('_', '-')}`")), None)
        assert row is not None, f"README has no row for {setting.name}"
        assert f"`{env_name(setting)}`" in row and setting.metadata["help"] in row


def test_every_cli_command_is_in_the_readme():
    from kg.cli import main

    readme = (ROOT / "README.md").read_text()
    for name in main.commands:
        assert f"kg {name}" in readme, name
