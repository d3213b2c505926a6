"""The build recipe: check → assemble → render, written atomically.

Every output is rendered into a temporary folder next to the target and only moved into
place when all requested formats succeeded, so a refused or failed build leaves the previous
outputs untouched and no half-written file behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import Diagnostic, InputError, Severity, UsageError
from briefing.load import LoadedIssue
from briefing.model import Bulletin
from briefing.workspace import Workspace, select

FORMATS = ("docx", "html", "pdf")


@dataclass(frozen=True, slots=True)
class BuildResult:
    issue_id: str
    out_dir: Path
    files: tuple[Path, ...]
    warnings: tuple[Diagnostic, ...]


def parse_formats(text: str) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise UsageError(
            f"不支持的输出格式：{'、'.join(unknown) or '（空）'}；可选 docx、html、pdf，用逗号分隔"
        )
    return wanted


def latest_issue(workspace: Workspace) -> LoadedIssue:
    dated = [i for i in workspace.issues if i.issue is not None]
    if not dated:
        raise UsageError("工作区中还没有可用的期刊；先运行 briefing new-issue")
    return max(dated, key=lambda i: (i.issue.date, i.issue.year, i.issue.number, i.dir.name))  # type: ignore[union-attr]


def resolve_issue(workspace: Workspace, issue_id: str | None) -> LoadedIssue:
    if issue_id is None:
        return latest_issue(workspace)
    wanted = Path(issue_id).name  # accept "issues/2018-028" as well as "2018-028"
    found = workspace.find(wanted)
    if found is None:
        known = "、".join(i.dir.name for i in workspace.issues[-5:]) or "（无）"
        raise UsageError(f"找不到期刊“{issue_id}”；现有期刊：{known}")
    return found


def issue_findings(workspace: Workspace, loaded: LoadedIssue) -> list[Diagnostic]:
    return select(workspace.diagnostics, [loaded.dir], workspace.settings.root)


def bulletin_for(workspace: Workspace, loaded: LoadedIssue, *, draft: bool = False) -> Bulletin:
    """Assemble *loaded*, refusing (``InputError``) when it or the settings have errors."""
    from briefing.assemble import assemble

    findings = issue_findings(workspace, loaded)
    errors = [d for d in findings if d.severity is Severity.ERROR]
    if errors or loaded.issue is None:
        raise InputError(errors, hint=f"期刊 {loaded.dir.name} 有错误，未生成任何文件")
    if not loaded.articles:
        raise InputError(f"期刊 {loaded.dir.name} 还没有文稿；先用 briefing new-article 添加")
    return assemble(workspace.settings, loaded.issue, loaded.articles, draft=draft)


def build_issue(
    workspace: Workspace,
    issue_id: str | None,
    formats: Sequence[str],
    out_dir: Path | None = None,
    *,
    draft: bool = False,
) -> BuildResult:
    loaded = resolve_issue(workspace, issue_id)
    bulletin = bulletin_for(workspace, loaded, draft=draft)
    target = out_dir or workspace.settings.root / "build" / loaded.dir.name
    files = render_atomically(bulletin, formats, target, workspace.settings.root)
    warnings = tuple(d for d in issue_findings(workspace, loaded) if d.severity is Severity.WARNING)
    return BuildResult(loaded.dir.name, target, files, warnings)


def render_atomically(
    bulletin: Bulletin, formats: Sequence[str], target: Path, root: Path
) -> tuple[Path, ...]:
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".briefing-", dir=target.parent))
    try:
        rendered = render_into(bulletin, formats, staging, root)
        target.mkdir(parents=True, exist_ok=True)
        final = []
        for path in rendered:
            destination = target / path.name
            os.replace(path, destination)
            final.append(destination)
        return tuple(final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def render_into(bulletin: Bulletin, formats: Sequence[str], folder: Path, root: Path) -> list[Path]:
    """Render the requested formats into *folder*; returns the files to publish."""
    stem = bulletin.issue_id
    published: list[Path] = []
    docx_path = folder / f"{stem}.docx"
    # 版记 on an even page: with LibreOffice at hand, first let it share the last text page
    # and keep that when the page is even; else (or without a PDF) an even-page section.
    try_sharing = "pdf" in formats and bulletin.layout.imprint_on_even_page
    if "docx" in formats or "pdf" in formats:
        from briefing.render.docx import render_docx

        render_docx(bulletin, docx_path, imprint_break=not try_sharing)
        if "docx" in formats:
            published.append(docx_path)
    if "html" in formats:
        from briefing.render.html import render_html

        html_path = folder / f"{stem}.html"
        render_html(bulletin, html_path, workspace_root=root)
        published.append(html_path)
    if "pdf" in formats:
        from briefing.render.pdf import convert_to_pdf, page_count
        from briefing.templates import template_path

        pdf_path = folder / f"{stem}.pdf"
        fonts_conf = template_path("fonts.conf", root)
        convert_to_pdf(docx_path, pdf_path, fonts_conf=fonts_conf)
        if try_sharing and page_count(pdf_path) % 2:
            render_docx(bulletin, docx_path, imprint_break=True)
            convert_to_pdf(docx_path, pdf_path, fonts_conf=fonts_conf)
        published.append(pdf_path)
    return published
