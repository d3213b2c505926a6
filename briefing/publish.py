"""签发: freeze an issue with a manifest of what went into it and what came out.

``briefing publish ISSUE`` builds the issue, writes ``published: true`` into its
``issue.yaml`` and records ``issues/<id>/manifest.json``: the SHA-256 and size of every input
file (``issue.yaml``, the articles, every file under ``images/`` and any picture the articles
use from elsewhere in the workspace), of the settings that shape the output (``briefing.yaml``
and the workspace's ``templates/``), and of every output file built at that moment. The
manifest holds no clock time — the issue date and the briefing version say when and with
what it was made — so publishing twice gives the same record.

Afterwards ``check`` compares the inputs with the record (rule R001: a changed, deleted or
added file, named and located; reverting the change clears it), and ``build`` verifies that it
reproduces the recorded outputs byte for byte before it replaces anything. Settings and
templates are recorded but not enforced: they belong to the whole workspace and may change for
later issues; if they change the output, the build verification says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing import __version__, rules
from briefing.cache import file_digest
from briefing.errors import Diagnostic, InputError, Severity, UsageError
from briefing.load import CONFIG_NAME, ISSUE_FILE, MANIFEST_FILE, LoadedIssue
from briefing.model import Image, Quote
from briefing.progress import SILENT, Progress
from briefing.rules import Reporter
from briefing.textio import resolved, write_atomic

MANIFEST_NAME = MANIFEST_FILE
MANIFEST_FORMAT = "briefing-manifest/1"


def code_fingerprint() -> str:
    from briefing.cache import code_fingerprint as fingerprint

    return fingerprint()


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
    """Every file the issue is made of, by workspace-relative path (the manifest excluded)."""
    found: dict[str, Path] = {}
    for path in sorted(loaded.dir.rglob("*")):
        inside = path.relative_to(loaded.dir).parts
        if (
            path.is_file()
            and path.name != MANIFEST_NAME
            and not any(part.startswith(".") for part in inside)
        ):
            found[_relative(path, root)] = path
    resolved_root = root.resolve()
    for article in loaded.articles:
        for picture in _pictures(article.blocks):
            target = resolved(picture.path)
            if resolved_root in target.parents and target.is_file():
                found.setdefault(_relative(target, root), target)
    return dict(sorted(found.items()))


def settings_files(root: Path) -> dict[str, Path]:
    """``briefing.yaml`` and the workspace's template overrides."""
    found = {CONFIG_NAME: root / CONFIG_NAME}
    templates = root / "templates"
    if templates.is_dir():
        for path in sorted(p for p in templates.rglob("*") if p.is_file()):
            found[_relative(path, root)] = path
    return found


def _entry(path: Path) -> dict[str, Any]:
    return {"sha256": file_digest(path), "bytes": path.stat().st_size}


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


class ManifestProblem(Exception):
    """The manifest exists but cannot be used (reported as R002)."""


def manifest_path(issue_dir: Path) -> Path:
    return issue_dir / MANIFEST_NAME


def read_manifest(issue_dir: Path) -> Manifest | None:
    """The issue's manifest, ``None`` when there is none; ``ManifestProblem`` when unusable."""
    path = manifest_path(issue_dir)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ManifestProblem(f"签发记录无法读取：{exc}") from None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise ManifestProblem(f'签发记录的格式不对（应有 "format": "{MANIFEST_FORMAT}"）')
    for section in ("inputs", "settings", "outputs"):
        value = data.get(section, {})
        if not isinstance(value, dict) or not all(
            isinstance(v, dict) and isinstance(v.get("sha256"), str) for v in value.values()
        ):
            raise ManifestProblem(f"签发记录的“{section}”一节格式不对")
    return Manifest(path, data)


# --------------------------------------------------------------------------- check (R rules)


def check_published(loaded: LoadedIssue, root: Path, reporter: Reporter) -> None:
    """R001–R003 for one issue folder: is it still what was published?"""
    if loaded.issue is None:
        return
    try:
        manifest = read_manifest(loaded.dir)
    except ManifestProblem as problem:
        reporter.add(rules.MANIFEST_BROKEN, str(problem), manifest_path(loaded.dir), 1, 1)
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
        path = root / name
        if name not in current and not path.is_file():
            found.append((f"已签发期刊的文件 {name} 在签发后被删除；请恢复原文件", path))
        elif file_digest(path) != recorded["sha256"]:
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
    reasons += [f"{name} 是签发后新增的" for name in current if name not in manifest.settings]
    version = manifest.data.get("briefing")
    if version != __version__:
        reasons.append(f"签发时用的是 briefing {version}，现在是 {__version__}")
    elif manifest.data.get("code") not in (None, code_fingerprint()):
        reasons.append("briefing 程序本身在签发后改动过（版本号相同，源代码不同）")
    if not reasons:
        reasons.append("PDF 还取决于本机的 LibreOffice 版本和字体")
    return "可能的原因：" + "；".join(reasons) + "。如确需重新签发，先运行 briefing publish --undo"


