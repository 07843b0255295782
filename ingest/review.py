"""The review loop: discovered concepts as a patch a person edits, then applies to the taxonomy.

`write_patch` lists the new concepts (with their evidence) and the aliases proposed for existing
concepts; a reviewer deletes what is wrong; `accept_patch` adds what is left to the taxonomy
files, keeping their comments and layout (ruamel.yaml round trip): new concepts go to
`discovered.yaml`, aliases to the entry that defines the concept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from ruamel.yaml import YAML

from ingest.corpus import Corpus
from ingest.discovery import DiscoveredConcept, Evidence, ProposedAlias
from ingest.records import TAXONOMY_TYPES
from ingest.taxonomy import Slug

DISCOVERED_FILE = "discovered.yaml"
HEADER = ("Concepts casegraph found in {corpus} that its taxonomy lacks, and aliases it proposes.\n"
          "Delete what is wrong, edit what is almost right, then run\n"
          "`casegraph concepts accept {patch}` to add the rest to the taxonomy.\n")
CONTEXT_CHARS = 160


class NewConcept(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: Slug
    name: str = Field(min_length=1)
    type: str
    aliases: list[str] = Field(default_factory=list)
    description: str = ""


class AliasProposal(BaseModel):
    model_config = ConfigDict(extra="ignore")

    concept: Slug
    add: list[str] = Field(min_length=1)


class Patch(BaseModel):
    model_config = ConfigDict(extra="ignore")

    corpus: str | None = None  # the corpus it was made from; its taxonomy/ is the default target
    new_concepts: list[NewConcept] = Field(default_factory=list)
    aliases: list[AliasProposal] = Field(default_factory=list)


@dataclass(frozen=True)
class Accepted:
    file: Path  # where new concepts went
    concepts: int
    aliases: int


class PatchError(ValueError):
    """A patch that cannot be applied; the message names the entry and what to fix."""


def _yaml() -> YAML:
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    return yaml


def _context(corpus: Corpus, span: Evidence) -> str:
    text = next(s.text for s in corpus.sections if s.id == span.section_id)
    left = max(0, span.start - CONTEXT_CHARS // 2)
    return " ".join(text[left : span.end + CONTEXT_CHARS // 2].split())


def write_patch(path: Path, corpus: Corpus, found: Iterable[DiscoveredConcept],
                aliases: Iterable[ProposedAlias]) -> int:
    """Write the review patch; return how many new concepts it lists."""
    new = [{"id": c.id, "name": c.name, "type": c.type, "aliases": list(c.aliases),
            "confidence": round(c.confidence, 3), "documents": list(c.documents),
            "evidence": [{"section": e.section_id, "at": [e.start, e.end],
                          "text": _context(corpus, e)} for e in c.evidence[:3]]} for c in found]
    forms: dict[str, set[str]] = defaultdict(set)
    for alias in aliases:
        forms[alias.concept_id].add(alias.surface)
    proposed = [{"concept": cid, "add": sorted(forms[cid])} for cid in sorted(forms)]
    yaml = _yaml()
    with path.open("w", encoding="utf-8") as f:
        for line in HEADER.format(corpus=corpus.root, patch=path.name).splitlines():
            f.write(f"# {line}\n")
        yaml.dump({"corpus": str(corpus.root), "new_concepts": new, "aliases": proposed}, f)
    return len(new)


def read_patch(path: Path) -> Patch:
    try:
        return Patch.model_validate(_yaml().load(path.read_text(encoding="utf-8")) or {})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PatchError(f"{path}: entry {where}: {first['msg']}; fix or delete it") from exc
    except Exception as exc:  # ruamel's parser errors share no base class worth naming
        raise PatchError(f"{path} is not valid YAML: {exc}") from exc


def _entries(taxonomy: Path) -> dict[str, tuple[Path, dict, dict]]:
    """Concept id → (file, the file's loaded document, the concept's mapping)."""
    found = {}
    for file in sorted(taxonomy.glob("*.y*ml")):
        document = _yaml().load(file.read_text(encoding="utf-8")) or {}
        for entry in document.get("concepts") or []:
            found[entry["id"]] = (file, document, entry)
    return found


def accept_patch(patch: Patch, taxonomy: Path) -> Accepted:
    """Add the patch's concepts and aliases to the taxonomy in `taxonomy`."""
    if not taxonomy.is_dir():
        raise PatchError(f"{taxonomy} is not a taxonomy folder; pass the corpus's taxonomy/ folder "
                         "(for a corpus without one, a copy of the bundled taxonomy)")
    entries = _entries(taxonomy)
    for concept in patch.new_concepts:
        if concept.id in entries:
            raise PatchError(f"new concept '{concept.id}' is already in the taxonomy "
                             f"({entries[concept.id][0].name}); rename it or move its names to "
                             "'aliases'")
        if concept.type not in TAXONOMY_TYPES:
            raise PatchError(f"new concept '{concept.id}' has type '{concept.type}'; choose one "
                             f"of {', '.join(TAXONOMY_TYPES)}")
    for proposal in patch.aliases:
        if proposal.concept not in entries:
            raise PatchError(f"aliases are proposed for '{proposal.concept}', which is not in "
                             "the taxonomy; fix the id or delete the entry")
    changed: dict[Path, dict] = {}
    added = 0
    for proposal in patch.aliases:
        file, document, entry = entries[proposal.concept]
        aliases = entry.setdefault("aliases", [])
        for form in proposal.add:
            if form not in aliases and form != entry["name"]:
                aliases.append(form)
                added += 1
        changed[file] = document
    target = taxonomy / DISCOVERED_FILE
    if patch.new_concepts:
        document = changed.get(target)
        if document is None and target.is_file():
            document = _yaml().load(target.read_text(encoding="utf-8"))
        document = document or {}
        document.setdefault("concepts", [])
        for concept in patch.new_concepts:
            document["concepts"].append(concept.model_dump(exclude_defaults=True))
        changed[target] = document
    for file, document in changed.items():
        with file.open("w", encoding="utf-8") as f:
            _yaml().dump(document, f)
    return Accepted(target, len(patch.new_concepts), added)
