"""``briefing check --fix`` / ``--diff``: apply the proofreading rules' safe fixes to files."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from briefing.load import ARTICLE_SUFFIXES, CONFIG_NAME, article_files, load_settings
from briefing.load import issue_dirs as _issue_dirs
from briefing.rules import Reporter
from briefing.textio import NotUtf8, read_text, write_atomic


def article_paths(root: Path, targets: Sequence[Path]) -> list[Path]:
    """Article files under *targets* (files or folders), or in every issue when none given."""
    if not targets:
        settings = load_settings(root, Reporter())
        return [p for d in _issue_dirs(settings) for p in article_files(d)]
    found: list[Path] = []
    for target in targets:
        if target.is_dir():
            found.extend(
                p
                for p in sorted(target.rglob("*"))
                if p.suffix.lower() in ARTICLE_SUFFIXES
                and p.name not in ("issue.yaml", CONFIG_NAME)
                and p.parent.name != "templates"
            )
        elif target.suffix.lower() in ARTICLE_SUFFIXES and target.name not in (
            "issue.yaml",
            CONFIG_NAME,
        ):
            found.append(target)
    return list(dict.fromkeys(found))


def fix_files(root: Path, targets: Sequence[Path], *, write: bool) -> Iterator[tuple[Path, list]]:
    """``(path, changes)`` for every file the safe fixes would change; writes when *write*."""
    from briefing.proofread.fix import fix_text

    for path in article_paths(root, targets):
        try:
            text = read_text(path)
        except NotUtf8:
            continue  # `check` reports the encoding; fixing text we cannot read is not safe
        kind = "md" if path.suffix.lower() == ".md" else "yaml"
        fixed, changes = fix_text(text, kind=kind)
        if changes and fixed != text:
            if write:
                write_atomic(path, fixed)
            yield path, changes
