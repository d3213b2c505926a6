"""领导批示: the register ``instructions.yaml`` at the workspace root, outside every issue.

批示 arrive after an issue is signed and sent, but ``briefing publish`` freezes every file
under ``issues/<id>/`` (:mod:`briefing.manifest`): a 批示 written into an article's front matter
would change a signed file (R001) and block the rebuild. So 批示 are kept in one register of
the whole workspace, like the paper 批示登记簿 an office keeps: ``instructions.yaml`` beside
``briefing.yaml``, one record per 批示, in the order they were recorded::

    instructions:
      - issue: 2018-028          # the issue folder
        article: 01-snail.md     # the article file in it
        by: 李明远                # who
        position: 区委书记        # their post (optional)
        date: 2019-01-28
        text: 此做法很好，请各单位学习借鉴。   # optional (a 圈阅 has none)

A workspace file rather than one per issue: nothing under a signed issue's folder ever
changes (an archivist checking ``sha256sum -c`` or the folder's listing sees what was signed),
and one chronological register is what the office keeps on paper. ``briefing instruction``
adds, lists and removes records without YAML; every write is atomic, under the workspace lock
and never through a symlink. Adding appends the record's lines and removing deletes them, so
comments and hand formatting stay; a file whose layout does not allow that is rewritten whole.

``instructions:`` in an article's front matter is still read (published issues keep theirs);
:func:`migrate` moves it out of unpublished articles. :func:`attach` gives every article the
批示 of both places (the same 批示 in both counts once), so ``stats``, ``list`` and ``site``
read them as before; ``search`` reads the register through :func:`search_documents`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from briefing import rules
from briefing.config import Spec
from briefing.errors import Diagnostic, InputError, Severity, UsageError
from briefing.load import ARTICLE_SCHEMA, LoadedIssue, read_source
from briefing.model import Article, Instruction
from briefing.rules import Reporter
from briefing.yamldoc import Value, parse_mapping, validate

REGISTER_NAME = "instructions.yaml"
KEY = "instructions"
HEADER = (
    "# 领导批示登记簿：用 briefing instruction add / remove 登记和删除，也可以手工编辑。\n"
    "# 每条批示：issue 期刊目录，article 文稿文件名，by 批示人，position 职务（可选），\n"
    "# date 批示日期，text 批示内容（可选）。这个文件不属于任何一期，登记批示不改动已签发的期刊。\n"
)
RECORD_SCHEMA: dict[str, Spec] = {
    "issue": Spec("str", "期刊目录", required=True),
    "article": Spec("str", "文稿文件名", required=True),
    "by": Spec("str", "批示人", required=True),
    "position": Spec("str", "职务"),
    "date": Spec("date", "批示日期", required=True),
    "text": Spec("str", "批示内容"),
}
REGISTER_SCHEMA: dict[str, Spec] = {KEY: Spec("records", "领导批示", fields=RECORD_SCHEMA)}
MAX_NAME, MAX_POSITION, MAX_TEXT = 20, 40, 2000
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufdd0-\ufdef\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class Recorded:
    """One 批示 of the register: its place in it (number, line) and what it says."""

    number: int  # 1 = the first record of the file: what ``instruction list`` shows
    line: int
    column: int
    issue: str
    article: str
    instruction: Instruction


def register_path(root: Path) -> Path:
    return root / REGISTER_NAME


# --------------------------------------------------------------------------- reading


def read_register(root: Path, reporter: Reporter) -> tuple[Recorded, ...]:
    """The register's valid records; everything wrong is reported with its line."""
    path = register_path(root)
    if not path.exists() and not path.is_symlink():
        return ()
    text = read_source(path, reporter, root)
    if text is None:
        return ()
    return _records(text, path, reporter)


