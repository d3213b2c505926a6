"""Every command end to end through the CLI, and builds that fail half way.

The failure-injection tests make one renderer raise after another has already written its
file: the previous outputs must come out byte-identical and no staging folder may remain.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from typer.testing import CliRunner

from briefing.build import build_issue
from briefing.check import check_workspace
from briefing.cli import app
from tests.conftest import GOOD_ARTICLE, REPO, WorkspaceFactory, issue_yaml
from tests.html.inspect_html import EXPECTED_CSP, csp_policy, parse, problems, text_of
from tests.tools import require_module, require_tool

runner = CliRunner()

SECOND_ARTICLE = """\
---
title: 行政审批局推行一窗受理
source: 行政审批局
---

今年以来，审批局把企业开办时间压缩到1个工作日，共办理事项326件。
"""


def run(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


def snapshot(folder: Path) -> dict[str, bytes]:
    """The published files of *folder* (the build's own dot-files, e.g. its record, left out)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


def staging_folders(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob(".briefing-*") if p.is_dir())


# --------------------------------------------------------------------------- atomic build


def _fail_html(bulletin, path, **kwargs):  # type: ignore[no-untyped-def]
    path.write_text("<html>half written", encoding="utf-8")
    raise RuntimeError("injected HTML failure")


def _fail_pdf(docx, pdf, **kwargs):  # type: ignore[no-untyped-def]
    pdf.write_bytes(b"%PDF-1.7 half written")
    raise RuntimeError("injected PDF failure")


@pytest.mark.parametrize(
    ("module", "name", "replacement", "formats"),
    [
        ("briefing.render.html", "render_html", _fail_html, ("docx", "html")),
        ("briefing.render.pdf", "convert_to_pdf", _fail_pdf, ("docx", "html", "pdf")),
    ],
)
def test_a_renderer_failing_mid_build_leaves_previous_outputs_byte_identical(
    good_workspace: Path,
    monkeypatch: pytest.MonkeyPatch,
    module: str,
    name: str,
    replacement: object,
    formats: tuple[str, ...],
) -> None:
    assert run("-C", good_workspace, "build").exit_code == 0
    out = good_workspace / "build" / "2018-028"
    before = snapshot(out)
    assert sorted(before) == ["2018-028.docx", "2018-028.html"]
    # the next build would differ in every format: a new article
    (good_workspace / "issues/2018-028/02-window.md").write_text(SECOND_ARTICLE, encoding="utf-8")
    monkeypatch.setattr(f"{module}.{name}", replacement)
    with pytest.raises(RuntimeError, match="injected"):
        build_issue(check_workspace(good_workspace), "2018-028", formats)
    assert snapshot(out) == before
    assert staging_folders(good_workspace) == []


def test_a_failed_first_build_creates_no_output_folder(
    good_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("briefing.render.html.render_html", _fail_html)
    with pytest.raises(RuntimeError, match="injected"):
        build_issue(check_workspace(good_workspace), "2018-028", ("docx", "html"))
    assert not (good_workspace / "build" / "2018-028").exists()
    assert staging_folders(good_workspace) == []


def test_a_rebuild_replaces_every_output(good_workspace: Path) -> None:
    assert run("-C", good_workspace, "build").exit_code == 0
    out = good_workspace / "build" / "2018-028"
    before = snapshot(out)
    (good_workspace / "issues/2018-028/02-window.md").write_text(SECOND_ARTICLE, encoding="utf-8")
    result = run("-C", good_workspace, "build")
    assert result.exit_code == 0, result.output
    after = snapshot(out)
    assert sorted(after) == sorted(before)
    assert all(after[name] != before[name] for name in before)
    assert "行政审批局推行一窗受理" in after["2018-028.html"].decode("utf-8")
    assert staging_folders(good_workspace) == []


# --------------------------------------------------------------------------- pdf


def test_build_pdf_through_the_cli(good_workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_tool("soffice")
    require_tool("pdftotext")
    pdfplumber = require_module("pdfplumber")
    monkeypatch.chdir(good_workspace)
    result = run("build", "--format", "pdf")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "build/2018-028/2018-028.pdf"
    # this machine prints with Noto CJK in place of the 公文 fonts: said once, by role
    notes = [line for line in lines[1:] if line.startswith("注意：本机没有以下字体")]
    assert len(notes) == len(lines) - 1 == 1, lines
    assert "仿宋_GB2312（正文、" in notes[0] and "PDF 中嵌入的是" in notes[0]
    out = good_workspace / "build" / "2018-028"
    assert list(snapshot(out)) == ["2018-028.pdf"]  # the DOCX was only a step
    pdf = out / "2018-028.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    with pdfplumber.open(pdf) as document:
        pages = ["".join((page.extract_text() or "").split()) for page in document.pages]
    # a short issue: the text and the 版记 share its one page (never a page of 版记 alone)
    assert len(pages) == 1
    for expected in (
        "测试区信息",
        "第二十八期（总第646期）",
        "街道推行网格化管理",
        "今年以来，街道把辖区划分为42个网格",
        "报：区领导",
        "发：各部门",
        "共印120份",
        "—1—",
    ):
        assert expected in pages[0], expected
    assert staging_folders(good_workspace) == []


# --------------------------------------------------------------------------- site


def test_site_through_the_cli(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01-grid.md": GOOD_ARTICLE,
            "issues/2019-001/issue.yaml": issue_yaml(
                number=1, total=647, year=2019, date="2019-01-08"
            ),
            "issues/2019-001/01-window.md": SECOND_ARTICLE,
        }
    )
    result = run("-C", root, "site")
    assert result.exit_code == 0, result.output
    index = root / "build" / "index.html"
    assert result.output.strip().splitlines()[-1] == "build/index.html"  # relative to the root
    page = parse(index.read_text(encoding="utf-8"))
    assert problems(page) == []
    assert csp_policy(page) == EXPECTED_CSP
    hrefs = [a.get("href") or "" for a in page.iter("a")]
    ids = {el.get("id") for el in page.iter() if el.get("id")}
    assert [h for h in hrefs if h.startswith("#") and h[1:] not in ids] == []
    links = [h for h in hrefs if not h.startswith("#")]
    assert all((index.parent / unquote(link)).is_file() for link in links), links
    issues = [h for h in links if h[:4].isdigit()]
    assert sorted(issues) == ["2018-028/2018-028.html", "2019-001/2019-001.html"]
    for link in issues:
        target = index.parent / unquote(link)
        issue_page = parse(target.read_text(encoding="utf-8"))
        assert problems(issue_page) == []
        assert csp_policy(issue_page) == EXPECTED_CSP
    titles = {
        "2018-028/2018-028.html": "街道推行网格化管理",
        "2019-001/2019-001.html": "行政审批局推行一窗受理",
    }
    for link, title in titles.items():
        assert title in text_of(parse((index.parent / link).read_text(encoding="utf-8")))
        assert title in text_of(page)
    headings = [text_of(h) for h in page.iter("h2")]
    assert [h[:4] for h in headings] == ["2019", "2018"]  # newest year first
    assert staging_folders(root) == []


def test_site_with_custom_out_and_a_broken_issue(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01-grid.md": GOOD_ARTICLE,
            "issues/2018-029/issue.yaml": issue_yaml(number=29, total=647, date="2018-12-30"),
            "issues/2018-029/01.md": "---\ntitle: 标题\nsourse: 局\n---\n正文。\n",
        }
    )
    result = run("-C", root, "site", "--out", root / "public")
    assert result.exit_code == 0, result.output
    assert "期刊 2018-029 有 2 个问题，未收入归档" in result.output  # named, and left out
    page = parse((root / "public" / "index.html").read_text(encoding="utf-8"))
    links = [a.get("href") or "" for a in page.iter("a")]
    assert [h for h in links if h[:4].isdigit()] == ["2018-028/2018-028.html"]
    assert (root / "public" / "2018-028" / "2018-028.html").is_file()
    assert not (root / "public" / "2018-029").exists()


# --------------------------------------------------------------------------- the rest


def test_rules_table_and_markdown() -> None:
    result = run("rules")
    assert result.exit_code == 0
    row = next(line for line in result.output.splitlines() if line.startswith("T101 "))
    assert "半角" in row
    markdown = run("rules", "--markdown")
    assert markdown.exit_code == 0
    assert markdown.output == (REPO / "docs" / "rules.md").read_text(encoding="utf-8")


def test_doctor_inside_a_workspace_uses_its_fonts(make_workspace: WorkspaceFactory) -> None:
    require_tool("fc-match")
    config = (REPO / "tests" / "conftest.py").read_text(encoding="utf-8")
    assert "fonts:" not in config  # BASE_CONFIG has no fonts section; add one
    root = make_workspace()
    settings = root / "briefing.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "fonts:\n  body: 某种没有的字体\n", encoding="utf-8"
    )
    result = run("-C", root, "doctor")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "某种没有的字体" in line)
    assert "正文" in row and "替代字体" in row


