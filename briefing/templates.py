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


def template_path(name: str, workspace_root: Path | None = None) -> Path:
    """The override in ``<workspace>/templates/<name>`` if present, else the built-in file."""
    if workspace_root is not None:
        override = workspace_root / "templates" / name
        if override.is_file():
            return override
    return builtin_templates_dir() / name
