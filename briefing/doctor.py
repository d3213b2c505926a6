"""`briefing doctor`: what this machine will use to print — LibreOffice, whether it can be kept
running (the preview's warm converter and batches need a Python with LibreOffice's ``uno``
module), and the real font behind each font role once our ``fonts.conf`` aliases are applied.

The library only gathers facts (``doctor_report``); ``briefing.cli`` prints them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from briefing.model import Fonts
from briefing.render.converter import WarmStatus, warm_status
from briefing.render.pdf import find_soffice, soffice_env
from briefing.templates import template_path

# (role label shown to the editor, Fonts attribute)
ROLES: tuple[tuple[str, str], ...] = (
    ("报头名称", "masthead"),
    ("文章标题", "title"),
    ("正文", "body"),
    ("一级标题", "heading1"),
    ("二级标题", "heading2"),
    ("三级标题", "heading3"),
    ("四级标题", "heading4"),
    ("密级标识", "classification"),
    ("版记", "imprint"),
    ("页码", "page_number"),
    ("西文与数字", "latin"),
)


@dataclass(frozen=True, slots=True)
class FontRow:
    role: str  # 正文, 一级标题 …
    requested: str  # the family the DOCX asks for (仿宋_GB2312)
    resolved: (
        str | None
    )  # what fontconfig gives LibreOffice (Noto Serif CJK SC Regular), None if unknown
    exact: bool  # True when the requested family itself is installed; False for a substitute


@dataclass(frozen=True, slots=True)
class DoctorReport:
    soffice: str | None
    soffice_version: str | None
    fonts_conf: Path | None
    rows: tuple[FontRow, ...]
    warm: WarmStatus | None = None


def doctor_report(fonts: Fonts, workspace_root: Path | None) -> DoctorReport:
    """Probe LibreOffice and fontconfig; never raises for a missing tool (the row says so)."""
    soffice = find_soffice()
    conf = _fonts_conf(workspace_root)
    rows = tuple(_font_row(label, getattr(fonts, attr), conf) for label, attr in ROLES)
    version = _soffice_version(soffice) if soffice else None
    return DoctorReport(soffice, version, conf, rows, warm_status(workspace_root))


def _fonts_conf(workspace_root: Path | None) -> Path | None:
    """The fontconfig file LibreOffice is given (workspace override or built-in), if any."""
    conf = template_path("fonts.conf", workspace_root)
    return conf if conf.is_file() else None


def _soffice_version(soffice: str) -> str | None:
    try:
        result = subprocess.run(
            [soffice, "--version"],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"LibreOffice\s+[\d.]+", result.stdout)
    if match:
        return match.group(0)
    lines = result.stdout.strip().splitlines()
    return lines[0] if lines else None


def _font_row(role: str, requested: str, conf: Path | None) -> FontRow:
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return FontRow(role, requested, None, False)
    try:
        result = subprocess.run(
            # lang=zh-cn: LibreOffice asks for the East Asian faces with the document language
            [fc_match, "--format", "%{family}\t%{style[0]}", f"{requested}:lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=30,
            env=soffice_env(conf),
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return FontRow(role, requested, None, False)
    if result.returncode != 0 or not result.stdout.strip():
        return FontRow(role, requested, None, False)
    families, _, style = result.stdout.strip().partition("\t")
    names = [name.strip() for name in families.split(",") if name.strip()]
    shown = f"{names[0]} {style}".strip() if names else None
    exact = requested.casefold() in {name.casefold() for name in names}
    return FontRow(role, requested, shown, exact)


def substitution_note(fonts: Fonts, pdf: Path, workspace_root: Path | None) -> str | None:
    """One Chinese sentence when the PDF was made with substitute fonts: which roles, which
    face each really got (fontconfig with our ``fonts.conf``, as LibreOffice sees it) and
    what the PDF embeds (``pdffonts``); None when every role has its own font or the facts
    cannot be had."""
    conf = _fonts_conf(workspace_root)
    rows: dict[str, FontRow] = {}
    roles: dict[str, list[str]] = {}
    for label, attr in ROLES:
        requested = getattr(fonts, attr)
        if requested not in rows:
            rows[requested] = _font_row(label, requested, conf)
        roles.setdefault(requested, []).append(label)
    missing = [row for row in rows.values() if row.resolved is not None and not row.exact]
    if not missing:
        return None
    parts = [
        f"{row.requested}（{'、'.join(roles[row.requested])}）→ {row.resolved}" for row in missing
    ]
    embedded = embedded_fonts(pdf)
    shown = f"；PDF 中嵌入的是 {'、'.join(embedded)}" if embedded else ""
    return (
        f"注意：本机没有以下字体，PDF 用代用字体排印：{'；'.join(parts)}{shown}。"
        "DOCX 仍指定正式字体，在装有这些字体的电脑上用 Word 或 WPS 打开即按正式字体排印"
    )


def embedded_fonts(pdf: Path) -> list[str]:
    """Families embedded in *pdf* (``pdffonts``, subset prefixes removed), in order."""
    pdffonts = shutil.which("pdffonts")
    if pdffonts is None:
        return []
    try:
        result = subprocess.run(
            [pdffonts, str(pdf)],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    names: list[str] = []
    for line in result.stdout.splitlines()[2:]:  # after the header and its rule
        name = line.split(" ", 1)[0].split("+", 1)[-1]
        if name and name not in names:
            names.append(name)
    return names
