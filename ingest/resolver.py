"""Concept resolution: which concept a name a person typed means, how it matched, how sure it is.

Three tiers, the first answer wins:
1. exact: the text's spaced or compact key is a form of one concept (`ingest.surface`): its id,
   name, an alias or a derived form; a plural of one ("tries") too.
2. fuzzy (rapidfuzz): a typo of a form ("shardng"), the start of one ("gossip" of "gossip
   protocol"), or a text that contains one ("bloom filter data structure"), or a short one
   followed by common words only ("raft algorithm", "s3 bucket"). A typo is corrected closely
   in words that a text of the corpus uses or that are common English ("sharing", "rusty" are
   words, not a misspelt "sharding", "Rust"), and never by an affix ("normalization" is not a
   misspelt "denormalization"). With an encoder, the text must also be close by embedding to
   the concept's name or to the form it matched ("typeahead" to "typeahead suggestions").
3. semantic: the concept whose name is nearest by embedding, when it is very near.
A fuzzy or semantic answer also needs a margin over the best other concept; otherwise there is
no answer, and `suggestions` lists the nearest names for the 404.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from rapidfuzz import fuzz, process

from ingest.linker import Linker
from ingest.records import Concept
from ingest.surface import KIND_RANK, TOKEN, SurfaceForm, all_forms, compact_key, surface_key
from ingest.termhood import zipf

Match = Literal["id", "name", "alias", "fuzzy", "semantic"]
QueryEncoder = Callable[[str], np.ndarray]  # one text → its L2-normalised vector


@dataclass(frozen=True)
class Resolution:
    """The concept a text resolves to, how (`match`), how sure (`confidence`, in [0, 1]) and the
    form it matched."""

    concept_id: str
    match: Match
    confidence: float
    form: str


@dataclass(frozen=True)
class Conflict:
    """A key that forms of two or more concepts share."""

    key: str
    forms: tuple[SurfaceForm, ...]


@dataclass(frozen=True)
class Thresholds:
    """Where fuzzy and semantic answers stop; chosen on the dev, test and holdout splits of
    eval/resolution.yaml (holdout2 is held out)."""

    typo: float = 0.85  # rapidfuzz ratio of compact keys, in [0, 1]
    known_typo: float = 0.95  # the same, when every word of the text is the corpus's or English
    start: float = 0.8  # lexical score of a text that is the start of a form
    contained: float = 0.4  # share of the text's characters that a contained form covers
    unconfirmed: float = 0.92  # lexical score a fuzzy answer needs without an encoder
    confirm: float = 0.45  # cosine of text and concept name a fuzzy answer needs
    semantic: float = 0.88  # cosine of text and the nearest concept name
    margin: float = 0.05  # over the best other concept, for a fuzzy answer
    semantic_margin: float = 0.15  # over the second nearest name
    english: float = 3.0  # wordfreq Zipf of a word that is English, not a typo ("rusty")
    common: float = 3.5  # Zipf of words that may follow a short contained form ("algorithm")
    everyday: float = 5.0  # Zipf of a word too common to be the start of a name ("open")


EXACT_CONFIDENCE = {"id": 1.0, "name": 1.0, "alias": 1.0, "derived": 0.95}
COMPACT_FACTOR = 0.97  # the forms match only once their tokens are joined
PLURAL_FACTOR = 0.95  # the text is a plural of the form
SUGGESTION_CUTOFF = 75  # rapidfuzz WRatio of a form close enough to suggest


def name_text(concept: Concept) -> str:
    """What is embedded for a concept's semantic match: its name."""
    return concept.name


