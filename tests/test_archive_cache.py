"""The archive's content-hash cache: unchanged issues are not re-rendered, any change is.

The renderer is wrapped to count calls (it still renders), so each test states exactly which
issues a rebuild touches. No timing is asserted anywhere: speed is ``bench/run.py``'s job.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import briefing.archive
import briefing.cache
import briefing.templates
from briefing.archive import build_archive
from briefing.cache import CACHE_NAME
from tests.conftest import REPO, WorkspaceFactory, issue_yaml

PICTURE = REPO / "tests" / "data" / "images" / "sample.png"

ARTICLE = """\
---
title: {title}
source: 长河街道
---

今年以来，街道把辖区划分为42个网格，每个网格配备1名专职网格员。

## 一、建立问题清单

网格员每天巡查一次，发现问题当场登记。
{picture}
"""

Build = Callable[[], list[str]]


def article(title: str, picture: str | None = None) -> str:
    return ARTICLE.format(
        title=title, picture=f"\n![图为网格员巡查]({picture})\n" if picture else ""
    )


@pytest.fixture
def workspace(make_workspace: WorkspaceFactory) -> Path:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01-grid.md": article("街道推行网格化管理", "images/grid.png"),
            "issues/2018-029/issue.yaml": issue_yaml(number=29, total=647, date="2018-12-30"),
            "issues/2018-029/01-window.md": article("行政审批局推行一窗受理"),
        }
    )
    (root / "issues" / "2018-028" / "images").mkdir()
    shutil.copy(PICTURE, root / "issues" / "2018-028" / "images" / "grid.png")
    return root


@pytest.fixture
def build(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Build:
    """Run ``build_archive`` and return the issue ids the renderer was called for."""
    real = briefing.archive.render_atomically
    calls: list[str] = []

    def counting(bulletin, formats, target, root, **options):  # type: ignore[no-untyped-def]
        calls.append(bulletin.issue_id)
        return real(bulletin, formats, target, root, **options)

    monkeypatch.setattr(briefing.archive, "render_atomically", counting)

    def run() -> list[str]:
        calls.clear()
        result = build_archive(workspace, None)
        assert sorted(result.rendered) == sorted(calls)
        assert result.built == ("2018-028", "2018-029")
        assert result.index.is_file()
        return sorted(calls)

    return run


def out(workspace: Path, issue: str) -> Path:
    return workspace / "build" / issue / f"{issue}.html"


def test_second_run_renders_nothing(workspace: Path, build: Build) -> None:
    assert build() == ["2018-028", "2018-029"]
    first = {i: out(workspace, i).read_bytes() for i in ("2018-028", "2018-029")}
    assert build() == []
    assert build() == []
    assert {i: out(workspace, i).read_bytes() for i in first} == first
    index = (workspace / "build" / "index.html").read_text(encoding="utf-8")
    assert "2018-028/2018-028.html" in index
    assert "2018-029/2018-029.html" in index


def test_cache_record_sits_next_to_the_output(workspace: Path, build: Build) -> None:
    build()
    record = json.loads((workspace / "build" / "2018-028" / CACHE_NAME).read_text(encoding="utf-8"))
    assert record["format"] == briefing.cache.FORMAT_VERSION
    assert set(record["outputs"]) == {"2018-028.html"}
    assert record["outputs"]["2018-028.html"] == briefing.cache.file_digest(
        out(workspace, "2018-028")
    )


def test_changed_article_rebuilds_only_its_issue(workspace: Path, build: Build) -> None:
    build()
    path = workspace / "issues" / "2018-029" / "01-window.md"
    path.write_text(article("行政审批局推行一窗受理改革"), encoding="utf-8")
    assert build() == ["2018-029"]
    assert "一窗受理改革" in out(workspace, "2018-029").read_text(encoding="utf-8")
    assert build() == []


def test_added_article_rebuilds_its_issue(workspace: Path, build: Build) -> None:
    build()
    (workspace / "issues" / "2018-029" / "02-elderly.md").write_text(
        article("社区居家养老服务"), encoding="utf-8"
    )
    assert build() == ["2018-029"]


def test_changed_issue_yaml_rebuilds_its_issue(workspace: Path, build: Build) -> None:
    build()
    (workspace / "issues" / "2018-029" / "issue.yaml").write_text(
        issue_yaml(number=29, total=647, date="2018-12-31"), encoding="utf-8"
    )
    assert build() == ["2018-029"]


def test_changed_picture_rebuilds_its_issue(workspace: Path, build: Build) -> None:
    build()
    picture = workspace / "issues" / "2018-028" / "images" / "grid.png"
    picture.write_bytes(picture.read_bytes() + b"\0")  # trailing bytes: still a valid PNG signature
    assert build() == ["2018-028"]
    assert build() == []


def test_changed_settings_rebuild_everything(workspace: Path, build: Build) -> None:
    build()
    config = workspace / "briefing.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("测试区信息", "测试新区信息"), encoding="utf-8"
    )
    assert build() == ["2018-028", "2018-029"]
    assert "测试新区信息" in out(workspace, "2018-028").read_text(encoding="utf-8")


def test_workspace_template_override_rebuilds_everything(workspace: Path, build: Build) -> None:
    build()
    override = workspace / "templates" / "html" / "bulletin.css"
    override.parent.mkdir(parents=True)
    builtin = briefing.templates.builtin_templates_dir() / "html" / "bulletin.css"
    override.write_text(
        builtin.read_text(encoding="utf-8") + "\n/* office override */\n", encoding="utf-8"
    )
    assert build() == ["2018-028", "2018-029"]
    assert build() == []
    override.write_text(
        override.read_text(encoding="utf-8") + "p { margin: 0; }\n", encoding="utf-8"
    )
    assert build() == ["2018-028", "2018-029"]
    override.unlink()
    assert build() == ["2018-028", "2018-029"]


def test_builtin_template_change_rebuilds_everything(
    workspace: Path, build: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "builtin"
    shutil.copytree(briefing.templates.builtin_templates_dir(), copy)
    monkeypatch.setattr(briefing.templates, "builtin_templates_dir", lambda: copy)
    build()
    assert build() == []
    (copy / "html" / "_blocks.html.j2").write_text(
        (copy / "html" / "_blocks.html.j2").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    assert build() == ["2018-028", "2018-029"]


def test_new_package_or_format_version_rebuilds_everything(
    build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    build()
    monkeypatch.setattr(briefing.cache, "__version__", "99.0")
    assert build() == ["2018-028", "2018-029"]
    monkeypatch.setattr(briefing.cache, "FORMAT_VERSION", briefing.cache.FORMAT_VERSION + 1)
    assert build() == ["2018-028", "2018-029"]
    assert build() == []


def test_deleted_output_is_rebuilt(workspace: Path, build: Build) -> None:
    build()
    out(workspace, "2018-028").unlink()
    assert build() == ["2018-028"]
    assert out(workspace, "2018-028").is_file()


def test_modified_output_is_rebuilt(workspace: Path, build: Build) -> None:
    build()
    original = out(workspace, "2018-029").read_bytes()
    out(workspace, "2018-029").write_bytes(original.replace(b"</body>", b"<p>edited</p></body>"))
    assert build() == ["2018-029"]
    assert out(workspace, "2018-029").read_bytes() == original


def test_deleted_output_folder_is_rebuilt(workspace: Path, build: Build) -> None:
    build()
    shutil.rmtree(workspace / "build" / "2018-029")
    assert build() == ["2018-029"]


@pytest.mark.parametrize(
    "record",
    ["", "not json", "[]", '{"format": 1}', '{"format": 1, "key": "x", "outputs": {"../x": "y"}}'],
)
def test_unreadable_record_is_a_miss(workspace: Path, build: Build, record: str) -> None:
    build()
    (workspace / "build" / "2018-028" / CACHE_NAME).write_text(record, encoding="utf-8")
    assert build() == ["2018-028"]
    assert build() == []


def test_issue_with_errors_is_skipped_and_not_rendered(workspace: Path, build: Build) -> None:
    build()
    (workspace / "issues" / "2018-029" / "01-window.md").write_text(
        "no front matter\n", encoding="utf-8"
    )
    calls: list[str] = []
    real = briefing.archive.render_atomically

    def counting(bulletin, formats, target, root, **options):  # type: ignore[no-untyped-def]
        calls.append(bulletin.issue_id)
        return real(bulletin, formats, target, root, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(briefing.archive, "render_atomically", counting)
        result = build_archive(workspace, None)
    assert calls == []
    assert result.built == ("2018-028",)
    assert [d.path for d in result.skipped] == [workspace / "issues" / "2018-029"]


def test_proofreading_runs_only_when_it_can_fail(workspace: Path) -> None:
    # A half-width comma is a proofreading warning: the issue is published anyway …
    path = workspace / "issues" / "2018-029" / "01-window.md"
    path.write_text(
        article("行政审批局推行一窗受理").replace("今年以来，", "今年以来,"), encoding="utf-8"
    )
    assert build_archive(workspace, None).built == ("2018-028", "2018-029")
    # … unless briefing.yaml makes that rule an error: then the archive must refuse the issue.
    config = workspace / "briefing.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "checks:\n  severity:\n    T101: error\n",
        encoding="utf-8",
    )
    result = build_archive(workspace, None)
    assert result.built == ("2018-028",)
    assert len(result.skipped) == 1


def test_the_code_fingerprint_covers_the_fixed_docx_parts() -> None:
    from briefing import cache

    files = cache._code_files()
    assert "render/docx_base/styles.xml" in files
    assert "render/docx.py" in files and "cli/common.py" in files
    assert not [f for f in files if "__pycache__" in f or f.endswith(".pyc")]
    assert files == sorted(files)
