"""Results of pure functions by a hash of their inputs, lent from one ingest to the next."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class Kept(Generic[T]):
    """Those in `known` (a previous snapshot's) are reused, for each is a pure function of its
    key; `used` keeps every result asked for, to be stored for the next ingest."""

    known: Mapping[str, T] = field(default_factory=dict)
    used: dict[str, T] = field(default_factory=dict)

    def get(self, key: str, compute: Callable[[], T]) -> T:
        if key not in self.used:
            found = self.known.get(key)
            self.used[key] = compute() if found is None else found
        return self.used[key]
