"""docs/architecture.md names every module of the package (one line each)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_architecture_names_every_module() -> None:
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    package = REPO / "briefing"
    missing = [
        rel
        for path in sorted(package.rglob("*.py"))
        if f"`{(rel := path.relative_to(package).as_posix())}`" not in text
        and f"`briefing/{rel}`" not in text
    ]
    assert missing == [], "add one line per module to docs/architecture.md"
