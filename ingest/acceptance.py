"""Which terms are concepts of the field: the gate each kind of term must pass, and the confidence
it starts with. Tuned on the bundled corpus; the link, component, group and list-step rules on
the System Design Primer's seed-13 sample (docs/CONCEPTS.md says how)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence

from ingest.candidates import plausible
from ingest.corpus import Corpus
from ingest.instructions import instruction
from ingest.surface import normalise
from ingest.termhood import phrase_score, rarity
from ingest.terms import Term, Terms
from ingest.type_guess import usual_casing
from ingest.variants import VENDORS, variant_key

# Optional keyphrase scores of uncued phrases (names, document texts) → name → [0, 1]; measured in
# `eval.keyphrase`, where neither YAKE nor embeddings beat the statistics alone (docs/CONCEPTS.md).
Keyphrase = Callable[[Sequence[str], Sequence[str]], dict[str, float]]
CUE_WEIGHTS = {"acronym": 0.45, "emphasis": 0.3, "heading": 0.3, "definition": 0.25, "link": 0.2}
MIN_RARITY = {"cued": 0.5, "single": 0.65, "proper": 0.2}
RARITY_RELIEF = 0.3  # for a cued phrase defined in bold, or cued in two documents or more
SINGLE_RELIEF = 0.15  # for a one-word term cued in three documents or more
RARE_WORD = 0.9  # a word this rare is a term on its own ("idempotent", "serverless")
MIN_PHRASE_SCORE = 0.3  # rarity × cohesion of an uncued phrase
MIN_PHRASE_DOCUMENTS = 3
COMPONENTS = frozenset("""service services server servers database databases cache caches api apis
store stores replica replicas index""".split())  # the boxes of a design: "User Graph Service"
PRODUCT_WORD = re.compile(r"^[A-Z0-9]{2,8}s?$|\d|[a-z][A-Z]")  # "REST", "S3", "MySQL"
GROUPS = (" patterns", " topics")  # "Availability patterns" heads a list of concepts, not one
CALENDAR = frozenset("""january february march april may june july august september october november
december monday tuesday wednesday thursday friday saturday sunday""".split())


def acronym(term: Term) -> str | None:
    """The upper-case form the cues give, if the term is an acronym ("HOT", not "hot")."""
    forms = sorted(s for _, s in term.cues if s.isupper() and 2 <= len(s) <= 8 and " " not in s)
    return forms[0] if forms else None


def display_name(term: Term) -> str:
    """An acronym as cued; else the form written most often: in prose if it occurs there, else as
    cued."""
    upper = acronym(term)
    if upper:
        return upper
    cued = {surface: n for (_, surface), n in term.cues.items()}
    counts = term.surfaces or cued or {_lower_first(s): n for s, n in term.openings.items()}
    return min(counts, key=lambda s: (-counts[s], s.lower() != s, s))


def _lower_first(surface: str) -> str:
    """"Mitigation" → "mitigation" (a capital that only opens clauses); "MySQL" stays."""
    first = surface.split()[0]
    return surface[0].lower() + surface[1:] if first[1:] == first[1:].lower() else surface


def rare_word(term: Term) -> bool:
    """A single word rare enough in English to be a term on its own: "idempotent", "serverless"."""
    return term.words == 1 and rarity(display_name(term)) >= RARE_WORD


def casing(term: Term) -> str:
    """"proper", "lower" or "mixed", as the term is usually written (an acronym is proper)."""
    return "proper" if acronym(term) else usual_casing(term.surfaces)


def component(name: str) -> bool:
    """A capitalised label of a box in a design ("User Graph Service", "Read API"): a component
    noun after words none of which is an acronym, a product's spelling or a vendor."""
    *words, head = name.split()
    return bool(words) and head.lower() in COMPONENTS and not any(
        PRODUCT_WORD.search(w) or normalise(w) in VENDORS for w in words)


def _proper_confidence(term: Term, name: str, cued: bool) -> float | None:
    """A capitalised name: used in two documents (or thrice), not a month, not a design's
    component, and not a common word unless a cue names it."""
    if (not (len(term.documents) >= 2 or term.occurrences >= 3) or name.lower() in CALENDAR
            or component(name)):
        return None
    return 0.6 if rarity(name) >= MIN_RARITY["proper"] or cued else None


