"""Find template files: the workspace's ``templates/`` overrides the built-in ones file by file.

Built-in templates live in the repository's top-level ``templates/``; the wheel ships them as
``briefing/templates`` (hatch force-include), so both a source checkout and an installed
package resolve them without network or cwd assumptions.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def builtin_templates_dir() -> Path:
    installed = _PACKAGE_DIR / "templates"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "templates"


def search_dirs(subdir: str, workspace_root: Path | None = None) -> list[Path]:
    """Where templates under *subdir* are looked up, in order: the workspace's
    ``templates/<subdir>`` (when there is a workspace), then the built-in one. The one
    template-folder lookup: the HTML renderer, the archive cache and ``template_path``."""
    dirs = [] if workspace_root is None else [workspace_root / "templates" / subdir]
    return [*dirs, builtin_templates_dir() / subdir]


def template_path(name: str, workspace_root: Path | None = None) -> Path:
    """The override in ``<workspace>/templates/<name>`` if present, else the built-in file."""
    *overrides, builtin = search_dirs(".", workspace_root)
    for folder in overrides:
        if (folder / name).is_file():
            return folder / name
    return builtin / name
