"""Render-and-measure: convert real DOCX output with LibreOffice and check the printed page.

Three conversions in all (module-scoped): the standard factory bulletin, a long one (8
articles, 11+ pages) for page numbers and 版记 placement, and a text-only one for the
22 lines x 28 characters grid. Coordinates are measured in millimetres from the top-left
corner of the A4 page with pdfplumber.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefing.assemble import bulletin_article
from briefing.model import Bulletin, Paragraph, Span
from briefing.render.docx import render_docx
from briefing.render.pdf import convert_to_pdf
from briefing.templates import template_path
from tests.factory import make_article, make_bulletin
from tests.tools import require_tool

pytestmark = pytest.mark.render

MM = 25.4 / 72  # PDF points -> mm
TYPE_TOP, TYPE_BOTTOM, TYPE_LEFT, TYPE_RIGHT = 37.0, 262.0, 28.0, 184.0  # 版心 edges
FOOTER_ZONE = 263.5  # below this: page numbers only

# a long stretch of plain Chinese text (no digits or Latin) so every character is one 字 wide
TEXT = (
    "新区坚持问题导向，聚焦群众反映强烈的突出问题，"
    "逐项建立台账，明确责任单位和完成时限，推动各项工作落地见效。"
)


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Page:
    number: int
    words: tuple[Word, ...]
    rules: tuple[tuple[float, float, float], ...]  # horizontal lines: (x0, x1, y)

    @property
    def body(self) -> list[Word]:
        return [w for w in self.words if w.bottom < FOOTER_ZONE and w.top > 30]

    @property
    def footer(self) -> list[Word]:
        return [w for w in self.words if w.top >= FOOTER_ZONE - 2]

    def body_lines(self) -> list[list[Word]]:
        lines: dict[int, list[Word]] = {}
        for word in self.body:
            lines.setdefault(round(word.top * 2), []).append(word)
        return [sorted(ws, key=lambda w: w.x0) for _, ws in sorted(lines.items())]


def measure(pdf: Path) -> list[Page]:
    import pdfplumber

    pages = []
    with pdfplumber.open(pdf) as document:
        for index, page in enumerate(document.pages, start=1):
            words = tuple(
                Word(w["text"], w["x0"] * MM, w["x1"] * MM, w["top"] * MM, w["bottom"] * MM)
                for w in page.extract_words(keep_blank_chars=False, x_tolerance=1.5)
            )
            rules = tuple(
                (line["x0"] * MM, line["x1"] * MM, line["top"] * MM)
                for line in page.lines
                if abs(line["top"] - line["bottom"]) < 0.5 and (line["x1"] - line["x0"]) * MM > 100
            )
            pages.append(Page(index, words, rules))
    return pages


def convert(bulletin: Bulletin, folder: Path, name: str) -> tuple[Path, list[Page]]:
    require_tool("soffice")
    docx = folder / f"{name}.docx"
    pdf = folder / f"{name}.pdf"
    render_docx(bulletin, docx)
    convert_to_pdf(docx, pdf, fonts_conf=template_path("fonts.conf"))
    return pdf, measure(pdf)


@pytest.fixture(scope="module")
def standard(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Page]]:
    return convert(make_bulletin(), tmp_path_factory.mktemp("pdf"), "standard")


@pytest.fixture(scope="module")
def long(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Page]]:
    return convert(make_bulletin(articles=8), tmp_path_factory.mktemp("pdf"), "long")


@pytest.fixture(scope="module")
def text_only(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Page]]:
    blocks = tuple(Paragraph((Span(TEXT * 2),), i) for i in range(1, 16))
    article = make_article(title="推动工作落地见效", subtitle=None, note=None, blocks=blocks)
    base = make_bulletin(articles=1)
    bulletin = type(base)(
        **{
            **{f: getattr(base, f) for f in base.__slots__},
            "articles": (bulletin_article("a1", article),),
        }
    )
    return convert(bulletin, tmp_path_factory.mktemp("pdf"), "text")


# --------------------------------------------------------------------------- the type area


def test_text_block_edges(standard: tuple[Path, list[Page]], long: tuple[Path, list[Page]]) -> None:
    for _, pages in (standard, long):
        for page in pages:
            body = page.body
            assert body, page.number
            assert min(w.x0 for w in body) == pytest.approx(TYPE_LEFT, abs=0.6), page.number
            assert max(w.x1 for w in body) <= TYPE_RIGHT + 0.3, page.number  # right margin >= 26 mm
            assert max(w.bottom for w in body) <= TYPE_BOTTOM + 0.3, page.number


def test_first_body_line_starts_at_the_top_margin(text_only: tuple[Path, list[Page]]) -> None:
    _, pages = text_only
    for page in pages[1:]:
        top = min(w.top for w in page.body)
        # the exact 28.95 pt line box starts at 37 mm; the 16 pt glyphs sit ~2.3 mm inside it
        assert TYPE_TOP <= top <= TYPE_TOP + 3.5, (page.number, top)


def test_22_lines_of_at_most_28_characters(text_only: tuple[Path, list[Page]]) -> None:
    _, pages = text_only
    full_pages = pages[1:-1]
    assert full_pages, "the text-only bulletin should fill at least one whole page"
    for page in full_pages:
        lines = page.body_lines()
        assert len(lines) == 22, (page.number, len(lines))
    for page in pages:
        for line in page.body_lines():
            text = "".join(w.text for w in line)
            if re.fullmatch(r"[\u4e00-\u9fff，。、；：]+", text):
                assert len(text) <= 28, text
    # a full justified line really holds 28 characters
    widths = [
        len("".join(w.text for w in line)) for page in full_pages for line in page.body_lines()
    ]
    assert max(widths) == 28


# --------------------------------------------------------------------------- page numbers


def test_page_numbers_odd_right_even_left(long: tuple[Path, list[Page]]) -> None:
    _, pages = long
    assert len(pages) >= 6
    for page in pages:
        footer = page.footer
        text = "".join(w.text for w in footer)
        assert text == f"—{page.number}—", (page.number, text)
        left, right = min(w.x0 for w in footer), max(w.x1 for w in footer)
        if page.number % 2:
            # right aligned, one 四号 character (4.9 mm) in from the type area's right edge
            assert right == pytest.approx(TYPE_RIGHT - 4.94, abs=0.8), page.number
        else:
            assert left == pytest.approx(TYPE_LEFT + 4.94, abs=0.8), page.number
        middle = (min(w.top for w in footer) + max(w.bottom for w in footer)) / 2
        assert middle - TYPE_BOTTOM == pytest.approx(7.0, abs=1.5), page.number


# --------------------------------------------------------------------------- 版记


IMPRINT = ("报：委领导", "发：各有关部门，各街道", "编辑：李明远", "共印120份")


@pytest.mark.parametrize("which", ["standard", "long"])
def test_imprint_sits_on_the_bottom_of_the_last_page(
    which: str, request: pytest.FixtureRequest
) -> None:
    _, pages = request.getfixturevalue(which)
    last = pages[-1]
    # pdfplumber splits "共印120份" at the CJK/digit boundary: compare without separators
    last_text = "".join(w.text for w in last.body)
    for item in IMPRINT:
        assert item in last_text, item
    for page in pages[:-1]:
        assert "共印120份" not in "".join(w.text for w in page.words)
    rules = sorted(y for _, _, y in last.rules if y > 150)
    assert len(rules) == len(IMPRINT) + 1  # a rule above, between and below every line
    assert rules[-1] == pytest.approx(TYPE_BOTTOM, abs=1.0)  # last rule on the type area's bottom
    for x0, x1, y in last.rules:
        if y > 150:
            assert x0 == pytest.approx(TYPE_LEFT, abs=0.6)
            assert x1 == pytest.approx(TYPE_RIGHT, abs=0.6)


# --------------------------------------------------------------------------- 报头


def test_masthead_on_page_one(standard: tuple[Path, list[Page]]) -> None:
    _, pages = standard
    first = pages[0]
    by_text = {w.text: w for w in first.words}
    name = by_text["滨江新区信息"]
    assert (name.x0 + name.x1) / 2 == pytest.approx((TYPE_LEFT + TYPE_RIGHT) / 2, abs=1.0)
    assert by_text["内部刊物"].x0 == pytest.approx(TYPE_LEFT, abs=0.6)
    issuer = next(w for w in first.words if w.text.startswith("滨江新区（高新区）"))
    date_end = max(w.x1 for w in first.words if abs(w.top - issuer.top) < 1)
    assert issuer.x0 == pytest.approx(TYPE_LEFT, abs=0.6)
    assert date_end == pytest.approx(TYPE_RIGHT, abs=0.6)
    red_rule = [r for r in first.rules if issuer.bottom < r[2] < issuer.bottom + 6]
    assert red_rule, "no rule under the issuer/date line"
    assert "本期目录" in by_text


# --------------------------------------------------------------------------- fonts


def test_fonts_are_the_aliased_faces(standard: tuple[Path, list[Page]]) -> None:
    pdf, _ = standard
    fonts = subprocess.run(
        [require_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    names = [line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]]
    assert not [n for n in names if "DejaVu" in n], fonts
    assert any("NotoSerifCJK" in n for n in names), fonts  # 仿宋/宋体/小标宋 → a serif CJK face
    assert any("UKai" in n for n in names), fonts  # 楷体
    assert any("Liberation" in n for n in names), fonts  # Times New Roman
    sans = [n for n in names if "Sans" in n]
    assert all("NotoSansCJK" in n for n in sans), fonts  # only 黑体 may be sans
