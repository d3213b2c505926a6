"""The style table of the printed edition: page geometry, sizes and one :class:`Role` per
paragraph style (font, size, line pitch, indents, keep rules), as data.

The writer (:mod:`briefing.render.docx`) turns each role into a ``w:style``; the layout
estimates (:mod:`briefing.render.docx_layout`) read the same numbers to guess where lines and
pages break.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from briefing.model import Fonts

# --------------------------------------------------------------------------- page geometry (twips)

PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838  # A4
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1588, 1474  # 37/35/28/26 mm
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 8844 = 156 mm
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 12756 = 225 mm
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
# One grid line: the largest whole twip with 22 x pitch <= 225 mm (12756 / 22 = 579.8).
LINE = TEXT_HEIGHT // LINES_PER_PAGE  # 579 twips = 28.95 pt
BODY_SIZE = 16.0  # 三号
TITLE_SIZE = 22.0  # 二号
# 28 characters a line: 156 mm / 28 = 15.793 pt per character, so a 16 pt glyph is tracked by
# -0.25 pt (w:spacing -5 twentieths; 28 x 15.75 = 441 pt <= 442.2 pt, 29 would need 456.75 pt).
# Measured: a ``linesAndChars`` grid (charSpace -849) is honoured by Word, but LibreOffice 7.4
# imports it as "snap to characters" and gives every 16 pt glyph two 15.79 pt cells (14
# characters a line). A ``lines`` grid plus tracking gives 22 x 28 in both.
TRACKING = -5
# 页码: the 一字线 sits 7 mm under the type area. The footer paragraph is one 四号 line whose
# middle is at 35 - 7 = 28 mm from the bottom edge; its bottom is half a line lower.
FOOTER_LINE = 280  # 14 pt exact
FOOTER_DISTANCE = round(28 / 25.4 * 1440) - FOOTER_LINE // 2
HEADER_DISTANCE = 851  # 15 mm; the header only carries the 样稿 mark

RULE_RED = 12  # 1.5 pt red rule under the masthead (practice: 0.35-0.5 mm); eighths of a point
RULE_THICK = 8  # 版记 first and last rules: 1 pt = 0.35 mm (GB/T 9704 §7.4.1)
RULE_THIN = 6  # 版记 inner rules: 0.75 pt = 0.26 mm (recommended 0.25 mm)
TABLE_RULE = 4  # 0.5 pt grid lines in article tables
TABLE_CELL_MARGIN = 85  # 1.5 mm left and right inside a table cell
TABLE_CELL_MARGIN_NARROW = 28  # 0.5 mm, for the widest tables from 五号 down
# a table steps down before any number (or, while it can, short label) would have to wrap
TABLE_SIZES = (14.0, 12.0, 10.5, 9.0, 7.5)  # 四号 小四 五号 小五 六号

IMPRINT_SIZE = 14.0  # 四号
IMPRINT_LINE = 400  # 20 pt exact: a 四号 line inside the 28.95 pt 版记 row
PAGE_NUMBER_SIZE = 14.0  # 四号
TABLE_SIZE = 14.0
CAPTION_SIZE = 14.0
CODE_FONT = "Courier New"
ISSUER_FLOOR = 12.0  # 小四: the smallest the issuer shrinks to beside the date
EMU_PER_TWIP, EMU_PER_MM = 635, 36_000
MAX_IMAGE_HEIGHT = 150 * EMU_PER_MM  # two thirds of the type area: never a page alone
MIN_IMAGE_HEIGHT = 60 * EMU_PER_MM  # a picture shrinks to its page's free lines down to this
CJK_LINE_HEIGHT = 1.45  # ascent + descent of the CJK faces, in em (measured on the grid)


# --------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class Role:
    """One paragraph style: its name shown in Word, its id, and its formatting."""

    name: str
    style_id: str
    font: str
    size: float
    line: int | None = LINE
    rule: str = "exact"
    jc: str | None = None
    first_chars: int | None = None
    left_chars: int | None = None
    right_chars: int | None = None
    bold: bool = False
    keep_next: bool = False
    keep_lines: bool = False
    outline: int | None = None
    snap: bool | None = None
    before: int = 0
    after: int = 0
    builtin: bool = False


def roles(f: Fonts) -> tuple[Role, ...]:
    """Every paragraph style the document defines, for the bulletin's fonts."""
    kai = f.heading2
    return (
        Role("Normal", "Normal", f.body, BODY_SIZE, jc="both", first_chars=2, builtin=True),
        # off the grid at exactly one grid pitch a line: snapped, a 22 pt line took two grid
        # lines (the two lines of a title measured 20 mm apart); keepLines keeps it whole
        Role(
            "Title",
            "Title",
            f.title,
            TITLE_SIZE,
            jc="center",
            first_chars=0,
            keep_next=True,
            keep_lines=True,
            outline=0,
            before=LINE + LINE // 2,
            after=LINE - LINE // 2,
            snap=False,
            builtin=True,
        ),
        Role(
            "Subtitle",
            "Subtitle",
            kai,
            BODY_SIZE,
            jc="center",
            first_chars=0,
            keep_next=True,
            builtin=True,
        ),
        Role(
            "Heading 1",
            "Heading1",
            f.heading1,
            BODY_SIZE,
            jc="both",
            first_chars=2,
            keep_next=True,
            outline=1,
            builtin=True,
        ),
        Role(
            "Heading 2",
            "Heading2",
            f.heading2,
            BODY_SIZE,
            jc="both",
            first_chars=2,
            keep_next=True,
            outline=2,
            builtin=True,
        ),
        Role(
            "Heading 3",
            "Heading3",
            f.heading3,
            BODY_SIZE,
            jc="both",
            first_chars=2,
            bold=True,
            keep_next=True,
            outline=3,
            builtin=True,
        ),
        Role(
            "Heading 4",
            "Heading4",
            f.heading4,
            BODY_SIZE,
            jc="both",
            first_chars=2,
            keep_next=True,
            outline=4,
            builtin=True,
        ),
        Role(
            "Quote",
            "Quote",
            kai,
            BODY_SIZE,
            jc="both",
            first_chars=2,
            left_chars=2,
            right_chars=2,
            builtin=True,
        ),
        Role("caption", "Caption", kai, CAPTION_SIZE, jc="center", first_chars=0, builtin=True),
        Role(
            "header",
            "Header",
            f.classification,
            BODY_SIZE,
            line=240,
            rule="auto",
            first_chars=0,
            snap=False,
            builtin=True,
        ),
        Role(
            "footer",
            "Footer",
            f.page_number,
            PAGE_NUMBER_SIZE,
            line=FOOTER_LINE,
            first_chars=0,
            snap=False,
            builtin=True,
        ),
        Role("编者按", "BriefingNote", kai, BODY_SIZE, jc="both", first_chars=2),
        Role("作者", "BriefingAuthor", kai, BODY_SIZE, jc="center", first_chars=0, keep_next=True),
        Role("供稿单位", "BriefingSource", f.body, BODY_SIZE, jc="right", first_chars=0),
        Role("列表", "BriefingList", f.body, BODY_SIZE, jc="both", first_chars=2),
        Role(
            "表格文字",
            "BriefingTableText",
            f.body,
            TABLE_SIZE,
            jc="left",
            line=240,
            rule="auto",
            first_chars=0,
            snap=False,
        ),
        Role(
            "图片",
            "BriefingPicture",
            f.body,
            BODY_SIZE,
            line=240,
            rule="auto",
            jc="center",
            first_chars=0,
            keep_next=True,
        ),
        Role("代码", "BriefingCode", f.body, TABLE_SIZE, jc="left", first_chars=0, left_chars=2),
        Role(
            "目录标题",
            "BriefingTocHeading",
            f.heading1,
            BODY_SIZE,
            jc="center",
            first_chars=0,
            keep_next=True,
        ),
        Role(
            "目录栏目",
            "BriefingTocColumn",
            f.heading1,
            BODY_SIZE,
            jc="left",
            first_chars=0,
            keep_next=True,
        ),
        Role("目录", "BriefingToc", f.body, BODY_SIZE, jc="left", first_chars=0),
        Role(
            "栏目",
            "BriefingColumn",
            f.heading1,
            BODY_SIZE,
            jc="left",
            first_chars=0,
            keep_next=True,
            before=LINE,
        ),
        Role(
            "版记",
            "BriefingImprint",
            f.imprint,
            IMPRINT_SIZE,
            line=IMPRINT_LINE,
            jc="left",
            first_chars=0,
            left_chars=1,
            right_chars=1,
            snap=False,
        ),
        Role("报头", "BriefingMasthead", f.body, BODY_SIZE, jc="left", first_chars=0),
    )


