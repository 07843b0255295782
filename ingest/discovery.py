"""Discover the concepts a corpus names that the taxonomy lacks, with no LLM and deterministically.

Candidates come from cues in the text (`ingest.candidates`) and from phrases that recur across
documents (`ingest.terms`); a term is kept when it is specific to the field (`ingest.termhood`);
its variants merge (`ingest.variants`); a group that a known concept answers for becomes proposed
aliases of that concept, any other group a new concept, typed by `ingest.type_guess`. Every kept
concept is found in the text by the linker, which gives its documents and its evidence spans.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ingest.acceptance import Keyphrase, accepted, casing, display_name, rare_word, written_as_name
from ingest.corpus import Corpus
from ingest.linker import Linker
from ingest.markdown import slugify
from ingest.records import Concept, Mention
from ingest.section_terms import SectionTerms
from ingest.surface import all_forms, surface_key
from ingest.terms import Terms, gather_terms
from ingest.type_guess import guess_type, organisation
from ingest.variants import (
    Groups,
    merge_embeddings,
    merge_fuzzy,
    merge_qualified,
    merge_spellings,
    merge_vendor_names,
)

Known = Callable[[str], "str | None"]  # a surface form → the id of the concept it names, or None
MAX_EVIDENCE = 8  # evidence spans kept per concept: the first mention in each document first
NAMED_DOCUMENTS = 2  # a key cued in this many documents is a name of its own: never merged away
WINDOW = 40  # characters either side of a mention read for type cues
VENDOR_NAMES = ("apache", "amazon", "aws", "google", "azure", "microsoft")
SYMBOL = re.compile(r"^[A-Z0-9]{2,8}$|\d|[a-z][A-Z]")  # "TCP", "AV1", "gRPC": names, not words
YEAR_AFTER = re.compile(r"^,?\s+(19|20)\d\d\b")  # "OSDI 2022", "Google I/O 2017"
YEAR_BEFORE = re.compile(r"\b(19|20)\d\d\s+$")  # "its 2012 QCon talk"


@dataclass(frozen=True)
class Evidence:
    """Where a discovered concept is named: character offsets into `Section.text`."""

    section_id: str
    start: int
    end: int
    surface: str


@dataclass(frozen=True)
class DiscoveredConcept:
    id: str  # a slug that no taxonomy concept, course or other discovered concept uses
    name: str
    type: str  # pattern | technology | company
    aliases: tuple[str, ...]
    documents: tuple[str, ...]  # ids of the documents whose text names it, in corpus order
    confidence: float  # in [0, 1]
    evidence: tuple[Evidence, ...]
    sources: tuple[str, ...]  # the cues that found it ("phrase": a recurring phrase, no cue)


@dataclass(frozen=True)
class ProposedAlias:
    """A form the corpus uses for a concept the taxonomy has, under a name the taxonomy lacks."""

    concept_id: str
    surface: str
    documents: tuple[str, ...]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Discovery:
    concepts: tuple[DiscoveredConcept, ...]
    aliases: tuple[ProposedAlias, ...]


def known_by_surface_key(concepts: Iterable[Concept]) -> Known:
    """The default `known`: a form names a concept when its surface key is one of the forms the
    linker knows the concept by (name, aliases, id, derived forms: "Quorum" is `quorum`, "Spark"
    is `spark`, "Apache Spark"); a name or alias wins over another concept's id or derived form."""
    concepts = list(concepts)
    keys = {surface_key(form): c.id for c in concepts for form in (c.name, *c.aliases)}
    for form in all_forms(concepts):
        keys.setdefault(surface_key(form.text), form.concept_id)
    return lambda text: keys.get(surface_key(text))


def _link(corpus: Corpus, terms: Terms, keys: Sequence[str]) -> dict[str, list[Mention]]:
    """The mentions of each kept key, found in competition with the taxonomy's own forms."""
    probes = [Concept(id=f"?{k}", name=display_name(terms.by_key[k]),
                      type="technology" if casing(terms.by_key[k]) == "proper" else "pattern")
              for k in keys]
    linker = Linker([*corpus.concepts.values(), *probes])
    found: dict[str, list[Mention]] = defaultdict(list)
    for section in corpus.sections:
        for mention in linker.find(section.text, section.id):
            if mention.concept_id.startswith("?"):
                found[mention.concept_id[1:]].append(mention)
    return found


