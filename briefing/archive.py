"""``briefing site``: the HTML archive of every issue, with an index by year.

Each issue without errors is rendered to ``<out>/<issue>/<issue>.html`` (issues with errors are
left out and reported as skipped); then ``<out>/index.html`` lists them all, ``stats.html`` ranks
the units by adopted articles per year and ``search.html`` searches the archived text offline. Rendering is the
expensive part, so an issue is re-rendered only when :mod:`briefing.cache` says its inputs or its
output changed since the last run: a rebuild of an unchanged archive only checks the workspace
and hashes files. The whole workspace is still checked every time, because whether an issue may
be published also depends on the others (duplicate or skipped numbers).

With ``pdf=True`` (``briefing site --pdf``) every issue's PDF is made too, next to its HTML,
all in one LibreOffice session (the preview's warm one when it runs, else one started for the
archive: ``render.converter``), instead of one LibreOffice start per issue.

The archive only needs to know which issues have *errors*; it never prints warnings. So the
proofreading rules (typography, structure, content: warnings by default) run only when
``briefing.yaml`` raises one of them to ``error`` — otherwise they cannot change which issues
are published, and skipping them saves about a third of the check.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.build import bulletin_for, issue_findings, out_hint, render_atomically
from briefing.cache import IssueCache, issue_key, shared_key
from briefing.check import advice_can_fail, check_workspace
from briefing.errors import Diagnostic, InputError, Severity, UsageError
from briefing.progress import SILENT, Progress, counted
from briefing.templates import recorded_templates
from briefing.workspace import Workspace

if TYPE_CHECKING:
    from briefing.render.pdf import Converter


@dataclass(frozen=True, slots=True)
class ArchiveResult:
    index: Path
    built: tuple[str, ...]  # every issue in the archive, whether rendered now or reused
    skipped: tuple[Diagnostic, ...]
    rendered: tuple[str, ...] = ()  # the issues actually rendered by this run


def build_archive(
    root: Path, out: Path | None, *, pdf: bool = False, progress: Progress = SILENT
) -> ArchiveResult:
    """Render the archive into *out* (default ``build/``); *pdf*: each issue's PDF as well."""
    from briefing.render.converter import converter_for
    from briefing.templates import template_path

    with progress.task("检查工作区"):
        workspace = check_workspace(root, advice=advice_can_fail(root))
    if not pdf:
        return _build_archive(workspace, out, None, progress)
    with converter_for(root, template_path("fonts.conf", root), batch=True) as converter:
        return _build_archive(workspace, out, converter, progress)


def _build_archive(
    workspace: Workspace, out: Path | None, converter: Converter | None, progress: Progress
) -> ArchiveResult:
    from briefing.render.site import build_site_index, site_entry_for
    from briefing.render.site_pages import search_records
    from briefing.textio import os_reason, safe_folder, write_anchor

    root = workspace.settings.root
    formats = ("html", "pdf") if converter is not None else ("html",)
    target = out or root / "build"
    try:
        safe_folder(target, write_anchor(target, root))  # the index pages are written into it
    except OSError as exc:
        raise UsageError(
            f"无法写入输出目录 {target}：{os_reason(exc)}", hint=out_hint(exc)
        ) from None
    shared = shared_key(root)
    entries = []
    built: list[str] = []
    rendered: list[str] = []
    skipped: list[Diagnostic] = []
    records: list[tuple[tuple[str, str], list[dict[str, str]]]] = []
    loaded_issues = [i for i in workspace.issues if i.issue is not None]
    described = "生成归档（HTML 与 PDF）" if converter is not None else "生成归档"
    for loaded in counted(progress, loaded_issues, described, len(loaded_issues)):
        issue_id = loaded.dir.name
        if not loaded.articles and not any(
            d.severity is Severity.ERROR for d in issue_findings(workspace, loaded)
        ):
            # the same finding as `check` (F008, a warning): not an error, just nothing to show
            skipped.append(
                Diagnostic(
                    "build",
                    Severity.WARNING,
                    f"期刊 {issue_id} 还没有文稿，未收入归档",
                    loaded.dir,
                )
            )
            continue
        try:
            bulletin = bulletin_for(workspace, loaded)
        except InputError as error:
            count = len(error.diagnostics)
            skipped.append(
                Diagnostic(
                    "build",
                    Severity.WARNING,
                    f"期刊 {issue_id} 有 {count} 个问题，未收入归档（运行 briefing check 查看）",
                    loaded.dir,
                )
            )
            continue
        folder = target / issue_id
        record = IssueCache(folder)
        key = issue_key(shared, loaded) + (":pdf" if converter is not None else "")
        signed = None if record.hit(key) else _signed_files(loaded.dir, root, formats, folder)
        if signed is not None:
            record.store(key, signed)  # the files as signed, still at hand: shown as they are
        elif not record.hit(key):
            try:
                with recorded_templates(_recorded_templates(loaded.dir, root)):
                    files = render_atomically(
                        bulletin,
                        formats,
                        folder,
                        root,
                        converter=converter,
                        verify=_verification(loaded.dir, root),
                    )
            except InputError:
                # the archive shows a published issue exactly as it was sent, or not at all
                skipped.append(
                    Diagnostic(
                        "build",
                        Severity.WARNING,
                        f"期刊 {issue_id} 已签发，但重新生成的 {'、'.join(f.upper() for f in formats)} 与签发记录不同，未收入归档"
                        f"（运行 briefing build {issue_id} 查看原因）",
                        loaded.dir,
                    )
                )
                continue
            record.store(key, files)
            rendered.append(issue_id)
        assert loaded.issue is not None
        href = f"{issue_id}/{issue_id}.html"
        entries.append(site_entry_for(bulletin, loaded.issue.year, href))
        records.append(((loaded.issue.date.isoformat(), issue_id), search_records(bulletin, href)))
        built.append(issue_id)
    index = target / "index.html"
    build_site_index(workspace.settings.name, entries, index, workspace_root=root, links=TOOL_LINKS)
    _build_tool_pages(workspace, target, records)
    return ArchiveResult(index, tuple(built), tuple(skipped), tuple(rendered))


