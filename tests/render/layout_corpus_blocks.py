"""Layout corpus cases for the body's blocks (issue 28 items 5-7 and 10): pictures on one
line, a picture that does not fit the rest of its page, a 12-column numeric table, nested
ordered lists and the editor's width, keep and page-break marks.

Built from blocks as the Markdown parser makes them; ``bulletin_article`` decides what both
editions print (list markers, picture sizes), as ``assemble`` does in a build.
"""

from __future__ import annotations

from pathlib import Path

from briefing.model import (
    Image,
    Kept,
    ListBlock,
    ListItem,
    PageBreak,
    Paragraph,
    PictureRow,
    Span,
    Table,
)
from tests.render.layout_corpus import bulletin, cell, png, text

ROW_CAPTIONS = ("图为一号工地", "图为二号工地", "图为三号工地")
WIDE_NUMBERS = [[f"{18611 + 37 * r + c}.{(r + c) % 10}" for c in range(12)] for r in range(6)]
LONG_ITEM = "建立重点项目台账，逐项明确责任单位、责任人和完成时限，每月通报一次进展情况。"
KEPT = "这一段与下一段由编辑标为同页，不得被分页拆开，整体移到下一页。"


def item(depth: int, ordered: bool, number: int, words: str) -> ListItem:
    return ListItem((Span(words),), depth, ordered, number)


def block_cases(folder: Path) -> dict[str, object]:
    photo = png(folder / "photo.png", 800, 600)  # 282 x 212 mm at 72 dpi: shrinks to fit
    tall = png(folder / "upright.png", 600, 800)

    def picture(name: Path, caption: str, line: int, width: float | None = None) -> Image:
        return Image(name.name, name, caption, line, width)

    return {
        # three same-size photos written on one line: one row, one size, captions under them
        "picture_row": bulletin(
            [
                (
                    "三张照片写在一行",
                    None,
                    [
                        text(56),
                        PictureRow(tuple(picture(photo, c, 2) for c in ROW_CAPTIONS), 2),
                        text(84, 3),
                        # the same photo again, alone: the same pixels print at one size
                        picture(photo, "图为一号工地全景", 4),
                        picture(photo, "图为二号工地全景", 5),
                        text(56, 6),
                    ],
                )
            ]
        ),
        # a photo that does not fit the rest of its page shrinks into it (not below 60 mm)
        "picture_fit": bulletin(
            [
                (
                    "照片放不下本页余下的行",
                    None,
                    [text(28 * 16, 1), picture(tall, "图为施工现场", 2), text(84, 3)],
                )
            ]
        ),
        # twelve numeric columns: 小五 with narrow margins, no number broken
        "wide_table": bulletin(
            [
                (
                    "各街道分月投资完成情况",
                    None,
                    [
                        text(28),
                        Table(
                            tuple(cell(f"{m}月") for m in range(1, 13)),
                            tuple(tuple(cell(n, "right") for n in row) for row in WIDE_NUMBERS),
                            2,
                        ),
                        text(28, 3),
                    ],
                )
            ]
        ),
        # 1. → （1） → ① with hanging indents; a further paragraph of an item under its text
        "nested_lists": bulletin(
            [
                (
                    "多级列表",
                    None,
                    [
                        text(28),
                        ListBlock(
                            (
                                item(0, True, 1, LONG_ITEM),
                                item(1, True, 1, LONG_ITEM),
                                item(1, True, 2, "责任清单"),
                                item(2, True, 1, LONG_ITEM),
                                item(2, True, 2, "配合单位"),
                                item(0, True, 2, "定期调度"),
                                item(0, True, 0, LONG_ITEM),
                                item(0, True, 3, "跟踪问效"),
                            ),
                            True,
                            2,
                        ),
                        text(28, 3),
                    ],
                )
            ]
        ),
        # the editor's marks: a half-width picture, a page break, two paragraphs kept together
        "marks": bulletin(
            [
                (
                    "编辑的版式标记",
                    None,
                    [
                        text(28),
                        picture(photo, "图为半幅照片", 2, 0.5),
                        text(28, 3),
                        PageBreak(4),
                        Paragraph((Span("分页之后的第一段，从新的一页开始。"),), 5),
                        text(28 * 17 - 2, 6),
                        Kept(
                            (
                                Paragraph((Span(KEPT * 2),), 7),
                                Paragraph((Span(KEPT * 2),), 8),
                            ),
                            7,
                        ),
                    ],
                )
            ]
        ),
    }
