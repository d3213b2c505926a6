"""Import a batch of submitted files into one issue folder.

Each file is read on its own: a file that cannot be read gets an error naming it and nothing
is written for it, while the other files still import (one bad attachment must not block a
batch of thirty). Articles are numbered after the issue's existing ones under the workspace
lock, like ``new-article``; an article whose title or file name is already in the issue is
refused unless ``force`` is given, and then replaces that article. Pictures go to the issue's
``images/`` folder. All writes are atomic.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.chars import has_han
from briefing.chars import slug as file_slug
from briefing.errors import Diagnostic, Severity, UsageError
from briefing.importing.article import article_text
from briefing.importing.recognise import Imported, recognise
from briefing.importing.source import (
    MAX_FILE_BYTES,
    MAX_TEXT_BYTES,
    Document,
    Para,
    Unreadable,
    plain_text_kind,
)
from briefing.importing.textfile import looks_like_text
from briefing.model import Settings
from briefing.progress import SILENT, Progress, counted
from briefing.textio import picture_kind, read_reason, safe_folder

if TYPE_CHECKING:
    from briefing.render.converter import WarmClient

DOCX_SUFFIXES = (".docx",)
CONVERTED_SUFFIXES = (".doc", ".wps", ".rtf", ".odt", ".docm", ".dot", ".dotx", ".wpt")
TEXT_SUFFIXES = (".txt", ".text")
PICTURE_EXTS = {"png": "png", "jpeg": "jpg", "gif": "gif", "bmp": "bmp"}
CONVERT_TIMEOUT = 120.0
CODE = "import"
_FRONT_TITLE = re.compile(r"^title:\s*([\"']?)(.*?)\1\s*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Written:
    """One article imported (or, on a dry run, that would be)."""

    file: Path  # the submitted file
    path: Path  # the article file
    article: Imported
    kind: str  # DOCX / GB18030 文本 …
    text: str  # the article file's content
    pictures: tuple[tuple[Path, bytes], ...] = ()
    replaced: bool = False

    @property
    def guessed(self) -> list[str]:
        """The fields guessed rather than read, each with where and how: the editor checks
        these by hand (标题（第 1 段没有标题格式，按标题处理））."""
        unit = "行" if plain_text_kind(self.kind) else "段"
        return [
            f"{name}（{f'第 {number} {unit}：' if number is not None else ''}{how}）"
            for name, number, how in self.article.guesses
        ]


@dataclass
class ImportReport:
    written: list[Written] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


def import_files(
    settings: Settings,
    files: Sequence[Path],
    *,
    issue_id: str | None = None,
    source: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    progress: Progress = SILENT,
) -> ImportReport:
    """Import *files* into the issue *issue_id* (default: the latest unpublished one);
    LibreOffice's conversions and the files read are reported to *progress*."""
    from briefing.numbering import workspace_lock
    from briefing.scaffold import issue_folder

    folder = issue_folder(settings, issue_id)
    if (folder / "images").is_symlink():
        raise UsageError(f"{folder / 'images'} 是符号链接；为安全起见不向其中写入图片")
    safe_folder(folder, settings.root, create=False)  # the issue folder itself: no symlink
    _require_soffice_if_needed(files)
    report = ImportReport()
    # the slow part (LibreOffice), outside the lock
    converted = _convert_all(files, settings.root, progress)
    with workspace_lock(settings.root):
        batch = _Batch(folder, settings.root, force=force, dry_run=dry_run)
        for file in counted(progress, files, "导入文件", len(files)):
            doc = _read(file, report, converted)
            if doc is None:
                continue
            refused = _picture_refusals(file, doc)
            if refused:  # nothing of the file is written: its pictures are what it shows
                report.diagnostics.extend(refused)
                continue
            articles = recognise(doc)
            if not articles:
                report.diagnostics.append(_error(file, "文件中没有文字，未导入"))
            for index, article in enumerate(articles, start=1):
                _fill_source(article, file, source)
                slug = _slug(file.stem) + (f"-{index}" if len(articles) > 1 else "")
                batch.place(file, doc, article, slug, report)
    return report


class _Batch:
    """Where the articles of one import go: numbering on from the issue's last article, and
    the titles and file names already taken (in the issue or earlier in this batch)."""

    def __init__(self, folder: Path, root: Path, *, force: bool, dry_run: bool) -> None:
        self.folder, self.root, self.force, self.dry_run = folder, root, force, dry_run
        self.taken = _existing_articles(folder, root)
        self.number = _next_number(folder)

    def place(
        self, file: Path, doc: Document, article: Imported, slug: str, report: ImportReport
    ) -> None:
        clash = self.taken.get(slug) or self.taken.get(article.title)
        if clash is not None and not self.force:
            report.diagnostics.append(
                _error(
                    file,
                    f"本期已有文稿 {clash.name}（标题或文件名相同），未导入“{article.title}”；"
                    "确需覆盖请加 --force",
                )
            )
            return
        path = clash or self.folder / f"{self.number:02d}-{slug}.md"
        if clash is None:
            self.number += 1
        written = _prepare(file, doc.kind, article, path, clash is not None)
        report.diagnostics.extend(_warnings(file, doc, article))
        self.taken[slug] = self.taken[article.title] = path
        if not self.dry_run:
            _write(written, self.root)
        report.written.append(written)


# --------------------------------------------------------------------------- reading


def _require_soffice_if_needed(files: Sequence[Path]) -> None:
    from briefing.render.pdf import INSTALL_HINT, find_soffice

    needing = [f for f in files if f.suffix.lower() in CONVERTED_SUFFIXES]
    if needing and find_soffice() is None:
        raise UsageError(
            f"未找到 LibreOffice（soffice），无法导入 {needing[0].name} 等 "
            f"{len(needing)} 个 .doc/.wps/.rtf/.odt 文件。{INSTALL_HINT}"
        )


def _check_file(file: Path) -> str:
    """The lower-case suffix of a file we may read; ``Unreadable`` says why not."""
    suffix = file.suffix.lower()
    if file.is_symlink():
        raise Unreadable("是符号链接，不予读取；请直接给出文件本身")
    if not file.is_file():
        raise Unreadable("找不到这个文件" if not file.exists() else "不是普通文件")
    if suffix not in DOCX_SUFFIXES + CONVERTED_SUFFIXES + TEXT_SUFFIXES:
        raise Unreadable("不支持的文件类型；可以导入 .docx、.doc、.wps、.rtf、.odt 和 .txt 文件")
    limit = MAX_TEXT_BYTES if suffix in TEXT_SUFFIXES else MAX_FILE_BYTES
    size = file.stat().st_size
    if size > limit:
        raise Unreadable(f"文件有 {size / 2**20:.1f} MB，超过上限 {limit // 2**20} MB，不予读取")
    if size == 0:
        raise Unreadable("文件是空的")
    return suffix


def _convert_all(files: Sequence[Path], root: Path, progress: Progress) -> dict[Path, bytes]:
    """DOCX bytes of the .doc/.wps/.rtf/.odt files, converted in one LibreOffice run (the
    preview's warm LibreOffice, when one serves the workspace).

    LibreOffice's start-up dominates a conversion, so thirty .doc files share one run. A file
    missing from the result (LibreOffice failed on it) is converted again on its own later,
    which gives its own error message; so is every file when the shared run times out.
    """
    from briefing.render.converter import WarmClient
    from briefing.render.pdf import soffice_convert_many

    candidates = []
    for file in dict.fromkeys(files):
        try:
            if _check_file(file) in CONVERTED_SUFFIXES:
                candidates.append(file)
        except (Unreadable, OSError):
            continue  # reported when the file's turn comes
    warm = WarmClient.find(root, None) if candidates else None
    if warm is not None:
        return _convert_warm(warm, candidates, progress)
    if len(candidates) < 2:
        return {}
    converted: dict[Path, bytes] = {}
    try:
        with (
            progress.task(f"LibreOffice 转换 {len(candidates)} 个文件为 DOCX"),
            soffice_convert_many(
                candidates,
                "docx:MS Word 2007 XML",
                "docx",
                timeout=CONVERT_TIMEOUT + 20 * len(candidates),
                what="DOCX",
            ) as produced,
        ):
            converted = {src: out.read_bytes() for src, out in produced.items() if out}
    except UsageError:
        return {}
    return converted


def _convert_warm(
    warm: WarmClient, candidates: Sequence[Path], progress: Progress
) -> dict[Path, bytes]:
    from briefing.render.pdf import DOCX

    converted: dict[Path, bytes] = {}
    for file in counted(progress, candidates, "LibreOffice 转换为 DOCX", len(candidates)):
        try:
            converted[file] = warm.convert(file, DOCX, timeout=CONVERT_TIMEOUT)
        except UsageError:
            continue  # converted again on its own later, which reports why it fails
    return converted


def _read(file: Path, report: ImportReport, converted: dict[Path, bytes]) -> Document | None:
    """The document in *file*, or ``None`` after reporting why it cannot be read."""
    from briefing.importing.docx_reader import read_docx
    from briefing.importing.textfile import read_text_file

    try:
        suffix = _check_file(file)
        if suffix in TEXT_SUFFIXES:
            return read_text_file(file.read_bytes())
        if suffix in DOCX_SUFFIXES:
            return read_docx(file.read_bytes())
        return _read_converted(file, converted.get(file))
    except Unreadable as exc:
        report.diagnostics.append(_error(file, f"无法导入：{exc}"))
    except OSError as exc:
        report.diagnostics.append(_error(file, f"无法读取文件：{read_reason(exc)}"))
    return None


def _read_converted(file: Path, data: bytes | None) -> Document:
    from briefing.importing.docx_reader import read_docx
    from briefing.render.pdf import soffice_convert

    if data is None:
        try:
            with soffice_convert(
                file, "docx:MS Word 2007 XML", "docx", timeout=CONVERT_TIMEOUT, what="DOCX"
            ) as produced:
                data = produced.read_bytes()
        except UsageError as exc:
            detail = str(exc).splitlines()[0]
            raise Unreadable(f"LibreOffice 无法打开它（文件损坏或设有密码？）：{detail}") from None
    doc = read_docx(data)
    text = "".join(item.text for item in doc.items if isinstance(item, Para))
    if text and not looks_like_text(text):
        # LibreOffice opens any file it cannot parse as plain text: bytes become gibberish
        raise Unreadable("LibreOffice 读出的是乱码：文件已损坏，或不是 Word/WPS 文档")
    return Document(doc.items, f"{file.suffix.lower().lstrip('.').upper()}→DOCX", doc.styles)


# --------------------------------------------------------------------------- deciding


def _fill_source(article: Imported, file: Path, option: str | None) -> None:
    """Source fallbacks: the document, then ``--source``, then the file name's prefix."""
    if article.source:
        return
    if option:
        article.source = option
        return
    guess = source_from_filename(file.stem, article.title)
    if guess:
        article.source = guess
        article.guesses.append(("供稿单位", None, f"文中没有落款，取自文件名“{guess}”"))
    else:
        article.warnings.append(
            (None, "未找到供稿单位：请用 --source 指定，或在生成的文稿中填写 source")
        )


def source_from_filename(stem: str, title: str) -> str | None:
    """ "交警五大队-关于….docx" → 交警五大队: the first part that names a unit, not the title."""
    parts = [p.strip() for p in re.split(r"[-_－—–　 ]+", stem) if p.strip()]
    if len(parts) < 2:
        return None
    for part in parts[:-1]:
        if part.isdigit() or re.fullmatch(r"\d{4}[.年]?\d{0,2}[.月]?\d{0,2}日?", part):
            continue
        if 2 <= len(part) <= 20 and has_han(part):
            return None if part in title and len(part) > len(title) / 2 else part
        return None
    return None


def _slug(stem: str) -> str:
    slug = file_slug(stem)[:40].strip("-")
    return slug or "import"


def _existing_articles(folder: Path, root: Path) -> dict[str, Path]:
    """Slug (file name without its number) and title → article, for the overwrite check.
    An article is read as ``check`` reads it: not when it leads out of the workspace."""
    from briefing.load import article_files
    from briefing.textio import UnsafeFile, read_bytes_safely

    found: dict[str, Path] = {}
    for path in article_files(folder):
        found[re.sub(r"^\d+-?", "", path.stem)] = path
        try:
            head = read_bytes_safely(path, root)[:12_000].decode("utf-8", errors="replace")[:4000]
        except (OSError, UnsafeFile):
            continue
        match = _FRONT_TITLE.search(head)
        if match:
            found[match.group(2).replace('\\"', '"')] = path
    return found


def _next_number(folder: Path) -> int:
    from briefing.load import article_files

    numbers = [int(m.group()) for p in article_files(folder) if (m := re.match(r"\d+", p.name))]
    return max(numbers, default=0) + 1


# Extensions a part may claim that are raster pictures: its bytes must then be one
_RASTER_NAMES = frozenset({"png", "jpg", "jpeg", "gif", "bmp"})


def _picture_refusals(file: Path, doc: Document) -> list[Diagnostic]:
    """Every picture of *doc* that may not be written, decoded as ``check`` decodes it: not in
    the document (a relationship to nothing or out of the package), a PNG/JPEG that is
    corrupt, truncated, a decompression bomb, carries data after its end (a polyglot), or is
    something else under a picture's name (an SVG or a web page named .png). A picture of a
    format briefing cannot print (EMF, SVG under its own name) or linked to a file is not
    refused: it is left out with a warning (:func:`_prepare`)."""
    from briefing.pictures import BadPicture, verify_picture_bytes
    from briefing.textio import MAX_PICTURE_BYTES

    refused = []
    for item in doc.items:
        if not isinstance(item, Para):
            continue
        for picture in item.pictures:
            if picture.linked:
                continue
            problem = picture.missing
            if problem is None and len(picture.data) > MAX_PICTURE_BYTES:
                problem = f"超过 {MAX_PICTURE_BYTES // 2**20} MB"
            elif problem is None and picture_kind(picture.data[:8]) is not None:
                try:
                    verify_picture_bytes(picture.data)
                except BadPicture as exc:
                    problem = str(exc)
            elif problem is None and picture.ext in _RASTER_NAMES:
                problem = f"名为 .{picture.ext} 的图片，内容却不是 PNG、JPEG、GIF 或 BMP"
            if problem is not None:
                refused.append(
                    _error(
                        file,
                        f"第 {item.number} 段的图片无法使用：{problem}；未导入这个文件"
                        "（请在 Word 中删除该图片或重新插入后再导入）",
                    )
                )
    return refused


def _unusable_format(ext: str) -> str:
    if not ext:  # a picture part named without an extension, in no format we know
        return "图片格式无法识别，已跳过"
    return f"图片格式 {ext.upper()} 无法用于简报，已跳过"


def _prepare(file: Path, kind: str, article: Imported, path: Path, replaced: bool) -> Written:
    pictures: list[tuple[Path, bytes]] = []
    names: list[str] = []
    kept = []
    for block in article.blocks:
        if block.kind == "image" and block.picture is not None:
            if block.picture.linked:
                article.warnings.append(
                    (block.number, f"图片{block.picture.missing}，文档中没有图片本身，已跳过")
                )
                continue
            ext = PICTURE_EXTS.get(block.picture.ext)
            if ext is None:
                article.warnings.append((block.number, _unusable_format(block.picture.ext)))
                continue
            name = _picture_name(path, ext, {p.name for p, _ in pictures}, replaced)
            pictures.append((path.parent / "images" / name, block.picture.data))
            names.append(f"images/{name}")
            if not block.caption:
                article.warnings.append((block.number, "图片下方没有“图为…”说明，图片无说明文字"))
        kept.append(block)
    article.blocks = kept
    text = article_text(article, lambda n: names[n - 1])
    return Written(file, path, article, kind, text, tuple(pictures), replaced)


def _picture_name(article: Path, ext: str, taken: set[str], replacing: bool) -> str:
    """``<article number>-<n>.<ext>``: ASCII (Markdown percent-encodes other characters in
    link targets), and never the name of a picture already in ``images/`` unless *replacing*
    the article that owns it."""
    digits = re.match(r"\d*", article.stem)  # matches every string, at worst empty
    prefix = (digits.group() if digits else "") or "import"
    for n in range(1, 10_000):
        name = f"{prefix}-{n}.{ext}"
        exists = os.path.lexists(article.parent / "images" / name)
        if name not in taken and (replacing or not exists):
            return name
    raise UsageError(f"{article.parent / 'images'} 中的图片太多，无法再命名新图片")


def _write(written: Written, root: Path) -> None:
    from briefing.textio import write_atomic

    for path, data in written.pictures:
        write_atomic(path, data, root=root)
    write_atomic(written.path, written.text, root=root)


def _warnings(file: Path, doc: Document, article: Imported) -> list[Diagnostic]:
    by_line = doc.is_plain_text
    out = []
    for number, message in article.warnings:
        if number is not None and not by_line:
            message = f"第 {number} 段：{message}"
        out.append(Diagnostic(CODE, Severity.WARNING, message, file, number if by_line else None))
    return out


def _error(file: Path, message: str) -> Diagnostic:
    return Diagnostic(CODE, Severity.ERROR, message, file)
