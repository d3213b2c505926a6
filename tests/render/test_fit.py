"""The line-break and page estimates and the fitting pass, without LibreOffice (the corpus
test measures them against LibreOffice's PDF)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.model import Fonts
from briefing.ooxml_names import W, qn
from briefing.render import _oxml
from briefing.render.docx_fit import carry_over, lone_character, squeeze, squeeze_lone_character
from briefing.render.docx_lines import CLOSING, OPENING, Measured, Run, line_breaks, lines_of
from briefing.render.docx_pages import Box, boxes_of, paginate, paragraph_box
from briefing.render.docx_styles import LINE, TEXT_HEIGHT, TEXT_WIDTH, roles

ROOM = TEXT_WIDTH / 20
TABLE = {role.style_id: role for role in roles(Fonts())}


def body_line(chars: int) -> list[Run]:
    return [Run("新" * chars, 16.0, -0.25)]


def test_twenty_eight_characters_a_line_and_twenty_six_after_the_indent() -> None:
    assert line_breaks(body_line(28), ROOM, ROOM) == []
    assert line_breaks(body_line(29), ROOM, ROOM) == [28]
    assert line_breaks(body_line(60), ROOM - 32, ROOM) == [26, 54]
    # 挤字: 0.8 pt tighter holds 29, 0.9 pt 27 after the indent
    assert line_breaks([Run("新" * 29, 16.0, -0.8)], ROOM, ROOM) == []
    assert line_breaks([Run("新" * 27, 16.0, -0.9)], ROOM - 32, ROOM) == []


def test_closing_marks_never_start_a_line_nor_opening_marks_end_one() -> None:
    lines = lines_of([*body_line(27), Run("一。二（三）四", 16.0, -0.25)], ROOM, ROOM)
    assert lines == ["新" * 27, "一。二（三）四"]
    lines = lines_of([Run("新" * 27 + "“二”" + "三" * 5, 16.0, -0.25)], ROOM, ROOM)
    assert lines == ["新" * 27, "“二”三三三三三"]
    # two dashes stay together, two ellipses may part (as LibreOffice prints them)
    assert lines_of([Run("新" * 27 + "——三", 16.0, -0.25)], ROOM, ROOM)[1] == "——三"
    assert lines_of([Run("新" * 27 + "……三", 16.0, -0.25)], ROOM, ROOM)[1] == "…三"


def test_spacing_only_between_characters_of_one_script() -> None:
    measured = Measured([Run("一12345一", 16.0, -0.8)])
    # 一 and 5 take no spacing before the script changes; 1–4 do; 3.2 pt on both sides
    assert measured.width(0, 7) == pytest.approx(16 + 3.2 + 7.2 * 4 + 8 + 3.2 + 16)
    # a paragraph's first quotation mark prints in the Latin face (7.1 pt), later ones in CJK
    assert round(Measured([Run("“一", 16.0, 0)]).width(0, 1), 2) == 7.1
    assert Measured([Run("一“", 16.0, 0)]).width(1, 2) == 16


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="新区。，、“”（）《》12a—…", min_size=1, max_size=120),
    spacing=st.sampled_from([-0.25, -0.8, 0.0]),
)
def test_every_line_fits_and_keeps_the_rules(text: str, spacing: float) -> None:
    runs = [Run(text, 16.0, spacing)]
    measured = Measured(runs)
    cuts = [0, *line_breaks(runs, ROOM, ROOM), len(text)]
    for start, end in itertools.pairwise(cuts):
        assert end > start
        if end - start > 1:  # a single character wider than the room is the only overflow
            assert measured.width(start, end) <= ROOM + 0.01
    for cut in cuts[1:-1]:
        forced = cut - 1 not in measured.breaks and cut not in measured.breaks
        if not forced:
            assert text[cut] not in CLOSING and text[cut - 1] not in OPENING


def paragraph(text: str, spacing: int | None = None) -> Box:
    xml = f"<w:p><w:r><w:rPr><w:sz w:val='32'/></w:rPr><w:t>{text}</w:t></w:r></w:p>"
    p = _oxml.parse_xml(xml.replace("<w:p>", f'<w:p xmlns:w="{W}">'))
    if spacing is not None:
        _oxml.track_runs(p, spacing)
    return paragraph_box(p, TABLE)


def test_a_lone_character_is_pulled_back_by_tightening() -> None:
    box = paragraph("新" * 26 + "坚" * 28 + "动。")
    assert box.text[-1] == "动。" and lone_character(box.text)
    assert squeeze_lone_character(box, TABLE)
    assert len(box.text) == 2 and not lone_character(box.text)
    assert _oxml.paragraph_runs(box.element)[0][2] <= -16  # at least 0.8 pt tighter


def test_a_lone_character_that_cannot_come_back_gets_a_companion() -> None:
    # “动。” needs two more characters on the first line (。 cannot start a line): not within
    # 5.5 %; without the tracking the first line holds 25 and the last one takes a second
    box = paragraph("新" * 26 + "动。")
    assert box.text == ["新" * 26, "动。"]
    assert squeeze_lone_character(box, TABLE)
    assert box.text == ["新" * 25, "新动。"]
    assert _oxml.paragraph_runs(box.element)[0][2] == 0
    assert not squeeze(paragraph("新" * 10), TABLE, 0)  # one line cannot lose its line


def test_loosening_carries_two_lines_over_with_an_orphaned_source() -> None:
    body = _oxml.w("body")
    for box in (
        paragraph("新" * (26 + 28 * 13)),  # 14 lines
        paragraph("新" * (26 + 28 * 6 + 27)),  # 8 lines, the last one nearly full
        paragraph("（建设管理局）"),
    ):
        body.append(box.element)
    long, source = body[1], body[2]
    assert [p.first_page for p in paginate(boxes_of(body, TABLE)).placed] == [1, 1, 2]
    assert carry_over(body, TABLE, {}, long, source)
    placed = paginate(boxes_of(body, TABLE)).placed
    assert placed[1].lines_per_page == {1: 7, 2: 2} and placed[2].first_page == 2
    assert _oxml.paragraph_flag(long, "widowControl") is True


def test_keep_with_next_chains_move_together_and_widows_keep_two_lines() -> None:
    filler = Box(None, None, [LINE] * 20)
    title = Box(None, "Title", [LINE], keep_next=True, keep_lines=True)
    text = Box(None, None, [LINE] * 5, widow=True)
    pagination = paginate([filler, title, text])
    # the title and one line would fit: with widow control the two move on together
    assert [p.first_page for p in pagination.placed] == [1, 2, 2]
    assert pagination.used[0] == 20 * LINE
    split = paginate([Box(None, None, [LINE] * 18), Box(None, None, [LINE] * 6, widow=True)])
    assert split.placed[1].lines_per_page == {1: 4, 2: 2}


def test_the_imprint_needs_its_rows_free_at_the_foot() -> None:
    text = Box(None, None, [LINE] * 18)
    imprint = Box(None, None, [], floating_rows=4)
    assert paginate([text, imprint]).pages == 2  # 18 + 4 rows and the margin: no room
    assert paginate([Box(None, None, [LINE] * 17), imprint]).pages == 1
    assert TEXT_HEIGHT - 18 * LINE < 4 * LINE + 60


def test_page_fill_tells_where_the_next_block_starts() -> None:
    from briefing.render.docx_pages import page_fill

    body = _oxml.w("body")
    assert page_fill(body, TABLE) == (1, 0)
    for chars in (26 + 28 * 13, 26 + 28 * 9):  # 14 and 10 lines: the second splits 8 / 2
        body.append(paragraph("新" * chars).element)
    assert page_fill(body, TABLE) == (2, 2 * LINE)


def test_tables_are_never_tightened_nor_kept() -> None:
    """A source line alone at a page's top after a table (found by the fuzz test: the
    fitting pass took the table's box for a paragraph and gave it paragraph properties)."""
    from briefing.render.docx_fit import keep_sources_with_text

    body = _oxml.w("body")
    body.append(paragraph("新" * (26 + 28 * 20)).element)  # 21 lines
    table = _oxml.add_table(body, 1, 1, TEXT_WIDTH)
    source = paragraph("（建设管理局）").element
    _oxml.paragraph_style(source, "BriefingSource")
    body.append(source)
    placed = paginate(boxes_of(body, TABLE)).placed
    assert placed[2].first_page == 2 and placed[2].top == 0
    keep_sources_with_text(body, TABLE, {})
    assert table.find(qn("w:pPr")) is None
