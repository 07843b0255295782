"""A read corpus with the concepts discovery found added, and every concept linked again."""

from __future__ import annotations

from dataclasses import replace

from ingest.corpus import Corpus
from ingest.discovery import DiscoveredConcept, Discovery, discover_concepts, known_by_surface_key
from ingest.linker import Linker
from ingest.progress import NoProgress, Progress
from ingest.records import Concept
from ingest.section_terms import SectionTerms


def as_concept(found: DiscoveredConcept, corpus: Corpus) -> Concept:
    """A discovered concept as a record of the graph: origin "discovered", its confidence, and
    the document that names it first as its source."""
    first = corpus.documents[found.documents[0]].path if found.documents else ""
    return Concept(id=found.id, name=found.name, type=found.type, aliases=found.aliases,
                   source=first, origin="discovered", confidence=round(found.confidence, 3))


def with_discovered(corpus: Corpus, progress: Progress | None = None,
                    kept: SectionTerms | None = None) -> tuple[Corpus, Discovery]:
    """`corpus` with its discovered concepts, and its mentions found again over all concepts
    (longest match first, so a discovered "web server caching" and the taxonomy's "caching"
    never overlap); `kept` lends sections' cues and phrases."""
    progress = progress or NoProgress()
    progress.phase("discover", 1)
    discovery = discover_concepts(corpus, known_by_surface_key(corpus.concepts.values()),
                                  kept=kept)
    concepts = dict(corpus.concepts)
    concepts.update((c.id, as_concept(c, corpus)) for c in discovery.concepts)
    progress.advance()
    linker = Linker(concepts.values())
    progress.phase("link", len(corpus.sections))
    mentions = []
    for section in corpus.sections:
        mentions += linker.find(section.text, section.id)
        progress.advance()
    return replace(corpus, concepts=concepts, mentions=mentions), discovery
