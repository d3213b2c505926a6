"""Validate every user-typed name that becomes a path or is written into YAML.

``new-issue --special``, ``new-article --slug/--title/--source/--column``, issue ids and
``--out`` all end up in a file name, a folder name or ``issue.yaml``. A name must not leave its
folder (``../``, ``/``), hide itself (leading ``.``), inject YAML lines (newlines) or carry
control characters, and must fit in a file name on every file system.
"""

from __future__ import annotations

import re
from pathlib import Path

from briefing.errors import UsageError
from briefing.textio import resolved

# A special-issue label (专刊、增刊、抗疫专刊): letters, digits, Chinese, underscore.
SPECIAL_LABEL = re.compile(r"[\w\u3000-\u303f\uff08\uff09]+")
MAX_LABEL = 20
# Issue folder names stay well below the 255-byte file-name limit (a CJK character is 3 bytes).
MAX_ISSUE_ID = 48
MAX_SLUG = 60
MAX_TEXT = 200
UNSAFE_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufdd0-\ufdef\ufffe\uffff]")


def special_label(text: str) -> str:
    """The ``--special`` label, stripped; ``UsageError`` when it is not a plain name."""
    label = text.strip()
    if not label or len(label) > MAX_LABEL or not SPECIAL_LABEL.fullmatch(label):
        raise UsageError(
            f"专刊名称“{_shown(label)}”不可用：只能由汉字、字母、数字组成（不超过 {MAX_LABEL} 个字），"
            "不能包含 / . - 空格或换行"
        )
    return label


def issue_folder_name(name: str) -> str:
    """*name* when it is usable as the folder of an issue under ``issues/``."""
    if (
        not name
        or len(name) > MAX_ISSUE_ID
        or name.startswith(".")
        or "/" in name
        or "\\" in name
        or UNSAFE_TEXT.search(name)
    ):
        raise UsageError(
            f"期刊目录名“{_shown(name)}”不可用（过长或含有路径分隔符、控制字符）；"
            "期号或年份是否写错了？"
        )
    return name


def slug(text: str) -> str:
    """The part of an article file name after its number (already reduced to safe characters)."""
    if len(text) > MAX_SLUG:
        raise UsageError(f"--slug 过长（超过 {MAX_SLUG} 个字符）")
    return text


def single_line(label: str, text: str) -> str:
    """A one-line text field typed on the command line (title, source, column)."""
    if UNSAFE_TEXT.search(text):
        raise UsageError(f"{label}中不能有换行或控制字符")
    if len(text) > MAX_TEXT:
        raise UsageError(f"{label}过长（超过 {MAX_TEXT} 个字）")
    return text


def inside(path: Path, folder: Path) -> bool:
    """Whether *path* (resolved) is *folder* or below it."""
    real, base = resolved(path), resolved(folder)
    return real == base or base in real.parents


def _shown(text: str) -> str:
    return UNSAFE_TEXT.sub("?", text)[:40]
