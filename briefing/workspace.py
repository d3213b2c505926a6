"""The workspace as the loader sees it: settings, issue folders and the one listing of articles.

Every command that needs "the articles" (``check``, ``check --fix``, ``build``, ``site``, the
archive cache) goes through :func:`article_paths` or :func:`briefing.load.article_files`, so
no command reads a file that ``check`` does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import Diagnostic
from briefing.load import CONFIG_NAME, LoadedIssue, article_files, issue_dirs, load_settings
from briefing.model import Settings
from briefing.rules import Reporter
from briefing.textio import resolved


@dataclass(frozen=True, slots=True)
class Workspace:
    """A loaded workspace: its settings and every issue folder, with all findings."""

    settings: Settings
    issues: tuple[LoadedIssue, ...]
    diagnostics: tuple[Diagnostic, ...]

    def find(self, issue_id: str) -> LoadedIssue | None:
        return next((i for i in self.issues if i.dir.name == issue_id), None)


def select(
    diagnostics: Sequence[Diagnostic], paths: Sequence[Path], root: Path
) -> list[Diagnostic]:
    """Findings about *paths* (files or folders); settings problems always count."""
    if not paths:
        return list(diagnostics)
    wanted = [resolved(p) for p in paths]
    config = resolved(root / CONFIG_NAME)

    def relevant(d: Diagnostic) -> bool:
        if d.path is None:
            return True
        # Both where the file is listed and where a symlink points: a finding about a link
        # to outside the workspace belongs to the issue that holds the link.
        for target in {d.path.absolute(), resolved(d.path)}:
            if target == config or any(target == w or w in target.parents for w in wanted):
                return True
        return False

    return [d for d in diagnostics if relevant(d)]


def article_paths(root: Path, targets: Sequence[Path] = ()) -> list[Path]:
    """The article files of the workspace at *root*, limited to *targets* (files or folders).

    Only files in the loader's listing count: a folder target selects the listed articles
    inside it, a file target is kept only when it is itself a listed article. README.md, CI
    files and templates are therefore never touched by ``--fix``.
    """
    settings = load_settings(root, Reporter())
    listed = [p for d in issue_dirs(settings) for p in article_files(d)]
    if not targets:
        return listed
    wanted = [resolved(t) for t in targets]

    def selected(path: Path) -> bool:
        real = resolved(path)
        return any(real == w or w in path.absolute().parents or w in real.parents for w in wanted)

    return [p for p in listed if selected(p)]
