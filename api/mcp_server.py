"""The MCP server: casegraph's curated tools and resources for assistants, on the official SDK.

One server, two transports: stdio (`casegraph mcp`, `run_stdio` below) and streamable HTTP at
`/mcp` on the app `casegraph serve` runs (`api/mcp_http.py`). Every call reads the service through
`get_service`, so over HTTP it answers from the snapshot the app serves, hot reloads included.
Each tool answers the API's own model as structured content plus a short text (`api/mcp_text.py`);
an unknown id or a bad argument is a tool error with the API's message, suggestions and body.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import version
from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import (
    ResourceError,
    ResourceNotFoundError,
    ToolError,
    UnexpectedToolError,
)
from mcp.types import CallToolResult, InputRequiredResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field, ValidationError

from api import graph_models, models
from api import mcp_text as text
from api.context_pack import context_pack
from api.errors import KNOWN_ERRORS, ErrorBody, NotFound, describe, error_body, error_lines, invalid_fields
from api.limits import LIMITS
from api.mcp_models import ContextPack, StudyText
from api.reloader import Reloader
from api.service import CaseGraphService, open_service
from api.settings import Settings
from api.views import study_text
from search.encoder import Encoder

MAX_BUDGET_TOKENS = 50_000

INSTRUCTIONS = """casegraph is a knowledge graph and hybrid search over engineering case studies \
(how real systems were designed, scaled and broken) and the courses that teach their patterns.
To answer a question from the corpus, call context_pack and cite the section ids it returns.
To explore, call search, then get_study for text; get_concept, related_concepts, path_between \
and learning_path explain the concept graph; recommend picks what to read next; themes gives an \
overview. Ids returned by one tool are accepted by the others."""

READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)

Name = Annotated[str, Field(min_length=1, max_length=LIMITS.name_chars)]
ConceptName = Annotated[str, Field(min_length=1, max_length=LIMITS.name_chars,
                                   description="A concept id, name or alias, e.g. 'sharding', "
                                               "'Consistent hashing', 'hash ring'.")]
Filter = Annotated[str | None, Field(max_length=LIMITS.name_chars)]
Known = Annotated[list[Name], Field(max_length=LIMITS.read, description="Concepts already known "
                                                                   "(ids or names).")]
Question = Annotated[str, Field(min_length=1, max_length=LIMITS.query_chars)]
K = Annotated[int, Field(ge=1, le=LIMITS.k, description="How many results.")]


def _answer(answer: BaseModel, rendered: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=rendered)],
                          structured_content=answer.model_dump(mode="json", by_alias=True))


def _refusal(error: ToolError) -> ErrorBody | None:
    """The API's error body for a bad argument or a known service error, else None."""
    cause = error.__cause__
    if isinstance(cause, ValidationError) and not isinstance(error, UnexpectedToolError):
        return invalid_fields(cause.errors(), where="arguments")
    described = describe(cause) if isinstance(cause, Exception) else None
    return described[1] if described else None


class CaseGraphMCP(MCPServer):
    """MCPServer whose tool errors say what the HTTP API says: the message with its suggestions
    and choices as text, and the API's error body as structured content."""

    async def call_tool(self, name: str, arguments: dict[str, Any],
                        context: Context | None = None) -> CallToolResult | InputRequiredResult:
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            body = _refusal(exc)
            if body is None:
                raise
            return CallToolResult(content=[TextContent(type="text", text="\n".join(error_lines(body)))],
                                  structured_content=error_body(body.code, body.message, body.details),
                                  is_error=True)


@contextmanager
def _resource_errors() -> Iterator[None]:
    """Known errors as the SDK's resource errors, with the API's message and suggestions."""
    try:
        yield
    except KNOWN_ERRORS as exc:
        body = describe(exc)[1]
        raise (ResourceNotFoundError if isinstance(exc, NotFound) else ResourceError)(
            "\n".join(error_lines(body))) from exc


