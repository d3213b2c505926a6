"""Content rules (C3xx): dates, lengths, banned words, 供稿单位 written two ways.

Dates follow GB/T 9704 §7.3.5.4 and GB/T 15835: Arabic numerals, the year written in full,
no leading zeros (“2018年3月5日”, not “18年3月5日” or “2018年03月05日”). Two-digit years are
only flagged when a month follows (“18年3月”); “18年来” is a duration and fine. Digit runs
where 年/月 were lost (“2020810日”, “202011月份”, a year run into a month range “20191-3月”)
are flagged only when exactly the year/month/day reading makes sense, and the message
proposes it.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterator, Sequence

from briefing.model import Article, CheckSettings
from briefing.proofread.core import Finding, Segment
from briefing.proofread.text import FULLWIDTH_ALNUM, OPAQUE, SKIP
from briefing.rules import (
    BAD_DATE,
    BANNED,
    LEADING_ZERO,
    LONG_ARTICLE,
    LONG_TITLE,
    LOST_UNIT,
    SHORT_YEAR,
)

# Starting with a character class lets ``re`` skip to candidate positions; a pattern starting
# with an assertion is tried in full at every position. Hence a digit comes first and the "no
# digit or point before the number" test follows as a lookbehind over it (same matches).
DATE = re.compile(r"(\d(?<![\d.]\d)\d?)月(?:(\d{1,3})[日号])?(?!\d)")
YEAR_BEFORE = re.compile(r"(?<![\d.])(\d{4})年$")
FULLWIDTH_DIGIT = re.compile("[\uff10-\uff19]")
# Digits first, then the lookbehind, as DATE
SHORT = re.compile(r"(\d\d)(?<![\d.]\d\d)年(?=\d{1,2}月)")
RUN_DAY = re.compile(r"(?=\d)(?<![\d.])(\d{5,8})[日号]")
RUN_MONTH = re.compile(r"(?=\d)(?<![\d.])(\d{5,6})月")
YEAR_RUN_DAY = re.compile(r"(?=\d)(?<![\d.])(\d{4})年(\d{3,4})[日号]")
# A year run into a month range: 20191-3月 (2019年1—3月), 201911—12月
RUN_MONTH_RANGE = re.compile(r"(?=\d)(?<![\d.])(\d{5,6})([-－~～〜—–])(\d{1,2})月")
# What every match of the four patterns above holds: text without it skips lost_units.
RUN_BEFORE_UNIT = re.compile(r"\d\d\d(?:[日号月]|[-－~～〜—–]\d)")  # a class first, as above


def normalise_digits(text: str) -> str:
    """Full-width digits read as digits (length-preserving), so “２月３０日” is still checked."""
    return text.translate(FULLWIDTH_ALNUM)


def check(segment: Segment, checks: CheckSettings) -> Iterator[Finding]:
    text = segment.masked.text
    if FULLWIDTH_DIGIT.search(text):
        text = normalise_digits(text)
    if "月" in text or "年" in text:
        yield from dates(segment, text)
    if RUN_BEFORE_UNIT.search(text):
        yield from lost_units(segment, text)
    if checks.banned_words:
        yield from banned(segment, checks.banned_words)


DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # February: see _days


def _days(year: int | None, month: int) -> int:
    if month == 2:
        return 29 if year is None or calendar.isleap(year) else 28
    return DAYS_IN_MONTH[month - 1]


def plainly_valid(month: str, day: str | None) -> bool:
    """A month 1–12 and a day 1–28 (or none), without leading zeros: valid in every year, so
    ``dates`` has nothing to say about it (most dates an article holds)."""
    return (
        month[0] != "0"
        and 1 <= int(month) <= 12
        and (day is None or (day[0] != "0" and 1 <= int(day) <= 28))
    )


def dates(segment: Segment, text: str) -> Iterator[Finding]:
    original = segment.text
    for match in SHORT.finditer(text):
        year = match.group(1)
        yield Finding(
            SHORT_YEAR.code,
            match.start(),
            match.end(),
            f"“{original[match.start() : match.end() + 3]}”：年份应写全称，如“20{year}年”，不简写为“{year}年”",
        )
    for match in DATE.finditer(text):
        month_s, day_s = match.groups()
        if plainly_valid(month_s, day_s):
            continue
        year_match = YEAR_BEFORE.search(text, max(0, match.start() - 6), match.start())
        begin = year_match.start() if year_match else match.start()
        written = original[begin : match.end()]
        year = int(year_match.group(1)) if year_match else None
        month = int(month_s)
        for part, unit, group in ((month_s, "月", 1), (day_s, "日", 2)):
            if part and len(part) > 1 and part[0] == "0":
                yield Finding(
                    LEADING_ZERO.code,
                    match.start(group),
                    match.end(group),
                    f"“{written}”：月、日不编虚位，应写“{int(part)}{unit}”，不写“{part}{unit}”",
                )
        if not 1 <= month <= 12:
            yield Finding(
                BAD_DATE.code,
                match.start(1),
                match.end(1),
                f"“{written}”：没有{month}月，月份应为1—12",
            )
            continue
        if day_s is None:
            continue
        day = int(day_s)
        limit = _days(year, month)
        if not 1 <= day <= limit:
            when = f"{year}年{month}月" if year else f"{month}月"
            why = "（该年不是闰年）" if month == 2 and day == 29 else ""
            yield Finding(
                BAD_DATE.code,
                match.start(2),
                match.end(2),
                f"“{written}”：{when}没有{day}日{why}，最多{limit}日",
            )


def _valid(year: int, month: int, day: int | None = None) -> bool:
    if not (1900 <= year <= 2099 and 1 <= month <= 12):
        return False
    return day is None or 1 <= day <= _days(year, month)


def _splits(digits: str, year: int) -> list[str]:
    """Readings of *digits* as a month and a day of *year* (“8月10日”), one or two digits each."""
    out = []
    for k in range(1, len(digits)):
        m, d = digits[:k], digits[k:]
        if len(d) > 2 or len(m) > 2:
            continue
        if _valid(year, int(m), int(d)):  # also rejects a day or month 0 and a year out of range
            out.append(f"{int(m)}月{int(d)}日")
    return out


def lost_units(segment: Segment, text: str) -> Iterator[Finding]:
    original = segment.text
    found: list[tuple[int, int, list[str]]] = []
    for match in RUN_DAY.finditer(text):
        run = match.group(1)
        year = int(run[:4])
        found.append((match.start(), match.end(), [f"{year}年{s}" for s in _splits(run[4:], year)]))
    for match in RUN_MONTH.finditer(text):
        run = match.group(1)
        year, month = int(run[:4]), int(run[4:])
        if _valid(year, month):
            found.append((match.start(), match.end(), [f"{year}年{month}月"]))
    for match in YEAR_RUN_DAY.finditer(text):
        found.append((match.start(2), match.end(), _splits(match.group(2), int(match.group(1)))))
    for match in RUN_MONTH_RANGE.finditer(text):
        run, last = match.group(1), int(match.group(3))
        year, first = int(run[:4]), int(run[4:])
        if _valid(year, first) and first < last <= 12:
            found.append((match.start(), match.end(), [f"{year}年{first}—{last}月"]))
    for start, end, readings in found:
        if not readings:
            continue
        written = original[start:end]
        if len(readings) == 1:
            yield Finding(
                LOST_UNIT.code, start, end, f"“{written}”疑似漏写了“年”“月”，应为“{readings[0]}”"
            )
        else:
            options = "”或“".join(readings)
            yield Finding(
                LOST_UNIT.code, start, end, f"“{written}”疑似漏写了“年”“月”，应为“{options}”之一"
            )


def banned(segment: Segment, words: Sequence[str]) -> Iterator[Finding]:
    text = segment.masked.text.replace(
        SKIP, "\u0002"
    )  # keep offsets; emphasis splits a word anyway
    for word in sorted({w for w in words if w}, key=len, reverse=True):
        start = text.find(word)
        while start >= 0:
            yield Finding(
                BANNED.code,
                start,
                start + len(word),
                f"“{word}”在禁用词表中（briefing.yaml 的 checks.banned_words），请改写或删除",
            )
            start = text.find(word, start + len(word))


def title_length(segment: Segment, checks: CheckSettings) -> Iterator[Finding]:
    count = sum(1 for ch in segment.text if not ch.isspace())
    if count > checks.max_title_length:
        yield Finding(
            LONG_TITLE.code,
            0,
            1,
            f"标题共{count}字，超过了{checks.max_title_length}字的上限（checks.max_title_length），请精简",
        )


def article_length(segment: Segment, checks: CheckSettings) -> Iterator[Finding]:
    text = segment.masked.text
    count = len(text) - sum(text.count(ch) for ch in (" ", "\n", "\t", "\u3000", OPAQUE, SKIP))
    if count > checks.max_article_length:
        first = len(text) - len(text.lstrip())
        yield Finding(
            LONG_ARTICLE.code,
            first,
            first + 1,
            f"正文约{count}字，超过了{checks.max_article_length}字的上限（checks.max_article_length），请压缩篇幅",
        )


# --------------------------------------------------------------------------- 供稿单位

CN_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百]+")
NUMERALS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def _numeral_value(text: str) -> str:
    if all(ch in NUMERALS for ch in text):
        return "".join(str(NUMERALS[ch]) for ch in text)
    total, current = 0, 0
    for ch in text:
        if ch in NUMERALS:
            current = NUMERALS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
    return str(total + current)


def source_key(source: str) -> str:
    """Canonical form of a 供稿单位: width, whitespace and Chinese numerals normalised."""
    text = unicodedata.normalize("NFKC", source)
    text = re.sub(r"\s+", "", text)
    return CN_NUMERAL.sub(lambda m: _numeral_value(m.group()), text)


def source_variants(articles: Sequence[Article]) -> Iterator[tuple[Article, str, Article]]:
    """``(article, its source, article with the usual spelling)`` for every odd spelling."""
    groups: dict[str, list[Article]] = {}
    for article in articles:
        if article.source:
            groups.setdefault(source_key(article.source), []).append(article)
    for members in groups.values():
        spellings = [a.source for a in members]
        if len(set(spellings)) < 2:
            continue
        counts = {s: spellings.count(s) for s in spellings}
        best = max(counts.values())
        usual = next(s for s in spellings if counts[s] == best)
        model = next(a for a in members if a.source == usual)
        for article in members:
            if article.source != usual:
                yield article, str(article.source), model
