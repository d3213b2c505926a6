"""The issue register (N rules) and date-ordered allocation: one negative test per rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefing.check import check_workspace
from briefing.errors import InputError
from briefing.load import load_settings
from briefing.numbering import allocate_issue
from briefing.rules import Reporter
from tests.conftest import BASE_CONFIG, issue_yaml

NO_PREVIOUS = "name: 测试\nissuer: 测试办\n"
NO_RESET = "name: 测试\nissuer: 测试办\nnumbering:\n  yearly_reset: false\n"


def findings(root: Path) -> list[tuple[str, str, int, str]]:
    """``(code, issue folder, line, message)`` of every register finding (these issues have
    no articles: F008 is beside the point here)."""
    ws = check_workspace(root, advice=False)
    return [
        (d.code, d.path.parent.name if d.path else "", d.line or 0, d.message)
        for d in ws.diagnostics
        if d.code != "F008"
    ]


def codes(root: Path) -> list[tuple[str, str]]:
    return [(code, folder) for code, folder, _, _ in findings(root)]


def special_yaml(number: int, date: str, year: int = 2018, label: str = "专刊") -> str:
    return f"year: {year}\nnumber: {number}\nspecial: {label}\ndate: {date}\n"


# --------------------------------------------------------------------------- the year start


def test_a_new_year_starts_at_one(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(28, 646),
            "issues/2019-001/issue.yaml": issue_yaml(1, 647, 2019, "2019-01-10"),
        }
    )
    assert codes(root) == []


def test_a_new_year_that_does_not_start_at_one_is_a_gap(make_workspace) -> None:  # type: ignore[no-untyped-def]
    # 2018-028 then 2019-003: the year restarts at 1, so 第1、2期 are missing (N002)
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(28, 646),
            "issues/2019-003/issue.yaml": issue_yaml(3, 647, 2019, "2019-01-10"),
        }
    )
    found = findings(root)
    assert [(c, f) for c, f, _, _ in found] == [("N002", "2019-003")]
    assert "应是第1期" in found[0][3]
    assert found[0][2] == 2  # the line of "number:"


def test_a_new_year_after_the_migration_point_starts_at_one(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace({"issues/2019-002/issue.yaml": issue_yaml(2, 646, 2019, "2019-01-10")})
    assert codes(root) == [("N002", "2019-002")]


def test_without_yearly_reset_numbers_run_on(make_workspace) -> None:  # type: ignore[no-untyped-def]
    files = {
        "issues/2018-028/issue.yaml": issue_yaml(28, 28),
        "issues/2019-029/issue.yaml": issue_yaml(29, 29, 2019, "2019-01-10"),
    }
    assert codes(make_workspace(files, config=NO_RESET)) == []


def test_without_yearly_reset_a_restart_goes_backwards(make_workspace) -> None:  # type: ignore[no-untyped-def]
    files = {
        "issues/2018-028/issue.yaml": issue_yaml(28, 28),
        "issues/2019-001/issue.yaml": issue_yaml(1, 29, 2019, "2019-01-10"),
    }
    assert codes(make_workspace(files, config=NO_RESET)) == [("N004", "2019-001")]


# --------------------------------------------------------------------------- totals and dates


def test_a_total_that_goes_backwards(make_workspace) -> None:  # type: ignore[no-untyped-def]
    # the issue's example: 2019-001 总第2期 after 2018-002 总第3期
    root = make_workspace(
        {
            "issues/2018-001/issue.yaml": issue_yaml(1, 2, 2018, "2018-01-05"),
            "issues/2018-002/issue.yaml": issue_yaml(2, 3, 2018, "2018-02-05"),
            "issues/2019-001/issue.yaml": issue_yaml(1, 2, 2019, "2019-01-05"),
        },
        config=NO_PREVIOUS,
    )
    found = findings(root)
    assert ("N004", "2019-001") in [(c, f) for c, f, _, _ in found]
    assert any("总期号倒退" in m and "总第3期" in m for _, _, _, m in found)


def test_a_skipped_total(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(28, 646),
            "issues/2018-029/issue.yaml": issue_yaml(29, 648, date="2018-12-28"),
        }
    )
    found = findings(root)
    assert [(c, f) for c, f, _, _ in found] == [("N002", "2018-029")]
    assert "总第647期" in found[0][3]


def test_a_date_earlier_than_the_previous_issue(make_workspace) -> None:  # type: ignore[no-untyped-def]
    # the issue's example: 2018-029 dated 2018-06-01 after 2018-028 dated 2018-12-20
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(28, 646, date="2018-12-20"),
            "issues/2018-029/issue.yaml": issue_yaml(29, 647, date="2018-06-01"),
        }
    )
    found = findings(root)
    assert [(c, f, line) for c, f, line, _ in found] == [("N004", "2018-029", 4)]
    assert "2018-06-01 早于上一期 2018-028 的 2018-12-20" in found[0][3]


def test_the_same_date_twice_is_fine(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(28, 646),
            "issues/2018-029/issue.yaml": issue_yaml(29, 647),
        }
    )
    assert codes(root) == []


def test_an_issue_older_than_the_migration_point(make_workspace) -> None:  # type: ignore[no-untyped-def]
    # the issue's example: 2017-001 in a workspace that continues from 2018 第27期
    root = make_workspace({"issues/2017-001/issue.yaml": issue_yaml(1, 646, 2017, "2017-06-01")})
    found = findings(root)
    assert ("N004", "2017-001") in [(c, f) for c, f, _, _ in found]


def test_an_issue_repeating_the_migration_point(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace({"issues/2018-027/issue.yaml": issue_yaml(27, 645)})
    assert codes(root) == [("N004", "2018-027"), ("N004", "2018-027")]


def test_a_number_below_the_migration_point(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace({"issues/2018-020/issue.yaml": issue_yaml(20, 646)})
    assert codes(root) == [("N004", "2018-020")]


def test_year_and_date_must_agree(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace({"issues/2018-028/issue.yaml": issue_yaml(28, 646, date="2019-01-03")})
    found = findings(root)
    assert [(c, f, line) for c, f, line, _ in found] == [("N005", "2018-028", 1)]


def test_duplicates_of_number_and_total(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(28, 646),
            "issues/2018-029/issue.yaml": issue_yaml(29, 646),
        }
    )
    assert codes(root) == [("N001", "2018-029")]


def test_folder_name_must_match(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace({"issues/2018-099/issue.yaml": issue_yaml(28, 646)})
    assert codes(root) == [("N003", "2018-099")]


# --------------------------------------------------------------------------- 专刊 series


def test_a_special_series_is_numbered_on_its_own(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(28, 646),
            "issues/2018-专刊-01/issue.yaml": special_yaml(1, "2018-03-01"),
            "issues/2018-专刊-02/issue.yaml": special_yaml(2, "2018-12-21"),
            "issues/2019-专刊-01/issue.yaml": special_yaml(1, "2019-01-02", 2019),
        }
    )
    assert codes(root) == []


def test_a_special_series_starts_at_one(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace({"issues/2018-专刊-02/issue.yaml": special_yaml(2, "2018-03-01")})
    assert codes(root) == [("N002", "2018-专刊-02")]


def test_a_special_series_gap_duplicate_and_date_order(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-专刊-01/issue.yaml": special_yaml(1, "2018-03-01"),
            "issues/2018-专刊-1/issue.yaml": special_yaml(1, "2018-03-02"),
            "issues/2018-专刊-03/issue.yaml": special_yaml(3, "2018-02-01"),
        }
    )
    found = set(codes(root))
    assert ("N001", "2018-专刊-1") in found
    assert ("N002", "2018-专刊-03") in found
    assert ("N004", "2018-专刊-03") in found


def test_a_special_takes_no_total(make_workspace) -> None:  # type: ignore[no-untyped-def]
    text = special_yaml(1, "2018-03-01") + "total: 700\n"
    found = findings(make_workspace({"issues/2018-专刊-01/issue.yaml": text}))
    assert [(c, f, line) for c, f, line, _ in found] == [("M003", "2018-专刊-01", 5)]


# --------------------------------------------------------------------------- hostile numbers


def test_a_250_digit_number_is_refused_gracefully(make_workspace) -> None:  # type: ignore[no-untyped-def]
    huge = "9" * 250
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": f"year: 2018\nnumber: {huge}\ntotal: 646\ndate: 2018-12-20\n"
        }
    )
    found = findings(root)
    assert [(c, f, line) for c, f, line, _ in found] == [("M003", "2018-028", 2)]
    assert "1 到 9999" in found[0][3] and "250 位" in found[0][3]
    assert len(found[0][3]) < 80
    settings = load_settings(root, Reporter())
    with pytest.raises(InputError):
        allocate_issue(settings, dt.date(2018, 12, 28))


@pytest.mark.parametrize(("key", "value"), [("year", "20180"), ("total", "0"), ("number", "-1")])
def test_out_of_range_register_values(make_workspace, key: str, value: str) -> None:  # type: ignore[no-untyped-def]
    fields = {"year": "2018", "number": "28", "total": "646", "date": "2018-12-20", key: value}
    text = "".join(f"{k}: {v}\n" for k, v in fields.items())
    root = make_workspace({"issues/2018-028/issue.yaml": text})
    assert codes(root) == [("M003", "2018-028")]


# --------------------------------------------------------------------------- allocation


def _settings(root: Path):  # type: ignore[no-untyped-def]
    return load_settings(root, Reporter())


def test_allocation_refuses_a_date_before_the_latest_issue(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace({"issues/2018-028/issue.yaml": issue_yaml(28, 646)})
    with pytest.raises(InputError) as caught:
        allocate_issue(_settings(root), dt.date(2018, 6, 1))
    assert "早于最新一期 2018-028" in caught.value.diagnostics[0].message
    assert "--backfill" in (caught.value.hint or "")
    assert sorted(p.name for p in (root / "issues").iterdir()) == ["2018-028"]


def test_allocation_refuses_a_year_before_the_migration_point(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace()
    with pytest.raises(InputError):
        allocate_issue(_settings(root), dt.date(2017, 6, 1))
    assert list((root / "issues").iterdir()) == []


def test_a_special_may_be_dated_before_the_latest_regular_issue(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace({"issues/2018-028/issue.yaml": issue_yaml(28, 646)})
    special = allocate_issue(_settings(root), dt.date(2018, 6, 1), "专刊")
    assert special.id == "2018-专刊-01"
    with pytest.raises(InputError):
        allocate_issue(_settings(root), dt.date(2018, 5, 1), "专刊")


def test_backfill_takes_the_gap_between_two_issues(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(28, 646, date="2018-12-01"),
            "issues/2018-030/issue.yaml": issue_yaml(30, 648, date="2018-12-20"),
        }
    )
    assert codes(root) == [("N002", "2018-030")] * 2  # 期 and 总期
    filled = allocate_issue(_settings(root), dt.date(2018, 12, 10), backfill=True)
    assert (filled.id, filled.number, filled.total) == ("2018-029", 29, 647)
    assert codes(root) == []


def test_backfill_fills_the_gap_after_the_migration_point(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace({"issues/2018-029/issue.yaml": issue_yaml(29, 647)})
    filled = allocate_issue(_settings(root), dt.date(2018, 12, 1), backfill=True)
    assert (filled.id, filled.total) == ("2018-028", 646)
    assert codes(root) == []


def test_backfill_across_a_new_year(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(28, 646),
            "issues/2019-002/issue.yaml": issue_yaml(2, 648, 2019, "2019-01-20"),
        }
    )
    filled = allocate_issue(_settings(root), dt.date(2019, 1, 5), backfill=True)
    assert (filled.id, filled.total) == ("2019-001", 647)
    assert codes(root) == []


def test_backfill_refuses_when_there_is_no_gap_for_the_date(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(28, 646, date="2018-12-01"),
            "issues/2018-029/issue.yaml": issue_yaml(29, 647, date="2018-12-20"),
            "issues/2018-031/issue.yaml": issue_yaml(31, 649, date="2018-12-28"),
        }
    )
    with pytest.raises(InputError) as caught:
        allocate_issue(_settings(root), dt.date(2018, 12, 10), backfill=True)  # 28..29: no gap
    assert "没有可供 2018-12-10 补编的空号" in caught.value.diagnostics[0].message
    assert not (root / "issues" / "2018-030").exists()


def test_backfill_in_a_special_series(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-专刊-01/issue.yaml": special_yaml(1, "2018-03-01"),
            "issues/2018-专刊-03/issue.yaml": special_yaml(3, "2018-09-01"),
        }
    )
    filled = allocate_issue(_settings(root), dt.date(2018, 6, 1), "专刊", backfill=True)
    assert filled.id == "2018-专刊-02"
    with pytest.raises(InputError):
        allocate_issue(_settings(root), dt.date(2018, 6, 2), "专刊", backfill=True)


def test_base_config_has_a_migration_point() -> None:
    assert "previous: {year: 2018, number: 27, total: 645}" in BASE_CONFIG