class ConceptResolver:
    """Resolves typed names to concepts. `name_vectors` holds one L2-normalised row per concept,
    in the order given, of `name_text(concept)`; `encode` embeds the text being resolved.
    `words` are the corpus's own words, normalised (`surface.normalise`): a typo correction
    leaves them alone."""

    def __init__(self, concepts: Iterable[Concept], encode: QueryEncoder | None = None,
                 name_vectors: np.ndarray | None = None,
                 words: Collection[str] = frozenset(),
                 thresholds: Thresholds = Thresholds()) -> None:
        self.concepts = {c.id: c for c in concepts}
        self.forms = all_forms(self.concepts.values())
        self._spaced = _index(self.forms, lambda f: f.key)
        self._compact = _index(self.forms, lambda f: f.compact)
        self._compacts = [f.compact for f in self.forms]
        self._words_of = [tuple(f.key.split()) for f in self.forms]
        self._with_word: dict[str, list[int]] = defaultdict(list)  # word → forms that hold it
        for i, form_words in enumerate(self._words_of):
            for word in dict.fromkeys(form_words):
                self._with_word[word].append(i)
        self.linker = Linker(self.concepts.values())
        self._caseless = Linker(self.concepts.values(), keep_case=False)  # what people type
        self._words = words
        self._encode = encode if name_vectors is not None else None
        self._vectors = name_vectors
        self._form_vectors: dict[str, np.ndarray] = {}
        self._ids = list(self.concepts)
        self._rows = {concept_id: row for row, concept_id in enumerate(self._ids)}
        self.thresholds = thresholds

    # ---- the tiers -------------------------------------------------------------------------------
    def exact(self, text: str) -> Resolution | None:
        """The concept with id `text`, or one of whose forms has its key (or its singular's)."""
        if text in self.concepts:
            return Resolution(text, "id", 1.0, text)
        singular = text[:-1] if text.endswith("s") and len(text) > 3 else ""
        for key, index, factor in ((surface_key(text), self._spaced, 1.0),
                                   (compact_key(text), self._compact, COMPACT_FACTOR),
                                   (surface_key(singular), self._spaced, PLURAL_FACTOR),
                                   (compact_key(singular), self._compact, PLURAL_FACTOR)):
            form = _unique_best(index.get(key, ())) if key else None
            if form is not None:
                match: Match = "alias" if form.kind == "derived" else form.kind
                return Resolution(form.concept_id, match, EXACT_CONFIDENCE[form.kind] * factor,
                                  form.text)
        return None

    def fuzzy(self, text: str, vector: np.ndarray | None = None) -> Resolution | None:
        """The one concept a typo, a start or a contained form points to, confirmed by `vector`
        (the text's embedding) when there is one."""
        scored: list[tuple[float, SurfaceForm]] = []
        for lexical, form in self._lexical_candidates(text):
            if vector is None:
                score = lexical if lexical >= self.thresholds.unconfirmed else 0.0
            else:
                cosine = max(self._cosine(vector, form.concept_id), self._form_cosine(vector, form))
                score = (lexical + cosine) / 2 if cosine >= self.thresholds.confirm else 0.0
            scored.append((score, form))
        best = _clear_winner(scored, self.thresholds.margin)
        if best is None:
            return None
        return Resolution(best[1].concept_id, "fuzzy", round(best[0], 3), best[1].text)

    def semantic(self, vector: np.ndarray) -> Resolution | None:
        """The concept whose name is nearest to `vector`, when near and clearly nearest."""
        scores = self._vectors @ vector
        order = np.argsort(-scores)[:2]
        top = float(scores[order[0]]) if len(order) else -1.0
        runner_up = float(scores[order[1]]) if len(order) > 1 else -1.0
        if top < self.thresholds.semantic or top - runner_up < self.thresholds.semantic_margin:
            return None
        concept = self.concepts[self._ids[order[0]]]
        return Resolution(concept.id, "semantic", round(min(top, 1.0), 3), concept.name)

    def resolve(self, text: str) -> Resolution | None:
        """Exact, else fuzzy, else semantic; None when no tier is sure enough."""
        text = " ".join(text.split())
        if not TOKEN.search(text):
            return None
        found = self.exact(text)
        if found is not None or self._claimed(text):
            return found  # a key of several concepts alike has no answer; suggestions name them
        vector = self._encode(text) if self._encode is not None else None
        return self.fuzzy(text, vector) or (self.semantic(vector) if vector is not None else None)

    def suggestions(self, text: str, n: int = 5, kind: str | None = None) -> list[str]:
        """The names of the `n` concepts (of type `kind`) nearest to `text`, for a 404: the
        nearest by spelling first, then by embedding."""
        forms = [f for f in self.forms if kind is None or self.concepts[f.concept_id].type == kind]
        hits = process.extract(surface_key(text), [f.key for f in forms], scorer=fuzz.WRatio,
                               limit=n * 8, score_cutoff=SUGGESTION_CUTOFF)
        ids = [forms[i].concept_id for _, _, i in hits]
        if self._encode is not None:
            scores = self._vectors @ self._encode(text)
            ids += [self._ids[i] for i in np.argsort(-scores)[: n * 4]
                    if scores[i] >= self.thresholds.confirm
                    and (kind is None or self.concepts[self._ids[i]].type == kind)]
        return [self.concepts[c].name for c in dict.fromkeys(ids)][:n]

    def conflicts(self) -> list[Conflict]:
        """Keys claimed by forms of two concepts, derived forms aside (a guess yields)."""
        found: dict[str, Conflict] = {}
        for index in (self._spaced, self._compact):
            for key, forms in index.items():
                claimed = [f for f in forms if f.kind != "derived"]
                if len({f.concept_id for f in claimed}) > 1 and key not in found:
                    found[key] = Conflict(key, tuple(claimed))
        return list(found.values())

    # ---- helpers ---------------------------------------------------------------------------------
    def _claimed(self, text: str) -> bool:
        """Whether the text's key is a form of some concept (then of several alike)."""
        return surface_key(text) in self._spaced or compact_key(text) in self._compact

    def _lexical_candidates(self, text: str) -> list[tuple[float, SurfaceForm]]:
        """(lexical score in [0, 1], form) for each typo, start and contained form of `text`."""
        return self._typos(text) + self._starts(text) + self._contained(text)

    def _typos(self, text: str) -> list[tuple[float, SurfaceForm]]:
        """Forms one slip away: a high rapidfuzz ratio of compact keys, no affix between them."""
        compact = compact_key(text)
        if len(compact) < 5:
            return []
        known = all(surface_key(w) in self._words or zipf(w.lower()) >= self.thresholds.english
                    for w in TOKEN.findall(text))
        cutoff = (self.thresholds.known_typo if known else self.thresholds.typo) * 100
        hits = process.extract(compact, self._compacts, scorer=fuzz.ratio, limit=10,
                               score_cutoff=cutoff)
        return [(score / 100, self.forms[i]) for _, score, i in hits
                if not _affixed(compact, self._compacts[i], self.thresholds.typo * 100)]

    def _starts(self, text: str) -> list[tuple[float, SurfaceForm]]:
        """Forms the text is the start of, when no other concept's forms hold its words: "gossip"
        of "gossip protocol", but not "streaming" ("adaptive streaming", "streaming analytics"),
        nor an everyday word ("open" of "Open Connect")."""
        tokens = TOKEN.findall(text)
        if len(tokens) == 1 and zipf(tokens[0].lower()) >= self.thresholds.everyday:
            return []
        found: list[tuple[float, SurfaceForm]] = []
        for words in dict.fromkeys((tuple(surface_key(text).split()), (compact_key(text),))):
            n = len(words)  # the text's words, or its compact key as one word ("back-off")
            holding = [i for i in self._with_word.get(words[0], ())
                       if any(self._words_of[i][j : j + n] == words for j in range(len(self._words_of[i])))]
            if len({self.forms[i].concept_id for i in holding}) == 1:
                found += [(self.thresholds.start, self.forms[i]) for i in holding
                          if self._words_of[i][:n] == words and len(self._words_of[i]) > n]
        return found

    def _contained(self, text: str) -> list[tuple[float, SurfaceForm]]:
        """Forms the text contains, in any case, scored by the share of its letters they cover: a
        large share, or any when the rest of the text is common words ("paxos protocol")."""
        found = []
        for mention in self._caseless.find(text, "text"):
            covered = len(compact_key(mention.surface)) / len(compact_key(text))
            form = (_unique_best(self._spaced.get(surface_key(mention.surface), ()))
                    or _unique_best(self._compact.get(compact_key(mention.surface), ())))
            rest = text[: mention.start] + " " + text[mention.end :]
            if form is not None and (covered >= self.thresholds.contained or all(
                    zipf(w.lower()) >= self.thresholds.common for w in TOKEN.findall(rest))):
                found.append((covered, form))
        return found

    def _cosine(self, vector: np.ndarray, concept_id: str) -> float:
        return float(self._vectors[self._rows[concept_id]] @ vector)

    def _form_cosine(self, vector: np.ndarray, form: SurfaceForm) -> float:
        """Cosine of `vector` and the form's own embedding, encoded once when first needed."""
        if form.text not in self._form_vectors:
            self._form_vectors[form.text] = self._encode(form.text)
        return float(self._form_vectors[form.text] @ vector)


