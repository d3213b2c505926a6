"""``briefing stats --format docx``: the 信息采用情况通报, from the same numbers as the other
formats, laid out as a GB/T 9704 document (read back as Word would, with python-docx).

The printed PDF is measured in ``tests/render/test_report_pdf.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from briefing.circular import Circular, circular, period_phrase
from briefing.cli import app
from briefing.errors import UsageError
from briefing.load import load_settings
from briefing.rules import Reporter
from briefing.stats import NO_SOURCE, GroupBy, Period, Stats, StatsRow
from tests.conftest import BASE_CONFIG, WorkspaceFactory, issue_yaml

runner = CliRunner()
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def article(title: str, unit: str) -> str:
    return f"---\ntitle: {title}\nsource: {unit}\n---\n\n今年以来，{unit}扎实推进各项工作。\n"


@pytest.fixture
def desk(make_workspace: WorkspaceFactory) -> Path:
    return make_workspace(
        {
            "issues/2019-001/issue.yaml": issue_yaml(1, 646, 2019, "2019-01-10"),
            "issues/2019-001/01.md": article("网格化管理见成效", "长河街道"),
            "issues/2019-001/02.md": article("破解停车难", "交警五大队"),
            "issues/2019-002/issue.yaml": issue_yaml(2, 647, 2019, "2019-02-20"),
            "issues/2019-002/01.md": article("蜗牛工程提速", "建设局"),
            "issues/2019-002/02.md": article("网格员队伍建设", "长河街道"),
            "instructions.yaml": "instructions:\n"
            "  - {issue: 2019-002, article: 01.md, by: 王军, date: 2019-02-22}\n"
            "  - {issue: 2019-002, article: 01.md, by: 李明远, date: 2019-02-23}\n",
        },
        config=BASE_CONFIG,
    )


def run(root: Path, *args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["-C", str(root), *map(str, args)])


def paragraphs(docx: Path) -> list[str]:
    import docx as python_docx

    return [p.text for p in python_docx.Document(str(docx)).paragraphs]


def test_the_report_says_what_the_numbers_say(desk: Path, tmp_path: Path) -> None:
    out = tmp_path / "通报.docx"
    result = run(
        desk, "stats", "--from", "2019-01", "--to", "2019-03", "--format", "docx", "--out", out
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("通报.docx")
    assert paragraphs(out) == [
        "关于2019年第一季度信息采用情况的通报",
        "",
        "各部门：",
        "现将2019年第一季度《测试区信息》信息采用情况通报如下。",
        "一、总体情况",
        "2019年第一季度，《测试区信息》共编发2期，采用各单位报送信息4篇，其中1篇获领导批示，共2件。",
        "二、各单位采用情况",
        "采用信息的单位是：长河街道（2篇）、建设局（1篇）、交警五大队（1篇）。",
        "报送信息获领导批示的单位：建设局（2件）。",
        "各单位采用篇数和获领导批示情况见下表（按采用篇数排序）。",
        "请各单位对照通报情况，进一步做好信息报送工作。",
        "",
        "测试区党政办公室",
        "2019年3月31日",
    ]
    import docx as python_docx

    (table,) = python_docx.Document(str(out)).tables
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    numbers = json.loads(
        run(desk, "stats", "--from", "2019-01", "--to", "2019-03", "--format", "json").output
    )
    assert cells[0] == ["序号", "供稿单位", "采用篇数", "领导批示", "获批示篇数"]
    assert cells[1:-1] == [
        [
            str(rank),
            r["name"],
            str(r["adopted"]),
            str(r["instructions"]),
            str(r["instructed_articles"]),
        ]
        for rank, r in enumerate(numbers["rows"], start=1)
    ]
    total = numbers["total"]
    assert cells[-1] == ["", "合计", str(total["adopted"]), str(total["instructions"]), str(total["instructed_articles"])]  # fmt: skip


def test_laid_out_as_the_bulletin_page(desk: Path, tmp_path: Path) -> None:
    out = tmp_path / "通报.docx"
    assert run(desk, "stats", "--to", "2019-06", "--format", "docx", "--out", out).exit_code == 0
    with zipfile.ZipFile(out) as package:
        document = etree.fromstring(package.read("word/document.xml"))
        styles = etree.fromstring(package.read("word/styles.xml"))
        names = package.namelist()
        core = package.read("docProps/core.xml").decode()
        stamps = {info.date_time for info in package.infolist()}
    section = document.find(f".//{W}body/{W}sectPr")
    size, margins = section.find(f"{W}pgSz"), section.find(f"{W}pgMar")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")  # A4
    assert [margins.get(f"{W}{s}") for s in ("top", "bottom", "left", "right")] == [
        "2098", "1984", "1588", "1474",  # 37 / 35 / 28 / 26 mm
    ]  # fmt: skip
    assert section.find(f"{W}docGrid").get(f"{W}linePitch") == "579"  # 22 lines
    assert sorted(r.get(f"{W}type") for r in section.findall(f"{W}footerReference")) == [
        "default",
        "even",
    ]
    assert sum("footer" in n for n in names) == 2

    def style(style_id: str) -> etree._Element:
        return next(s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == style_id)

    def font_and_size(style_id: str) -> tuple[str, str]:
        rpr = style(style_id).find(f"{W}rPr")
        return rpr.find(f"{W}rFonts").get(f"{W}eastAsia"), rpr.find(f"{W}sz").get(f"{W}val")

    assert font_and_size("Title") == ("方正小标宋简体", "44")  # 二号
    assert font_and_size("Normal") == ("仿宋_GB2312", "32")  # 三号
    assert font_and_size("Heading1") == ("黑体", "32")
    assert style("Normal").find(f"{W}rPr/{W}spacing").get(f"{W}val") == "-5"  # 28 a line
    assert style("Title").find(f"{W}pPr/{W}jc").get(f"{W}val") == "center"
    rows = document.findall(f".//{W}tr")
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None  # repeated on every page
    assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
    assert "2019-06-30T00:00:00Z" in core  # dated with the day signed, not the clock
    assert stamps == {(2019, 6, 30, 0, 0, 0)}
    assert paragraphs(out)[-1] == "2019年6月30日"


def test_same_numbers_same_bytes_and_the_date_signed(desk: Path, tmp_path: Path) -> None:
    first, second, dated = (tmp_path / f"{n}.docx" for n in ("a", "b", "c"))
    for out in (first, second):
        assert run(desk, "stats", "--format", "docx", "--out", out).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    # no period at all: signed on the date of the latest issue counted
    assert paragraphs(first)[0] == "关于截至2019年2月20日\n信息采用情况的通报"  # two lines
    assert paragraphs(first)[-1] == "2019年2月20日"
    assert (
        run(desk, "stats", "--format", "docx", "--out", dated, "--date", "2019年4月5日").exit_code
        == 2
    )
    assert (
        run(desk, "stats", "--format", "docx", "--out", dated, "--date", "2019-04-05").exit_code
        == 0
    )
    assert paragraphs(dated)[-1] == "2019年4月5日"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "docx"), "docx 格式需要用 --out 指定文件，如 --out 信息采用.docx"),
        (("--format", "pdf"), "pdf 格式需要用 --out 指定文件"),
        (("--format", "csv", "--date", "2019-04-05"), "--date 是信息采用情况通报的成文日期，只用于 --format docx 或 pdf"),
        (("--format", "docx", "--out", "a.docx", "--date", "2019-04"), "成文日期“2019-04”应写到日，如 2019-04-05"),
    ],
)  # fmt: skip
def test_usage_mistakes_are_explained(desk: Path, args: tuple[str, ...], message: str) -> None:
    result = run(desk, "stats", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (desk / "a.docx").exists()


def test_pdf_without_libreoffice_is_refused_before_any_work(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.render import pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    result = run(desk, "stats", "--format", "pdf", "--out", tmp_path / "a.pdf")
    assert result.exit_code == 2
    assert "未找到 LibreOffice（soffice），无法生成 PDF" in result.output
    assert not (tmp_path / "a.pdf").exists()


@pytest.mark.parametrize(
    ("start", "end", "phrase"),
    [
        ("2019-01-01", "2019-12-31", "2019年"),
        ("2019-04-01", "2019-06-30", "2019年第二季度"),
        ("2019-01-01", "2019-06-30", "2019年上半年"),
        ("2019-07-01", "2019-12-31", "2019年下半年"),
        ("2019-03-01", "2019-03-31", "2019年3月"),
        ("2019-01-01", "2019-05-31", "2019年1月至5月"),
        ("2018-12-01", "2019-02-28", "2018年12月至2019年2月"),
        ("2019-01-15", "2019-03-20", "2019年1月15日至3月20日"),
        ("2018-12-15", "2019-03-20", "2018年12月15日至2019年3月20日"),
        (None, "2019-03-31", "截至2019年3月31日"),
        ("2019-03-01", None, "2019年3月以来"),
    ],
)
def test_period_phrases(start: str | None, end: str | None, phrase: str) -> None:
    day = lambda text: dt.date.fromisoformat(text) if text else None  # noqa: E731
    assert period_phrase(Period(day(start), day(end))) == phrase


def test_the_words_follow_the_numbers(tmp_path: Path) -> None:
    (tmp_path / "briefing.yaml").write_text(
        "name: 东湖信息\nissuer: 东湖镇党政办公室\n", encoding="utf-8"
    )
    settings = load_settings(tmp_path, Reporter())
    rows = tuple(StatsRow(f"单位{i}", 5 - i, 0, 0) for i in range(5))
    quiet = Stats(GroupBy.source, Period(), True, rows, 3, dt.date(2019, 5, 6))
    text = circular(quiet, settings)
    assert text.addressee == "各供稿单位："  # no 发 in the 版记 settings
    assert ("text", "截至2019年5月6日，《东湖信息》共编发3期，采用各单位报送信息15篇，暂无领导批示（仅统计已签发的期刊）。") in text.paragraphs  # fmt: skip
    assert (
        "text",
        "采用篇数居前的是：单位0（5篇）、单位1（4篇）、单位2（3篇）。",
    ) in text.paragraphs
    with pytest.raises(UsageError, match="统计期间内没有期刊，无法确定通报的成文日期"):
        circular(Stats(GroupBy.source, Period(), False, (), 0, None), settings)
    monthly = circular(
        Stats(GroupBy.month, Period(), False, rows[:1], 1, dt.date(2019, 5, 6)), settings
    )
    assert ("heading", "二、各月采用情况") in monthly.paragraphs
    assert monthly.header[1] == "月份"


def east_lake(tmp_path: Path, extra: str = ""):  # type: ignore[no-untyped-def]
    (tmp_path / "briefing.yaml").write_text(
        "name: 东湖信息\nissuer: 东湖镇党政办公室\n" + extra, encoding="utf-8"
    )
    return load_settings(tmp_path, Reporter())


def test_the_whole_report_of_a_quarter(tmp_path: Path) -> None:
    settings = east_lake(tmp_path, "distribution:\n  报: 镇领导\n  送: 镇纪委\n  发: 各村社区\n")
    row = StatsRow("2019年第3季度", 2, 1, 1)
    stats = Stats(
        GroupBy.quarter, Period(dt.date(2019, 7, 1), dt.date(2019, 9, 30)), False, (row,), 1,
        dt.date(2019, 8, 1),
    )  # fmt: skip
    assert circular(stats, settings) == Circular(
        title="关于2019年第三季度信息采用情况的通报",
        addressee="镇纪委：",  # the first of 送 and 发 in the 版记, never 报 (the leaders)
        paragraphs=(
            ("text", "现将2019年第三季度《东湖信息》信息采用情况通报如下。"),
            ("heading", "一、总体情况"),
            (
                "text",
                "2019年第三季度，《东湖信息》共编发1期，采用各单位报送信息2篇，"
                "其中1篇获领导批示，共1件。",
            ),
            ("heading", "二、各季度采用情况"),
            ("text", "各季度采用篇数和获领导批示情况见下表。"),
            ("table", ""),
            ("text", "请各单位对照通报情况，进一步做好信息报送工作。"),
        ),
        header=("序号", "季度", "采用篇数", "领导批示", "获批示篇数"),
        rows=(("1", "2019年第3季度", "2", "1", "1"), ("", "合计", "2", "1", "1")),
        issuer="东湖镇党政办公室",
        date=dt.date(2019, 9, 30),
        date_text="2019年9月30日",
        subject="信息采用情况通报",
    )


def test_a_report_of_nothing_needs_the_date_signed(tmp_path: Path) -> None:
    settings = east_lake(tmp_path)
    nothing = Stats(GroupBy.source, Period(), True, (), 0, None)
    with pytest.raises(UsageError) as raised:
        circular(nothing, settings)
    assert raised.value.diagnostics[0].message == (
        "统计期间内没有期刊，无法确定通报的成文日期；请用 --date 指定，如 --date 2019-04-05"
    )
    text = circular(nothing, settings, dt.date(2019, 4, 5))
    assert text.title == "关于信息采用情况的通报"  # no period, no issue: no phrase at all
    assert text.paragraphs[:3] == (
        ("text", "现将《东湖信息》信息采用情况通报如下。"),
        ("heading", "一、总体情况"),
        ("text", "《东湖信息》没有编发期刊（仅统计已签发的期刊）。"),
    )
    assert text.rows == (("", "合计", "0", "0", "0"),)


def test_the_units_named_and_their_order(tmp_path: Path) -> None:
    rows = (  # as compute_stats sorts them: by 采用, then 批示, then name
        StatsRow("甲局", 4, 1, 1),
        StatsRow("乙局", 3, 2, 1),
        StatsRow(NO_SOURCE, 2, 3, 2),  # counted in the table, never named in the text
        StatsRow("丙局", 2, 1, 1),
        StatsRow("丁局", 1, 0, 0),
    )
    stats = Stats(GroupBy.source, Period(), False, rows, 4, dt.date(2019, 5, 6))
    text = circular(stats, east_lake(tmp_path))
    assert text.paragraphs[3:] == (
        ("heading", "二、各单位采用情况"),
        ("text", "采用篇数居前的是：甲局（4篇）、乙局（3篇）、丙局（2篇）。"),
        # by 批示, then 采用, then name
        ("text", "报送信息获领导批示的单位：乙局（2件）、甲局（1件）、丙局（1件）。"),
        ("text", "各单位采用篇数和获领导批示情况见下表（按采用篇数排序）。"),
        ("table", ""),
        ("text", "请各单位对照通报情况，进一步做好信息报送工作。"),
    )
    assert text.paragraphs[2] == (
        "text",
        "截至2019年5月6日，《东湖信息》共编发4期，采用各单位报送信息12篇，其中5篇获领导批示，共7件。",
    )


@pytest.mark.parametrize(
    ("start", "end", "phrase"),
    [
        (None, None, ""),
        ("2019-07-01", "2019-09-30", "2019年第三季度"),
        ("2019-10-01", "2019-12-31", "2019年第四季度"),
        ("2019-03-01", "2019-03-15", "2019年3月1日至3月15日"),
        ("2019-03-15", "2019-03-31", "2019年3月15日至3月31日"),
        ("2019-03-15", None, "2019年3月15日以来"),
    ],
)
def test_more_period_phrases(start: str | None, end: str | None, phrase: str) -> None:
    day = lambda text: dt.date.fromisoformat(text) if text else None  # noqa: E731
    assert period_phrase(Period(day(start), day(end))) == phrase
