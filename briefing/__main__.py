"""``python -m briefing`` and the ``briefing`` console script.

The command line is imported inside ``run`` so that a Ctrl-C while typer and rich are still
being imported ends quietly (exit 130) instead of printing a traceback.
"""

import sys


def run() -> None:
    try:
        from briefing.cli import main
    except KeyboardInterrupt:
        sys.exit(130)
    main()


if __name__ == "__main__":
    run()