def build_server(get_service: Callable[[], CaseGraphService]) -> CaseGraphMCP:
    """The MCP server over the service `get_service` returns at each call."""
    server = CaseGraphMCP("casegraph", version=version("casegraph"), instructions=INSTRUCTIONS,
                          log_level="WARNING")
    tool = server.tool(annotations=READ_ONLY)

    @tool
    def search(query: Question, k: K = 5, company: Filter = None, pattern: Filter = None,
               kind: models.DocumentKind | None = None
               ) -> Annotated[CallToolResult, models.SearchResponse]:
        """Find the case studies that discuss a topic or answer a question (hybrid semantic and
        keyword search). Returns studies best first, each with its best sections (section id,
        heading path, snippet, score) and linked concepts, and beside them `courses` to go
        deeper (each with its best lessons and why); a query asking for a course or to learn
        gets its course first. `weak_match` true means nothing in the corpus is close.
        Filters: `company` (e.g. 'Uber'), `pattern` (a pattern's name or id, e.g. 'sharding'),
        `kind` (real-world, interview, course, article: that kind only). Use it to discover
        studies; then get_study reads one, and context_pack gathers passages to answer from."""
        answer = get_service().search(query, k, company=company, pattern=pattern, kind=kind)
        return _answer(answer, text.search(answer))

    @tool
    def get_study(study_id: Name, sections: list[Name] | None = None
                  ) -> Annotated[CallToolResult, StudyText]:
        """Read one study or course by id: title, company, kind, summary, sources, its linked
        concepts, the ids of all its sections, and the full text of the sections asked for.
        `sections`: section ids ('url-shortener#key-generation', or just 'key-generation');
        omit it for every section. Use it after search, recommend or get_concept when you need
        a study's actual text; ask for a few sections to keep the context small."""
        answer = study_text(get_service().study(study_id), sections)
        return _answer(answer, text.study(answer))

    @tool
    def get_concept(concept: ConceptName) -> Annotated[CallToolResult, models.ConceptDetail]:
        """Look up a concept: a pattern (e.g. 'fan-out on write'), a technology, a company or a
        course, by id, name or alias. Returns its id, type, description and aliases, and every
        study that applies it with evidence sentences and their section ids. Use it for 'which
        studies show X?' and to get a concept's id for the other tools."""
        answer = get_service().concept(concept)
        return _answer(answer, text.concept(answer))

    @tool
    def related_concepts(concept: ConceptName, k: K = 10
                         ) -> Annotated[CallToolResult, graph_models.RelatedResponse]:
        """Concepts related to one concept, best first: each with a score in [0, 1], a
        per-signal breakdown (typed taxonomy edges, co-occurrence across studies, embedding
        similarity) and why (the edges, the studies and sections they share, a graph path).
        Use it to broaden a topic or suggest what to explore next."""
        answer = get_service().related(concept, k)
        return _answer(answer, text.related(answer))

    @tool
    def path_between(source: Name, target: Name) -> Annotated[CallToolResult, graph_models.PathResponse]:
        """How two things connect: the shortest typed path in the knowledge graph between two
        nodes (each a study id, or a concept id, name or alias), each hop with its edge type
        (applies, uses, about, teaches, features, prerequisite, part_of, alternative_to,
        related_to, in_category) and direction. Use it to explain a relationship."""
        answer = get_service().path(source, target)
        return _answer(answer, text.path(answer))

    @tool
    def learning_path(concept: ConceptName,
                      known: Known = []  # noqa: B006 - the SDK passes a validated copy
                      ) -> Annotated[CallToolResult, graph_models.LearningPath]:
        """What to learn first: the concept's prerequisites in an order a learner can follow,
        ending with the concept, each step with a study to read, a course lesson and why.
        `known`: concepts already known (ids or names), left out. Use it for 'what should I
        learn before X?' or to plan a study path."""
        answer = get_service().learning_path(concept, known)
        return _answer(answer, text.learning_path(answer))

    @tool
    def recommend(study_ids: Annotated[list[Name], Field(min_length=1, max_length=LIMITS.read)],
                  k: K = 5) -> Annotated[CallToolResult, models.HistoryRecommendations]:
        """What to read next after one study, or after a reading history (several ids: all
        already read, and never recommended back). Studies ranked by graph proximity and
        content similarity, diversified, each with a score, a per-signal breakdown and why
        (shared concepts, same company). Use it for 'what should I read after X?'."""
        answer = get_service().recommend_after(study_ids, k)
        return _answer(answer, text.recommendations(answer))

    @tool
    def themes() -> Annotated[CallToolResult, graph_models.Themes]:
        """The corpus at a glance: communities of patterns in the concept graph, each labelled
        by its most central patterns, with their studies. Use it for an overview of what the
        corpus covers, or to find studies on a broad area."""
        answer = get_service().themes()
        return _answer(answer, text.themes(answer))

    @server.tool(name="context_pack", annotations=READ_ONLY)
    def pack(question: Question,
                          budget_tokens: Annotated[int, Field(ge=1, le=MAX_BUDGET_TOKENS)] = 2000
                          ) -> Annotated[CallToolResult, ContextPack]:
        """Gather what you need to answer a question from the corpus, within `budget_tokens`
        tokens (counted with the snapshot model's tokenizer): the best-matching sections across
        studies, best first, at most three per study, whole when they fit or their best window
        otherwise, each with study, section id and heading path for citation; plus the concepts
        the sections share and the typed relations among those concepts. Sections scoring under
        half the best stay out, so a pack may use less than the budget; `weak_match` true means
        nothing in the corpus is close. Call it before answering a question, and cite the
        section ids."""
        answer = context_pack(get_service(), question, budget_tokens)
        return _answer(answer, text.context_pack(answer))

    @server.resource("casegraph://study/{study_id}", name="study", mime_type="text/markdown",
                     description="A study or course: metadata, concepts and every section's text.")
    def study_resource(study_id: str) -> str:
        with _resource_errors():
            return text.study(study_text(get_service().study(study_id), None))

    @server.resource("casegraph://concept/{concept_id}", name="concept", mime_type="text/markdown",
                     description="A concept (id, name or alias) and the studies that apply it.")
    def concept_resource(concept_id: str) -> str:
        with _resource_errors():
            return text.concept(get_service().concept(concept_id))

    return server


def run_stdio(settings: Settings, encoder: Encoder) -> None:
    """Serve the published snapshot over stdio, swapping in newer ones as `serve` does."""
    service = open_service(settings, encoder)
    service.snapshot.searcher.encode_query("warm up")  # load the query encoder now
    reloader = Reloader(service, settings, encoder)
    server = build_server(lambda: service)

    async def main() -> None:
        watcher = asyncio.create_task(reloader.watch()) if settings.reload_interval > 0 else None
        try:
            await server.run_stdio_async()
        finally:
            if watcher is not None:
                watcher.cancel()

    asyncio.run(main())
