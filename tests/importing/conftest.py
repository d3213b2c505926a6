"""What the import tests share: an open issue to import into, the command, reading back."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.load import load_article, load_settings
from briefing.model import Article, Heading, Paragraph
from briefing.rules import Reporter
from tests.conftest import WorkspaceFactory, issue_yaml

runner = CliRunner()


@pytest.fixture
def workspace(make_workspace: WorkspaceFactory) -> Path:
    """A workspace whose issue 2018-028 is open and has no article yet."""
    return make_workspace({"issues/2018-028/issue.yaml": issue_yaml()})


def run(root: Path, *args: str):  # type: ignore[no-untyped-def]
    """``briefing -C root import *args``."""
    return runner.invoke(app, ["-C", str(root), "import", *args])


def load(path: Path) -> Article:
    """The article an import wrote, loaded as ``check`` loads it."""
    settings = load_settings(path.parents[2], Reporter())
    reporter = Reporter()
    loaded = load_article(path, settings, reporter)
    assert loaded is not None, reporter.diagnostics
    return loaded[0]


def body_texts(article: Article) -> list[str]:
    """The text of the article's paragraphs and headings, as a reader sees it."""
    return [
        "".join(span.text for span in block.spans)
        for block in article.blocks
        if isinstance(block, Paragraph | Heading)
    ]
