"""The README stays true: its settings table, its commands, its example queries and requests."""
from __future__ import annotations

import re

from click.testing import CliRunner

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


def test_every_readme_query_runs_on_the_seeds(seeds_built):
    """Every example query runs; those about what the seeds hold find it.

    Two examples need more than a plain build of the seeds: a stored analytics run, and a
    quote about the IRGC (the seeds quote nobody about it; tests/test_facts.py covers it).
    """
    _, store, _ = seeds_built
    queries = re.findall(r"```sparql\n(.*?)```", (ROOT / "README.md").read_text(), re.DOTALL)
    assert len(queries) >= 5
    for query in queries:
        answers = list(store.query(query))
        if "kg:AnalyticsRun" not in query and "organization/irgc" not in query:
            assert answers, query


def test_every_readme_request_answers_on_the_seeds(seeds_built):
    """Each `curl` example, answered by `kg serve --get` (no socket) over the built seeds."""
    from kg.cli import main

    settings, _, _ = seeds_built
    paths = re.findall(r"^curl '[a-z]+://[^/']+(/[^']*)'", (ROOT / "README.md").read_text(), re.MULTILINE)
    assert len(paths) >= 4
    for path in paths:
        result = CliRunner().invoke(main, ["serve", "--store", settings.store, "--query-workers", "1", "--get", path])
        assert result.exit_code == 0, (path, result.output)
