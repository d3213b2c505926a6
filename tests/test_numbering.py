"""Chinese numerals, printed labels, allocation and the register checks."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.config import format_problem
from briefing.errors import InputError
from briefing.load import load_settings
from briefing.model import Issue, Numbering
from briefing.numbering import (
    allocate_issue,
    chinese_number,
    date_text,
    issue_label,
    next_numbers,
)
from briefing.rules import Reporter
from tests.conftest import issue_yaml


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (28, "二十八"),
        (100, "一百"),
        (101, "一百零一"),
        (105, "一百零五"),
        (110, "一百一十"),
        (111, "一百一十一"),
        (999, "九百九十九"),
        (1000, "一千"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (1100, "一千一百"),
        (10000, "一万"),
        (10010, "一万零一十"),
    ],
)
def test_chinese_numerals(n: int, expected: str) -> None:
    assert chinese_number(n) == expected


def _issue(**kw: object) -> Issue:
    base = dict(
        id="2018-028", dir=Path("."), year=2018, number=28, date=dt.date(2018, 12, 20), total=646
    )
    base.update(kw)
    return Issue(**base)  # type: ignore[arg-type]


def test_label_formats() -> None:
    assert issue_label(Numbering(), _issue()) == "第二十八期（总第646期）"
    assert issue_label(Numbering(format="{year}年第{number}期"), _issue()) == "2018年第28期"
    assert issue_label(Numbering(format="总第{total_cn}期"), _issue(total=105)) == "总第一百零五期"
    special = _issue(special="专刊", number=1, total=None)
    assert issue_label(Numbering(), special) == "专刊第一期"


def test_format_problems_are_explained() -> None:
    assert format_problem("第{number_cn}期") is None
    assert "不支持的格式字段 {numbr}" in (format_problem("第{numbr}期") or "")
    assert "花括号" in (format_problem("第{number期") or "")


def test_date_has_no_leading_zeros() -> None:
    assert date_text(dt.date(2019, 3, 5)) == "2019年3月5日"


def _settings(make_workspace, config: str | None = None):  # type: ignore[no-untyped-def]
    root = make_workspace(config=config) if config else make_workspace()
    return load_settings(root, Reporter())


def test_migration_from_previous(make_workspace) -> None:  # type: ignore[no-untyped-def]
    settings = _settings(make_workspace)  # previous: 2018 第27期 总645
    assert next_numbers(settings, [], 2018, None) == (28, 646)
    assert next_numbers(settings, [], 2019, None) == (1, 646)


def test_yearly_reset_and_running_total(make_workspace) -> None:  # type: ignore[no-untyped-def]
    settings = _settings(make_workspace)
    issues = [_issue(number=28, total=646), _issue(id="2019-001", year=2019, number=1, total=647)]
    assert next_numbers(settings, issues, 2019, None) == (2, 648)
    assert next_numbers(settings, issues, 2020, None) == (1, 648)


def test_no_yearly_reset(make_workspace) -> None:  # type: ignore[no-untyped-def]
    config = "name: 测试\nissuer: 测试办\nnumbering:\n  yearly_reset: false\n"
    settings = _settings(make_workspace, config)
    issues = [_issue(number=28, total=28)]
    assert next_numbers(settings, issues, 2019, None) == (29, 29)


def test_specials_have_their_own_series(make_workspace) -> None:  # type: ignore[no-untyped-def]
    settings = _settings(make_workspace)
    issues = [_issue(), _issue(id="2018-专刊-01", special="专刊", number=1, total=None)]
    assert next_numbers(settings, issues, 2018, "专刊") == (2, None)
    assert next_numbers(settings, issues, 2018, "增刊") == (1, None)
    assert next_numbers(settings, issues, 2018, None) == (29, 647)


def test_allocate_writes_issue_yaml(make_workspace) -> None:  # type: ignore[no-untyped-def]
    settings = _settings(make_workspace)
    first = allocate_issue(settings, dt.date(2018, 12, 20))
    special = allocate_issue(settings, dt.date(2018, 12, 25), "专刊")
    second = allocate_issue(settings, dt.date(2018, 12, 28))
    assert (first.id, first.number, first.total) == ("2018-028", 28, 646)
    assert (special.id, special.number, special.total) == ("2018-专刊-01", 1, None)
    assert (second.id, second.total) == ("2018-029", 647)
    text = (settings.issues_dir / "2018-029" / "issue.yaml").read_text(encoding="utf-8")
    assert text == "year: 2018\nnumber: 29\ntotal: 647\ndate: 2018-12-28\n"
    assert (settings.issues_dir / "2018-029" / "images").is_dir()


def test_allocation_refuses_when_register_is_broken(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace({"issues/2018-028/issue.yaml": "year: 2018\nnumber: [\n"})
    settings = load_settings(root, Reporter())
    with pytest.raises(InputError) as caught:
        allocate_issue(settings, dt.date(2018, 12, 28))
    assert caught.value.diagnostics[0].code == "F002"


def test_twenty_concurrent_allocations_get_distinct_consecutive_numbers(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace()
    script = (
        "import datetime, sys; from pathlib import Path;"
        "from briefing.load import load_settings; from briefing.rules import Reporter;"
        "from briefing.numbering import allocate_issue;"
        "s = load_settings(Path(sys.argv[1]), Reporter());"
        "a = allocate_issue(s, datetime.date(2018, 12, 20)); print(a.number, a.total)"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(20)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        number, total = map(int, out.split())
        results.append((number, total))
    assert sorted(n for n, _ in results) == list(range(28, 48))
    assert sorted(t for _, t in results) == list(range(646, 666))
    assert sorted(p.name for p in (root / "issues").iterdir()) == [
        f"2018-{n:03d}" for n in range(28, 48)
    ]


def _codes(root: Path) -> list[tuple[str, str]]:
    from briefing.check import check_workspace

    ws = check_workspace(root, advice=False)
    # F008 (an issue without articles yet) is not a register finding
    return [
        (d.code, d.path.parent.name if d.path else "") for d in ws.diagnostics if d.code != "F008"
    ]


def test_register_reports_duplicates_skips_and_folder_mismatch(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(28, 646),
            "issues/2018-029/issue.yaml": issue_yaml(28, 647),  # duplicate 期, folder mismatch
            "issues/2018-031/issue.yaml": issue_yaml(31, 650),  # skipped 30, 总648-649
        }
    )
    codes = _codes(root)
    assert ("N001", "2018-029") in codes
    assert ("N003", "2018-029") in codes
    assert ("N002", "2018-031") in codes


def test_register_is_clean_across_a_year_change(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(28, 646),
            "issues/2019-001/issue.yaml": issue_yaml(1, 647, 2019, "2019-01-10"),
            "issues/2019-专刊-01/issue.yaml": "year: 2019\nnumber: 1\nspecial: 专刊\ndate: 2019-02-01\n",
            "issues/2019-002/issue.yaml": issue_yaml(2, 648, 2019, "2019-02-10"),
        }
    )
    assert _codes(root) == []


def test_register_reports_a_skipped_total_after_migration(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace({"issues/2018-028/issue.yaml": issue_yaml(28, 650)})
    assert _codes(root) == [("N002", "2018-028")]