def _records(text: str, path: Path, reporter: Reporter) -> tuple[Recorded, ...]:
    values = parse_mapping(text, path, reporter)
    if values is None:
        return ()
    validate({k: v for k, v in values.items() if k != KEY}, REGISTER_SCHEMA, path, reporter)
    value = values.get(KEY)
    if value is None or value.broken or value.data is None:
        return ()
    if not isinstance(value.data, list):
        reporter.add(
            rules.FIELD_TYPE,
            "instructions 应为批示列表（每条以“- issue: …”开始）",
            path,
            value.value_line,
            value.value_column,
        )
        return ()
    found = []
    for number, item in enumerate(value.items or (), start=1):
        record = _record(item, number, path, reporter)
        if record is not None:
            found.append(record)
    return tuple(found)


def _record(item: Value, number: int, path: Path, reporter: Reporter) -> Recorded | None:
    if not isinstance(item.data, dict):
        reporter.add(
            rules.FIELD_TYPE,
            f"第 {number} 条批示应为“issue: …、article: …、by: …、date: …”的映射",
            path,
            item.value_line,
            item.value_column,
        )
        return None
    where = f"{KEY}[{number}]."
    got = validate(
        item.children or {},
        RECORD_SCHEMA,
        path,
        reporter,
        where=where,
        fallback_line=item.value_line,
    )
    if not all(key in got for key, spec in RECORD_SCHEMA.items() if spec.required):
        return None
    instruction = Instruction(got["by"], got["date"], got.get("text"), got.get("position"))
    return Recorded(
        number, item.value_line, item.value_column, got["issue"], got["article"], instruction
    )


# --------------------------------------------------------------------------- the workspace


def attach(
    root: Path, issues: Sequence[LoadedIssue], reporter: Reporter
) -> tuple[LoadedIssue, ...]:
    """*issues* with every article carrying the 批示 of its front matter and of the register.

    A record naming an issue or article that does not exist is an error (M008), one dated
    before its issue a warning (M009); both point at the record's line.
    """
    recorded = read_register(root, reporter)
    if not recorded:
        return tuple(issues)
    path = register_path(root)
    by_folder = {loaded.dir.name: loaded for loaded in issues}
    wanted: dict[tuple[str, str], list[Instruction]] = {}
    for record in recorded:
        loaded = by_folder.get(record.issue)
        problem = _target_problem(record, loaded)
        if problem:
            reporter.add(rules.INSTRUCTION_TARGET, problem, path, record.line, record.column)
            continue
        assert loaded is not None
        if loaded.issue is not None and record.instruction.date < loaded.issue.date:
            reporter.add(
                rules.INSTRUCTION_DATE,
                f"第 {record.number} 条批示的日期 {record.instruction.date} 早于期刊 "
                f"{record.issue} 的出刊日期 {loaded.issue.date}；请核对日期",
                path,
                record.line,
                record.column,
            )
        wanted.setdefault((record.issue, record.article), []).append(record.instruction)
    return tuple(_with_instructions(loaded, wanted) for loaded in issues)


def _target_problem(record: Recorded, loaded: LoadedIssue | None) -> str | None:
    if loaded is None:
        return f"第 {record.number} 条批示所在的期刊“{record.issue}”不存在；请核对 issue"
    article = loaded.dir / record.article
    if Path(record.article).name != record.article or not article.is_file():
        return (
            f"第 {record.number} 条批示的文稿“{record.article}”不在期刊 {record.issue} 中；"
            "文稿改过文件名时请同样修改 article"
        )
    return None


def _with_instructions(
    loaded: LoadedIssue, wanted: dict[tuple[str, str], list[Instruction]]
) -> LoadedIssue:
    articles = []
    for article in loaded.articles:
        extra = wanted.get((loaded.dir.name, article.path.name), [])
        # the same 批示 in the front matter and the register (a migration cut short) counts once
        merged = (*article.instructions, *(i for i in extra if i not in article.instructions))
        articles.append(replace(article, instructions=merged) if extra else article)
    return replace(loaded, articles=tuple(articles))


# --------------------------------------------------------------------------- which article


@dataclass(frozen=True, slots=True)
class Target:
    """The article a 批示 is recorded on."""

    loaded: LoadedIssue
    article: Article
    number: int  # its place in the printed issue (1 = the first article of the contents)


