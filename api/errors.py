"""Domain errors raised by the service; the HTTP layer maps each to a status code in one place."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class ServiceError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class InvalidParameter(ServiceError):
    status = 422
    code = "invalid_parameter"


class Unauthorized(ServiceError):
    status = 401
    code = "unauthorized"


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class Busy(ServiceError):
    status = 409
    code = "busy"


def suggestions(wanted: str, choices: Iterable[str], n: int = 5) -> list[str]:
    """Close matches for `wanted`, case-insensitively, in their original spelling."""
    by_lower: dict[str, str] = {}
    for choice in choices:
        by_lower.setdefault(choice.lower(), choice)
    close = difflib.get_close_matches(wanted.lower(), list(by_lower), n=n, cutoff=0.6)
    prefix = [c for c in by_lower if c.startswith(wanted.lower()) and c not in close]
    return [by_lower[c] for c in (close + prefix)[:n]]
