"""What ``assemble`` decides for pictures and lists, compared value by value: printed sizes
in rows and alone, which pictures the print edition may shrink, the 公文 list markers and
their hangs, and the ``Bulletin`` fields taken from settings and the issue.

Each test makes its own small article or bulletin (assembling is in-process and fast), so
that a wrong value is caught by the test that pins it and not by a shared fixture.
"""

from __future__ import annotations

import dataclasses
import struct
import zlib
from pathlib import Path

import pytest

from briefing.assemble import (
    _Pictures,
    assemble,
    bulletin_article,
    list_marker,
    numbered_list,
    printed_blocks,
    printed_source,
)
from briefing.errors import InputError
from briefing.load import load_settings
from briefing.model import (
    Article,
    Block,
    Image,
    ListBlock,
    ListItem,
    Paragraph,
    PictureRow,
    Quote,
    SourceText,
    Span,
)
from briefing.rules import Reporter
from tests.test_assemble import issue

TYPE_WIDTH = 8844 / 1440 * 25.4  # mm: the type area
GAP = 5.6  # mm between pictures side by side
Sizes = list[list[tuple[float, float, bool]]]


def png(width: int, height: int) -> bytes:
    """A grey PNG at 254 dpi: ten pixels a millimetre, so 300 px print 30 mm."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"pHYs", struct.pack(">IIB", 10_000, 10_000, 1))
        + chunk(b"IDAT", zlib.compress((b"\x00" + b"\x80" * width) * height, 1))
        + chunk(b"IEND", b"")
    )


def picture(folder: Path, name: str, width_mm: int, height_mm: int) -> Path:
    path = folder / name
    if not path.exists():
        path.write_bytes(png(width_mm * 10, height_mm * 10))
    return path


def image(path: Path, line: int = 3, width: float | None = None) -> Image:
    return Image(path.name, path, "图", line, width)


def article(folder: Path, *blocks: Block) -> Article:
    path = folder / "01.md"
    return Article(path, "标题", "局", tuple(blocks), SourceText("", path, 1))


def sizes(blocks: tuple[Block, ...]) -> Sizes:
    """(width, height, shrinkable) of each picture, one list per printed row or picture."""
    out = []
    for block in blocks:
        shown = block.images if isinstance(block, PictureRow) else (block,)
        out.append(
            [(i.picture.width_mm, i.picture.height_mm, i.picture.shrinkable) for i in shown]  # type: ignore[union-attr]
        )
    return out


def close(got: Sizes, want: Sizes) -> None:
    """*got* is *want* to a nanometre or two (the printed sizes are floored to a nanometre)."""
    assert len(got) == len(want)
    for row, wanted in zip(got, want, strict=True):
        assert [s for *_, s in row] == [s for *_, s in wanted]
        printed = [length for w, h, _ in row for length in (w, h)]
        assert printed == pytest.approx(
            [length for w, h, _ in wanted for length in (w, h)], abs=2e-6
        )


def decide(folder: Path, *blocks: Block) -> tuple[Block, ...]:
    return printed_blocks(article(folder, *blocks), _Pictures(folder, Reporter()))


# --------------------------------------------------------------------------- alone


def test_a_small_picture_prints_at_its_own_size_to_the_nanometre(tmp_path: Path) -> None:
    blocks = decide(tmp_path, image(picture(tmp_path, "a.png", 30, 20)))
    assert sizes(blocks) == [[(30.0, 20.0, True)]]


def test_a_picture_with_a_share_of_the_width_is_not_shrinkable(tmp_path: Path) -> None:
    blocks = decide(tmp_path, image(picture(tmp_path, "a.png", 40, 20), width=0.5))
    close(sizes(blocks), [[(TYPE_WIDTH / 2, TYPE_WIDTH / 4, False)]])


def test_a_share_keeps_the_proportions_of_a_tall_picture(tmp_path: Path) -> None:
    blocks = decide(tmp_path, image(picture(tmp_path, "a.png", 20, 30), width=0.5))
    close(sizes(blocks), [[(TYPE_WIDTH / 2, TYPE_WIDTH * 0.75, False)]])


def test_identical_pictures_print_alike_and_are_never_shrunk(tmp_path: Path) -> None:
    a = picture(tmp_path, "a.png", 30, 20)
    b = picture(tmp_path, "b.png", 40, 20)
    blocks = decide(tmp_path, image(a, 3), image(b, 4), Quote((image(a, 6),), 6))
    assert sizes(blocks[:2]) == [[(30.0, 20.0, False)], [(40.0, 20.0, True)]]
    assert isinstance(blocks[2], Quote)
    assert sizes(blocks[2].blocks) == [[(30.0, 20.0, False)]]


def test_three_identical_pictures_are_none_of_them_shrinkable(tmp_path: Path) -> None:
    a = picture(tmp_path, "a.png", 30, 20)
    blocks = decide(tmp_path, image(a, 3), image(a, 4), image(a, 5))
    assert sizes(blocks) == [[(30.0, 20.0, False)]] * 3


def test_a_copy_with_a_width_mark_leaves_the_other_shrinkable(tmp_path: Path) -> None:
    a = picture(tmp_path, "a.png", 40, 20)
    blocks = decide(tmp_path, image(a, 3), image(a, 4, width=0.5))
    close(sizes(blocks), [[(40.0, 20.0, True)], [(TYPE_WIDTH / 2, TYPE_WIDTH / 4, False)]])


def test_a_missing_picture_is_reported_at_its_article_and_line(tmp_path: Path) -> None:
    reporter = Reporter()
    art = article(tmp_path, Quote((image(tmp_path / "gone.png", 7),), 7))
    blocks = printed_blocks(art, _Pictures(tmp_path, reporter))
    assert blocks == (Quote((), 7),)
    [found] = reporter.diagnostics
    assert (found.code, found.path, found.line, found.column) == ("P001", art.path, 7, 1)


def test_a_missing_picture_without_a_workspace_stops_at_once(tmp_path: Path) -> None:
    art = article(tmp_path, image(tmp_path / "gone.png", 5), image(tmp_path / "gone2.png", 6))
    with pytest.raises(InputError) as raised:
        bulletin_article("a", art)
    [found] = raised.value.diagnostics
    assert (found.code, found.line) == ("P001", 5)


def test_a_picture_outside_the_workspace_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    outside = picture(tmp_path, "a.png", 30, 20)
    reporter = Reporter()
    assert printed_blocks(article(root, image(outside)), _Pictures(root, reporter)) == ()
    assert [d.code for d in reporter.diagnostics] == ["P002"]


# --------------------------------------------------------------------------- rows


def row(*images: Image) -> PictureRow:
    return PictureRow(images, 9)


def test_two_wide_pictures_share_the_line_at_one_height(tmp_path: Path) -> None:
    a = picture(tmp_path, "a.png", 200, 100)
    blocks = decide(tmp_path, row(image(a), image(a)))
    width = (TYPE_WIDTH - GAP) / 2
    close(sizes(blocks), [[(width, width / 2, False), (width, width / 2, False)]])
    assert isinstance(blocks[0], PictureRow) and blocks[0].line == 9


def test_pictures_of_different_shapes_share_one_height(tmp_path: Path) -> None:
    wide = picture(tmp_path, "a.png", 200, 100)
    tall = picture(tmp_path, "b.png", 80, 160)
    blocks = decide(tmp_path, row(image(wide), image(tall)))
    height = (TYPE_WIDTH - GAP) / 2.5
    close(sizes(blocks), [[(2 * height, height, False), (height / 2, height, False)]])


def test_three_pictures_in_a_row(tmp_path: Path) -> None:
    a = picture(tmp_path, "a.png", 200, 100)
    blocks = decide(tmp_path, row(image(a), image(a), image(a)))
    width = (TYPE_WIDTH - 2 * GAP) / 3
    close(sizes(blocks), [[(width, width / 2, False)] * 3])


def test_a_row_never_enlarges_past_the_smallest_height(tmp_path: Path) -> None:
    a = picture(tmp_path, "a.png", 30, 20)
    b = picture(tmp_path, "b.png", 20, 20)
    blocks = decide(tmp_path, row(image(a), image(b)))
    assert sizes(blocks) == [[(30.0, 20.0, False), (20.0, 20.0, False)]]


def test_a_row_of_tall_pictures_keeps_to_the_height_limit(tmp_path: Path) -> None:
    a = picture(tmp_path, "a.png", 20, 400)
    blocks = decide(tmp_path, row(image(a), image(a)))
    assert sizes(blocks) == [[(7.5, 150.0, False), (7.5, 150.0, False)]]


def test_a_width_mark_in_a_row_takes_its_share_and_the_rest_share_the_line(
    tmp_path: Path,
) -> None:
    a = picture(tmp_path, "a.png", 200, 100)
    blocks = decide(tmp_path, row(image(a, width=0.5), image(a)))
    rest = TYPE_WIDTH - GAP - TYPE_WIDTH / 2
    close(
        sizes(blocks),
        [[(TYPE_WIDTH / 2, TYPE_WIDTH / 4, False), (rest, rest / 2, False)]],
    )


def test_a_full_width_mark_in_a_row_is_held_to_the_room_left(tmp_path: Path) -> None:
    a = picture(tmp_path, "a.png", 200, 100)
    b = picture(tmp_path, "b.png", 20, 400)
    blocks = decide(tmp_path, row(image(a, width=1.0), image(b, width=0.5)))
    room = TYPE_WIDTH - GAP
    close(sizes(blocks), [[(room, room / 2, False), (7.5, 150.0, False)]])


@pytest.mark.parametrize(("count", "rows"), [(4, [2, 2]), (5, [3, 2]), (7, [3, 2, 2])])
def test_more_than_three_pictures_make_even_rows(
    tmp_path: Path, count: int, rows: list[int]
) -> None:
    a = picture(tmp_path, "a.png", 200, 100)
    blocks = decide(tmp_path, row(*(image(a, line) for line in range(count))))
    assert [len(b.images) for b in blocks if isinstance(b, PictureRow)] == rows
    assert [i.line for b in blocks for i in b.images] == list(range(count))  # type: ignore[union-attr]


@pytest.mark.parametrize("width", [None, 0.5])
def test_a_row_left_with_one_picture_prints_it_alone(tmp_path: Path, width: float | None) -> None:
    a = picture(tmp_path, "a.png", 40, 20)
    reporter = Reporter()
    art = article(tmp_path, row(image(tmp_path / "gone.png", 9), image(a, 9, width)))
    blocks = printed_blocks(art, _Pictures(tmp_path, reporter))
    want = (40.0, 20.0, True) if width is None else (TYPE_WIDTH / 2, TYPE_WIDTH / 4, False)
    close(sizes(blocks), [[want]])
    assert isinstance(blocks[0], Image) and blocks[0].src == "a.png"
    assert [(d.code, d.path, d.line) for d in reporter.diagnostics] == [("P001", art.path, 9)]


# --------------------------------------------------------------------------- lists


def item(depth: int, ordered: bool, number: int) -> ListItem:
    return ListItem((Span("x"),), depth, ordered, number)


def test_each_nested_list_has_its_own_hang() -> None:
    block = ListBlock(
        (
            item(0, True, 1),
            item(1, True, 1),
            item(0, True, 2),
            item(1, False, 1),
            item(0, True, 3),
        ),
        True,
        1,
    )
    got = [(i.marker, i.hang) for i in numbered_list(block).items]
    assert got == [("1.", 1.0), ("（1）", 3.0), ("2.", 1.0), ("●", 2.0), ("3.", 1.0)]


def test_a_list_to_ten_hangs_for_its_widest_number() -> None:
    block = ListBlock(tuple(item(0, True, n) for n in (9, 10)), True, 1, start=9)
    assert [(i.marker, i.hang) for i in numbered_list(block).items] == [
        ("9.", 1.5),
        ("10.", 1.5),
    ]


def test_a_continuation_paragraph_keeps_the_hang_of_its_list() -> None:
    block = ListBlock((item(0, True, 10), item(0, True, 0)), True, 1, start=10)
    assert [(i.marker, i.hang) for i in numbered_list(block).items] == [
        ("10.", 1.5),
        ("", 1.5),
    ]


def test_the_third_level_counts_in_circled_numbers_to_twenty() -> None:
    assert [list_marker(True, 3, n) for n in (1, 19, 20, 21)] == ["①", "⑲", "⑳", "（21）"]


# --------------------------------------------------------------------------- the bulletin


def plain(
    name: str, *blocks: Block, column: str | None = None, author: str | None = None
) -> Article:
    path = Path("/ws/issues/2018-028") / name
    return Article(path, "题", "局", blocks, SourceText("", path, 1), column=column, author=author)


def test_the_bulletin_takes_the_settings_and_the_issue(make_workspace) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings(make_workspace(), Reporter())
    settings = dataclasses.replace(
        settings,
        classification="内部资料",
        copies=None,
        layout=dataclasses.replace(
            settings.layout, pad_two_char_names=False, toc_subtitle="inline"
        ),
    )
    the_issue = issue(theme="防汛专刊", credits=(("编辑", "赵敏"),))
    para = Paragraph((Span("正文"),), 5)
    bulletin = assemble(settings, the_issue, [plain("01.md", para, author=" 张三 ")])
    assert bulletin.classification == "内部资料"
    assert bulletin.theme == "防汛专刊"
    assert bulletin.base_dir == the_issue.dir
    assert bulletin.copies_text is None
    assert bulletin.draft is False
    assert bulletin.toc_subtitle_inline is True
    assert [(x.label, x.text) for x in bulletin.credits] == [("编辑", "赵敏")]
    assert bulletin.articles[0].blocks == (para,)
    assert bulletin.articles[0].author == "张三"
    assert bulletin.toc[0].entries[0].anchor == "article-1"


def test_without_bodies_only_the_strings_are_decided(make_workspace) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings(make_workspace(), Reporter())
    para = Paragraph((Span("正文"),), 5)
    bulletin = assemble(settings, issue(), [plain("01.md", para)], bodies=False)
    assert bulletin.articles[0].blocks == ()
    assert bulletin.articles[0].author is None


def test_one_column_is_labelled_once_at_its_first_article(make_workspace) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings(make_workspace(), Reporter())
    arts = [plain("01.md", column="动态"), plain("02.md", column="动态")]
    bulletin = assemble(settings, issue(), arts)
    assert [a.column_label for a in bulletin.articles] == ["【动态】", None]


def test_a_picture_that_cannot_be_printed_stops_the_bulletin(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace()
    settings = load_settings(root, Reporter())
    gone = root / "issues/2018-028/images/gone.png"
    art = plain("01.md", Image("images/gone.png", gone, "图", 4))
    with pytest.raises(InputError) as raised:
        assemble(settings, issue(dir=root / "issues/2018-028"), [art])
    assert raised.value.hint == "期刊 2018-028 的图片无法印出，未生成任何文件"


def test_a_source_whose_brackets_do_not_pair_is_bracketed_again() -> None:
    assert printed_source("（甲（乙）") == "（（甲（乙））"
