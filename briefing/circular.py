"""The words of the 信息采用情况通报: the report an office circulates on its bulletin's 采用.

``briefing stats --format docx|pdf`` prints the same numbers as its table, CSV, JSON and XLSX
(:mod:`briefing.stats`) as a short 通报 to the contributing units: a title, the addressee,
the overall figures, the units ranked by adopted articles and 批示 with a table, and the
issuer and date as a signature. Every printed string is decided here; the DOCX writer
(:mod:`briefing.render.report_docx`) only lays them out. Nothing reads the clock: the date
signed is the one given, else the end of the period, else the date of the latest issue
counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from briefing.errors import UsageError
from briefing.model import Settings
from briefing.numbering import date_text
from briefing.stats import GROUP_HEADERS, NO_SOURCE, GroupBy, Period, Stats

QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")
TOP = 3  # the units a 通报 names in its text: the first three
DEFAULT_ADDRESSEE = "各供稿单位"


@dataclass(frozen=True, slots=True)
class Circular:
    """Everything printed, in order."""

    title: str
    addressee: str  # 各有关部门：
    paragraphs: tuple[tuple[str, str], ...]  # (kind, text): kind "text" or "heading"
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # the last one is the 合计 row
    issuer: str
    date: dt.date
    date_text: str
    subject: str  # the document property: 信息采用情况通报


def circular(stats: Stats, settings: Settings, signed: dt.date | None = None) -> Circular:
    """The 通报 of *stats* for the workspace of *settings*, signed on *signed* (else on the
    last day of the period, else on the date of the latest issue counted)."""
    day = signed or stats.period.end or stats.latest
    if day is None:
        raise UsageError(
            "统计期间内没有期刊，无法确定通报的成文日期；请用 --date 指定，如 --date 2019-04-05"
        )
    phrase = period_phrase(stats.period, stats.latest)
    name = f"《{settings.name}》"
    title = f"关于{phrase}信息采用情况的通报"
    return Circular(
        title=title,
        addressee=f"{addressee(settings)}：",
        paragraphs=_paragraphs(stats, phrase, name),
        header=("序号", GROUP_HEADERS[stats.by], "采用篇数", "领导批示", "获批示篇数"),
        rows=_rows(stats),
        issuer=settings.issuer,
        date=day,
        date_text=date_text(day),
        subject="信息采用情况通报",
    )


def addressee(settings: Settings) -> str:
    """Whom the bulletin is sent to (its 版记's 发), else the contributing units at large."""
    sent = [text for label, text in settings.distribution if label in ("发", "送")]
    return sent[0] if sent else DEFAULT_ADDRESSEE


def period_phrase(period: Period, latest: dt.date | None = None) -> str:
    """2019年第一季度, 2019年上半年, 2019年, 2019年1月至5月, 2018年12月至2019年2月 …"""
    start, end = period.start, period.end
    if start is None and end is None:
        return "截至" + date_text(latest) if latest else ""
    if start is None:
        assert end is not None
        return "截至" + date_text(end)
    if end is None:
        return f"{_month(start) if start.day == 1 else date_text(start)}以来"
    if start.day == 1 and end == _month_end(end):
        return _whole_months(start, end)
    if start.year == end.year:
        return f"{date_text(start)}至{end.month}月{end.day}日"
    return f"{date_text(start)}至{date_text(end)}"


def _whole_months(start: dt.date, end: dt.date) -> str:
    if start.year == end.year:
        first, last = start.month, end.month
        if (first, last) == (1, 12):
            return f"{start.year}年"
        if (first, last) in ((1, 6), (7, 12)):
            return f"{start.year}年{'上' if first == 1 else '下'}半年"
        if first % 3 == 1 and last == first + 2:
            return f"{start.year}年{QUARTERS[first // 3]}"
        if first == last:
            return _month(start)
        return f"{start.year}年{first}月至{last}月"
    return f"{_month(start)}至{_month(end)}"


def _month(day: dt.date) -> str:
    return f"{day.year}年{day.month}月"


def _month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _paragraphs(stats: Stats, phrase: str, name: str) -> tuple[tuple[str, str], ...]:
    total = stats.total
    scope = "（仅统计已签发的期刊）" if stats.published_only else ""
    when = f"{phrase}，" if phrase else ""
    opening = f"现将{phrase}{name}信息采用情况通报如下。"
    if stats.issues == 0:
        overall = f"{when}{name}没有编发期刊{scope}。"
    else:
        instructed = (
            f"其中{total.instructed_articles}篇获领导批示，共{total.instructions}件"
            if total.instructions
            else "暂无领导批示"
        )
        overall = (
            f"{when}{name}共编发{stats.issues}期，采用各单位报送信息{total.adopted}篇，"
            f"{instructed}{scope}。"
        )
    out: list[tuple[str, str]] = [
        ("text", opening),
        ("heading", "一、总体情况"),
        ("text", overall),
    ]
    if stats.by is GroupBy.source:
        out.append(("heading", "二、各单位采用情况"))
        out += [("text", sentence) for sentence in _ranking(stats)]
        out.append(("text", "各单位采用篇数和获领导批示情况见下表（按采用篇数排序）。"))
    else:
        which = "各月" if stats.by is GroupBy.month else "各季度"
        out.append(("heading", f"二、{which}采用情况"))
        out.append(("text", f"{which}采用篇数和获领导批示情况见下表。"))
    out.append(("table", ""))
    out.append(("text", "请各单位对照通报情况，进一步做好信息报送工作。"))
    return tuple(out)


def _ranking(stats: Stats) -> list[str]:
    """The sentences naming the leading units: by 采用, then those with 批示."""
    named = [r for r in stats.rows if r.name != NO_SOURCE and r.adopted]
    sentences = []
    if named:
        first = named[:TOP]
        listed = "、".join(f"{r.name}（{r.adopted}篇）" for r in first)
        lead = "采用篇数居前的是" if len(named) > TOP else "采用信息的单位是"
        sentences.append(f"{lead}：{listed}。")
    instructed = sorted(
        (r for r in stats.rows if r.instructions and r.name != NO_SOURCE),
        key=lambda r: (-r.instructions, -r.adopted, r.name),
    )
    if instructed:
        listed = "、".join(f"{r.name}（{r.instructions}件）" for r in instructed)
        sentences.append(f"报送信息获领导批示的单位：{listed}。")
    return sentences


def _rows(stats: Stats) -> tuple[tuple[str, ...], ...]:
    rows = [
        (str(rank), r.name, str(r.adopted), str(r.instructions), str(r.instructed_articles))
        for rank, r in enumerate(stats.rows, start=1)
    ]
    total = stats.total
    rows.append(
        ("", "合计", str(total.adopted), str(total.instructions), str(total.instructed_articles))
    )
    return tuple(rows)
