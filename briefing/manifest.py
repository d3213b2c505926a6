"""The 签发 record ``issues/<id>/manifest.json``: what went into an issue and what came out.

The record holds the SHA-256 and size of every input file (``issue.yaml``, the articles,
every file under ``images/`` and any picture the articles use from elsewhere in the
workspace), of the settings that shape the output (``briefing.yaml`` and the workspace's
``templates/``), and of every output file built when the issue was published. It holds no
clock time — the issue date and the briefing version say when and with what it was made — so
publishing twice gives the same record.

``check`` compares the inputs with the record (R001: a changed, deleted or added file, named
and located; reverting the change clears it; R002: an unusable record; R003: published without
a record), and ``build`` verifies that it reproduces the recorded outputs byte for byte before
it replaces anything. Settings and templates are recorded but not enforced: they belong to the
whole workspace and may change for later issues; if they change the output, the build
verification says so. This module is data and comparison only: ``publish`` writes the record.

The record is an input like any other: read only as a regular file inside the workspace, at
most 1 MiB and 16 levels of JSON nesting, and it may only name files of its own issue folder,
or pictures the issue uses from elsewhere in the workspace (no ``..``, no absolute path):
anything else is R002 at its line, and no file it names is opened unless allowed. Otherwise a
stranger's submission could ask a CI runner for the SHA-256 of ``../../etc/shadow``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing import __version__, rules
from briefing.cache import code_fingerprint, file_digest
from briefing.errors import Diagnostic, InputError, Severity
from briefing.load import CONFIG_NAME, ISSUE_FILE, MANIFEST_FILE, LoadedIssue
from briefing.model import LAYOUT_REVISION, Image, Quote
from briefing.rules import Reporter
from briefing.templates import override_files
from briefing.textio import (
    CONTROL,
    NotUtf8,
    UnsafeFile,
    decode,
    read_bytes_safely,
    read_reason,
    resolved,
    sha256_safely,
    write_atomic,
)

MANIFEST_NAME = MANIFEST_FILE
MANIFEST_FORMAT = "briefing-manifest/1"
# A record lists an issue's files: a few KB. Far more is not a record.
MAX_MANIFEST_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 16  # a record is 3 levels deep
# What a record may name outside its issue folder: the pictures its articles use from elsewhere
PICTURE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp"})


def _relative(path: Path, root: Path) -> str:
    try:
        return resolved(path).relative_to(resolved(root)).as_posix()
    except ValueError:
        return resolved(path).as_posix()


def _pictures(blocks: Iterable[object]) -> Iterable[Image]:
    for block in blocks:
        if isinstance(block, Image):
            yield block
        elif isinstance(block, Quote):
            yield from _pictures(block.blocks)


def input_files(loaded: LoadedIssue, root: Path) -> dict[str, Path]:
    """Every file the issue is made of, by workspace-relative path (the manifest excluded).

    Only files whose real location is inside the workspace: a link in the issue folder to a
    file elsewhere is not the issue's to record (nor to hash)."""
    found: dict[str, Path] = {}
    resolved_root = root.resolve()
    for path in sorted(loaded.dir.rglob("*")):
        inside = path.relative_to(loaded.dir).parts
        if (
            path.is_file()
            and path.name != MANIFEST_NAME
            and not any(part.startswith(".") for part in inside)
            and resolved_root in resolved(path).parents
        ):
            found[_relative(path, root)] = path
    for article in loaded.articles:
        for picture in _pictures(article.blocks):
            target = resolved(picture.path)
            if resolved_root in target.parents and target.is_file():
                found.setdefault(_relative(target, root), target)
    return dict(sorted(found.items()))


def settings_files(root: Path) -> dict[str, Path]:
    """``briefing.yaml`` and the workspace's (usable) template overrides."""
    found = {CONFIG_NAME: root / CONFIG_NAME}
    for path in override_files(root):
        found[_relative(path, root)] = path
    return found


def recorded_templates_of(manifest: Manifest) -> frozenset[str]:
    """The template overrides the issue was published with (``templates/…`` names)."""
    return frozenset(name for name in manifest.settings if name != CONFIG_NAME)