# --------------------------------------------------------------------------- publish / undo


@dataclass(frozen=True, slots=True)
class PublishResult:
    issue_id: str
    manifest: Path
    inputs: int
    outputs: tuple[Path, ...]


_PUBLISHED_LINE = re.compile(r"^published:.*(?:\n|$)", re.MULTILINE)


def _with_published(text: str, published: bool) -> str:
    stripped = _PUBLISHED_LINE.sub("", text)
    if not published:
        return stripped
    if stripped and not stripped.endswith("\n"):
        stripped += "\n"
    return stripped + "published: true\n"


def write_manifest(
    loaded: LoadedIssue, root: Path, label: str, outputs: Sequence[Path]
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
        "inputs": {name: _entry(path) for name, path in inputs.items()},
        "settings": {
            name: _entry(path) for name, path in settings_files(root).items() if path.is_file()
        },
        "outputs": {
            path.suffix.lstrip("."): {"path": _relative(path, root), **_entry(path)}
            for path in outputs
        },
    }
    path = manifest_path(loaded.dir)
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return path, len(inputs)


def mark_published(issue_yaml: Path, published: bool) -> None:
    text = issue_yaml.read_text(encoding="utf-8")
    write_atomic(issue_yaml, _with_published(text, published))


@dataclass(frozen=True, slots=True)
class UndoResult:
    issue_id: str
    unmarked: bool
    manifest: Path | None
    recorded_inputs: int
    recorded_outputs: tuple[str, ...]


def undo_publish(loaded: LoadedIssue) -> UndoResult:
    """Remove ``published: true`` and the manifest; outputs are left where they are."""
    issue = loaded.issue
    path = manifest_path(loaded.dir)
    exists = path.is_file()
    if issue is None or (not issue.published and not exists):
        raise UsageError(f"期刊 {loaded.dir.name} 尚未签发，无需撤销")
    try:
        manifest = read_manifest(loaded.dir)
    except ManifestProblem:
        manifest = None
    if issue.published:
        mark_published(loaded.dir / ISSUE_FILE, False)
    if exists:
        path.unlink()
    return UndoResult(
        loaded.dir.name,
        issue.published,
        path if exists else None,
        len(manifest.inputs) if manifest else 0,
        tuple(str(entry.get("path", fmt)) for fmt, entry in manifest.outputs.items())
        if manifest
        else (),
    )


def publish_issue(
    root: Path,
    issue_id: str,
    formats: Sequence[str],
    out_dir: Path | None = None,
    *,
    progress: Progress = SILENT,
) -> PublishResult:
    """Build *issue_id*, mark it published and record its manifest, under the workspace lock.

    Refuses (``InputError``) an issue with errors or without articles, and (``UsageError``) one
    that is already published with a record. Nothing is marked when the build fails. Each
    step is reported to *progress*.
    """
    from briefing.build import bulletin_for, render_atomically, resolve_issue
    from briefing.check import check_workspace
    from briefing.numbering import issue_label, workspace_lock

    with workspace_lock(root):
        with progress.task("检查工作区"):
            workspace = check_workspace(root)
        loaded = resolve_issue(workspace, issue_id)
        if loaded.issue is not None and manifest_path(loaded.dir).is_file():
            raise UsageError(
                f"期刊 {loaded.dir.name} 已经签发（{MANIFEST_NAME} 已存在）",
                hint=f"如是误签，先运行 briefing publish --undo {loaded.dir.name}",
            )
        bulletin = bulletin_for(workspace, loaded)
        assert loaded.issue is not None
        target = out_dir or root / "build" / loaded.dir.name
        outputs = render_atomically(bulletin, formats, target, root, progress=progress)
        issue_yaml = loaded.dir / ISSUE_FILE
        original = issue_yaml.read_bytes()
        try:
            if not loaded.issue.published:
                mark_published(issue_yaml, True)
            path, count = write_manifest(
                loaded, root, issue_label(workspace.settings.numbering, loaded.issue), outputs
            )
        except BaseException:
            write_atomic(issue_yaml, original)
            manifest_path(loaded.dir).unlink(missing_ok=True)
            raise
    return PublishResult(loaded.dir.name, path, count, outputs)
