"""HTTP routes: validate input, call the service, return its answer. Nothing else.

The service builds (and so validates) every answer; a route serialises it once with
`AnswerResponse` instead of letting FastAPI dump, re-validate and re-encode it against the
declared `response_model`, which is kept for the OpenAPI schema; /themes, the same for a whole
snapshot, is serialised once per snapshot. Routes that only read stored answers are `async`:
they run on the event loop without a hop to the thread pool, and so is the service dependency;
search and the others that compute stay in the thread pool."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel

from api.answer_json import answer_json
from api.errors import ErrorResponse
from api.graph_models import (
    LearningPath,
    Neighbourhood,
    PathResponse,
    RelatedResponse,
    Themes,
)
from api.limits import LIMITS
from api.models import (
    ConceptDetail,
    ConceptList,
    ConceptType,
    DocumentKind,
    Facets,
    Health,
    HistoryRecommendations,
    Origin,
    ReadingHistory,
    Recommendations,
    SearchResponse,
    StudyDetail,
    StudyList,
)
from api.service import CaseGraphService
from search.fusion import Mode


async def get_service(request: Request) -> CaseGraphService:
    return request.app.state.service


class AnswerResponse(Response):
    """A response model serialised once, by alias as FastAPI would (`answer_json`)."""

    media_type = "application/json"

    def render(self, content: BaseModel) -> bytes:
        return answer_json(content)


Service = Annotated[CaseGraphService, Depends(get_service)]
K = Annotated[int, Query(ge=1, le=LIMITS.k, description="How many results.")]
Id = Annotated[str, Path(min_length=1, max_length=LIMITS.name_chars)]
Name = Annotated[str, Query(min_length=1, max_length=LIMITS.name_chars)]
Filter = Annotated[str | None, Query(max_length=LIMITS.name_chars)]

ERRORS = {code: {"model": ErrorResponse} for code in (404, 422, 503)}
router = APIRouter(responses=ERRORS)


@router.get("/healthz", response_model=Health, tags=["service"])
async def healthz(service: Service) -> Response:
    return AnswerResponse(service.health())


@router.get("/search", response_model=SearchResponse, tags=["search"])
def search(service: Service,
           q: Annotated[str, Query(min_length=1, max_length=LIMITS.query_chars,
                                   description="Words or a question.")],
           k: K = 10, company: Filter = None, category: Filter = None, pattern: Filter = None,
           kind: DocumentKind | None = None, mode: Mode = "hybrid") -> Response:
    """Studies and their best sections for a query; filters narrow the studies searched."""
    return AnswerResponse(service.search(q, k=k, company=company, category=category,
                                         pattern=pattern, kind=kind, mode=mode))


@router.get("/studies", response_model=StudyList, tags=["studies"])
def studies(service: Service, kind: DocumentKind | None = None) -> Response:
    return AnswerResponse(service.list_studies(kind))


@router.get("/studies/{study_id}", response_model=StudyDetail, tags=["studies"])
def study(service: Service, study_id: Id) -> Response:
    return AnswerResponse(service.study(study_id))


@router.get("/studies/{study_id}/recommendations", response_model=Recommendations, tags=["studies"])
async def study_recommendations(service: Service, study_id: Id, k: K = 5) -> Response:
    """What to read after this study, each with the reason."""
    return AnswerResponse(service.recommendations(study_id, k))


@router.post("/recommendations", response_model=HistoryRecommendations, tags=["studies"])
async def history_recommendations(service: Service, history: ReadingHistory) -> Response:
    """What to read next after a reading history; never a study already read."""
    return AnswerResponse(service.recommend_after(history.read, history.k))


@router.get("/concepts", response_model=ConceptList, tags=["concepts"])
def concepts(service: Service, type: ConceptType | None = None, q: Filter = None,  # noqa: A002
             limit: Annotated[int, Query(ge=1, le=LIMITS.concept_limit)] = 50,
             origin: Origin | None = None) -> Response:
    """Concepts by name, filtered by type and by origin (e.g. only the discovered ones)."""
    return AnswerResponse(service.list_concepts(type, q, limit, origin))


@router.get("/concepts/resolve", response_model=ConceptDetail, tags=["concepts"])
def resolve(service: Service, name: Name) -> Response:
    """The concept `name` means: its id, name, an alias or a derived form (case-, hyphen-, split-
    and plural-insensitive), else a typo or a part of one, else the nearest name by embedding;
    `match` says which and `match_confidence` how sure. 404 with the nearest names when none is
    sure."""
    return AnswerResponse(service.resolve(name))


@router.get("/concepts/{concept_id}", response_model=ConceptDetail, tags=["concepts"])
def concept(service: Service, concept_id: Id) -> Response:
    return AnswerResponse(service.concept(concept_id))


@router.get("/concepts/{concept_id}/related", response_model=RelatedResponse, tags=["concepts"])
async def related(service: Service, concept_id: Id, k: K = 10, type: ConceptType | None = None  # noqa: A002
            ) -> Response:
    """Related concepts with a per-signal breakdown and the reasons: shared studies, edges, path."""
    return AnswerResponse(service.related(concept_id, k, type))


Known = Annotated[str | None, Query(max_length=LIMITS.known_chars, description=(
    "Comma-separated ids or names of concepts already known."))]


@router.get("/concepts/{concept_id}/learning-path", response_model=LearningPath, tags=["concepts"])
async def concept_learning_path(service: Service, concept_id: Id, known: Known = None) -> Response:
    """The concept's prerequisites in an order a learner can follow, each with a study and lesson."""
    known_ids = [k.strip() for k in (known or "").split(",") if k.strip()]
    return AnswerResponse(service.learning_path(concept_id, known_ids))


@router.get("/concepts/{concept_id}/neighbourhood", response_model=Neighbourhood, tags=["graph"])
async def concept_neighbourhood(service: Service, concept_id: Id,
                                limit: Annotated[int, Query(ge=2, le=LIMITS.neighbourhood)] = 24
                                ) -> Response:
    """The concept with its related concepts and documents, positioned for drawing."""
    return AnswerResponse(service.neighbourhood(concept_id, limit))


@router.get("/facets", response_model=Facets, tags=["search"])
def facets(service: Service) -> Response:
    """The values the search filters accept."""
    return AnswerResponse(service.facets())


@router.get("/themes", response_model=Themes, tags=["graph"])
async def graph_themes(service: Service) -> Response:
    """Communities of patterns, labelled by their most central members, with their studies."""
    return Response(service.themes_json(), media_type=AnswerResponse.media_type)


@router.get("/graph/path", response_model=PathResponse, tags=["graph"])
def graph_path(service: Service, source: Name, target: Name) -> Response:
    """The shortest typed path between two nodes (study ids, concept ids or names)."""
    return AnswerResponse(service.path(source, target)
)