def find_target(issues: Sequence[LoadedIssue], issue: str, article: str | None) -> Target:
    """The article named by *issue* and *article*: its number in the printed issue, its file
    name (with or without ``.md``), or its title (whole or a part only it has). *issue* alone
    may be the article's path (``issues/2018-028/01-snail.md``)."""
    if article is None:
        parts = Path(issue).parts
        if len(parts) < 2:
            raise UsageError(
                "请指明哪一篇文稿：期刊之后写文稿的序号、文件名或标题，"
                "如 briefing instruction add 2018-028 1 …"
            )
        issue, article = parts[-2], parts[-1]
    folder = Path(issue).name
    loaded = next((i for i in issues if i.dir.name == folder), None)
    if loaded is None:
        known = "、".join(i.dir.name for i in issues[-5:]) or "（无）"
        raise UsageError(f"找不到期刊“{issue}”；现有期刊：{known}")
    if loaded.issue is None or not loaded.articles:
        raise UsageError(f"期刊 {folder} 中没有可读的文稿（运行 briefing check 查看）")
    from briefing.assemble import order_articles

    ordered = order_articles(loaded.issue, loaded.articles)
    found = _match(ordered, article.strip())
    if len(found) == 1:
        return Target(loaded, found[0], ordered.index(found[0]) + 1)
    listing = "；".join(f"{n}. {a.path.name}《{a.title}》" for n, a in enumerate(ordered, 1))
    if found:
        raise UsageError(f"“{article}”对应多篇文稿，请写序号或文件名：{listing}")
    raise UsageError(f"期刊 {folder} 中没有“{article}”这篇文稿；本期文稿：{listing}")


def _match(ordered: Sequence[Article], wanted: str) -> list[Article]:
    if wanted.isdigit():
        index = int(wanted)
        return [ordered[index - 1]] if 1 <= index <= len(ordered) else []
    by_name = [a for a in ordered if wanted in (a.path.name, a.path.stem)]
    if by_name:
        return by_name
    exact = [a for a in ordered if a.title == wanted]
    return exact or [a for a in ordered if wanted in a.title]


# --------------------------------------------------------------------------- validating input


DATE_FORMS = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")


def parse_date(text: str) -> dt.date:
    """``2019-01-28``, ``2019-1-28``, ``2019.1.28``, ``2019/1/28`` or ``2019年1月28日``."""
    match = DATE_FORMS.match(text.strip())
    if match is None:
        raise UsageError(f"批示日期“{text}”格式不对，应写成 2019-01-28 或 2019年1月28日")
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise UsageError(f"批示日期“{text}”不存在：{year}年没有{month}月{day}日") from None


def checked_instruction(
    by: str, position: str | None, day: dt.date, text: str | None, target: Target
) -> Instruction:
    """The 批示 typed on the command line, each part checked (``UsageError`` says what)."""
    by = _one_line("批示人", by, MAX_NAME)
    if not by:
        raise UsageError("批示人不能为空，如 --by 李明远")
    position = (_one_line("职务", position, MAX_POSITION) or None) if position else None
    if text is not None:
        text = text.strip()
        if _UNSAFE.search(text):
            raise UsageError("批示内容中不能有控制字符")
        if len(text) > MAX_TEXT:
            raise UsageError(f"批示内容过长（{len(text)} 字，上限 {MAX_TEXT} 字）")
    issue = target.loaded.issue
    assert issue is not None
    if day < issue.date:
        raise UsageError(
            f"批示日期 {day.isoformat()} 早于期刊 {target.loaded.dir.name} 的出刊日期 "
            f"{issue.date.isoformat()}：批示总在印发之后，请核对日期"
        )
    return Instruction(by, day, text or None, position)


def _one_line(label: str, text: str, limit: int) -> str:
    text = text.strip()
    if "\n" in text or "\r" in text or _UNSAFE.search(text):
        raise UsageError(f"{label}中不能有换行或控制字符")
    if len(text) > limit:
        raise UsageError(f"{label}“{text[:limit]}…”过长（上限 {limit} 字）")
    return text


# --------------------------------------------------------------------------- writing


