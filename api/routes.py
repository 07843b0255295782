"""HTTP routes: validate input, call the service, return its answer. Nothing else."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

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


def get_service(request: Request) -> CaseGraphService:
    return request.app.state.service


Service = Annotated[CaseGraphService, Depends(get_service)]
K = Annotated[int, Query(ge=1, le=LIMITS.k, description="How many results.")]
Id = Annotated[str, Path(min_length=1, max_length=LIMITS.name_chars)]
Name = Annotated[str, Query(min_length=1, max_length=LIMITS.name_chars)]
Filter = Annotated[str | None, Query(max_length=LIMITS.name_chars)]

ERRORS = {code: {"model": ErrorResponse} for code in (404, 422, 503)}
router = APIRouter(responses=ERRORS)


@router.get("/healthz", response_model=Health, tags=["service"])
def healthz(service: Service) -> Health:
    return service.health()


@router.get("/search", response_model=SearchResponse, tags=["search"])
def search(service: Service,
           q: Annotated[str, Query(min_length=1, max_length=LIMITS.query_chars,
                                   description="Words or a question.")],
           k: K = 10, company: Filter = None, category: Filter = None, pattern: Filter = None,
           kind: DocumentKind | None = None, mode: Mode = "hybrid") -> SearchResponse:
    """Studies and their best sections for a query; filters narrow the studies searched."""
    return service.search(q, k=k, company=company, category=category, pattern=pattern, kind=kind,
                          mode=mode)


@router.get("/studies", response_model=StudyList, tags=["studies"])
def studies(service: Service, kind: DocumentKind | None = None) -> StudyList:
    return service.list_studies(kind)


@router.get("/studies/{study_id}", response_model=StudyDetail, tags=["studies"])
def study(service: Service, study_id: Id) -> StudyDetail:
    return service.study(study_id)


@router.get("/studies/{study_id}/recommendations", response_model=Recommendations, tags=["studies"])
def study_recommendations(service: Service, study_id: Id, k: K = 5) -> Recommendations:
    """What to read after this study, each with the reason."""
    return service.recommendations(study_id, k)


@router.post("/recommendations", response_model=HistoryRecommendations, tags=["studies"])
def history_recommendations(service: Service, history: ReadingHistory) -> HistoryRecommendations:
    """What to read next after a reading history; never a study already read."""
    return service.recommend_after(history.read, history.k)


@router.get("/concepts", response_model=ConceptList, tags=["concepts"])
def concepts(service: Service, type: ConceptType | None = None, q: Filter = None,  # noqa: A002
             limit: Annotated[int, Query(ge=1, le=LIMITS.concept_limit)] = 50,
             origin: Origin | None = None) -> ConceptList:
    """Concepts by name, filtered by type and by origin (e.g. only the discovered ones)."""
    return service.list_concepts(type, q, limit, origin)


@router.get("/concepts/resolve", response_model=ConceptDetail, tags=["concepts"])
def resolve(service: Service, name: Name) -> ConceptDetail:
    """The concept `name` means: its id, name, an alias or a derived form (case-, hyphen-, split-
    and plural-insensitive), else a typo or a part of one, else the nearest name by embedding;
    `match` says which and `confidence` how sure. 404 with the nearest names when none is sure."""
    return service.resolve(name)


@router.get("/concepts/{concept_id}", response_model=ConceptDetail, tags=["concepts"])
def concept(service: Service, concept_id: Id) -> ConceptDetail:
    return service.concept(concept_id)


@router.get("/concepts/{concept_id}/related", response_model=RelatedResponse, tags=["concepts"])
def related(service: Service, concept_id: Id, k: K = 10, type: ConceptType | None = None  # noqa: A002
            ) -> RelatedResponse:
    """Related concepts with a per-signal breakdown and the reasons: shared studies, edges, path."""
    return service.related(concept_id, k, type)


@router.get("/concepts/{concept_id}/learning-path", response_model=LearningPath, tags=["concepts"])
def concept_learning_path(service: Service, concept_id: Id,
                          known: Annotated[str | None, Query(max_length=LIMITS.known_chars,
                                                            description=(
                              "Comma-separated ids or names of concepts already known."))] = None
                          ) -> LearningPath:
    """The concept's prerequisites in an order a learner can follow, each with a study and lesson."""
    known_ids = [k.strip() for k in (known or "").split(",") if k.strip()]
    return service.learning_path(concept_id, known_ids)


@router.get("/concepts/{concept_id}/neighbourhood", response_model=Neighbourhood, tags=["graph"])
def concept_neighbourhood(service: Service, concept_id: Id,
                          limit: Annotated[int, Query(ge=2, le=LIMITS.neighbourhood)] = 24
                          ) -> Neighbourhood:
    """The concept with its related concepts and documents, positioned for drawing."""
    return service.neighbourhood(concept_id, limit)


@router.get("/facets", response_model=Facets, tags=["search"])
def facets(service: Service) -> Facets:
    """The values the search filters accept."""
    return service.facets()


@router.get("/themes", response_model=Themes, tags=["graph"])
def graph_themes(service: Service) -> Themes:
    """Communities of patterns, labelled by their most central members, with their studies."""
    return service.themes()


@router.get("/graph/path", response_model=PathResponse, tags=["graph"])
def graph_path(service: Service, source: Name, target: Name) -> PathResponse:
    """The shortest typed path between two nodes (study ids, concept ids or names)."""
    return service.path(source, target)
