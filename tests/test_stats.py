"""``instructions`` and ``units`` fields, and the 信息采用 statistics on archives with known answers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from briefing.check import check_workspace
from briefing.errors import UsageError
from briefing.stats import (
    GroupBy,
    Period,
    Stats,
    StatsRow,
    compute_stats,
    counted_articles,
    inert_cell,
    parse_period,
    table_header,
    table_rows,
    to_csv,
    to_json,
    to_xlsx,
)
from tests.conftest import BASE_CONFIG, WorkspaceFactory, issue_yaml
from tests.tools import require_module

UNITS = "units:\n  区建设局: [建设局, 区建设管理局]\n  长河街道: 长河街道办事处\n"


def article(title: str, source: str | None, *instructions: str) -> str:
    lines = ["---", f"title: {title}"]
    if source:
        lines.append(f"source: {source}")
    if instructions:
        lines.append("instructions:")
        lines += [f"  - {{by: {who}, date: 2019-05-01, text: 请研究。}}" for who in instructions]
    return "\n".join([*lines, "---", "", f"{title}的正文。", ""])


def published(text: str) -> str:
    return text + "published: true\n"


ARCHIVE = {
    "issues/2018-028/issue.yaml": published(issue_yaml()),
    "issues/2018-028/01.md": article("甲一", "区建设局", "王军"),
    "issues/2018-028/02.md": article("甲二", "望江街道"),
    "issues/2019-001/issue.yaml": published(issue_yaml(1, 647, 2019, "2019-01-10")),
    "issues/2019-001/01.md": article("乙一", "建设局", "王军", "李明远"),
    "issues/2019-001/02.md": article("乙二", "长河街道"),
    "issues/2019-001/03.md": article("乙三", "区建设局", "王军"),
    "issues/2019-002/issue.yaml": issue_yaml(2, 648, 2019, "2019-04-15"),
    "issues/2019-002/01.md": article("丙一", "区建设管理局"),
    "issues/2019-002/02.md": article("丙二", "长河街道办事处", "王军"),
    "issues/2019-002/03.md": article("丙三", "望江街道"),
    "issues/2020-001/issue.yaml": issue_yaml(1, 649, 2020, "2020-01-05"),
    "issues/2020-001/01.md": article("丁一", "望江街道", "王军"),
}


@pytest.fixture
def archive(make_workspace: WorkspaceFactory) -> Path:
    return make_workspace(ARCHIVE, config=BASE_CONFIG + UNITS)


def table(stats) -> list[tuple[str, int, int, int]]:  # type: ignore[no-untyped-def]
    return [(r.name, r.adopted, r.instructions, r.instructed_articles) for r in stats.rows]


def test_counts_per_unit_in_a_year(archive: Path) -> None:
    workspace = check_workspace(archive, advice=False)
    # published: true without a 签发 record is only a reminder (R003) and counts as published
    assert not [d for d in workspace.diagnostics if d.code != "R003"]
    got = compute_stats(workspace, parse_period("2019-01", "2019-12"))
    assert table(got) == [("区建设局", 3, 3, 2), ("长河街道", 2, 1, 1), ("望江街道", 1, 0, 0)]
    assert got.issues == 2
    assert (got.total.adopted, got.total.instructions, got.total.instructed_articles) == (6, 4, 3)
    assert got.title == "信息采用情况统计（2019年1月—2019年12月）"


def test_published_only_and_open_periods(archive: Path) -> None:
    workspace = check_workspace(archive, advice=False)
    signed = compute_stats(workspace, parse_period("2019", "2019"), published_only=True)
    assert table(signed) == [("区建设局", 2, 3, 2), ("长河街道", 1, 0, 0)]
    assert signed.title.endswith("（仅已签发）")
    everything = compute_stats(workspace)
    assert table(everything) == [
        ("区建设局", 4, 4, 3),
        ("望江街道", 3, 1, 1),
        ("长河街道", 2, 1, 1),
    ]
    assert everything.issues == 4
    since = compute_stats(workspace, parse_period("2019-04-15", None))
    assert sum(r.adopted for r in since.rows) == 4
    assert compute_stats(workspace, parse_period(None, "2018-12")).issues == 1


def test_by_month_and_quarter(archive: Path) -> None:
    workspace = check_workspace(archive, advice=False)
    period = parse_period("2019-01", "2019-12")
    assert table(compute_stats(workspace, period, by=GroupBy.month)) == [
        ("2019-01", 3, 3, 2),
        ("2019-04", 3, 1, 1),
    ]
    assert table(compute_stats(workspace, Period(), by=GroupBy.quarter)) == [
        ("2018年第4季度", 2, 1, 1),
        ("2019年第1季度", 3, 3, 2),
        ("2019年第2季度", 3, 1, 1),
        ("2020年第1季度", 1, 1, 1),
    ]


def test_missing_source_and_tie_order(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": article("一", "乙单位"),
            "issues/2018-028/02.md": article("二", "甲单位"),
            "issues/2018-028/03.md": article("三", None),
        },
        config=BASE_CONFIG + "checks:\n  require_source: false\n",
    )
    got = compute_stats(check_workspace(root, advice=False))
    assert [r.name for r in got.rows] == ["乙单位", "甲单位", "（未署单位）"]  # code point order


def test_outputs_are_exact_and_deterministic(archive: Path) -> None:
    openpyxl = require_module("openpyxl")
    workspace = check_workspace(archive, advice=False)
    got = compute_stats(workspace, parse_period("2019-01", "2019-12"))
    rows = list(csv.reader(io.StringIO(to_csv(got))))
    assert rows == [
        ["序号", "供稿单位", "采用", "批示", "获批示篇数"],
        ["1", "区建设局", "3", "3", "2"],
        ["2", "长河街道", "2", "1", "1"],
        ["3", "望江街道", "1", "0", "0"],
    ]
    document = json.loads(to_json(got))
    assert document["from"] == "2019-01-01" and document["to"] == "2019-12-31"
    assert document["rows"][0] == {
        "name": "区建设局",
        "adopted": 3,
        "instructions": 3,
        "instructed_articles": 2,
    }
    assert document["total"]["adopted"] == 6
    data = to_xlsx(got)
    assert data == to_xlsx(compute_stats(workspace, parse_period("2019-01", "2019-12")))
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["信息采用"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == got.title
    assert values[2] == ("序号", "供稿单位", "采用", "批示", "获批示篇数")
    assert values[3] == (1, "区建设局", 3, 3, 2)
    assert values[6] == (None, "合计", 6, 4, 3)
    with zipfile.ZipFile(io.BytesIO(data)) as package:  # openpyxl drops charts on reading
        assert "xl/charts/chart1.xml" in package.namelist()
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_empty_workbook_has_no_chart(make_workspace: WorkspaceFactory) -> None:
    openpyxl = require_module("openpyxl")
    got = compute_stats(check_workspace(make_workspace(), advice=False))
    data = to_xlsx(got)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert list(sheet.iter_rows(values_only=True))[2][1] == "供稿单位"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert not [n for n in package.namelist() if "chart" in n]


@pytest.mark.parametrize(
    ("start", "end"), [("2019-13", None), ("19", None), ("2019-12", "2019-01"), (None, "x")]
)
def test_bad_periods(start: str | None, end: str | None) -> None:
    with pytest.raises(UsageError):
        parse_period(start, end)


def test_instructions_are_validated_with_locations(make_workspace: WorkspaceFactory) -> None:
    bad = """\
    ---
    title: 标题
    source: 单位
    instructions:
      - {by: 王军, date: 2019-02-30}
      - {by: 王军, dat: 2019-02-01}
      - 只有文字
      - {by: , date: 2019-02-01}
      - {by: 李明远, date: 2019-03-01, text: 好}
    ---

    正文。
    """
    root = make_workspace(
        {"issues/2018-028/issue.yaml": issue_yaml(), "issues/2018-028/01.md": bad}
    )
    found = {(d.line, d.code, d.message) for d in check_workspace(root).diagnostics}
    assert (5, "M003", "字段“instructions”的日期“2019-02-30”不存在，请核对月、日") in found
    fixed = bad.replace("2019-02-30", "2019-02-28")
    (root / "issues/2018-028/01.md").write_text(
        "\n".join(line[4:] for line in fixed.splitlines()) + "\n", encoding="utf-8"
    )
    workspace = check_workspace(root)
    found = {(d.line, d.code, d.message) for d in workspace.diagnostics if d.code.startswith("M")}
    assert found == {
        (6, "M001", "缺少必填字段“instructions[2].date”"),
        (6, "M002", "未知字段“instructions[2].dat”，是不是“instructions[2].date”？"),
        (7, "M003", "字段“instructions”的第 3 项应为映射（如 {by: …, date: …}）"),
        (8, "M003", "字段“instructions[4].by”应为文字，现在是空值"),
    }
    (article_,) = workspace.issues[0].articles
    assert [(i.by, i.date.isoformat(), i.text) for i in article_.instructions] == [
        ("王军", "2019-02-28", None),
        ("李明远", "2019-03-01", "好"),
    ]


def test_instructions_must_be_a_list(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": "---\ntitle: 标题\nsource: 单位\ninstructions: 好\n---\n\n正文。\n",
        }
    )
    (d,) = check_workspace(root).diagnostics
    assert (d.line, d.column, d.code) == (4, 15, "M003")
    assert "列表" in d.message


def test_units_alias_map_is_validated(make_workspace: WorkspaceFactory) -> None:
    config = (
        BASE_CONFIG
        + "units:\n  区建设局: [建设局, 区住建局]\n  区住建局: 住建局\n  长河街道: [{a: b}]\n"
        + "  望江街道: [建设局]\n"
    )
    root = make_workspace(config=config)
    found = {(d.line, d.message) for d in check_workspace(root).diagnostics}
    assert found == {
        (15, "字段“units”：“区住建局”已是规范名称，不能再作为“区建设局”的别名"),
        (17, "字段“units.长河街道”应为单位名称或名称列表"),
        (18, "字段“units”：别名“建设局”同时属于“区建设局”和“望江街道”"),
    }
    bad = make_workspace(config=BASE_CONFIG + "units: [a]\n")
    (d,) = check_workspace(bad).diagnostics
    assert "units" in d.message and d.line == 14


def test_unconstructible_value_inside_a_list_is_located(make_workspace: WorkspaceFactory) -> None:
    long_number = "9" * 5000
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": "---\ntitle: 标题\nsource: 单位\ninstructions:\n"
            f"  - {{by: 王军, date: 2019-01-02}}\n  - {{by: 李, date: 2019-01-03, text: {long_number}}}\n"
            "---\n\n正文。\n",
        }
    )
    (d,) = [d for d in check_workspace(root).diagnostics if d.code == "M003"]
    assert (d.line, d.column, d.message) == (6, 37, "字段“instructions”的数字太长（5000 位）")


def test_an_archive_out_of_date_order(make_workspace: WorkspaceFactory) -> None:
    """Dates that go backwards (a warning, N004) still count; the latest is the latest date,
    not the last issue; a period includes its last day; signed issues after unsigned ones."""
    root = make_workspace(
        {
            "issues/2019-001/issue.yaml": issue_yaml(1, 646, 2019, "2019-03-01"),
            "issues/2019-001/01.md": article("一", "长河  街道"),
            "issues/2019-002/issue.yaml": published(issue_yaml(2, 647, 2019, "2019-02-01")),
            "issues/2019-002/01.md": article("二", "望江街道", "王军"),
        }
    )
    workspace = check_workspace(root, advice=False)
    assert {d.code for d in workspace.diagnostics} == {"N004", "R003"}
    every = compute_stats(workspace)
    assert (every.issues, every.latest) == (2, dt.date(2019, 3, 1))
    assert table(every) == [("望江街道", 1, 1, 1), ("长河 街道", 1, 0, 0)]  # spaces folded
    signed = compute_stats(workspace, published_only=True)
    assert (table(signed), signed.latest) == ([("望江街道", 1, 1, 1)], dt.date(2019, 2, 1))
    until = compute_stats(workspace, parse_period(None, "2019-02-01"))
    assert table(until) == [("望江街道", 1, 1, 1)]
    assert [a.title for _, a in counted_articles(workspace, Period())] == ["一", "二"]


def test_a_year_is_its_first_to_its_last_day() -> None:
    assert parse_period("2019", "2019") == Period(dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    assert parse_period("2019-02", "2020-02") == Period(dt.date(2019, 2, 1), dt.date(2020, 2, 29))


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("  @SUM(A1)", "'  @SUM(A1)"),
        ("\uff1d1", "'\uff1d1"),
        ("X-1号楼", "X-1号楼"),  # only spaces are skipped before the formula character
        ("\n=1", "\n=1"),
        ("\u3000=1", "\u3000=1"),  # an ideographic space does not start a formula either
    ],
)
def test_inert_cells(text: str, cell: str) -> None:
    assert inert_cell(text) == cell


ROWS = (StatsRow("区建设局", 3, 3, 2), StatsRow("长河街道", 2, 1, 1))
YEAR = Period(dt.date(2019, 1, 1), dt.date(2019, 12, 31))


def test_json_and_terminal_table_exactly() -> None:
    got = Stats(GroupBy.source, YEAR, False, ROWS, 2, dt.date(2019, 5, 1))
    assert to_json(got) == (
        '{\n  "title": "信息采用情况统计（2019年1月—2019年12月）",\n  "by": "source",\n'
        '  "from": "2019-01-01",\n  "to": "2019-12-31",\n  "published_only": false,\n'
        '  "issues": 2,\n  "rows": [\n'
        '    {\n      "name": "区建设局",\n      "adopted": 3,\n      "instructions": 3,\n'
        '      "instructed_articles": 2\n    },\n'
        '    {\n      "name": "长河街道",\n      "adopted": 2,\n      "instructions": 1,\n'
        '      "instructed_articles": 1\n    }\n  ],\n'
        '  "total": {\n    "name": "合计",\n    "adopted": 5,\n    "instructions": 4,\n'
        '    "instructed_articles": 3\n  }\n}\n'
    )
    assert table_header(got) == ["序号", "供稿单位", "采用", "批示", "获批示篇数"]
    assert table_rows(got) == [
        ["1", "区建设局", "3", "3", "2"],
        ["2", "长河街道", "2", "1", "1"],
        ["", "合计", "5", "4", "3"],
    ]


S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"


def column_widths(data: bytes) -> list[tuple[str, str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheet = etree.fromstring(package.read("xl/worksheets/sheet1.xml"))
    return [(c.get("min"), c.get("max"), c.get("width")) for c in sheet.iter(f"{S}col")]


def test_the_workbook_as_an_office_sees_it() -> None:
    openpyxl = require_module("openpyxl")
    rows = (StatsRow("区建设管理局长河分局", 3, 1, 1), *ROWS[1:])
    got = Stats(GroupBy.source, YEAR, False, rows, 2, dt.date(2019, 5, 1))
    data = to_xlsx(got)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["信息采用"]
    assert (book.properties.title, book.properties.created) == (got.title, dt.datetime(2000, 1, 1))
    sheet = book["信息采用"]
    assert sheet.freeze_panes == "A4"  # the title and the header stay in view
    # widths as Excel stores them (+0.71 of padding): 序号 6, the name 2 a character + 2, counts 10
    assert column_widths(data) == [
        ("1", "1", "6.7109375"),
        ("2", "2", "22.7109375"),
        ("3", "5", "10.7109375"),
    ]
    title = sheet["A1"]
    assert (title.value, title.font.b, title.font.sz) == (got.title, True, 14)
    assert title.border.left.style is None

    def looks(cell) -> tuple[object, str, bool, str | None, str | None]:  # type: ignore[no-untyped-def]
        return (cell.value, cell.data_type, cell.font.b, cell.border.left.style, cell.alignment.horizontal)  # fmt: skip

    assert [looks(c) for c in sheet[3]] == [
        (h, "s", True, "thin", "center") for h in ("序号", "供稿单位", "采用", "批示", "获批示篇数")
    ]
    assert [looks(c) for c in sheet[4]] == [
        (1, "n", False, "thin", None),
        ("区建设管理局长河分局", "s", False, "thin", None),
        (3, "n", False, "thin", None),
        (1, "n", False, "thin", None),
        (1, "n", False, "thin", None),
    ]
    assert [looks(c) for c in sheet[6]] == [
        (None, "n", True, "thin", "center"),  # a blank cell, framed like the rest of the row
        ("合计", "s", True, "thin", "center"),
        (5, "n", True, "thin", "center"),
        (2, "n", True, "thin", "center"),
        (2, "n", True, "thin", "center"),
    ]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        chart = etree.fromstring(package.read("xl/charts/chart1.xml"))
        drawing = etree.fromstring(package.read("xl/drawings/drawing1.xml"))
    (series,) = chart.iter(f"{C}ser")
    assert series.findtext(f"{C}tx/{C}v") == "采用"
    assert series.findtext(f"{C}cat/{C}strRef/{C}f") == "信息采用!$B$4:$B$5"
    assert series.findtext(f"{C}val/{C}numRef/{C}f") == "信息采用!$C$4:$C$5"
    assert "".join(chart.find(f"{C}chart/{C}title").itertext()) == got.title
    assert chart.find(f"{C}chart/{C}legend") is None
    # the first unit at the top, as in the table
    assert chart.find(f"{C}chart/{C}plotArea/{C}catAx/{C}scaling/{C}orientation").get("val") == "maxMin"  # fmt: skip
    anchor = drawing.find(f"{XDR}twoCellAnchor/{XDR}from")
    assert (anchor.findtext(f"{XDR}col"), anchor.findtext(f"{XDR}row")) == ("6", "2")  # G3


def test_short_names_keep_the_name_column_readable() -> None:
    got = Stats(GroupBy.source, YEAR, False, ROWS, 2, dt.date(2019, 5, 1))
    assert column_widths(to_xlsx(got))[1] == ("2", "2", "12.7109375")
