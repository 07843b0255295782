"""Candidate concept names found in a section, each with the cue that found it.

Cues read the section's markdown (emphasis, code in prose, link texts, headings) or its plain text
(acronym definitions, definition lines, capitalised names, recurring noun phrases). A candidate is
a surface form and where it was seen; `ingest.discovery` scores and merges them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ingest.records import Section
from ingest.surface import surface_key

MAX_WORDS = 5
LINK_LIST_SHARE = 0.75  # of the words under a heading in link texts: a list of links, not a topic
FUNCTION_WORDS = frozenset("""
a an the and or nor but if then else so as at by for from in into of off on onto out over to up
with within without via per than that this these those there here where when while which who whom
whose what why how is are was were be been being am do does did done has have had having can could
shall should will would may might must it its it's they them their we our us you your he she his
her i me my not no yes all any both each every few many more most much other some such own same
only also just very too again about above after before below between during through under until
upon against among around across along behind beyond near since toward towards whether once following
instead rather even still yet ever never always often usually already almost nearly e g eg i e ie
etc vs versus one two three four five six seven eight nine ten first second third new use used
uses using like well however therefore thus because since although though whereas unless including""".split())
UNITS = frozenset("""b kb mb gb tb pb eb kib mib gib tib bps kbps mbps gbps tbps ms us µs ns
hz khz mhz ghz rps qps/s kbit/s mbit/s gbit/s tbit/s""".split())  # units of measure, not concepts
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-/.+#'’][A-Za-z0-9]+)*(?:\+\+|#)?")
_CLAUSE_BREAK = re.compile(r"[,;:!?()\[\]{}\"“”|=<>*_`~\n]|\.(?=\s|$)|\s[-–—]\s")
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*?)s?\)")
_DEFINITION = re.compile(r"^\s*(?:[-*•]\s+|\d+[.)]\s+)?([A-Za-z][^:–—\n]{1,60}?)\s*(?::|\s[–—-]\s)\s*\S")
_NUMBERED = re.compile(r"^(?:step|part|phase)\s*\d*\s*:\s*", re.IGNORECASE)
_USE_CASE = re.compile(r"^use cases?\b", re.IGNORECASE)  # "Use case: User searches keywords"
_STEP = re.compile(r"^step\s*\d+\s*:", re.IGNORECASE)  # "Step 1: Outline use cases and constraints"
_CONNECTIVE = re.compile(r",\s*|\s+(?:and|or|vs\.?|versus)\s+", re.IGNORECASE)
_QUOTE = re.compile(r"[\"“”]")
_CAPITAL = re.compile(r"[A-Z]")
_POSSESSIVE = re.compile(r"['’]s$")
_PAREN = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<alias>[^()]+)\)(?P<rest>[^()]*)$")


@dataclass(frozen=True)
class Candidate:
    """A surface form that may name a concept, the cue that found it and the section it is in."""

    surface: str
    source: str  # acronym, emphasis, code, link, heading or definition
    section_id: str
    pair: str = ""  # the other half of a pair the text states: an acronym, a parenthetical
    written: str = ""  # the whole form as written when a parenthetical was split off it
    lead: str = ""  # the whole cue it was split from, "Outline use cases and constraints"
    site: bool = False  # a link text whose address is the named thing's own site ("celeryproject.org")
    label: bool = False  # one of a definition list's labels that share a head ("Short/Long timeline")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def tokens(text: str) -> list[str]:
    """The words of a phrase: "Write-ahead logs (WAL)" → ["Write-ahead", "logs", "WAL"]."""
    return _TOKEN.findall(text)


def clean(surface: str) -> str:
    """A surface form without outer punctuation, leading articles or a trailing possessive."""
    words = surface.strip(" \t\n.,;:!?\"'“”‘’*_`()[]").split()
    while words and words[0].lower() in ("a", "an", "the"):
        words = words[1:]
    text = " ".join(words)
    return re.sub(r"['’]s$", "", text).strip()


def plausible(surface: str) -> bool:
    """Short, made of words, neither a sentence nor a number nor only function words."""
    words = surface.split()
    if not 1 <= len(words) <= MAX_WORDS or len(surface) > 60 or len(tokens(surface)) != len(words):
        return False
    return _opens(words[0]) and _closes(words[-1]) and any(len(w) > 1 for w in words)


def _opens(word: str) -> bool:
    """Can a term start with this word? Not with a function word or an adverb."""
    lowered = word.lower()
    return lowered not in FUNCTION_WORDS and not lowered.endswith("ly")


def _closes(word: str) -> bool:
    """Can a term end with this word? Not with a function word, an adverb, a participle or a unit."""
    lowered = word.lower()
    return lowered not in FUNCTION_WORDS and lowered not in UNITS and not lowered.endswith(("ly", "ed"))


def split_parenthetical(surface: str) -> tuple[str, ...]:
    """"Reverse proxy (web server)" → ("Reverse proxy", "web server"), "Logical (row-based)
    replication" → ("Logical replication", "row-based replication"); other forms unchanged."""
    match = _PAREN.match(surface.strip())
    if match is None:
        return (surface,)
    rest = match["rest"].strip()
    return tuple(" ".join(filter(None, (match[part].strip(), rest))) for part in ("name", "alias"))


