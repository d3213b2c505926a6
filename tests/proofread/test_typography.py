"""Typography rules T101-T109: positive and negative cases in ordinary 公文 prose."""

from __future__ import annotations

import pytest

from tests.proofread.conftest import findings, md, where

BODY = 5  # file line of the first body line in ``md()`` articles


def codes(body: str, prefix: str = "T") -> list[str]:
    return [d.code for d in findings(md(body), codes=prefix)]


# --------------------------------------------------------------------------- T101


def test_half_width_marks_in_chinese_are_flagged_with_exact_columns():
    line = "街道纪工委聚焦作风问题,开展专项整治;共发现问题26个:已整改24个?还有2个!"
    found = findings(md(line), codes="T101")
    assert [(d.line, d.column) for d in found] == [
        (BODY, line.index(",") + 1),
        (BODY, line.index(";") + 1),
        (BODY, line.index(":") + 1),
        (BODY, line.index("?") + 1),
        (BODY, line.index("!") + 1),
    ]
    assert "半角逗号“,”应改为全角“，”" in found[0].message
    assert "作风问题,开展" in found[0].message


def test_half_width_period_and_number_context():
    assert codes("全年完成投资12.6亿元.同比增长15%,高于预期.") == ["T101", "T101", "T101"]


@pytest.mark.parametrize(
    "line",
    ["全年同比增长15%.", "全年同比增长15.6%.", "千分比达到3‰.", "共有326个.", '推行"一窗受理".'],
)
def test_half_width_period_after_a_number_or_quote_ending_chinese(line):
    # the character before "." is a digit, % or quote: look through it to the Chinese before
    found = findings(md(line), codes="T101")
    assert [(d.line, d.column) for d in found] == [(BODY, line.rindex(".") + 1)]
    assert "应改为全角“。”" in found[0].message


def test_unmatched_half_width_parenthesis_is_flagged_without_a_fix():
    for line in ("街道设立便民服务站点)12个。", "街道设立便民服务站点(12个。"):
        found = findings(md(line), codes="T101")
        assert len(found) == 1, line
        assert "并检查括号是否成对" in found[0].message


@pytest.mark.parametrize(
    "text",
    [
        "社区网格员人数增加到原来的1.5倍。",
        "会议于9:30在三楼会议室召开。",
        "全年累计服务群众12,000人次。",
        "1.加强组织领导。成立工作专班。",
        "请下载附件《申报表.docx》填写。",
        "The meeting was held in Beijing, China. It was a success!",
        "详见http://www.example.gov.cn/a,b;c?d=1!e。",
        "命令写作`briefing check --fix, --diff`即可。",
        "按比例尺1:10000绘制。",
    ],
)
def test_half_width_marks_left_alone(text):
    assert codes(text, "T101") == []


def test_half_width_parentheses_pairs_in_chinese():
    line = "街道设立便民服务站(点)12个,实现全覆盖。"
    found = where(md(line), "T101")
    assert found == [
        ("T101", BODY, line.index("(") + 1),
        ("T101", BODY, line.index(")") + 1),
        ("T101", BODY, line.index(",") + 1),
    ]


def test_mixed_parentheses_and_english_parentheses():
    assert codes("成立工作专班（组长由局长担任)。", "T101") == ["T101"]
    assert codes("It works (mostly) fine.", "T101") == []
    assert codes("推行PDCA循环(Plan, Do, Check, Act)管理。", "T101") == ["T101", "T101"]


# --------------------------------------------------------------------------- T102


def test_straight_quotes_in_chinese():
    found = findings(md('推行"最多跑一次"改革。'), codes="T102")
    assert [d.column for d in found] == [3, 9]
    assert "应为 “" in found[0].message
    assert "应为 ”" in found[1].message


def test_straight_quotes_left_alone_in_english():
    assert codes('He said "yes" and it\'s done.', "T102") == []
    assert codes("推行“最多跑一次”改革。", "T102") == []


# --------------------------------------------------------------------------- T103


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("推行“最多跑一次改革。", 1),
        ("推行最多跑一次”改革。", 1),
        ("学习《关于加强基层治理的意见。", 1),
        ("设立服务站（点12个。", 1),
        ("他说：“要把‘最多跑一次’落到实处。”", 0),
        ("学习《关于〈条例〉的说明》。", 0),
        ("他说：“要把“最多跑一次”落到实处。”", 1),
        ("学习《关于《条例》的说明》。", 1),
        ("推行‘一窗通办’改革。", 1),
        ("【基层动态】推行“一窗（通）办”改革。", 0),
    ],
)
def test_unpaired_and_nesting(text, count):
    assert codes(text, "T103") == ["T103"] * count