def _record_yaml(issue: str, article: str, instruction: Instruction, indent: int) -> str:
    """One record as block YAML, its ``-`` at column *indent*."""
    import yaml

    fields: dict[str, object] = {"issue": issue, "article": article, "by": instruction.by}
    if instruction.position:
        fields["position"] = instruction.position
    fields["date"] = instruction.date
    if instruction.text:
        fields["text"] = instruction.text
    dumped = yaml.dump(
        [fields],
        Dumper=_dumper(),
        allow_unicode=True,
        sort_keys=False,
        width=10_000,
        default_flow_style=False,
    )
    pad = " " * indent
    return "".join(pad + line + "\n" for line in dumped.splitlines())


@cache
def _dumper() -> type:
    """PyYAML's safe dumper writing a 批示 of several lines as a ``|`` block, line by line."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
        style = "|" if "\n" in data else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    Dumper.add_representer(str, text)
    return Dumper


def _whole_file(records: Iterable[tuple[str, str, Instruction]]) -> str:
    return HEADER + f"{KEY}:\n" + "".join(_record_yaml(*r, indent=2) for r in records)


def _current(root: Path) -> tuple[str | None, tuple[Recorded, ...]]:
    """The register's text and records, refusing one that cannot be safely rewritten."""
    path = register_path(root)
    if path.is_symlink():
        raise UsageError(f"{REGISTER_NAME} 是符号链接；为安全起见不写入它，请换成普通文件")
    if not path.exists():
        return None, ()
    if not path.is_file():
        raise UsageError(f"{REGISTER_NAME} 不是普通文件，无法登记批示")
    reporter = Reporter()
    text = read_source(path, reporter, root)
    records = _records(text, path, reporter) if text is not None else ()
    errors = [d for d in reporter.diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise InputError(errors, hint=f"先修正 {REGISTER_NAME}，再登记或删除批示")
    return text, records


def _as_tuple(record: Recorded) -> tuple[str, str, Instruction]:
    return record.issue, record.article, record.instruction


def _verified(text: str, path: Path, expected: Sequence[tuple[str, str, Instruction]]) -> bool:
    """Whether *text* reads back as exactly *expected*, without any finding."""
    reporter = Reporter()
    got = [_as_tuple(r) for r in _records(text, path, reporter)]
    return not reporter.diagnostics and got == list(expected)


def _write(root: Path, text: str) -> None:
    from briefing.textio import write_atomic

    path = register_path(root)
    if path.is_symlink():  # checked again just before writing: never through a link
        raise UsageError(f"{REGISTER_NAME} 是符号链接；为安全起见不写入它，请换成普通文件")
    write_atomic(path, text, root=root)


@dataclass(frozen=True, slots=True)
class Added:
    number: int
    target: Target
    instruction: Instruction
    path: Path


def add_instruction(root: Path, target: Target, instruction: Instruction) -> Added:
    """Append one 批示 to the register (under the workspace lock; the caller holds it)."""
    text, records = _current(root)
    key = (target.loaded.dir.name, target.article.path.name, instruction)
    if key in [_as_tuple(r) for r in records] or instruction in target.article.instructions:
        raise UsageError(
            f"这条批示已经登记过（{instruction.by}，{instruction.date.isoformat()}）；"
            "用 briefing instruction list 查看"
        )
    expected = [*map(_as_tuple, records), key]
    path = register_path(root)
    new = _appended(text, records, key)
    if new is None or not _verified(new, path, expected):
        new = _whole_file(expected)
    _write(root, new)
    return Added(len(expected), target, instruction, path)


def _appended(
    text: str | None, records: Sequence[Recorded], key: tuple[str, str, Instruction]
) -> str | None:
    """*text* with the record's lines added at its end (``None``: start a new file)."""
    if text is None or not text.strip():
        return _whole_file([key])
    lines = text.split("\n")
    indent = 2
    if records:
        first = lines[records[0].line - 1]
        indent = len(first) - len(first.lstrip(" "))
    body = text if text.endswith("\n") else text + "\n"
    if not re.search(rf"^{KEY}\s*:", text, re.MULTILINE):
        body += f"{KEY}:\n"
    return body + _record_yaml(*key, indent=indent)


def remove_instruction(root: Path, number: int) -> Recorded:
    """Delete record *number* (as ``instruction list`` shows it) from the register."""
    text, records = _current(root)
    chosen = next((r for r in records if r.number == number), None)
    if text is None or chosen is None:
        numbers = "、".join(str(r.number) for r in records) or "（无）"
        raise UsageError(f"批示登记簿中没有第 {number} 条；现有：{numbers}")
    expected = [_as_tuple(r) for r in records if r is not chosen]
    new = _without_lines(text, chosen.line)
    if new is None or not _verified(new, register_path(root), expected):
        new = _whole_file(expected)
    _write(root, new)
    return chosen


def _without_lines(text: str, line: int) -> str | None:
    """*text* without the record starting on *line*: its ``- `` line and the lines indented
    deeper below it (trailing blank lines stay)."""
    lines = text.split("\n")
    start = line - 1
    head = lines[start]
    dash = len(head) - len(head.lstrip(" "))
    if not head.lstrip(" ").startswith("-"):
        return None
    end = start + 1
    while end < len(lines):
        current = lines[end]
        stripped = current.lstrip(" ")
        if stripped and len(current) - len(stripped) <= dash:
            break
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[:start] + lines[end:])


