"""The archive index page: grouping, order, links, self-containment."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

from briefing.render.site import SiteEntry, build_site_index, group_by_year, site_entry_for
from tests.factory import make_bulletin
from tests.html.inspect_html import EXPECTED_CSP, csp_policy, parse, problems, text_of


def entry(issue_id: str, date: str, *titles: str, label: str | None = None) -> SiteEntry:
    year = int(issue_id[:4])
    y, m, d = (int(n) for n in re.findall(r"\d+", date))
    return SiteEntry(
        issue_id,
        year,
        label or f"第{issue_id[5:]}期",
        date,
        f"{issue_id}/{issue_id}.html",
        titles,
        dt.date(y, m, d),
    )


ENTRIES = [
    entry("2018-027", "2018年12月6日", "关于加强重点工程调度的通报"),
    entry("2019-002", "2019年1月22日", "新春走访慰问困难群众"),
    entry("2017-030", "2017年12月28日", "全年工作回顾"),
    entry("2018-028", "2018年12月20日", "“三张清单”推动重点工程提速", "行政审批局推行“一窗受理”"),
    entry("2019-001", "2019年1月8日", "新区召开2019年工作务虚会"),
    entry("2018-009", "2018年3月9日", "春季植树"),
    entry("2018-010", "2018年3月9日", "同日两期"),
]


def test_index_page(tmp_path: Path) -> None:
    out = tmp_path / "build" / "index.html"
    build_site_index("滨江新区信息", ENTRIES, out)
    root = parse(out.read_text(encoding="utf-8"))
    assert problems(root) == []
    assert csp_policy(root) == EXPECTED_CSP
    assert root.get("lang") == "zh-CN"
    assert root.find("head/title").text == "滨江新区信息·往期目录"
    assert next(root.iter("h1")).text == "滨江新区信息"
    assert "（共7期）" in text_of(next(root.iter("header")))
    sections = [s for s in root.iter("section")]
    assert [s.find("h2").text for s in sections] == ["2019年", "2018年", "2017年"]
    order = [[li.get("id") for li in s.iter("li") if li.get("id")] for s in sections]
    assert order == [
        ["issue-2019-002", "issue-2019-001"],
        ["issue-2018-028", "issue-2018-027", "issue-2018-010", "issue-2018-009"],
        ["issue-2017-030"],
    ]
    issue = root.find(".//li[@id='issue-2018-028']")
    link = issue.find("h3/a")
    assert link.get("href") == "2018-028/2018-028.html"
    assert link.text == "第028期"
    assert issue.find("h3/span").text == "2018年12月20日"
    assert [li.text for li in issue.find("ul")] == [
        "“三张清单”推动重点工程提速",
        "行政审批局推行“一窗受理”",
    ]
    # every issue is linked, and the year shortcuts point at their sections
    hrefs = {a.get("href") for a in root.iter("a")}
    assert {e.href for e in ENTRIES} <= hrefs
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    assert all(h[1:] in ids for h in hrefs if h.startswith("#"))
    # headings h1 → h2 → h3 without skipping
    levels = [int(el.tag[1]) for el in root.iter() if str(el.tag) in {"h1", "h2", "h3"}]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_empty_index(tmp_path: Path) -> None:
    out = tmp_path / "new" / "index.html"  # the folder does not exist yet
    build_site_index("滨江新区信息", [], out)
    root = parse(out.read_text(encoding="utf-8"))
    assert "暂无期刊" in text_of(root)
    assert not list(root.iter("section"))


def test_unsafe_link_is_not_emitted(tmp_path: Path) -> None:
    bad = SiteEntry("2018-001", 2018, "第一期", "2018年1月5日", " JavaScript:alert(1)", ("题",))
    out = tmp_path / "index.html"
    build_site_index("信息", [bad], out)
    root = parse(out.read_text(encoding="utf-8"))
    assert problems(root) == []
    assert [a.get("href") for a in root.iter("a")] == ["#y2018"]
    assert "第一期" in text_of(root)


def test_deterministic_and_order_independent(tmp_path: Path) -> None:
    build_site_index("信息", ENTRIES, tmp_path / "a.html")
    build_site_index("信息", list(reversed(ENTRIES)), tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_group_by_year_falls_back_to_issue_id() -> None:
    undated = [
        SiteEntry("2020-002", 2020, "第二期", "", "x", ()),
        SiteEntry("2020-010", 2020, "第十期", "", "y", ()),
    ]
    assert [e.issue_id for _, group in group_by_year(undated) for e in group] == [
        "2020-010",
        "2020-002",
    ]


def test_site_entry_for() -> None:
    bulletin = make_bulletin(2)
    got = site_entry_for(bulletin, 2018, "2018-028/2018-028.html")
    assert got == SiteEntry(
        "2018-028",
        2018,
        "第二十八期（总第646期）",
        "2018年12月20日",
        "2018-028/2018-028.html",
        ("第1篇：“三张清单”推动重点工程提速", "第2篇：“三张清单”推动重点工程提速"),
        dt.date(2018, 12, 20),
    )


def test_workspace_override(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    (ws / "templates" / "html").mkdir(parents=True)
    (ws / "templates" / "html" / "site.css").write_text(
        "body { color: #654321; }\n", encoding="utf-8"
    )
    build_site_index("信息", ENTRIES, tmp_path / "i.html", workspace_root=ws)
    assert "#654321" in (tmp_path / "i.html").read_text(encoding="utf-8")
