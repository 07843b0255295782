"""A typed Python client for the casegraph HTTP API, sync and async, on httpx.

Each endpoint is declared once, in `_Endpoints`: its method, path, answer model and the request
it sends. `CaseGraphClient` and `AsyncCaseGraphClient` send those requests and return the API's
pydantic models. An error answer is raised as `CaseGraphError` (its code, message, details and
status); a 503 (no snapshot or model yet, e.g. while a server starts) is retried with
exponential backoff, at most `retries` times. Network failures and timeouts are httpx's errors.

    with CaseGraphClient("http://127.0.0.1:8000") as client:
        for pick in client.recommendations("url-shortener", k=3).recommendations:
            print(pick.study.title, "—", pick.why.summary)
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, ParamSpec, TypeVar, overload
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from api.errors import ErrorDetails, ErrorResponse
from api.graph_models import (
    LearningPath,
    Neighbourhood,
    PathResponse,
    RelatedResponse,
    Themes,
)
from api.models import (
    ConceptDetail,
    ConceptList,
    ConceptType,
    DocumentKind,
    Facets,
    Health,
    HistoryRecommendations,
    IngestReport,
    Origin,
    Recommendations,
    Reload,
    SearchResponse,
    StudyDetail,
    StudyList,
)
from search.fusion import Mode

P = ParamSpec("P")
M = TypeVar("M", bound=BaseModel)


class CaseGraphError(Exception):
    """An error answer of the API: `code` (e.g. not_found), `message`, `details` (suggestions,
    choices, the field at fault…) and the HTTP `status`."""

    def __init__(self, code: str, message: str, details: ErrorDetails, status: int) -> None:
        super().__init__(f"{code} ({status}): {message}")
        self.code, self.message, self.details, self.status = code, message, details, status

    @classmethod
    def from_response(cls, response: httpx.Response) -> CaseGraphError:
        try:
            body = ErrorResponse.model_validate_json(response.content).error
        except ValidationError:  # not the API's error body (e.g. a proxy's page)
            return cls("http_error", response.text[:200] or response.reason_phrase, ErrorDetails(),
                       response.status_code)
        return cls(body.code, body.message, body.details, response.status_code)


@dataclass(frozen=True)
class Call:
    """What one request sends besides its method and path: path values, query, JSON body."""

    path: dict[str, str] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    json: Any = None


class Endpoint(Generic[P, M]):
    """One endpoint of the API; on a client it is the method that calls it."""

    def __init__(self, method: str, path: str, model: type[M], build: Callable[P, Call]) -> None:
        self.method, self.path, self.model, self.build = method, path, model, build

    def url(self, call: Call) -> str:
        return self.path.format(**{k: quote(v, safe="") for k, v in call.path.items()})

    def answer(self, response: httpx.Response) -> M:
        if response.is_error:
            raise CaseGraphError.from_response(response)
        return self.model.model_validate_json(response.content)

    @overload
    def __get__(self, client: None, owner: type) -> Endpoint[P, M]: ...
    @overload
    def __get__(self, client: CaseGraphClient, owner: type) -> Callable[P, M]: ...
    @overload
    def __get__(self, client: AsyncCaseGraphClient, owner: type) -> Callable[P, Awaitable[M]]: ...

    def __get__(self, client: Any, owner: type) -> Any:
        if client is None:
            return self

        @functools.wraps(self.build)
        def call(*args: P.args, **kwargs: P.kwargs) -> Any:
            return client._send(self, self.build(*args, **kwargs))

        return call


def endpoint(method: str, path: str, model: type[M]) -> Callable[[Callable[P, Call]], Endpoint[P, M]]:
    def declare(build: Callable[P, Call]) -> Endpoint[P, M]:
        return Endpoint(method, path, model, build)

    return declare


class _Endpoints:
    """Every endpoint of the API (tests/test_client.py checks the list against the app's routes)."""

    @endpoint("GET", "/healthz", Health)
    def health() -> Call:
        """The snapshot in service: version, counts, model."""
        return Call()

    @endpoint("GET", "/search", SearchResponse)
    def search(q: str, k: int = 10, company: str | None = None, category: str | None = None,
               pattern: str | None = None, kind: DocumentKind | None = None,
               mode: Mode = "hybrid") -> Call:
        """Studies and their best sections for a query, and the courses to go deeper."""
        return Call(params={"q": q, "k": k, "company": company, "category": category,
                            "pattern": pattern, "kind": kind, "mode": mode})

    @endpoint("GET", "/studies", StudyList)
    def list_studies(kind: DocumentKind | None = None) -> Call:
        return Call(params={"kind": kind})

    @endpoint("GET", "/studies/{study_id}", StudyDetail)
    def study(study_id: str) -> Call:
        return Call(path={"study_id": study_id})

    @endpoint("GET", "/studies/{study_id}/recommendations", Recommendations)
    def recommendations(study_id: str, k: int = 5) -> Call:
        """What to read after one study, each with why."""
        return Call(path={"study_id": study_id}, params={"k": k})

    @endpoint("POST", "/recommendations", HistoryRecommendations)
    def recommend_after(read: list[str], k: int = 5) -> Call:
        """What to read after a reading history; never a study already read."""
        return Call(json={"read": read, "k": k})

    @endpoint("GET", "/concepts", ConceptList)
    def list_concepts(type: ConceptType | None = None, q: str | None = None,  # noqa: A002
                      limit: int = 50, origin: Origin | None = None) -> Call:
        return Call(params={"type": type, "q": q, "limit": limit, "origin": origin})

    @endpoint("GET", "/concepts/resolve", ConceptDetail)
    def resolve(name: str) -> Call:
        """The concept whose name or alias is `name`."""
        return Call(params={"name": name})

    @endpoint("GET", "/concepts/{concept_id}", ConceptDetail)
    def concept(concept_id: str) -> Call:
        return Call(path={"concept_id": concept_id})

    @endpoint("GET", "/concepts/{concept_id}/related", RelatedResponse)
    def related(concept_id: str, k: int = 10, type: ConceptType | None = None) -> Call:  # noqa: A002
        return Call(path={"concept_id": concept_id}, params={"k": k, "type": type})

    @endpoint("GET", "/concepts/{concept_id}/learning-path", LearningPath)
    def learning_path(concept_id: str, known: list[str] | None = None) -> Call:
        return Call(path={"concept_id": concept_id},
                    params={"known": ",".join(known) if known else None})

    @endpoint("GET", "/concepts/{concept_id}/neighbourhood", Neighbourhood)
    def neighbourhood(concept_id: str, limit: int = 24) -> Call:
        return Call(path={"concept_id": concept_id}, params={"limit": limit})

    @endpoint("GET", "/facets", Facets)
    def facets() -> Call:
        return Call()

    @endpoint("GET", "/themes", Themes)
    def themes() -> Call:
        return Call()

    @endpoint("GET", "/graph/path", PathResponse)
    def path(source: str, target: str) -> Call:
        return Call(params={"source": source, "target": target})

    @endpoint("POST", "/admin/reload", Reload)
    def reload() -> Call:
        """Serve the newest published snapshot now (needs the admin token)."""
        return Call()

    @endpoint("POST", "/admin/ingest", IngestReport)
    def ingest() -> Call:
        """Ingest the server's corpus and serve it (needs the admin token)."""
        return Call()


def _options(base_url: str, token: str | None, timeout: float) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return {"base_url": base_url, "timeout": timeout, "headers": headers}


def _params(call: Call) -> dict[str, Any]:
    return {k: v for k, v in call.params.items() if v is not None}


class CaseGraphClient(_Endpoints):
    """The API over HTTP. `token` is sent as a bearer token (the admin endpoints need it);
    `timeout` bounds each request, in seconds; a 503 is retried `retries` times, after
    `backoff`, 2×`backoff`, 4×`backoff`… seconds."""

    def __init__(self, base_url: str = "http://127.0.0.1:8000", *, token: str | None = None,
                 timeout: float = 10.0, retries: int = 3, backoff: float = 0.5) -> None:
        self.retries, self.backoff = retries, backoff
        self._http = httpx.Client(**_options(base_url, token, timeout))

    def _send(self, endpoint: Endpoint[..., M], call: Call) -> M:
        for attempt in range(self.retries + 1):
            response = self._http.request(endpoint.method, endpoint.url(call), params=_params(call),
                                          json=call.json)
            if response.status_code != 503 or attempt == self.retries:
                break
            time.sleep(self.backoff * 2 ** attempt)
        return endpoint.answer(response)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> CaseGraphClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class AsyncCaseGraphClient(_Endpoints):
    """CaseGraphClient's async twin: the same methods, awaited."""

    def __init__(self, base_url: str = "http://127.0.0.1:8000", *, token: str | None = None,
                 timeout: float = 10.0, retries: int = 3, backoff: float = 0.5) -> None:
        self.retries, self.backoff = retries, backoff
        self._http = httpx.AsyncClient(**_options(base_url, token, timeout))

    async def _send(self, endpoint: Endpoint[..., M], call: Call) -> M:
        for attempt in range(self.retries + 1):
            response = await self._http.request(endpoint.method, endpoint.url(call),
                                                params=_params(call), json=call.json)
            if response.status_code != 503 or attempt == self.retries:
                break
            await asyncio.sleep(self.backoff * 2 ** attempt)
        return endpoint.answer(response)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncCaseGraphClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()
