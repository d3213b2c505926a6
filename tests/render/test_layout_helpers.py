"""The pure layout decisions of the DOCX renderer (issue #10), without LibreOffice."""

from __future__ import annotations

import dataclasses
import itertools
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from briefing.model import Layout
from briefing.render import docx as D
from briefing.render import docx_front, docx_writer
from briefing.render import docx_layout as L
from briefing.render import docx_styles as S
from briefing.render.docx_pages import RULE_HEIGHT
from briefing.render.pdf import page_count
from tests.factory import make_bulletin
from tests.render.layout_corpus import LONG_ISSUER, LONGEST_ISSUER

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DATE = "2018年12月20日"


def test_issuer_keeps_三号_when_it_fits_and_shrinks_to_the_floor() -> None:
    assert L.issuer_size("滨江新区（高新区）党政办公室", DATE) == 16.0
    size = L.issuer_size(LONG_ISSUER, DATE)
    assert size is not None and S.ISSUER_FLOOR <= size < 16.0
    assert L.text_width(LONG_ISSUER, size) <= L.issuer_room(DATE)
    assert L.issuer_size(LONGEST_ISSUER, DATE) is None


def test_issuer_split_after_a_pause_with_room_for_the_date() -> None:
    size, first, second = L.split_issuer(LONGEST_ISSUER, DATE)
    assert first + second == LONGEST_ISSUER and size == 16.0  # wrapped, 三号 kept
    assert first.endswith(("）", "、"))
    assert L.text_width(second, size) <= L.issuer_room(DATE)
    # nothing fits at all: halves at the floor
    assert L.split_issuer("办" * 80, DATE) == (S.ISSUER_FLOOR, "办" * 40, "办" * 40)


def test_text_width_counts_half_width_digits_and_autospace() -> None:
    assert L.text_width("新区", 16, 0) == 32
    assert L.text_width("12", 16, 0) == 16
    assert L.text_width("1.5", 16, 0) == 20
    assert L.text_width("第1篇", 16, 0) == pytest.approx(16 * 2 + 8 + 2 * 3.2)


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("推动工作落地见效", ["推动工作落地见效"]),
        (
            "驻区纪检监察组积极探索“嵌入式”监督 推动全面从严治党向基层延伸",
            ["驻区纪检监察组积极探索“嵌入式”监督", "推动全面从严治党向基层延伸"],
        ),
        # no space: the most balanced pause, never inside the quotation marks
        (
            "新区聚焦群众反映强烈的突出问题，探索“嵌入式监督工作机制”推动全面从严治党",
            ["新区聚焦群众反映强烈的突出问题，探索", "“嵌入式监督工作机制”推动全面从严治党"],
        ),
        ("关于\n“三张清单”的调研", ["关于", "“三张清单”的调研"]),  # the author's own break
        # no space or punctuation: before a phrase opener, never inside 全面推进
        (
            "第1篇：新区聚焦群众反映强烈的突出问题全面推进重点工程建设提速增效",
            ["第1篇：新区聚焦群众反映强烈的突出问题", "全面推进重点工程建设提速增效"],
        ),
        ("一" * 30, ["一" * 30]),  # no boundary at all: left to the reader's line breaking
    ],
)
def test_title_lines(title: str, lines: list[str]) -> None:
    assert L.title_lines(title) == lines


def test_title_never_breaks_inside_a_double_dash() -> None:
    lines = L.title_lines("新区重点工程建设提速——“三张清单”破解“慢工程”难题的实践与思考")
    assert all(not line.startswith("—") for line in lines[1:])
    assert all(not line.endswith("—") or line.endswith("——") for line in lines)


