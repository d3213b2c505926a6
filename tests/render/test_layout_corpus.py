"""The layout corpus rendered to PDF by LibreOffice and measured (issue #10).

All cases of :mod:`tests.render.layout_corpus` are converted in one LibreOffice call (the
machine is shared, a start-up costs seconds). Coordinates are millimetres from the top-left
corner of the A4 page, as in ``test_pdf_layout``.
"""

from __future__ import annotations

import itertools
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from briefing.build import render_into
from briefing.model import Fonts
from briefing.render.docx import render_docx
from briefing.render.docx_pages import boxes_of, paginate
from briefing.render.docx_styles import roles
from briefing.render.pdf import find_soffice, page_count, soffice_env
from briefing.templates import template_path
from tests.render.layout_corpus import (
    LONE_HEADING,
    LONG_ISSUER,
    LONGEST_ISSUER,
    SHARING_TRY,
    URL,
    cases,
    even_page_issue,
)
from tests.render.layout_corpus_blocks import ROW_CAPTIONS, WIDE_NUMBERS
from tests.render.test_pdf_layout import MM, TYPE_BOTTOM, TYPE_LEFT, TYPE_RIGHT, Page, measure
from tests.tools import require_module, require_tool

pytestmark = pytest.mark.render

LINE_MM = 579 / 20 * 25.4 / 72  # one grid line: 10.21 mm
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[Page]]]:
    require_tool("soffice")
    folder = tmp_path_factory.mktemp("corpus")
    docs = []
    for name, bulletin in cases(folder).items():
        render_docx(bulletin, folder / f"{name}.docx", imprint_break=name not in SHARING_TRY)
        docs.append(folder / f"{name}.docx")
    env = soffice_env(template_path("fonts.conf"))
    with tempfile.TemporaryDirectory(prefix="briefing-corpus-") as home:
        env["HOME"] = home
        subprocess.run(
            [
                find_soffice() or "soffice",
                f"-env:UserInstallation={Path(home, 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}',
                "--outdir",
                str(folder),
                *map(str, docs),
            ],
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    return {d.stem: (d, measure(d.with_suffix(".pdf"))) for d in docs}


def text_of(page: Page) -> str:
    return "".join(w.text for w in page.words)


def line_text(line) -> str:
    return "".join(w.text for w in line)


# --------------------------------------------------------------------------- 报头 and 目录


def test_long_issuer_and_date_share_one_line(corpus) -> None:
    _, pages = corpus["masthead"]
    first = pages[0]
    issuer = next(w for w in first.words if w.text.startswith(LONG_ISSUER[:6]))
    line = [w for w in first.words if abs(w.top - issuer.top) < 1.5]
    text = "".join(w.text for w in sorted(line, key=lambda w: w.x0))
    assert text.startswith(LONG_ISSUER) and text.endswith("2018年12月20日"), text
    assert issuer.x0 == pytest.approx(TYPE_LEFT, abs=0.6)
    assert max(w.x1 for w in line) == pytest.approx(TYPE_RIGHT, abs=0.6)
    assert not any(w.text.startswith("20日") for w in first.words)
    date = next(w for w in line if w.text.startswith("2018"))
    gap = date.x0 - max(w.x1 for w in line if w.x0 < date.x0)
    assert gap >= 3.0, gap  # the shrunk issuer keeps a clear space before the date
    red = [r for r in first.rules if issuer.bottom < r[2] < issuer.bottom + 6]
    assert red, "the red rule is not directly under the issuer and date"
    # the whole table of contents (five entries, each with its subtitle) stays on page 1
    assert text_of(first).count("重点项目百日攻坚纪实") == 5
    assert "重点项目百日攻坚纪实" not in "".join(w.text for w in pages[1].words[:3])


def test_issuer_too_long_for_one_line_wraps_on_its_side(corpus) -> None:
    _, pages = corpus["issuer_two_lines"]
    words = pages[0].words
    start = next(w for w in words if w.text.startswith("中共温州"))
    date = next(w for w in words if w.text == "日" and w.top > start.top)
    # the second issuer line (小四) and the date (三号) share a baseline, not a top
    last = sorted(
        (w for w in words if start.bottom < w.bottom <= date.bottom + 0.5), key=lambda w: w.x0
    )
    first = sorted((w for w in words if abs(w.top - start.top) < 1), key=lambda w: w.x0)
    text = line_text(first) + line_text(last)
    assert text.startswith(LONGEST_ISSUER) and text.endswith("2018年12月20日"), text
    assert max(w.x1 for w in last) == pytest.approx(TYPE_RIGHT, abs=0.6)
    red = [r for r in pages[0].rules if date.bottom < r[2] < date.bottom + 6]
    assert red, "the red rule is not directly under the issuer's last line"


def test_numbered_contents_without_heading_subtitle_inline(corpus) -> None:
    _, pages = corpus["toc_numbers"]
    lines = [line_text(line) for line in pages[0].body_lines()]
    assert not any("本期目录" in line for line in lines)
    entries = [line for line in lines if line[:2] in ("1.", "2.", "3.")]
    assert len(entries) == 3, lines
    assert entries[0] == "1.第1篇：重点工程建设提速——重点项目百日攻坚纪实"


# --------------------------------------------------------------------------- 版记


@pytest.mark.parametrize("name", ["masthead", "short", "five_free", "tables"])
def test_imprint_rows_on_the_line_pitch_and_credits_one_character_in(corpus, name) -> None:
    _, pages = corpus[name]
    last = pages[-1]
    rules = sorted(y for _, _, y in last.rules if y > 150)
    assert len(rules) == 5
    for upper, lower in itertools.pairwise(rules):
        assert lower - upper == pytest.approx(LINE_MM, abs=0.15)
    assert rules[-1] == pytest.approx(TYPE_BOTTOM, abs=0.5)
    credits = next(line for line in last.body_lines() if line_text(line).startswith("编辑"))
    # 签发：王　军 ends one 四号 character (4.94 mm) in from the right edge: 179.1 mm
    assert max(w.x1 for w in credits) == pytest.approx(TYPE_RIGHT - 4.94, abs=0.5)


@pytest.mark.parametrize("name", ["short", "five_free"])
def test_imprint_shares_the_last_text_page(corpus, name) -> None:
    _, pages = corpus[name]
    last = pages[-1]
    assert "（建设管理局）" in text_of(last) and "共印120份" in text_of(last)
    if name == "short":
        assert len(pages) == 1


def test_even_page_imprint_shares_an_even_last_page(corpus) -> None:
    docx, pages = corpus["even_shared"]
    assert len(pages) == 2
    assert "（建设管理局）" in text_of(pages[1]) and "共印120份" in text_of(pages[1])
    assert "".join(w.text for w in pages[1].footer) == "—2—"
    assert page_count(docx.with_suffix(".pdf")) == 2  # what the build looks at


def test_even_page_imprint_after_an_unnumbered_blank_page(corpus) -> None:
    _, pages = corpus["even_blank"]
    assert len(pages) == 4
    assert "（建设管理局）" in text_of(pages[1])
    assert pages[2].words == ()  # GB/T 9704 §7.5: the blank page carries no page number
    assert "共印120份" in text_of(pages[3]) and not pages[3].footer
    assert [("".join(w.text for w in p.footer)) for p in pages[:2]] == ["—1—", "—2—"]


def test_build_retries_with_an_even_page_section(tmp_path: Path) -> None:
    """The PDF build: sharing the last page puts the 版记 on page 3 (text fills page 2, too
    much to tighten), so it re-renders."""
    bulletin = even_page_issue(7)
    files = render_into(bulletin, ("docx", "pdf"), tmp_path, tmp_path)
    assert page_count(tmp_path / f"{bulletin.issue_id}.pdf") == 4
    with zipfile.ZipFile(files[0]) as package:
        assert b'w:val="evenPage"' in package.read("word/document.xml")


# --------------------------------------------------------------------------- pictures, tables


def test_pictures_inside_the_type_area_fitted_with_their_captions(corpus) -> None:
    import pdfplumber

    pdf, pages = corpus["pictures"]
    with pdfplumber.open(pdf.with_suffix(".pdf")) as document:
        images = [(n, im) for n, page in enumerate(document.pages) for im in page.images]
    assert len(images) == 2
    for n, image in images:
        assert image["x0"] * MM >= TYPE_LEFT - 0.2
        assert image["x1"] * MM <= TYPE_RIGHT + 0.2
        assert image["bottom"] * MM <= TYPE_BOTTOM + 0.2
        # the caption follows on the same page, right under the picture
        below = [w.top - image["bottom"] * MM for w in pages[n].words if w.text[:2] == "图为"]
        assert 0 < min(gap for gap in below if gap > 0) < 8
    (_, wide), (page, tall) = images
    assert (wide["x1"] - wide["x0"]) * MM == pytest.approx(TYPE_RIGHT - TYPE_LEFT, abs=0.3)
    # the tall picture (150 mm at full size) shrinks into the lines left under the text
    # before it instead of moving to the next page and leaving them empty
    assert page == 1 and (tall["bottom"] - tall["top"]) * MM < 100
    assert "区坚" in "".join(w.text for w in pages[1].words if w.top < tall["top"] * MM)
    assert (tall["bottom"] - tall["top"]) * MM >= 60


def test_table_numbers_and_labels_never_wrap(corpus) -> None:
    _, pages = corpus["tables"]
    words = {w.text for page in pages for w in page.words}
    for i in range(10):
        assert f"{1234 + i}.{i}7" in words
    # the ten header cells (指标1 … 指标10) sit on one line
    header = [w for page in pages for w in page.words if w.text == "指标"]
    assert len(header) == 10 and max(w.top for w in header) - min(w.top for w in header) < 0.5
    for name in ("东湖街道", "滨海街道", "星海街道"):
        assert name in words
    for page in pages:
        assert max(w.x1 for w in page.body) <= TYPE_RIGHT + 0.3


def test_long_table_repeats_its_header_row(corpus) -> None:
    _, pages = corpus["tables"]
    # two tables in a row stay two tables: the second one's header is its own
    spanned = [p for p in pages if "1030.5" in text_of(p) or "1001.5" in text_of(p)]
    assert len(spanned) == 2, "the long table should span two pages"
    for page in spanned:
        assert "序号" in text_of(page) and "投资额（万元）" in text_of(page), page.number
    assert "备注" not in text_of(spanned[1])


# --------------------------------------------------------------------------- strings, titles


def test_long_url_breaks_instead_of_stretching_the_line(corpus) -> None:
    _, pages = corpus["strings"]
    lines = [line_text(line) for line in pages[0].body_lines()]
    label = next(i for i, line in enumerate(lines) if "网址" in line)
    # the URL starts on the label's line and that line is a normal full line
    assert "https" in lines[label], lines[label]
    assert URL.replace("\u200b", "") in "".join(lines[label : label + 2]).replace("\u200b", "")


def test_title_breaks_at_the_space_with_lines_one_grid_line_apart(corpus) -> None:
    _, pages = corpus["strings"]
    title = [
        line
        for line in pages[0].body_lines()
        if line_text(line).startswith(("驻区纪检", "推动全面"))
    ]
    assert [line_text(line) for line in title] == [
        "驻区纪检监察组积极探索“嵌入式”监督",
        "推动全面从严治党向基层延伸",
    ]
    assert title[1][0].top - title[0][0].top == pytest.approx(LINE_MM, abs=0.4)


def test_titles_keep_two_body_lines_under_them(corpus) -> None:
    for name, (_, pages) in corpus.items():
        for page in pages:
            lines = page.body_lines()
            for i, line in enumerate(lines):
                # article titles are the only 二号 (22 pt, 7.8 mm tall) text after page 1's top
                if max(w.bottom - w.top for w in line) > 7 and line[0].top > 60:
                    after = [ln for ln in lines[i + 1 :] if max(w.bottom - w.top for w in ln) < 7]
                    assert len(after) >= 2, (name, page.number, line_text(line))
    _, pages = corpus["title_foot"]
    # four lines were free under the first article: title and one line would have fitted
    assert line_text(pages[2].body_lines()[0]) == "第二篇文章的标题"


def test_contents_entries_never_split(corpus) -> None:
    _, pages = corpus["toc_long"]
    contents = [
        (page.number, line_text(line))
        for page in pages[:2]
        for line in page.body_lines()
        if line_text(line).startswith(("◆", "工程建设", "——"))
    ]
    entries = [i for i, (_, text) in enumerate(contents) if text.startswith("◆")]
    # the article titles (no space, no pause) break before 全面推进, not inside a word
    titles = [line_text(ln) for p in pages for ln in p.body_lines() if line_text(ln)[:1] == "全"]
    assert titles.count("全面推进重点工程建设提速增效") == 7
    assert len(entries) == 7 and {n for n, _ in contents} == {1, 2}, contents
    for i in entries:  # title, its second line and the subtitle on one page
        assert contents[i][0] == contents[i + 1][0] == contents[i + 2][0], contents[i : i + 3]


# --------------------------------------------------------------------------- package


def test_clean_package(corpus) -> None:
    docx, _ = corpus["tables"]
    with zipfile.ZipFile(docx) as package:
        names = package.namelist()
        styles = etree.fromstring(package.read("word/styles.xml"))
        used = package.read("word/document.xml") + package.read("word/footer1.xml")
    assert not [n for n in names if "stylesWithEffects" in n]
    ids = [s.get(f"{W}styleId") for s in styles.iter(f"{W}style")]
    assert len(ids) < 40, ids
    for style_id in ("Title", "BriefingImprint", "BriefingTableText", "Footer"):
        assert style_id in ids
    assert "Heading9" not in ids and "IntenseQuote" not in ids
    assert b'w:val="BriefingTableText"' in used


# --------------------------------------------------------------------------- body blocks
# (issue 28: pictures in a row and fitted, wide tables, nested lists, the editor's marks)


@dataclass(frozen=True)
class Picture:
    page: int  # 0-based
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top


def pictures(pdf: Path) -> list[Picture]:
    import pdfplumber

    with pdfplumber.open(pdf.with_suffix(".pdf")) as document:
        return [
            Picture(n, im["x0"] * MM, im["x1"] * MM, im["top"] * MM, im["bottom"] * MM)
            for n, page in enumerate(document.pages)
            for im in page.images
        ]


def caption_under(page: Page, picture: Picture, caption: str) -> float:
    """The gap (mm) between *picture* and its *caption* centred under it on *page*."""
    words = [w for w in page.words if w.text == caption]
    gaps = [
        w.top - picture.bottom
        for w in words
        if picture.x0 <= (w.x0 + w.x1) / 2 <= picture.x1 and w.top > picture.bottom
    ]
    assert gaps, (caption, picture)
    return min(gaps)


def test_pictures_on_one_line_print_side_by_side_at_one_size(corpus) -> None:
    docx, pages = corpus["picture_row"]
    row, alone = pictures(docx)[:3], pictures(docx)[3:]
    assert len({p.page for p in row}) == 1
    for picture in row:
        assert picture.top == pytest.approx(row[0].top, abs=0.3)
        assert picture.width == pytest.approx(row[0].width, abs=0.3)
        assert picture.height == pytest.approx(row[0].height, abs=0.3)
        assert picture.x0 >= TYPE_LEFT - 0.2 and picture.x1 <= TYPE_RIGHT + 0.2
    for left, right in itertools.pairwise(row):
        assert left.x1 < right.x0  # side by side, not stacked
    for picture, caption in zip(row, ROW_CAPTIONS, strict=True):
        assert 0 < caption_under(pages[picture.page], picture, caption) < 8
    # three photos of 800 x 600 px share the line: about 48 x 36 mm each
    assert row[0].width == pytest.approx((156 - 2 * 5.6) / 3, abs=0.5)
    # the same photo twice on lines of its own: one size, neither shrunk to its page
    assert len(alone) == 2
    assert alone[0].width == pytest.approx(alone[1].width, abs=0.2)
    assert alone[0].height == pytest.approx(alone[1].height, abs=0.2)


def test_a_picture_shrinks_into_the_rest_of_its_page(corpus) -> None:
    docx, pages = corpus["picture_fit"]
    [picture] = pictures(docx)
    page = pages[picture.page]
    # it stays under the text before it rather than leaving those lines empty …
    assert len([w for w in page.body if w.bottom < picture.top]) >= 5
    # … shrunk from its 150 mm, but not below 60 mm
    assert 60 <= picture.height < 150
    assert 0 < caption_under(page, picture, "图为施工现场") < 8
    below = [w.top for w in page.body if w.top > picture.bottom + 8]
    free = TYPE_BOTTOM - max([picture.bottom + 8, *below])
    assert free < 225 / 4, free  # no more than a quarter of the page left empty


def test_wide_numeric_table_keeps_every_number_whole(corpus) -> None:
    docx, pages = corpus["wide_table"]
    words = [w for page in pages for w in page.words]
    texts = {w.text for w in words}
    for row in WIDE_NUMBERS:
        for number in row:
            assert number in texts, number  # one word: never "18611." above "7"
    heights = [w.bottom - w.top for w in words if w.text in WIDE_NUMBERS[0]]
    assert max(heights) < 10.5 * MM  # stepped down below 五号 …
    # "1" and "月" are words of their own; the 报头's date has one too, in 三号
    months = [w for w in words if w.text == "月" and w.bottom - w.top < 10.5 * MM]
    assert len(months) == 12  # … and every header on one line
    assert max(w.top for w in months) - min(w.top for w in months) < 0.5
    with zipfile.ZipFile(docx) as package:
        assert b"w:noWrap" not in package.read("word/document.xml")
    for page in pages:
        assert max(w.x1 for w in page.body) <= TYPE_RIGHT + 0.3


def test_nested_lists_number_by_level_with_hanging_indents(corpus) -> None:
    _, pages = corpus["nested_lists"]
    lines = [line for page in pages for line in page.body_lines()]
    starts = ("1.", "（1）", "（2）", "①", "②", "2.", "3.")
    marked = [
        (line, next(m for m in starts if line[0].text == m))
        for line in lines
        if line[0].text in starts
    ]
    assert [marker for _, marker in marked] == list(starts)

    def text_x(line) -> float:
        return line[1].x0  # the word after the marker

    by_marker = dict((marker, line) for line, marker in marked)
    # a nested list starts under its parent's text
    assert by_marker["（1）"][0].x0 == pytest.approx(text_x(by_marker["1."]), abs=0.5)
    assert by_marker["①"][0].x0 == pytest.approx(text_x(by_marker["（1）"]), abs=0.5)
    # wrapped lines hang under the item's text, not back at the margin
    for marker in ("1.", "（1）", "①"):
        line = by_marker[marker]
        following = lines[lines.index(line) + 1]
        assert following[0].x0 == pytest.approx(text_x(line), abs=0.5), marker
    # the marker starts where a paragraph's first line does (two characters in)
    assert by_marker["1."][0].x0 == pytest.approx(TYPE_LEFT + 2 * 5.56, abs=0.6)
    # a further paragraph of item 2 starts under its text
    after = lines[lines.index(by_marker["2."]) + 1]
    assert after[0].x0 == pytest.approx(text_x(by_marker["2."]), abs=0.5)


def test_editor_marks_width_page_break_and_keep(corpus) -> None:
    docx, pages = corpus["marks"]
    [picture] = pictures(docx)
    assert picture.width == pytest.approx(156 / 2, abs=0.5)  # {width="50%"}
    starts = [
        p for p in pages if p.body_lines() and line_text(p.body_lines()[0]).startswith("分页之后")
    ]
    assert len(starts) == 1  # {.pagebreak}: the next paragraph opens a page
    kept = {p.number for p in pages for w in p.words if w.text.startswith("这一段与下一段")}
    assert len(kept) == 1  # {.keep}: both paragraphs on one page
    with zipfile.ZipFile(docx) as package:
        assert b"<w:pageBreakBefore/>" in package.read("word/document.xml")


# --------------------------------------------------------------------------- fitting (issue 28)


def lines_with_pages(pages) -> list[tuple[int, str]]:
    """Every printed body line as (page, text), in reading order."""
    return [(page.number, line_text(line)) for page in pages for line in page.body_lines()]


def test_estimated_pages_and_lines_match_libreoffice(corpus) -> None:
    """The pagination estimate puts every paragraph on LibreOffice's page, and the line-break
    estimate breaks every paragraph where LibreOffice does."""
    table = {role.style_id: role for role in roles(Fonts())}
    for name, (docx, pages) in corpus.items():
        with zipfile.ZipFile(docx) as package:
            body = etree.fromstring(package.read("word/document.xml")).find(f"{W}body")
        pagination = paginate(boxes_of(body, table))
        assert pagination.pages == len(pages), name
        printed = lines_with_pages(pages)
        cursor = 0
        for box, where in zip(pagination.boxes, pagination.placed, strict=True):
            first = "".join(box.text[:1]).replace("\u200b", "").replace(" ", "")
            if not first or box.style in ("BriefingTableText",):
                continue
            found = [
                k for k in range(cursor, len(printed)) if printed[k][1].replace(" ", "") == first
            ]
            if not found:
                continue  # a line pdfplumber splits (tab stops, fields)
            cursor = found[0] + 1
            assert printed[found[0]][0] == where.first_page, (name, first)
    _, pages = corpus["breaks"]
    lines = [text for _, text in lines_with_pages(pages)]
    start = lines.index("行宽估算核对") + 1
    estimated = []
    with zipfile.ZipFile(corpus["breaks"][0]) as package:
        body = etree.fromstring(package.read("word/document.xml")).find(f"{W}body")
    for box in boxes_of(body, table):
        if box.style is None and box.text and box.text[0]:
            estimated += box.text
    assert lines[start : start + len(estimated)] == estimated


def test_one_article_issue_prints_on_one_page(corpus) -> None:
    _, pages = corpus["one_article"]
    assert len(pages) == 1
    last_text = max(w.bottom for w in pages[0].words if w.text.startswith("（建设管理局"))
    rules = sorted(y for _, _, y in pages[0].rules if y > 150)
    assert len(rules) == 5 and last_text < rules[0]


def test_no_page_holds_only_the_imprint(corpus) -> None:
    for name, (_, pages) in corpus.items():
        if name.startswith("even_"):
            continue  # layout.imprint_on_even_page: a page of its own is asked for
        last = pages[-1]
        top = min(y for _, _, y in last.rules if y > 150)
        assert [w for w in last.body if w.bottom < top], f"{name}: the 版记 stands alone"


def test_source_line_keeps_with_its_article(corpus) -> None:
    _, pages = corpus["source_full"]
    printed = lines_with_pages(pages)
    k = next(i for i, (_, text) in enumerate(printed) if text == "（建设管理局）")
    page = printed[k][0]
    assert [p for p, _ in printed[k - 2 : k]] == [page, page], printed[k - 3 : k + 1]
    if page > 1:  # the page before is not left more than a quarter empty
        assert max(w.bottom for w in pages[page - 2].body) > TYPE_BOTTOM - 225 / 4


def test_no_source_line_starts_a_page(corpus) -> None:
    """In every case, each （供稿单位） line shares its page with its article's last lines."""
    for name, (_, pages) in corpus.items():
        printed = lines_with_pages(pages)
        for k, (page, text) in enumerate(printed):
            if k and text.startswith("（") and text.endswith("）") and len(text) < 20:
                before = [p for p, _ in printed[max(0, k - 2) : k]]
                if page > 1 and before and before[-1] != page:
                    raise AssertionError((name, page, text, printed[k - 2 : k + 1]))


def test_no_line_holds_a_lone_character(corpus) -> None:
    _, pages = corpus["lone"]
    printed = lines_with_pages(pages)
    body = printed[[t for _, t in printed].index("孤字与挤字") + 1 :]
    for _, text in body:
        if text.startswith("（建设管理局"):
            break
        assert sum(ch.isalnum() for ch in text) > 1, text
    assert (pages[1].number, LONE_HEADING) in printed or (1, LONE_HEADING) in printed


def test_contents_stay_on_page_one_or_continue_under_a_heading(corpus) -> None:
    _, pages = corpus["toc13"]
    first = [line_text(line) for line in pages[0].body_lines()]
    assert sum(line.startswith("◆") for line in first) == 13
    _, pages = corpus["toc16"]
    first = [line_text(line) for line in pages[0].body_lines()]
    second = [line_text(line) for line in pages[1].body_lines()]
    assert second[0] == "本期目录（续）", second[:2]
    entries = [line for line in first + second if line.startswith("◆")]
    assert len(entries) == 16 and sum(line.startswith("◆") for line in first) >= 10
    assert all(not line.startswith("◆") for line in second[:1])


def test_first_article_starts_under_a_short_contents(corpus) -> None:
    _, pages = corpus["short_toc_note"]
    printed = [line_text(line) for line in pages[0].body_lines()]
    title = printed.index("第1篇：新区全面推进重点工程建设")
    after = printed[title + 1 :]
    assert after[0] == "——重点项目百日攻坚纪实"
    assert len(after) >= 3, after  # 副题 and at least two lines of text


@pytest.mark.parametrize("name", ["source_full", "breaks", "lone", "short_toc_note"])
def test_pages_before_the_last_are_full(corpus, name) -> None:
    _, pages = corpus[name]
    for page in pages[:-1]:
        bottom = max(w.bottom for w in page.body)
        assert bottom > TYPE_BOTTOM - 225 / 4, (name, page.number, bottom)


def test_every_docx_validates_against_the_schema(corpus) -> None:
    require_module("openxml_audit")
    from openxml_audit import OpenXmlValidator

    validator = OpenXmlValidator()
    for name, (docx, _) in corpus.items():
        result = validator.validate(str(docx))
        assert result.is_valid, (name, [str(e) for e in list(result.errors)[:5]])
