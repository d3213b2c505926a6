"""Stage 3 — number: Chinese numerals, the printed 期号, allocation and the register checks.

Allocation is the only place numbers are invented. It runs under an exclusive lock on
``<workspace>/.briefing.lock`` while it scans ``issues/`` and creates the new folder, so any
number of editors (or processes) allocating at once get distinct consecutive numbers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing import rules
from briefing.errors import InputError, UsageError
from briefing.model import Issue, Numbering, Settings
from briefing.rules import Reporter

_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


CHINESE_NUMBER_LIMIT = 10**8  # 一万万: the settings schema keeps every 期号 far below it


def chinese_number(n: int) -> str:
    """Chinese numeral as printed in 期号: 10 → 十, 28 → 二十八, 105 → 一百零五, 110 → 一百一十."""
    if not 0 <= n < CHINESE_NUMBER_LIMIT:
        raise ValueError("out of range for a Chinese numeral")
    if n >= 10000:
        high, low = divmod(n, 10000)
        head = chinese_number(high) + "万"
        if low == 0:
            return head
        return head + ("零" if low < 1000 else "") + _below_10000(low, leading=False)
    return _below_10000(n, leading=True)


def _below_10000(n: int, leading: bool) -> str:
    if n < 10:
        return _DIGITS[n]
    if leading and 10 <= n < 20:
        return "十" + (_DIGITS[n - 10] if n > 10 else "")
    out: list[str] = []
    pending_zero = False
    for value, unit in _UNITS:
        digit, n = divmod(n, value)
        if digit:
            if pending_zero:
                out.append("零")
            out.append(_DIGITS[digit] + unit)
            pending_zero = False
        elif out:
            pending_zero = True
    if n:
        if pending_zero:
            out.append("零")
        out.append(_DIGITS[n])
    return "".join(out)


def issue_label(numbering: Numbering, issue: Issue) -> str:
    """The printed 期号, e.g. ``第二十八期（总第646期）`` or ``专刊第一期``."""
    template = numbering.special_format if issue.special else numbering.format
    return template.format_map(_fields(issue))


def _fields(issue: Issue) -> dict[str, object]:
    total = issue.total if issue.total is not None else ""
    return {
        "year": issue.year,
        "number": issue.number,
        "number_cn": chinese_number(issue.number),
        "total": total,
        "total_cn": chinese_number(issue.total) if issue.total is not None else "",
        "label": issue.special or "",
    }


def date_text(date: dt.date) -> str:
    """GB/T 9704 §7.3.5.4: Arabic numerals, full year, no leading zeros."""
    return f"{date.year}年{date.month}月{date.day}日"


def issue_id(year: int, number: int, special: str | None = None) -> str:
    return f"{year}-{special}-{number:02d}" if special else f"{year}-{number:03d}"


# --------------------------------------------------------------------------- allocation


@dataclass(frozen=True, slots=True)
class Allocation:
    id: str
    year: int
    number: int
    total: int | None
    special: str | None
    date: dt.date


def next_numbers(
    settings: Settings, issues: Sequence[Issue], year: int, special: str | None
) -> tuple[int, int | None]:
    """``(期, 总期)`` of the next issue in *year*; specials have their own series and no 总期."""
    if special:
        same = [i.number for i in issues if i.special == special and i.year == year]
        return max(same, default=0) + 1, None
    regular = [i for i in issues if not i.special]
    previous = settings.numbering.previous
    totals = [i.total for i in regular if i.total is not None]
    if previous:
        totals.append(previous.total)
    numbered = [(i.year, i.number) for i in regular]
    if previous:
        numbered.append((previous.year, previous.number))
    if settings.numbering.yearly_reset:
        in_year = [n for y, n in numbered if y == year]
        number = max(in_year, default=0) + 1
    else:
        number = max((n for _, n in numbered), default=0) + 1
    return number, max(totals, default=0) + 1


def allocate_issue(
    settings: Settings, date: dt.date, special: str | None = None, *, backfill: bool = False
) -> Allocation:
    """Create ``issues/<id>/issue.yaml`` for the next number, under the workspace lock.

    The new issue may not be dated before the latest issue of its series (that would put the
    register out of date order). With *backfill* it takes instead the number of a gap in the
    register — a 期 skipped between two issues whose dates enclose *date* — so the register
    becomes complete rather than disordered; without such a gap the back-fill is refused.
    """
    from briefing.identifiers import issue_folder_name, special_label
    from briefing.load import issue_dirs, load_issue
    from briefing.textio import safe_folder, write_atomic

    special = special_label(special) if special is not None else None
    safe_folder(settings.issues_dir, settings.root)
    with workspace_lock(settings.root):
        reporter = Reporter()
        issues = [i for d in issue_dirs(settings) if (i := load_issue(d, reporter)) is not None]
        if reporter.diagnostics:
            raise InputError(reporter.sorted(), hint="先修正这些 issue.yaml，再分配新期号")
        if backfill:
            number, total = backfill_numbers(settings, issues, date, special)
        else:
            refuse_backdating(settings, issues, date, special)
            number, total = next_numbers(settings, issues, date.year, special)
        new_id = issue_folder_name(issue_id(date.year, number, special))
        folder = settings.issues_dir / new_id
        try:
            os.mkdir(safe_folder(settings.issues_dir, settings.root) / new_id)
        except FileExistsError:
            raise UsageError(
                f"期刊目录 issues/{new_id} 已存在，但其中没有可用的 issue.yaml"
            ) from None
        safe_folder(folder / "images", settings.root)
        write_atomic(
            folder / "issue.yaml", _issue_yaml(date, number, total, special), root=settings.root
        )
    return Allocation(new_id, date.year, number, total, special, date)


def _series(issues: Sequence[Issue], special: str | None, year: int) -> list[Issue]:
    if special:
        return [i for i in issues if i.special == special and i.year == year]
    return [i for i in issues if not i.special]


def refuse_backdating(
    settings: Settings, issues: Sequence[Issue], date: dt.date, special: str | None
) -> None:
    """``InputError`` when *date* is earlier than the latest issue of its series."""
    series = _series(issues, special, date.year)
    latest = max(series, key=lambda i: (i.date, i.year, i.number), default=None)
    if latest is not None and date < latest.date:
        raise InputError(
            f"出刊日期 {date.isoformat()} 早于最新一期 {latest.id}（{latest.date.isoformat()}）："
            "期号按日期先后分配，不能倒填日期，未创建任何期刊",
            hint="补编漏掉的一期请加 --backfill（只能填补登记簿中跳过的期号）",
        )
    previous = settings.numbering.previous
    if not special and previous is not None and date.year < previous.year:
        raise InputError(
            f"出刊日期 {date.isoformat()} 早于 briefing.yaml 中的上一期"
            f"（{previous.year}年第{previous.number}期），未创建任何期刊"
        )


def backfill_numbers(
    settings: Settings, issues: Sequence[Issue], date: dt.date, special: str | None
) -> tuple[int, int | None]:
    """``(期, 总期)`` of the first gap in the register that an issue dated *date* fills."""
    if special:
        series = sorted(_series(issues, special, date.year), key=lambda i: i.number)
        taken = {i.number for i in series}
        for number in range(1, max(taken, default=0) + 1):
            if number in taken:
                continue
            before = [i for i in series if i.number < number]
            after = [i for i in series if i.number > number]
            if all(i.date <= date for i in before) and all(date <= i.date for i in after):
                return number, None
        raise InputError(_no_gap(date))
    regular = sorted(_series(issues, None, date.year), key=lambda i: (i.year, i.number))
    previous = settings.numbering.previous
    chain: list[tuple[int, int, int | None, dt.date | None]] = []
    if previous is not None:
        chain.append((previous.year, previous.number, previous.total, None))
    chain += [(i.year, i.number, i.total, i.date) for i in regular]
    for (year, number, total, day), (
        next_year,
        next_number,
        next_total,
        next_day,
    ) in itertools.pairwise(chain):
        if (day is not None and date < day) or (next_day is not None and date > next_day):
            continue
        if date.year not in (year, next_year):
            continue
        candidate = 1 if settings.numbering.yearly_reset and date.year != year else number + 1
        candidate_total = total + 1 if total is not None else None
        fits_number = (date.year, candidate) < (next_year, next_number)
        fits_total = candidate_total is None or next_total is None or candidate_total < next_total
        if fits_number and fits_total:
            return candidate, candidate_total
    raise InputError(_no_gap(date))


def _no_gap(date: dt.date) -> str:
    return (
        f"登记簿中没有可供 {date.isoformat()} 补编的空号：补编只能使用前后两期之间跳过的期号"
        "（期号和总期号都空着，且日期在前后两期之间），未创建任何期刊"
    )


def _issue_yaml(date: dt.date, number: int, total: int | None, special: str | None) -> str:
    lines = [f"year: {date.year}", f"number: {number}"]
    if total is not None:
        lines.append(f"total: {total}")
    if special:
        lines.append(f"special: {_yaml_scalar(special)}")
    lines.append(f"date: {date.isoformat()}")
    return "\n".join(lines) + "\n"


def _yaml_scalar(text: str) -> str:
    """*text* plain when YAML reads it back as the same string, else double-quoted
    (a label like ``true`` or ``2019`` would otherwise become a bool or a number)."""
    import yaml

    return (
        text
        if yaml.safe_load(f"x: {text}") == {"x": text}
        else json.dumps(text, ensure_ascii=False)
    )


@contextlib.contextmanager
def workspace_lock(root: Path) -> Iterator[None]:
    """Exclusive advisory lock on ``<root>/.briefing.lock`` (blocks until it is free).

    The lock file is opened without following a symlink (``O_NOFOLLOW``): a link planted in
    its place must not make ``open`` create or lock a file elsewhere."""
    from briefing.textio import UnsafeWrite

    path = root / ".briefing.lock"
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except OSError:
        if os.path.islink(path):
            raise UnsafeWrite(
                path, f"{path.name} 是符号链接，出于安全考虑不经符号链接写入"
            ) from None
        raise
    with open(fd, "a+b") as handle:
        _lock(handle.fileno())
        try:
            yield
        finally:
            _unlock(handle.fileno())


# sys.platform, not os.name: the guard mypy understands, so each branch is checked on its own
# platform only (msvcrt exists only on Windows, fcntl only elsewhere)
if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError:
                continue

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


# --------------------------------------------------------------------------- register checks


def check_register(settings: Settings, issues: Sequence[Issue], reporter: Reporter) -> None:
    """The whole register: folder names, duplicates, gaps and order, regular and 专刊 series.

    Regular issues are walked in number order (year, 期); each must follow the one before it —
    期 + 1 (or 1 in a new year with ``yearly_reset``), 总期 + 1, a date no earlier, a year that
    matches its date — starting from ``numbering.previous`` when the workspace has one.
    """
    for issue in issues:
        _check_folder_name(issue, reporter)
        if issue.date.year != issue.year:
            _report(
                reporter,
                rules.YEAR_MISMATCH,
                issue,
                f"year: {issue.year} 与出刊日期 {issue.date.isoformat()} 的年份不一致",
            )
    regular = sorted((i for i in issues if not i.special), key=lambda i: (i.year, i.number, i.id))
    _check_duplicates(regular, reporter)
    _check_sequence(settings, regular, reporter)
    specials: dict[tuple[int, str], list[Issue]] = {}
    for issue in issues:
        if issue.special:
            specials.setdefault((issue.year, issue.special), []).append(issue)
    for series in specials.values():
        series.sort(key=lambda i: (i.number, i.id))
        _check_special_series(series, reporter)
        for issue in series:
            if issue.total is not None:
                _report(
                    reporter,
                    rules.FIELD_TYPE,
                    issue,
                    f"{issue.special}单独编号，不占总期号：删除 total: {issue.total}",
                )


def _check_special_series(series: Sequence[Issue], reporter: Reporter) -> None:
    first = series[0]
    if first.number != 1:
        _report(
            reporter,
            rules.SKIPPED_NUMBER,
            first,
            f"{first.year}年{first.special}应从第1期开始，这一期是第{first.number}期",
        )
    for before, after in itertools.pairwise(series):
        if after.number == before.number:
            _report(
                reporter,
                rules.DUPLICATE_NUMBER,
                after,
                f"{after.special}期号重复：与 {before.id} 都是第{after.number}期",
            )
        elif after.number != before.number + 1:
            _report(
                reporter,
                rules.SKIPPED_NUMBER,
                after,
                f"{after.special}跳号：{before.id} 是第{before.number}期，这一期是第{after.number}期",
            )
        _check_date_order(before, after, reporter)


def _report(reporter: Reporter, rule: rules.Rule, issue: Issue, message: str) -> None:
    """Report at the issue.yaml key the finding is about (its value's line and column), or at
    the top of the file for an issue built without positions."""
    line, column = issue.positions.get(_RULE_KEYS[rule.code], (1, 1))
    reporter.add(rule, message, issue.dir / "issue.yaml", line, column)


# Which issue.yaml key a register finding is about, so the location points at it.
_RULE_KEYS = {
    "M003": "total",
    "N001": "number",
    "N002": "number",
    "N003": "number",
    "N004": "date",
    "N005": "year",
}


def _check_folder_name(issue: Issue, reporter: Reporter) -> None:
    expected = issue_id(issue.year, issue.number, issue.special)
    if issue.id != expected:
        _report(
            reporter,
            rules.FOLDER_MISMATCH,
            issue,
            f"目录名 {issue.id} 与 issue.yaml 不一致：按 year/number 应为 {expected}",
        )


def _check_duplicates(regular: Sequence[Issue], reporter: Reporter) -> None:
    seen_number: dict[tuple[int, int], Issue] = {}
    seen_total: dict[int, Issue] = {}
    for issue in regular:
        key = (issue.year, issue.number)
        if key in seen_number:
            _report(
                reporter,
                rules.DUPLICATE_NUMBER,
                issue,
                f"期号重复：{issue.year}年第{issue.number}期已由 {seen_number[key].id} 使用",
            )
        seen_number.setdefault(key, issue)
        if issue.total is not None:
            if issue.total in seen_total:
                _report(
                    reporter,
                    rules.DUPLICATE_NUMBER,
                    issue,
                    f"总期号重复：总第{issue.total}期已由 {seen_total[issue.total].id} 使用",
                )
            seen_total.setdefault(issue.total, issue)


@dataclass(frozen=True, slots=True)
class _Last:
    """The issue a regular issue must follow: an issue folder, or ``numbering.previous``."""

    name: str
    year: int
    number: int
    total: int | None
    issue: Issue | None = None


def _check_sequence(settings: Settings, regular: Sequence[Issue], reporter: Reporter) -> None:
    previous = settings.numbering.previous
    last = (
        _Last(
            f"briefing.yaml 中的上一期（{previous.year}年第{previous.number}期，总第{previous.total}期）",
            previous.year,
            previous.number,
            previous.total,
        )
        if previous
        else None
    )
    for issue in regular:
        if last is not None:
            _check_number(settings, last, issue, reporter)
            _check_total(last, issue, reporter)
            if last.issue is not None:
                _check_date_order(last.issue, issue, reporter)
        total = issue.total if issue.total is not None else (last.total if last else None)
        last = _Last(issue.id, issue.year, issue.number, total, issue)


def _check_number(settings: Settings, last: _Last, issue: Issue, reporter: Reporter) -> None:
    if (issue.year, issue.number) == (last.year, last.number):
        if last.issue is None:  # the same number as the migration point
            _report(
                reporter,
                rules.NUMBER_ORDER,
                issue,
                f"期号倒退：{last.name}已是{issue.year}年第{issue.number}期",
            )
        return  # two folders with one number: N001 says so
    if issue.year < last.year:
        _report(
            reporter,
            rules.NUMBER_ORDER,
            issue,
            f"期号倒退：{issue.year}年的期刊排在{last.name}之后",
        )
        return
    expected = 1 if settings.numbering.yearly_reset and issue.year != last.year else last.number + 1
    if issue.number > expected:
        _report(
            reporter,
            rules.SKIPPED_NUMBER,
            issue,
            f"跳号：{last.name}之后应是第{expected}期，这一期是第{issue.number}期",
        )
    elif issue.number < expected:
        _report(
            reporter,
            rules.NUMBER_ORDER,
            issue,
            f"期号倒退：{last.name}之后应是第{expected}期，这一期是第{issue.number}期",
        )


def _check_total(last: _Last, issue: Issue, reporter: Reporter) -> None:
    if last.total is None or issue.total is None:
        return
    if issue.total > last.total + 1:
        _report(
            reporter,
            rules.SKIPPED_NUMBER,
            issue,
            f"总期号跳号：{last.name}之后应是总第{last.total + 1}期，这一期是总第{issue.total}期",
        )
    elif issue.total < last.total or (issue.total == last.total and last.issue is None):
        _report(
            reporter,
            rules.NUMBER_ORDER,
            issue,
            f"总期号倒退：{last.name}是总第{last.total}期，这一期是总第{issue.total}期",
        )


def _check_date_order(before: Issue, after: Issue, reporter: Reporter) -> None:
    if after.date < before.date:
        _report(
            reporter,
            rules.NUMBER_ORDER,
            after,
            f"出刊日期倒退：{after.date.isoformat()} 早于上一期 {before.id} 的 "
            f"{before.date.isoformat()}；期号应按日期先后分配",
        )