def test_table_widths_from_content() -> None:
    numbers = [f"{1234 + i}.{i}7" for i in range(10)]
    size, margin, widths = L.table_widths(
        [[f"指标{i}" for i in range(1, 11)], numbers], S.TEXT_WIDTH
    )
    assert sum(widths) == S.TEXT_WIDTH and size == 10.5
    for number, width in zip(numbers, widths, strict=True):
        assert L.text_width(number, size, 0) * 20 + 2 * margin <= width
    # a narrow table keeps 四号 and gives the long column what is left
    rows = [["单位", "完成率", "备注"], ["东湖街道", "85.5%", "新区坚持问题导向" * 4]]
    size, _, widths = L.table_widths(rows, S.TEXT_WIDTH)
    assert size == 14.0 and widths[2] > widths[0] > widths[1] / 2
    assert sum(widths) == S.TEXT_WIDTH
    # a small table spreads to the full width in proportion
    size, _, widths = L.table_widths([["甲", "乙"], ["1", "2"]], S.TEXT_WIDTH)
    assert sum(widths) == S.TEXT_WIDTH and abs(widths[0] - widths[1]) <= 1
    # far too many columns even at 五号: scaled to fit
    size, _, widths = L.table_widths([["12345678.90"] * 20], S.TEXT_WIDTH)
    assert size == 10.5 and sum(widths) == S.TEXT_WIDTH


def test_unbreakable_cells() -> None:
    assert L.unbreakable("1234.57") and L.unbreakable("85.5%") and L.unbreakable("东湖街道")
    assert not L.unbreakable("新区坚持问题导向，聚焦群众") and not L.unbreakable(" ")


def test_long_strings_get_break_opportunities() -> None:
    url = "https://www.example.gov.cn/art/2018/12/20/art_1229151540.html"
    broken = docx_writer._breakable(f"网址：{url}。")
    assert broken.replace(docx_writer.ZERO_WIDTH_SPACE, "") == f"网址：{url}。"
    chunks = broken.removeprefix("网址：").split(docx_writer.ZERO_WIDTH_SPACE)
    assert len(chunks) > 5 and max(len(c) for c in chunks) <= 8
    assert docx_writer._breakable("短的 ID-123 与 2018") == "短的 ID-123 与 2018"


def test_toc_markers() -> None:
    from briefing.assemble import toc_marker

    assert toc_marker("◆", 3) == "◆" and docx_front._toc_label("◆") == "◆\u3000"
    assert toc_marker("numbers", 3) == "3." and docx_front._toc_label("3.") == "3."
    assert (
        toc_marker("none", 3) == "" and toc_marker("", 3) == "" and docx_front._toc_label("") == ""
    )


