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
from dataclasses import dataclass

import numpy as np

from ingest.candidates import plausible
from ingest.corpus import Corpus
from ingest.linker import Linker, surface_key
from ingest.markdown import slugify
from ingest.records import Concept, Mention
from ingest.termhood import phrase_score, rarity
from ingest.terms import Term, Terms, gather_terms
from ingest.type_guess import guess_type, usual_casing
from ingest.variants import (
    Groups,
    merge_embeddings,
    merge_fuzzy,
    merge_qualified,
    merge_spellings,
    merge_vendor_names,
    variant_key,
)

Known = Callable[[str], "str | None"]  # a surface form → the id of the concept it names, or None
# Optional keyphrase scores of uncued phrases (names, document texts) → name → [0, 1]; measured in
# `eval.keyphrase`, where neither YAKE nor embeddings beat the statistics alone (docs/CONCEPTS.md).
Keyphrase = Callable[[Sequence[str], Sequence[str]], dict[str, float]]
CUE_WEIGHTS = {"acronym": 0.45, "emphasis": 0.3, "heading": 0.3, "definition": 0.25, "link": 0.2,
               "code": 0.1}
MAX_EVIDENCE = 8  # evidence spans kept per concept: the first mention in each document first
WINDOW = 40  # characters either side of a mention read for type cues
MIN_RARITY = {"cued": 0.5, "single": 0.65, "proper": 0.2}
CALENDAR = frozenset("""january february march april may june july august september october november
december monday tuesday wednesday thursday friday saturday sunday""".split())
RARITY_RELIEF = 0.3
SINGLE_RELIEF = 0.15  # for a one-word term cued in three documents or more
RARE_WORD = 0.9
VENDOR_NAMES = ("apache", "amazon", "aws", "google", "azure", "microsoft")
SYMBOL = re.compile(r"^[A-Z0-9]{2,8}$|\d|[a-z][A-Z]")  # "TCP", "AV1", "gRPC": names, not words
MIN_PHRASE_SCORE = 0.3  # rarity × cohesion of an uncued phrase
MIN_PHRASE_DOCUMENTS = 3


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
    """The default `known`: a form names a concept when its surface key is the concept's name's
    or one of its aliases'."""
    keys = {surface_key(form): c.id for c in concepts for form in (c.name, *c.aliases)}
    return lambda text: keys.get(surface_key(text))


def _acronym(term: Term) -> str | None:
    """The upper-case form the cues give, if the term is an acronym ("HOT", not "hot")."""
    forms = sorted(s for _, s in term.cues if s.isupper() and 2 <= len(s) <= 8 and " " not in s)
    return forms[0] if forms else None


def _name(term: Term) -> str:
    """An acronym as cued; else the form written most often: in prose if it occurs there, else as
    cued."""
    acronym = _acronym(term)
    if acronym:
        return acronym
    cued = {surface: n for (_, surface), n in term.cues.items()}
    counts = term.surfaces or cued or {_lower_first(s): n for s, n in term.openings.items()}
    return min(counts, key=lambda s: (-counts[s], s.lower() != s, s))


def _lower_first(surface: str) -> str:
    """"Mitigation" → "mitigation" (a capital that only opens clauses); "MySQL" stays."""
    first = surface.split()[0]
    return surface[0].lower() + surface[1:] if first[1:] == first[1:].lower() else surface


def _rare_word(term: Term) -> bool:
    """A single word rare enough in English to be a term on its own: "idempotent", "serverless"."""
    return term.words == 1 and rarity(_name(term)) >= RARE_WORD


def _casing(term: Term) -> str:
    return "proper" if _acronym(term) else usual_casing(term.surfaces)


def _base_confidence(term: Term, terms: Terms, keyphrase: dict[str, float] | None) -> float | None:
    """How sure the cues make us that the term is a concept of the field, or None to drop it."""
    name = _name(term)
    sources = term.sources - {"code"}  # code spans are identifiers: measured, they name no concepts
    if "acronym" in sources:
        return 0.75
    specific = rarity(name)
    casing = _casing(term)
    if casing == "mixed" and not sources:
        return None
    if casing == "proper":
        spread = len(term.documents) >= 2 or term.occurrences >= 3
        if not spread or name.lower() in CALENDAR:
            return None
        return 0.6 if specific >= MIN_RARITY["proper"] or sources else None
    if sources == {"definition"} and len(term.cued_documents) < 2:
        return None  # "Write bandwidth: 10 MB/s" in one estimate: a label, not yet a term
    if sources:
        if term.words == 1:
            floor = MIN_RARITY["single"] - (SINGLE_RELIEF if len(term.cued_documents) >= 3 else 0.0)
        else:
            floor = MIN_RARITY["cued"]
            if len(term.cued_documents) >= 2 or {"definition", "emphasis"} <= sources:
                floor -= RARITY_RELIEF  # defined, or cued again and again: specific by use
        return 0.55 + sum(CUE_WEIGHTS[s] for s in sources) / 4 if specific >= floor else None
    if term.words < 2 or len(term.documents) < MIN_PHRASE_DOCUMENTS or casing != "lower" or (
            not plausible(name)):
        return None
    score = phrase_score(term.key, name, term.occurrences, terms.word_counts)
    score *= 1.0 if keyphrase is None else keyphrase.get(name, 0.0)
    return 0.45 + 0.2 * score if score >= MIN_PHRASE_SCORE else None


