"""The build recipe: check → assemble → render, written atomically.

Every output is rendered into a temporary folder next to the target and only moved into
place when all requested formats succeeded, so a refused or failed build leaves the previous
outputs untouched and no half-written file behind.
"""

from __future__ import annotations

import errno
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
from briefing.textio import PATH_REASONS
from briefing.workspace import Workspace, select

if TYPE_CHECKING:
    from briefing.aside import Aside
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


def start_html_edition(formats: Sequence[str], root: Path) -> Aside | None:
    """The HTML edition's process, when the DOCX or PDF is wanted too: forked before the
    workspace is checked, it imports jinja2 and compiles the templates meanwhile, then
    renders the bulletin it is given (:func:`render_into`). ``None`` when there is nothing
    to overlap. The caller cancels it when the build stops short."""
    if "html" not in formats or not ("docx" in formats or "pdf" in formats):
        return None
    from briefing.aside import start_aside

    return start_aside(
        _render_html, "生成 HTML 版", prepare=lambda: _prepare_html(root), awaits_input=True
    )


def build_issue(
    workspace: Workspace,
    issue_id: str | None,
    formats: Sequence[str],
    out_dir: Path | None = None,
    *,
    draft: bool = False,
    html_edition: Aside | None = None,
    converter: Converter | None = None,
    progress: Progress = SILENT,
) -> BuildResult:
    """Render *issue_id*; a published issue must reproduce its recorded outputs exactly.

    *html_edition* is the process :func:`start_html_edition` started, if any; *converter*
    the LibreOffice to convert the PDF with (default: the preview's warm one when it serves
    this workspace, else a cold start)."""
    from briefing.publish import ManifestProblem, read_manifest, verify_outputs

    loaded = resolve_issue(workspace, issue_id)
    bulletin = bulletin_for(workspace, loaded, draft=draft)
    root = workspace.settings.root
    target = out_dir or root / "build" / loaded.dir.name
    try:
        manifest = read_manifest(loaded.dir)
    except ManifestProblem as problem:
        raise InputError(str(problem), hint="签发记录损坏，无法核对已签发的期刊") from None
    if manifest is not None and draft:
        raise UsageError(f"期刊 {loaded.dir.name} 已签发，不能再生成样稿（--draft）")
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

    files = render_atomically(
        bulletin,
        formats,
        target,
        root,
        verify=verify,
        html_edition=html_edition,
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
    )


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
    the current edition."""
    import json

    from briefing.cache import file_digest
    from briefing.publish import Manifest
    from briefing.textio import write_atomic

    record_path = target / BUILD_RECORD
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
        record = record if isinstance(record, dict) else {}
    except (OSError, ValueError):
        record = {}
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
    write_atomic(record_path, json.dumps(record, indent=1, sort_keys=True) + "\n")
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
    html_edition: Aside | None = None,
    converter: Converter | None = None,
    progress: Progress = SILENT,
) -> tuple[Path, ...]:
    """Render into a staging folder; *verify* may refuse the result before anything moves.

    File-system failures (no space, no permission, a file where a folder should be) are
    environment errors: ``UsageError`` (exit 2) with a Chinese message, nothing half-written.
    """
    try:
        return _render_atomically(
            bulletin, formats, target, root, verify, html_edition, converter, progress
        )
    except OSError as exc:
        raise UsageError(f"无法写入输出目录 {target}：{os_reason(exc)}") from None


def os_reason(exc: OSError) -> str:
    """A Chinese reason for a file-system failure."""
    reasons = {
        **PATH_REASONS,
        errno.ENOSPC: "磁盘空间不足",
        errno.EDQUOT: "超出磁盘配额",
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
        errno.EROFS: "文件系统是只读的",
        errno.EEXIST: "同名文件已存在",
        errno.EISDIR: "同名目录已存在",
        errno.ENOENT: "文件或目录不存在",
    }
    reason = reasons.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    return f"{reason}（{exc.filename}）" if exc.filename else reason


def _render_atomically(
    bulletin: Bulletin,
    formats: Sequence[str],
    target: Path,
    root: Path,
    verify: Callable[[Sequence[Path]], None] | None,
    html_edition: Aside | None = None,
    converter: Converter | None = None,
    progress: Progress = SILENT,
) -> tuple[Path, ...]:
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(target.parent)
    # The pid in the name lets a later run recognise a folder left behind by a killed build.
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=target.parent))
    try:
        rendered = render_into(
            bulletin, formats, staging, root, html_edition, converter=converter, progress=progress
        )
        if verify is not None:
            verify(rendered)
        target.mkdir(parents=True, exist_ok=True)
        final = []
        for path in rendered:
            destination = target / path.name
            os.replace(path, destination)
            final.append(destination)
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
    html_edition: Aside | None = None,
    *,
    converter: Converter | None = None,
    progress: Progress = SILENT,
) -> list[Path]:
    """Render the requested formats into *folder*; returns the files to publish.

    With the DOCX (or PDF) and the HTML edition both asked for, the HTML edition renders in
    a forked child on the other core meanwhile (``briefing.aside``): the two share nothing
    but the bulletin, and this saves its whole cost (jinja2 and the template). The child is
    *html_edition* when the caller started it earlier (:func:`start_html_edition`), else it
    is forked here.
    """
    stem = bulletin.issue_id
    html_path = folder / f"{stem}.html"
    html_aside = None
    if html_edition is not None:
        html_edition.give(bulletin, html_path, root)
        html_aside = html_edition
    elif "html" in formats and ("docx" in formats or "pdf" in formats):
        from briefing.aside import start_aside

        html_aside = start_aside(lambda: _render_html(bulletin, html_path, root), "生成 HTML 版")
    try:
        published = _render_docx_and_pdf(bulletin, formats, folder, root, converter, progress)
        if html_aside is not None:
            html_aside.wait()
    except BaseException:  # a failure, or Ctrl-C while waiting: the child must not outlive us
        if html_aside is not None:
            html_aside.cancel()
        raise
    if html_aside is None and "html" in formats:
        _render_html(bulletin, html_path, root)
    if "html" in formats:
        published.insert(1 if "docx" in formats else 0, html_path)
    return published


def _render_html(bulletin: Bulletin, html_path: Path, root: Path) -> None:
    from briefing.render.html import render_html

    render_html(bulletin, html_path, workspace_root=root)


def _prepare_html(root: Path) -> None:
    from briefing.render.html import prepare

    prepare(root)


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