def test_init_refuses_an_existing_workspace(good_workspace: Path) -> None:
    before = (good_workspace / "briefing.yaml").read_bytes()
    result = run("init", good_workspace, "--name", "甲", "--issuer", "乙", "--readership", "丙")
    assert result.exit_code == 2
    assert "已经是简报工作区（briefing.yaml 已存在）" in result.output
    assert (good_workspace / "briefing.yaml").read_bytes() == before


def test_copy_of_an_example_builds(example_copy) -> None:  # type: ignore[no-untyped-def]
    root = example_copy("columns")
    shutil.rmtree(root / "build", ignore_errors=True)
    result = run("-C", root, "build", "--format", "html")
    assert result.exit_code == 0, result.output
    assert (root / "build" / "2019-003" / "2019-003.html").is_file()


def test_list_shows_every_state_of_the_register(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": GOOD_ARTICLE,
            "issues/2018-029/issue.yaml": issue_yaml(number=29, total=647, date="2018-12-27"),
            "issues/2018-029/01.md": "---\ntitle: 标题\nsourse: 局\n---\n正文。\n",
            "issues/2018-030/issue.yaml": issue_yaml(number=30, total=648, date="2018-12-29"),
            "issues/2018-031/issue.yaml": "year: [\n",
        }
    )
    result = run("-C", root, "list")
    assert result.exit_code == 0, result.output
    rows = {
        cells[0]: line
        for line in result.output.splitlines()
        if (cells := line.replace("│", " ").split()) and cells[0].startswith("2018-")
    }
    assert "第二十八期（总第646期）" in rows["2018-028"] and "编辑中" in rows["2018-028"]
    assert "2018年12月20日" in rows["2018-028"]
    assert "有 2 个错误" in rows["2018-029"]  # sourse unknown, source missing
    assert "待组稿" in rows["2018-030"]
    assert "？" in rows["2018-031"] and "个错误" in rows["2018-031"]


