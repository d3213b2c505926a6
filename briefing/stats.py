"""``briefing stats``: 信息采用 and 领导批示 counts per 供稿单位, month or quarter.

An article is *adopted* (采用) when it is in an issue of the register whose date falls in the
period; ``published_only`` counts signed issues (``published: true``) alone. 批示 counts the
``instructions`` entries of those articles (whatever the date of the instruction itself), and
获批示篇数 the articles with at least one. Variant unit names are merged through the ``units:``
alias map of ``briefing.yaml``. Rows are sorted by 采用, then 批示, then name, so the same
archive always gives the same table, CSV, JSON and workbook.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from briefing.errors import UsageError
from briefing.model import Article, Issue
from briefing.workspace import Workspace

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

NO_SOURCE = "（未署单位）"


class GroupBy(StrEnum):
    source = "source"
    month = "month"
    quarter = "quarter"


GROUP_HEADERS = {GroupBy.source: "供稿单位", GroupBy.month: "月份", GroupBy.quarter: "季度"}
COLUMNS = ("采用", "批示", "获批示篇数")


@dataclass(frozen=True, slots=True)
class Period:
    """Inclusive first and last day; ``None`` leaves that side open."""

    start: dt.date | None = None
    end: dt.date | None = None

    def __contains__(self, day: dt.date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    @property
    def label(self) -> str:
        if self.start is None and self.end is None:
            return "全部期刊"
        first = f"{self.start.year}年{self.start.month}月" if self.start else "最早"
        last = f"{self.end.year}年{self.end.month}月" if self.end else "最近"
        return first if first == last else f"{first}—{last}"


_MONTH = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def parse_period(start: str | None, end: str | None) -> Period:
    """``--from 2019-01 --to 2019-12`` (also ``2019`` or ``2019-01-15``) as a period."""
    period = Period(_bound(start, first=True), _bound(end, first=False))
    if period.start and period.end and period.start > period.end:
        raise UsageError(f"起始日期 {start} 晚于截止日期 {end}")
    return period


def _bound(text: str | None, *, first: bool) -> dt.date | None:
    if text is None:
        return None
    match = _MONTH.match(text.strip())
    try:
        if not match:
            raise ValueError(text)
        year, month, day = match.groups()
        if day:
            return dt.date(int(year), int(month), int(day))
        if month:
            start = dt.date(int(year), int(month), 1)
            return start if first else _month_end(start)
        return dt.date(int(year), 1, 1) if first else dt.date(int(year), 12, 31)
    except ValueError:
        raise UsageError(f"日期“{text}”格式不对，应写成 2019、2019-01 或 2019-01-15") from None


def _month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class StatsRow:
    name: str  # 供稿单位, or the month (2019-01) / quarter (2019年第1季度)
    adopted: int  # 采用
    instructions: int  # 批示
    instructed_articles: int  # 获批示篇数


@dataclass(frozen=True, slots=True)
class Stats:
    by: GroupBy
    period: Period
    published_only: bool
    rows: tuple[StatsRow, ...]
    issues: int  # issues counted
    latest: dt.date | None = None  # the date of the latest issue counted

    @property
    def total(self) -> StatsRow:
        return StatsRow(
            "合计",
            sum(r.adopted for r in self.rows),
            sum(r.instructions for r in self.rows),
            sum(r.instructed_articles for r in self.rows),
        )

    @property
    def title(self) -> str:
        scope = "（仅已签发）" if self.published_only else ""
        return f"信息采用情况统计（{self.period.label}）{scope}"


def unit_name(article: Article, aliases: dict[str, str]) -> str:
    source = " ".join((article.source or "").split())
    if not source:
        return NO_SOURCE
    return aliases.get(source, source)


def counted_articles(
    workspace: Workspace, period: Period, *, published_only: bool = False
) -> Iterable[tuple[Issue, Article]]:
    """Every (issue, article) the statistics count, in register order."""
    for loaded in workspace.issues:
        issue = loaded.issue
        if issue is None or issue.date not in period:
            continue
        if published_only and not issue.published:
            continue
        for article in loaded.articles:
            yield issue, article


def _group_key(by: GroupBy, issue: Issue, article: Article, aliases: dict[str, str]) -> str:
    if by is GroupBy.month:
        return f"{issue.date.year}-{issue.date.month:02d}"
    if by is GroupBy.quarter:
        return f"{issue.date.year}年第{(issue.date.month - 1) // 3 + 1}季度"
    return unit_name(article, aliases)


def compute_stats(
    workspace: Workspace,
    period: Period = Period(),
    *,
    by: GroupBy = GroupBy.source,
    published_only: bool = False,
) -> Stats:
    aliases = workspace.settings.units
    counts: dict[str, list[int]] = {}
    issues: set[str] = set()
    latest: dt.date | None = None
    for issue, article in counted_articles(workspace, period, published_only=published_only):
        issues.add(issue.id)
        latest = issue.date if latest is None else max(latest, issue.date)
        row = counts.setdefault(_group_key(by, issue, article, aliases), [0, 0, 0])
        row[0] += 1
        row[1] += len(article.instructions)
        row[2] += bool(article.instructions)
    rows = [StatsRow(name, *values) for name, values in counts.items()]
    if by is GroupBy.source:
        rows.sort(key=lambda r: (-r.adopted, -r.instructions, r.name))
    else:
        rows.sort(key=lambda r: r.name)
    return Stats(by, period, published_only, tuple(rows), len(issues), latest)


# --------------------------------------------------------------------------- output


def _header(stats: Stats) -> list[str]:
    return [GROUP_HEADERS[stats.by], *COLUMNS]


def _cells(row: StatsRow) -> list[str | int]:
    return [row.name, row.adopted, row.instructions, row.instructed_articles]


# What makes Excel, WPS or LibreOffice read a CSV cell as a formula (OWASP "CSV injection"):
# = + - @ and a leading tab or carriage return; their full-width forms too, as a precaution:
# a Chinese input method types them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def inert_cell(text: str) -> str:
    """*text* as a CSV cell no spreadsheet turns into a formula: one that starts (after any
    spaces) with a formula character gets a leading apostrophe, as OWASP recommends.

    Only text from the workspace (unit names, aliases) passes here; the counts are ours and
    stay numbers."""
    if text.startswith(FORMULA_START) or text.lstrip(" ").startswith(FORMULA_START):
        return "'" + text
    return text


def to_csv(stats: Stats) -> str:
    """CSV with a header row and no total; the caller adds a BOM for files Excel opens."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["序号", *_header(stats)])
    for rank, row in enumerate(stats.rows, start=1):
        name, *counts = _cells(row)
        writer.writerow([rank, inert_cell(str(name)), *counts])
    return buffer.getvalue()


