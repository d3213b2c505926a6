"""Word rules: the 错别字 list (C309) and misused words by context (C310)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.model import CheckSettings
from briefing.proofread import words
from briefing.proofread.fix import fix_text
from briefing.proofread.words import Entry, WordList, builtin_entries, parse_entries, word_list
from tests.proofread.conftest import findings, md

BODY = 5
ENTRIES = builtin_entries()


def codes(body: str, checks: CheckSettings | None = None) -> list[str]:
    return [d.code for d in findings(md(body), checks) if d.code in ("C309", "C310")]


# --------------------------------------------------------------------------- the list


def test_the_shipped_list_has_several_hundred_entries_each_with_a_right_form() -> None:
    assert len(ENTRIES) >= 600
    assert len({e.wrong for e in ENTRIES}) == len(ENTRIES)
    for entry in ENTRIES:
        assert entry.wrong != entry.right, entry
        assert all(entry.wrong in exception for exception in entry.exceptions), entry


def test_no_right_form_and_no_exception_is_flagged_by_the_list() -> None:
    listed = word_list()
    for entry in ENTRIES:
        assert list(listed.find(entry.right)) == [], entry
        for exception in entry.exceptions:
            assert list(listed.find(exception)) == [], (entry, exception)


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        ("峻工", "竣工"),
        ("精萃", "精粹"),
        ("一愁莫展", "一筹莫展"),
        ("通谍", "通牒"),
        ("凑和", "凑合"),
        ("台帐", "台账"),
        ("再接再励", "再接再厉"),
        ("严于律已", "严于律己"),
        ("核算检测", "核酸检测"),
    ],
)
def test_listed_slips_name_the_right_form(wrong: str, right: str) -> None:
    line = f"这里写着{wrong}两个字。"
    (found,) = findings(md(line), codes="C309")
    assert (found.line, found.column) == (BODY, line.index(wrong) + 1)
    assert f"中的“{wrong}”是错别字，应为“{right}”" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "面对严峻工作形势，迎难而上。",  # 峻工 across a word boundary
        "布局紧凑和合理。",  # 凑和
        "他们各自已经完成了任务。",  # 自已
        "交通迅速恢复。",  # 通迅
        "协商确定补偿标准。",
        "通知已经下发到各村。",
        "国家俱乐部举办活动。",  # 家俱
        "临床第一线的医务人员。",
        "搭建舞台帐篷。",  # 台帐
    ],
)
def test_correct_text_across_word_boundaries_is_left_alone(text: str) -> None:
    assert codes(text) == []


def test_overlapping_entries_report_the_leftmost_longest_once() -> None:
    listed = WordList([Entry("甲乙", "甲丙"), Entry("甲乙丁", "甲乙戊"), Entry("乙丁", "乙己")])
    assert [(start, e.wrong) for start, e in listed.find("x甲乙丁y")] == [(1, "甲乙丁")]
    assert [(start, e.wrong) for start, e in listed.find("甲乙 乙丁")] == [(0, "甲乙"), (3, "乙丁")]


def test_parse_entries_skips_comments_and_short_lines() -> None:
    text = "# 注释\n甲乙 甲丙 x甲乙\n单独\n\n乙丁 乙己 # 行尾注释\n"
    assert parse_entries(text) == [Entry("甲乙", "甲丙", ("x甲乙",)), Entry("乙丁", "乙己")]


def test_a_workspace_adds_overrides_and_switches_off_entries() -> None:
    checks = CheckSettings(words=(("帐薄", "账簿"), ("峻工", "竣工验收")), words_off=("台帐",))
    found = findings(md("帐薄和台帐都已峻工。"), checks, "C309")
    assert [d.message.split("，")[-1] for d in found] == ["应为“账簿”", "应为“竣工验收”"]
    assert codes("帐薄和台帐都已峻工。") == ["C309", "C309"]  # without the settings


def test_anchors_are_the_rare_characters() -> None:
    assert words.anchor_key(Entry("峻工", "竣工")) == ("峻", 0)
    key, index = words.anchor_key(Entry("学以至用", "学以致用"))
    assert len(key) == 2 and "学以至用"[index : index + 2] == key


@settings(max_examples=150, deadline=None)
@given(
    entry=st.sampled_from(ENTRIES),
    before=st.text(alphabet="，。街道工作推进群众的了在", max_size=4),
    after=st.text(alphabet="，。街道工作推进群众的了在", max_size=4),
)
def test_every_entry_is_found_and_fixed_idempotently(entry: Entry, before: str, after: str) -> None:
    text = f"{before}{entry.wrong}{after}"
    if any(exception in text for exception in entry.exceptions):
        return
    start, end = len(before), len(before) + len(entry.wrong)
    found = [(at, at + len(e.wrong)) for at, e in word_list().find(text)]
    assert any(a < end and start < b for a, b in found), (text, found)  # it or an overlapping one
    fixed, changes = fix_text(text + "\n", kind="md")
    assert any(c.code == "C309" for c in changes)
    assert fix_text(fixed, kind="md") == (fixed, [])


@settings(max_examples=100, deadline=None)
@given(entry=st.sampled_from(ENTRIES), before=st.sampled_from(["", "在", "，", "的"]))
def test_right_forms_in_a_sentence_are_never_flagged(entry: Entry, before: str) -> None:
    assert [e.wrong for _, e in word_list().find(f"{before}{entry.right}。")] == []


# --------------------------------------------------------------------------- context


@pytest.mark.parametrize(
    ("text", "word", "right"),
    [
        ("截止目前，已完成八成。", "截止", "截至"),
        ("截止11月底，共受理申请。", "截止", "截至"),
        ("截止今年上半年，累计投资。", "截止", "截至"),
        ("报名的截至日期为本月二十日。", "截至", "截止"),
        ("报名于5月底截至。", "截至", "截止"),
        ("群众可以通过热线反应问题。", "反应", "反映"),
        ("老人们在社区渡过了一个温馨的春节。", "渡过", "度过"),
        ("企业度过难关。", "度过", "渡过"),
        ("各单位必需加强值班值守。", "必需", "必须"),
    ],
)
def test_misused_words_by_context(text: str, word: str, right: str) -> None:
    (found,) = findings(md(text), codes="C310")
    assert found.column == text.index(word) + 1
    assert f"中的“{word}”宜为“{right}”" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "截至目前，已完成八成。",
        "截至11月底，共受理申请。",
        "申报截止日期为6月30日。",
        "报名于5月底截止。",
        "截止时间为下午五点。",
        "群众反映问题，反应强烈。",
        "疫苗不良反应情况须上报。",
        "船只渡过长江。",
        "度过了一个温馨的春节。",
        "生活必需品供应充足，为群众所必需。",
    ],
)
def test_correct_uses_of_the_pairs_are_left_alone(text: str) -> None:
    assert codes(text) == []


def test_context_findings_are_never_fixed() -> None:
    text = "截止目前，报名的截至日期未定。\n"
    assert fix_text(text, kind="md") == (text, [])
