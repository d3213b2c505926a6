"""Content-hash cache for ``briefing site``: skip issues whose inputs and outputs are unchanged.

An issue's **key** is a SHA-256 over everything its archive page is made from:

- the cache format (``FORMAT_VERSION``, bumped whenever the renderers' output changes in a way
  the code fingerprint below would not catch), the package version, and a fingerprint of the
  package's own source files, so an upgrade or a local code change never reuses old pages;
- ``briefing.yaml`` (name, numbering, fonts, colours… all feed the page);
- the issue's ``issue.yaml``, every article file (name and bytes) and every picture the articles
  refer to (its path, and its bytes or the fact that it is missing);
- every HTML template file that could be used: the workspace's ``templates/html/*`` overrides
  and the built-in ``templates/html/*``, by name and bytes.

The record lives next to the outputs, in ``<out>/<issue>/.briefing-cache.json``, and also holds
the SHA-256 of each output file. A lookup is a **hit** only when the key matches *and* every
recorded output still exists with exactly the recorded hash, so a deleted, hand-edited or
differently-rendered file (e.g. a ``briefing build --draft`` into the same folder) is rebuilt:
the cache can skip work, never serve stale output. Anything unreadable is simply a miss.

Nothing here reads the clock: freshness is decided by content, not by modification times.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from briefing import __version__
from briefing.load import CONFIG_NAME, ISSUE_FILE, LoadedIssue
from briefing.model import images
from briefing.templates import search_dirs, usable_override
from briefing.textio import write_atomic

__all__ = ["CACHE_NAME", "FORMAT_VERSION", "IssueCache", "file_digest", "issue_key", "shared_key"]

# Bump when rendered output changes for the same inputs and the same package version.
FORMAT_VERSION = 1
CACHE_NAME = ".briefing-cache.json"
_PACKAGE_DIR = Path(__file__).resolve().parent
_CHUNK = 1 << 20


def file_digest(path: Path) -> str:
    """SHA-256 (hex) of the file at *path*."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _KeyBuilder:
    """SHA-256 over labelled parts; lengths are hashed too, so parts cannot run together."""

    def __init__(self) -> None:
        self._digest = hashlib.sha256()

    def text(self, label: str, value: str) -> None:
        self._part(label, b"T", value.encode("utf-8"))

    def file(self, label: str, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError:
            self._part(label, b"-", b"")  # missing or unreadable: a different key than any content
            return
        self._part(label, b"F", data)

    def _part(self, label: str, kind: bytes, data: bytes) -> None:
        name = label.encode("utf-8")
        self._digest.update(b"%d:%s%s%d:" % (len(name), name, kind, len(data)))
        self._digest.update(data)

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


@cache
def code_fingerprint() -> str:
    """Hash of the package's own files: its ``.py`` modules and the fixed DOCX parts
    (``render/docx_base/``) they write. Cached per process: they do not change."""
    key = _KeyBuilder()
    for relative in _code_files():
        key.file(relative, _PACKAGE_DIR / relative)
    return key.hexdigest()


def _code_files() -> list[str]:
    """Package-relative paths of the files an output depends on, sorted (``os.walk``, not
    ``rglob``: a glob compiles a pattern on every build)."""
    found = []
    for folder, subfolders, files in os.walk(_PACKAGE_DIR):
        subfolders[:] = [d for d in subfolders if d != "__pycache__"]
        relative = Path(folder).relative_to(_PACKAGE_DIR)
        in_base = relative.parts[-2:] == ("render", "docx_base")
        found += [(relative / name).as_posix() for name in files if name.endswith(".py") or in_base]
    return sorted(found)


def _template_files(root: Path) -> Iterable[tuple[str, Path]]:
    for origin, folder in zip(("workspace", "builtin"), search_dirs("html", root), strict=True):
        if folder.is_dir():
            usable = usable_override if origin == "workspace" else lambda p, _root: p.is_file()
            for path in sorted(p for p in folder.rglob("*") if usable(p, root)):
                yield f"{origin}/{path.relative_to(folder).as_posix()}", path


def shared_key(root: Path) -> str:
    """The part of every issue's key that does not depend on the issue: version, code,
    ``briefing.yaml`` and the HTML templates. Compute it once per archive build."""
    key = _KeyBuilder()
    key.text("format", str(FORMAT_VERSION))
    key.text("version", __version__)
    key.text("code", code_fingerprint())
    key.file("settings", root / CONFIG_NAME)
    for label, path in _template_files(root):
        key.file(f"template:{label}", path)
    return key.hexdigest()


def issue_key(shared: str, loaded: LoadedIssue) -> str:
    """The cache key of one issue folder, given the :func:`shared_key` of its workspace."""
    key = _KeyBuilder()
    key.text("shared", shared)
    key.text("issue-id", loaded.dir.name)
    key.file("issue", loaded.dir / ISSUE_FILE)
    for article in sorted(loaded.articles, key=lambda a: a.path.name):
        key.file(f"article:{article.path.name}", article.path)
        for image in images(article.blocks):
            key.text("picture-src", image.src)
            key.file(f"picture:{image.path.as_posix()}", image.path)
    return key.hexdigest()


# A cache or build record lists a few outputs: anything larger is not one of ours.
MAX_RECORD_BYTES = 1024 * 1024


def read_record(path: Path) -> dict[str, object] | None:
    """The JSON object in the record file *path*, or ``None`` when there is none usable: not a
    regular file in its folder, too large, not JSON, nested too deep for ``json.loads``
    (``RecursionError``), or not an object. A record only ever saves work, so any of these is
    simply a miss."""
    from briefing.textio import UnsafeFile, read_bytes_safely

    try:
        record = json.loads(read_bytes_safely(path, path.parent, MAX_RECORD_BYTES))
    except (OSError, UnsafeFile, ValueError, RecursionError):
        return None
    return record if isinstance(record, dict) else None


class IssueCache:
    """The cache record of one output folder (``<out>/<issue>/``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / CACHE_NAME

    def _read(self) -> dict[str, object] | None:
        return read_record(self.path)

    def hit(self, key: str) -> bool:
        """True when *key* was recorded and every recorded output is intact."""
        record = self._read()
        if record is None or record.get("format") != FORMAT_VERSION or record.get("key") != key:
            return False
        outputs = record.get("outputs")
        if not isinstance(outputs, dict) or not outputs:
            return False
        for name, digest in outputs.items():
            if (
                not isinstance(name, str) or Path(name).name != name
            ):  # plain names in the folder only
                return False
            try:
                if file_digest(self.folder / name) != digest:
                    return False
            except OSError:
                return False
        return True

    def store(self, key: str, outputs: Sequence[Path]) -> None:
        """Record *key* and the hashes of *outputs* (files inside the folder), atomically;
        the folder is the one the outputs were just moved into (``render_atomically``)."""
        record = {
            "format": FORMAT_VERSION,
            "key": key,
            "outputs": {path.name: file_digest(path) for path in outputs},
        }
        text = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True)
        write_atomic(self.path, text, root=self.folder)
