"""Shared by the hostile-input tests: a minimal workspace and "check clean ⇒ build works"."""

from __future__ import annotations

import io
import os
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from briefing.build import render_into
from briefing.check import check_workspace
from briefing.errors import Severity
from briefing.workspace import Workspace, select
from tests.html.inspect_html import parse, problems

SETTINGS = """\
name: 测试区信息
issuer: 测试区党政办公室
numbering:
  previous: {year: 2018, number: 27, total: 645}
distribution:
  报: 区领导
credits:
  编辑: 李明远
"""
ISSUE = "year: 2018\nnumber: 28\ntotal: 646\ndate: 2018-12-20\n"
ISSUE_ID = "2018-028"
# an article check passes without a finding
GOOD = "---\ntitle: 正常文稿\nsource: 长河街道\n---\n\n今年以来，街道把辖区划分为42个网格。\n"


def workspace(root: Path, files: dict[str, str | bytes]) -> Path:
    """A workspace at *root* with one issue; *files* are added or replace the defaults."""
    defaults: dict[str, str | bytes] = {
        "briefing.yaml": SETTINGS,
        f"issues/{ISSUE_ID}/issue.yaml": ISSUE,
    }
    for name, content in {**defaults, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


def errors_of(ws: Workspace) -> list:
    return [d for d in ws.diagnostics if d.severity is Severity.ERROR]


def build_if_clean(ws: Workspace, out: Path) -> bool:
    """When the issue has no errors: render DOCX and HTML, re-open the DOCX with python-docx
    and parse the HTML strictly (it must also be inert). Returns whether it built."""
    from docx import Document

    from briefing.build import bulletin_for

    loaded = ws.find(ISSUE_ID)
    if loaded is None or loaded.issue is None or not loaded.articles:
        return False
    findings = select(ws.diagnostics, [loaded.dir], ws.settings.root)
    if any(d.severity is Severity.ERROR for d in findings):
        return False
    bulletin = bulletin_for(ws, loaded)
    out.mkdir(parents=True, exist_ok=True)
    files = render_into(bulletin, ("docx", "html"), out, ws.settings.root)
    docx = next(f for f in files if f.suffix == ".docx")
    html = next(f for f in files if f.suffix == ".html")
    data = docx.read_bytes()
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    Document(io.BytesIO(data))
    tree = parse(html.read_text(encoding="utf-8"))
    assert problems(tree) == []
    return True


def check(root: Path) -> Workspace:
    return check_workspace(root)


# --------------------------------------------------------------------------- what is opened

_watching: list[list[str]] = []


def _audit(event: str, args: tuple) -> None:
    if _watching and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        _watching[-1].append(os.fsdecode(args[0]))


_installed = False


@contextmanager
def opened_files() -> Iterator[list[str]]:
    """Every path this process opens within the block (a Python audit hook, so nothing is
    missed: ``open``, ``os.open``, ``io.open``), as a list filled in as they happen."""
    global _installed
    if not _installed:
        sys.addaudithook(_audit)  # cannot be removed: it only records while a block is active
        _installed = True
    seen: list[str] = []
    _watching.append(seen)
    try:
        yield seen
    finally:
        _watching.pop()


def opened_under(seen: list[str], folder: Path) -> list[str]:
    """The paths of *seen* inside *folder* (compared by real location)."""
    real = os.path.realpath(folder)
    return [p for p in seen if os.path.realpath(p).startswith(real + os.sep)]