# --------------------------------------------------------------------------- listing and search


@dataclass(frozen=True, slots=True)
class Listed:
    """A 批示 as ``instruction list`` shows it: from the register (numbered) or an article."""

    number: int | None  # None: written in the article's front matter
    issue: str
    article: str
    title: str
    instruction: Instruction


def listing(root: Path, issues: Sequence[LoadedIssue], issue: str | None = None) -> list[Listed]:
    """Every 批示 of *issues* (attached ones), the register's first in its order, then those
    still written in articles."""
    titles = {(i.dir.name, a.path.name): a.title for i in issues for a in i.articles}
    recorded = read_register(root, Reporter())
    wanted = Path(issue).name if issue else None
    out = [
        Listed(r.number, r.issue, r.article, titles.get((r.issue, r.article), "？"), r.instruction)
        for r in recorded
        if wanted in (None, r.issue)
    ]
    registered = {(r.issue, r.article, r.instruction) for r in recorded}
    for loaded in issues:
        if wanted not in (None, loaded.dir.name):
            continue
        for article in loaded.articles:
            for instruction in article.instructions:
                if (loaded.dir.name, article.path.name, instruction) not in registered:
                    out.append(
                        Listed(None, loaded.dir.name, article.path.name, article.title, instruction)
                    )
    return out


def shown(instruction: Instruction) -> str:
    """李明远（区委书记）批示：此做法很好。 — how a search hit shows a 批示."""
    post = f"（{instruction.position}）" if instruction.position else ""
    words = f"：{instruction.text}" if instruction.text else "（圈阅）"
    return f"{instruction.by}{post}批示{words}"


def search_documents(root: Path) -> list[Recorded]:
    """The register's records for ``briefing search`` (an unreadable register: none)."""
    return list(read_register(root, Reporter()))


# --------------------------------------------------------------------------- migration


@dataclass(frozen=True, slots=True)
class Migrated:
    path: Path
    count: int


@dataclass(frozen=True, slots=True)
class MigrationReport:
    moved: tuple[Migrated, ...]
    kept: tuple[tuple[str, int], ...]  # published issue → 批示 left in its articles
    skipped: tuple[Diagnostic, ...]  # articles whose front matter could not be edited safely