def unrecorded_templates(manifest: Manifest, root: Path) -> tuple[str, ...]:
    """Overrides added since 签发: a rebuild of the issue does not use them."""
    return tuple(
        name
        for name in settings_files(root)
        if name != CONFIG_NAME and name not in manifest.settings
    )


def _entry(path: Path, root: Path) -> dict[str, Any]:
    return {"sha256": sha256_safely(path, root), "bytes": path.stat().st_size}


# --------------------------------------------------------------------------- the record


@dataclass(frozen=True, slots=True)
class Manifest:
    path: Path
    data: dict[str, Any]

    @property
    def inputs(self) -> dict[str, dict[str, Any]]:
        return self.data.get("inputs", {})

    @property
    def settings(self) -> dict[str, dict[str, Any]]:
        return self.data.get("settings", {})

    @property
    def outputs(self) -> dict[str, dict[str, Any]]:
        return self.data.get("outputs", {})

    @property
    def layout_revision(self) -> int:
        """The typesetting rules the issue was printed with (``model.LAYOUT_REVISION``);
        a record written before revisions were recorded holds none: revision 1."""
        return self.data.get("layout", 1)


class ManifestProblem(Exception):
    """The manifest exists but cannot be used (reported as R002, at *line*:*column*)."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line, self.column = line, column

    def diagnostic(self, path: Path) -> Diagnostic:
        return Diagnostic(
            rules.MANIFEST_BROKEN.code, Severity.ERROR, str(self), path, self.line, self.column
        )


def manifest_path(issue_dir: Path) -> Path:
    return issue_dir / MANIFEST_NAME


def read_manifest(issue_dir: Path, root: Path | None = None) -> Manifest | None:
    """The issue's manifest, ``None`` when there is none; ``ManifestProblem`` when unusable.

    *root* is the workspace (by default the folder holding ``issues/<id>``)."""
    path = manifest_path(issue_dir)
    if not os.path.lexists(path):
        return None
    root = root if root is not None else issue_dir.parent.parent
    text = _manifest_text(path, root)
    _check_depth(text)
    try:
        data = json.loads(text)
    except ValueError as exc:  # JSONDecodeError; also a number too long to convert
        line, column = getattr(exc, "lineno", 1), getattr(exc, "colno", 1)
        raise ManifestProblem(
            f"签发记录不是有效的 JSON：{_json_reason(exc)}", line, column
        ) from None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise ManifestProblem(
            f'签发记录的格式不对（应有 "format": "{MANIFEST_FORMAT}"）', *_locate(text, "format")
        )
    for section in ("inputs", "settings", "outputs"):
        _check_section(text, section, data.get(section, {}))
    _check_names(text, data.get("inputs", {}), _relative(issue_dir, root), root)
    _check_names(text, data.get("settings", {}), "templates", root, section="settings")
    layout = data.get("layout", 1)
    if (
        not isinstance(layout, int)
        or isinstance(layout, bool)
        or not 1 <= layout <= LAYOUT_REVISION
    ):
        raise ManifestProblem(
            f"签发记录的版式版本“{layout}”无法识别（本程序支持 1 至 {LAYOUT_REVISION}）",
            *_locate(text, "layout"),
        )
    return Manifest(path, data)


def _manifest_text(path: Path, root: Path) -> str:
    try:
        return decode(read_bytes_safely(path, root, MAX_MANIFEST_BYTES))
    except UnsafeFile as exc:
        raise ManifestProblem(f"签发记录无法读取：{exc}") from None
    except NotUtf8 as exc:
        raise ManifestProblem(
            "签发记录不是 UTF-8 编码", exc.failure.line, exc.failure.column
        ) from None
    except OSError as exc:
        raise ManifestProblem(f"签发记录无法读取：{read_reason(exc)}") from None


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _check_depth(text: str) -> None:
    """Refuse nesting deeper than ``MAX_JSON_DEPTH`` before parsing: ``json.loads`` recurses
    once per level (100,000 brackets raise ``RecursionError``)."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise ManifestProblem(
                    f"签发记录嵌套过深（超过 {MAX_JSON_DEPTH} 层），不是本程序写的签发记录",
                    *_position(text, match.start()),
                )
        elif token in "]}":
            depth -= 1


