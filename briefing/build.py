"""The build recipe: check → assemble → render, written atomically.

Every output is rendered into a temporary folder next to the target and only moved into
place when all requested formats succeeded, so a refused or failed build leaves the previous
outputs untouched and no half-written file behind.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.errors import Diagnostic, InputError, Severity, UsageError
from briefing.load import LoadedIssue
from briefing.model import Bulletin
from briefing.progress import SILENT, Progress
from briefing.textio import UnsafeWrite, os_reason, refuse_link, safe_folder, write_anchor
from briefing.workspace import Workspace, select

if TYPE_CHECKING:
    from briefing.render.pdf import Converter

FORMATS = ("docx", "html", "pdf")


@dataclass(frozen=True, slots=True)
class BuildResult:
    issue_id: str
    out_dir: Path
    files: tuple[Path, ...]
    warnings: tuple[Diagnostic, ...]
    verified: tuple[str, ...] = ()  # formats found identical to the 签发 record
    removed: tuple[Path, ...] = ()  # stale outputs of formats this build did not make
    unverified: tuple[str, ...] = ()  # formats of a published issue that its record lacks
    fonts_note: str | None = None  # the PDF was made with substitute fonts: which and where
    # template overrides added after 签发, not used to rebuild the published issue
    unrecorded_templates: tuple[str, ...] = ()


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
    converter: Converter | None = None,
    progress: Progress = SILENT,
) -> BuildResult:
    """Render *issue_id*; a published issue must reproduce its recorded outputs exactly, and
    is rebuilt with the template overrides recorded at 签发 (one added since is not used).
    *converter* is the LibreOffice to convert the PDF with (default: the preview's warm one
    when it serves this workspace, else a cold start)."""
    from briefing.manifest import (
        ManifestProblem,
        manifest_path,
        read_manifest,
        recorded_templates_of,
        unrecorded_templates,
        verify_outputs,
    )
    from briefing.templates import recorded_templates

    loaded = resolve_issue(workspace, issue_id)
    bulletin = bulletin_for(workspace, loaded, draft=draft)
    root = workspace.settings.root
    target = out_dir or root / "build" / loaded.dir.name
    try:
        manifest = read_manifest(loaded.dir, root)
    except ManifestProblem as problem:
        raise InputError(
            [problem.diagnostic(manifest_path(loaded.dir))],
            hint="签发记录损坏，无法核对已签发的期刊",
        ) from None
    if manifest is not None and draft:
        raise UsageError(f"期刊 {loaded.dir.name} 已签发，不能再生成样稿（--draft）")
    if manifest is not None:  # printed again with the typesetting rules of its 签发
        bulletin = dataclasses.replace(bulletin, layout_revision=manifest.layout_revision)
    if (
        manifest is not None
        and bulletin.layout.imprint_on_even_page
        and "pdf" in manifest.outputs
        and "docx" in formats
        and "pdf" not in formats
    ):
        # where the 版记 goes was decided with the PDF at 签发: the DOCX is only reproduced
        # by the same decision, so the recorded PDF is rebuilt (and verified) with it
        formats = (*formats, "pdf")
    verified: list[str] = []
    unverified: list[str] = []

    def verify(rendered: Sequence[Path]) -> None:
        if manifest is not None:
            verified.extend(verify_outputs(manifest, rendered, root))
            unverified.extend(f for f in formats if f not in manifest.outputs)

    with recorded_templates(recorded_templates_of(manifest) if manifest is not None else None):
        files = render_atomically(
            bulletin,
            formats,
            target,
            root,
            verify=verify,
            converter=converter,
            progress=progress,
        )
    key = build_key(workspace, loaded, draft=draft)
    removed = remove_stale_outputs(target, bulletin.issue_id, formats, key, files, manifest)
    warnings = tuple(d for d in issue_findings(workspace, loaded) if d.severity is Severity.WARNING)
    return BuildResult(
        loaded.dir.name,
        target,
        files,
        warnings,
        tuple(verified),
        removed,
        tuple(unverified),
        _fonts_note(bulletin, files, root),
        unrecorded_templates(manifest, root) if manifest is not None else (),
    )


def _fonts_note(bulletin: Bulletin, files: Sequence[Path], root: Path) -> str | None:
    """Whether the PDF just made used substitute fonts (``briefing doctor`` has the details)."""
    pdf = next((path for path in files if path.suffix == ".pdf"), None)
    if pdf is None:
        return None
    from briefing.doctor import substitution_note

    return substitution_note(bulletin.fonts, pdf, root)


BUILD_RECORD = ".briefing-build.json"


def build_key(workspace: Workspace, loaded: LoadedIssue, *, draft: bool) -> str:
    """What an output was made from: the issue's inputs, settings, templates, code, draft."""
    from briefing.cache import issue_key, shared_key

    return issue_key(shared_key(workspace.settings.root), loaded) + (":draft" if draft else "")


