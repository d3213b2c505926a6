"""Progress of the long operations, reported without printing.

PDF conversion (seconds per document), ``publish``, importing .doc/.wps files through
LibreOffice, ``site`` over an archive and the first build of the search index take long enough
that a person at a terminal wants to see them move. The library only *reports*: a long
operation takes a :class:`Progress` and opens a task for each step (a description in Chinese,
and a total when it counts items); ``briefing.cli.progress`` draws them on a terminal, and
:data:`SILENT` — the default everywhere — drops them, so a script, a pipe or a test sees nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol, TypeVar

T = TypeVar("T")


class Task(Protocol):
    """One step under way."""

    def advance(self, amount: int = 1) -> None:
        """*amount* more of the task's items are done."""
        ...


class Progress(Protocol):
    """Where a long operation reports its steps."""

    def task(self, description: str, total: int | None = None) -> AbstractContextManager[Task]:
        """A step: *description* (Chinese, for the person waiting) and, when it counts items,
        how many; the step ends when the ``with`` block does."""
        ...


class _NoTask:
    def advance(self, amount: int = 1) -> None:
        pass


class _Silent:
    @contextmanager
    def task(self, description: str, total: int | None = None) -> Iterator[Task]:
        yield _NoTask()


SILENT: Progress = _Silent()


def counted(progress: Progress, items: Iterable[T], description: str, total: int) -> Iterator[T]:
    """*items*, one task step each."""
    with progress.task(description, total) as task:
        for item in items:
            yield item
            task.advance()