def _json_reason(exc: ValueError) -> str:
    message = getattr(exc, "msg", None)
    return {
        "Expecting value": "缺少值",
        "Expecting property name enclosed in double quotes": "键名应使用双引号",
        "Expecting ',' delimiter": "缺少逗号",
        "Expecting ':' delimiter": "缺少冒号",
        "Extra data": "结尾有多余的内容",
        "Unterminated string starting at": "字符串没有结束",
        "Invalid control character at": "字符串中有控制字符",
    }.get(message or "", "语法错误")


def _check_section(text: str, section: str, value: object) -> None:
    where = _locate(text, section)
    if not isinstance(value, dict):
        raise ManifestProblem(f"签发记录的“{section}”一节格式不对", *where)
    for name, entry in value.items():
        digest = entry.get("sha256") if isinstance(entry, dict) else None
        if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise ManifestProblem(
                f"签发记录的“{section}”一节中“{name}”的 sha256 格式不对",
                *_locate(text, section, name),
            )


def _check_names(
    text: str, entries: dict[str, Any], folder: str, root: Path, *, section: str = "inputs"
) -> None:
    """Every name a plain path inside the workspace; inputs inside the issue *folder* or a
    picture, settings ``briefing.yaml`` or under ``templates/``."""
    for name in entries:
        if _allowed_name(name, folder, section):
            continue
        raise ManifestProblem(
            f"签发记录的“{section}”一节列出了“{name}”：" + _ALLOWED[section],
            *_locate(text, section, name),
        )


_ALLOWED = {
    "inputs": "只能是本期目录中的文件或本期文稿引用的工作区内的图片（不含 ..、绝对路径），不予核对",
    "settings": "只能是 briefing.yaml 或 templates/ 中的文件（不含 ..、绝对路径），不予核对",
}


def _allowed_name(name: str, folder: str, section: str) -> bool:
    parts = name.split("/")
    if (
        not name
        or "\\" in name
        or name.startswith("/")
        or re.match(r"[A-Za-z]:", name)
        or any(part in ("", ".", "..") or CONTROL.search(part) for part in parts)
    ):
        return False
    if section == "settings":
        return name == CONFIG_NAME or (parts[0] == folder and len(parts) > 1)
    prefix = folder.split("/")
    inside = parts[: len(prefix)] == prefix and len(parts) > len(prefix)
    return inside or Path(name).suffix.lower() in PICTURE_SUFFIXES


def _locate(text: str, *keys: str) -> tuple[int, int]:
    """Line and column of the last of *keys*, each looked for as a JSON key after the one
    before it (``"inputs"`` then ``"issues/…/a.md"``); where the search fails, the last found."""
    position, found = 0, 0
    for key in keys:
        match = re.compile(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:").search(
            text, position
        )
        if match is None:
            break
        position = found = match.start()
    return _position(text, found)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# --------------------------------------------------------------------------- check (R rules)


def check_published(loaded: LoadedIssue, root: Path, reporter: Reporter) -> None:
    """R001–R003 for one issue folder: is it still what was published?"""
    if loaded.issue is None:
        return
    try:
        manifest = read_manifest(loaded.dir, root)
    except ManifestProblem as problem:
        where = manifest_path(loaded.dir)
        reporter.add(rules.MANIFEST_BROKEN, str(problem), where, problem.line, problem.column)
        return
    if manifest is None:
        if loaded.issue.published:
            reporter.add(
                rules.UNRECORDED,
                f"期刊 {loaded.dir.name} 标为已签发（published: true），但没有签发记录 "
                f"{MANIFEST_NAME}；运行 briefing publish {loaded.dir.name} 补记",
                loaded.dir / ISSUE_FILE,
                *_published_line(loaded.dir / ISSUE_FILE),
            )
        return
    for message, path in changed_inputs(manifest, loaded, root):
        reporter.add(rules.PUBLISHED_CHANGED, message, path, 1, 1)


