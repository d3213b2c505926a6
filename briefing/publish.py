"""签发: ``briefing publish ISSUE`` freezes an issue, ``--undo`` releases it.

Publishing builds the issue, writes ``published: true`` into its ``issue.yaml`` and records
its manifest (``briefing.manifest``); nothing is marked when the build fails.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.build import bulletin_for, render_atomically, resolve_issue
from briefing.check import advice_can_fail, check_workspace
from briefing.errors import UsageError
from briefing.load import ISSUE_FILE, LoadedIssue
from briefing.manifest import (
    MANIFEST_NAME,
    ManifestProblem,
    manifest_path,
    read_manifest,
    write_manifest,
)
from briefing.numbering import issue_label, workspace_lock
from briefing.progress import SILENT, Progress
from briefing.textio import refuse_link, safe_folder, write_atomic

# --------------------------------------------------------------------------- publish / undo


@dataclass(frozen=True, slots=True)
class PublishResult:
    issue_id: str
    manifest: Path
    inputs: int
    outputs: tuple[Path, ...]


_PUBLISHED_LINE = re.compile(r"^published:.*(?:\n|$)", re.MULTILINE)


def _with_published(text: str, published: bool) -> str:
    stripped = _PUBLISHED_LINE.sub("", text)
    if not published:
        return stripped
    if stripped and not stripped.endswith("\n"):
        stripped += "\n"
    return stripped + "published: true\n"


def mark_published(issue_yaml: Path, published: bool, root: Path) -> None:
    text = issue_yaml.read_text(encoding="utf-8")
    write_atomic(issue_yaml, _with_published(text, published), root=root)


@dataclass(frozen=True, slots=True)
class UndoResult:
    issue_id: str
    unmarked: bool
    manifest: Path | None
    recorded_inputs: int
    recorded_outputs: tuple[str, ...]


def undo_publish(loaded: LoadedIssue, root: Path) -> UndoResult:
    """Remove ``published: true`` and the manifest; outputs are left where they are."""
    issue = loaded.issue
    path = manifest_path(loaded.dir)
    exists = path.is_file()
    if issue is None or (not issue.published and not exists):
        raise UsageError(f"期刊 {loaded.dir.name} 尚未签发，无需撤销")
    try:
        manifest = read_manifest(loaded.dir, root)
    except ManifestProblem:
        manifest = None
    if issue.published:
        mark_published(loaded.dir / ISSUE_FILE, False, root)
    if exists:
        path.unlink()
    return UndoResult(
        loaded.dir.name,
        issue.published,
        path if exists else None,
        len(manifest.inputs) if manifest else 0,
        tuple(str(entry.get("path", fmt)) for fmt, entry in manifest.outputs.items())
        if manifest
        else (),
    )


def publish_issue(
    root: Path,
    issue_id: str,
    formats: Sequence[str],
    out_dir: Path | None = None,
    *,
    progress: Progress = SILENT,
) -> PublishResult:
    """Build *issue_id*, mark it published and record its manifest, under the workspace lock.

    Refuses (``InputError``) an issue with errors or without articles, and (``UsageError``) one
    that is already published with a record. Nothing is marked when the build fails. Each
    step is reported to *progress*.
    """
    with workspace_lock(root):
        with progress.task("检查工作区"):
            workspace = check_workspace(root, advice=advice_can_fail(root))
        loaded = resolve_issue(workspace, issue_id)
        if loaded.issue is not None and os.path.lexists(manifest_path(loaded.dir)):
            raise UsageError(
                f"期刊 {loaded.dir.name} 已经签发（{MANIFEST_NAME} 已存在）",
                hint=f"如是误签，先运行 briefing publish --undo {loaded.dir.name}",
            )
        bulletin = bulletin_for(workspace, loaded)
        assert loaded.issue is not None
        # the two files publishing writes into the issue folder: refused before anything is
        # built when a symlink stands in the way
        safe_folder(loaded.dir, root, create=False)
        refuse_link(loaded.dir / ISSUE_FILE, root)
        refuse_link(manifest_path(loaded.dir), root)
        target = out_dir or root / "build" / loaded.dir.name
        outputs = render_atomically(bulletin, formats, target, root, progress=progress)
        issue_yaml = loaded.dir / ISSUE_FILE
        original = issue_yaml.read_bytes()
        try:
            if not loaded.issue.published:
                mark_published(issue_yaml, True, root)
            path, count = write_manifest(
                loaded,
                root,
                issue_label(workspace.settings.numbering, loaded.issue),
                outputs,
                bulletin.layout_revision,
            )
        except BaseException:
            write_atomic(issue_yaml, original, root=root)
            manifest_path(loaded.dir).unlink(missing_ok=True)
            raise
    return PublishResult(loaded.dir.name, path, count, outputs)
