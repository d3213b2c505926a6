"""Importing the DOCX that ``briefing build`` wrote gives back the articles it was built from.

The built DOCX holds a masthead, the table of contents, every article and the 版记. Import
recognises it by its own styles, skips masthead, contents and 版记, and splits it into one
article per 标题 paragraph.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.build import build_issue
from briefing.check import check_workspace
from briefing.cli import app
from briefing.errors import Severity
from briefing.model import Heading, Image, ListBlock, Paragraph, Quote, Table

runner = CliRunner()


def _shape(block) -> tuple:
    """A block without its source line and with pictures compared by content."""
    if isinstance(block, Heading):
        return ("heading", block.level, block.spans)
    if isinstance(block, Paragraph):
        return ("para", block.spans)
    if isinstance(block, Image):
        return ("image", block.caption, block.path.read_bytes())
    if isinstance(block, Table):
        return ("table", block.header, block.rows)
    if isinstance(block, ListBlock):
        return ("list", block.ordered, block.items)
    if isinstance(block, Quote):
        return ("quote", tuple(_shape(b) for b in block.blocks))
    raise AssertionError(block)


def _article_shape(article) -> tuple:
    fields = (
        article.title,
        article.subtitle,
        article.source,
        article.note,
        article.author,
        article.column,
    )
    return fields, tuple(_shape(b) for b in article.blocks)


@pytest.mark.parametrize(
    ("example", "issue_id", "fresh_id", "articles"),
    [("leaders", "2018-028", "2018-029", 3), ("columns", "2019-003", "2019-004", 4)],
)
def test_build_then_import_gives_back_the_articles(
    example_copy, example: str, issue_id: str, fresh_id: str, articles: int
) -> None:
    root = example_copy(example)
    workspace = check_workspace(root)
    built = build_issue(workspace, issue_id, ("docx",), None, draft=False)
    docx = next(p for p in built.files if p.suffix == ".docx")
    # a fresh issue to import into: the same issue.yaml under the next number
    target = root / "issues" / fresh_id
    target.mkdir()
    issue = (root / "issues" / issue_id / "issue.yaml").read_text(encoding="utf-8")
    number = int(issue_id[-3:])
    issue = issue.replace(f"number: {number}", f"number: {number + 1}")
    issue = re.sub(r"total: (\d+)", lambda m: f"total: {int(m[1]) + 1}", issue)
    (target / "issue.yaml").write_text(issue, encoding="utf-8")
    result = runner.invoke(app, ["-C", str(root), "import", str(docx), "--issue", fresh_id])
    assert result.exit_code == 0, result.output
    assert result.output.count("已导入") == articles
    after = check_workspace(root)
    assert [d for d in after.diagnostics if d.severity is Severity.ERROR] == []
    by_issue = {loaded.dir.name: loaded.articles for loaded in after.issues}
    original = sorted(_article_shape(a) for a in by_issue[issue_id])
    imported = sorted(_article_shape(a) for a in by_issue[fresh_id])
    assert len(imported) == articles
    assert imported == original


def test_build_then_import_keeps_lists_quotes_and_tables(make_workspace, tmp_path: Path) -> None:
    from tests.conftest import issue_yaml

    article = """\
    ---
    title: 新区推进重点工程
    source: 建设管理局
    author: 李明
    note: 编者按：现将有关做法刊发。
    ---

    今年以来，新区推行**清单化**管理，“一件事”*一次办*。

    ## 一、建立清单

    - 问题清单
    - 责任清单

    1. 排查
    2. 交办

    > 群众满意是标尺。

    | 项目 | 进度 |
    |---|---|
    | 滨江大道 | 85% |
    """
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01-a.md": article,
            "issues/2018-029/issue.yaml": issue_yaml(29, 647),
        }
    )
    built = build_issue(check_workspace(root), "2018-028", ("docx",), None, draft=False)
    docx = next(p for p in built.files if p.suffix == ".docx")
    copy = tmp_path / "bulletin.docx"
    shutil.copy(docx, copy)
    result = runner.invoke(app, ["-C", str(root), "import", str(copy), "--issue", "2018-029"])
    assert result.exit_code == 0, result.output
    issues = {i.dir.name: i.articles for i in check_workspace(root).issues}
    (before,), (after,) = issues["2018-028"], issues["2018-029"]
    assert (after.title, after.source, after.author) == ("新区推进重点工程", "建设管理局", "李明")
    assert after.note == "现将有关做法刊发。"
    kinds = [type(b).__name__ for b in after.blocks]
    assert kinds == ["Paragraph", "Heading", "ListBlock", "ListBlock", "Quote", "Table"]
    # bold survives; italics have no Word counterpart in 公文 and are read as plain text
    assert [_shape(b) for b in after.blocks[1:]] == [_shape(b) for b in before.blocks[1:]]
    assert "".join(s.text for s in after.blocks[0].spans) == "".join(
        s.text for s in before.blocks[0].spans
    )