def test_list_of_an_empty_workspace(make_workspace: WorkspaceFactory) -> None:
    result = run("-C", make_workspace(), "list")
    assert result.exit_code == 0
    assert result.output.strip() == "还没有期刊；运行 briefing new-issue 分配第一期"


def test_fix_limited_to_a_folder_never_touches_other_files(
    make_workspace: WorkspaceFactory,
) -> None:
    scraped = GOOD_ARTICLE.replace("今年以来，", "今年以来,")
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": scraped,
            "issues/2018-029/issue.yaml": issue_yaml(number=29, total=647, date="2018-12-27"),
            "issues/2018-029/01.md": scraped,
            "README.md": "说明,不是文稿.\n",
        }
    )
    result = run("-C", root, "check", "--fix", root / "issues/2018-028", root / "README.md")
    assert (root / "issues/2018-028/01.md").read_text(encoding="utf-8") == GOOD_ARTICLE
    assert (root / "issues/2018-029/01.md").read_text(encoding="utf-8") == scraped
    assert (root / "README.md").read_text(encoding="utf-8") == "说明,不是文稿.\n"
    assert "issues/2018-029" not in result.output


def test_build_prints_warnings_and_still_builds(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": GOOD_ARTICLE,
            "issues/2018-028/notes.txt": "x",  # F006 is a warning
        }
    )
    result = run("-C", root, "build", "--format", "html")
    assert result.exit_code == 0, result.output
    assert "issues/2018-028/notes.txt" in result.output and "F006" in result.output
    assert result.output.strip().splitlines()[-1] == "build/2018-028/2018-028.html"


