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


def test_readme_settings_example_is_valid(tmp_path: Path) -> None:
    from briefing.load import load_settings
    from briefing.rules import Reporter

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### briefing.yaml") :]
    example = section[section.index("```yaml\n") + 8 : section.index("```\n", 8)]
    (tmp_path / "briefing.yaml").write_text(example, encoding="utf-8")
    reporter = Reporter()
    settings = load_settings(tmp_path, reporter)
    assert reporter.diagnostics == []
    assert settings.layout.masthead_color == "FF0000" and settings.copies == 120
