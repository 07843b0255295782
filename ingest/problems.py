"""Problems found in a corpus: each names the file and line, and says what to fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the corpus. `line` is 1-based; 0 when it concerns the whole file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class CorpusError(Exception):
    """Raised when a corpus cannot be ingested (nothing usable, or any problem in strict mode)."""

    def __init__(self, problems: list[Problem], summary: str) -> None:
        self.problems = problems
        super().__init__(summary + "".join(f"\n  {p}" for p in problems))


class ProblemLog:
    """Collects problems while a corpus is read."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, message))