def test_page_count(tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.6\n1 0 obj <</Type /Pages /Count 2>>\n<</Type/Page>> <</Type /Page >>")
    assert page_count(pdf) == 2


def test_package_has_no_stale_parts_and_only_used_styles(tmp_path: Path) -> None:
    out = tmp_path / "b.docx"
    D.render_docx(make_bulletin(draft=True), out)
    with zipfile.ZipFile(out) as package:
        assert not [n for n in package.namelist() if "stylesWithEffects" in n]
        # python-docx's template thumbnail (a blank page) is not the bulletin's preview
        assert not [n for n in package.namelist() if n.startswith("docProps/thumbnail")]
        assert b"thumbnail" not in package.read("_rels/.rels")
        assert b"jpeg" not in package.read("[Content_Types].xml")
        media = [i for i in package.infolist() if i.filename.startswith("word/media/")]
        assert all(i.compress_type == zipfile.ZIP_STORED for i in media)
        assert package.getinfo("word/document.xml").compress_type == zipfile.ZIP_DEFLATED
        rels = package.read("word/_rels/document.xml.rels")
        styles = etree.fromstring(package.read("word/styles.xml"))
        stories = b"".join(package.read(n) for n in package.namelist() if n.endswith(".xml"))
    assert b"stylesWithEffects" not in rels
    for style in styles.iter(f"{W}style"):
        style_id = style.get(f"{W}styleId")
        referenced = f'w:val="{style_id}"'.encode() in stories
        assert referenced or style.get(f"{W}default") == "1", style_id


def test_even_page_section_only_when_asked(tmp_path: Path) -> None:
    even = make_bulletin(layout=Layout(imprint_on_even_page=True))
    for bulletin, kwargs, expected in (
        (even, {}, True),
        (even, {"imprint_break": False}, False),
        (make_bulletin(), {}, False),
    ):
        out = tmp_path / "c.docx"
        D.render_docx(bulletin, out, **kwargs)
        with zipfile.ZipFile(out) as package:
            document = package.read("word/document.xml")
            footers = [n for n in package.namelist() if n.startswith("word/footer")]
        assert (b'w:val="evenPage"' in document) is expected
        assert len(footers) == (4 if expected else 2)


def test_lines_used_estimate_tracks_the_grid() -> None:
    builder = D._Builder(dataclasses.replace(make_bulletin(articles=1)))
    builder._page_setup()
    builder._styles()
    builder._masthead()
    # classification, blank, the two-pitch name on three grid lines, readership, 期号,
    # issuer line with the line above it
    assert builder._fill.lines_used(builder.body) == 9
    builder._article(builder.b.articles[0], 1)
    assert 0 < builder._fill.lines_used(builder.body) < S.LINES_PER_PAGE


@pytest.mark.parametrize("columns", [False, True])
def test_contents_without_heading_keep_a_line_under_the_rule(tmp_path: Path, columns) -> None:
    bulletin = make_bulletin(columns=columns, layout=Layout(toc_heading="", toc_marker="none"))
    out = tmp_path / "d.docx"
    D.render_docx(bulletin, out)
    with zipfile.ZipFile(out) as package:
        body = etree.fromstring(package.read("word/document.xml")).find(f"{W}body")
    styles = [
        (p.find(f"{W}pPr/{W}pStyle").get(f"{W}val"), p)
        for p in body.iter(f"{W}p")
        if p.find(f"{W}pPr/{W}pStyle") is not None
    ]
    assert "BriefingTocHeading" not in [s for s, _ in styles]
    first = next(p for s, p in styles if s in ("BriefingToc", "BriefingTocColumn"))
    # one line, less the red rule's height (layout revision 2: page 1 keeps the 22-line grid)
    expected = S.LINE - RULE_HEIGHT
    assert first.find(f"{W}pPr/{W}spacing").get(f"{W}before") == str(expected)
    assert "◆" not in "".join(t.text or "" for t in body.iter(f"{W}t"))


def test_contents_style_settings_are_validated() -> None:
    from briefing.config import toc_marker_problem, toc_subtitle_problem

    assert toc_marker_problem("◆") is None and toc_marker_problem("numbers") is None
    assert toc_marker_problem("none") is None and "符号" in (toc_marker_problem("星星") or "")
    assert toc_subtitle_problem("inline") is None and toc_subtitle_problem("line") is None
    assert "line" in (toc_subtitle_problem("same") or "")


def _text_width_by_character(text: str, size: float, tracking: float) -> float:
    """The definition, one character at a time (what ``text_width`` computes faster)."""
    width = sum(
        (size / 4 if ch in ".,:;!'|" else size / 2 if ch.isascii() else size) + tracking
        for ch in text
    )
    switches = sum(
        1
        for a, b in itertools.pairwise(text)
        if (a.isascii() and a.isalnum() and L.is_cjk(b))
        or (b.isascii() and b.isalnum() and L.is_cjk(a))
    )
    return width + switches * size * 0.2


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(
        alphabet="新区第篇，。“”abcXYZ019.,:;!'| \u3000é\U00020000\t—\uf900㐀", max_size=60
    ),
    half_points=st.integers(2, 88),
    tracking=st.sampled_from([S.TRACKING / 20, 0.0]),
)
def test_text_width_equals_its_per_character_definition(
    text: str, half_points: int, tracking: float
) -> None:
    size = half_points / 2  # every size the renderer uses is whole half points
    assert L.text_width(text, size, tracking) == _text_width_by_character(text, size, tracking)


def test_run_formats_are_spelled_once_and_copied() -> None:
    from briefing.render import _oxml

    formats = _oxml.RunFormats()
    first, second, fresh = (_oxml.add_run(_oxml.w("p"), "文字") for _ in range(3))
    formats.apply(first, east_asia="仿宋_GB2312", latin="Times New Roman", size=16.0, bold=True)
    formats.apply(second, size=16.0, bold=True, latin="Times New Roman", east_asia="仿宋_GB2312")
    _oxml.run_props(fresh, east_asia="仿宋_GB2312", latin="Times New Roman", size=16.0, bold=True)
    spelled = etree.tostring(fresh)
    assert etree.tostring(first) == etree.tostring(second) == spelled
    assert first[0] is not second[0]  # copies: changing one run leaves the other alone
    _oxml.run_props(first, italic=True)
    assert etree.tostring(second) == spelled