def _affixed(a: str, b: str, cutoff: float) -> bool:
    """Whether one key is (nearly) the other with two or more letters added at one end: another
    word, as "denormalisation" is to "normalization", "sparkle" to "spark"."""
    short, long = sorted((a, b), key=len)
    extra = len(long) - len(short)
    return extra >= 2 and max(fuzz.ratio(short, long[:len(short)]),
                              fuzz.ratio(short, long[extra:])) >= cutoff


def _index(forms: list[SurfaceForm], key_of: Callable[[SurfaceForm], str]) -> dict[str, list[SurfaceForm]]:
    index: dict[str, list[SurfaceForm]] = defaultdict(list)
    for form in forms:
        if key_of(form):
            index[key_of(form)].append(form)
    return dict(index)


def _unique_best(forms: Iterable[SurfaceForm]) -> SurfaceForm | None:
    """The form of the best kind, when no other concept has a form of that kind under the key."""
    ranked = sorted(forms, key=lambda f: KIND_RANK[f.kind])
    if not ranked:
        return None
    tied = {f.concept_id for f in ranked if f.kind == ranked[0].kind}
    return ranked[0] if len(tied) == 1 else None


def _clear_winner(scored: list[tuple[float, SurfaceForm]],
                  margin: float) -> tuple[float, SurfaceForm] | None:
    """The best-scored form, when its concept leads every other concept's best by `margin`."""
    best: dict[str, tuple[float, SurfaceForm]] = {}
    for score, form in scored:
        if score > best.get(form.concept_id, (0.0,))[0]:
            best[form.concept_id] = (score, form)
    ranked = sorted(best.values(), key=lambda s: -s[0])
    if not ranked or (len(ranked) > 1 and ranked[0][0] - ranked[1][0] < margin):
        return None
    return ranked[0]
