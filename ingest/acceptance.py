"""Which terms are concepts of the field: the gate each kind of term must pass, and the confidence
it starts with, and whether the corpus writes a term as a proper name (which types it). Tuned on
the bundled corpus; the link, component, group and list-step rules on the System Design Primer's
seed-13 sample; the list-label and proper-name rules on its seed-2026 sample and full list; the
title and acronym-component rules (and `ingest.fragments`) on all five judged samples of both
corpora, the prose-use rules (`ingest.phrase_use`) on all six (docs/CONCEPTS.md says how)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from ingest.candidates import plausible, tokens
from ingest.corpus import Corpus
from ingest.fragments import Nesting, fragment, nested_uses
from ingest.instructions import instruction
from ingest.phrase_use import compound_tail, gerund_clause, outcome, words_before
from ingest.surface import normalise
from ingest.termhood import phrase_score, rarity, zipf
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
ACRONYM = re.compile(r"[A-Z0-9]+s?")  # "SQL", "APIs": an acronym or its plural
GROUPS = (" patterns", " topics")  # "Availability patterns" heads a list of concepts, not one
LABEL_ZIPF = 3.0  # each word of a list's label is at least this common in English ("timeline")
NAME_ZIPF = 4.0  # a capitalised word never written in lower case and rarer than this is a name's
CALENDAR = frozenset("""january february march april may june july august september october november
december monday tuesday wednesday thursday friday saturday sunday""".split())


def acronym(term: Term) -> str | None:
    """The upper-case form the cues but code spans give, if the term is an acronym ("HOT", not
    "hot"; not the SQL type `TEXT`)."""
    forms = sorted(s for (source, s) in term.cues
                   if source != "code" and s.isupper() and 2 <= len(s) <= 8 and " " not in s)
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


def written_as_name(term: Term, lowered: frozenset[str]) -> bool:
    """Whether the corpus writes the term as a proper name, which types it a product or a company.
    By its casing in prose, unless a cued multi-word name with no product sign is also written
    with lower-case words ("Vertical Scaling" and "Vertical scaling": Title-Case emphasis of a
    pattern); with no prose use past a clause's start, by its spelling in cues and openings (an
    inner capital, "HBase"; a Title-Case name with a product sign, "Hadoop File System") or a link
    to its own site. `lowered`: the words the corpus writes in lower case."""
    name = display_name(term)
    if casing(term) == "proper":
        return (acronym(term) is not None or product_sign(name, lowered)
                or not (term.sources and _also_lowered(term, name, lowered)))
    if term.surfaces:
        return False
    forms = [*(s for _, s in term.cues), *term.openings]
    return term.site or any(_inner_capital(f) or (" " in f and usual_casing(Counter([f])) == "proper"
                                                  and product_sign(f, lowered)) for f in forms)


def product_sign(name: str, lowered: frozenset[str]) -> bool:
    """A word of the name is spelled as a product's or a vendor's: an inner capital or a digit
    ("MySQL", "S3"), a vendor ("Google"), or a capitalised word that the corpus never writes in
    lower case and English rarely uses ("Hadoop"; not "File", nor "Snowflake-style")."""
    return any(_inner_capital(w) or any(c.isdigit() for c in w) or normalise(w) in VENDORS
               or (w[:1].isupper() and not ACRONYM.fullmatch(w) and "-" not in w and w.lower() not in lowered
                   and zipf(w.lower()) < NAME_ZIPF) for w in name.split())


def _inner_capital(form: str) -> bool:
    """A capital inside a word, not after a hyphen nor in an acronym's plural: "HBase", "MySQL";
    not "Master-Slave", "APIs"."""
    parts = re.split(r"[-/\s]", form)
    return any(not ACRONYM.fullmatch(p) and any(c.isupper() for c in p[1:]) for p in parts)


def _also_lowered(term: Term, name: str, lowered: frozenset[str]) -> bool:
    """The name is also written in lower case: a one-word name as a word of the prose, a longer
    one with a word past the first in lower case where it has a capital."""
    words = name.split()
    if len(words) == 1:
        return name.lower() in lowered
    for form in [*term.surfaces, *term.openings, *(s for _, s in term.cues)]:
        other = form.split()
        if len(other) == len(words) > 1 and form.lower() == name.lower() and any(
                w[:1].isupper() and o[:1].islower() for w, o in zip(words[1:], other[1:], strict=True)):
            return True
    return False


def component(name: str) -> bool:
    """A capitalised label of a box in a design ("User Graph Service", "Read API", "SQL Read
    Replicas"): a component noun after words among which is a plain one (not an acronym) and none
    of which is a product's spelling or a vendor ("MySQL Database", "Amazon Elastic Block Store"
    are products)."""
    *words, head = name.split()
    return (head.lower() in COMPONENTS and any(not ACRONYM.fullmatch(w) for w in words)
            and not any((PRODUCT_WORD.search(w) and not ACRONYM.fullmatch(w)) or normalise(w) in VENDORS
                        for w in words))


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
    if (sources == {"definition"} and len(term.cued_documents) < 2) or _list_label(term):
        return None  # "Write bandwidth: 10 MB/s" in one estimate: a label, not yet a term
    if term.words == 1:
        floor = MIN_RARITY["single"] - (SINGLE_RELIEF if len(term.cued_documents) >= 3 else 0.0)
    else:
        relieved = len(term.cued_documents) >= 2 or {"definition", "emphasis"} <= sources
        floor = MIN_RARITY["cued"] - (RARITY_RELIEF if relieved else 0.0)
    return 0.55 + sum(CUE_WEIGHTS[s] for s in sources) / 4 if rarity(name) >= floor else None


def _list_label(term: Term) -> bool:
    """Cued only as a label of a definition list ("Short timeline", "Long timeline"), made of
    plain English words (not "Content-addressable storage" beside "Object storage"), and used
    nowhere else in the prose."""
    definitions = sum(n for (source, _), n in term.cues.items() if source == "definition")
    return (term.labels == sum(term.cues.values()) and term.occurrences <= definitions
            and all(zipf(w.lower()) >= LABEL_ZIPF for w in tokens(display_name(term))))


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
    if score < MIN_PHRASE_SCORE:
        return None
    before = words_before(name, terms.all_prose)
    return None if compound_tail(before) or gerund_clause(name, before) else 0.45 + 0.2 * score


def _third_person(name: str) -> bool:
    """Opened by what may be a verb's "-s" ("Removes markup"; not "Synchronous standby")."""
    first = name.split()[0].lower()
    return first.endswith("s") and not first.endswith(("ss", "us", "is"))


