"""The one golden-file helper of the DOCX and HTML tests.

A golden file is only ever written when ``BRIEFING_UPDATE_GOLDEN=1``; otherwise a missing or
different golden file fails the test, so a golden can never silently regenerate itself.
"""

from __future__ import annotations

import os
from pathlib import Path

UPDATE_VARIABLE = "BRIEFING_UPDATE_GOLDEN"


def check_golden(path: Path, actual: str) -> None:
    """Compare *actual* with the golden file at *path* (``BRIEFING_UPDATE_GOLDEN=1`` rewrites it)."""
    if os.environ.get(UPDATE_VARIABLE) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert path.is_file(), f"golden file {path} missing: run with {UPDATE_VARIABLE}=1"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{path.name} differs from the golden file; inspect the diff and rerun with "
        f"{UPDATE_VARIABLE}=1 if the change is intended"
    )
