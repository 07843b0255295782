"""Request limits, declared once: the routes, the models, the CLI, /facets (and so the explorer)
and the README all read these."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RequestLimits:
    k: int = 100  # results per request
    query_chars: int = 500  # a search query
    read: int = 200  # studies in a reading history
    name_chars: int = 200  # an id, a name or a filter value
    known_chars: int = 2000  # the comma-separated concepts a learner knows
    concept_limit: int = 1000  # concepts in one listing
    neighbourhood: int = 60  # nodes in a drawn neighbourhood


LIMITS = RequestLimits()
