"""Shared fixtures: throwaway workspaces and a CLI runner."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.children import Children
from tests.tools import require_tool

REPO = Path(__file__).resolve().parent.parent

# Every property test: no example database, so a run neither replays what an earlier run (in
# another order) left in .hypothesis/ nor writes there; no deadline, so a busy machine slows
# an example down without failing it. A test's own @settings still sets its example count.
settings.register_profile("briefing", database=None, deadline=None)
settings.load_profile("briefing")
EXAMPLES = REPO / "examples"

BASE_CONFIG = """\
name: 测试区信息
readership: 领导参阅
issuer: 测试区党政办公室
numbering:
  format: "第{number_cn}期（总第{total}期）"
  previous: {year: 2018, number: 27, total: 645}
distribution:
  报: 区领导
  发: 各部门
credits:
  编辑: 李明远
  签发: 王军
copies: 120
"""

GOOD_ARTICLE = """\
---
title: 街道推行网格化管理
source: 长河街道
---

今年以来，街道把辖区划分为42个网格，每个网格配备1名专职网格员。
"""


@pytest.fixture(autouse=True)
def _no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")


WorkspaceFactory = Callable[..., Path]


@pytest.fixture
def make_workspace(tmp_path: Path) -> WorkspaceFactory:
    """``make_workspace({"issues/2018-028/01.md": "..."}, config=...)`` → workspace root."""

    def factory(files: dict[str, str | bytes] | None = None, *, config: str = BASE_CONFIG) -> Path:
        root = tmp_path / "ws"
        root.mkdir(exist_ok=True)
        (root / "briefing.yaml").write_text(config, encoding="utf-8")
        (root / "issues").mkdir(exist_ok=True)
        for name, content in (files or {}).items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content), encoding="utf-8")
        return root

    return factory


def issue_yaml(
    number: int = 28, total: int = 646, year: int = 2018, date: str = "2018-12-20"
) -> str:
    return f"year: {year}\nnumber: {number}\ntotal: {total}\ndate: {date}\n"


@pytest.fixture
def good_workspace(make_workspace: WorkspaceFactory) -> Path:
    return make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01-grid.md": GOOD_ARTICLE,
        }
    )


@pytest.fixture
def example_copy(tmp_path: Path) -> Callable[[str], Path]:
    def copy(name: str) -> Path:
        source = REPO if name == "root" else EXAMPLES / name
        target = tmp_path / name
        shutil.copytree(source / "issues", target / "issues")
        for name in ("briefing.yaml", "instructions.yaml"):  # settings and the 批示 register
            if (source / name).is_file():
                shutil.copy(source / name, target / name)
        return target

    return copy


@pytest.fixture
def children() -> Iterator[Children]:
    """Start the processes a test signals; none outlives the test."""
    started = Children()
    try:
        yield started
    finally:
        started.stop_all()


@pytest.fixture(scope="session")
def doc_submissions(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two Word 97 ``.doc`` submissions, made by one LibreOffice run for every test that
    imports them (they only read them)."""
    from tests.importing.submissions import doc_files

    require_tool("soffice")
    return doc_files(tmp_path_factory.mktemp("doc"))
