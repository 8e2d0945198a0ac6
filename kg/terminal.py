"""How every `kg` command meets the terminal: an option per setting, errors as exit codes, aligned tables.

Shared by the `kg` group (kg.cli) and its subgroups (kg.analytics.cli), which kg.cli adds.
"""
from __future__ import annotations

import functools
import sys
from collections.abc import Callable

import click

from kg.errors import KGError
from kg.settings import SETTINGS, env_name, from_environment


def settings_options(command: Callable) -> Callable:
    """Add one option per declared setting; the command receives a ``settings`` argument."""
    @functools.wraps(command)
    def wrapper(**kwargs: object) -> object:
        given = {s.name: kwargs.pop(s.name) for s in SETTINGS}
        return command(settings=from_environment().with_overrides(**given), **kwargs)

    for setting in reversed(SETTINGS):
        option_type = int if isinstance(setting.default, int) else str
        wrapper = click.option(f"--{setting.name.replace('_', '-')}", setting.name, type=option_type, default=None,
                               help=f"{setting.metadata['help']} [env {env_name(setting)}; "
                                    f"default {setting.default}]")(wrapper)
    return wrapper


def reports_errors(command: Callable) -> Callable:
    """Typed library errors → 'error: …' on stderr and the error's exit code."""
    @functools.wraps(command)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            return command(*args, **kwargs)
        except KGError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)
    return wrapper


def aligned(names: list[str], rows: list[list[str]]) -> str:
    """Rows of text cells as a table under a header, with a row count."""
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    out = [line(names), line(["-" * w for w in widths]), *(line(r) for r in rows)]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)