def migrate(root: Path, issues: Sequence[LoadedIssue], *, dry_run: bool = False) -> MigrationReport:
    """Move ``instructions:`` out of the front matter of unpublished articles into the register.

    A published issue is never touched (its 批示 stay where they are and are still counted).
    The register is written first, then each article: a run cut short leaves a 批示 in both
    places, which :func:`attach` counts once.
    """
    from briefing.manifest import manifest_path

    text, records = _current(root)
    known = [_as_tuple(r) for r in records]
    moved: list[tuple[Path, str, int]] = []
    kept: list[tuple[str, int]] = []
    skipped: list[Diagnostic] = []
    additions: list[tuple[str, str, Instruction]] = []
    for loaded in issues:
        signed = manifest_path(loaded.dir).is_file() or (
            loaded.issue is not None and loaded.issue.published
        )
        found = [(a, _front_matter(a.path, root)) for a in loaded.articles]
        if signed:
            count = sum(len(f[0]) for _, f in found if f is not None)
            if count:
                kept.append((loaded.dir.name, count))
            continue
        for article, front in found:
            if front is None:
                continue
            instructions, edited = front
            if edited is None:
                skipped.append(
                    Diagnostic(
                        "migrate",
                        Severity.WARNING,
                        "元数据中的 instructions 无法安全地单独删除（文件含 BOM 或 CRLF 换行，"
                        "或格式特殊），未迁移这篇文稿的批示；请手工移到 "
                        f"{REGISTER_NAME}",
                        article.path,
                    )
                )
                continue
            for instruction in instructions:
                key = (loaded.dir.name, article.path.name, instruction)
                if key not in known and key not in additions:
                    additions.append(key)
            moved.append((article.path, edited, len(instructions)))
    if not dry_run and moved:
        if additions:
            expected = [*known, *additions]
            new = text
            for key in additions:
                new = _appended(new, records, key)
            if new is None or not _verified(new, register_path(root), expected):
                new = _whole_file(expected)
            _write(root, new)
        from briefing.textio import write_atomic

        for path, edited, _ in moved:
            if path.is_symlink():  # never through a link
                continue
            write_atomic(path, edited, root=root)
    return MigrationReport(
        tuple(Migrated(path, count) for path, _, count in moved), tuple(kept), tuple(skipped)
    )


def _front_matter(path: Path, root: Path) -> tuple[tuple[Instruction, ...], str | None] | None:
    """The 批示 written in the article at *path* and its text without the ``instructions:``
    field (``None`` when that cannot be cut out cleanly); ``None`` when it has no such field."""
    from briefing.load import split_front_matter

    reporter = Reporter()
    text = read_source(path, reporter, root)
    if text is None:
        return None
    offset, meta = 0, text
    if path.suffix.lower() == ".md":
        parts = split_front_matter(text, path, reporter)
        if parts is None:
            return None
        meta, offset = parts[0], 1  # the front matter starts on the line after ---
    values = parse_mapping(meta, path, reporter)
    if values is None or KEY not in values:
        return None
    data = validate({KEY: values[KEY]}, {KEY: ARTICLE_SCHEMA[KEY]}, path, reporter)
    instructions = tuple(Instruction(**i) for i in data.get(KEY, ()))
    if not instructions:
        return None
    return instructions, _cut_field(path, text, meta, offset, values)


def _cut_field(
    path: Path, text: str, meta: str, offset: int, values: dict[str, Value]
) -> str | None:
    """*text* without the lines of the ``instructions`` key; ``None`` unless every other field
    reads back exactly as before and the file is plain UTF-8 with LF line ends."""
    if path.is_symlink() or path.read_bytes().decode("utf-8", "replace") != text:
        return None  # a BOM or CRLF line ends: rewriting would change more than the one field
    first = values[KEY].key_line
    later = sorted(v.key_line for v in values.values() if v.key_line > first)
    meta_lines = meta.split("\n")
    last = later[0] - 1 if later else len(meta_lines)
    kept_meta = meta_lines[: first - 1] + meta_lines[last:]
    lines = text.split("\n")
    new = "\n".join(lines[:offset] + kept_meta + lines[offset + len(meta_lines) :])
    again = parse_mapping("\n".join(kept_meta), path, Reporter())
    before = {k: v.data for k, v in values.items() if k != KEY}
    if again is None or {k: v.data for k, v in again.items()} != before:
        return None
    return new


__all__ = [
    "REGISTER_NAME",
    "Added",
    "Listed",
    "MigrationReport",
    "Recorded",
    "Target",
    "add_instruction",
    "attach",
    "checked_instruction",
    "find_target",
    "listing",
    "migrate",
    "parse_date",
    "read_register",
    "remove_instruction",
    "search_documents",
    "shown",
]