def remove_stale_outputs(
    target: Path,
    stem: str,
    formats: Sequence[str],
    key: str,
    files: Sequence[Path],
    manifest: object | None = None,
) -> tuple[Path, ...]:
    """Record which inputs made each output in ``<target>/.briefing-build.json``, and delete
    ``<stem>.<fmt>`` files of formats this build did not render unless they were made from
    the same inputs (or match the 签发 record): a stale PDF beside a fresh DOCX would pass for
    the current edition. *target* is the folder the outputs were just moved into
    (``render_atomically`` checked it)."""
    import json

    from briefing.cache import file_digest, read_record
    from briefing.manifest import Manifest
    from briefing.textio import write_atomic

    record_path = target / BUILD_RECORD
    record = read_record(record_path) or {}
    for path in files:
        record[path.suffix.lstrip(".")] = {"key": key, "sha256": file_digest(path)}
    removed = []
    for fmt in FORMATS:
        path = target / f"{stem}.{fmt}"
        if fmt in formats or not path.is_file():
            continue
        digest = file_digest(path)
        made = record.get(fmt)
        if isinstance(made, dict) and made.get("key") == key and made.get("sha256") == digest:
            continue
        if _current_for_site(target, path.name, key, digest):
            continue
        recorded = manifest.outputs.get(fmt) if isinstance(manifest, Manifest) else None
        if recorded is not None and recorded["sha256"] == digest:
            continue
        path.unlink()
        record.pop(fmt, None)
        removed.append(path)
    write_atomic(record_path, json.dumps(record, indent=1, sort_keys=True) + "\n", root=target)
    return tuple(removed)


def _current_for_site(target: Path, name: str, key: str, digest: str) -> bool:
    """True when ``briefing site`` made *name* from the same inputs (its cache record)."""
    from briefing.cache import IssueCache

    record = IssueCache(target)._read() or {}
    outputs = record.get("outputs")
    return record.get("key") == key and isinstance(outputs, dict) and outputs.get(name) == digest


STAGING_PREFIX = ".briefing-"


def render_atomically(
    bulletin: Bulletin,
    formats: Sequence[str],
    target: Path,
    root: Path,
    *,
    verify: Callable[[Sequence[Path]], None] | None = None,
    converter: Converter | None = None,
    progress: Progress = SILENT,
) -> tuple[Path, ...]:
    """Render into a staging folder; *verify* may refuse the result before anything moves.

    File-system failures (no space, no permission, a file where a folder should be) are
    environment errors: ``UsageError`` (exit 2) with a Chinese message, nothing half-written.
    """
    try:
        return _render_atomically(bulletin, formats, target, root, verify, converter, progress)
    except OSError as exc:
        raise UsageError(
            f"无法写入输出目录 {target}：{os_reason(exc)}", hint=out_hint(exc)
        ) from None


def out_hint(exc: OSError) -> str | None:
    """What to do when an output folder is refused for a symlink on its way."""
    if isinstance(exc, UnsafeWrite):
        return "需要把输出放到别处时，请用 --out 直接指定那个目录"
    return None


