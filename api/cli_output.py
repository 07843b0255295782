"""How the command line shows things: errors, progress bars, JSON and tables."""

from __future__ import annotations

import json
import sys
from typing import Any

from pydantic import BaseModel
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from api.errors import describe, error_lines

out = Console()
err = Console(stderr=True)


def print_error(exc: Exception) -> None:
    """The message, suggestions, choices and problems of a known error, as the API gives them."""
    first, *rest = error_lines(describe(exc)[1])
    err.print(f"[red]error:[/red] {first}", highlight=False)
    for line in rest:
        err.print(line, highlight=False)


def print_json(data: BaseModel | dict[str, Any]) -> None:
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json", by_alias=True)
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


class RichProgress:
    """The ingest phases (parse, link, embed, write) as rich progress bars."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task: Any = None

    def phase(self, name: str, total: int) -> None:
        self._task = self._progress.add_task(name, total=max(total, 1))
        if total == 0:
            self._progress.update(self._task, completed=1)

    def advance(self, n: int = 1) -> None:
        self._progress.advance(self._task, n)


def progress_bars() -> Progress:
    columns = (TextColumn("{task.description:>6}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    return Progress(*columns, console=err, disable=not err.is_terminal)