def document_texts(corpus: Corpus, terms: Terms) -> list[str]:
    """Each document's prose, in corpus order."""
    texts: dict[str, list[str]] = defaultdict(list)
    for section in corpus.sections:
        texts[section.document_id].append(terms.prose.get(section.id, ""))
    return ["\n".join(parts) for parts in texts.values()]


def uncued_phrases(terms: Terms) -> list[str]:
    """The names of the terms that only recur, with no cue: what a keyphrase method would score."""
    return sorted(_name(t) for t in terms.by_key.values() if not t.sources and t.words > 1)


def _accepted(terms: Terms, corpus: Corpus, keyphrase: Keyphrase | None) -> dict[str, float]:
    scores = None if keyphrase is None else keyphrase(uncued_phrases(terms), document_texts(corpus, terms))
    kept = {}
    for key, term in terms.by_key.items():
        base = _base_confidence(term, terms, scores)
        if base is not None:
            kept[key] = base
    variants = {variant_key(k): b for k, b in sorted(kept.items())}
    for key, term in terms.by_key.items():
        if key not in kept and (" " in key or _rare_word(term)) and _casing(term) == "lower" and (
                variant_key(key) in variants):
            kept[key] = variants[variant_key(key)]  # "eventually consistent" beside "eventual consistency"
    return kept


def _link(corpus: Corpus, terms: Terms, keys: Sequence[str]) -> dict[str, list[Mention]]:
    """The mentions of each kept key, found in competition with the taxonomy's own forms."""
    probes = [Concept(id=f"?{k}", name=_name(terms.by_key[k]),
                      type="technology" if _casing(terms.by_key[k]) == "proper" else "pattern")
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
    merge_qualified(groups, keys, {k for k in keys if " " not in k and _rare_word(terms.by_key[k])})
    if encode is not None:
        merge_embeddings(groups, {k: _name(terms.by_key[k]) for k in keys}, contexts, encode)
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

    corpus: Corpus
    terms: Terms
    base: dict[str, float]
    mentions: dict[str, list[Mention]]
    order: dict[str, int]  # section id → position in the corpus
    document_of: dict[str, str]

    def name(self, key: str) -> str:
        return _name(self.terms.by_key[key])

    def documents(self, mentions: list[Mention]) -> tuple[str, ...]:
        first = {}
        for m in sorted(mentions, key=lambda m: self.order[m.section_id]):
            first.setdefault(self.document_of[m.section_id], None)
        return tuple(first)

    def windows(self, mentions: list[Mention]) -> list[tuple[str, str]]:
        texts = {s.id: s.text for s in self.corpus.sections if s.id in {m.section_id for m in mentions}}
        return [(texts[m.section_id][max(0, m.start - WINDOW) : m.start],
                 texts[m.section_id][m.end : m.end + WINDOW]) for m in mentions]


def _display(name: str) -> str:
    """Sentence case for a lower-case name, as the taxonomy writes its patterns."""
    return name[0].upper() + name[1:] if name == name.lower() else name


def _concept(ctx: _Context, keys: list[str]) -> DiscoveredConcept | None:
    """The concept a group names, or None for a capitalised name that nothing shows to be a
    product or a company (a person, a place, a title)."""
    head = max(keys, key=lambda k: (ctx.base[k], len(k.split()) > 1, len(ctx.mentions[k]), k))
    mentions = [m for k in keys for m in ctx.mentions[k]]
    terms = [ctx.terms.by_key[k] for k in keys]
    documents = ctx.documents(mentions)
    name = ctx.name(head)
    head_term = ctx.terms.by_key[head]
    kind, cues = guess_type(name, _casing(head_term) == "proper", ctx.windows(mentions))
    if not any(t.sources for t in terms) and kind != "pattern" and not _named(name, cues, len(documents)):
        return None
    spread = min(1.0, (len(documents) - 1) / 4)
    confidence = min(1.0, max(ctx.base[k] for k in keys) + 0.1 * spread + 0.05 * (len(keys) - 1))
    sources = sorted({s for t in terms for s in t.sources} or {"phrase"})
    return DiscoveredConcept(
        id="", name=_display(name) if kind == "pattern" else name, type=kind,
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
        named.append(DiscoveredConcept(**{**concept.__dict__, "id": slug}))
    return named


def discover_concepts(corpus: Corpus, known: Known,
                      encode: Callable[[list[str]], np.ndarray] | None = None,
                      keyphrase: Keyphrase | None = None) -> Discovery:
    """New concepts of the corpus, and new forms of known ones; the same corpus gives the same
    answer. `known` maps a form to the concept it names; `encode`, if given, embeds names and
    contexts to merge variants that spelling cannot."""
    terms = gather_terms(corpus)
    base = _accepted(terms, corpus, keyphrase)
    owners = {k: known(_name(terms.by_key[k])) for k in sorted(base)}
    forms = {c.id: {surface_key(f) for f in (c.name, *c.aliases)} for c in corpus.concepts.values()}
    fresh = [k for k, owner in owners.items() if owner is None or k not in forms.get(owner, set())]
    mentions = _link(corpus, terms, fresh)
    order = {s.id: i for i, s in enumerate(corpus.sections)}
    ctx = _Context(corpus, terms, base, mentions, order, {s.id: s.document_id for s in corpus.sections})
    texts = {s.id: s.text for s in corpus.sections}
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
