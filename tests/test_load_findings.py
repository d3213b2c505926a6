"""``briefing.load``: what is loaded, field by field, and each finding compared whole (code,
severity, message, file, line, column), with the files that must be skipped silently."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.check import check_workspace
from briefing.errors import Severity, UsageError
from briefing.load import (
    article_files,
    article_names,
    check_severity_overrides,
    clean_controls,
    find_workspace,
    issue_dirs,
    load_issue,
    load_issue_folder,
    load_settings,
)
from briefing.model import Instruction, Issue, PreviousIssue, SourceText
from briefing.rules import Reporter
from tests.conftest import BASE_CONFIG, GOOD_ARTICLE, REPO, WorkspaceFactory, issue_yaml

E, W = Severity.ERROR, Severity.WARNING
ISSUE = "issues/2018-028/"
UTF8 = "；请用编辑器“另存为 UTF-8”后再提交"


def everything(root: Path) -> list[tuple[str, Severity, str, str, int | None, int | None]]:
    return [
        (d.code, d.severity, d.message, d.path.relative_to(root).as_posix(), d.line, d.column)
        for d in check_workspace(root, advice=False).diagnostics
        if d.path is not None
    ]


def control(line: int, column: int, code: str) -> tuple[str, Severity, str, str, int, int]:
    message = f"第 {line} 行有控制字符 U+{code}（通常是从其他软件复制时带入的），请删除"
    return ("F010", E, message, ISSUE + "01.md", line, column)


def test_unreadable_and_incomplete_articles(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(
        {
            ISSUE + "issue.yaml": issue_yaml(),
            ISSUE + "01.md": "---\ntitle: 甲\x01\nsource: 局\n---\n\n正\x02文\x7f。\x03\x04\x05\n",
            ISSUE + "03.yaml": "title: 乙\nsource: 局\nbody: 正文\n".encode("gb18030"),
            ISSUE + "04.yaml": b"title: \xff\xfe\x80\n",
            ISSUE + "05.yaml": "title: 丙\nsource: 局\n",
            ISSUE + "06.yml": "title: 丁\nsource: 局\nbody: [一, 二]\n",
            ISSUE + "07.MD": "---\ntitle: 戊\n---\n正文。\n",
            ISSUE + "09.md": "---\ntitle: 己\nsource: 局\n正文。\n",
            ISSUE + "notes.txt": "x",
        }
    )
    (root / ISSUE / "02.md").symlink_to("nowhere.md")
    (root / ISSUE / "08.md").symlink_to(REPO / "README.md")
    assert everything(root) == [
        ("F010", E, "文件中还有更多控制字符，请一并删除", ISSUE + "01.md", None, None),
        control(2, 9, "0001"),
        control(6, 2, "0002"),
        control(6, 4, "007F"),
        control(6, 6, "0003"),
        control(6, 7, "0004"),
        ("F007", E, "无法读取文件：文件不存在", ISSUE + "02.md", None, None),
        (
            "F001",
            E,
            f"文件不是 UTF-8 编码，看起来是 GB18030（GBK/GB2312） 编码{UTF8}",
            ISSUE + "03.yaml",
            1,
            8,
        ),
        ("F001", E, f"文件不是 UTF-8 编码{UTF8}", ISSUE + "04.yaml", 1, 8),
        ("F004", E, "文稿正文为空", ISSUE + "05.yaml", 1, 1),
        ("M001", E, "YAML 文稿缺少必填字段“body”（正文）", ISSUE + "05.yaml", 1, 1),
        ("F004", E, "文稿正文为空", ISSUE + "06.yml", 3, 1),
        ("M003", E, "字段“body”应为文字，现在是“['一', '二']”", ISSUE + "06.yml", 3, 7),
        ("M001", E, "缺少必填字段“source”（供稿单位）", ISSUE + "07.MD", 1, 1),
        (
            "F009",
            E,
            f"符号链接指向工作区以外（{REPO / 'README.md'}），出于安全考虑不读取",
            ISSUE + "08.md",
            None,
            None,
        ),
        ("F003", E, "元数据块没有结束：缺少第二个 --- 行", ISSUE + "09.md", 1, 1),
        (
            "F006",
            W,
            "无法识别的文件 notes.txt：文稿应为 .md 或 .yaml；图片请放在 images/ 下",
            ISSUE + "notes.txt",
            None,
            None,
        ),
    ]
    articles = {a.path.name: a for a in check_workspace(root, advice=False).issues[0].articles}
    assert sorted(articles) == ["01.md", "05.yaml", "06.yml", "07.MD"]
    assert articles["01.md"].title == "甲\ufffd"  # control characters never reach a renderer
    assert articles["01.md"].body.text == "\n正\ufffd文\ufffd。\ufffd\ufffd\ufffd\n"
    assert articles["05.yaml"].body == SourceText("", root / ISSUE / "05.yaml", 1)
    assert articles["06.yml"].body == SourceText("", root / ISSUE / "06.yml", 3)


def test_broken_yaml_a_missing_title_and_an_issue_yaml_outside(
    make_workspace: WorkspaceFactory,
) -> None:
    root = make_workspace(
        {
            ISSUE + "10.yaml": "title: [甲\nsource: 局\n",
            ISSUE + "11.md": "---\nsource: 局\n---\n正文。\n",
        }
    )
    (root / ISSUE / "issue.yaml").symlink_to(REPO / "README.md")
    assert everything(root) == [
        (
            "F002",
            E,
            "YAML 语法错误：这一行开始的方括号列表没有闭合（到第 2 行仍没有“]”），或其中的项之间缺少逗号",
            ISSUE + "10.yaml",
            1,
            8,
        ),
        ("M001", E, "缺少必填字段“title”", ISSUE + "11.md", 1, 1),
        (
            "F009",
            E,
            f"符号链接指向工作区以外（{REPO / 'README.md'}），出于安全考虑不读取",
            ISSUE + "issue.yaml",
            None,
            None,
        ),
    ]


def test_control_characters_are_located_from_the_first_line() -> None:
    reporter = Reporter()
    text = clean_controls("\x01ab\ncd\x02\x03\n\x04\x05", Path("x.md"), reporter)
    assert text == "\ufffdab\ncd\ufffd\ufffd\n\ufffd\ufffd"
    assert [(d.code, d.path, d.line, d.column, d.message[:17]) for d in reporter.diagnostics] == [
        ("F010", Path("x.md"), 1, 1, "第 1 行有控制字符 U+0001"),
        ("F010", Path("x.md"), 2, 3, "第 2 行有控制字符 U+0002"),
        ("F010", Path("x.md"), 2, 4, "第 2 行有控制字符 U+0003"),
        ("F010", Path("x.md"), 3, 1, "第 3 行有控制字符 U+0004"),
        ("F010", Path("x.md"), 3, 2, "第 3 行有控制字符 U+0005"),
    ]  # five: no "more" finding
    assert clean_controls("正文\u3000。\n", Path("x.md"), reporter) == "正文\u3000。\n"
    assert len(reporter.diagnostics) == 5
    after_a_blank_line = Reporter()
    clean_controls("\n\x01", Path("x.md"), after_a_blank_line)
    assert [(d.line, d.column) for d in after_a_blank_line.diagnostics] == [(2, 1)]


def test_a_yaml_article_with_an_empty_body(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(
        {ISSUE + "issue.yaml": issue_yaml(), ISSUE + "01.yaml": "title: 甲\nsource: 局\nbody:\n"}
    )
    assert everything(root) == [
        ("F004", E, "文稿正文为空", ISSUE + "01.yaml", 3, 1),
        ("M003", E, "字段“body”应为文字，现在是空值", ISSUE + "01.yaml", 3, 6),
    ]


def test_front_matter_must_open_the_file(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(
        {ISSUE + "issue.yaml": issue_yaml(), ISSUE + "01.md": "\n---\ntitle: 甲\n---\n正文。\n"}
    )
    assert everything(root) == [
        (
            "F003",
            E,
            "Markdown 文稿应以 --- 开头的元数据块开始（title、source 等），以 --- 结束",
            ISSUE + "01.md",
            1,
            1,
        )
    ]


def test_an_article_is_loaded_field_by_field(make_workspace: WorkspaceFactory) -> None:
    text = (
        "---\n"
        "title: 街道推行网格化管理\n"
        "source: 长河街道\n"
        "subtitle: 副题\n"
        "column: 基层治理\n"
        "order: -2\n"
        "note: 编者按内容\n"
        "author: 李明\n"
        "instructions:\n"
        "  - {by: 王军, date: 2018-12-21, text: 请各街道学习}\n"
        "  - {by: 张三, date: 2018-12-22}\n"
        "---\n"
        "\n"
        "正文第一段。\n"
    )
    root = make_workspace({ISSUE + "issue.yaml": issue_yaml(), ISSUE + "01.md": text})
    settings = load_settings(root, Reporter())
    reporter = Reporter()
    loaded = load_issue_folder(root / ISSUE, settings, reporter)
    assert reporter.diagnostics == []
    (a,) = loaded.articles
    path = root / ISSUE / "01.md"
    assert (a.path, a.title, a.source, a.subtitle, a.column, a.order, a.note, a.author) == (
        path,
        "街道推行网格化管理",
        "长河街道",
        "副题",
        "基层治理",
        -2,
        "编者按内容",
        "李明",
    )
    assert a.instructions == (
        Instruction("王军", dt.date(2018, 12, 21), "请各街道学习"),
        Instruction("张三", dt.date(2018, 12, 22)),
    )
    assert a.body == SourceText("\n正文第一段。\n", path, 13)
    assert {k: (v.line, v.column) for k, v in a.fields.items()} == {
        "title": (2, 8),
        "source": (3, 9),
        "subtitle": (4, 11),
        "column": (5, 9),
        "order": (6, 8),
        "note": (7, 7),
        "author": (8, 9),
    }
    assert [b.line for b in a.blocks] == [14]
    assert loaded.notes == ()


def test_a_yaml_article_keeps_its_body_position(make_workspace: WorkspaceFactory) -> None:
    text = "title: 甲\nsource: 局\nbody: |\n  第一段<b>。\n"
    root = make_workspace({ISSUE + "issue.yaml": issue_yaml(), ISSUE + "01.yaml": text})
    loaded = load_issue_folder(root / ISSUE, load_settings(root, Reporter()), Reporter())
    (a,) = loaded.articles
    assert a.body == SourceText("第一段<b>。\n", root / ISSUE / "01.yaml", 4, 3, 2)
    assert set(a.fields) == {"title", "source"}
    ((path, note),) = loaded.notes
    assert (path, note.kind, note.text, note.line, note.column) == (a.path, "raw-html", "<b>", 4, 6)


def test_issue_yaml_is_loaded_field_by_field(make_workspace: WorkspaceFactory) -> None:
    text = (
        "year: 2018\nnumber: 3\ndate: 2018-12-20\nspecial: 防汛专刊\ntheme: 防汛\n"
        "order: [01.md]\npublished: true\ndistribution: {报: 市委}\ncredits: {编辑: 李}\n"
        "copies: 50\n"
    )
    root = make_workspace({"issues/2018-防汛-03/issue.yaml": text})
    reporter = Reporter()
    issue = load_issue(root / "issues/2018-防汛-03", reporter)
    assert reporter.diagnostics == []
    assert issue == Issue(
        id="2018-防汛-03",
        dir=root / "issues/2018-防汛-03",
        year=2018,
        number=3,
        date=dt.date(2018, 12, 20),
        special="防汛专刊",
        theme="防汛",
        order=("01.md",),
        published=True,
        distribution=(("报", "市委"),),
        credits=(("编辑", "李"),),
        copies=50,
    )
    assert issue is not None and issue.positions["order"] == (6, 8)


def test_a_regular_issue_without_total(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace({ISSUE + "issue.yaml": "year: 2018\nnumber: 28\ndate: 2018-12-20\n"})
    reporter = Reporter()
    issue = load_issue(root / ISSUE, reporter)
    assert issue is not None and (issue.total, issue.special, issue.order) == (None, None, ())
    assert [(d.code, d.message, d.path, d.line, d.column) for d in reporter.diagnostics] == [
        (
            "M001",
            "缺少必填字段“total”（总期号）；专刊请写 special",
            root / ISSUE / "issue.yaml",
            1,
            1,
        )
    ]


@pytest.mark.parametrize(
    "text", ["year: 2018\nnumber: 28\ntotal: 646\n", "year: [\n", "- 1\n", "\x00"]
)
def test_an_incomplete_issue_yaml_loads_no_issue(
    make_workspace: WorkspaceFactory, text: str
) -> None:
    root = make_workspace({ISSUE + "issue.yaml": text})
    reporter = Reporter()
    assert load_issue(root / ISSUE, reporter) is None
    assert reporter.diagnostics  # each reported (exact messages: test_load_and_check.py)


def test_a_missing_issue_yaml(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace({ISSUE + "01.md": GOOD_ARTICLE})
    reporter = Reporter()
    assert load_issue(root / ISSUE, reporter) is None
    assert [(d.code, d.message, d.path, d.line) for d in reporter.diagnostics] == [
        ("F007", "期刊目录 2018-028 中缺少 issue.yaml", root / ISSUE, None)
    ]


def test_issue_folders_and_article_files(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(
        {
            "issues/2018-029/01.md": GOOD_ARTICLE,  # named like an issue
            "issues/2018-专刊-01/01.md": GOOD_ARTICLE,  # named like a special issue
            "issues/草稿/issue.yaml": issue_yaml(),  # any name with an issue.yaml
            "issues/草稿2/01.md": GOOD_ARTICLE,  # neither
            "issues/.2018-030/issue.yaml": issue_yaml(),  # hidden
            "issues/2018-031": "a file",
            ISSUE + "issue.yaml": issue_yaml(),
            ISSUE + "manifest.json": "{}",
            ISSUE + ".01.md": "hidden",
            ISSUE + "02.Yml": "title: 甲",
            ISSUE + "01.md": GOOD_ARTICLE,
            ISSUE + "03.yaml": "title: 乙",
            ISSUE + "images/a.md": "not an article",
            ISSUE + "notes.doc": "x",
        }
    )
    (root / ISSUE / "04.md").mkdir()
    settings = load_settings(root, Reporter())
    assert [p.name for p in issue_dirs(settings)] == [
        "2018-028",
        "2018-029",
        "2018-专刊-01",
        "草稿",
    ]
    reporter = Reporter()
    files = article_files(root / ISSUE, reporter)
    assert [p.name for p in files] == ["01.md", "02.Yml", "03.yaml"]
    assert files[0] == root / ISSUE / "01.md"
    assert [(d.code, d.path) for d in reporter.diagnostics] == [
        ("F006", root / ISSUE / "notes.doc")
    ]
    assert article_files(root / ISSUE) == files
    assert article_names(str(root / ISSUE)) == ["01.md", "02.Yml", "03.yaml"]
    assert issue_dirs(load_settings(root / ISSUE, Reporter())) == []


def test_find_workspace(tmp_path: Path) -> None:
    (tmp_path / "briefing.yaml").write_text("name: x\n", encoding="utf-8")
    inner = tmp_path / "issues" / "2018-028"
    inner.mkdir(parents=True)
    assert find_workspace(inner) == tmp_path
    assert find_workspace(tmp_path / "issues" / ".." / "issues") == tmp_path
    assert find_workspace(tmp_path, explicit=True) == tmp_path
    with pytest.raises(UsageError) as explicit:
        find_workspace(inner, explicit=True)
    assert (str(explicit.value), explicit.value.hint) == (
        f"{inner} 不是简报工作区：找不到 briefing.yaml",
        "用 briefing init 创建工作区",
    )
    (tmp_path / "briefing.yaml").unlink()
    (tmp_path / "briefing.yaml").mkdir()  # a folder of that name is no workspace
    with pytest.raises(UsageError) as walked:
        find_workspace(inner)
    assert (str(walked.value), walked.value.hint) == (
        "当前目录及其上级目录中找不到 briefing.yaml，这里不是简报工作区",
        "用 briefing init 创建工作区，或用 -C 指定工作区目录",
    )


def test_settings_are_loaded_field_by_field(make_workspace: WorkspaceFactory) -> None:
    config = BASE_CONFIG + (
        "classification: 内部\nfonts:\n  body: 宋体\nlayout:\n  masthead_size: 40\n"
        "checks:\n  max_title_length: 30\n  severity: {F006: off}\nunits:\n  长河街道: [长河办, 长河街办]\n"
    )
    root = make_workspace(config=config)
    reporter = Reporter()
    s = load_settings(root, reporter)
    assert reporter.diagnostics == []
    assert (s.root, s.name, s.issuer, s.readership, s.classification, s.copies) == (
        root,
        "测试区信息",
        "测试区党政办公室",
        "领导参阅",
        "内部",
        120,
    )
    assert s.numbering.format == "第{number_cn}期（总第{total}期）"
    assert s.numbering.previous == PreviousIssue(2018, 27, 645)
    assert s.distribution == (("报", "区领导"), ("发", "各部门"))
    assert s.credits == (("编辑", "李明远"), ("签发", "王军"))
    assert (s.fonts.body, s.layout.masthead_size, s.checks.max_title_length) == ("宋体", 40, 30)
    assert s.checks.severity == {"F006": "off"}
    assert s.units == {"长河办": "长河街道", "长河街办": "长河街道"}
    assert s.positions["checks.severity"] == (21, 13)
    assert s.positions["numbering.previous"] == (6, 13)


def test_an_incomplete_previous_issue_is_ignored(make_workspace: WorkspaceFactory) -> None:
    config = BASE_CONFIG.replace("{year: 2018, number: 27, total: 645}", "{year: 2018, number: 27}")
    root = make_workspace(config=config)
    reporter = Reporter()
    assert load_settings(root, reporter).numbering.previous is None
    assert [d.code for d in reporter.diagnostics] == ["M001"]


def test_unreadable_settings_fall_back_to_defaults(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(config="name: [\n")
    reporter = Reporter()
    settings = load_settings(root, reporter)
    assert (settings.root, settings.name, settings.issuer, settings.positions) == (root, "", "", {})
    assert (settings.units, settings.checks.severity) == ({}, {})
    assert [(d.code, d.path, d.line) for d in reporter.diagnostics] == [
        ("F002", root / "briefing.yaml", 2)
    ]
    (root / "briefing.yaml").unlink()
    (root / "briefing.yaml").symlink_to(REPO / "briefing.yaml")
    reporter = Reporter()
    assert load_settings(root, reporter).name == ""
    assert [(d.code, d.message) for d in reporter.diagnostics] == [
        ("F009", f"符号链接指向工作区以外（{REPO / 'briefing.yaml'}），出于安全考虑不读取")
    ]
    (root / "briefing.yaml").unlink()
    (root / "briefing.yaml").write_bytes(b"name: \xff\n")
    reporter = Reporter()
    assert load_settings(root, reporter).name == ""
    assert [d.code for d in reporter.diagnostics] == ["F001"]


def test_valid_severity_overrides_are_kept(make_workspace: WorkspaceFactory) -> None:
    config = BASE_CONFIG + "checks:\n  severity: {F006: off, M007: warning, P002: error, X1: off}\n"
    root = make_workspace(config=config)
    reporter = Reporter()
    settings = load_settings(root, reporter)
    assert check_severity_overrides(settings, reporter) == {
        "F006": "off",
        "M007": "warning",
        "P002": "error",
    }
    assert [(d.code, d.path, d.line, d.column) for d in reporter.diagnostics] == [
        ("M002", root / "briefing.yaml", 15, 13)
    ]


def test_proofreading_rules_can_be_configured_in_a_fresh_process(
    make_workspace: WorkspaceFactory,
) -> None:
    """The proofreading rules register when their package is imported; the severity settings
    are checked before that, so `briefing check` once rejected `T101: off` as unknown."""
    config = BASE_CONFIG + "checks:\n  severity: {T101: off, C307: warning}\n"
    root = make_workspace(config=config)
    script = (
        "import sys; from pathlib import Path\n"
        "from briefing.load import check_severity_overrides, load_settings\n"
        "from briefing.rules import Reporter\n"
        "r = Reporter(); s = load_settings(Path(sys.argv[1]), r)\n"
        "print(check_severity_overrides(s, r), [d.message for d in r.diagnostics])\n"
    )
    import briefing

    env = {**os.environ, "PYTHONPATH": str(Path(briefing.__file__).parent.parent)}
    done = subprocess.run(
        [sys.executable, "-c", script, str(root)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    assert done.stdout == "{'T101': 'off', 'C307': 'warning'} []\n"
