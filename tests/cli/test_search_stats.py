"""``briefing search``, ``briefing stats`` and the 批示 column of ``briefing list`` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from tests.conftest import BASE_CONFIG, WorkspaceFactory, issue_yaml

runner = CliRunner()

ARTICLE = """\
---
title: “三力并举”激活“蜗牛工程”
source: 建设局
instructions:
  - {by: 王军, date: 2018-12-24, text: 请各单位借鉴。}
---

今年以来，区建设局着力破解蜗牛工程难题。
"""


@pytest.fixture
def root(make_workspace: WorkspaceFactory) -> Path:
    return make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": ARTICLE,
            "issues/2018-028/02.md": "---\ntitle: 其他\nsource: 区建设局\n---\n\n正文。\n",
        },
        config=BASE_CONFIG + "units:\n  区建设局: 建设局\n",
    )


def run(root: Path, *args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["-C", str(root), *map(str, args)])


def test_search_text_and_json(root: Path) -> None:
    result = run(root, "search", "蜗牛工程")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "issues/2018-028/01.md:2: 2018年第二十八期（总第646期） 《“三力并举”激活“蜗牛工程”》 "
        "“三力并举”激活“【蜗牛工程】”",
        "issues/2018-028/01.md:8: 2018年第二十八期（总第646期） 《“三力并举”激活“蜗牛工程”》 "
        "今年以来，区建设局着力破解【蜗牛工程】难题。",
    ]
    result = run(root, "search", "破解", "难题", "--format", "json", "--year", "2018")
    assert result.exit_code == 0, result.output
    (hit,) = json.loads(result.output)
    assert hit["issue"] == "2018-028" and hit["path"] == "issues/2018-028/01.md"
    assert (hit["line"], hit["title"]) == (8, "“三力并举”激活“蜗牛工程”")
    assert hit["snippet"] == "今年以来，区建设局着力破解蜗牛工程难题。"
    nothing = run(root, "search", "蜗牛工程", "--format", "json", "--year", "2019")
    assert (nothing.exit_code, json.loads(nothing.output)) == (1, [])  # like grep: no hit, 1
    empty = run(root, "search", "没有的词")
    assert empty.exit_code == 1 and "没有找到“没有的词”" in empty.output


def test_search_highlights_on_a_terminal(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.delenv("NO_COLOR")
    result = run(root, "search", "破解")
    assert result.exit_code == 0, result.output
    assert "\x1b[1;31m破解\x1b[0m" in result.output and "【" not in result.output


def test_stats_formats(root: Path, tmp_path: Path) -> None:
    table = run(root, "stats")
    assert table.exit_code == 0, table.output
    assert "信息采用情况统计（全部期刊），共 1 期" in table.output
    assert "区建设局" in table.output and "合计" in table.output
    csv_text = run(root, "stats", "--format", "csv", "--from", "2018-12", "--to", "2018-12").output
    assert csv_text.splitlines() == ["序号,供稿单位,采用,批示,获批示篇数", "1,区建设局,2,1,1"]
    out = tmp_path / "采用.csv"
    assert run(root, "stats", "--format", "csv", "--out", out).exit_code == 0
    assert out.read_bytes().startswith("\ufeff序号".encode())
    document = json.loads(run(root, "stats", "--format", "json", "--by", "month").output)
    assert document["rows"] == [
        {"name": "2018-12", "adopted": 2, "instructions": 1, "instructed_articles": 1}
    ]
    book = tmp_path / "采用.xlsx"
    result = run(root, "stats", "--format", "xlsx", "--out", book, "--published-only")
    assert result.exit_code == 0, result.output
    assert book.read_bytes()[:2] == b"PK"
    text = tmp_path / "采用.txt"
    assert run(root, "stats", "--out", text).exit_code == 0
    assert "区建设局" in text.read_text(encoding="utf-8")
    none = run(root, "stats", "--from", "2030")
    assert none.exit_code == 0 and "期间内没有期刊" in none.output


def test_stats_usage_errors_and_incomplete_warning(root: Path) -> None:
    assert run(root, "stats", "--format", "xlsx").exit_code == 2
    assert run(root, "stats", "--from", "2019-13").exit_code == 2
    assert run(root, "search", " ").exit_code == 2
    (root / "issues/2018-028/03.md").write_text("---\nsource: x\n---\n", encoding="utf-8")
    result = run(root, "stats", "--format", "csv")
    assert result.exit_code == 0
    assert "1 个文件有错误" in result.output


def test_list_shows_instructions(root: Path) -> None:
    result = run(root, "list")
    assert result.exit_code == 0, result.output
    assert "批示" in result.output
    row = next(line for line in result.output.splitlines() if "2018-028" in line)
    assert [cell.strip() for cell in row.strip("│ ").split("│")][3:5] == ["2", "1"]


@pytest.mark.parametrize("command", ["search", "stats"])
def test_help_is_chinese(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "关键词" in result.output or "供稿单位" in result.output


def test_init_ignores_the_search_index(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["init", str(tmp_path / "ws"), "--name", "信息", "--issuer", "办公室"]
    )
    assert result.exit_code == 0, result.output
    assert "/.briefing/" in (tmp_path / "ws" / ".gitignore").read_text(encoding="utf-8").split()


def test_search_shows_the_year_and_field_values_not_yaml(
    make_workspace: WorkspaceFactory,
) -> None:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": ARTICLE,
            "issues/2019-001/issue.yaml": issue_yaml(1, 647, 2019, "2019-01-10"),
            "issues/2019-001/01.md": ARTICLE.replace("2018-12-24", "2019-01-24")
            .replace("title: ", 'title: "')
            .replace("蜗牛工程”\n", '蜗牛工程”"\n'),
        }
    )
    result = run(root, "search", "借鉴")
    assert result.exit_code == 0, result.output
    # two years' first issues no longer look alike; a 批示 shows its words, not its YAML
    assert result.output.splitlines() == [
        "issues/2019-001/01.md:5: 2019年第一期（总第647期） 《“三力并举”激活“蜗牛工程”》 "
        "王军 2019-01-24 请各单位【借鉴】。",
        "issues/2018-028/01.md:5: 2018年第二十八期（总第646期） 《“三力并举”激活“蜗牛工程”》 "
        "王军 2018-12-24 请各单位【借鉴】。",
    ]
    quoted = run(root, "search", "三力并举", "--year", "2019")
    assert quoted.output.splitlines()[0].endswith("“【三力并举】”激活“蜗牛工程”")


def test_a_label_that_shows_its_year_is_left_alone(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(
        {"issues/2018-028/issue.yaml": issue_yaml(), "issues/2018-028/01.md": ARTICLE},
        config=BASE_CONFIG.replace("第{number_cn}期（总第{total}期）", "{year}年第{number}期"),
    )
    result = run(root, "search", "难题")
    assert result.output.startswith("issues/2018-028/01.md:8: 2018年第28期 《")
