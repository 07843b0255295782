"""How the command line shows things: errors, progress bars, JSON and tables."""

from __future__ import annotations

import json
import sys
from typing import Any

from pydantic import BaseModel
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from api.errors import describe, error_lines
from api.models import SearchResponse

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


def print_search(result: SearchResponse) -> None:
    """Each result with its best sections, then the courses to go deeper with their why."""
    if not result.results:
        out.print("no results")
    if result.course_seeking:
        out.print("[dim]the query asks for a course: its best course first[/dim]")
    for n, hit in enumerate(result.results, start=1):
        study = hit.study
        out.print(f"[bold]{n}. {study.title}[/bold]  [dim]{study.company} · {study.kind} · "
                  f"{hit.score:.3f} · {study.id}[/dim]", highlight=False)
        for section in hit.sections:
            out.print(f"   [cyan]{' › '.join(section.heading_path)}[/cyan]  [dim]{section.id}[/dim]",
                      highlight=False)
            out.print(f"   {section.snippet}", highlight=False)
    if result.courses:
        out.print("[bold]Go deeper[/bold]")
    for course in result.courses:
        lesson = course.sections[0].id if course.sections else course.study.id
        out.print(f"   {course.study.title}  [dim]{course.why} · {lesson}[/dim]", highlight=False)


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
