"""The archive index page (``briefing site``): every issue by year, linking each issue's HTML.

Like the issue pages it is one self-contained file (inline CSS from
``templates/html/site.css``, no script, no external request), rendered by jinja2 with
autoescaping, and it links only to relative or http(s) targets. Order: newest year first and,
within a year, newest issue first (by the printed date, then by the issue id), so the page
reads like the register on an editor's desk.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.model import Bulletin

__all__ = ["SiteEntry", "build_site_index", "site_entry_for"]

TEMPLATE = "site.html.j2"
STYLESHEET = "html/site.css"


@dataclass(frozen=True, slots=True)
class SiteEntry:
    """One issue on the index page."""

    issue_id: str  # 2018-028
    year: int
    issue_label: str  # 第二十八期（总第646期）
    date_text: str  # 2018年12月20日
    href: str  # relative link to the issue's HTML, e.g. "2018-028/2018-028.html"
    titles: tuple[str, ...] = ()
    date: dt.date | None = None  # the issue date, for ordering; None sorts by issue id only


@dataclass(frozen=True, slots=True)
class _EntryView:
    entry: SiteEntry
    href: str | None  # None when the link is not safe to emit


@dataclass(frozen=True, slots=True)
class _YearView:
    year: int
    entries: tuple[_EntryView, ...]


def site_entry_for(bulletin: Bulletin, year: int, href: str) -> SiteEntry:
    """The index entry of a rendered issue; titles in the order the issue prints them."""
    return SiteEntry(
        issue_id=bulletin.issue_id,
        year=year,
        issue_label=bulletin.issue_label,
        date_text=bulletin.date_text,
        href=href,
        titles=tuple(item.title for item in bulletin.articles),
        date=bulletin.date,
    )


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key treating digit runs as numbers ("2018-9" before "2018-10")."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.findall(r"\d+|\D+", text)
    )


def _entry_key(entry: SiteEntry) -> tuple[tuple[int, int, int], tuple[tuple[int, int | str], ...]]:
    date = entry.date
    day = (date.year, date.month, date.day) if date else (entry.year, 0, 0)
    return day, _natural(entry.issue_id)


def group_by_year(entries: Sequence[SiteEntry]) -> tuple[tuple[int, tuple[SiteEntry, ...]], ...]:
    """Years newest first; issues newest first within a year."""
    years = sorted({e.year for e in entries}, reverse=True)
    return tuple(
        (year, tuple(sorted((e for e in entries if e.year == year), key=_entry_key, reverse=True)))
        for year in years
    )


def build_site_index(
    name: str,
    entries: Sequence[SiteEntry],
    out: Path,
    *,
    workspace_root: Path | None = None,
    links: Sequence[tuple[str, str]] = (),
) -> None:
    """Write the archive index for the publication *name* to *out*."""
    from briefing.render.html import (
        name_css,
        render_template,
        safe_href,
        stylesheet,
        write_atomically,
    )

    years = tuple(
        _YearView(year, tuple(_EntryView(e, safe_href(e.href)) for e in group))
        for year, group in group_by_year(entries)
    )
    html = render_template(
        TEMPLATE,
        workspace_root,
        name=name,
        title=f"{name}·往期目录",
        years=years,
        count=len(entries),
        links=[(href, label) for href, label in links if safe_href(href)],
        css=stylesheet(STYLESHEET, workspace_root, name_css(name)),
    )
    write_atomically(out, html)