def _cued_confidence(term: Term, name: str, sources: set[str]) -> float | None:
    """A cued term: specific enough in English, less so when it is defined in bold or cued again
    and again; a plain "Label: value" line in one document is not enough."""
    if sources == {"definition"} and len(term.cued_documents) < 2:
        return None  # "Write bandwidth: 10 MB/s" in one estimate: a label, not yet a term
    if term.words == 1:
        floor = MIN_RARITY["single"] - (SINGLE_RELIEF if len(term.cued_documents) >= 3 else 0.0)
    else:
        relieved = len(term.cued_documents) >= 2 or {"definition", "emphasis"} <= sources
        floor = MIN_RARITY["cued"] - (RARITY_RELIEF if relieved else 0.0)
    return 0.55 + sum(CUE_WEIGHTS[s] for s in sources) / 4 if rarity(name) >= floor else None


def _phrase_confidence(term: Term, name: str, terms: Terms, keyphrase: dict[str, float] | None,
                       ) -> float | None:
    """An uncued lower-case phrase: in three documents, rare and cohesive enough, and neither an
    instruction ("reduce clutter") nor a step of a list, only ever opening a clause with a verb's
    "-s" ("Removes markup")."""
    if (term.words < 2 or len(term.documents) < MIN_PHRASE_DOCUMENTS or not plausible(name)
            or instruction(name, terms.verbs) or (not term.surfaces and _third_person(name))):
        return None
    score = phrase_score(term.key, name, term.occurrences, terms.word_counts)
    score *= 1.0 if keyphrase is None else keyphrase.get(name, 0.0)
    return 0.45 + 0.2 * score if score >= MIN_PHRASE_SCORE else None


def _third_person(name: str) -> bool:
    """Opened by what may be a verb's "-s" ("Removes markup"; not "Synchronous standby")."""
    first = name.split()[0].lower()
    return first.endswith("s") and not first.endswith(("ss", "us", "is"))


def base_confidence(term: Term, terms: Terms, keyphrase: dict[str, float] | None = None,
                    ) -> float | None:
    """How sure the cues make us that the term is a concept of the field, or None to drop it."""
    name = display_name(term)
    if name.lower().endswith(GROUPS):
        return None
    sources = term.sources - {"code"}  # code spans are identifiers: measured, they name no concepts
    if sources == {"link"} and not term.documents:
        sources = set()  # a link's text alone names a post ("Uber Engineering Blog"), not a concept
    kind = casing(term)
    if "acronym" in sources:
        return 0.75
    if kind == "proper":
        return _proper_confidence(term, name, bool(sources))
    if sources:
        return _cued_confidence(term, name, sources)
    return _phrase_confidence(term, name, terms, keyphrase) if kind == "lower" else None


def document_texts(corpus: Corpus, terms: Terms) -> list[str]:
    """Each document's prose, in corpus order."""
    texts: dict[str, list[str]] = defaultdict(list)
    for section in corpus.sections:
        texts[section.document_id].append(terms.prose.get(section.id, ""))
    return ["\n".join(parts) for parts in texts.values()]


def uncued_phrases(terms: Terms) -> list[str]:
    """The names of the terms that only recur, with no cue: what a keyphrase method would score."""
    return sorted(display_name(t) for t in terms.by_key.values() if not t.sources and t.words > 1)


def accepted(terms: Terms, corpus: Corpus, keyphrase: Keyphrase | None) -> dict[str, float]:
    """Key → base confidence of every term that passes its gate, and of the spelling variants of
    those ("eventually consistent" beside "eventual consistency")."""
    scores = None if keyphrase is None else keyphrase(uncued_phrases(terms), document_texts(corpus, terms))
    kept = {}
    for key, term in terms.by_key.items():
        base = base_confidence(term, terms, scores)
        if base is not None:
            kept[key] = base
    variants = {variant_key(k): b for k, b in sorted(kept.items())}
    for key, term in terms.by_key.items():
        if key not in kept and (" " in key or rare_word(term)) and casing(term) == "lower" and (
                variant_key(key) in variants):
            kept[key] = variants[variant_key(key)]
    return kept


