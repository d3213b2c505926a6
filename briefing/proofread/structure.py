"""Structure rules (S2xx): the numbering authors type themselves.

GB/T 9704 §7.3.3: 结构层次序数依次用“一、”“（一）”“1.”“（1）”. Headings come from
``Article.blocks`` (``Heading.level`` is relative: 1 = the article's shallowest level); their
text and position come from the masked body. Numbering restarts under each parent heading.
Paragraphs that open with a number (“（一）加强组织领导。……” — the run-in headings 公文 use
for the lower levels) are checked the same way within each section. 一是…二是… and 第一，…
第二，… enumerations must count up without gaps or repeats within a section; ``一是`` starts a
new enumeration.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from briefing.model import Block, Heading
from briefing.proofread.core import Finding, Segment
from briefing.proofread.text import OPAQUE, SKIP, Scope, char_at, prev_index
from briefing.rules import (
    DIYI,
    MIXED,
    NUMBER_PUNCT,
    SEQUENCE,
    YISHI,
)

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERAL = "[一二三四五六七八九十]"
CN = CN_NUMERAL + "{1,3}"
NUMBER = re.compile(
    rf"[（(](?P<pcn>{CN})[）)](?P<pcn_x>[、.．，,])?"
    rf"|[（(](?P<pnum>\d{{1,2}})[）)](?P<pnum_x>[、.．，,])?"
    rf"|(?P<cn>{CN})(?P<cn_p>[、.．])(?![一二三四五六七八九十])"
    r"|(?P<num>\d{1,2})(?P<num_p>[.．、])(?![\d.．])"
    r"|(?P<circ>[①-⑳])"
)
# Every character NUMBER can start with (besides digits, \d = str.isdecimal), and what may
# come before a number: most paragraphs start with neither, and then skip the regex.
NUMBER_STARTS = frozenset("（(一二三四五六七八九十" + "".join(map(chr, range(0x2460, 0x2474))))
LEADING = frozenset(f" \t\u3000{SKIP}")
RANK = {"cn": 1, "pcn": 2, "num": 3, "pnum": 4, "circ": 5}
# {CN} unrolled so that the pattern starts with a class (``re`` skips to candidates faster)
YISHI_RE = re.compile(rf"({CN_NUMERAL}{CN_NUMERAL}{{0,2}})是")
DIYI_RE = re.compile(rf"第({CN})(?=[，、：,:])")
BOUNDARY = frozenset("，。；：！？、（“”‘’—…,;:!?( \t\n\u3000" + OPAQUE)


@lru_cache(maxsize=4096)  # a few hundred numerals a check, each looked up many times
def cn_number(text: str) -> int | None:
    """一 … 九十九 → int; None for anything else (一一, 十十)."""
    if not text or any(ch not in CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return CN_DIGITS[text] if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if "十" in units or len(tens) > 1 or len(units) > 1:
        return None
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[units] if units else 0)


def cn_text(n: int) -> str:
    digits = "一二三四五六七八九"
    if n < 10:
        return digits[n - 1]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else digits[tens - 1]) + "十" + (digits[units - 1] if units else "")


def label(form: str | None, n: int) -> str:
    return {
        "cn": f"{cn_text(n)}、",
        "pcn": f"（{cn_text(n)}）",
        "num": f"{n}.",
        "pnum": f"（{n}）",
        "circ": chr(0x2460 + n - 1),
        None: "（无序号）",
    }[form]


@dataclass(frozen=True, slots=True)
class Number:
    form: str
    value: int
    start: int  # offset of the number in the segment
    end: int
    written: str  # as the author wrote it


def parse_number(text: str, start: int, end: int) -> tuple[Number | None, Finding | None]:
    """The number opening ``text[start:end]`` (masked), and an S203 finding for wrong marks."""
    i = start
    while i < end and text[i] in LEADING:
        i += 1
    if i == end or not (text[i] in NUMBER_STARTS or text[i].isdecimal()):
        return None, None
    clean = text[i : min(end, i + 12)].replace(SKIP, "")
    match = NUMBER.match(clean)
    if not match:
        return None, None
    assert match.lastgroup is not None  # every branch of NUMBER ends in a named group
    form = match.lastgroup.partition("_")[0]  # pcn_x, cn_p …: the form's own mark
    raw = match.group(form)
    value = (
        cn_number(raw)
        if form in ("cn", "pcn")
        else (ord(raw) - 0x245F if form == "circ" else int(raw))
    )
    if not value:
        return None, None
    written = match.group()
    number = Number(form, value, i, i + len(written), written)
    problem = None
    extra = match.group(f"{form}_x") if form in ("pcn", "pnum") else None
    punct = match.group(f"{form}_p") if form in ("cn", "num") else None
    # label() formats every form: only a wrong mark needs the right one spelled out
    if extra:
        problem = (
            f"序号“{written}”多了“{extra}”：括号序号后不再加标点，应写作“{label(form, value)}”"
        )
    elif form == "num" and punct == "、":
        problem = (
            f"序号“{written}”应写作“{label(form, value)}”：阿拉伯数字序号后用下脚点“.”，不用顿号"
        )
    elif form == "cn" and punct in (".", "．"):
        problem = f"序号“{written}”应写作“{label(form, value)}”：汉字数字序号后用顿号“、”"
    finding = Finding(NUMBER_PUNCT.code, number.start, number.end, problem) if problem else None
    return number, finding


def check(segment: Segment, blocks: Sequence[Block]) -> Iterator[Finding]:
    text = segment.masked.text
    scopes = sorted(segment.masked.scopes, key=lambda s: s.start)
    levels = _heading_levels(segment, scopes, blocks)
    headings: list[tuple[int, Number | None, Scope]] = []
    for scope in scopes:
        if scope.kind == "heading" and scope.start in levels:
            number, problem = parse_number(text, scope.start, scope.end)
            if problem:
                yield problem
            headings.append((levels[scope.start], number, scope))
    yield from _heading_forms(headings)
    yield from _heading_sequence(headings)
    yield from _sections(segment, scopes)


def _heading_levels(
    segment: Segment, scopes: Sequence[Scope], blocks: Sequence[Block]
) -> dict[int, int]:
    """Offset of each heading scope → relative level (from the blocks, else from the ``#``s)."""
    by_line = {b.line: b.level for b in blocks if isinstance(b, Heading)}
    raw = segment.text
    levels: dict[int, int] = {}
    hashes: dict[int, int] = {}
    locate = segment.source.locator()
    for scope in scopes:
        if scope.kind != "heading":
            continue
        line = locate(scope.start)[0]
        if line in by_line:
            levels[scope.start] = by_line[line]
        elif not by_line:
            line_start = raw.rfind("\n", 0, scope.start) + 1
            count = len(raw[line_start : scope.start].strip(" >"))
            hashes[scope.start] = count or (1 if raw[scope.end + 1 : scope.end + 2] == "=" else 2)
    if hashes:
        top = min(hashes.values())
        levels.update({k: min(v - top + 1, 4) for k, v in hashes.items()})
    return levels


def _heading_forms(headings: Sequence[tuple[int, Number | None, Scope]]) -> Iterator[Finding]:
    by_level: dict[int, list[tuple[Number | None, Scope]]] = {}
    for level, number, scope in headings:
        by_level.setdefault(level, []).append((number, scope))
    majority: dict[int, str | None] = {}
    for level, items in by_level.items():
        counts = Counter(n.form if n else None for n, _ in items)
        best = max(counts.values())
        majority[level] = next(
            f for f in (n.form if n else None for n, _ in items) if counts[f] == best
        )
        want = majority[level]
        example = next((n for n, _ in items if (n.form if n else None) == want), None)
        shown = f"“{example.written}”" if example else "不加序号"
        for number, scope in items:
            form = number.form if number else None
            if form == want:
                continue
            start = number.start if number else scope.start
            end = number.end if number else scope.start + 1
            this = f"“{number.written}”" if number else "没有序号"
            yield Finding(
                MIXED.code,
                start,
                end,
                f"同级标题的序号形式应一致：本级其他标题{shown}，这个标题{this}",
            )
    for level in sorted(by_level):
        parent, child = majority.get(level - 1), majority.get(level)
        if parent and child and RANK[child] <= RANK[parent]:
            number = next(n for n, _ in by_level[level] if n and n.form == child)
            yield Finding(
                MIXED.code,
                number.start,
                number.end,
                f"标题层次序数颠倒：上一级用“{label(parent, 1)}”，这一级却用“{number.written}”；"
                "应依次用“一、”“（一）”“1.”“（1）”",
            )


def _heading_sequence(headings: Sequence[tuple[int, Number | None, Scope]]) -> Iterator[Finding]:
    last: dict[int, Number] = {}
    for level, number, _ in headings:
        for deeper in [k for k in last if k > level]:
            del last[deeper]  # numbering restarts under each parent
        if number is None:
            last.pop(level, None)
            continue
        previous = last.get(level)
        if previous is None or previous.form != number.form:
            if previous is None and number.value != 1:
                yield _first_problem(number, "标题")
        elif problem := _step_problem(previous, number):
            yield problem
        last[level] = number


def _first_problem(number: Number, what: str) -> Finding:
    return Finding(
        SEQUENCE.code,
        number.start,
        number.end,
        f"本层第一个{what}的序号应为“{label(number.form, 1)}”，这里是“{number.written}”",
    )


def _step_problem(previous: Number, number: Number) -> Finding | None:
    if number.value == previous.value + 1:
        return None
    want = label(number.form, previous.value + 1)
    if number.value == previous.value:
        text = f"序号“{number.written}”与上一个重复，应为“{want}”"
    else:
        text = f"序号不连续：上一个是“{previous.written}”，这里是“{number.written}”，应为“{want}”"
    return Finding(SEQUENCE.code, number.start, number.end, text)


def _sections(segment: Segment, scopes: Sequence[Scope]) -> Iterator[Finding]:
    """Run-in numbers at paragraph starts and 一是/第一 enumerations, section by section."""
    text = segment.masked.text
    runin: dict[str, Number] = {}
    yishi: list[int | None] = [None]
    diyi: list[int | None] = [None]
    for scope in scopes:
        if scope.kind == "heading":
            runin.clear()
            yishi[0] = diyi[0] = None
            continue
        if scope.kind not in ("paragraph", "item", "quote"):
            continue
        if scope.kind == "paragraph":
            number, problem = parse_number(text, scope.start, scope.end)
            if problem:
                yield problem
            if number is not None:
                yishi[0] = diyi[0] = None
                for form in [f for f in runin if RANK[f] > RANK[number.form]]:
                    del runin[form]
                previous = runin.get(number.form)
                if previous is None:
                    if number.value != 1:
                        yield _first_problem(number, "段落")
                elif problem := _step_problem(previous, number):
                    yield problem
                runin[number.form] = number
        part = text[scope.start : scope.end]
        if "是" in part:
            yield from _enumeration(text, scope, YISHI_RE, yishi, YISHI.code, "{}是")
        if "第" in part:
            yield from _enumeration(text, scope, DIYI_RE, diyi, DIYI.code, "第{}")


def _enumeration(
    text: str,
    scope: Scope,
    pattern: re.Pattern[str],
    state: list[int | None],
    code: str,
    shape: str,
) -> Iterator[Finding]:
    for match in pattern.finditer(text, scope.start, scope.end):
        start = match.start()
        before = char_at(text, prev_index(text, start))
        if before and before not in BOUNDARY:
            continue  # 统一是, 全市第一，
        if code == YISHI.code and char_at(text, match.end()) in CN_DIGITS:
            continue  # 一是一，二是二
        value = cn_number(match.group(1))
        if value is None:
            continue
        written = shape.format(match.group(1))
        last = state[0]
        state[0] = value
        if value == 1 and last != 1:
            continue  # a new enumeration starts
        if last is None:
            yield Finding(
                code,
                start,
                match.end(),
                f"“{written}”之前没有“{shape.format('一')}”，序数应从“{shape.format('一')}”开始",
            )
        elif value == last:
            yield Finding(
                code,
                start,
                match.end(),
                f"“{written}”重复了，应为“{shape.format(cn_text(last + 1))}”",
            )
        elif value != last + 1:
            yield Finding(
                code,
                start,
                match.end(),
                f"序数跳号：“{shape.format(cn_text(last))}”之后是“{written}”，应为“{shape.format(cn_text(last + 1))}”",
            )
