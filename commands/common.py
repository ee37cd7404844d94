"""What every command shares: the app, the error console, the workspace opener, progress bars."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

if TYPE_CHECKING:
    from pipeline.workspace import Workspace

app = typer.Typer(
    help="Full Circle: listen, answer, and close the loop with candidates.",
    no_args_is_help=True,
    add_completion=False,
)
brand_app = typer.Typer(
    help="The brand's own accounts (a post by one of them is a brand post).", no_args_is_help=True
)
app.add_typer(brand_app, name="brand")
labels_app = typer.Typer(
    help="The team's corrections to the needs-response decision, as "
    "training rows, and retraining on them.",
    no_args_is_help=True,
)
app.add_typer(labels_app, name="labels")
err = Console(stderr=True, soft_wrap=True)
T = TypeVar("T")


def shown(value: object) -> str:
    """A value from outside (a problem, a file name, a platform's answer) for ``err.print``:
    its rich markup escaped, so ``[/red]`` or ``[link=…]`` is printed as written instead of
    styling the terminal, hiding a link, or stopping the command with a MarkupError."""
    return escape(str(value))


def fail(message: object, code: int = 2) -> NoReturn:
    """One line on stderr naming what is wrong, then the exit code."""
    err.print(f"[red]error:[/red] {shown(message)}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def workspace() -> Iterator[Workspace]:
    """Open the workspace, turning configuration problems into one clear line and exit 2."""
    from pipeline.workspace import RealDataError, open_workspace
    from settings import ConfigError, load_settings
    from store.db import StoreError, disk_full_message, is_disk_full

    url = ""
    try:
        settings = load_settings()
        url = settings.get("DATABASE_URL")
        ws = open_workspace(settings)
        if ws.created_file:
            err.print(
                f"Created a new, empty workspace database at {ws.created_file} "
                "(DATABASE_URL); if you meant an existing one, correct DATABASE_URL.",
                highlight=False,
            )
        yield ws
    except (ConfigError, StoreError, RealDataError) as exc:
        fail(exc)
    except Exception as exc:  # the store's words decide; anything else goes on as it was
        if not is_disk_full(exc):
            raise
        fail(disk_full_message(url))


class ProgressBar:
    """A progress bar on stderr that appears only once work starts: a command that fails
    before it reads anything prints its error line alone, not after an empty bar.

    ``with ProgressBar("Importing x", total=None) as bar``: ``bar.watch(items)`` starts it
    when the first item arrives, ``bar.start()`` when the caller knows work begins, and
    ``bar.advance(n)`` counts (starting it too).
    """

    def __init__(self, description: str, total: int | None = None) -> None:
        self._description, self._total = description, total
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=False,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._task is not None:
            self._progress.stop()

    def start(self) -> None:
        if self._task is None:
            self._task = self._progress.add_task(self._description, total=self._total)
            self._progress.start()

    def advance(self, amount: int) -> None:
        self.start()
        assert self._task is not None
        self._progress.advance(self._task, amount)

    def watch(self, items: Iterable[T]) -> Iterator[T]:
        for item in items:
            self.start()
            yield item
