"""Number rules (T110–T113): ranges, mixed numerals and 万/亿 units, per GB/T 15834 and
GB/T 15835.

* Ranges (T110): the 起止 of time and place take the 一字线 “—” (“1—10月”, “2018—2020年”,
  “北京—上海”), numeric ranges the 浪纹线 “～” (“10%～20%”, “3～5年” as a duration, “3～6个
  月”). Only a range followed by a unit tells which it is; a hyphen with nothing after it is
  left alone, since GB/T 15834 keeps the short hyphen for numbers such as “图2-8” and
  “2011-02-15”. Fixed: the connector is replaced, as the unit decides it.
* Units in a numeric range (T111): % and 万/亿 belong to both ends (“10%～20%”, “3万～5万元”,
  not “10～20%”, “3～5万元”). Fixed by writing the unit after the first number.
* Mixed forms within one number (T112): Arabic digits with 十/百/千 (“3千”, “5百余人”; write
  “3000”), a digit run into a Chinese numeral (“十5”) and a year in both forms (“二0一九年”).
  “3万”“5亿” are right (GB/T 15835 allows 万 and 亿 as units with digits), and so are “千米”
  “千克”“千瓦”. Fixed only for “3千”-like numbers with nothing after the multiplier, whose value
  is certain.
* 万/亿 consistency (T113): amounts of the same unit in one text use one scale where one
  amount has already gone up to the larger one: with “1.2亿元” in the text, “35000万元” should
  be “3.5亿元”, and with “8500万元”, “0.5亿元” should be “5000万元”. Not fixed: which way to
  unify is the writer's choice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from briefing.chars import is_han
from briefing.proofread.core import Finding, Segment
from briefing.proofread.text import snippet
from briefing.rules import (
    MIXED_NUMERALS,
    RANGE_DASH,
    RANGE_UNIT,
    SCALE,
)

CONNECTORS = "-－~～〜—–"
CONNECTOR_CLASS = re.escape(CONNECTORS)
NUMBER = r"\d+(?:\.\d+)?"
# A range of two Arabic numbers: the first starts where no digit, point or letter is before
# it (so “GB/T 9704-2012”, “A3-5”, “1.2-3” are not ranges), optionally with its own unit.
# A digit comes first so that ``re`` skips to candidates (see content.DATE).
RANGE = re.compile(
    rf"(\d(?<![\d.A-Za-z/_]\d)\d*(?:\.\d+)?)(%|‰|年|月|日|时|万|亿)?([{CONNECTOR_CLASS}])({NUMBER})"
    rf"(?![\d{CONNECTOR_CLASS}])"
)
# What may follow the second number of a time range, and of a numeric range.
TIME_UNIT = re.compile(r"年代|年度|学年|年|月|日|时(?!间)")
NUMERIC_UNIT = re.compile(
    r"%|‰|万|亿|个|元|人|家|户|名|次|项|件|台|辆|吨|亩|倍|岁|天|周|小时|分钟|分|秒|公里|千米|"
    r"米|厘米|毫米|平方米|平方公里|公顷|千克|公斤|克|度|℃|层|株|棵|头|只|所|批|期|届|篇|页|"
    r"条|座|处|套|间|张|份|级|年"
)
# A tilde between two Chinese characters that are not numerals (三～五年 is a numeric range).
TILDES = "~～〜"
TILDE = re.compile("[~～〜]")
NOT_PLACES = frozenset("零〇一二三四五六七八九十百千万亿两第")
TIME_LIMITS = {"月": (1, 12), "日": (1, 31), "时": (0, 24)}


# What a text needs for each group of rules to have anything to say: most have none of it.
# Each starts with a class of characters rarer than digits (a connector, a Chinese numeral)
# and checks the neighbours with assertions: ``re`` skips to the class quickly.
RANGE_HINT = re.compile(rf"[{CONNECTOR_CLASS}](?<=[0-9%‰年月日时万亿].)(?=[0-9])")
MULTIPLIER_CHARS = "十百千"


def check(segment: Segment) -> Iterator[Finding]:
    text = segment.masked.text
    if any(ch in text for ch in CONNECTORS):
        if RANGE_HINT.search(text):
            yield from ranges(segment)
        if any(ch in text for ch in TILDES):
            yield from place_ranges(segment)
    if any(ch in text for ch in MULTIPLIER_CHARS):
        yield from multiplied(segment)
    if "年" in text:
        yield from mixed_years(segment)
    if "万" in text and "亿" in text:
        yield from scales(segment)


# --------------------------------------------------------------------------- ranges


def _range_kind(first: str, first_unit: str | None, second: str, unit: str) -> str | None:
    """``time``, ``numeric`` or ``None`` (not a range this rule judges) for the range
    ``first[first_unit]—second`` followed by *unit*."""
    time_units = ("年", *TIME_LIMITS)
    if first_unit in time_units:  # 2018年-2020年, 3月5日-8日
        return "time" if unit in time_units else None
    if first_unit:  # 10%-20%, 3万-5万元
        return (
            "numeric" if unit not in time_units and unit not in ("年代", "年度", "学年") else None
        )
    if unit in ("年代", "年度", "学年"):
        return "time"
    if unit == "年":
        years = [len(n) == 4 and n.isdigit() and 1000 <= int(n) <= 2999 for n in (first, second)]
        if all(years):
            return "time"  # 2018-2020年
        return None if any(years) else "numeric"  # 3-5年 is a duration; 2018-19年 C303's
    if unit in TIME_LIMITS:
        low, high = TIME_LIMITS[unit]
        valid = first.isdigit() and second.isdigit() and low <= int(first) < int(second) <= high
        return "time" if valid else None
    return "numeric"


def ranges(segment: Segment) -> Iterator[Finding]:
    text = segment.masked.text
    original = segment.text
    for match in RANGE.finditer(text):
        first, first_unit, connector, second = match.groups()
        after = match.end()
        unit_match = TIME_UNIT.match(text, after) or NUMERIC_UNIT.match(text, after)
        if unit_match is None:
            continue
        unit = unit_match.group()
        kind = _range_kind(first, first_unit, second, unit)
        if unit == "日" and text.startswith("内", unit_match.end()):
            kind = None  # 5-7日内: days to count or dates? the writer knows
        if kind == "numeric" and Decimal(first) >= Decimal(second):
            kind = None  # not a range (202—0年 is a garbled year)
        if kind is None:
            continue
        position = match.start(3)
        shown = snippet(original, match.start(), unit_match.end(), 2)
        want = "—" if kind == "time" else "～"
        if connector != want:
            what = "时间的起止用一字线“—”" if kind == "time" else "数值范围用浪纹线“～”"
            yield Finding(
                RANGE_DASH.code,
                position,
                position + 1,
                f"“{shown}”：{what}，不用“{connector}”",
                want,
            )
        if kind == "numeric" and not first_unit:
            lost = _lost_unit(text, after)
            if lost:
                measure = NUMERIC_UNIT.match(text, after + len(lost))
                tail = measure.group() if measure and lost in ("万", "亿", "万亿") else ""
                right = f"{first}{lost}{want}{second}{lost}{tail}"
                yield Finding(
                    RANGE_UNIT.code,
                    match.start(1),
                    match.end(1),
                    f"“{shown}”：数值范围两端的“{lost}”都要写出，应为“{right}”",
                    first + lost,
                )


def _lost_unit(text: str, after: int) -> str | None:
    """The %, ‰, 万 or 亿 the second number of a range carries (``万亿`` included)."""
    for unit in ("万亿", "%", "‰", "万", "亿"):
        if text.startswith(unit, after):
            return unit
    return None


def place_ranges(segment: Segment) -> Iterator[Finding]:
    text = segment.masked.text
    for match in TILDE.finditer(text):
        position = match.start()
        if not 0 < position < len(text) - 1:
            continue
        ch, before, after = text[position], text[position - 1], text[position + 1]
        if not (is_han(before) and is_han(after)) or before in NOT_PLACES or after in NOT_PLACES:
            continue
        yield Finding(
            RANGE_DASH.code,
            position,
            position + 1,
            f"“{snippet(segment.text, position, position + 1)}”：汉字之间不用浪纹线“{ch}”"
            "（它只用于数值范围）；地点、时间的起止用一字线“—”",
        )


# --------------------------------------------------------------------------- mixed numerals

MULTIPLIERS = {"十": 10, "百": 100, "千": 1000}
# Digits with 十/百/千 as a multiplier: only where what follows shows it is a number (a digit,
# 万/亿, 余/多/几 or a measure word); 千米 千克 千瓦 … are units, 百分 and 十分 words.
DIGIT_MULTIPLIER = re.compile(
    r"(\d(?<![\d.]\d)\d*(?:\.\d+)?)(?:"
    r"(千)(?![米克瓦伏帕卡焦赫兆升牛欧])(?=[0-9万亿余多几个元人家户名次项件台辆吨亩])"
    r"|(百)(?=[0-9万亿余多几个元人家户名次项件台辆吨亩米])"
    r"|(十)(?=[0-9万亿余多几])"
    r")"
)
CN_MULTIPLIER_DIGIT = re.compile(r"[十百千](?=[0-9])")
# A year written in both forms: four numerals before 年, neither all Arabic nor all Chinese.
# It starts with 年, which ``re`` finds quickly; the numerals are checked looking back.
MIXED_YEAR = re.compile(
    r"年(?<=[0-9〇○零一二三四五六七八九]{4}年)(?<![0-9]{4}年)(?<![〇○零一二三四五六七八九]{4}年)"
)
CN_DIGITS = frozenset("〇○零一二三四五六七八九")
CN_NUMERALS = CN_DIGITS | frozenset("两十百千")


def multiplied(segment: Segment) -> Iterator[Finding]:
    """Digits with 十/百/千 (3千, 5百余), and 十/百/千 followed by a digit (三十5)."""
    text = segment.masked.text
    original = segment.text
    for match in DIGIT_MULTIPLIER.finditer(text):
        digits = match.group(1)
        multiplier = match.group(2) or match.group(3) or match.group(4)
        start, end = match.span()
        value = Decimal(digits) * MULTIPLIERS[multiplier]
        fix = None
        whole = not text[end : end + 1].isdigit() and text[start - 1 : start] not in MULTIPLIERS
        if value == value.to_integral_value() and whole:  # not part of 3千8百: no sure value
            fix = str(int(value))
        shown = snippet(original, start, end, 2)
        advice = f"应写作“{fix}”" if fix else "应全部用阿拉伯数字书写"
        yield Finding(
            MIXED_NUMERALS.code,
            start,
            end,
            f"“{shown}”：阿拉伯数字不与“{multiplier}”连用，“{digits}{multiplier}”{advice}（“万”“亿”可以）",
            fix,
        )
    for match in CN_MULTIPLIER_DIGIT.finditer(text):
        start = match.start()
        while start and text[start - 1] in CN_NUMERALS:
            start -= 1
        end = match.end() + 1
        yield Finding(
            MIXED_NUMERALS.code,
            start,
            end,
            f"“{snippet(original, start, end, 2)}”：一个数中汉字数字与阿拉伯数字混用，请统一写法",
        )


def mixed_years(segment: Segment) -> Iterator[Finding]:
    """二0一九年, 2〇19年: a year in both forms."""
    text = segment.masked.text
    for match in MIXED_YEAR.finditer(text):
        start, end = match.start() - 4, match.start()
        if start and (text[start - 1].isdigit() or text[start - 1] in CN_DIGITS):
            continue  # more than four numerals: not a year
        year = text[start:end]
        yield Finding(
            MIXED_NUMERALS.code,
            start,
            end,
            f"“{year}年”中汉字数字与阿拉伯数字混用，应统一写作“{_digits(year)}年”",
        )


def _digits(year: str) -> str:
    return year.translate(str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9"))


# --------------------------------------------------------------------------- 万/亿

AMOUNT = re.compile(
    r"(\d(?<![\d.]\d)\d*(?:\.\d+)?)(万亿|万|亿)"
    r"(美元|元|人次|人|户|吨|平方米|平方公里|立方米|亩|公里|千瓦时|千瓦|册|件|辆|株|头|只|套|家|个)"
)
SCALES = {"万": 4, "亿": 8, "万亿": 12}


def scales(segment: Segment) -> Iterator[Finding]:
    text = segment.masked.text
    original = segment.text
    amounts: dict[str, list[tuple[Decimal, str, re.Match[str]]]] = {}
    for match in AMOUNT.finditer(text):
        number, scale, unit = match.groups()
        amounts.setdefault(unit, []).append((Decimal(number), scale, match))
    for unit, found in amounts.items():
        used = {scale for _, scale, _ in found}
        if len(used) < 2:
            continue
        for value, scale, match in found:
            better = _better_scale(value, scale, used)
            if better is None:
                continue
            new_scale, new_value = better
            written = original[match.start() : match.end()]
            yield Finding(
                SCALE.code,
                match.start(),
                match.end(),
                f"“{written}”：同一篇中其他“{unit}”数额已用“{new_scale}”作单位，"
                f"宜统一写作“{_plain(new_value)}{new_scale}{unit}”",
            )


def _better_scale(value: Decimal, scale: str, used: set[str]) -> tuple[str, Decimal] | None:
    """The scale *value* in *scale* should be written in, when the text uses it already."""
    power = SCALES[scale]
    for other, other_power in SCALES.items():
        if other not in used or other == scale:
            continue
        if other_power > power and value >= Decimal(10) ** (other_power - power):
            return other, value / Decimal(10) ** (other_power - power)
        if other_power < power and value < 1:
            return other, value * Decimal(10) ** (power - other_power)
    return None


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
