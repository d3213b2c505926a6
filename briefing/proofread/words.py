"""Word rules: common 错别字 from a shipped list (C309) and misused words by context (C310).

The list (``words.txt`` beside this module, several hundred entries from published lists of
常见错别字) holds only forms that are wrong whatever surrounds them: idioms (“一愁莫展”) and
words of 公文 (“峻工”“台帐”). A short wrong form can still occur across a word boundary in
correct text (“形势严峻工作” holds “峻工”), so an entry may name longer *exceptions* in which
it is right. A workspace adds or overrides entries with ``checks.words`` and switches built-in
ones off with ``checks.words_off``. The fix (``--fix``) writes the right form.

Hundreds of entries are matched without trying each: every entry has an *anchor*, its least
common character by the ranking in ``chars.txt`` (the character the slip changed, as a rule),
or where even that is common, the anchor and its neighbour. A compiled class of the
one-character anchors and a class-pair pattern for the two-character ones find the candidate
positions in C; only there are the few entries of that anchor compared. On the benchmark's
1,000 real-length articles (2.2 million characters) that is ≈ 26,000 candidate positions,
and the cost barely grows with the list.

Pairs where only the context tells right from wrong (截止 / 截至, 反应 / 反映 …) are rules with
patterns of their own (``CONTEXT_RULES``); they are reported, never fixed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from briefing.model import CheckSettings
from briefing.proofread.core import Finding, Segment
from briefing.proofread.text import snippet
from briefing.rules import (
    MISUSED,
    TYPO,
)

# Package data beside this module (the wheel ships everything under briefing/): the list,
# and the frequency ranking of common characters that anchors are chosen by.
DATA_FILE = Path(__file__).with_name("words.txt")
CHARS_FILE = Path(__file__).with_name("chars.txt")
# An entry whose rarest character is among this many most common ones is looked for by that
# character and its neighbour (“至用” of 学以至用): on its own it would be found too often.
COMMON_ENOUGH = 1200


@cache
def char_ranks() -> dict[str, int]:
    """Character → rank (0 the most common) of ``chars.txt``; characters not listed are rarer."""
    lines = CHARS_FILE.read_text(encoding="utf-8").splitlines()
    chars = "".join(line.strip() for line in lines if not line.startswith("#"))
    return {ch: rank for rank, ch in enumerate(dict.fromkeys(chars))}


@dataclass(frozen=True, slots=True)
class Entry:
    wrong: str
    right: str
    exceptions: tuple[str, ...] = ()

    def excepted(self, text: str, start: int) -> bool:
        """Whether the occurrence at *start* lies inside one of the entry's exceptions."""
        for exception in self.exceptions:
            offset = exception.find(self.wrong)
            while offset >= 0:
                if start >= offset and text.startswith(exception, start - offset):
                    return True
                offset = exception.find(self.wrong, offset + 1)
        return False


def parse_entries(text: str) -> list[Entry]:
    """Entries of a word list: ``错误写法 正确写法 [例外…]`` per line, ``#`` comments."""
    entries = []
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) >= 2:
            entries.append(Entry(parts[0], parts[1], tuple(parts[2:])))
    return entries


@cache
def builtin_entries() -> tuple[Entry, ...]:
    """The shipped list (package data, read once per process)."""
    return tuple(parse_entries(DATA_FILE.read_text(encoding="utf-8")))


def anchor(entry: Entry) -> int:
    """Index in ``entry.wrong`` of its least common character (the one the right form lacks,
    where the slip is, when two are equally rare)."""
    wrong = entry.wrong
    ranks = char_ranks()

    def rarity(index: int) -> tuple[int, bool, int]:
        return (ranks.get(wrong[index], len(ranks)), wrong[index] not in entry.right, -index)

    return max(range(len(wrong)), key=rarity)


def anchor_key(entry: Entry) -> tuple[str, int]:
    """The text the matcher looks for (the anchor character, or when even that is common, the
    anchor with its neighbour) and its index in ``entry.wrong``."""
    index = anchor(entry)
    wrong = entry.wrong
    if char_ranks().get(wrong[index], COMMON_ENOUGH) >= COMMON_ENOUGH or len(wrong) == 1:
        return wrong[index], index
    if index + 1 < len(wrong):
        return wrong[index : index + 2], index
    return wrong[index - 1 : index + 1], index - 1


class WordList:
    """A compiled word list: ``find`` yields leftmost-longest, non-overlapping occurrences."""

    def __init__(self, entries: Sequence[Entry]):
        self.entries = {e.wrong: e for e in entries if e.wrong and e.right and e.wrong != e.right}
        self._at: dict[str, list[tuple[int, Entry]]] = {}
        for entry in self.entries.values():
            key, index = anchor_key(entry)
            self._at.setdefault(key, []).append((index, entry))
        self._anchors = _anchor_patterns(self._at)

    def find(self, text: str) -> Iterator[tuple[int, Entry]]:
        found: list[tuple[int, int, Entry]] = []
        at = self._at
        for pattern, width in self._anchors:
            for match in pattern.finditer(text):
                position = match.start()
                for index, entry in at.get(text[position : position + width], ()):
                    start = position - index
                    if start >= 0 and text.startswith(entry.wrong, start):
                        found.append((start, -len(entry.wrong), entry))
        if not found:
            return
        found.sort(key=lambda item: (item[0], item[1]))
        end = 0
        for start, negative_length, entry in found:
            if start < end or entry.excepted(text, start):
                continue
            end = start - negative_length
            yield start, entry