def _group(terms: Terms, keys: Sequence[str], contexts: dict[str, str],
           encode: Callable[[list[str]], np.ndarray] | None) -> list[list[str]]:
    groups = Groups(keys)
    kept = set(keys)
    for key in keys:
        for pair in sorted(terms.by_key[key].pairs & kept):
            groups.union(key, pair)
    merge_spellings(groups, keys)
    merge_vendor_names(groups, keys)
    merge_fuzzy(groups, keys)
    merge_qualified(groups, keys, {k for k in keys if " " not in k and rare_word(terms.by_key[k])},
                    {k for k in keys if len(terms.by_key[k].cued_documents) >= NAMED_DOCUMENTS})
    if encode is not None:
        merge_embeddings(groups, {k: display_name(terms.by_key[k]) for k in keys}, contexts, encode)
    return groups.groups()


def _context(corpus_text: dict[str, str], mentions: list[Mention], width: int = 120) -> str:
    """The text around the first mentions of a key: what it is said of."""
    parts = []
    for m in mentions[:3]:
        text = corpus_text[m.section_id]
        parts.append(text[max(0, m.start - width) : m.end + width])
    return " … ".join(parts)


def _evidence(mentions: list[Mention], order: dict[str, int],
              document_of: dict[str, str]) -> tuple[Evidence, ...]:
    """The first mention in each document, then the others, in corpus order, at most MAX_EVIDENCE."""
    ranked = sorted(mentions, key=lambda m: (order[m.section_id], m.start))
    firsts: dict[str, Mention] = {}
    for m in ranked:
        firsts.setdefault(document_of[m.section_id], m)
    chosen = [*firsts.values(), *(m for m in ranked if m not in firsts.values())][:MAX_EVIDENCE]
    chosen.sort(key=lambda m: (order[m.section_id], m.start))
    return tuple(Evidence(m.section_id, m.start, m.end, m.surface) for m in chosen)


@dataclass
class _Context:
    """What building a concept from a group needs to read."""

    terms: Terms
    base: dict[str, float]
    mentions: dict[str, list[Mention]]
    order: dict[str, int]  # section id → position in the corpus
    document_of: dict[str, str]
    texts: dict[str, str]  # section id → its text

    def name(self, key: str) -> str:
        return display_name(self.terms.by_key[key])

    def documents(self, mentions: list[Mention]) -> tuple[str, ...]:
        first = {}
        for m in sorted(mentions, key=lambda m: self.order[m.section_id]):
            first.setdefault(self.document_of[m.section_id], None)
        return tuple(first)

    def windows(self, mentions: list[Mention]) -> list[tuple[str, str]]:
        """The text before and after each mention."""
        return [(self.texts[m.section_id][max(0, m.start - WINDOW) : m.start],
                 self.texts[m.section_id][m.end : m.end + WINDOW]) for m in mentions]


def _display(name: str) -> str:
    """Sentence case for a lower-case name, as the taxonomy writes its patterns."""
    return name[0].upper() + name[1:] if name == name.lower() else name


def _concept(ctx: _Context, keys: list[str]) -> DiscoveredConcept | None:
    """The concept a group names, or None for a capitalised name that nothing shows to be a
    product or a company (a person, a place, a title), an event or a public body."""
    head = max(keys, key=lambda k: (ctx.base[k], len(k.split()) > 1, len(ctx.mentions[k]), k))
    mentions = [m for k in keys for m in ctx.mentions[k]]
    terms = [ctx.terms.by_key[k] for k in keys]
    documents = ctx.documents(mentions)
    name = ctx.name(head)
    head_term = ctx.terms.by_key[head]
    windows = ctx.windows(mentions)
    kind, cues = guess_type(name, written_as_name(head_term, ctx.terms.lowered), windows)
    if not any(t.sources for t in terms) and kind != "pattern" and not _named(name, cues, len(documents)):
        return None
    if (kind != "pattern" and _event(windows)) or any(organisation(ctx.name(k)) for k in keys):
        return None
    spread = min(1.0, (len(documents) - 1) / 4)
    confidence = min(1.0, max(ctx.base[k] for k in keys) + 0.1 * spread + 0.05 * (len(keys) - 1))
    sources = sorted({s for t in terms for s in t.sources} or {"phrase"})
    return DiscoveredConcept(
        id="", name=_display(name) if kind == "pattern" or " " in name else name, type=kind,
        aliases=_aliases(ctx, keys, head), documents=documents,
        confidence=round(confidence, 3), evidence=_evidence(mentions, ctx.order, ctx.document_of),
        sources=tuple(sources))


