"""Shapes only the MCP tools answer: a study with the text of chosen sections, and a context pack.

Everything else the tools return is one of the HTTP API's own models (`api/models.py`).
"""

from __future__ import annotations

from pydantic import Field

from api.models import ConceptRef, LinkedConcept, Model, RelationType, StudyRef


class SectionText(Model):
    id: str = Field(description="Section id, '<study-id>#<heading-slug>': cite it.")
    heading: str
    heading_path: list[str]
    text: str


class StudyText(StudyRef):
    level: str
    minutes: int | None
    headline: str
    summary: str
    sources: list[str]
    concepts: list[LinkedConcept]
    section_ids: list[str] = Field(description="Every section of the study, in reading order.")
    sections: list[SectionText] = Field(description="The sections asked for (all by default).")


class PackSection(Model):
    study: StudyRef
    id: str = Field(description="Section id, '<study-id>#<heading-slug>': cite it.")
    heading_path: list[str]
    text: str
    tokens: int = Field(description="Tokens of `text`, counted with the snapshot model's tokenizer.")
    score: float = Field(description="Search score of the section for the question, in [0, 1].")
    excerpt: bool = Field(description="True when `text` is the best-matching window of a section "
                                      "too long for the budget left.")


class SharedConcept(ConceptRef):
    sections: list[str] = Field(description="Ids of the packed sections that name the concept.")


class ConceptRelation(Model):
    source: str = Field(description="Concept id.")
    target: str = Field(description="Concept id.")
    type: RelationType


class ContextPack(Model):
    question: str
    budget_tokens: int
    tokens: int = Field(description="Sum of the sections' `tokens`; never over `budget_tokens`.")
    tokenizer: str = Field(description="What counted the tokens: the model's tokenizer, or words "
                                       "for a snapshot embedded without one.")
    weak_match: bool = Field(description="Nothing in the corpus is close to the question: the "
                                         "sections are only the nearest there are.")
    sections: list[PackSection] = Field(description="Best first.")
    concepts: list[SharedConcept] = Field(description="Concepts named in at least two packed "
                                                      "sections (in the one, when there is one).")
    relations: list[ConceptRelation] = Field(description="Typed taxonomy edges among `concepts`.")
