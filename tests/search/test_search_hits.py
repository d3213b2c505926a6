"""``briefing search``'s hits pinned exactly: the 批示 of the register, snippet cut points and
highlights, the front matter shown as values, odd encodings and the JSON a script reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.errors import UsageError
from briefing.search import Hit, make_query, marked, search
from tests.conftest import BASE_CONFIG, WorkspaceFactory, issue_yaml

runner = CliRunner()

REGISTER = """\
instructions:
  - issue: 2019-001
    article: 01.md
    by: 张华
    date: 2019-01-20
    text: 走访做法值得借鉴，请各单位认真学习并结合实际抓好落实，确保蜗牛工程问题不再发生，切实提高群众满意度。
  - issue: 2018-028
    article: 09-missing.md
    by: 王军
    date: 2018-12-22
    text: 请借鉴。
  - issue: 2018-028
    article: 01-snail.md
    by: 李明远
    position: 区委书记
    date: 2018-12-24
    text: 此做法很好，请各地各部门结合实际认真借鉴，着力破解工程建设中的难点堵点问题。
  - issue: 2018-028
    article: 02-grid.md
    by: 王军
    date: 2018-12-25
"""
UNITS = "units:\n  区住房和城乡建设局: [住建局]\n"


@pytest.fixture
def register(make_workspace: WorkspaceFactory) -> Path:
    return make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01-snail.md": (
                "---\ntitle: “三力并举”激活“蜗牛工程”\nsource: 区住房和城乡建设局\n---\n\n正文。\n"
            ),
            "issues/2018-028/02-grid.md": "---\ntitle: 网格化管理\nsource: 长河街道\n---\n\n正文。\n",
            "issues/2019-001/issue.yaml": issue_yaml(1, 647, 2019, "2019-01-10"),
            "issues/2019-001/01.md": "---\ntitle: 新春走访\nsource: 住建局\n---\n\n正文。\n",
            "instructions.yaml": REGISTER,
        },
        config=BASE_CONFIG + UNITS,
    )


def shown(hits: list[Hit]) -> list[tuple[str, int, str, str, str, str | None, str]]:
    return [(h.path, h.line, h.issue, h.date, h.title, h.source, marked(h)) for h in hits]


def find(root: Path, *words: str, year: int | None = None, unit: str | None = None) -> list[Hit]:
    found = search(root, make_query(list(words), year, unit))
    assert found.notices == ()
    return found.hits


ZHANG = ("instructions.yaml", 2, "2019-001", "2019-01-10", "新春走访", "住建局")
LI = (
    "instructions.yaml",
    12,
    "2018-028",
    "2018-12-20",
    "“三力并举”激活“蜗牛工程”",
    "区住房和城乡建设局",
)


def test_instruction_hits_point_at_the_record_and_show_who_gave_it(register: Path) -> None:
    hits = find(register, "借鉴")
    assert shown(hits) == [
        (
            *ZHANG,
            "张华批示：走访做法值得【借鉴】，请各单位认真学习并结合实际抓好落实，确保蜗牛工程问题不再发生，切实提高…",
        ),
        (
            *LI,
            "李明远（区委书记）批示：此做法很好，请各地各部门结合实际认真【借鉴】，着力破解工程建设中的难点堵点问题。",
        ),
    ]
    assert [h.spans for h in hits] == [((11, 13),), ((30, 32),)]
    # a keyword far into the words: the snippet still starts with who gave the 批示
    (far,) = find(register, "蜗牛工程", year=2019)
    assert shown([far]) == [
        (
            *ZHANG,
            "张华批示：…单位认真学习并结合实际抓好落实，确保【蜗牛工程】问题不再发生，切实提高群众满意度。",
        )
    ]
    assert far.spans == ((24, 28),)


def test_a_keyword_in_the_name_shows_the_words_from_the_start(register: Path) -> None:
    (hit,) = find(register, "李明远")
    assert (
        marked(hit)
        == "【李明远】（区委书记）批示：此做法很好，请各地各部门结合实际认真借鉴，着力破解工程…"
    )
    assert hit.spans == ((0, 3),)
    (seen,) = find(register, "圈阅")  # a 批示 without words: 圈阅
    assert shown([seen]) == [
        (
            "instructions.yaml",
            18,
            "2018-028",
            "2018-12-20",
            "网格化管理",
            "长河街道",
            "王军批示（【圈阅】）",
        )
    ]
    (by,) = find(register, "王军")  # the record naming a missing article is passed over
    assert (by.line, marked(by), by.spans) == (18, "【王军】批示（圈阅）", ((0, 2),))


def test_instruction_keywords_may_be_in_the_title_but_one_in_the_words(register: Path) -> None:
    both = find(register, "蜗牛工程", "借鉴")
    assert [(h.line, h.spans) for h in both] == [(2, ((11, 13), (34, 38))), (12, ((30, 32),))]
    # 蜗牛工程 is in the title of 李明远's article, not in his 批示: that 批示 is no hit alone
    assert [(h.path, h.line) for h in find(register, "蜗牛工程")] == [
        ("instructions.yaml", 2),
        ("issues/2018-028/01-snail.md", 2),
    ]
    assert find(register, "借鉴", "楼道") == []
    # a 批示 without the other keyword is passed over, and the next one still looked at
    assert [h.line for h in find(register, "借鉴", "三力")] == [12]
    assert find(register, "网格化管理") == [find(register, "网格化管理")[0]]


def test_instruction_hits_follow_the_year_and_unit_filters(register: Path) -> None:
    assert [h.line for h in find(register, "借鉴", year=2018)] == [12]
    assert [h.line for h in find(register, "借鉴", year=2019)] == [2]
    assert find(register, "借鉴", year=2020) == []
    # 住建局 is an alias of 区住房和城乡建设局: either name finds both, and is not a substring
    for unit in ("住建局", "区住房和城乡建设局"):
        assert [h.line for h in find(register, "借鉴", unit=unit)] == [2, 12]
    assert [h.line for h in find(register, "王军", unit="长河街道")] == [18]
    assert find(register, "借鉴", unit="长河街道") == []


def test_unit_aliases_for_articles(register: Path) -> None:
    for unit in ("住建局", "区住房和城乡建设局"):
        assert [(h.path, h.line) for h in find(register, "正文", unit=unit)] == [
            ("issues/2019-001/01.md", 6),
            ("issues/2018-028/01-snail.md", 6),
        ]


def test_json_output_is_pinned(register: Path) -> None:
    result = runner.invoke(app, ["-C", str(register), "search", "圈阅", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {
            "issue": "2018-028",
            "label": "第二十八期（总第646期）",
            "date": "2018-12-20",
            "path": "instructions.yaml",
            "line": 18,
            "title": "网格化管理",
            "source": "长河街道",
            "snippet": "王军批示（圈阅）",
        }
    ]


def test_no_keyword_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as caught:
        make_query(["", " \u3000"], None, None)
    assert caught.value.args[0] == "请给出至少一个关键词，如 briefing search 蜗牛工程"
    assert make_query(["蜗牛 工程", "台账"], 2018, " 建设局 ").terms == ("蜗牛", "工程", "台账")
    assert make_query(["x"], None, " 建设局 ").source == "建设局"


# --------------------------------------------------------------------------- snippets


def one(root: Path, *words: str) -> Hit:
    (hit,) = find(root, *words)
    return hit


def body(text: str) -> str:
    return f"---\ntitle: 标题\nsource: 长河街道\n---\n\n{text}"


def test_snippet_cut_points_and_ellipses(make_workspace: WorkspaceFactory) -> None:
    long = "丙" * 30 + "蜗牛工程" + "乙" * 50
    spaced = "A" * 20 + "   " + "x" * 16 + "蜗牛工程" + "尾"
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": body(f"{long}\n"),
            "issues/2018-028/02.md": body(f"{spaced}\n"),
            "issues/2018-028/03.md": body("## 蜗牛工程专项\n"),
            "issues/2018-028/04.md": body("Snail: 项目按周调度\n"),
            "issues/2018-028/05.md": body("note: >蜗牛工程\n"),
            "issues/2018-028/06.md": body("首" + "蜗牛工程" + "中" * 36 + "台账尾巴\n"),
            "issues/2018-028/07.md": body("- 蜗牛工程" + "中" * 40 + "\n"),
        }
    )
    got = one(root, "丙蜗牛工程乙")
    assert got.snippet == "…" + "丙" * 19 + "蜗牛工程" + "乙" * 37 + "…"
    assert got.spans == ((19, 25),)
    spaced_hit = one(root, "x蜗牛工程")
    # the cut fell on spaces: it moves on to the text, and still shows it was cut
    assert spaced_hit.snippet == "…" + "x" * 16 + "蜗牛工程尾"
    assert spaced_hit.spans == ((16, 21),)
    assert marked(one(root, "蜗牛工程专项")) == "【蜗牛工程专项】"
    assert marked(one(root, "snail")) == "【Snail】: 项目按周调度"
    assert marked(one(root, ">蜗牛")) == "note: 【>蜗牛】工程"
    # a second keyword that starts exactly where the snippet ends is not marked
    tail = one(root, "蜗牛工程", "台账尾")
    assert marked(tail) == "首【蜗牛工程】" + "中" * 36 + "…"
    assert marked(one(root, "蜗牛工程", "中" * 40)) == "【蜗牛工程】" + "【" + "中" * 36 + "】…"


def test_last_line_without_newline_and_leading_blank_line(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": "\n蜗牛工程在首行之后",
            "issues/2018-028/02.md": body("第一行\n末行蜗牛工程"),
        }
    )
    assert [(h.path, h.line, marked(h)) for h in find(root, "蜗牛工程")] == [
        ("issues/2018-028/01.md", 2, "【蜗牛工程】在首行之后"),
        ("issues/2018-028/02.md", 7, "末行【蜗牛工程】"),
    ]


# --------------------------------------------------------------------------- front matter


def test_front_matter_closed_by_dots_and_quoted_values(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": '---\ntitle: "蜗牛工程点结束"\nsource: 长河街道\n...\n\n正文。\n',
            "issues/2018-028/02.yaml": "title: \"蜗牛工程在映射里\"\nsource: ''\nbody: 正文\n",
            "issues/2018-028/03.md": "---\n---\ntitle: '蜗牛工程假标题'\n---\n",
            "issues/2018-028/04.md": "正文\n'蜗牛工程无元数据'\n---\n",
            "issues/2018-028/05.md": "---\ntitle: '蜗牛工程未闭合'\n",
            "issues/2018-028/06.md": "正文\ntitle: 蜗牛工程不是元数据\n---\n",
        }
    )
    hits = find(root, "蜗牛工程")
    assert [(h.path, h.line, h.title, h.source, h.snippet) for h in hits] == [
        ("issues/2018-028/01.md", 2, "蜗牛工程点结束", "长河街道", "蜗牛工程点结束"),
        ("issues/2018-028/02.yaml", 1, "蜗牛工程在映射里", None, "蜗牛工程在映射里"),
        ("issues/2018-028/03.md", 3, "03", None, "'蜗牛工程假标题'"),
        ("issues/2018-028/04.md", 2, "04", None, "'蜗牛工程无元数据'"),
        ("issues/2018-028/05.md", 2, "05", None, "'蜗牛工程未闭合'"),
        ("issues/2018-028/06.md", 2, "06", None, "蜗牛工程不是元数据"),
    ]


def test_aliases_folded_values_and_long_front_matter(make_workspace: WorkspaceFactory) -> None:
    padding = "".join(f"k{i}: v\n" for i in range(198))
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": (
                "---\ntitle: &t 蜗牛工程标题\nsubtitle: *t\nnote: '蜗牛工程编者按'\n---\n\n正文。\n"
            ),
            "issues/2018-028/02.md": "---\ntitle: 标题\nnote: 蜗牛工程折行\n  第二行\n---\n",
            "issues/2018-028/03.md": f"---\ntitle: '蜗牛工程长'\n{padding}---\n\n正文\n",
            "issues/2018-028/04.md": (
                "---\ntitle: 短\ninstructions:\n  - {by: 王军, text: '蜗牛工程批示'}\n---\n"
                + "正文\n" * 250
            ),
        }
    )
    assert [(h.path, h.line, h.snippet) for h in find(root, "蜗牛工程")] == [
        ("issues/2018-028/01.md", 2, "蜗牛工程标题"),
        ("issues/2018-028/01.md", 4, "蜗牛工程编者按"),
        ("issues/2018-028/02.md", 3, "蜗牛工程折行"),
        # 200 lines of front matter are read at most: beyond, the line is shown as written
        ("issues/2018-028/03.md", 2, "'蜗牛工程长'"),
        ("issues/2018-028/04.md", 4, "王军 蜗牛工程批示"),
    ]


def test_byte_order_mark_line_endings_and_bad_bytes(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": "\ufeff---\ntitle: 带BOM的蜗牛工程\n---\n\n正文\n".encode(),
            "issues/2018-028/02.md": b"---\r\ntitle: CRLF\r\n---\r\n\r\n\xe8\x9c\x97\xe7\x89\x9b\xe5\xb7\xa5\xe7\xa8\x8b\xff\r\n",
            "issues/2018-028/03.md": "---\rtitle: CR\r---\r\r甲蜗牛工程\r".encode(),
        }
    )
    assert [(h.path, h.line, h.title, h.snippet) for h in find(root, "蜗牛工程")] == [
        ("issues/2018-028/01.md", 2, "带BOM的蜗牛工程", "带BOM的蜗牛工程"),
        ("issues/2018-028/02.md", 5, "CRLF", "蜗牛工程\ufffd"),
        ("issues/2018-028/03.md", 5, "CR", "甲蜗牛工程"),
    ]


LONG_POST = "区委常委、区政府常务副区长兼区发展改革委主任"
POSTS = f"""\
instructions:
  - issue: 2018-028
    article: 01.md
    by: 王军
    position: {LONG_POST}
    date: 2018-12-24
    text: 走访做法值得借鉴
  - issue: 2018-028
    article: 01.md
    by: 张华
    date: 2018-12-25
    text: 请按批示精神{"乙" * 30}抓落实
  - issue: 2018-028
    article: 01.md
    by: 李明远
    position: {LONG_POST}
    date: 2018-12-26
"""


def test_instruction_snippets_with_a_long_post_or_a_second_批示(
    make_workspace: WorkspaceFactory,
) -> None:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": "---\ntitle: Snail 新春走访\n---\n\n正文。\n",
            "instructions.yaml": POSTS,
        }
    )
    # the words start right after 批示：, however long the post: who gave it is kept whole
    assert marked(one(root, "走访做法")) == f"王军（{LONG_POST}）批示：【走访做法】值得借鉴"
    # a keyword across 批示： is marked where it is, in the words as they stand
    assert marked(one(root, "示：请按")) == "张华批【示：请按】批示精神" + "乙" * 30 + "抓落…"
    # the words are those after the first 批示, not after one they quote
    assert marked(one(root, "抓落实")) == "张华批示：…" + "乙" * 18 + "【抓落实】"
    # a 圈阅 (no words) by someone with a long post still starts with who gave it
    assert marked(one(root, "圈阅")) == f"李明远（{LONG_POST}）批示（【圈阅】）"
    # a keyword found only in the title, in another case: the 批示 still counts
    assert [(h.line, h.title) for h in find(root, "snail", "借鉴")] == [(2, "Snail 新春走访")]