def test_new_issue_with_a_broken_settings_file_is_refused(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(config="name: [\n")
    result = run("-C", root, "new-issue", "--date", "2018-12-20")
    assert result.exit_code == 1
    assert "briefing.yaml:" in result.output and "先修正 briefing.yaml" in result.output
    assert list((root / "issues").iterdir()) == []


def test_an_empty_answer_on_a_terminal_is_refused(
    good_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("briefing.cli.common.interactive", lambda: True)
    result = runner.invoke(app, ["-C", str(good_workspace), "new-article"], input=" \n")
    assert result.exit_code == 2
    assert "标题不能为空" in result.output
    assert sorted(p.name for p in (good_workspace / "issues/2018-028").iterdir()) == [
        "01-grid.md",
        "issue.yaml",
    ]


def test_ctrl_c_exits_with_130(good_workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr("briefing.check.check_workspace", interrupted)
    result = run("-C", good_workspace, "check")
    assert result.exit_code == 130
    assert "Traceback" not in result.output


def test_fix_skips_an_unreadable_file_and_fixes_a_yaml_article(
    make_workspace: WorkspaceFactory,
) -> None:
    unreadable = GOOD_ARTICLE.replace("今年以来，", "今年以来,").encode("gb18030")
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01-grid.md": unreadable,
            "issues/2018-028/02-window.yaml": (
                "title: 审批局推行一窗受理\nsource: 行政审批局\n"
                "body: |\n  今年以来,审批局把企业开办时间压缩到1个工作日。\n"
            ),
        }
    )
    result = run("-C", root, "check", "--fix")
    assert (root / "issues/2018-028/01-grid.md").read_bytes() == unreadable
    assert (root / "issues/2018-028/02-window.yaml").read_text(encoding="utf-8") == (
        "title: 审批局推行一窗受理\nsource: 行政审批局\n"
        "body: |\n  今年以来，审批局把企业开办时间压缩到1个工作日。\n"
    )
    assert "issues/2018-028/01-grid.md" in result.output  # the encoding is reported


def test_build_without_an_issue_builds_the_latest_and_no_draft_mark(
    make_workspace: WorkspaceFactory,
) -> None:
    root = make_workspace(
        {
            # folder names sort the other way round: the date decides which is latest
            "issues/2018-专刊-01/issue.yaml": "year: 2018\nnumber: 1\nspecial: 专刊\ndate: 2018-12-30\n",
            "issues/2018-专刊-01/01.md": SECOND_ARTICLE,
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": GOOD_ARTICLE,
        }
    )
    result = run("-C", root, "build", "--format", "html")
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["build/2018-专刊-01/2018-专刊-01.html"]
    page = (root / "build/2018-专刊-01/2018-专刊-01.html").read_text(encoding="utf-8")
    assert "行政审批局推行一窗受理" in page and "样稿" not in page


def test_build_refuses_an_empty_workspace_and_an_empty_issue(
    make_workspace: WorkspaceFactory,
) -> None:
    root = make_workspace()
    result = run("-C", root, "build")
    assert result.exit_code == 2
    assert "工作区中还没有可用的期刊；先运行 briefing new-issue" in result.output
    (root / "issues/2018-028").mkdir()
    (root / "issues/2018-028/issue.yaml").write_text(issue_yaml(), encoding="utf-8")
    result = run("-C", root, "build")
    assert result.exit_code == 1
    assert "期刊 2018-028 还没有文稿；先用 briefing new-article 添加" in result.output
    assert not (root / "build").exists() or not any((root / "build").iterdir())


BROKEN_SYNTAX = "{% if %}\n"
UNDEFINED = "<p>{{ nothing.here }}</p>\n"


@pytest.mark.parametrize("formats", ["docx,html", "html"])
def test_a_broken_template_override_is_a_located_error(good_workspace: Path, formats: str) -> None:
    override = good_workspace / "templates/html/bulletin.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text("<!DOCTYPE html>\n" + BROKEN_SYNTAX, encoding="utf-8")
    result = run("-C", good_workspace, "build", "--format", formats)
    assert result.exit_code == 1
    assert "templates/html/bulletin.html.j2:2:" in result.output
    assert "模板语法错误" in result.output
    assert "Traceback" not in result.output
    assert not list((good_workspace / "build").rglob("2018-028.*"))


def test_a_template_override_using_an_unknown_name_is_an_error(good_workspace: Path) -> None:
    override = good_workspace / "templates/html/bulletin.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text(UNDEFINED, encoding="utf-8")
    result = run("-C", good_workspace, "build")
    assert result.exit_code == 1
    assert "模板出错：'nothing' is undefined" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", ["site.html.j2", "stats.html.j2", "search.html.j2"])
def test_a_broken_site_template_is_a_located_error(good_workspace: Path, name: str) -> None:
    override = good_workspace / "templates/html" / name
    override.parent.mkdir(parents=True)
    override.write_text(BROKEN_SYNTAX, encoding="utf-8")
    result = run("-C", good_workspace, "site")
    assert result.exit_code == 1
    assert f"templates/html/{name}:1:" in result.output
    assert "Traceback" not in result.output
