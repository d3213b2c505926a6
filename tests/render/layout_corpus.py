"""The layout corpus: bulletins built like real issues that once needed hand fixes in Word.

Each case is a :class:`~briefing.model.Bulletin` made from the test factory; the tests render
them all to DOCX and convert them with one LibreOffice call (see ``test_layout_corpus.py``).
"""

from __future__ import annotations

import dataclasses
import struct
import zlib
from pathlib import Path

from briefing.assemble import bulletin_article, contents, contents_layout
from briefing.model import (
    Bulletin,
    Heading,
    Image,
    Layout,
    Paragraph,
    Span,
    Table,
    TableCell,
)
from tests.factory import make_article, make_bulletin

LONG_ISSUER = "温州浙南产业集聚区（经开区、瓯飞）党政办公室"
LONGEST_ISSUER = "中共温州浙南产业集聚区（温州经济技术开发区、瓯飞开发建设管委会）工作委员会办公室"
TEXT = (
    "新区坚持问题导向，聚焦群众反映强烈的突出问题，"
    "逐项建立台账，明确责任单位和完成时限，推动各项工作落地见效。"
)  # 58 characters
URL = "https://www.wzjkq.gov.cn/art/2018/12/20/art_1229151540_58912345.html"


def png(path: Path, width: int, height: int) -> Path:
    """A solid grey PNG of the given pixel size (no imaging library needed)."""
    row = b"\x00" + b"\x80" * width
    raw = zlib.compress(row * height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    )
    return path


