"""``briefing site``: the HTML archive of every issue, with an index by year."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.build import bulletin_for, render_atomically
from briefing.check import check_workspace
from briefing.errors import Diagnostic, InputError, Severity

if TYPE_CHECKING:
    from rich.console import Console


@dataclass(frozen=True, slots=True)
class ArchiveResult:
    index: Path
    built: tuple[str, ...]
    skipped: tuple[Diagnostic, ...]


def build_archive(root: Path, out: Path | None, *, progress: Console | None = None) -> ArchiveResult:
    from briefing.site import build_site_index, site_entry_for

    workspace = check_workspace(root)
    target = out or root / "build"
    entries = []
    built: list[str] = []
    skipped: list[Diagnostic] = []
    loaded_issues = [i for i in workspace.issues if i.issue is not None]
    for loaded in _progress(loaded_issues, progress):
        issue_id = loaded.dir.name
        try:
            bulletin = bulletin_for(workspace, loaded)
        except InputError as error:
            count = len(error.diagnostics)
            skipped.append(Diagnostic("build", Severity.WARNING,
                                      f"期刊 {issue_id} 有 {count} 个问题，未收入归档（运行 briefing check 查看）",
                                      loaded.dir))
            continue
        render_atomically(bulletin, ("html",), target / issue_id, root)
        assert loaded.issue is not None
        entries.append(site_entry_for(bulletin, loaded.issue.year, f"{issue_id}/{issue_id}.html"))
        built.append(issue_id)
    index = target / "index.html"
    build_site_index(workspace.settings.name, entries, index)
    return ArchiveResult(index, tuple(built), tuple(skipped))


def _progress(items: list, console: Console | None):  # type: ignore[no-untyped-def]
    if console is None or not console.is_terminal:
        yield from items
        return
    from rich.progress import track

    yield from track(items, description="生成归档", console=console, transient=True)