def base_confidence(term: Term, terms: Terms, keyphrase: dict[str, float] | None = None,
                    nested: Nesting | None = None) -> float | None:
    """How sure the cues make us that the term is a concept of the field, or None to drop it
    (`nested`: `fragments.nested_uses`, to drop pieces of longer names)."""
    name = display_name(term)
    if (name.lower().endswith(GROUPS) or outcome(name)
            or (nested is not None and fragment(term, name, nested))):
        return None
    sources = term.sources - {"code"}  # code spans are identifiers: measured, they name no concepts
    if sources == {"link"} and not term.documents:
        sources = set()  # a link's text alone names a post ("Uber Engineering Blog"), not a concept
    if (sources and not term.occurrences and len(term.cued_documents) < 2 and not term.site
            and "acronym" not in sources):
        return None  # only a heading or a link text of one document: a section's or a resource's title
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
    kept, nested = {}, nested_uses(terms)
    for key, term in terms.by_key.items():
        base = base_confidence(term, terms, scores, nested)
        if base is not None:
            kept[key] = base
    variants = {variant_key(k): b for k, b in sorted(kept.items())}
    for key, term in terms.by_key.items():
        if key not in kept and (" " in key or rare_word(term)) and casing(term) == "lower" and (
                variant_key(key) in variants):
            kept[key] = variants[variant_key(key)]
    return kept


