"""Where a paragraph of the printed edition breaks into lines, as LibreOffice and Word break it.

The model (measured against LibreOffice's PDF, see ``bench/linebreaks.py``): every CJK
character and full-width mark is one em wide, Latin letters and digits take their Times New
Roman advance (Liberation Serif on Linux has the same metrics), and 0.2 em of automatic space
separates CJK from Latin letters or digits. The run's character spacing (``w:spacing``) is
added after a character only when the next one on the line is of the same kind (CJK or
ASCII): LibreOffice spaces within a script portion, not at its end, nor at the end of a line
(measured: 一12345一 at -0.8 pt advances 16 + 3.2, 7.2 ×4, 8 + 3.2). Lines are filled greedily with unbreakable units: no line starts with
a closing mark (，。、；：？！”》）…), none ends with an opening one (“《（…), a word or number
of Latin characters stays whole unless a zero-width space allows a break, and two em dashes
(——) never part. LibreOffice breaks between two ellipses (……) and before a dash (measured),
so those may start a line.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

# Advances of the printable ASCII characters (space to ~) in Times New Roman, in 1/2048 em.
_TIMES = (
    512, 682, 836, 1024, 1024, 1706, 1593, 369, 682, 682, 1024, 1155, 512, 682, 512, 569,
    1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 569, 569, 1155, 1155, 1155,
    909, 1886, 1479, 1366, 1366, 1479, 1251, 1139, 1479, 1479, 682, 797, 1479, 1251, 1821,
    1479, 1479, 1139, 1479, 1366, 1139, 1251, 1479, 1479, 1933, 1479, 1479, 1251, 682, 569,
    682, 961, 1024, 682, 909, 1024, 909, 1024, 909, 682, 1024, 1024, 569, 569, 1024, 569,
    1593, 1024, 1024, 1024, 1024, 682, 797, 569, 1024, 1024, 1479, 1024, 1024, 909, 983, 410,
    983, 1108,
)  # fmt: skip
AUTOSPACE = 0.2  # em between CJK and Latin letters or digits (LibreOffice, measured)
ZERO_WIDTH_SPACE = "\u200b"
# no line starts with these (行首禁则) …
CLOSING = frozenset("，。、；：？！）》」』】〉〕”’％‰℃·,.;:?!)]}%")
# … and none ends with these (行尾禁则)
OPENING = frozenset("（《「『【〈〔“‘([{")
DASH = "\u2014"


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of one paragraph's text with one size and character spacing (points)."""

    text: str
    size: float
    spacing: float


def _is_cjk(ch: str) -> bool:
    return ch > "\u2e7f"


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


# Quotation marks are "weak": LibreOffice prints them in the Latin face (Times) at the start of
# a paragraph or after an ASCII character, in the CJK face after a CJK one (measured: a
# paragraph's opening “ advances 7.1 pt at 三号, not 16).
_WEAK_WIDTHS = {"\u2018": 682, "\u2019": 682, "\u201c": 909, "\u201d": 909}


def _latin_flags(chars: Sequence[str]) -> list[bool]:
    """Whether each character prints in the Latin face."""
    flags: list[bool] = []
    for ch in chars:
        if ch in _WEAK_WIDTHS:
            flags.append(flags[-1] if flags else True)
        else:
            flags.append(ch.isascii())
    return flags


def _advance(ch: str, size: float, latin: bool) -> float:
    if ch == ZERO_WIDTH_SPACE:
        return 0.0
    if " " <= ch <= "~":
        return _TIMES[ord(ch) - 32] * size / 2048
    if latin:
        return _WEAK_WIDTHS[ch] * size / 2048
    return size


def _breakable(before: str, after: str) -> bool:
    """Whether a line may end between *before* and *after*."""
    if after in CLOSING or before in OPENING:
        return False
    if before == ZERO_WIDTH_SPACE or before == " ":
        return True
    if after == " ":
        return False
    if before == DASH and after == DASH:
        return False
    # a word or number of Latin characters (URL, ID-123, 85.5) stays whole
    return not (before.isascii() and after.isascii())


class Measured:
    """The characters of a paragraph with their advances, the automatic space before each and
    the break opportunities between them."""

    def __init__(self, runs: Sequence[Run]) -> None:
        chars: list[str] = []
        spacings: list[float] = []
        sizes: list[float] = []
        for run in runs:
            for ch in run.text:
                chars.append(ch)
                spacings.append(run.spacing if ch != ZERO_WIDTH_SPACE else 0.0)
                sizes.append(run.size)
        n = len(chars)
        latin = _latin_flags(chars)
        advances = [
            _advance(ch, size, flag) for ch, size, flag in zip(chars, sizes, latin, strict=True)
        ]
        # the spacing after character i, when the next one is of its kind
        kerns = [spacings[i] if i + 1 < n and latin[i] == latin[i + 1] else 0.0 for i in range(n)]
        gaps = [0.0] * n  # the automatic space before character i
        for i in range(1, n):
            a, b = chars[i - 1], chars[i]
            if (_is_latin(a) and _is_cjk(b)) or (_is_cjk(a) and _is_latin(b)):
                gaps[i] = AUTOSPACE * max(sizes[i - 1], sizes[i])
        self.chars = chars
        self._kerns = kerns
        self._advance_sum = [0.0, *accumulate(a + k for a, k in zip(advances, kerns, strict=True))]
        self._gap_sum = [0.0, *accumulate(gaps)]
        self.breaks = [i for i in range(1, n) if _breakable(chars[i - 1], chars[i])]

    def width(self, start: int, end: int) -> float:
        """Width of characters [start, end) on one line (trailing spaces hang; the last
        character takes no spacing after it)."""
        while end > start and self.chars[end - 1] in " \u3000":
            end -= 1
        if end <= start:
            return 0.0
        advances = self._advance_sum[end] - self._advance_sum[start] - self._kerns[end - 1]
        return advances + self._gap_sum[end] - self._gap_sum[start + 1]


def line_breaks(runs: Sequence[Run], first_room: float, room: float) -> list[int]:
    """The index of the first character of every line after the first (points of room on
    the first line and on the others). A unit wider than a whole line breaks anywhere."""
    text = Measured(runs)
    n = len(text.chars)
    opportunities = [*text.breaks, n]
    starts: list[int] = []
    start = 0
    while True:
        available = (room if starts else first_room) + 0.01
        k = bisect_right(opportunities, start)
        best = None
        while k < len(opportunities) and text.width(start, opportunities[k]) <= available:
            best = opportunities[k]
            k += 1
        if best is None:  # even the first unit is too wide: break inside it
            best = start + 1
            while best < n and text.width(start, best + 1) <= available:
                best += 1
        if best >= n:
            return starts
        starts.append(best)
        start = best


def lines_of(runs: Sequence[Run], first_room: float, room: float) -> list[str]:
    """The text of every line (see :func:`line_breaks`)."""
    text = "".join(run.text for run in runs)
    cuts = [0, *line_breaks(runs, first_room, room), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(cuts)]