def _render_atomically(
    bulletin: Bulletin,
    formats: Sequence[str],
    target: Path,
    root: Path,
    verify: Callable[[Sequence[Path]], None] | None,
    converter: Converter | None = None,
    progress: Progress = SILENT,
) -> tuple[Path, ...]:
    anchor = write_anchor(target, root)
    parent = safe_folder(target.parent, write_anchor(target.parent, root))
    remove_stale_staging(parent)
    # The pid in the name lets a later run recognise a folder left behind by a killed build.
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=parent))
    try:
        rendered = render_into(
            bulletin, formats, staging, root, converter=converter, progress=progress
        )
        if verify is not None:
            verify(rendered)
        folder = safe_folder(target, anchor)
        final = []
        for path in rendered:
            destination = folder / path.name
            refuse_link(destination, anchor)
            os.replace(path, destination)
            final.append(target / path.name)
        return tuple(final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def remove_stale_staging(folder: Path) -> None:
    """Remove staging folders whose build process is gone (killed with ``kill -9``)."""
    from briefing.cleanup import owner_is_gone

    for path in folder.glob(f"{STAGING_PREFIX}*"):
        if path.is_dir() and not path.is_symlink() and owner_is_gone(path.name, STAGING_PREFIX):
            shutil.rmtree(path, ignore_errors=True)


def render_into(
    bulletin: Bulletin,
    formats: Sequence[str],
    folder: Path,
    root: Path,
    *,
    converter: Converter | None = None,
    progress: Progress = SILENT,
) -> list[Path]:
    """Render the requested formats into *folder*; returns the files to publish, in the
    order DOCX, HTML, PDF."""
    published = _render_docx_and_pdf(bulletin, formats, folder, root, converter, progress)
    if "html" in formats:
        html_path = folder / f"{bulletin.issue_id}.html"
        _render_html(bulletin, html_path, root)
        published.insert(1 if "docx" in formats else 0, html_path)
    return published


def _render_html(bulletin: Bulletin, html_path: Path, root: Path) -> None:
    from briefing.render.html import render_html

    render_html(bulletin, html_path, workspace_root=root)


def _render_docx_and_pdf(
    bulletin: Bulletin,
    formats: Sequence[str],
    folder: Path,
    root: Path,
    converter: Converter | None = None,
    progress: Progress = SILENT,
) -> list[Path]:
    published: list[Path] = []
    if "docx" not in formats and "pdf" not in formats:
        return published
    from briefing.render.docx import render_docx

    docx_path = folder / f"{bulletin.issue_id}.docx"
    # 版记 on an even page: with LibreOffice at hand, first let it share the last text page
    # and keep that when the page is even; else (or without a PDF) an even-page section.
    try_sharing = "pdf" in formats and bulletin.layout.imprint_on_even_page
    render_docx(bulletin, docx_path, imprint_break=not try_sharing)
    if "docx" in formats:
        published.append(docx_path)
    if "pdf" in formats:
        published.append(_convert_pdf(bulletin, docx_path, root, try_sharing, converter, progress))
    return published


def _convert_pdf(
    bulletin: Bulletin,
    docx_path: Path,
    root: Path,
    try_sharing: bool,
    converter: Converter | None,
    progress: Progress,
) -> Path:
    from contextlib import nullcontext

    from briefing.render.converter import converter_for
    from briefing.render.docx import render_docx
    from briefing.render.pdf import convert_to_pdf, page_count
    from briefing.render.reproducible import issue_timestamp
    from briefing.templates import template_path

    pdf_path = docx_path.with_suffix(".pdf")
    fonts_conf = template_path("fonts.conf", root)
    stamp = issue_timestamp(bulletin.date)
    chosen = nullcontext(converter) if converter is not None else converter_for(root, fonts_conf)
    with chosen as office:
        with progress.task(f"LibreOffice 转换 PDF：{bulletin.issue_id}"):
            convert_to_pdf(
                docx_path, pdf_path, fonts_conf=fonts_conf, stamp=stamp, converter=office
            )
        if try_sharing and page_count(pdf_path) % 2:
            render_docx(bulletin, docx_path, imprint_break=True)
            with progress.task(f"LibreOffice 转换 PDF（版记移到偶数页）：{bulletin.issue_id}"):
                convert_to_pdf(
                    docx_path, pdf_path, fonts_conf=fonts_conf, stamp=stamp, converter=office
                )
    return pdf_path