def test_crossed_nesting_reported_once():
    found = findings(md("推行“一窗（通”办）改革。"), codes="T103")
    assert len(found) == 1
    assert "交叉嵌套" in found[0].message


def test_pairs_balance_per_paragraph():
    assert codes("第一段有“引号\n\n第二段才关闭”。", "T103") == ["T103", "T103"]
    assert codes("第一行有“引号\n跨行才关闭”。", "T103") == []


# --------------------------------------------------------------------------- T104


def test_full_width_digits_and_letters():
    found = findings(md("共有２６个项目纳入ＰＰＰ库，占比１２．５%。"), codes="T104")
    assert [d.message.split("应改为")[1] for d in found] == ["半角“26”", "半角“PPP”", "半角“12.5”"]
    assert codes("共有26个项目纳入PPP库。", "T104") == []


# --------------------------------------------------------------------------- T105


def test_repeated_punctuation():
    assert codes("会议强调，，要压实责任。。") == ["T105", "T105"]
    assert codes("这难道不是形式主义吗？！", "T105") == []
    assert codes("会议强调，要压实责任。", "T105") == []
    assert codes("真是太好了！！", "T105") == ["T105"]
    assert codes("工作很多，。", "T105") == ["T105"]


# --------------------------------------------------------------------------- T106


@pytest.mark.parametrize(
    "text",
    [
        "走访企业、社区...",
        "走访企业、社区。。。",
        "走访企业、社区…",
        "走访企业、社区………",
        "走访企业···",
    ],
)
def test_ellipsis_forms(text):
    found = findings(md(text), codes="T106")
    assert len(found) == 1
    assert "……" in found[0].message


@pytest.mark.parametrize(
    "text", ["走访企业、社区……", "此处略去若干段…………", "Wait for it...", "版本v1.2.3已发布。"]
)
def test_ellipsis_correct(text):
    assert codes(text, "T106") == []


# --------------------------------------------------------------------------- T107


@pytest.mark.parametrize(
    "text",
    [
        "一个目标--建成示范街道",
        "一个目标—“建成示范街道”",
        "一个目标――建成示范街道",
        "一个目标－－建成示范街道",
    ],
)
def test_dash_forms(text):
    assert codes(text, "T107") == ["T107"]


@pytest.mark.parametrize(
    "text",
    [
        "一个目标——建成示范街道",
        "2018—2020年三年行动计划",
        "开通北京—上海专线",
        "使用--fix参数修正",
    ],
)
def test_dash_correct(text):
    assert codes(text, "T107") == []


def test_dash_above_a_table_is_not_a_dash():
    assert codes("| 指标 | 数量 |\n| --- | --- |\n| 窗口 | 12个 |", "T107") == []
    assert codes("第一段\n\n---\n\n第二段", "T107") == []


# --------------------------------------------------------------------------- T108


def test_spaces_in_chinese():
    line = "今年以来 ，街道共 26 个项目开工，2018年12月20日 上午召开会议。"
    found = where(md(line), "T108")
    assert found == [
        ("T108", BODY, line.index(" ，") + 1),
        ("T108", BODY, line.index(" 26") + 1),
        ("T108", BODY, line.index(" 个") + 1),
        ("T108", BODY, line.index(" 上") + 1),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "　　今年以来，街道坚持问题导向。",
        "- 第一批事项已下放",
        "## 一、加强领导",
        "使用 Python 编写了统计脚本。",
        "| 姓名 | 职务 |\n| --- | --- |\n| 王　军 | 主任 |",
        "第一行末尾有硬换行  \n第二行",
    ],
)
def test_spaces_left_alone(text):
    assert codes(text, "T108") == []


def test_space_after_bold_is_still_between_chinese():
    assert codes("**重点工作** 推进有力", "T108") == ["T108"]


# --------------------------------------------------------------------------- T109


@pytest.mark.parametrize(
    "title", ["街道推进改革。", "街道推进改革，", "街道推进改革：", "街道推进改革；"]
)
def test_title_ending_punctuation(title):
    found = where(md("正文。", title=title), "T109")
    assert found == [("T109", 2, 8 + len(title) - 1)]


@pytest.mark.parametrize(
    "title",
    [
        "基层减负为何越减越重？",
        "向“躺平式”干部说不！",
        "学习贯彻《条例》",
        "“三张清单”破解“慢工程”",
        "街道推进改革（上）",
    ],
)
def test_title_allowed_endings(title):
    assert codes_for_title(title) == []


def codes_for_title(title: str) -> list[str]:
    return [d.code for d in findings(md("正文。", title=title), codes="T109")]


def test_heading_ending_punctuation():
    assert where(md("## 一、加强组织领导。\n\n正文。"), "T109") == [("T109", BODY, 12)]
