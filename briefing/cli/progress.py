"""The command line's side of :mod:`briefing.progress`: rich's progress display on a terminal.

Only a terminal on standard error gets it (that is where messages go, so standard output
stays clean for what a command prints); with standard error piped or in a file nothing at all
is drawn. Tasks are transient: the display disappears when the command ends, leaving only the
command's own output.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from briefing.progress import SILENT, Progress, Task

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID


def _count_column():  # type: ignore[no-untyped-def]
    """``12/50`` for a task that counts items, nothing for one that does not."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class Count(ProgressColumn):
        def render(self, task):  # type: ignore[no-untyped-def]
            if task.total is None:
                return Text("")
            return Text(f"{int(task.completed)}/{int(task.total)}")

    return Count()


class _RichTask:
    def __init__(self, display: RichProgress, task: TaskID) -> None:
        self._display, self._task = display, task

    def advance(self, amount: int = 1) -> None:
        self._display.advance(self._task, amount)


class _RichProgress:
    def __init__(self, display: RichProgress) -> None:
        self._display = display

    @contextmanager
    def task(self, description: str, total: int | None = None) -> Iterator[Task]:
        task = self._display.add_task(description, total=total)
        try:
            yield _RichTask(self._display, task)
        finally:
            self._display.remove_task(task)


@contextmanager
def terminal_progress() -> Iterator[Progress]:
    """A :class:`~briefing.progress.Progress` that draws on a terminal; silent otherwise."""
    from rich.console import Console

    console = Console(stderr=True, highlight=False, emoji=False)
    if not console.is_terminal:
        yield SILENT
        return
    from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as RichProgress

    display = RichProgress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        _count_column(),
        TextColumn("已用"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    with display:
        yield _RichProgress(display)


@contextmanager
def quiet_unless_pdf(formats: Sequence[str]) -> Iterator[Progress]:
    """Progress for a build that converts a PDF; a DOCX/HTML build is over in a blink and
    does not pay for rich's display."""
    if "pdf" not in formats:
        yield SILENT
        return
    with terminal_progress() as progress:
        yield progress
