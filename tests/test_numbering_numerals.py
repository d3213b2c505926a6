"""Edges of the 期号 arithmetic that the main numbering tests pass by: zero, 万 with a
thousand, an empty register and labels of issues without 总期."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefing.model import Issue, Numbering, Settings
from briefing.numbering import chinese_number, issue_label, next_numbers


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "零"), (11000, "一万一千"), (10999, "一万零九百九十九"), (20010, "二万零一十")],
)
def test_numeral_edges(n: int, expected: str) -> None:
    assert chinese_number(n) == expected


def test_negative_numbers_have_no_numeral() -> None:
    with pytest.raises(ValueError, match="out of range"):
        chinese_number(-1)


def test_first_issue_of_an_empty_register(tmp_path: Path) -> None:
    fresh = Settings(root=tmp_path, name="简报", issuer="办公室")
    assert next_numbers(fresh, [], 2018, None) == (1, 1)
    no_reset = Settings(
        root=tmp_path, name="简报", issuer="办公室", numbering=Numbering(yearly_reset=False)
    )
    assert next_numbers(no_reset, [], 2018, None) == (1, 1)
    assert next_numbers(fresh, [], 2018, "专刊") == (1, None)


def test_labels_of_an_issue_without_total() -> None:
    special = Issue("2018-专刊-01", Path("."), 2018, 1, dt.date(2018, 12, 25), special="专刊")
    numbering = Numbering(special_format="{label}第{number_cn}期[{total}|{total_cn}]")
    assert issue_label(numbering, special) == "专刊第一期[|]"
    regular = Issue("2018-028", Path("."), 2018, 28, dt.date(2018, 12, 20), total=646)
    assert issue_label(Numbering(format="{label}第{number}期"), regular) == "第28期"
