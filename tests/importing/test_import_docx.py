"""``briefing import`` of DOCX submissions: recognition, preserved text, pictures, check."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.check import check_workspace
from briefing.errors import Severity
from briefing.load import load_settings
from briefing.model import Heading, Image, Table
from briefing.rules import Reporter
from tests.conftest import issue_yaml
from tests.factory import SAMPLE_PNG
from tests.importing import submissions as sub
from tests.importing.conftest import body_texts, load, run


def test_manual_submission_becomes_an_article(workspace: Path, tmp_path: Path) -> None:
    file = sub.manual_submission(tmp_path / "交警五大队-停车难.docx")
    result = run(workspace, str(file))
    assert result.exit_code == 0, result.output
    path = workspace / "issues/2018-028/01-交警五大队-停车难.md"
    assert f"已导入 issues/2018-028/{path.name}" in result.output
    assert (
        f"标题“{sub.TITLE}”，供稿单位“交警五大队”，小标题 4 个，图片 1 张（DOCX）" in result.output
    )
    # the 落款 date is a guess worth telling, located by paragraph
    assert "文末日期“2018年12月18日”没有导入" in result.output
    article = load(path)
    assert (article.title, article.subtitle, article.source) == (
        sub.TITLE,
        sub.SUBTITLE,
        "交警五大队",
    )
    assert article.note == sub.NOTE
    # the text is preserved exactly: only indentation and the soft break are gone
    assert body_texts(article) == list(sub.BODY)
    headings = [(b.level, b.spans[0].text) for b in article.blocks if isinstance(b, Heading)]
    assert headings == [(1, sub.BODY[1]), (2, sub.BODY[3]), (2, sub.BODY[5]), (1, sub.BODY[7])]
    text = path.read_text(encoding="utf-8")
    assert "## 一、摸清底数" in text and "### （一）分片包干" in text
    assert "**今年以来**，五大队" in text
    assert "1\\. 签约单位" in text  # not a Markdown list
    table = next(b for b in article.blocks if isinstance(b, Table))
    assert [c.spans[0].text for c in table.header] == list(sub.TABLE[0])
    assert [[c.spans[0].text for c in row] for row in table.rows] == [
        list(r) for r in sub.TABLE[1:]
    ]
    image = next(b for b in article.blocks if isinstance(b, Image))
    assert image.caption == sub.CAPTION
    assert image.path.read_bytes() == SAMPLE_PNG.read_bytes()
    assert image.src == "images/01-1.png"


def test_imported_articles_pass_check(workspace: Path, tmp_path: Path) -> None:
    files = [
        sub.manual_submission(tmp_path / "a.docx"),
        sub.styled_submission(tmp_path / "新桥社区-议事厅.docx"),
    ]
    result = run(workspace, *map(str, files))
    assert result.exit_code == 0, result.output
    findings = check_workspace(workspace).diagnostics
    assert [d for d in findings if d.severity is Severity.ERROR] == []


def test_word_styles_and_author_line(workspace: Path, tmp_path: Path) -> None:
    file = sub.styled_submission(tmp_path / "新桥社区-议事厅.docx")
    result = run(workspace, str(file))
    assert result.exit_code == 0, result.output
    assert (
        "  请核对以下推测所得的字段：供稿单位（文中没有落款，取自文件名“新桥社区”）\n"
        in result.output
    )
    article = load(workspace / "issues/2018-028/01-新桥社区-议事厅.md")
    assert (article.title, article.author, article.source) == (
        "街道推行“居民议事厅”",
        "作者：张明",
        "新桥社区",
    )
    levels = [(b.level, b.spans[0].text) for b in article.blocks if isinstance(b, Heading)]
    assert levels == [(1, "议事规则"), (2, "表决方式")]


def test_source_option_beats_the_file_name(workspace: Path, tmp_path: Path) -> None:
    file = sub.styled_submission(tmp_path / "新桥社区-议事厅.docx")
    result = run(workspace, str(file), "--source", "新桥社区居委会")
    assert result.exit_code == 0, result.output
    assert "文件名" not in result.output
    assert load(workspace / "issues/2018-028/01-新桥社区-议事厅.md").source == "新桥社区居委会"


def test_dry_run_writes_nothing(workspace: Path, tmp_path: Path) -> None:
    file = sub.manual_submission(tmp_path / "交警五大队-停车难.docx")
    result = run(workspace, str(file), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "将写入 issues/2018-028/01-交警五大队-停车难.md" in result.output
    assert f'title: "{sub.TITLE}"' in result.output
    issue = workspace / "issues/2018-028"
    assert sorted(p.name for p in issue.iterdir()) == ["issue.yaml"]


def test_never_overwrites_without_force(workspace: Path, tmp_path: Path) -> None:
    file = sub.manual_submission(tmp_path / "交警五大队-停车难.docx")
    assert run(workspace, str(file)).exit_code == 0
    path = workspace / "issues/2018-028/01-交警五大队-停车难.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n编辑改过的一段。\n", encoding="utf-8")
    edited = path.read_text(encoding="utf-8")
    again = run(workspace, str(file))
    assert again.exit_code == 1
    assert "本期已有文稿 01-交警五大队-停车难.md" in again.output and "--force" in again.output
    assert path.read_text(encoding="utf-8") == edited
    assert len(list(path.parent.glob("*.md"))) == 1
    forced = run(workspace, str(file), "--force")
    assert forced.exit_code == 0, forced.output
    assert "已覆盖 issues/2018-028/01-交警五大队-停车难.md" in forced.output
    assert "编辑改过" not in path.read_text(encoding="utf-8")
    assert len(list(path.parent.glob("*.md"))) == 1


def test_same_title_under_another_file_name_is_refused(workspace: Path, tmp_path: Path) -> None:
    first = sub.manual_submission(tmp_path / "交警五大队-停车难.docx")
    second = sub.manual_submission(tmp_path / "五大队报送.docx")
    result = run(workspace, str(first), str(second))
    assert result.exit_code == 1
    assert "五大队报送.docx" in result.output and "未导入" in result.output
    assert len(list((workspace / "issues/2018-028").glob("*.md"))) == 1


@pytest.mark.parametrize("quoted", ["街道推行网格化管理", "'街道推行网格化管理'"])
def test_a_hand_written_article_with_the_same_title_is_kept(
    make_workspace, tmp_path: Path, quoted: str
) -> None:
    article = f"---\ntitle: {quoted}\nsource: 长河街道\n---\n\n正文。\n"
    root = make_workspace(
        {"issues/2018-028/issue.yaml": issue_yaml(), "issues/2018-028/01-grid.md": article}
    )
    text = tmp_path / "长河街道.txt"
    text.write_text("街道推行网格化管理\n\u3000\u3000另一篇正文。\n", encoding="utf-8")
    result = run(root, str(text))
    assert result.exit_code == 1 and "本期已有文稿 01-grid.md" in result.output


MIDDLE = st.text(
    st.sampled_from(list("停车泊位民警走访“”，、：；") + list("*_[]<>#&|\\`!-+=.) 1a")),
    max_size=12,
)
PARAGRAPH = st.lists(
    st.tuples(MIDDLE, st.booleans(), st.booleans()), min_size=1, max_size=3
)  # (text, bold, soft break after)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(PARAGRAPH, min_size=1, max_size=4),
    st.sampled_from(["\u3000\u3000", "  ", "", "\t"]),
)
def test_body_text_survives_any_formatting(paragraphs, indent: str) -> None:
    """Whatever the runs, bold, soft breaks and Markdown characters: the text comes back."""
    import docx as python_docx

    from briefing.importing.batch import import_files
    from tests.conftest import BASE_CONFIG

    document = python_docx.Document()
    document.add_paragraph("测试标题").alignment = 1
    expected = []
    for runs in paragraphs:
        p = document.add_paragraph()
        p.add_run(indent + "今")
        lines = ["今"]
        for middle, bold, soft_break in runs:
            # each run ends in a Chinese full stop, so a soft break after it joins directly
            p.add_run(middle + "。").bold = bold
            lines[-1] += middle + "。"
            if soft_break:
                p.add_run().add_break()
                lines.append("")
        # only the break itself and the spaces around it go (they are line-end/indentation)
        expected.append("".join(line.strip(" \t\u3000") for line in lines))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "briefing.yaml").write_text(BASE_CONFIG, encoding="utf-8")
        (root / "issues/2018-028").mkdir(parents=True)
        (root / "issues/2018-028/issue.yaml").write_text(issue_yaml(), encoding="utf-8")
        document.save(str(root / "单位-稿件.docx"))
        report = import_files(load_settings(root, Reporter()), [root / "单位-稿件.docx"])
        assert not report.failed, report.diagnostics
        assert body_texts(load(report.written[0].path)) == expected


UNIT = "东湖镇人民政府"
LAST = "今年以来，东湖镇全面推进垃圾分类工作，取得明显成效。"
SIGN_OFFS = {
    "来源": ([], ["来源：东湖镇人民政府"]),
    "括号来源": ([], ["（来源：东湖镇人民政府）"]),
    "信息来源": ([], ["信息来源：东湖镇人民政府"]),
    "稿件来源加句号": ([], ["稿件来源：东湖镇人民政府。"]),
    "报送单位": ([], ["报送单位：东湖镇人民政府"]),
    "供稿单位": ([], ["供稿单位: 东湖镇人民政府"]),
    "标题下": (["来源：东湖镇人民政府"], []),
    "其后有完": ([], ["来源：东湖镇人民政府", "（完）"]),
    "其后有审核": ([], ["信息来源：东湖镇人民政府", "撰稿：张明", "审核：李芳"]),
}


def sign_off_submission(path: Path, head: list[str], tail: list[str], *, run_on: str = "") -> Path:
    import docx as python_docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = python_docx.Document()
    title = document.add_paragraph("东湖镇推进垃圾分类")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in head:
        document.add_paragraph(line)
    document.add_paragraph("\u3000\u3000一是健全机制。")
    document.add_paragraph("\u3000\u3000" + LAST + run_on)
    for line in tail:
        document.add_paragraph(line)
    document.save(str(path))
    return path


@pytest.mark.parametrize("case", list(SIGN_OFFS))
def test_the_usual_sign_offs_give_the_source_and_leave_the_body(
    workspace: Path, tmp_path: Path, case: str
) -> None:
    head, tail = SIGN_OFFS[case]
    file = sign_off_submission(tmp_path / f"{case}.docx", head, tail)
    result = run(workspace, str(file))
    assert result.exit_code == 0, result.output
    assert f"供稿单位“{UNIT}”" in result.output
    assert "请核对" not in result.output  # read, not guessed
    article = load(next((workspace / "issues/2018-028").glob("*.md")))
    assert article.source == UNIT
    assert body_texts(article) == ["一是健全机制。", LAST]
    errors = [d for d in check_workspace(workspace).diagnostics if d.severity is Severity.ERROR]
    assert errors == []


@pytest.mark.parametrize(
    ("run_on", "source", "last"),
    [
        ("（来源：东湖镇人民政府）", UNIT, LAST),
        ("（东湖镇人民政府供稿）", UNIT, LAST),
        ("（2019年）", None, LAST + "（2019年）"),  # an ordinary parenthesis stays text
    ],
)
def test_a_sign_off_run_on_at_the_end_of_the_last_paragraph(
    workspace: Path, tmp_path: Path, run_on: str, source: str | None, last: str
) -> None:
    file = sign_off_submission(tmp_path / "东湖镇-垃圾分类.docx", [], [], run_on=run_on)
    result = run(workspace, str(file))
    assert result.exit_code == 0, result.output
    article = load(workspace / "issues/2018-028/01-东湖镇-垃圾分类.md")
    assert body_texts(article)[-1] == last
    if source:
        assert article.source == source and "请核对" not in result.output
    else:  # no sign-off at all: the file name's unit, listed as a guess to check
        assert article.source == "东湖镇"
        assert (
            "请核对以下推测所得的字段：供稿单位（文中没有落款，取自文件名“东湖镇”）"
            in result.output
        )


def test_guessed_fields_are_listed_after_their_file(workspace: Path, tmp_path: Path) -> None:
    import docx as python_docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = python_docx.Document()
    document.add_paragraph("东湖镇推进厕所革命")  # no title formatting at all
    author = document.add_paragraph("王明")
    author.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("\u3000\u3000" + LAST)
    unit = document.add_paragraph("东湖镇人民政府")
    unit.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.save(str(tmp_path / "猜测.docx"))
    sign_off_submission(tmp_path / "确定.docx", [], ["来源：东湖镇人民政府"])
    result = run(workspace, str(tmp_path / "猜测.docx"), str(tmp_path / "确定.docx"))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    guessed = lines.index(next(line for line in lines if line.startswith("猜测.docx → 已导入")))
    assert lines[guessed + 1] == (
        "  请核对以下推测所得的字段：标题（第 1 段：没有标题格式，按标题处理）；"
        "作者（第 2 段：标题下居中的短行“王明”）；供稿单位（第 4 段：右对齐的落款“东湖镇人民政府”）"
    )
    certain = lines.index(next(line for line in lines if line.startswith("确定.docx → 已导入")))
    assert certain == len(lines) - 1 or not lines[certain + 1].startswith("  请核对")
