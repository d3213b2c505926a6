"""``python -m briefing`` runs the command-line interface."""

from briefing.cli import main

main()
