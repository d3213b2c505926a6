"""Hand-built model objects for renderer tests that must not depend on the loader."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from briefing.assemble import bulletin_article, column_label, contents_layout, toc_marker
from briefing.model import (
    Article,
    Bulletin,
    BulletinArticle,
    CodeBlock,
    Fonts,
    Heading,
    Image,
    ImprintLine,
    Layout,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    SourceText,
    Span,
    Table,
    TableCell,
    TocEntry,
    TocGroup,
)

DATA = Path(__file__).parent / "data"
SAMPLE_PNG = DATA / "images" / "sample.png"


def para(*texts: str | Span, line: int = 1) -> Paragraph:
    return Paragraph(tuple(t if isinstance(t, Span) else Span(t) for t in texts), line)


def make_article(title: str = "“三张清单”推动重点工程提速", **kw) -> Article:
    blocks = kw.pop("blocks", None) or (
        para(
            "今年以来，新区围绕重点工程建设中的堵点难点，建立问题、责任、时限“三张清单”，推动",
            Span("26个重点项目", bold=True),
            "按期开工。",
        ),
        Heading(1, (Span("一、建立问题清单，做到底数清"),), 5),
        para("一是逐项梳理。二是分级交办。三是定期通报，截至11月底已办结问题143个。"),
        Heading(2, (Span("（一）压实部门责任"),), 9),
        para("对涉及多个部门的事项，明确牵头单位，", Span("限时办结", italic=True), "。"),
        Heading(3, (Span("1.建立台账"),), 12),
        ListBlock((ListItem((Span("项目清单"),)), ListItem((Span("责任清单"),))), False, 14),
        Table(
            (TableCell((Span("项目"),)), TableCell((Span("进度"),), "right")),
            (
                (TableCell((Span("滨江大道"),)), TableCell((Span("85%"),), "right")),
                (TableCell((Span("科创园二期"),)), TableCell((Span("60%"),), "right")),
            ),
            17,
        ),
        Image("images/sample.png", SAMPLE_PNG, "图为工作人员在施工现场核查进度", 21),
        Quote((para("群众的满意度是检验工作成效的标尺。"),), 23),
        CodeBlock("编号 2018-028", 25),
        Heading(4, (Span("（1）按月调度"),), 27),
        para("下一步，新区将持续跟踪问效。", Span("\n"), "确保年底前全部完成。"),
    )
    defaults = dict(
        path=DATA / "article.md",
        title=title,
        source="建设管理局",
        blocks=blocks,
        body=SourceText("", DATA / "article.md", 1),
        subtitle="重点项目百日攻坚纪实",
        column=None,
        order=None,
        note="编者按：清单化管理是推动工作落实的有效办法，现将有关做法刊发，供参考。",
        author=None,
    )
    defaults.update(kw)
    return Article(**defaults)


def make_bulletin(articles: int = 3, *, columns: bool = False, **kw) -> Bulletin:
    items = []
    for i in range(articles):
        column = ("工作动态", "基层信息")[i % 2] if columns else None
        art = make_article(
            title=f"第{i + 1}篇：“三张清单”推动重点工程提速",
            subtitle="重点项目百日攻坚纪实" if i == 0 else None,
            note=None if i else "编者按：现将有关做法刊发，供参考。",
            column=column,
        )
        starts = columns and (not items or items[-1].column != column)
        label = column_label(column) if starts else None
        items.append(bulletin_article(f"a{i + 1}", art, column_label=label))
    layout = kw.get("layout", Layout())
    numbers = {b.anchor: n for n, b in enumerate(items, start=1)}

    def entry(b: BulletinArticle) -> TocEntry:
        marker = toc_marker(layout.toc_marker, numbers[b.anchor])
        return TocEntry(b.title, b.subtitle, b.anchor, marker)

    if columns:
        groups = tuple(
            TocGroup(col, tuple(entry(b) for b in items if b.column == col), column_label(col))
            for col in ("工作动态", "基层信息")
        )
    else:
        groups = (TocGroup(None, tuple(entry(b) for b in items)),)
    defaults = dict(
        name="滨江新区信息",
        issue_id="2018-028",
        issue_label="第二十八期（总第646期）",
        issuer="滨江新区（高新区）党政办公室",
        date=dt.date(2018, 12, 20),
        date_text="2018年12月20日",
        toc=groups,
        articles=tuple(items),
        distribution=(ImprintLine("报", "委领导"), ImprintLine("发", "各有关部门，各街道")),
        credits=(ImprintLine("编辑", "李明远"), ImprintLine("签发", "王　军")),
        fonts=Fonts(),
        layout=Layout(),
        readership="（领导参阅）",
        classification="内部刊物 请勿外传",
        copies_text="共印120份",
        base_dir=DATA,
        **contents_layout(layout),
    )
    defaults.update(kw)
    return Bulletin(**defaults)
