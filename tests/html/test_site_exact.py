"""The archive's index, statistics and search pages pinned exactly, each built by its own test.

The pages of ``test_site_tools`` come from one archive built once per module; here every test
builds the page it looks at, so a change to any of them shows in that test: the escaped JSON
of the search page, the CSP hash of its script, the SVG bars, the search records' text, the
order of the index and the workspace's template overrides.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from pathlib import Path

from briefing.render.site import SiteEntry, build_site_index, group_by_year
from briefing.render.site_pages import (
    _json_for_html,
    bar_chart,
    build_search_page,
    build_stats_page,
    script_hash,
    search_records,
)
from briefing.stats import GroupBy, Period, Stats, StatsRow
from briefing.templates import template_path
from tests.factory import make_bulletin
from tests.html.inspect_html import parse, text_of

NAME = "滨江新区信息"
NAME_CSS = ":root { --name-em: 6.92; }\n"  # briefing.render.html.name_css(NAME)
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = {
    "title": "</script><!--甲&乙",
    "quote": "'单'\"双\"",
    "lines": "行\u2028段\u2029",
    "controls": "\x85\ufffe\U0001fffe",
}


def stats_of(*rows: StatsRow, issues: int = 1) -> Stats:
    return Stats(GroupBy.source, Period(), False, rows, issues)


def style_of(html: str) -> str:
    return re.search(r"<style>\n(.*?)</style>", html, re.DOTALL).group(1)


def workspace_with(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "ws"
    for name, text in files.items():
        path = root / "templates" / "html" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


# --------------------------------------------------------------------------- escaped JSON


def test_json_for_html_escapes_exactly() -> None:
    # keys sorted, no spaces, CJK and U+2028/2029 as they are (JSON.parse takes them), every
    # < > & a \u escape, characters HTML forbids escaped (BMP) or dropped (astral)
    assert _json_for_html([HOSTILE]) == (
        '[{"controls":"\\u0085\\ufffe",'
        '"lines":"行\u2028段\u2029",'
        '"quote":"\'单\'\\"双\\"",'
        '"title":"\\u003c/script\\u003e\\u003c!--甲\\u0026乙"}]'
    )
    assert _json_for_html({"b": 1, "a": [1, 2]}) == '{"a":[1,2],"b":1}'


def test_search_page_data_reads_back_as_the_records(tmp_path: Path) -> None:
    records = [
        dict(HOSTILE, href="2019-001/2019-001.html#a1"),
        {"title": "第二篇", "href": "2018-028/2018-028.html#a2"},
    ]
    out = tmp_path / "search.html"
    build_search_page(NAME, records, out, workspace_root=None)
    html = out.read_text(encoding="utf-8")
    raw = re.search(r'<script type="application/json" id="search-data">(.*?)</script>', html)
    assert raw.group(1) == _json_for_html(records)
    # what the page's script reads (the element's text) is the records, minus the character
    # HTML forbids outside the BMP
    data = next(s for s in parse(html).iter("script") if s.get("id") == "search-data")
    expected = [dict(records[0], controls="\x85\ufffe"), records[1]]
    assert json.loads(data.text) == expected


# --------------------------------------------------------------------------- script and CSP


def test_script_hash_is_the_csp_source_of_the_script() -> None:
    assert script_hash("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    assert script_hash("alert(1)") == "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
    digest = hashlib.sha256("…".encode()).digest()
    assert script_hash("…") == f"'sha256-{base64.b64encode(digest).decode()}'"


def test_search_page_exact(tmp_path: Path) -> None:
    records = search_records(make_bulletin(2), "2018-028/2018-028.html")
    out = tmp_path / "search.html"
    build_search_page(NAME, records, out, workspace_root=None)
    html = out.read_text(encoding="utf-8")
    root = parse(html)
    assert root.find("head/title").text == f"{NAME}·全文检索"
    assert next(root.iter("h1")).text == NAME
    assert text_of(root.find(".//p[@class='subhead']")) == "全文检索（2篇）"
    data, script = root.iter("script")
    assert json.loads(data.text) == records
    builtin = template_path("html/search.js").read_text(encoding="utf-8")
    assert script.text == builtin
    # the CSP allows exactly the script the page holds, by its SHA-256
    digest = base64.b64encode(hashlib.sha256(script.text.encode("utf-8")).digest()).decode()
    csp = root.find("head/meta[@http-equiv='Content-Security-Policy']").get("content")
    assert csp == (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )
    assert style_of(html).endswith("\n" + NAME_CSS)


def test_search_page_takes_the_workspace_templates(tmp_path: Path) -> None:
    root = workspace_with(
        tmp_path,
        {
            "search.js": "document.title = '检索…';\n",
            "site.css": "body { color: #123456; }\n",
            "search.html.j2": "{{ title }}|{{ name }}|{{ count }}|{{ data }}|{{ script_hash }}"
            "\n<style>\n{{ css }}</style>\n<script>{{ script }}</script>\n",
        },
    )
    out = tmp_path / "search.html"
    build_search_page("某信息", [{"title": "<甲>"}], out, workspace_root=root)
    script = "document.title = '检索…';\n"
    assert out.read_text(encoding="utf-8") == (
        '某信息·全文检索|某信息|1|[{"title":"\\u003c甲\\u003e"}]|'
        + script_hash(script).replace("'", "&#39;")  # autoescaped like any text
        + "\n<style>\nbody { color: #123456; }\n:root { --name-em: 3.56; }\n</style>\n"
        + f"<script>{script}</script>\n"
    )


# --------------------------------------------------------------------------- statistics


def test_bar_chart_exact() -> None:
    rows = (
        StatsRow("区建设局", 4, 2, 1),
        StatsRow("区统计局", 3, 0, 0),
        StatsRow("东湖街道", 1, 1, 1),
    )
    chart = bar_chart(stats_of(*rows, issues=2))
    assert [(b.y, b.name, b.adopted, b.instructions, b.width) for b in chart.bars] == [
        (0, "区建设局", 4, 2, 180),
        (26, "区统计局", 3, 0, 135),
        (52, "东湖街道", 1, 1, 45),
    ]
    assert (chart.width, chart.height, chart.label_width) == (380, 78, 160)


def test_bar_chart_long_names_and_no_rows() -> None:
    long = bar_chart(stats_of(StatsRow("区纪委监委派驻第三纪检监察组", 2, 0, 0)))
    assert (long.width, long.height, long.label_width) == (456, 26, 236)
    assert [b.width for b in long.bars] == [180]
    empty = bar_chart(stats_of(issues=0))
    assert (empty.width, empty.height, empty.label_width, empty.bars) == (380, 26, 160, ())


def test_stats_page_exact(tmp_path: Path) -> None:
    rows = (StatsRow("区建设局", 2, 1, 1), StatsRow("东湖街道", 1, 0, 0))
    out = tmp_path / "stats.html"
    build_stats_page(NAME, [(2019, stats_of(*rows))], out, workspace_root=None)
    html = out.read_text(encoding="utf-8")
    root = parse(html)
    assert root.find("head/title").text == f"{NAME}·信息采用统计"
    assert next(root.iter("h1")).text == NAME
    svg = next(root.iter(f"{SVG}svg"))
    assert svg.get("viewBox") == "0 0 380 52"
    drawn = [
        (
            g.get("transform"),
            [(t.get("x"), t.text) for t in g.iter(f"{SVG}text")],
            g.find(f"{SVG}rect").get("x"),
            g.find(f"{SVG}rect").get("width"),
        )
        for g in svg.iter(f"{SVG}g")
    ]
    assert drawn == [
        ("translate(0 0)", [("152", "区建设局"), ("346", "2")], "160", "180"),
        ("translate(0 26)", [("152", "东湖街道"), ("256", "1")], "160", "90"),
    ]
    assert style_of(html).endswith("\n" + NAME_CSS)


def test_stats_page_takes_the_workspace_templates(tmp_path: Path) -> None:
    root = workspace_with(
        tmp_path,
        {
            "site.css": "body { color: #123456; }\n",
            "stats.html.j2": "{{ title }}|{{ name }}|{% for year, stats, chart in sections %}"
            "{{ year }}:{{ chart.height }};{% endfor %}|\n<style>\n{{ css }}</style>\n",
        },
    )
    out = tmp_path / "stats.html"
    build_stats_page(
        "某信息", [(2019, stats_of(StatsRow("甲", 1, 0, 0)))], out, workspace_root=root
    )
    assert out.read_text(encoding="utf-8") == (
        "某信息·信息采用统计|某信息|2019:26;|\n"
        "<style>\nbody { color: #123456; }\n:root { --name-em: 3.56; }\n</style>\n"
    )


# --------------------------------------------------------------------------- search records


def test_search_records_exact() -> None:
    (record,) = search_records(make_bulletin(1), "2018-028/2018-028.html")
    assert record == {
        "label": "第二十八期（总第646期）",
        "date": "2018年12月20日",
        "title": "第1篇：“三张清单”推动重点工程提速",
        "source": "建设管理局",
        "href": "2018-028/2018-028.html#a1",
        "text": "\n".join(
            [
                "重点项目百日攻坚纪实",
                "编者按：现将有关做法刊发，供参考。",
                "今年以来，新区围绕重点工程建设中的堵点难点，建立问题、责任、时限“三张清单”，"
                "推动26个重点项目按期开工。",
                "一、建立问题清单，做到底数清",
                "一是逐项梳理。二是分级交办。三是定期通报，截至11月底已办结问题143个。",
                "（一）压实部门责任",
                "对涉及多个部门的事项，明确牵头单位，限时办结。",
                "1.建立台账",
                "项目清单",
                "责任清单",
                "项目 进度",  # a table row: its cells separated by one space
                "滨江大道 85%",
                "科创园二期 60%",
                "图为工作人员在施工现场核查进度",
                "群众的满意度是检验工作成效的标尺。",
                "编号 2018-028",
                "（1）按月调度",
                "下一步，新区将持续跟踪问效。 确保年底前全部完成。",  # a line break: one space
                "建设管理局",
            ]
        ),
    }


# --------------------------------------------------------------------------- index order


def site_entry(issue_id: str, date: dt.date | None) -> SiteEntry:
    return SiteEntry(issue_id, 2018, issue_id, "", f"{issue_id}.html", (), date)


def test_index_order_by_date_then_issue_number() -> None:
    entries = [
        site_entry("2018-9", None),
        site_entry("2018-028", dt.date(2018, 12, 20)),
        site_entry("2018-10", None),
        site_entry("2018-zk1", dt.date(2018, 6, 1)),  # a special issue: by its date
    ]
    ((year, ordered),) = group_by_year(entries)
    assert year == 2018
    # dated issues newest first, then the undated ones by number (10 after 9), newest first
    assert [e.issue_id for e in ordered] == ["2018-028", "2018-zk1", "2018-10", "2018-9"]


def test_index_takes_the_workspace_templates(tmp_path: Path) -> None:
    root = workspace_with(
        tmp_path,
        {
            "site.css": "body { color: #123456; }\n",
            "site.html.j2": "{{ title }}|{{ count }}\n<style>\n{{ css }}</style>\n",
        },
    )
    out = tmp_path / "index.html"
    build_site_index("某信息", [site_entry("2018-1", None)], out, workspace_root=root)
    assert out.read_text(encoding="utf-8") == (
        "某信息·往期目录|1\n<style>\nbody { color: #123456; }\n:root { --name-em: 3.56; }\n</style>\n"
    )
