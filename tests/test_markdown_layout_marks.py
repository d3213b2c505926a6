"""The editor's layout marks (mdit-py-plugins' attribute and container syntax): what the
parser makes of them, what ``check`` says about a mark it cannot use (H003-H005), the
wide-table warning (L002), and that a picture failure found while the bulletin is made is
the same registry finding ``check`` reports, with the workspace's severity overrides."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefing.build import bulletin_for
from briefing.check import check_workspace
from briefing.errors import InputError
from briefing.markdown import parse_body
from briefing.model import Image, Kept, ListBlock, PageBreak, Paragraph, PictureRow, SourceText
from tests.conftest import BASE_CONFIG, REPO, WorkspaceFactory, issue_yaml

MARKS = """\
---
title: 街道推行网格化管理
source: 长河街道
---

今年以来，街道把辖区划分为42个网格。

![图一](images/ok.png) ![图二](images/ok.png)

![全景](images/ok.png){width="50%"}

{.keep}
这一段不跨页。

{.pagebreak}
***

::: keep
甲段。

乙段。
:::

{.kep}
拼错的标记。

::: box
未知的容器。
:::

![图](images/ok.png){width="5%"}

![图](images/ok.png){width=50%}

| 1月 | 2月 | 3月 | 4月 | 5月 | 6月 | 7月 | 8月 | 9月 | 10月 | 11月 | 12月 | 13月 | 14月 | 15月 | 16月 | 17月 | 18月 | 19月 | 20月 |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
| 18611.75 | 18611.75 | 18611.75 | 18611.75 | 18611.75 | 18611.75 | 18611.75 | 18611.75 | 18611.75 | 18611.75 | 18611.75 | 18611.75 | 18611.75 | 18611.75 | 18611.75 | 18611.75 | 18611.75 | 18611.75 | 18611.75 | 18611.75 |
"""


def test_the_parser_makes_blocks_of_the_marks(tmp_path: Path) -> None:
    blocks, notes, _ = parse_body(
        SourceText(MARKS.split("---\n", 2)[2], tmp_path / "a.md", 5), tmp_path
    )
    kinds = [type(b).__name__ for b in blocks]
    assert kinds[:7] == [
        "Paragraph",
        "PictureRow",
        "Image",
        "Kept",
        "PageBreak",
        "Kept",
        "Paragraph",
    ]
    row, wide, kept = blocks[1], blocks[2], blocks[3]
    assert isinstance(row, PictureRow) and [i.caption for i in row.images] == ["图一", "图二"]
    assert isinstance(wide, Image) and wide.width == 0.5
    assert isinstance(kept, Kept) and isinstance(kept.blocks[0], Paragraph)
    assert isinstance(blocks[4], PageBreak) and blocks[4].line == 16  # at the ***
    assert [type(b).__name__ for b in blocks[5].blocks] == ["Paragraph", "Paragraph"]
    assert [(n.kind, n.text, n.line) for n in notes] == [
        ("unknown-mark", ".kep", 24),
        ("unknown-mark", "::: box", 27),
        ("bad-width", "5%", 31),
        ("mark-as-text", "{width=50%}", 33),
    ]


def test_nested_list_items_know_their_own_list() -> None:
    text = "1. 甲\n   1. 子\n   2. 丑\n2. 乙\n\n   乙的第二段\n"
    [block], _, _ = parse_body(SourceText(text, Path("a.md"), 1), Path("."))
    assert isinstance(block, ListBlock)
    assert [(i.depth, i.ordered, i.number) for i in block.items] == [
        (0, True, 1),
        (1, True, 1),
        (1, True, 2),
        (0, True, 2),
        (0, True, 0),  # a further paragraph of item 2
    ]


def test_check_locates_marks_it_cannot_use_and_a_table_too_wide(
    make_workspace: WorkspaceFactory,
) -> None:
    root = make_workspace(
        {"issues/2018-028/issue.yaml": issue_yaml(), "issues/2018-028/01.md": MARKS}
    )
    (root / "issues/2018-028/images").mkdir()
    shutil.copy(REPO / "tests/data/images/sample.png", root / "issues/2018-028/images/ok.png")
    found = [
        (d.code, d.line, d.column, d.message)
        for d in check_workspace(root).diagnostics
        if d.code[0] in "HL"
    ]
    assert found == [
        (
            "H003",
            24,
            1,
            '版式标记“.kep”无法识别，已忽略；可用的有 {.keep}、{.pagebreak}、::: keep 和图片后的 {width="50%"}',
        ),
        (
            "H003",
            27,
            1,
            '版式标记“::: box”无法识别，已忽略；可用的有 {.keep}、{.pagebreak}、::: keep 和图片后的 {width="50%"}',
        ),
        ("H004", 31, 21, '图片宽度“5%”不对，已忽略；应为版心宽度的 10%–100%，如 {width="50%"}'),
        (
            "H005",
            33,
            20,
            '图片后的“{width=50%}”没能识别为标记，会按原文印出；取值须加英文引号，如 {width="50%"}',
        ),
        (
            "L002",
            35,
            1,
            "表格有 20 列，缩到六号字、收窄单元格边距后数字仍放不进版心宽度，印出的字会小于六号；请拆成两个表，或把行列互换",
        ),
    ]
    # proofreading does not read the marks as text (no straight-quote or bracket findings)
    assert not [d for d in check_workspace(root).diagnostics if d.code.startswith("T")]


GONE = """\
---
title: 图片在检查之后被删除
source: 长河街道
---

正文。

![图](images/gone.png)
"""


@pytest.mark.parametrize(
    ("override", "raised"), [("", True), ("  severity: {P001: warning}\n", False)]
)
def test_a_picture_failure_while_assembling_is_the_registry_finding(
    make_workspace: WorkspaceFactory, override: str, raised: bool
) -> None:
    """A picture removed between ``check`` and the build: the same P001 as ``check``, at
    the severity the workspace gives it; lowered, the picture is left out of both editions."""
    config = BASE_CONFIG + (f"checks:\n{override}" if override else "")
    root = make_workspace(
        {"issues/2018-028/issue.yaml": issue_yaml(), "issues/2018-028/01.md": GONE},
        config=config,
    )
    picture = root / "issues/2018-028/images/gone.png"
    picture.parent.mkdir()
    shutil.copy(REPO / "tests/data/images/sample.png", picture)
    workspace = check_workspace(root)
    picture.unlink()
    loaded = workspace.issues[0]
    if raised:
        with pytest.raises(InputError) as caught:
            bulletin_for(workspace, loaded)
        [finding] = caught.value.diagnostics
        assert (finding.code, finding.line, finding.severity.value) == ("P001", 8, "error")
        assert finding.message.startswith("找不到图片“images/gone.png”")
    else:
        bulletin = bulletin_for(workspace, loaded)
        assert not [b for b in bulletin.articles[0].blocks if isinstance(b, Image)]
