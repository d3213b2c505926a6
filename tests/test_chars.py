"""briefing.chars: the one definition of a Chinese character, and file-name slugs."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing.chars import HAN_CLASS, HAN_RANGES, has_han, is_cjk, is_han, slug

HAN = re.compile(f"[{HAN_CLASS}]")


@pytest.mark.parametrize(
    ("char", "han"),
    [
        ("\u4e00", True),
        ("\u9fff", True),
        ("\u3400", True),
        ("\u4dbf", True),
        ("\uf900", True),
        ("\ufaff", True),
        ("\U00020000", True),
        ("\U0003ffff", True),
        ("\u3007", True),
        ("\u4dc0", False),
        ("\u33ff", False),
        ("\ua000", False),
        ("\uf8ff", False),
        ("\ufb00", False),
        ("\U0001ffff", False),
        ("\U00040000", False),
        ("\u3006", False),
        ("\u3008", False),
        ("a", False),
        ("", False),
    ],
)
def test_is_han(char, han):
    assert is_han(char) is han


# Both are built from HAN_RANGES: they can only disagree at a range's edge, or anywhere if a
# range were written out differently; the edges are checked one by one, the rest at random.
EDGES = sorted(
    {edge + step for a, b in HAN_RANGES for edge in (a, b) for step in (-1, 0, 1)}
    | {0x3006, 0x3007, 0x3008, 0, sys.maxunicode}
)


@pytest.mark.parametrize("code", EDGES, ids=hex)
def test_the_regex_class_is_is_han_at_every_edge(code: int) -> None:
    assert bool(HAN.fullmatch(chr(code))) is is_han(chr(code))


@given(st.integers(0, sys.maxunicode).map(chr))
def test_the_regex_class_is_the_same_set_as_is_han(ch: str) -> None:
    assert bool(HAN.fullmatch(ch)) is is_han(ch)


@pytest.mark.parametrize("ch", ["中", "，", "“", "…", "—", "·", "あ", "Ａ", "〇"])
def test_chinese_contexts(ch: str) -> None:
    assert is_cjk(ch)


@pytest.mark.parametrize("ch", ["a", "1", ",", " ", "", "é", "한"])
def test_not_chinese_contexts(ch: str) -> None:
    assert not is_cjk(ch)


def test_every_han_character_is_a_chinese_context() -> None:
    for a, b in ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF)):
        assert all(is_cjk(chr(code)) for code in range(a, b + 1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("snail", "snail"),
        ("蜗牛 工程", "蜗牛-工程"),
        ("../../etc/passwd", "etc-passwd"),
        ("交警五大队-关于……的报告", "交警五大队-关于-的报告"),
        ("𠀀字", "𠀀字"),
        ("  ", ""),
    ],
)
def test_slugs(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_has_han() -> None:
    assert has_han("abc中") and not has_han("abc，。")
