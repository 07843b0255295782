"""Guess whether a discovered concept is a pattern, a technology or a company, from how its name
is written and from the words around its mentions."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

COMPANY_SUFFIX = re.compile(r"\b(inc|corp|corporation|labs|llc|ltd|technologies|\.com)\.?$", re.IGNORECASE)
COMPANY_BEFORE = re.compile(r"\b(at|joined|founded|acquired|companies such as|companies like)\s+$",
                            re.IGNORECASE)
COMPANY_AFTER = re.compile(
    r"^(['’]s\s+(engineering|engineers|blog|team|teams|founders?|ceo|business|customers|"
    r"employees|headquarters|own)\b|\s+(engineers|engineering|announced|acquired|employees|"
    r"was founded|inc|corp)\b)", re.IGNORECASE)
TECH_BEFORE = re.compile(
    r"\b(uses?|using|used|runs?|running|ran|adopt(s|ed)?|deploy(s|ed)?|migrat\w+ to|switch\w+ to|"
    r"moved to|built on|backed by|powered by|apache|amazon|aws|open[- ]source)\s+$",
    re.IGNORECASE)
TECH_AFTER = re.compile(
    r"^(\s+v?\d{1,2}(\.\d+)*\b|\s+(clusters?|databases?|servers?|instances?|library|libraries|client|"
    r"drivers?|sdk|framework|runtime|engine|topics?|tables?|nodes?|buckets?|codec|extension|"
    r"plugin|package|cli|daemon|binary|release|version|replicas?|shards?|streams?|queues?)\b)",
    re.IGNORECASE)
MEDIUM_BEFORE = re.compile(r"\b(in|on|from|into)\s+(the\s+)?$", re.IGNORECASE)  # "in RAM", "from SSD"
MEDIUM_SHARE = 0.25  # of an acronym's mentions after "in", "on", "from": a device data sits in
HARDWARE_HEADS = frozenset(("unit", "chip", "processor", "drive", "card"))  # "Video coding unit"
ORGANISATIONS = frozenset("""college university institute institution association society council
committee agency ministry department school hospital""".split())  # bodies, neither products nor firms
PREFIXED = re.compile(r"^(?i:multi|cross|inter|intra|geo|anti|non|semi|sub|super)-|^Non?(?=[A-Z]{2})")
# an English prefix makes an adjective or a way of doing things ("multi-CDN", "geo-DNS"), and a
# negation before an acronym a class of things ("NoSQL": databases that are not SQL's)
NAME_IS_TECHNOLOGY = re.compile(r"[a-z][A-Z]|\d|\.js$")  # "MySQL", "S3", "Node.js"
CONNECTORS = frozenset(("of", "on", "and", "for", "the", "to", "in"))


def casing(surface: str) -> str:
    """"lower" ("leader election"), "proper" ("Apache Kafka", "gRPC") or "mixed" ("single MySQL")."""
    capitals = [any(c.isupper() for c in w) for w in surface.split() if w not in CONNECTORS]
    return "proper" if all(capitals) else "mixed" if any(capitals) else "lower"


def usual_casing(surfaces: Counter) -> str:
    """The casing of most of the uses, "lower" when there are none."""
    votes = Counter({"lower": 0})
    for surface, n in surfaces.items():
        votes[casing(surface)] += n
    return min(votes, key=lambda c: (-votes[c], c))


def _camel_or_versioned(name: str) -> bool:
    return any(NAME_IS_TECHNOLOGY.search(w) and not w.isupper() for w in name.split())


def organisation(name: str) -> bool:
    """A public body or a school, by its head noun: "Royal College of Physicians"."""
    words = name.split(" of ")[0].split()
    return len(name.split()) > 1 and words[-1].lower() in ORGANISATIONS


def _medium(windows: list[tuple[str, str]]) -> bool:
    """A quarter of the mentions, two or more, after "in", "on", "from" or "into"."""
    media = sum(bool(MEDIUM_BEFORE.search(before)) for before, _ in windows)
    return media >= 2 and media >= MEDIUM_SHARE * len(windows)


def guess_type(name: str, proper: bool, windows: Iterable[tuple[str, str]]) -> tuple[str, int]:
    """pattern | technology | company, given the text (before, after) around each mention, and
    how many cues say so (a lower-case name is a pattern on its casing alone: 1 cue). A name
    whose head noun is a piece of hardware ("Video coding unit") is a technology, and so is an
    acronym that data is kept in or read from ("in RAM", "from SSD"); a name opened by an English
    prefix ("multi-CDN") or by a negation of an acronym ("NoSQL") is a pattern."""
    windows = list(windows)
    if " " in name and name.split()[-1].lower() in HARDWARE_HEADS:
        return "technology", 1
    if not proper or PREFIXED.match(name):
        return "pattern", 1
    if COMPANY_SUFFIX.search(name):
        return "company", 1
    company = tech = 0
    for before, after in windows:
        company += bool(COMPANY_BEFORE.search(before) or COMPANY_AFTER.search(after))
        tech += bool(TECH_BEFORE.search(before) or TECH_AFTER.search(after))
    if _camel_or_versioned(name):
        tech += 2
    if name.isupper() and any(c.isdigit() for c in name):
        tech += 2  # a numbered name is a product: "S2", "EC2", "AV1"
    elif name.isupper() and _medium(windows):
        tech += 1
    elif name.isupper() and tech == 0 and company == 0:
        return "pattern", 0  # a bare acronym with no product cue: "RPC", "SPOF"
    return ("company", company) if company > tech else ("technology", tech)
