"""Gather the corpus's candidate terms: every cued candidate and every recurring phrase, grouped
by surface key, with the counts that scoring needs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from ingest.candidates import Candidate, step
from ingest.corpus import Corpus
from ingest.instructions import corpus_verbs, instruction
from ingest.section_terms import SectionTerms
from ingest.surface import surface_key

SKIPPED_HEADINGS = ("source", "reference", "further reading", "credit", "contact", "licen",
                    "acknowledg", "contributing")  # lists of people and links, not of concepts
MIN_PHRASE_DOCUMENTS = 2  # an uncued phrase must recur in this many documents to be a term
TEMPLATE_SHARE = 0.2  # a heading this share of the documents repeat word for word is their template
TEMPLATE_DOCUMENTS = 3  # and at least this many ("Requirements and Estimation" in 30 of 52 studies)


@dataclass
class Term:
    """Everything seen of one surface key."""

    key: str
    surfaces: Counter = field(default_factory=Counter)  # as written in prose, past a clause's start
    openings: Counter = field(default_factory=Counter)  # as written opening a clause
    cues: Counter = field(default_factory=Counter)  # (source, surface) → times cued
    cued_documents: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)  # where it occurs in prose
    pairs: set[str] = field(default_factory=set)  # keys the text states as the same concept
    written: set[str] = field(default_factory=set)  # whole forms it was split from, "Trie (prefix tree)"
    labels: int = 0  # cues that are labels of a definition list (`candidates.list_labels`)
    asides: int = 0  # cues that are the inside of a parenthetical, "canonical" of "CNAME (canonical)"
    site: bool = False  # a link to its own site names it (`candidates.site_links`)

    @property
    def words(self) -> int:
        return len(self.key.split())

    @property
    def occurrences(self) -> int:
        return sum(self.surfaces.values()) + sum(self.openings.values())

    @property
    def sources(self) -> set[str]:
        return {source for source, _ in self.cues}


@dataclass
class Terms:
    by_key: dict[str, Term]
    word_counts: Counter  # one-word key → occurrences in prose
    prose: dict[str, str]  # section id → its text without code
    verbs: frozenset[str] = frozenset()  # words the prose uses as verbs (`ingest.instructions`)
    lowered: frozenset[str] = frozenset()  # words the prose writes in lower case

    @cached_property
    def all_prose(self) -> str:
        """Every section's prose, in lower case, one section a line."""
        return "\n".join(self.prose.values()).lower()


def skipped(heading_path: tuple[str, ...]) -> bool:
    """Sections of sources, credits and licences name people and posts, not concepts."""
    return any(h.lower().startswith(SKIPPED_HEADINGS) for h in heading_path[-1:])


def _unsaid(text: str, document_id: str, said: dict[str, str]) -> str:
    """The text less its lines of three words or more that another document has said already
    (boilerplate copied into every file: "Scaling is an iterative process")."""
    kept = []
    for line in text.splitlines():
        words = line.split()
        first = said.setdefault(" ".join(words), document_id) if len(words) >= 3 else document_id
        kept.append(line if first == document_id else "")
    return "\n".join(kept)


def _template_headings(candidates: list[tuple[str, Candidate]], documents: int) -> set[str]:
    """The headings that are the documents' template, not their topics: a numbered step that two
    documents or more head the same way ("Step 1: Outline use cases and constraints" in every
    solution), or any heading that a fifth of the documents, three or more, repeat word for word
    ("Requirements and Estimation", "Bottlenecks and Trade-offs" in 30 of 52 studies)."""
    seen: dict[str, set[str]] = {}
    for document_id, candidate in candidates:
        if candidate.source == "heading":
            seen.setdefault(candidate.lead, set()).add(document_id)
    floor = max(TEMPLATE_DOCUMENTS, TEMPLATE_SHARE * documents)
    return {lead for lead, docs in seen.items()
            if len(docs) >= floor or (step(lead) and len(docs) >= 2)}


def _cued_terms(candidates: list[tuple[str, Candidate]], verbs: frozenset[str],
                documents: int) -> dict[str, Term]:
    """The terms of the (document id, candidate) pairs, less those cued by an instruction or by
    a heading of the documents' template."""
    cued: dict[str, Term] = {}
    template = _template_headings(candidates, documents)
    for document_id, candidate in candidates:
        key = surface_key(candidate.surface)
        if key and not instruction(candidate.lead, verbs) and candidate.lead not in template:
            term = cued.get(key) or cued.setdefault(key, Term(key))
            term.cues[(candidate.source, candidate.surface)] += 1
            term.cued_documents.add(document_id)
            term.pairs.update(k for k in (surface_key(candidate.pair),) if k and k != key)
            term.written.update(w for w in (candidate.written,) if w)
            term.labels += candidate.label
            term.asides += bool(candidate.pair and not candidate.written and candidate.source != "acronym")
            term.site |= candidate.site
    return cued


def gather_terms(corpus: Corpus, kept: SectionTerms | None = None) -> Terms:
    """Cued candidates of every section that is not a list of sources, and the phrases of its
    prose that no other document has said before (each section's read through `kept`)."""
    kept = kept or SectionTerms()
    candidates: list[tuple[str, Candidate]] = []
    seen: Counter = Counter()  # (key, surface, opens a clause) → occurrences in prose
    documents: dict[str, set[str]] = {}
    texts: dict[str, str] = {}
    said: dict[str, str] = {}  # a line of prose → the first document that says it
    for section in corpus.sections:
        if skipped(section.heading_path):
            continue
        text, found = kept.cues(section, corpus.documents[section.document_id].title)
        texts[section.id] = text = _unsaid(text, section.document_id, said)
        candidates += [(section.document_id, c) for c in found]
        for surface, key, first, n in kept.phrase_counts(text):
            seen[(key, surface, first)] += n
            (documents.get(key) or documents.setdefault(key, set())).add(section.document_id)
    verbs = corpus_verbs(texts.values())
    cued = _cued_terms(candidates, verbs, len(corpus.documents))
    by_key = {key: Term(key) for key, docs in documents.items() if len(docs) >= MIN_PHRASE_DOCUMENTS}
    by_key.update(cued)
    for (key, surface, first), n in seen.items():
        if key in by_key:
            (by_key[key].openings if first else by_key[key].surfaces)[surface] += n
    for key, term in by_key.items():
        term.documents = documents.get(key, set())
    word_counts: Counter = Counter()
    lowered = set()
    for (key, surface, _), n in seen.items():
        if " " not in key:
            word_counts[key] += n
            if surface.islower():
                lowered.add(surface)
    return Terms(by_key, word_counts, texts, verbs, frozenset(lowered))