def _anchor_patterns(keys: Iterable[str]) -> list[tuple[re.Pattern[str], int]]:
    """``(pattern, width)``: a class of the one-character anchors, and for the two-character
    ones a class of their first characters followed by one of their second characters (a
    superset: the caller looks the pair up). Both start with a class, which ``re`` skips to
    quickly; an alternation of the pairs was several times slower."""
    singles = "".join(sorted(k for k in keys if len(k) == 1))
    pairs = [k for k in keys if len(k) == 2]
    patterns = []
    if singles:
        patterns.append((re.compile(f"[{re.escape(singles)}]"), 1))
    if pairs:
        firsts = "".join(sorted({k[0] for k in pairs}))
        seconds = "".join(sorted({k[1] for k in pairs}))
        patterns.append((re.compile(f"[{re.escape(firsts)}](?=[{re.escape(seconds)}])"), 2))
    return patterns


@cache
def word_list(extra: tuple[tuple[str, str], ...] = (), off: tuple[str, ...] = ()) -> WordList:
    """The built-in list with a workspace's ``checks.words`` (added or overriding) and
    without its ``checks.words_off``."""
    dropped = set(off)
    entries = {e.wrong: e for e in builtin_entries() if e.wrong not in dropped}
    for wrong, right in extra:
        wrong, right = wrong.strip(), right.strip()
        if wrong and right and wrong != right:
            entries[wrong] = Entry(wrong, right)
    return WordList(list(entries.values()))


def workspace_list(checks: CheckSettings) -> WordList:
    return word_list(tuple(checks.words), tuple(checks.words_off))


def check(segment: Segment, checks: CheckSettings) -> Iterator[Finding]:
    text = segment.masked.text
    for start, entry in workspace_list(checks).find(text):
        end = start + len(entry.wrong)
        yield Finding(
            TYPO.code,
            start,
            end,
            f"“{snippet(segment.text, start, end)}”中的“{entry.wrong}”是错别字，应为“{entry.right}”",
            entry.right,
        )
    yield from context_rules(segment)


# --------------------------------------------------------------------------- context


@dataclass(frozen=True, slots=True)
class ContextRule:
    """*word* is wrong where *pattern* (a regular expression matching the word itself, which
    it starts with) matches; *right* is the word to write there and *why* the reason."""

    word: str
    pattern: str
    right: str
    why: str


_NUMBER = "[0-9０-９〇零一二三四五六七八九十两]"
_TIME_POINT = (
    rf"{_NUMBER}+(?:年|月|日|号|时)|目前|当前|现在|今年|去年|本年|上年|今日|本月|上月|本周|"
    r"发稿|年底|年末|月底|月末|上半年|下半年|前三季度|[一二三四]季度|第[一二三四]季度"
)
CONTEXT_RULES = (
    ContextRule(
        "截止",
        rf"截止(?=(?:{_TIME_POINT}))",
        "截至",
        "后面是时间点时用“截至”（截至目前、截至11月底）；“截止”表示停止，用在时间之后或“截止日期”中",
    ),
    ContextRule(
        "截至",
        r"截至(?=日期|时间|期限|[。，；、！？）”\n]|$)",
        "截止",
        "“截至”后面要接时间点；表示到期停止用“截止”（截止日期、报名于5月底截止）",
    ),
    ContextRule(
        "反应",
        (
            r"反应(?<!不良反应)(?<!过敏反应)(?<!化学反应)(?<!连锁反应)(?<!应激反应)"
            r"(?<!免疫反应)(?<!生理反应)(?<!心理反应)(?=问题|诉求|意见|民意|社情|心声|呼声)"
        ),
        "反映",
        "把情况、意见告诉上级或有关部门用“反映”；“反应”指受到刺激后的变化",
    ),
    ContextRule(
        "渡过",
        (
            r"渡过(?=了?(?:一个|一段)?[^，。；：！？\n]{0,6}?"
            r"(?:春节|节日|假期|暑假|寒假|晚年|童年|一生|时光|岁月|周末|佳节|新年|余生))"
        ),
        "度过",
        "经过一段时间用“度过”；“渡过”用于跨越江河、难关",
    ),
    ContextRule(
        "度过",
        (r"度过(?=(?:了)?难关)"),
        "渡过",
        "越过困难、险阻用“渡过（难关）”；“度过”用于时间",
    ),
    ContextRule(
        "必需",
        (r"必需(?=[要把将对在以]|加强|做好|坚持|落实|严格|高度|进一步|认真|切实|按照|确保)"),
        "必须",
        "表示一定要（后接动作）用“必须”；“必需”表示不可缺少（必需品、所必需的）",
    ),
)
# Each rule's pattern starts with its word, so ``re`` skips to the word quickly; a text
# without the word is not scanned at all. (One pattern of all the rules, each in a named
# group, was tried at every position: 200 ms against 5 ms for the benchmark's articles.)
COMPILED_RULES = tuple((re.compile(rule.pattern), rule) for rule in CONTEXT_RULES)


def context_rules(segment: Segment) -> Iterator[Finding]:
    text = segment.masked.text
    for pattern, rule in COMPILED_RULES:
        if rule.word not in text:
            continue
        for match in pattern.finditer(text):
            start, end = match.span()
            yield Finding(
                MISUSED.code,
                start,
                end,
                f"“{snippet(segment.text, start, end)}”中的“{rule.word}”宜为“{rule.right}”：{rule.why}",
            )
