"""Edges of the register that the rule-by-rule tests pass by: the exact wording of every
register finding, back-fill bounds (dates equal to a neighbour's, number gaps without 总期
gaps and the reverse), 总期 carried over an issue without one, and YAML-special 专刊 names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefing.check import check_workspace
from briefing.errors import InputError
from briefing.load import load_settings
from briefing.model import Issue, Numbering, PreviousIssue, Settings
from briefing.numbering import (
    CHINESE_NUMBER_LIMIT,
    allocate_issue,
    backfill_numbers,
    check_register,
    chinese_number,
)
from briefing.rules import Reporter
from tests.conftest import issue_yaml

NO_PREVIOUS = "name: 测试\nissuer: 测试办\n"
MIGRATION = "briefing.yaml 中的上一期（2018年第27期，总第645期）"
NO_GAP = (
    "登记簿中没有可供 {} 补编的空号：补编只能使用前后两期之间跳过的期号"
    "（期号和总期号都空着，且日期在前后两期之间），未创建任何期刊"
)


def messages(root: Path) -> list[tuple[str, str, int, int, str]]:
    """``(code, issue folder, line, column, message)`` of every finding but F008 (no articles)."""
    ws = check_workspace(root, advice=False)
    return [
        (d.code, d.path.parent.name if d.path else "", d.line or 0, d.column or 0, d.message)
        for d in ws.diagnostics
        if d.code != "F008"
    ]


def special_yaml(number: int, date: str, year: int = 2018) -> str:
    return f"year: {year}\nnumber: {number}\nspecial: 专刊\ndate: {date}\n"


def _issue(name: str, date: str, total: int | None = None, special: str | None = None) -> Issue:
    year, *_, number = name.split("-")
    return Issue(
        name, Path(name), int(year), int(number), dt.date.fromisoformat(date), total, special
    )


def _settings(root: Path, previous: PreviousIssue | None = None) -> Settings:
    return Settings(root=root, name="简报", issuer="办公室", numbering=Numbering(previous=previous))


# --------------------------------------------------------------------------- numerals


def test_the_numeral_limit_itself_is_out_of_range() -> None:
    assert chinese_number(CHINESE_NUMBER_LIMIT - 1) == "九千九百九十九万九千九百九十九"
    with pytest.raises(ValueError, match=r"^out of range for a Chinese numeral$"):
        chinese_number(CHINESE_NUMBER_LIMIT)


# --------------------------------------------------------------------------- exact messages


@pytest.mark.parametrize(
    ("year", "number", "date", "message"),
    [
        (2018, 27, "2018-12-20", f"期号倒退：{MIGRATION}已是2018年第27期"),
        (2017, 1, "2017-06-01", f"期号倒退：2017年的期刊排在{MIGRATION}之后"),
        (2018, 20, "2018-12-20", f"期号倒退：{MIGRATION}之后应是第28期，这一期是第20期"),
    ],
)
def test_number_order_messages_against_the_migration_point(  # type: ignore[no-untyped-def]
    make_workspace, year: int, number: int, date: str, message: str
) -> None:
    folder = f"{year}-{number:03d}"
    root = make_workspace({f"issues/{folder}/issue.yaml": issue_yaml(number, 646, year, date)})
    assert messages(root) == [("N004", folder, 4, 7, message)]  # N004 points at the date


def test_skip_message_names_the_issue_before(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(28, 646),
            "issues/2018-030/issue.yaml": issue_yaml(30, 647),
        }
    )
    assert messages(root) == [
        ("N002", "2018-030", 2, 9, "跳号：2018-028之后应是第29期，这一期是第30期"),
    ]


def test_year_mismatch_message(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace({"issues/2018-028/issue.yaml": issue_yaml(28, 646, date="2019-01-03")})
    assert messages(root) == [
        ("N005", "2018-028", 1, 7, "year: 2018 与出刊日期 2019-01-03 的年份不一致"),
    ]


def test_a_special_series_starting_late(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace({"issues/2018-专刊-02/issue.yaml": special_yaml(2, "2018-03-01")})
    assert messages(root) == [
        ("N002", "2018-专刊-02", 2, 9, "2018年专刊应从第1期开始，这一期是第2期"),
    ]


def test_special_series_duplicate_and_skip_messages(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-专刊-01/issue.yaml": special_yaml(1, "2018-03-01"),
            "issues/2018-专刊-1/issue.yaml": special_yaml(1, "2018-03-02"),
            "issues/2018-专刊-03/issue.yaml": special_yaml(3, "2018-04-01"),
        }
    )
    assert messages(root) == [
        ("N002", "2018-专刊-03", 2, 9, "专刊跳号：2018-专刊-1 是第1期，这一期是第3期"),
        ("N001", "2018-专刊-1", 2, 9, "专刊期号重复：与 2018-专刊-01 都是第1期"),
        (
            "N003",
            "2018-专刊-1",
            2,
            9,
            "目录名 2018-专刊-1 与 issue.yaml 不一致：按 year/number 应为 2018-专刊-01",
        ),
    ]


def test_special_total_message(make_workspace) -> None:  # type: ignore[no-untyped-def]
    text = special_yaml(1, "2018-03-01") + "total: 700\n"
    assert messages(make_workspace({"issues/2018-专刊-01/issue.yaml": text})) == [
        ("M003", "2018-专刊-01", 5, 8, "专刊单独编号，不占总期号：删除 total: 700"),
    ]


def test_an_issue_built_without_positions_is_reported_at_the_top(tmp_path: Path) -> None:
    reporter = Reporter()
    issues = [_issue("2018-028", "2018-12-20", 646), _issue("2018-030", "2018-12-28", 647)]
    check_register(_settings(tmp_path), issues, reporter)
    assert [(d.code, d.path, d.line, d.column) for d in reporter.diagnostics] == [
        ("N002", Path("2018-030/issue.yaml"), 1, 1),
    ]


# --------------------------------------------------------------------------- 总期 carried over


def test_the_total_runs_on_over_an_issue_without_one(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(28, 646),
            "issues/2018-029/issue.yaml": "year: 2018\nnumber: 29\ndate: 2018-12-20\n",
            "issues/2018-030/issue.yaml": issue_yaml(30, 649),
        }
    )
    found = [(c, f, m) for c, f, _, _, m in messages(root)]
    assert ("N002", "2018-030", "总期号跳号：2018-029之后应是总第647期，这一期是总第649期") in found
    assert [c for c, _, _ in found] == ["M001", "N002"]


def test_a_first_issue_without_total_and_no_migration_point(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-001/issue.yaml": "year: 2018\nnumber: 1\ndate: 2018-01-05\n",
            "issues/2018-002/issue.yaml": issue_yaml(2, 2, date="2018-01-10"),
        },
        config=NO_PREVIOUS,
    )
    assert [(c, f) for c, f, _, _, _ in messages(root)] == [("M001", "2018-001")]


# --------------------------------------------------------------------------- allocation


def test_allocation_compares_with_the_latest_dated_issue(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(28, 646, date="2018-12-01"),
            "issues/2018-029/issue.yaml": issue_yaml(29, 647, date="2018-12-20"),
        }
    )
    with pytest.raises(InputError) as caught:
        allocate_issue(load_settings(root, Reporter()), dt.date(2018, 12, 10))
    assert [d.message for d in caught.value.diagnostics] == [
        "出刊日期 2018-12-10 早于最新一期 2018-029（2018-12-20）："
        "期号按日期先后分配，不能倒填日期，未创建任何期刊"
    ]
    assert caught.value.hint == "补编漏掉的一期请加 --backfill（只能填补登记簿中跳过的期号）"
    same_day = allocate_issue(load_settings(root, Reporter()), dt.date(2018, 12, 20))
    assert (same_day.id, same_day.total) == ("2018-030", 648)


@pytest.mark.parametrize("label", ["true", "2019", "null", "yes"])
def test_a_special_name_yaml_would_misread_is_quoted(make_workspace, label: str) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace()
    made = allocate_issue(load_settings(root, Reporter()), dt.date(2018, 12, 25), label)
    text = (root / "issues" / made.id / "issue.yaml").read_text(encoding="utf-8")
    assert text == f'year: 2018\nnumber: 1\nspecial: "{label}"\ndate: 2018-12-25\n'
    assert messages(root) == []  # read back as the same text: no type error, the folder matches


# --------------------------------------------------------------------------- back-fill, 专刊


def test_special_backfill_before_the_first_issue_takes_number_one(tmp_path: Path) -> None:
    issues = [_issue("2018-专刊-02", "2018-06-01", special="专刊")]
    found = backfill_numbers(_settings(tmp_path), issues, dt.date(2018, 5, 1), "专刊")
    assert found == (1, None)


def test_special_backfill_never_appends_or_uses_an_empty_series(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with pytest.raises(InputError) as caught:
        backfill_numbers(settings, [], dt.date(2018, 5, 1), "专刊")
    assert [d.message for d in caught.value.diagnostics] == [NO_GAP.format("2018-05-01")]
    full = [
        _issue("2018-专刊-01", "2018-03-01", special="专刊"),
        _issue("2018-专刊-02", "2018-04-01", special="专刊"),
    ]
    with pytest.raises(InputError):
        backfill_numbers(settings, full, dt.date(2018, 5, 1), "专刊")


def test_special_backfill_date_bounds(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    issues = [
        _issue("2018-专刊-01", "2018-03-01", special="专刊"),
        _issue("2018-专刊-03", "2018-09-01", special="专刊"),
    ]
    for day in ("2018-03-01", "2018-09-01"):  # a neighbour's own date fits
        assert backfill_numbers(settings, issues, dt.date.fromisoformat(day), "专刊") == (2, None)
    for day in ("2018-02-01", "2018-10-01"):  # before the one before, after the one after
        with pytest.raises(InputError):
            backfill_numbers(settings, issues, dt.date.fromisoformat(day), "专刊")


# --------------------------------------------------------------------------- back-fill, regular


def test_backfill_date_bounds(tmp_path: Path) -> None:
    settings = _settings(tmp_path, PreviousIssue(2018, 27, 645))
    issues = [_issue("2018-028", "2018-12-01", 646), _issue("2018-030", "2018-12-20", 648)]
    for day in ("2018-12-01", "2018-12-20"):
        assert backfill_numbers(settings, issues, dt.date.fromisoformat(day), None) == (29, 647)
    with pytest.raises(InputError) as caught:
        backfill_numbers(settings, issues, dt.date(2018, 12, 25), None)  # after the last issue
    assert [d.message for d in caught.value.diagnostics] == [NO_GAP.format("2018-12-25")]


def test_backfill_needs_a_gap_in_both_number_and_total(tmp_path: Path) -> None:
    settings = _settings(tmp_path, PreviousIssue(2018, 27, 645))
    day = dt.date(2018, 12, 10)
    number_gap_only = [_issue("2018-028", "2018-12-01", 646), _issue("2018-030", "2018-12-20", 647)]
    total_gap_only = [_issue("2018-028", "2018-12-01", 646), _issue("2018-029", "2018-12-20", 648)]
    for issues in (number_gap_only, total_gap_only):
        with pytest.raises(InputError):
            backfill_numbers(settings, issues, day, None)


def test_backfill_without_totals(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    issues = [_issue("2018-001", "2018-01-05"), _issue("2018-003", "2018-03-05")]
    assert backfill_numbers(settings, issues, dt.date(2018, 2, 1), None) == (2, None)
    with_total = [_issue("2018-001", "2018-01-05", 1), _issue("2018-003", "2018-03-05")]
    assert backfill_numbers(settings, with_total, dt.date(2018, 2, 1), None) == (2, 2)


def test_backfill_goes_on_past_a_pair_of_other_years(tmp_path: Path) -> None:
    # 2019-001 is dated in 2020 (an N005 finding): the pair 2018-028 … 2019-001 encloses the
    # date but neither is of its year; the next pair, 2019-001 … 2020-005, has the gap
    settings = _settings(tmp_path, PreviousIssue(2018, 27, 645))
    issues = [
        _issue("2018-028", "2018-12-20", 646),
        _issue("2019-001", "2020-06-01", 647),
        _issue("2020-005", "2020-12-01", 651),
    ]
    assert backfill_numbers(settings, issues, dt.date(2020, 6, 1), None) == (1, 648)
