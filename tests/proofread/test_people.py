"""People register rules C311 (title) and C312 (a name one character away)."""

from __future__ import annotations

import pytest

from briefing.model import CheckSettings, Person
from briefing.proofread.people import compatible, titles_before
from tests.proofread.conftest import findings, md

BODY = 5
REGISTER = CheckSettings(
    people=(
        Person("王建国", ("滨江区委书记",)),
        Person("李明", ("区委副书记", "区长")),
        Person("赵丰", ("高新区党工委副书记", "管委会主任")),
    )
)


def found(text: str, checks: CheckSettings = REGISTER) -> list[tuple[str, int, str]]:
    return [
        (d.code, d.column, d.message)
        for d in findings(md(text), checks)
        if d.code in ("C311", "C312")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "滨江区委书记王建国主持会议。",
        "会上，区委书记王建国强调。",  # shortened from the front
        "书记王建国强调。",
        "王建国书记指出。",
        "区委副书记、区长李明出席。",
        "区长李明讲话。",
        "李明区长讲话。",
        "高新区党工委副书记、管委会主任赵丰等出席。",
        "党工委副书记赵丰主持。",
        "王建国同志说。",
        "王建国在调研时说。",  # no title: nothing to compare
    ],
)
def test_listed_people_with_their_titles_pass(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("区委副书记王建国主持会议。", "区委副书记"),
        ("市委书记王建国主持会议。", "市委书记"),
        ("王建国区长指出。", "区长"),
        ("副区长李明讲话。", "副区长"),
        ("常务副区长李明讲话。", "常务副区长"),
        ("区委书记、区长李明出席。", "区委书记"),
        ("管委会副主任赵丰出席。", "管委会副主任"),
    ],
)
def test_a_listed_name_with_another_title(text: str, printed: str) -> None:
    ((code, column, message),) = found(text)
    assert code == "C311"
    name = next(p.name for p in REGISTER.people if p.name in text)
    assert column == text.index(name) + 1
    assert f"文中写作“{printed}”" in message


def test_the_message_quotes_the_registered_titles() -> None:
    ((_, _, message),) = found("会议由市长李明主持。")
    assert "人员名录中李明的职务是“区委副书记”“区长”，文中写作“市长”" in message


@pytest.mark.parametrize(
    ("text", "candidate", "listed"),
    [
        ("滨江区委书记王建华主持会议。", "王建华", "王建国"),  # the title is 王建国's
        ("区长李名讲话。", "李名", "李明"),
        (
            "王建国到会。区委副书记王健国讲话。",
            "王健国",
            "王建国",
        ),  # the listed name is in the text
        ("王建国到会，汪建国同志发言。", "汪建国", "王建国"),
    ],
)
def test_a_name_one_character_away_beside_a_title(text: str, candidate: str, listed: str) -> None:
    ((_, column, message),) = [f for f in found(text) if f[0] == "C312"]
    assert column == text.index(candidate) + 1
    assert f"“{candidate}”与人员名录中的“{listed}”只差一个字" in message


@pytest.mark.parametrize(
    "text",
    [
        "市委书记王建华主持会议。",  # another body's title, the listed name absent
        "王建华在调研时说。",  # no title beside it
        "副镇长李平讲话。",  # one character from 李明, but not 李明's title
        "市长李明华主持会议。",  # 李明华 is another person: no C311 for 李明
        "李明到会。区长李平华讲话。",  # nor is 李平华 a slip for 李明
        "区委书记王建国、副书记王建华出席。",  # 王建华 beside a title that is not 王建国's…
    ],
)
def test_names_that_need_not_be_slips_are_left_alone(text: str) -> None:
    codes = [f[0] for f in found(text)]
    if "王建国、副书记王建华" in text:  # …but 王建国 is in the text: reported for checking
        assert codes == ["C312"]
    else:
        assert codes == []


def test_a_name_that_is_itself_listed_is_never_a_slip() -> None:
    checks = CheckSettings(people=(*REGISTER.people, Person("王建华", ("区政协主席",))))
    assert found("王建国到会，区政协主席王建华讲话。", checks) == []


def test_nothing_is_checked_without_a_register() -> None:
    assert found("区委副书记王建国主持会议。", CheckSettings()) == []


def test_compatible_titles() -> None:
    assert compatible("区委书记", "滨江区委书记")
    assert compatible("会议由滨江区委书记", "滨江区委书记")
    assert compatible("书记", "滨江区委书记")
    assert not compatible("区委副书记", "滨江区委书记")
    assert not compatible("市委书记", "滨江区委书记")
    assert not compatible("区委", "滨江区委书记")  # no title word at all
    text = "会上，区委副书记、区长李明出席"
    assert titles_before(text, text.index("李明")) == ["区长", "区委副书记"]
