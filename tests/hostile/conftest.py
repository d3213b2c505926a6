"""What the hostile tests share: a clean workspace, and a folder outside it that nothing may
touch."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.helpers import GOOD, ISSUE_ID, workspace


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the workspace, holding ``target.txt`` (24 bytes): a link or a record
    pointing here must neither read nor change it."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "target.txt").write_text("a file on the CI runner\n", encoding="utf-8")
    return folder


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A workspace whose one issue has one clean article, ``01-good.md``."""
    return workspace(tmp_path / "ws", {f"issues/{ISSUE_ID}/01-good.md": GOOD})