def _aliases(ctx: _Context, keys: list[str], head: str) -> tuple[str, ...]:
    """The other keys' names, and the whole forms a parenthetical was split from."""
    names = {ctx.name(k) for k in keys if k != head}
    names |= {w for k in keys for w in ctx.terms.by_key[k].written}
    return tuple(sorted(names - {ctx.name(head)}, key=lambda n: (n.lower(), n)))


def _named(name: str, cues: int, documents: int) -> bool:
    """A capitalised name with no cue stands for a product or company when its context says so
    twice, or when it is one word ("Kafka") in two documents or with a cue, an acronym or versioned
    ("TCP", "AV1"), or a vendor's ("Apache Flink"); otherwise it is likely a person, a place or a
    title."""
    words = name.split()
    if cues >= 2 or (len(words) == 1 and (documents >= 2 or cues >= 1)):
        return True
    return documents >= 2 and (bool(SYMBOL.search(name)) or words[0].lower() in VENDOR_NAMES)


def _event(windows: list[tuple[str, str]]) -> bool:
    """Half the mentions or more, two or more, beside a year: a conference or an event ("OSDI
    2022", "2012 QCon talk"), not a product."""
    dated = sum(bool(YEAR_AFTER.search(after) or YEAR_BEFORE.search(before)) for before, after in windows)
    return dated >= 2 and 2 * dated >= len(windows)


def _with_ids(concepts: list[DiscoveredConcept], taken: set[str]) -> list[DiscoveredConcept]:
    """Most confident first, each with a slug id that nothing else uses."""
    ordered = sorted(concepts, key=lambda c: (-c.confidence, -len(c.documents), c.name.lower(), c.name))
    named = []
    for concept in ordered:
        base = slug = slugify(concept.name)
        n = 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        named.append(replace(concept, id=slug))
    return named


def discover_concepts(corpus: Corpus, known: Known,
                      encode: Callable[[list[str]], np.ndarray] | None = None,
                      keyphrase: Keyphrase | None = None,
                      kept: SectionTerms | None = None) -> Discovery:
    """New concepts of the corpus, and new forms of known ones; the same corpus gives the same
    answer. `known` maps a form to the concept it names; `encode`, if given, embeds names and
    contexts to merge variants that spelling cannot; `kept` lends sections' cues and phrases."""
    terms = gather_terms(corpus, kept)
    base = accepted(terms, corpus, keyphrase)
    owners = {k: known(display_name(terms.by_key[k])) for k in sorted(base)}
    forms = {c.id: {surface_key(f) for f in (c.name, *c.aliases)} for c in corpus.concepts.values()}
    fresh = [k for k, owner in owners.items() if owner is None or k not in forms.get(owner, set())]
    mentions = _link(corpus, terms, fresh)
    order = {s.id: i for i, s in enumerate(corpus.sections)}
    texts = {s.id: s.text for s in corpus.sections}
    ctx = _Context(terms, base, mentions, order, {s.id: s.document_id for s in corpus.sections}, texts)
    contexts = {k: _context(texts, mentions[k]) for k in fresh if mentions.get(k)}
    concepts, aliases = [], []
    for group in _group(terms, [k for k in owners if k in contexts or owners[k]], contexts, encode):
        ids = {owners[k] for k in group} - {None}
        new = [k for k in group if mentions.get(k)]
        concept = _concept(ctx, new) if not ids and new else None
        if concept is not None:
            concepts.append(concept)
        elif len(ids) == 1:
            owner = ids.pop()
            aliases += [ProposedAlias(owner, ctx.name(k), ctx.documents(mentions[k]),
                                      _evidence(mentions[k], order, ctx.document_of)) for k in new]
    return Discovery(tuple(_with_ids(concepts, set(corpus.concepts))), tuple(aliases))