def to_json(stats: Stats) -> str:
    document = {
        "title": stats.title,
        "by": stats.by.value,
        "from": stats.period.start.isoformat() if stats.period.start else None,
        "to": stats.period.end.isoformat() if stats.period.end else None,
        "published_only": stats.published_only,
        "issues": stats.issues,
        "rows": [asdict(row) for row in stats.rows],
        "total": asdict(stats.total),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# A fixed creation time keeps the workbook byte-for-byte deterministic (xlsxwriter otherwise
# stamps the current time into docProps/core.xml; its zip entries already carry a fixed date).
WORKBOOK_CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def to_xlsx(stats: Stats) -> bytes:
    """A real .xlsx (xlsxwriter: write-only, pure Python, files Excel and WPS open without
    repair): title row, header, one row per unit, the total, and a bar chart of 采用."""
    import xlsxwriter

    buffer = io.BytesIO()
    # Text is written with write_string, never write(): write() would turn a unit named
    # "=HYPERLINK(…)" into a live formula (and "http://…" into a link). The options make any
    # write() that slips in later keep text as text too.
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(buffer, options)
    book.set_properties({"title": stats.title, "created": WORKBOOK_CREATED})
    sheet = book.add_worksheet("信息采用")
    bold = book.add_format({"bold": True, "border": 1, "align": "center"})
    cell = book.add_format({"border": 1})
    title = book.add_format({"bold": True, "font_size": 14})
    header = ["序号", *_header(stats)]
    sheet.write_string(0, 0, stats.title, title)
    _write_cells(sheet, 2, header, bold)
    for index, row in enumerate(stats.rows, start=1):
        _write_cells(sheet, 2 + index, [index, *_cells(row)], cell)
    last = 2 + len(stats.rows)
    _write_cells(sheet, last + 1, ["", *_cells(stats.total)], bold)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, max([12, *(2 * len(r.name) + 2 for r in stats.rows)]))
    sheet.set_column(2, len(header) - 1, 10)
    sheet.freeze_panes(3, 0)
    if stats.rows:
        chart = book.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": "采用",
                "categories": ["信息采用", 3, 1, last, 1],
                "values": ["信息采用", 3, 2, last, 2],
            }
        )
        chart.set_title({"name": stats.title})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True})
        sheet.insert_chart(2, len(header) + 1, chart)
    book.close()
    return buffer.getvalue()


def _write_cells(sheet: Worksheet, row: int, cells: Sequence[str | int], style: Format) -> None:
    """One row: text cells as text (never a formula, a link or a number), counts as numbers."""
    for column, value in enumerate(cells):
        if isinstance(value, int):
            sheet.write_number(row, column, value, style)
        elif value:
            sheet.write_string(row, column, value, style)
        else:
            sheet.write_blank(row, column, None, style)


def table_rows(stats: Stats) -> Sequence[list[str]]:
    """The terminal table: rank, name, counts, and the total last."""
    rows = [[str(i), *map(str, _cells(r))] for i, r in enumerate(stats.rows, start=1)]
    if stats.rows:
        rows.append(["", *map(str, _cells(stats.total))])
    return rows


def table_header(stats: Stats) -> list[str]:
    return ["序号", *_header(stats)]
