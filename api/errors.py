"""Every error casegraph reports, with its HTTP status and code, and the one builder of its body.

The HTTP layer and the CLI both turn an exception into an ErrorBody here, so a user sees the same
message, suggestions and choices whichever way they ask.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from pydantic import Field

from api.models import Model
from ingest.problems import CorpusError
from search.encoder import ModelNotFoundError
from snapshot.errors import ClusterUnavailable, IngestRunning, SnapshotError


class FieldError(Model):
    field: str
    in_: str = Field(alias="in", description="query, path or body")
    message: str


class ErrorDetails(Model):
    """Context for an error; only the keys that apply are sent."""

    field: str | None = Field(None, description="The request field at fault.")
    suggestions: list[str] | None = Field(None, description="Close names that do exist.")
    choices: list[str] | None = Field(None, description="Every value the field accepts.")
    errors: list[FieldError] | None = Field(None, description="Each invalid request field.")
    problems: list[str] | None = Field(None, description="Corpus problems, each with file:line.")


class ErrorBody(Model):
    code: str
    message: str
    details: ErrorDetails = ErrorDetails()


class ErrorResponse(Model):
    error: ErrorBody


class ServiceError(Exception):
    """A request the service cannot answer as asked; `status` and `code` say how."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None,
                 suggestions: list[str] | None = None, choices: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = ErrorDetails(field=field, suggestions=suggestions, choices=choices)


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


# Errors raised below the service, most specific first: (type, HTTP status, code).
DOMAIN_ERRORS: tuple[tuple[type[Exception], int, str], ...] = (
    (IngestRunning, 409, "busy"),
    (SnapshotError, 503, "snapshot_unavailable"),
    (ModelNotFoundError, 503, "model_unavailable"),
    (ClusterUnavailable, 503, "cluster_unavailable"),
    (CorpusError, 422, "corpus_error"),
)
KNOWN_ERRORS = (ServiceError, *(kind for kind, _, _ in DOMAIN_ERRORS))  # what describe() knows
# Errors of the HTTP layer itself.
HTTP_ERRORS = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large",
               422: "invalid_parameter", 500: "internal_error"}
REQUEST_PARTS = ("query", "path", "body")
ERROR_CODES = frozenset({c.code for c in (NotFound, InvalidParameter, Unauthorized, Forbidden)}
                        | {code for _, _, code in DOMAIN_ERRORS} | set(HTTP_ERRORS.values()))


def error_body(code: str, message: str, details: ErrorDetails | None = None) -> dict:
    """The JSON body of every error: {"error": {"code", "message", "details"}}."""
    body = ErrorResponse(error=ErrorBody(code=code, message=message,
                                         details=details or ErrorDetails()))
    return body.model_dump(mode="json", by_alias=True, exclude_none=True)


def describe(exc: Exception) -> tuple[int, ErrorBody] | None:
    """The status and body of one of the KNOWN_ERRORS, or None for a failure nobody foresaw."""
    if isinstance(exc, ServiceError):
        return exc.status, ErrorBody(code=exc.code, message=exc.message, details=exc.details)
    for kind, status, code in DOMAIN_ERRORS:
        if isinstance(exc, kind):
            lines = str(exc).splitlines()
            problems = [str(p) for p in exc.problems] if isinstance(exc, CorpusError) else None
            return status, ErrorBody(code=code, message=lines[0] if lines else code,
                                     details=ErrorDetails(problems=problems))
    return None


def invalid_fields(errors: Iterable[dict], where: str) -> ErrorBody:
    """The `invalid_parameter` body of pydantic's errors, the first one in the message. A loc
    that starts with query, path or body says where; else the field is in `where`."""
    fields = [FieldError(field=".".join(str(p) for p in e["loc"] if p not in REQUEST_PARTS),
                         in_=str(e["loc"][0]) if e["loc"] and e["loc"][0] in REQUEST_PARTS else where,
                         message=e["msg"])
              for e in errors]
    first = fields[0] if fields else FieldError(field="", in_="", message="invalid request")
    return ErrorBody(code=HTTP_ERRORS[422], message=f"{first.field or 'request'}: {first.message}",
                     details=ErrorDetails(field=first.field or None, errors=fields))


def error_lines(body: ErrorBody) -> list[str]:
    """An error as plain lines: the message with its suggestions, the choices, the problems."""
    details = body.details
    hint = f" (did you mean: {', '.join(details.suggestions)}?)" if details.suggestions else ""
    lines = [f"{body.message}{hint}"]
    if details.choices:
        lines.append("choose one of: " + ", ".join(details.choices))
    return lines + [f"  {problem}" for problem in details.problems or []]


def suggestions(wanted: str, choices: Iterable[str], n: int = 5) -> list[str]:
    """Close matches for `wanted`, case-insensitively, in their original spelling."""
    by_lower: dict[str, str] = {}
    for choice in choices:
        by_lower.setdefault(choice.lower(), choice)
    close = difflib.get_close_matches(wanted.lower(), list(by_lower), n=n, cutoff=0.6)
    prefix = [c for c in by_lower if c.startswith(wanted.lower()) and c not in close]
    return [by_lower[c] for c in (close + prefix)[:n]]