# --------------------------------------------------------------------------- fonts


@dataclass(frozen=True)
class FontFace:
    """A font as ``word/fontTable.xml`` declares it, so that Word and WPS on a PC without it
    substitute a face of the same script and kind (a Chinese 仿宋 for 仿宋_GB2312, not a
    Western serif) and know its Chinese name under the English one."""

    name: str
    alt: str | None  # w:altName: the face to use instead (Windows ships 仿宋 and 楷体)
    charset: str  # 86: GB2312, 00: ANSI
    family: str  # roman, swiss, modern, auto …
    pitch: str  # fixed, variable
    panose: str | None = None  # PANOSE-1 classification, where known


# The faces of the 公文 fonts, as Word writes them for the files Windows and the official
# font packages install.
KNOWN_FACES = {
    face.name: face
    for face in (
        FontFace("仿宋_GB2312", "仿宋", "86", "modern", "fixed", "02010609030101010101"),
        FontFace("楷体_GB2312", "楷体", "86", "modern", "fixed", "02010609030101010101"),
        FontFace("方正小标宋简体", "宋体", "86", "auto", "variable"),
        FontFace("方正小标宋_GBK", "宋体", "86", "auto", "variable"),
        FontFace("黑体", "SimHei", "86", "modern", "fixed", "02010609060101010101"),
        FontFace("宋体", "SimSun", "86", "auto", "variable", "02010600030101010101"),
        FontFace("仿宋", "FangSong", "86", "modern", "fixed", "02010609060101010101"),
        FontFace("楷体", "KaiTi", "86", "modern", "fixed", "02010609060101010101"),
        FontFace("Times New Roman", None, "00", "roman", "variable", "02020603050405020304"),
        FontFace("Courier New", None, "00", "modern", "fixed", "02070309020205020404"),
    )
}
# What stands in for a configured font this table does not know, by role
ROLE_ALTERNATIVES = {
    "masthead": "宋体",
    "title": "宋体",
    "body": "仿宋",
    "heading1": "黑体",
    "heading2": "楷体",
    "heading3": "仿宋",
    "heading4": "仿宋",
    "classification": "黑体",
    "imprint": "仿宋",
    "page_number": "宋体",
    "latin": "Times New Roman",
}


