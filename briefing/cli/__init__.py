"""The ``briefing`` command line: the only package that prints or exits.

``common`` holds the typer app and what every command shares; ``report`` formats results;
each other module holds one group of commands, registered on the app when imported, in the
order ``briefing --help`` lists them.
"""

from __future__ import annotations

import signal
import sys

# Importing a command module registers its commands; ``--help`` lists them in this order.
# isort: off
from briefing.cli import create, check, produce, archive, instructions  # noqa: F401

# isort: on
from briefing.cli.common import Terminated, app

__all__ = ["app", "main"]


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main() -> None:
    """Console-script entry point: SIGTERM unwinds like Ctrl-C; Ctrl-C never prints a traceback."""
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        app()
    except Terminated:
        sys.exit(143)
    except KeyboardInterrupt:
        sys.exit(130)
    finally:
        signal.signal(signal.SIGTERM, previous)
