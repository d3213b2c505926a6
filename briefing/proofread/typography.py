"""Typography rules (T1xx): punctuation and character forms of GB/T 15834 / GB/T 15835.

公文 practice, not tech-writing practice: no space between Chinese and digits ("26个项目"),
full-width ，。；：？！（） in Chinese text, “”‘’ quotes (single inside double), 《》 with 〈〉
inside, …… for the ellipsis and —— for the dash, half-width digits and letters.

Decisions documented here (and in each message):

* Half-width marks count as Chinese context when a Chinese character or full-width mark is
  next to them (a number in between is looked through: ``增长15%,`` is Chinese). Left alone:
  decimals and versions (``1.5倍``), times and ratios (``9:30``), thousands (``1,000``), the
  level-3 number ``1.``, file names and domains (``通知.docx``), URLs, code, English text.
* Repeated marks: any two adjacent 点号 (，。、；：？！) are flagged except ``？！`` (GB/T 15834
  allows it for a question said with force); ``！！`` and ``？？`` are not used in 公文.
* A single ``—`` between two words is a 连接号 (``2018—2020年``, ``北京—上海``) and is fine;
  anywhere else it is a half 破折号. ``……`` may be doubled (``…………``) for omitted paragraphs.
* A title ends without 。，；：、 (a title may end with ？！ ” 》 ） ……).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from briefing.chars import is_cjk, is_han
from briefing.proofread.core import Finding, Segment
from briefing.proofread.text import (
    CLOSERS,
    DIGITS,
    FULLWIDTH_ALNUM,
    LATIN,
    PAIRS,
    SKIP,
    char_at,
    next_index,
    prev_index,
    snippet,
)
from briefing.rules import (
    DASH,
    ELLIPSIS,
    FULLWIDTH,
    HALF_WIDTH,
    REPEATED,
    SPACE,
    STRAIGHT_QUOTE,
    TITLE_PUNCT,
    UNPAIRED,
)

FULL = {",": "，", ".": "。", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
NAMES = {
    ",": "逗号",
    ".": "句点",
    ";": "分号",
    ":": "冒号",
    "?": "问号",
    "!": "叹号",
    "(": "括号",
    ")": "括号",
}
# Every half-width mark, except where ``half_width`` would skip it whatever the masking around
# it: a digit on both sides of , or : (1,000 9:30), : before / (URLs), . after a digit or
# before a digit or Latin letter (1.5 1.加强 通知.docx), and . in a run of points. Each
# alternative starts with a literal, which lets ``re`` skip to candidate positions quickly.
HALF_MARK = re.compile(
    r";|\?|!"
    r"|,(?:(?<![0-9],)|(?![0-9]))"
    r"|:(?!/)(?:(?<![0-9]:)|(?![0-9]))"
    r"|\.(?<![.0-9]\.)(?![.0-9A-Za-z])"
)
PAREN = re.compile(r"[()（）]")
QUOTE = re.compile(r"[\"']")
PAIRED = re.compile(r"[“”‘’《》〈〉（）【】〔〕()]")
# A scope whose paired marks are only closed, un-nested “” 《》 （） 【】 〔〕 has nothing for
# ``unpaired`` to report (no half-width parenthesis, no ‘’ or 〈〉 to place): most paragraphs.
_UNPAIRED_TEXT = "[^“”‘’《》〈〉（）【】〔〕()]*"
FLAT_PAIRS = re.compile(
    rf"{_UNPAIRED_TEXT}(?:(?:“{_UNPAIRED_TEXT}”|《{_UNPAIRED_TEXT}》|（{_UNPAIRED_TEXT}）"
    rf"|【{_UNPAIRED_TEXT}】|〔{_UNPAIRED_TEXT}〕){_UNPAIRED_TEXT})*"
)
_ALNUM = r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"
_POINT = "[，。、；：？！]"
# The four rules (full-width letters and digits, repeated 点号, dots, dashes) as one pattern.
# It starts with a class of every character a rule can start with, so that ``re`` skips to
# those quickly (a pattern starting with an assertion or a group is tried at every position);
# a lookbehind at the first character then picks the rule, whose named group gives its kind.
# The matches are those of the four rules as alternatives (first characters are disjoint):
#   alnum  [ＡＢ１…](?:[ＡＢ１…]|．(?=[０-９]))*     points [，。、；：？！]{2,}
#   dots   \.{3,} | ．{3,} | ·{3,} | …+ | ⋯+        dashes -{2,} | —+ | ―+ | －{2,} | ─{2,} | –{2,}
CHARACTER_RULES = re.compile(
    r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a，。、；：？！.\uff0e·…⋯\-—―\uff0d─\u2013](?:"
    rf"(?P<alnum>(?<={_ALNUM})(?:{_ALNUM}|\uff0e(?=[\uff10-\uff19]))*)"
    rf"|(?P<points>(?<={_POINT}){_POINT}+)"
    r"|(?P<dots>(?<=\.)\.\.+|(?<=\uff0e)\uff0e\uff0e+|(?<=·)··+|(?<=…)…*|(?<=⋯)⋯*)"
    r"|(?P<dashes>(?<=-)-+|(?<=—)—*|(?<=―)―*|(?<=\uff0d)\uff0d+|(?<=─)─+|(?<=\u2013)\u2013+)"
    ")"
)
# A run of spaces not at the start of the text or of a line (indentation is layout, and
# ``_spaces`` would skip it): the first space is matched, then the character before it is
# checked, so that ``re`` can skip to spaces quickly (a leading lookbehind is tried everywhere).
SPACES = re.compile(r"[ \u3000\u00a0](?<=[^\n \u3000\u00a0][ \u3000\u00a0])[ \u3000\u00a0]*")
TITLE_END = "。，；：、.,;:"
NUMBER_CHARS = frozenset("0123456789.,%‰" + SKIP)


# (mark, whether we are inside its outer pair) -> advice on nesting quotes and title marks
_OUTER = {"“": "“", "‘": "“", "《": "《", "〈": "《"}
_NESTING_ADVICE = {
    ("“", True): "双引号里面再用引号，应改用单引号‘’",
    ("‘", False): "单引号‘’只用在双引号之内，一般引用请用双引号“”",
    ("《", True): "书名号里面再用书名号，应改用单书名号〈〉",
    ("〈", False): "单书名号〈〉只用在书名号《》之内，一般请用《》",
}


def check(segment: Segment, *, title: bool = False) -> Iterator[Finding]:
    """All typography findings of *segment*; *title*: it is a title (T109 applies)."""
    masked = segment.masked
    text = masked.text
    parens, normalised = paren_findings(segment)
    if any(ch in text for ch in ",.;:?!"):
        yield from half_width(segment, normalised)
    yield from parens
    if '"' in text or "'" in text:
        yield from straight_quotes(segment)
    yield from unpaired(segment, normalised)
    yield from _regex_rules(segment)
    if title:
        yield from title_punctuation(segment, 0, len(text))
    elif segment.is_body:
        for scope in masked.scopes:
            if scope.kind == "heading":
                yield from title_punctuation(segment, scope.start, scope.end)


def _word(ch: str) -> bool:
    return is_han(ch) or ch in DIGITS or ch in LATIN


def _context_before(text: str, index: int) -> str:
    """The character before *index*, looking through a number (``增长15%,`` → 长) and through
    straight quotes (``"一窗受理".`` → 理)."""
    ch = char_at(text, index)
    while ch in ('"', "'"):
        index = prev_index(text, index)
        ch = char_at(text, index)
    if ch in DIGITS or ch in "%‰":
        j = index
        while j >= 0 and text[j] in NUMBER_CHARS:
            j -= 1
        return char_at(text, j)
    return ch


def half_width(segment: Segment, normalised: dict[int, str]) -> Iterator[Finding]:
    text = segment.masked.text
    original = segment.text
    for match in HALF_MARK.finditer(text):
        i = match.start()
        ch = text[i]
        before = prev_index(text, i)
        pc = char_at(text, before)
        nc_adjacent = char_at(text, next_index(text, i))
        if ch in ",.:" and pc in DIGITS and nc_adjacent in DIGITS:
            continue  # 1.5倍, 9:30, 1,000
        if ch == "." and (pc in DIGITS or nc_adjacent in LATIN or nc_adjacent in DIGITS):
            continue  # 1.加强 (level-3 number), 通知.docx, gov.cn
        if ch == ":" and nc_adjacent == "/":
            continue
        nc = char_at(text, next_index(text, i, spaces=True))
        context = normalised.get(before) or _context_before(text, before)
        if not (is_cjk(context) or (ch != "." and is_cjk(nc))):
            continue
        full = FULL[ch]
        yield Finding(
            HALF_WIDTH.code,
            i,
            i + 1,
            f"“{snippet(original, i, i + 1)}”中的半角{NAMES[ch]}“{ch}”应改为全角“{full}”",
            full,
        )


def paren_findings(segment: Segment) -> tuple[list[Finding], dict[int, str]]:
    """Half-width parentheses in Chinese context (T101), matched as pairs so a fix keeps them
    balanced; also returns ``{offset: full-width form}`` for the balance check (T103)."""
    text = segment.masked.text
    original = segment.text
    findings: list[Finding] = []
    normalised: dict[int, str] = {}
    if "(" not in text and ")" not in text:
        return findings, normalised

    def flag(i: int, fix: bool) -> None:
        ch = text[i]
        normalised[i] = FULL[ch]
        tail = "" if fix else "，并检查括号是否成对"
        findings.append(
            Finding(
                HALF_WIDTH.code,
                i,
                i + 1,
                f"“{snippet(original, i, i + 1)}”中的半角括号“{ch}”应改为全角“{FULL[ch]}”{tail}",
                FULL[ch] if fix else None,
            )
        )

    for scope in segment.masked.scopes:
        stack: list[int] = []
        for match in PAREN.finditer(text, scope.start, scope.end):
            i = match.start()
            ch = text[i]
            if ch in "(（":
                stack.append(i)
                continue
            if not stack:
                if ch == ")" and (
                    is_cjk(char_at(text, prev_index(text, i)))
                    or is_cjk(char_at(text, next_index(text, i)))
                ):
                    flag(i, fix=False)
                continue
            opener = stack.pop()
            if text[opener] == "（" and ch == ")":
                flag(i, fix=True)
            elif text[opener] == "(" and ch == "）":
                flag(opener, fix=True)
            elif text[opener] == "(" and ch == ")":
                around = char_at(text, prev_index(text, opener, spaces=True)) + char_at(
                    text, next_index(text, i, spaces=True)
                )
                if any(is_cjk(c) for c in around) or any(is_han(c) for c in text[opener + 1 : i]):
                    flag(opener, fix=True)
                    flag(i, fix=True)
        for opener in stack:
            if text[opener] == "(" and (
                is_cjk(char_at(text, prev_index(text, opener)))
                or is_cjk(char_at(text, next_index(text, opener)))
            ):
                flag(opener, fix=False)
    return findings, normalised


def straight_quotes(segment: Segment) -> Iterator[Finding]:
    text = segment.masked.text
    original = segment.text
    for scope in segment.masked.scopes:
        seen = {'"': 0, "'": 0}
        for match in QUOTE.finditer(text, scope.start, scope.end):
            i = match.start()
            ch = text[i]
            pc = char_at(text, prev_index(text, i))
            nc = char_at(text, next_index(text, i))
            if ch == "'" and pc in LATIN and nc in LATIN:
                continue  # it's, Xi'an
            count = seen[ch]
            seen[ch] += 1
            if not (is_cjk(pc) or is_cjk(nc)):
                continue
            if ch == '"':
                want = "“" if count % 2 == 0 else "”"
                yield Finding(
                    STRAIGHT_QUOTE.code,
                    i,
                    i + 1,
                    f'“{snippet(original, i, i + 1)}”中用了直双引号 "，中文应使用弯引号（此处应为 {want}）',
                )
            else:
                want = "‘" if count % 2 == 0 else "’"
                yield Finding(
                    STRAIGHT_QUOTE.code,
                    i,
                    i + 1,
                    f"“{snippet(original, i, i + 1)}”中用了直单引号 '，中文应使用弯引号（此处应为 {want}），单引号只用在双引号之内",
                )


def unpaired(segment: Segment, normalised: dict[int, str]) -> Iterator[Finding]:
    """Unbalanced or wrongly nested “” ‘’ 《》 〈〉 （） 【】 〔〕, per paragraph/heading/item."""
    text = segment.masked.text
    original = segment.text
    for scope in segment.masked.scopes:
        if FLAT_PAIRS.fullmatch(text, scope.start, scope.end):
            continue
        stack: list[tuple[str, int]] = []
        # How many of each opener the stack holds, and how many crossed openers are still owed
        # a closer: counters, so a line of ten thousand “ is not a quadratic scan of the stack.
        inside: dict[str, int] = dict.fromkeys(PAIRS, 0)
        crossed: dict[str, int] = dict.fromkeys(PAIRS, 0)
        for match in PAIRED.finditer(text, scope.start, scope.end):
            i = match.start()
            ch = text[i]
            if ch in "()":
                if i not in normalised:
                    continue
                ch = normalised[i]
            if ch in PAIRS:
                outer = _OUTER.get(ch)
                advice = outer and _NESTING_ADVICE.get((ch, bool(inside[outer])))
                if advice:
                    yield Finding(
                        UNPAIRED.code, i, i + 1, f"“{snippet(original, i, i + 1)}”：{advice}"
                    )
                stack.append((ch, i))
                inside[ch] += 1
                continue
            opener = CLOSERS[ch]
            if stack and stack[-1][0] == opener:
                stack.pop()
                inside[opener] -= 1
            elif inside[opener]:
                while stack[-1][0] != opener:
                    inner, j = stack.pop()
                    inside[inner] -= 1
                    crossed[inner] += 1
                    yield Finding(
                        UNPAIRED.code,
                        j,
                        j + 1,
                        f"“{snippet(original, j, j + 1)}”中的“{inner}”在“{ch}”之前没有闭合：{inner}{PAIRS[inner]}与{opener}{ch}交叉嵌套",
                    )
                stack.pop()
                inside[opener] -= 1
            elif crossed[opener]:
                crossed[opener] -= 1  # its opener was reported as crossed already
            else:
                yield Finding(
                    UNPAIRED.code,
                    i,
                    i + 1,
                    f"“{snippet(original, i, i + 1)}”中多了一个“{ch}”，找不到与之配对的“{opener}”",
                )
        for ch, j in stack:
            yield Finding(
                UNPAIRED.code,
                j,
                j + 1,
                f"“{snippet(original, j, j + 1)}”中的“{ch}”没有对应的“{PAIRS[ch]}”",
            )


def _regex_rules(segment: Segment) -> Iterator[Finding]:
    text = segment.masked.text
    original = segment.text
    for match in CHARACTER_RULES.finditer(text):
        kind = match.lastgroup
        if kind == "alnum":
            old = match.group()
            new = old.translate(FULLWIDTH_ALNUM).replace("\uff0e", ".")
            yield Finding(
                FULLWIDTH.code, match.start(), match.end(), f"全角字符“{old}”应改为半角“{new}”", new
            )
        elif kind == "points":
            run = match.group()
            if run == "？！" or (set(run) == {"。"} and len(run) >= 3):
                if len(run) >= 3:
                    yield from _ellipsis(segment, match)
                continue
            what = "重复" if len(set(run)) == 1 else "连用"
            yield Finding(
                REPEATED.code,
                match.start(),
                match.end(),
                f"“{snippet(original, match.start(), match.end())}”中标点“{run}”{what}，应只保留一个（“？！”除外）",
            )
        elif kind == "dots":
            yield from _ellipsis(segment, match)
        else:
            yield from _dash(segment, match)
    if " " in text or "\u3000" in text or "\u00a0" in text:
        yield from _spaces(segment)


def _ellipsis(segment: Segment, match: re.Match[str]) -> Iterator[Finding]:
    text = segment.masked.text
    run = match.group()
    start, end = match.span()
    if run[0] == "…" and len(run) in (2, 4):
        return
    if run[0] in ".…":
        pc = char_at(text, prev_index(text, start, spaces=True))
        nc = char_at(text, next_index(text, end - 1, spaces=True))
        if not (is_cjk(pc) or is_cjk(nc)):
            return  # English text
    yield Finding(
        ELLIPSIS.code,
        start,
        end,
        f"“{snippet(segment.text, start, end)}”：省略号应写作“……”（两个“…”），不写“{run}”",
        "……",
    )


def _dash(segment: Segment, match: re.Match[str]) -> Iterator[Finding]:
    text = segment.masked.text
    run = match.group()
    start, end = match.span()
    pc = char_at(text, prev_index(text, start))
    nc = char_at(text, next_index(text, end - 1))
    if run == "——":
        return
    # a percentage ends a number, too: 10%—20% is a range (T110 asks for ～ there)
    connector = len(run) == 1 and (_word(pc) or pc in "%‰") and _word(nc)
    if run == "—" and connector:
        return  # 连接号: 2018—2020年, 北京—上海
    if run[0] == "-" and char_at(text, end) in LATIN:
        return  # a command-line option: --fix
    if run[0] in "-─–" and not (
        is_cjk(char_at(text, prev_index(text, start, spaces=True)))
        or is_cjk(char_at(text, next_index(text, end - 1, spaces=True)))
    ):
        return  # not Chinese text (--option, ASCII art)
    new = "—" if run == "―" and connector else "——"
    what = "连接号" if new == "—" else "破折号"
    yield Finding(
        DASH.code,
        start,
        end,
        f"“{snippet(segment.text, start, end)}”：{what}应写作“{new}”，不写“{run}”",
        new,
    )


def _spaces(segment: Segment) -> Iterator[Finding]:
    text = segment.masked.text
    # Table rows in file order (they do not overlap): bisected, not scanned per space.
    rows = [(s.start, s.end) for s in segment.masked.scopes if s.kind == "row"]
    row_starts = [a for a, _ in rows]
    for match in SPACES.finditer(text):
        start, end = match.span()
        before = prev_index(text, start)
        if before < 0 or text[before] == "\n" or end >= len(text) or text[end] == "\n":
            continue  # indentation and trailing spaces (hard breaks) are layout, not text
        if rows and _in_row(rows, row_starts, start):
            continue  # padded names in tables
        pc = text[before]
        nc = char_at(text, next_index(text, end - 1))
        if (
            (is_cjk(pc) and is_cjk(nc))
            or (is_han(pc) and nc in DIGITS)
            or (pc in DIGITS and is_han(nc))
        ):
            where = snippet(segment.text, start, end, 3)
            yield Finding(
                SPACE.code,
                start,
                end,
                f"“{where}”中有多余的空格：公文中汉字之间、汉字与数字或全角标点之间不加空格",
            )


def _in_row(rows: list[tuple[int, int]], row_starts: list[int], offset: int) -> bool:
    index = bisect_right(row_starts, offset) - 1
    return index >= 0 and offset < rows[index][1]


def title_punctuation(segment: Segment, start: int, end: int) -> Iterator[Finding]:
    text = segment.masked.text
    i = end - 1
    while i >= start and text[i] in f" \t\u3000{SKIP}":
        i -= 1
    if i >= start and text[i] in TITLE_END:
        mark = text[i]
        yield Finding(
            TITLE_PUNCT.code,
            i,
            i + 1,
            f"标题“{segment.text[start:end].strip()}”末尾不应加标点“{mark}”（问号、叹号、引号、书名号、括号除外）",
        )
