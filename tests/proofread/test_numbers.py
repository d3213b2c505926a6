"""Number rules T110–T113: range connectors, range units, mixed numerals, 万/亿 units."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.proofread.fix import fix_text
from tests.proofread.conftest import findings, md

BODY = 5


def codes(body: str) -> list[str]:
    return [d.code for d in findings(md(body)) if d.code in ("T110", "T111", "T112", "T113")]


def messages(body: str, code: str) -> list[str]:
    return [d.message for d in findings(md(body), codes=code)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("1-10月，投资增长。", "—"),
        ("2018-2020年，累计改造。", "—"),
        ("2018~2020年度预算。", "—"),
        ("2018年-2020年，累计改造。", "—"),
        ("3月5日-8日举办。", "—"),
        ("20世纪80-90年代。", "—"),
        ("8～10时开放。", "—"),
        ("同比增长10%-15%。", "～"),
        ("增长10%—20%。", "～"),
        ("力争用3—5年时间。", "～"),
        ("需要3-6个月。", "～"),
        ("每天2-3小时。", "～"),
        ("3–5人一组。", "～"),
    ],
)
def test_range_connectors(text: str, want: str) -> None:
    found = findings(md(text), codes="T110")
    assert len(found) == 1
    assert f"用{'一字线' if want == '—' else '浪纹线'}“{want}”" in found[0].message
    connector = next(ch for ch in text if ch in "-－~～〜—–")
    assert found[0].column == text.index(connector) + 1


@pytest.mark.parametrize(
    "text",
    [
        "1—10月，投资增长。",
        "2018—2020年，累计改造。",
        "同比增长10%～15%。",
        "力争用3～5年时间。",
        "详见图2-8和表3-1。",
        "依据GB/T 9704-2012执行。",
        "电话0577-88888888。",
        "于2020-05-01施行。",
        "1-3号楼已封顶。",  # 号: a date or a building, not for this rule to decide
        "13-15月。",  # no such months: C301's business
        "2018—2020年、5—8日、10%～20%、3万～5万元。",
        "“专职调解员调解-特邀调解员调解”三级。",  # hyphen between words: GB/T 15834 allows it
        "三～五年。",
        "2018-19年。",  # an abbreviated year: C303's business, not a range this rule judges
        "5-7日内完成。",  # days to count or dates
        "截至202—0年10月。",  # not a range: the second number is not the larger
    ],
)
def test_correct_or_undecidable_ranges_are_left_alone(text: str) -> None:
    assert "T110" not in codes(text)


def test_place_ranges_take_the_one_em_dash_not_a_tilde() -> None:
    (message,) = messages("开通北京～上海的专列。", "T110")
    assert "汉字之间不用浪纹线“～”（它只用于数值范围）；地点、时间的起止用一字线“—”" in message
    assert codes("北京—上海的专列。") == []


@pytest.mark.parametrize(
    ("text", "right"),
    [
        ("合格率提高10～20%。", "10%～20%"),
        ("每户补助3～5万元。", "3万～5万元"),
        ("投资1-2亿元。", "1亿～2亿元"),
    ],
)
def test_both_ends_of_a_numeric_range_carry_the_unit(text: str, right: str) -> None:
    (message,) = messages(text, "T111")
    assert f"应为“{right}”" in message


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("全镇有3千余名志愿者。", "3000"),
        ("惠及5百多户。", "500"),
        ("投资3千万元。", "3000"),
        ("约2.5千人。", "2500"),
        ("共2万5千人。", "5000"),
    ],
)
def test_digits_with_qian_bai_shi(text: str, fixed: str) -> None:
    (message,) = messages(text, "T112")
    assert f"应写作“{fixed}”" in message


@pytest.mark.parametrize(
    "text",
    [
        "二0一九年以来，持续推进。",
        "2〇19年以来，持续推进。",
        "共有三十5个村。",
        "3千8百人参加。",
    ],
)
def test_other_mixed_numerals(text: str) -> None:
    assert "T112" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "全镇常住人口3.2万人，产值5亿元，3万亿元的市场。",
        "新建线路12千米，电压10千伏，装机5千瓦，重3千克。",
        "提高3个百分点，十分重要。",
        "2019十大新闻，2023百强县。",
        "二〇一九年、2019年、三千人、3000人。",
        "每周一9时开会。",
    ],
)
def test_correct_numbers_are_left_alone(text: str) -> None:
    assert [c for c in codes(text) if c == "T112"] == []


def test_wan_and_yi_written_consistently_for_one_unit() -> None:
    text = "全年投资1.2亿元，其中35000万元用于建设，另有0.5亿元、800万元。"
    assert messages(text, "T113") == [
        "“35000万元”：同一篇中其他“元”数额已用“亿”作单位，宜统一写作“3.5亿元”",
        "“0.5亿元”：同一篇中其他“元”数额已用“万”作单位，宜统一写作“5000万元”",
    ]
    # different units, or one scale only: nothing to unify
    assert codes("投资1.2亿元，服务35000万人次。") == []
    assert codes("总投资35000万元，其中一期12000万元。") == []
    assert codes("全年投资1.2亿元，其中3500万元用于建设。") == []


def test_the_fixes_of_numbers() -> None:
    text = "1-10月增长10-20%，3千人，每户3～5万元。\n"
    fixed, changes = fix_text(text, kind="md")
    assert fixed == "1—10月增长10%～20%，3000人，每户3万～5万元。\n"
    assert {c.code for c in changes} == {"T110", "T111", "T112"}
    assert fix_text(fixed, kind="md") == (fixed, [])


def test_mixed_forms_without_a_certain_value_are_not_fixed() -> None:
    for text in ("二0一九年起。\n", "三十5个村。\n", "3千8百人。\n", "35000万元和1亿元。\n"):
        assert fix_text(text, kind="md") == (text, []), text


@settings(max_examples=150, deadline=None)
@given(
    first=st.integers(1, 99),
    second=st.integers(1, 99),
    connector=st.sampled_from("-－~～〜—–"),
    unit=st.sampled_from(["%", "万元", "个月", "年", "月", "日", "人", "亿元", "号", ""]),
)
def test_range_fixes_are_idempotent(first: int, second: int, connector: str, unit: str) -> None:
    text = f"今年{first}{connector}{second}{unit}完成。\n"
    fixed, _ = fix_text(text, kind="md")
    assert fix_text(fixed, kind="md") == (fixed, [])
    assert codes(fixed.strip()) == [c for c in codes(fixed.strip()) if c == "T113"]
