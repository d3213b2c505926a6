"""People register rules (C311, C312): leaders' names and titles as ``checks.people`` lists them.

A 领导参阅 bulletin must print every leader with the exact title. ``checks.people`` lists names
with the titles each may carry; nothing is checked without it.

* C311: a listed name printed next to a title that is not one of theirs (“区委副书记王建国” when
  王建国 is 区委书记; “王建国区长”). A printed title may be shortened from the front (“党工委副
  书记” for “高新区党工委副书记”, “书记” alone), but the title itself (副书记 is not 书记) and the
  body it belongs to (市委书记 is not 区委书记) must agree. Several titles joined by “、” before a
  name are each compared.
* C312: a name one character away from a listed one (“王建华” for 王建国) where the context makes
  it a person: next to a title or 同志, and either that title is the listed person's or the
  listed name appears in the same text. A name that is itself listed is never a slip.

Neither is fixed: only the editor knows who was meant.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from briefing.chars import is_han
from briefing.model import CheckSettings, Person
from briefing.proofread.core import Finding, Segment
from briefing.proofread.text import snippet
from briefing.rules import (
    PERSON_NAME,
    PERSON_TITLE,
)

TITLE_WORDS = (
    "书记|主任|区长|县长|市长|省长|州长|镇长|乡长|村长|局长|部长|厅长|处长|科长|股长|组长|队长|"
    "所长|院长|校长|主席|委员|常委|秘书长|调研员|巡视员|指挥长|总指挥|总经理|经理|董事长|理事长|"
    "会长|社长|馆长|站长|检察长|庭长|行长|署长|司长|主委|主编|总监|政委|专员"
)
# The title itself at the end of a printed title: 副书记, 常务副区长, 主任.
CORE = re.compile(rf"(?:常务)?(?:副|代)?(?:{TITLE_WORDS})$")
# A title anywhere (where C312 looks for names beside it); 同志 counts as one.
TITLE = re.compile(rf"(?:常务)?(?:副|代)?(?:{TITLE_WORDS})|同志")
# Characters that end the name of a body before a title: a title differing from a listed one
# right after one of these belongs to another body (市委书记 vs 区委书记).
BODY_ENDS = frozenset("委区县市省州镇乡村局部厅处科股组队所院校会社馆站庭行署司办室府政协大")
LONGEST_TITLE = 24


def check(segment: Segment, checks: CheckSettings) -> Iterator[Finding]:
    if not checks.people:
        return
    yield from titles(segment, checks.people)
    yield from near_names(segment, checks.people)


# --------------------------------------------------------------------------- titles


def core(title: str) -> str | None:
    match = CORE.search(title)
    return match.group() if match else None


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def compatible(printed: str, title: str) -> bool:
    """Whether *printed* (the text before a name, ending with a title) may stand for
    *title*: the same title word, and the same body as far as both are written."""
    printed_core = core(printed)
    if printed_core is None or printed_core != core(title):
        return False
    shared = _common_suffix(printed, title)
    if shared in (len(printed), len(title)):
        return True
    return printed[len(printed) - shared - 1] not in BODY_ENDS


def titles_before(text: str, start: int) -> list[str]:
    """The titles printed right before *start*: a run of Chinese characters, split at “、”
    (区委副书记、区长李明); each piece that ends with a title word."""
    pieces: list[str] = []
    end = start
    while True:
        begin = end
        while begin > 0 and end - begin < LONGEST_TITLE and is_han(text[begin - 1]):
            begin -= 1
        piece = text[begin:end]
        if not piece or core(piece) is None:
            break
        pieces.append(piece)
        if begin > 0 and text[begin - 1] == "、":
            end = begin - 1
            continue
        break
    return pieces


def title_after(text: str, end: int) -> str | None:
    match = TITLE.match(text, end)
    if match is None or match.group() == "同志":
        return None
    return match.group()


# What commonly follows a name in 公文 (a verb of reporting, a particle, a conjunction): a
# two-character name followed by any other Chinese character may be the start of a longer
# name (李明 in 李明华), which is another person.
NAME_FOLLOWERS = frozenset(
    "主强表指在出等说同讲带要参调介率到及和与对向为看检视慰督察会作发提听宣深来赴将也就都还已曾即又是的一"
)


def ends_a_name(text: str, end: int, length: int) -> bool:
    """Whether a name of *length* characters ending at *end* is not part of a longer one."""
    if length >= 3 or end >= len(text) or not is_han(text[end]):
        return True
    return text[end] in NAME_FOLLOWERS or title_after(text, end) is not None


def titles(segment: Segment, people: Sequence[Person]) -> Iterator[Finding]:
    text = segment.masked.text
    for person in people:
        if not person.titles:
            continue
        start = text.find(person.name)
        while start >= 0:
            end = start + len(person.name)
            if not ends_a_name(text, end, len(person.name)):
                start = text.find(person.name, end)
                continue
            printed = [*titles_before(text, start)]
            after = title_after(text, end)
            wrong = [p for p in printed if not any(compatible(p, t) for t in person.titles)]
            if after is not None and not any(after == core(t) for t in person.titles):
                wrong.append(after)
            for title in map(_shown_title, wrong):
                yield Finding(
                    PERSON_TITLE.code,
                    start,
                    end,
                    f"“{snippet(segment.text, start, end, 6)}”：人员名录中{person.name}的职务是"
                    f"“{'”“'.join(person.titles)}”，文中写作“{title}”，请核对",
                )
            start = text.find(person.name, end)


def _shown_title(printed: str) -> str:
    """*printed* without the words before the title (“会议由区委书记” → “区委书记”)."""
    title_core = core(printed) or ""
    cut = max(printed.rfind(ch) for ch in FUNCTION_CHARS) + 1
    return printed[cut:] if len(printed) - cut >= len(title_core) else printed


FUNCTION_CHARS = "由在与对向请据被将把的了及和为是"


# --------------------------------------------------------------------------- names


def _one_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def near_names(segment: Segment, people: Sequence[Person]) -> Iterator[Finding]:
    text = segment.masked.text
    listed = {p.name for p in people}
    lengths = sorted({len(name) for name in listed})
    reported: set[int] = set()
    for match in TITLE.finditer(text):
        word = match.group()
        for length in lengths:
            # a name after a title (书记王建华), or before a title or 同志 (王建华书记)
            spots = [(match.start() - length, "before")]
            if word != "同志":
                spots.append((match.end(), "after"))
            for start, side in spots:
                candidate = text[start : start + length] if start >= 0 else ""
                if (
                    len(candidate) != length
                    or candidate in listed
                    or start in reported
                    or not all(is_han(ch) for ch in candidate)
                    or not ends_a_name(text, start + length, length)
                ):
                    continue
                for person in people:
                    if not _one_apart(candidate, person.name):
                        continue
                    if not _named_here(text, person, side, match, start, word):
                        continue
                    reported.add(start)
                    end = start + length
                    yield Finding(
                        PERSON_NAME.code,
                        start,
                        end,
                        f"“{snippet(segment.text, start, end, 6)}”中的“{candidate}”与人员名录中的"
                        f"“{person.name}”只差一个字，请核对姓名",
                    )
                    break


def _named_here(
    text: str, person: Person, side: str, match: re.Match[str], start: int, word: str
) -> bool:
    """Whether the context points at *person*: the listed name elsewhere in the text, or a
    title beside the candidate that is one of theirs."""
    if person.name in text:
        return True
    if side == "after":
        printed = titles_before(text, match.end())
        return any(compatible(p, t) for p in printed for t in person.titles)
    return word != "同志" and any(word == core(t) for t in person.titles)
