"""Find template files: the workspace's ``templates/`` overrides the built-in ones file by file.

Built-in templates live in the repository's top-level ``templates/``; the wheel ships them as
``briefing/templates`` (hatch force-include), so both a source checkout and an installed
package resolve them without network or cwd assumptions.

An override is used only when it is a regular file inside the workspace: a link to a file
elsewhere would print that file into the bulletin. While :func:`recorded_templates` is active
(the rebuild of a published issue), only the overrides recorded at 签发 are used: a template
added since is meant for later issues, and the published one is rebuilt as it was made.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = "templates"

# The workspace-relative names of the overrides a published issue was made with, or None
_recorded: ContextVar[frozenset[str] | None] = ContextVar("recorded_templates", default=None)


def builtin_templates_dir() -> Path:
    installed = _PACKAGE_DIR / "templates"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "templates"


@contextmanager
def recorded_templates(names: Iterable[str] | None) -> Iterator[None]:
    """Within the block, use only the workspace overrides named in *names* (workspace-relative,
    ``templates/html/bulletin.css``, as a 签发 record lists them); ``None``: every override."""
    token = _recorded.set(None if names is None else frozenset(names))
    try:
        yield
    finally:
        _recorded.reset(token)


def current_recorded() -> frozenset[str] | None:
    """The names :func:`recorded_templates` allows here, or ``None`` (every override)."""
    return _recorded.get()


def usable_override(
    path: Path, workspace_root: Path, recorded: frozenset[str] | None = None
) -> bool:
    """Whether the workspace file *path* may stand in for a built-in template: a regular file
    whose real location is inside the workspace, and one of *recorded* when that is given."""
    root = os.path.realpath(workspace_root)
    real = os.path.realpath(path)
    if not real.startswith(root + os.sep) or not os.path.isfile(real):
        return False
    return recorded is None or Path(os.path.relpath(real, root)).as_posix() in recorded


def override_files(workspace_root: Path) -> list[Path]:
    """Every usable override in the workspace's ``templates/``, sorted."""
    folder = workspace_root / TEMPLATES_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if usable_override(p, workspace_root))


def search_dirs(subdir: str, workspace_root: Path | None = None) -> list[Path]:
    """Where templates under *subdir* are looked up, in order: the workspace's
    ``templates/<subdir>`` (when there is a workspace), then the built-in one. The one
    template-folder lookup: the HTML renderer, the archive cache and ``template_path``; an
    override in the first is used only if :func:`usable_override` says so."""
    dirs = [] if workspace_root is None else [workspace_root / TEMPLATES_DIR / subdir]
    return [*dirs, builtin_templates_dir() / subdir]


def template_path(name: str, workspace_root: Path | None = None) -> Path:
    """The override in ``<workspace>/templates/<name>`` if usable, else the built-in file."""
    *overrides, builtin = search_dirs(".", workspace_root)
    for folder in overrides:
        assert workspace_root is not None
        if usable_override(folder / name, workspace_root, current_recorded()):
            return folder / name
    return builtin / name
