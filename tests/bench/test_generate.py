"""Smoke test of the benchmark's workspace generator: deterministic and clean for ``check``."""

from __future__ import annotations

import sys
from pathlib import Path

from briefing.check import check_workspace
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "bench"))

from generate import generate_workspace


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_generator_is_deterministic_and_passes_check(tmp_path: Path) -> None:
    first = generate_workspace(tmp_path / "a", issues=26, articles=4, seed=7)
    second = generate_workspace(tmp_path / "b", issues=26, articles=4, seed=7)
    assert snapshot(first) == snapshot(second)
    files = snapshot(first)
    # 24 issues a year: the 25th starts the next year at number 1.
    assert "issues/2020-024/issue.yaml" in files
    assert files["issues/2021-001/issue.yaml"].startswith(b"year: 2021\nnumber: 1\ntotal: 625\n")
    pictures = [name for name in files if name.endswith(".png")]
    assert pictures
    assert all(files[name].startswith(b"\x89PNG\r\n\x1a\n") for name in pictures)
    assert any(b"| --- |" in data for data in files.values())
    assert check_workspace(first).diagnostics == ()


def test_other_seed_gives_other_prose(tmp_path: Path) -> None:
    one = generate_workspace(tmp_path / "a", issues=1, articles=2, seed=1)
    two = generate_workspace(tmp_path / "b", issues=1, articles=2, seed=2)
    assert snapshot(one) != snapshot(two)