def _verification(issue_dir: Path, root: Path) -> Callable[[Sequence[Path]], None] | None:
    """What ``render_atomically`` must check: a published issue's outputs against its 签发
    record; nothing for any other issue."""
    from briefing.manifest import manifest_path

    if not os.path.lexists(manifest_path(issue_dir)):
        return None
    return _against_record(issue_dir, root)


# A signed PDF of a long illustrated issue can be tens of MB; nothing briefing writes is larger.
MAX_SIGNED_BYTES = 1 << 30


def _signed_files(
    issue_dir: Path, root: Path, formats: Sequence[str], folder: Path
) -> list[Path] | None:
    """A published issue's outputs exactly as its 签发 record names them, placed in the
    archive *folder*; ``None`` unless every format is recorded and its file is still at hand
    (in *folder*, or where the record says it was written) with the recorded SHA-256.

    The archive then shows the issue as it was sent even when this version of briefing or
    the workspace's templates would now render it differently."""
    from briefing.manifest import ManifestProblem, read_manifest
    from briefing.textio import read_bytes_safely, write_anchor, write_atomic

    try:
        manifest = read_manifest(issue_dir, root)
    except ManifestProblem:
        return None
    if manifest is None:
        return None
    placed: list[Path] = []
    for fmt in formats:
        recorded = manifest.outputs.get(fmt)
        if recorded is None:
            return None
        here = folder / f"{issue_dir.name}.{fmt}"
        found = _matching([here, root / str(recorded.get("path", ""))], recorded["sha256"], root)
        if found is None:
            return None
        if found != here:
            data = read_bytes_safely(found, root, limit=MAX_SIGNED_BYTES)
            write_atomic(here, data, root=write_anchor(folder, root))
        placed.append(here)
    return placed


def _matching(candidates: Sequence[Path], digest: str, root: Path) -> Path | None:
    from briefing.textio import sha256_safely

    for path in candidates:
        try:
            if path.is_file() and sha256_safely(path, root) == digest:
                return path
        except OSError:
            continue
    return None


def _recorded_templates(issue_dir: Path, root: Path) -> frozenset[str] | None:
    """The template overrides a published issue was made with; ``None`` for any other."""
    from briefing.manifest import ManifestProblem, read_manifest, recorded_templates_of

    try:
        manifest = read_manifest(issue_dir, root)
    except ManifestProblem:
        return None  # refused by the verification that follows
    return recorded_templates_of(manifest) if manifest is not None else None


def _against_record(issue_dir: Path, root: Path) -> Callable[[Sequence[Path]], None]:
    from briefing.manifest import ManifestProblem, read_manifest, verify_outputs

    def verify(rendered: Sequence[Path]) -> None:
        try:
            manifest = read_manifest(issue_dir, root)
        except ManifestProblem as problem:
            raise InputError(str(problem)) from None
        if manifest is not None:
            verify_outputs(manifest, rendered, root)

    return verify


TOOL_LINKS = (("stats.html", "信息采用统计"), ("search.html", "全文检索"))


def _build_tool_pages(
    workspace: Workspace, target: Path, records: list[tuple[tuple[str, str], list[dict[str, str]]]]
) -> None:
    """``stats.html`` (every issue of the register, by year) and ``search.html`` (the archived
    issues, newest first)."""
    import datetime as dt

    from briefing.render.site_pages import build_search_page, build_stats_page
    from briefing.stats import Period, compute_stats

    root, name = workspace.settings.root, workspace.settings.name
    years = sorted({i.issue.year for i in workspace.issues if i.issue is not None}, reverse=True)
    per_year = [
        (y, compute_stats(workspace, Period(dt.date(y, 1, 1), dt.date(y, 12, 31)))) for y in years
    ]
    build_stats_page(name, per_year, target / "stats.html", workspace_root=root)
    ordered = [r for _, group in sorted(records, reverse=True) for r in group]
    build_search_page(name, ordered, target / "search.html", workspace_root=root)
