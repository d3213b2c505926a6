"""``python -m briefing`` and the ``briefing`` console script.

The command line is imported inside ``run`` so that a Ctrl-C while typer and rich are still
being imported ends quietly (exit 130) instead of printing a traceback.
"""

import gc
import sys


def run() -> None:
    try:
        from briefing.cli import main
    except KeyboardInterrupt:
        sys.exit(130)
    try:
        main()
    finally:
        # The command is done; what is left is freed with the process. Frozen, it is skipped
        # by the collector's passes while the interpreter shuts down (≈ 40 ms a command).
        gc.freeze()


if __name__ == "__main__":
    run()
