"""The shipped workspaces are clean: no errors and no proofreading false positives."""

from __future__ import annotations

import pytest

from briefing.check import check_workspace
from tests.conftest import EXAMPLES, REPO

WORKSPACES = [REPO, EXAMPLES / "leaders", EXAMPLES / "columns"]


@pytest.mark.parametrize("root", WORKSPACES, ids=lambda p: p.name)
def test_example_workspace_has_no_findings(root) -> None:  # type: ignore[no-untyped-def]
    workspace = check_workspace(root)
    assert list(workspace.diagnostics) == []
    assert all(i.articles for i in workspace.issues)


def test_examples_cover_the_promised_conventions() -> None:
    from briefing.build import bulletin_for

    labels = {}
    for root in WORKSPACES:
        workspace = check_workspace(root)
        for loaded in workspace.issues:
            bulletin = bulletin_for(workspace, loaded)
            labels[(root.name, loaded.dir.name)] = bulletin
    leaders = labels[("leaders", "2018-028")]
    assert leaders.issue_label == "第二十八期（总第646期）" and leaders.readership == "（领导参阅）"
    assert [x.label for x in leaders.distribution] == ["报", "发"]
    assert [x.label for x in leaders.credits] == ["编辑", "签发"]
    columns = labels[("columns", "2019-003")]
    assert columns.issue_label == "2019年第3期" and columns.uses_columns
    assert [x.label for x in columns.distribution] == [
        "送",
        "发",
    ] and columns.copies_text == "共印80份"
    from briefing.model import Image, Table

    root_blocks = [
        b
        for (ws, _), bl in labels.items()
        if ws == REPO.name
        for item in bl.articles
        for b in item.article.blocks
    ]
    assert any(isinstance(b, Image) for b in root_blocks) and any(
        isinstance(b, Table) for b in root_blocks
    )
