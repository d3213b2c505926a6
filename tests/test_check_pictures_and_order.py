"""Picture references (P001–P003) and the issue's ``order`` list (M007): every problem in one
article is reported, in order, at its own line, with the message naming the picture."""

from __future__ import annotations

import shutil
from pathlib import Path

from briefing.check import check_workspace
from tests.conftest import REPO, WorkspaceFactory, issue_yaml

ARTICLE = """\
---
title: 街道推行网格化管理
source: 长河街道
---

今年以来，街道把辖区划分为42个网格。

![图](http://example.com/a.png)

![图](../../../outside.png)

![图](images/none.png)

![图](images/fake.png)

![图](images/ok.png)

![图](data:image/png;base64,AAAA)

![图](//example.com/b.png)

![图](images/none2.png)
"""


def located(root: Path) -> list[tuple[str, str, int | None, int | None, str]]:
    return [
        (d.code, d.path.relative_to(root).as_posix() if d.path else "", d.line, d.column, d.message)
        for d in check_workspace(root).diagnostics
    ]


def test_every_picture_problem_is_reported_where_it_is(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": ARTICLE,
            "issues/2018-028/images/fake.png": "not a picture",
        }
    )
    shutil.copy(REPO / "tests/data/images/sample.png", root / "issues/2018-028/images/ok.png")
    at = "issues/2018-028/01.md"
    network = "是网络地址；请把图片放进本期的 images/ 目录"
    assert located(root) == [
        ("P002", at, 8, 1, f"图片“http://example.com/a.png”{network}"),
        (
            "P002",
            at,
            10,
            1,
            "图片路径“../../../outside.png”指向工作区以外；请把图片放进本期的 images/ 目录",
        ),
        ("P001", at, 12, 1, "找不到图片“images/none.png”（issues/2018-028/images/none.png）"),
        ("P003", at, 14, 1, "图片“images/fake.png”不是 PNG、JPEG、GIF 或 BMP 文件"),
        ("P002", at, 18, 1, f"图片“data:image/png;base64,AAAA”{network}"),
        ("P002", at, 20, 1, f"图片“//example.com/b.png”{network}"),
        ("P001", at, 22, 1, "找不到图片“images/none2.png”（issues/2018-028/images/none2.png）"),
    ]


def test_a_repeated_order_entry_points_at_the_order_line(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml() + "order: [01.md, 02.md, 01.md]\n",
            "issues/2018-028/01.md": ARTICLE.split("![")[0],
            "issues/2018-028/02.md": ARTICLE.split("![")[0].replace("网格化管理", "一窗受理"),
        }
    )
    assert located(root) == [
        ("M007", "issues/2018-028/issue.yaml", 5, 8, "order 中重复列出了 01.md"),
    ]


def test_raw_html_is_located_and_its_severity_can_be_raised(
    make_workspace: WorkspaceFactory,
) -> None:
    from briefing.errors import Severity
    from tests.conftest import BASE_CONFIG

    files = {
        "issues/2018-028/issue.yaml": issue_yaml(),
        "issues/2018-028/01.md": "---\ntitle: 标题\nsource: 局\n---\n\n正文<b>加粗</b>内容。\n",
    }
    root = make_workspace(files, config=BASE_CONFIG + "checks:\n  severity:\n    H001: error\n")
    found = check_workspace(root).diagnostics
    assert [(d.code, d.severity, d.line, d.column) for d in found] == [
        ("H001", Severity.ERROR, 6, 3),
        ("H001", Severity.ERROR, 6, 8),
    ]
    assert found[0].message == "HTML 标签“<b>”不会被渲染，将原样显示；请改用 Markdown 写法或删除"
    assert found[0].path == root / "issues/2018-028/01.md"