def font_faces(fonts: Fonts) -> list[FontFace]:
    """Every font the document names (each role's, the Latin face, the code face), once, in
    that order: known faces as Word declares them, others as Chinese or Western faces of
    the role's kind."""
    faces: dict[str, FontFace] = {}
    for role, alternative in ROLE_ALTERNATIVES.items():
        name = getattr(fonts, role).strip()
        if name and name not in faces:
            faces[name] = KNOWN_FACES.get(name) or _unknown_face(name, alternative)
    faces.setdefault(CODE_FONT, KNOWN_FACES[CODE_FONT])
    return list(faces.values())


def _unknown_face(name: str, alternative: str) -> FontFace:
    if name.isascii():
        return FontFace(name, None, "00", "auto", "variable")
    return FontFace(name, alternative, "86", "auto", "variable")


class PageNumberParagraph(TypedDict):
    jc: str
    first_chars: float
    left_chars: float
    right_chars: float
    char_twips: int
    line: int


def page_number_paragraph(odd: bool) -> PageNumberParagraph:
    """The ``— N —`` footer paragraph of a GB/T 9704 page: right on odd pages, left on even
    ones, 空一字 on the outside edge as an indent of one 四号 character (a trailing U+3000
    would be swallowed as line-end whitespace by right alignment, measured in LibreOffice)."""
    return {
        "jc": "right" if odd else "left",
        "first_chars": 0,
        "left_chars": 0 if odd else 1,
        "right_chars": 1 if odd else 0,
        "char_twips": round(PAGE_NUMBER_SIZE * 20),
        "line": FOOTER_LINE,
    }