def _long_form(words: list[str], short: str) -> str | None:
    """Schwartz and Hearst: the shortest run of words before "(SF)" that starts with SF's first
    letter and holds its other letters in order."""
    letters = [ch.lower() for ch in short if ch.isalnum()]
    for n in range(max(2, len(letters) // 2), min(len(letters) + 3, len(words)) + 1):
        candidate = words[-n:]
        if candidate[0].lower() in FUNCTION_WORDS or candidate[0][0].lower() != letters[0]:
            continue
        text = " ".join(candidate).lower()
        position = len(text)
        for letter in reversed(letters[1:]):
            position = text.rfind(letter, 1, position)
            if position < 0:
                break
        else:
            return " ".join(candidate)
    return None


def acronym_definitions(text: str) -> Iterator[tuple[str, str]]:
    """(long form, acronym) pairs: "Conflict-free Replicated Data Type (CRDT)" → both."""
    for match in _ACRONYM.finditer(text):
        before = text[max(0, match.start() - 120) : match.start()]
        before = re.split(r"[.;:!?()\n]", before)[-1]
        words = tokens(before)
        long_form = _long_form(words, match.group(1)) if words else None
        if long_form:
            yield long_form, match.group(1)


def definition_terms(text: str) -> Iterator[str]:
    """The term of each "Term: definition" or "- Term – definition" line."""
    for line in text.splitlines():
        match = _DEFINITION.match(line)
        if match:
            yield match.group(1)


def list_labels(terms: list[str]) -> set[str]:
    """The definition terms that share their first or last word with another one of the same
    section and differ from it by plain words, not acronyms: "Short timeline", "Long timeline";
    "Increased security", "Increased scalability" are values of one dimension, labels of a list;
    "MX record" and "NS record" are not."""
    ends: dict[tuple[int, str], set[str]] = {}
    for term in terms:
        words = term.split()
        if len(words) >= 2 and not any(w.isupper() for w in words):
            for end in (0, -1):
                ends.setdefault((end, surface_key(words[end])), set()).add(term)
    return {term for same in ends.values() if len(same) >= 2 for term in same}


def site_links(parsed: list[Token]) -> set[str]:
    """The link texts whose address's host names them: a product's own site ("[Celery](https://
    docs.celeryproject.org)"), not a post about it."""
    sites = set()
    for token in parsed:
        if "](" not in token.content:  # no inline link in it
            continue
        children = token.children or []
        for link, text in zip(children, children[1:], strict=False):
            if link.type == "link_open" and text.type == "text":
                host = urlsplit(str(link.attrs.get("href", ""))).hostname or ""
                name = re.sub(r"[^a-z0-9]", "", text.content.lower())
                if len(name) >= 3 and name in re.sub(r"[^a-z0-9.]", "", host):
                    sites.add(text.content)
    return sites


def _inline_spans(children: list[Token]) -> Iterator[tuple[str, str]]:
    """(source, text) for each emphasised run, link text and code span of one inline token."""
    open_runs: list[tuple[str, list[str]]] = []
    for child in children:
        kind = {"strong_open": "emphasis", "em_open": "emphasis", "link_open": "link"}.get(child.type)
        if kind:
            open_runs.append((kind, []))
        elif child.type in ("strong_close", "em_close", "link_close") and open_runs:
            kind, parts = open_runs.pop()
            if not "".join(parts).rstrip().endswith((".", "!", "?")):  # "**Shard earlier.**" leads in
                yield kind, "".join(parts)
            if open_runs:
                open_runs[-1][1].extend(parts)
        elif child.type in ("text", "code_inline"):
            if child.type == "code_inline" and not open_runs:
                yield "code", child.content
            for _, parts in open_runs[-1:]:
                parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            for _, parts in open_runs[-1:]:
                parts.append(" ")


def _link_share(inlines: list[Token]) -> float:
    """The share of the words of these inline tokens that are link texts."""
    words = linked = 0
    for token in inlines:
        if "](" not in token.content:  # no inline link: its words count, none linked
            words += len(token.content.split())
            continue
        depth = 0
        for child in token.children or []:
            depth += (child.type == "link_open") - (child.type == "link_close")
            if child.type == "text":
                n = len(child.content.split())
                words, linked = words + n, linked + (n if depth > 0 else 0)
    return linked / words if words else 0.0


def markdown_cues(parsed: list[Token], heading: str | None = None) -> Iterator[tuple[str, str]]:
    """(source, surface) for the emphasis, code spans, link texts and headings of a section
    (`heading`, the section's own, first); a heading over a list of links (most of its words
    link texts: "Latency numbers", "See [Latency numbers every programmer should know](…)") is the
    title of what it links to, and no cue."""
    blocks: list[tuple[str | None, list[Token]]] = [(heading, [])]
    for previous, token in zip([None, *parsed], parsed, strict=False):
        if token.type != "inline":
            continue
        if previous is not None and previous.type == "heading_open":
            blocks.append((token.content, []))
        else:
            blocks[-1][1].append(token)
    for title, inlines in blocks:
        if title is not None and _link_share(inlines) < LINK_LIST_SHARE:
            yield "heading", title
        for token in inlines:
            yield from _inline_spans(token.children or [])


@lru_cache(maxsize=131072)
def word_key(word: str) -> str:
    """The surface key of one word ("Write-ahead" → "writ ahead"), cached."""
    return surface_key(word)


def phrases(text: str, longest: int = 4) -> Iterator[tuple[str, str, bool]]:
    """(surface, key, first) of every word and every run of up to `longest` words inside a
    clause whose edges are content words ("single point of failure": "of" may be inside); `first`
    when it opens the clause, where a capital says nothing."""
    for clause in _CLAUSE_BREAK.split(text):
        words = [_POSSESSIVE.sub("", w.strip("'’")) for w in clause.split()]
        keys = [word_key(w) if _TOKEN.fullmatch(w) else "" for w in words]
        content = [bool(k) and w.lower() not in FUNCTION_WORDS for w, k in zip(words, keys, strict=True)]
        closes = [c and _closes(w) for w, c in zip(words, content, strict=True)]
        capital = [bool(w) and w[0].isupper() for w in words]
        for i, word in enumerate(words):
            if not content[i]:  # an adverb may open a phrase here: "eventually consistent"
                continue
            # A capitalised word beside another is part of a name ("Google Docs"): not one alone.
            beside = [capital[k] for k in (i - 1, i + 1) if 0 <= k < len(words)]
            alone = len(word) > 1 and not (capital[i] and any(beside))
            for j in range(i, min(i + longest, len(words))):
                if not keys[j] or (j > i and not content[j] and words[j].lower() != "of"):
                    break
                if closes[j] and (j > i or alone):
                    yield " ".join(words[i : j + 1]), " ".join(keys[i : j + 1]), i == 0


def step(heading: str) -> bool:
    """A numbered step's heading: "Step 1: Outline use cases and constraints"."""
    return bool(_STEP.match(heading.strip()))


def _forms(source: str, surface: str) -> list[tuple[str, str, str, str]]:
    """(form, its stated pair, the whole as written, the whole cue) of one cue: a heading splits
    at its prefix, any cue but code and links at its connectives ("A and B", "A vs B"), and every
    cue at its parenthetical ("Reverse proxy (web server)" → two forms, each the other's pair).
    A use-case heading names no concept; a numbered step's forms keep the whole heading as their
    cue, so that a step every document repeats can be told (`ingest.terms`)."""
    lead = clean(surface)
    parts = [surface] if source in ("code", "link") else _CONNECTIVE.split(surface)
    if source == "heading":
        if _USE_CASE.match(surface.strip()):
            return []
        heading = _NUMBERED.sub("", surface.strip()).rsplit(":", 1)[-1]
        lead, parts = clean(surface) if step(surface) else clean(heading), _CONNECTIVE.split(heading)
    forms: list[tuple[str, str, str, str]] = []
    for part in parts:
        split = [clean(f) for f in split_parenthetical(part)]
        if len(split) == 1:
            forms.append((split[0], "", "", lead))
        else:
            forms += [(split[0], split[1], " ".join(part.split()), lead), (split[1], split[0], "", lead)]
    return forms


def section_cues(section: Section, title: str) -> tuple[str, list[Candidate]]:
    """The section's text without its code blocks, and every cued candidate in it (the heading
    too, unless it is the document's `title`)."""
    parsed = _parser().parse(section.markdown)
    text = section.text
    for token in parsed:
        if token.type in ("fence", "code_block") and token.content.strip():
            text = text.replace(token.content.rstrip("\n"), "")
    terms = list(definition_terms(text))
    cues = [*markdown_cues(parsed, None if section.heading == title else section.heading),
            *(("definition", term) for term in terms)]
    labels, sites = list_labels([clean(t) for t in terms]), site_links(parsed)
    found = [(source, *forms) for source, surface in cues for forms in _forms(source, surface)]
    for long_form, short in acronym_definitions(text):
        found += [("acronym", clean(long_form), short, "", ""), ("acronym", short, clean(long_form), "", "")]
    for source, cue in cues:
        if source == "code":  # identifiers and keywords are no evidence of prose use
            text = re.sub(rf"(?<![\w`]){re.escape(cue)}(?![\w`])", " ", text)
        elif source == "link":  # nor is a link's text: a reading list names posts, not concepts
            text = text.replace(cue.strip(), " ", 1)
    text = without_quoted_titles(text)  # "Design a Real-Time Chat App (WhatsApp / Messenger)"
    return text, [Candidate(form, source, section.id, *((pair, written) if _term_like(pair) else ("", "")),
                            lead, source == "link" and form in sites, lead in labels)
                  for source, form, pair, written, lead in found if _term_like(form)]


def _titled(quoted: str) -> bool:
    """A capital, then two whitespace characters, any line break among those two."""
    capital = _CAPITAL.search(quoted)
    breaks = quoted.count("\n")
    return (capital is not None and breaks <= 2 and "\n" not in quoted[: capital.start()]
            and sum(c.isspace() for c in quoted[capital.end():]) >= 2)


def without_quoted_titles(text: str) -> str:
    """`text` with each quoted title (a capital and two spaces between quotes) made a space,
    in one pass over its quote marks (the regex it replaces backtracked on long quotes)."""
    marks, parts, last, i = [m.start() for m in _QUOTE.finditer(text)], [], 0, 0
    while i < len(marks) - 1:
        start, end = marks[i], marks[i + 1]
        if text[start] in "\"“" and text[end] in "\"”" and _titled(text[start + 1 : end]):
            parts += [text[last:start], " "]
            last, i = end + 1, i + 2
        else:
            i += 1
    return "".join(parts) + text[last:]


def _term_like(form: str) -> bool:
    """A plausible cued form with no function word inside: "single point of failure", not
    "Sagas give up isolation"."""
    inner = [w.lower() for w in form.split()[1:-1]]
    return plausible(form) and all(w == "of" or w not in FUNCTION_WORDS for w in inner)