def text(chars: int, line: int = 1) -> Paragraph:
    """A body paragraph of exactly *chars* plain Chinese characters."""
    return Paragraph((Span((TEXT * (chars // len(TEXT) + 1))[:chars]),), line)


def cell(value: str, align: str | None = None) -> TableCell:
    return TableCell((Span(value),), align)


def bulletin(articles: list, **kw) -> Bulletin:
    """A bulletin of ``(title, subtitle, blocks)`` articles with a matching table of contents
    (its heading, markers and subtitle placement decided by ``assemble`` from the layout)."""
    items = tuple(
        bulletin_article(
            f"a{i}", make_article(title=title, subtitle=subtitle, note=None, blocks=tuple(blocks))
        )
        for i, (title, subtitle, blocks) in enumerate(articles, start=1)
    )
    layout = kw.get("layout", Layout())
    toc = contents(items, layout, uses_columns=False)
    return dataclasses.replace(
        make_bulletin(articles=1), articles=items, toc=toc, **contents_layout(layout), **kw
    )


def even_page_issue(paragraphs: int) -> Bulletin:
    """An issue with ``imprint_on_even_page`` whose text fills about two pages."""
    blocks = [text(28 * 4 - 2, i) for i in range(1, paragraphs + 1)]  # four full lines each
    return bulletin([("推动工作落地见效", None, blocks)], layout=Layout(imprint_on_even_page=True))


def with_note(b: Bulletin, note: str, subtitle: str) -> Bulletin:
    """*b* with a 编者按 and a 副题 on its first article."""
    from briefing.assemble import printed_note, printed_subtitle

    first = dataclasses.replace(
        b.articles[0], note=printed_note(note), subtitle=printed_subtitle(subtitle)
    )
    items = (first, *b.articles[1:])
    toc = contents(items, b.layout, uses_columns=False)
    return dataclasses.replace(b, articles=items, toc=toc)


_FRAGMENTS = (
    "截至{y}年{m}月{d}日，共走访企业{n}家",
    "群众满意率达到{p}.{m}%",
    "推动“{w}”工作由“被动应对”向“主动作为”转变",
    "区发展和改革局牵头制定《{w}工作方案》",
    "明确{n}项具体举措和完成时限",
    "一是压实责任，二是细化分工，三是定期通报",
    "投入资金{n}万元，较上年同期增长{p}%",
    "围绕群众急难愁盼问题，建立问题、责任、时限“三张清单”",
)
_WORDS = ("最多跑一次", "河湖长制", "垃圾分类", "营商环境", "网格化管理")


def varied_paragraphs(count: int) -> list[Paragraph]:
    """*count* deterministic paragraphs of 简报 prose: dates, figures, percentages,
    quotation marks and 《》 at every position of a line (for the line-break estimate)."""
    paragraphs = []
    for i in range(count):
        parts = []
        for j in range(3 + i % 4):
            k = i * 7 + j * 3
            fragment = _FRAGMENTS[k % len(_FRAGMENTS)].format(
                y=2018, m=1 + k % 12, d=1 + k % 28, n=10 + k * 37 % 900, p=10 + k % 89,
                w=_WORDS[k % len(_WORDS)],
            )  # fmt: skip
            parts.append(fragment + ("。" if j % 2 else "，"))
        paragraphs.append(Paragraph((Span("".join(parts)[:-1] + "。"),), i + 1))
    return paragraphs


LONE_HEADING = "一、坚持系统谋划，推动经济社会高质量发展稳步迈上新起点"  # 27 characters
#: cases rendered as the build's first try (the 版记 sharing the last page, no even section)
SHARING_TRY = frozenset({"even_shared"})


def cases(folder: Path) -> dict[str, Bulletin]:
    """Every corpus case by name; pictures are written into *folder*."""
    tall = png(folder / "tall.png", 600, 800)
    wide = png(folder / "wide.png", 1600, 900)
    numbers = [cell(f"{1234 + i}.{i}7", "right") for i in range(10)]
    from tests.render.layout_corpus_blocks import block_cases

    return {
        **block_cases(folder),
        # 报头 with a long issuer; a full table of contents on page 1
        "masthead": bulletin(
            [
                (
                    f"第{i}篇：全面推进“三张清单”管理 加快重点工程建设",
                    "重点项目百日攻坚纪实",
                    [text(40)],
                )
                for i in range(1, 6)
            ],
            issuer=LONG_ISSUER,
        ),
        # an issuer too long for one line even at 小四: it wraps on its side, the date stays
        "issuer_two_lines": bulletin(
            [("新区召开重点工程推进会", None, [text(20)])], issuer=LONGEST_ISSUER
        ),
        # the second title would fit at the foot of page 2 with one body line: it moves on
        "title_foot": bulletin(
            [
                ("推动工作落地见效", None, [text(21 * 28 - 2)]),
                ("第二篇文章的标题", None, [text(28 * 3 - 2, 2)]),
            ]
        ),
        # a table of contents too long for page 1: no entry is split across pages
        "toc_long": bulletin(
            [
                (
                    f"第{i}篇：新区聚焦群众反映强烈的突出问题全面推进重点工程建设提速增效",
                    "重点项目百日攻坚纪实",
                    [text(20)],
                )
                for i in range(1, 8)
            ]
        ),
        # one short article, 5 lines free under it: the 版记 (4 rows) shares page 1
        "short": bulletin([("新区召开重点工程推进会", None, [text(20)])]),
        # the other table-of-contents style: no heading, numbers, the subtitle on its line
        "toc_numbers": bulletin(
            [
                (f"第{i}篇：重点工程建设提速", "重点项目百日攻坚纪实", [text(20)])
                for i in range(1, 4)
            ],
            layout=Layout(toc_heading="", toc_marker="numbers", toc_subtitle="inline"),
        ),
        # the last text page keeps 5 free lines: the 版记 (4 rows) fits under the text
        "five_free": bulletin([("推动工作落地见效", None, [text(28 * 4, i) for i in range(1, 9)])]),
        # 版记 on an even page: text ends on page 2 with room, the 版记 shares it (the build's
        # first try, rendered without the even-page section)
        "even_shared": even_page_issue(4),
        # text ends on page 2 without room: page 3 blank, the 版记 on page 4, neither numbered
        "even_blank": even_page_issue(6),
        # pictures: a wide one, and a tall one that does not fit the rest of its page
        "pictures": bulletin(
            [
                (
                    "图片版式",
                    None,
                    [
                        text(56),
                        Image("wide.png", wide, "图为全景", 2),
                        text(28 * 2, 3),
                        Image("tall.png", tall, "图为工作人员在施工现场核查进度", 4),
                        text(56, 5),
                    ],
                )
            ]
        ),
        # tables: ten numeric columns; unit names
        "tables": bulletin(
            [
                (
                    "各街道重点项目投资完成情况",
                    None,
                    [
                        text(28),
                        Table(
                            tuple(cell(f"指标{i}") for i in range(1, 11)),
                            tuple(tuple(numbers) for _ in range(3)),
                            2,
                        ),
                        text(28, 3),
                        Table(
                            (cell("单位"), cell("项目数"), cell("完成率"), cell("备注")),
                            tuple(
                                (cell(name), cell("12"), cell("85.5%"), cell(TEXT[:30]))
                                for name in ("东湖街道", "滨海街道", "星海街道")
                            ),
                            4,
                        ),
                        # a long table: its header row repeats on the next page
                        Table(
                            (cell("序号"), cell("单位"), cell("投资额（万元）")),
                            tuple(
                                (cell(str(i)), cell("星海街道"), cell(f"{1000 + i}.5", "right"))
                                for i in range(1, 31)
                            ),
                            5,
                        ),
                    ],
                )
            ]
        ),
        # issue 28: a one-article issue of three lines: text, source and 版记 on one page
        "one_article": bulletin([("新区召开重点工程推进会", None, [text(28 * 3 - 2)])]),
        # the first article's last page is exactly full: its source line keeps two lines
        "source_full": bulletin(
            [
                ("推动工作落地见效", None, [text(110, i) for i in range(1, 7)] + [text(90, 7)]),
                ("第二篇文章的标题", None, [text(100, 1)]),
            ]
        ),
        # 孤字: a paragraph ending “动。” alone, one to loosen, a heading one character too long
        "lone": bulletin(
            [
                (
                    "孤字与挤字",
                    None,
                    [
                        Paragraph((Span(TEXT[:26] + "坚" * 28 + "动。"),), 1),
                        Paragraph((Span((TEXT * 3)[: 26 + 28 * 3] + "动。"),), 2),
                        Heading(1, (Span(LONE_HEADING),), 3),
                        text(60, 4),
                    ],
                )
            ]
        ),
        # sixteen articles: the contents go on under 本期目录（续）; thirteen fit when tightened
        "toc16": bulletin(
            [(f"第{i}篇：新区全面推进重点工程建设", None, [text(40)]) for i in range(1, 17)]
        ),
        "toc13": bulletin(
            [(f"第{i}篇：新区全面推进重点工程建设", None, [text(40)]) for i in range(1, 14)]
        ),
        # a short contents and a first article with 副题 and 编者按: it starts on page 1
        "short_toc_note": with_note(
            bulletin(
                [
                    (f"第{i}篇：新区全面推进重点工程建设", None, [text(300, 1), text(200, 2)])
                    for i in range(1, 3)
                ]
            ),
            "编者按：清单化管理是推动工作落实的有效办法，现将滨江新区的有关做法刊发，供参考。",
            "重点项目百日攻坚纪实",
        ),
        # generated prose for the line-break estimate
        "breaks": bulletin([("行宽估算核对", None, varied_paragraphs(40))]),
        # a long URL after a short label; a long title with a quoted phrase
        "strings": bulletin(
            [
                (
                    "驻区纪检监察组积极探索“嵌入式”监督 推动全面从严治党向基层延伸",
                    None,
                    [
                        Paragraph((Span("详细内容请见新区门户网站，网址："), Span(URL)), 1),
                        text(100, 2),
                    ],
                )
            ]
        ),
    }