def changed_inputs(manifest: Manifest, loaded: LoadedIssue, root: Path) -> list[tuple[str, Path]]:
    """``(message, file)`` for every input that differs from the record."""
    found = []
    current = input_files(loaded, root)
    for name, recorded in manifest.inputs.items():
        path = root / name  # a name read_manifest allowed: inside the workspace
        if name not in current and not os.path.lexists(path):
            found.append((f"已签发期刊的文件 {name} 在签发后被删除；请恢复原文件", path))
            continue
        try:
            digest = sha256_safely(path, root)
        except (UnsafeFile, OSError) as exc:
            reason = str(exc) if isinstance(exc, UnsafeFile) else read_reason(exc)
            found.append((f"已签发期刊的文件 {name} 无法核对：{reason}", path))
            continue
        if digest != recorded["sha256"]:
            found.append(
                (
                    f"已签发期刊的文件 {name} 在签发后被修改；请恢复签发时的内容（见 {MANIFEST_NAME}）",
                    path,
                )
            )
    for name, path in current.items():
        if name not in manifest.inputs:
            found.append((f"已签发期刊中新增了文件 {name}；已签发的期刊不能再加稿", path))
    return found


def _published_line(path: Path) -> tuple[int, int]:
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
            if line.startswith("published:"):
                return number, 1
    except (OSError, UnicodeDecodeError):
        pass
    return 1, 1


# --------------------------------------------------------------------------- build verification


def verify_outputs(manifest: Manifest, rendered: Sequence[Path], root: Path) -> list[str]:
    """Formats of *rendered* that match the record; ``InputError`` when any differs."""
    verified: list[str] = []
    problems: list[Diagnostic] = []
    for path in rendered:
        fmt = path.suffix.lstrip(".")
        recorded = manifest.outputs.get(fmt)
        if recorded is None:
            continue
        actual = file_digest(path)
        if actual == recorded["sha256"]:
            verified.append(fmt)
        else:
            problems.append(
                Diagnostic(
                    "R001",
                    Severity.ERROR,
                    f"本次生成的 {fmt.upper()} 与签发时记录的不同（记录 {recorded['sha256'][:12]}…，"
                    f"本次 {actual[:12]}…）；已签发的期刊必须逐字节重现，未替换任何文件",
                    manifest.path,
                )
            )
    if problems:
        raise InputError(problems, hint=_why_different(manifest, root))
    return verified


def _why_different(manifest: Manifest, root: Path) -> str:
    reasons = []
    current = settings_files(root)
    for name, recorded in manifest.settings.items():
        path = current.get(name)
        if path is None or not path.is_file():
            reasons.append(f"{name} 在签发后被删除")
        elif file_digest(path) != recorded["sha256"]:
            reasons.append(f"{name} 在签发后被修改")
    version = manifest.data.get("briefing")
    if version != __version__:
        reasons.append(f"签发时用的是 briefing {version}，现在是 {__version__}")
    elif manifest.data.get("code") not in (None, code_fingerprint()):
        reasons.append("briefing 程序本身在签发后改动过（版本号相同，源代码不同）")
    if not reasons:
        reasons.append("PDF 还取决于本机的 LibreOffice 版本和字体")
    return "可能的原因：" + "；".join(reasons) + "。如确需重新签发，先运行 briefing publish --undo"


# --------------------------------------------------------------------------- writing


def write_manifest(
    loaded: LoadedIssue, root: Path, label: str, outputs: Sequence[Path], layout_revision: int
) -> tuple[Path, int]:
    assert loaded.issue is not None
    inputs = input_files(loaded, root)
    data = {
        "format": MANIFEST_FORMAT,
        "issue": loaded.dir.name,
        "label": label,
        "date": loaded.issue.date.isoformat(),
        "briefing": __version__,
        "code": code_fingerprint(),  # the program's own source: a changed renderer shows here
        "layout": layout_revision,  # the typesetting rules a rebuild must follow
        "inputs": {name: _entry(path, root) for name, path in inputs.items()},
        "settings": {
            name: _entry(path, root)
            for name, path in settings_files(root).items()
            if path.is_file()
        },
        "outputs": {
            path.suffix.lstrip("."): {
                "path": _relative(path, root),
                "sha256": file_digest(path),
                "bytes": path.stat().st_size,
            }
            for path in outputs
        },
    }
    path = manifest_path(loaded.dir)
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n", root=root)
    return path, len(inputs)
