"""Read a corpus folder: taxonomy, documents, sections, and the mentions linking them."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from ingest.documents import parse_document, read_text
from ingest.linker import Linker
from ingest.problems import Problem, ProblemLog
from ingest.progress import NoProgress, Progress
from ingest.records import Concept, Document, Mention, Relation, Section
from ingest.resolver import ConceptResolver
from ingest.surface import TOKEN, normalise, surface_key
from ingest.tags import CONFIG_FILE, DEFAULT_TAG_KEYS, TagLinker, corpus_tag_keys
from ingest.taxonomy import load_taxonomy

TAXONOMY_DIR = "taxonomy"
COURSES_DIR = "courses"


@dataclass
class Corpus:
    root: Path
    documents: dict[str, Document]
    sections: list[Section]
    concepts: dict[str, Concept]
    relations: list[Relation]
    mentions: list[Mention]
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0
    content_hash: str = ""


def markdown_files(root: Path, log: ProblemLog) -> list[Path]:
    """Every `.md` file below `root`, following symlinks but never around a loop."""
    found: list[Path] = []
    seen_dirs: set[str] = set()
    for folder, dirs, files in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen_dirs:
            log.add(str(Path(folder).relative_to(root)), 0,
                    "symlink loop: this folder was already read through another path; it is skipped")
            dirs[:] = []
            continue
        seen_dirs.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != TAXONOMY_DIR)
        found += [Path(folder) / f for f in sorted(files) if f.lower().endswith(".md")]
    return found


def _course_concept(doc: Document) -> Concept:
    return Concept(id=doc.id, name=doc.title, type="course", category=doc.category,
                   description=doc.summary, source=doc.path, origin="course")


def _resolve_references(doc: Document, tags: TagLinker, tag_keys: tuple[str, ...],
                        company_keys: dict[str, str], known_documents: set[str],
                        log: ProblemLog) -> Document:
    """Resolve the document's tags to concepts and link the company field to its concept."""
    doc = tags.link(doc, tag_keys)
    company_id = company_keys.get(surface_key(doc.company)) if doc.company else None
    companies = doc.companies
    if company_id and company_id not in companies:
        companies = (company_id, *companies)
    studies = tuple(s for s in doc.studies if s in known_documents)
    for missing in sorted(set(doc.studies) - set(studies)):
        log.add(doc.path, doc.field_lines.get("studies", 0),
                f"'studies' names '{missing}', which is not a document of this corpus")
    return replace(doc, companies=companies, studies=studies)


def _tag_resolver(concepts: dict[str, Concept], sections: list[Section]):
    """A tag → the concept it names, by the resolver's exact and fuzzy tiers (no encoder here)."""
    words = {normalise(w) for s in sections for w in TOKEN.findall(s.text)}
    resolver = ConceptResolver(concepts.values(), words=words)

    def resolve(tag: str) -> str | None:
        found = resolver.resolve(tag)
        return found.concept_id if found else None

    return resolve


def read_corpus(root: Path, fallback_taxonomy: Path | None = None, max_file_bytes: int = 2_000_000,
                progress: Progress | None = None,
                tag_keys: tuple[str, ...] = DEFAULT_TAG_KEYS) -> Corpus:
    """Read everything under `root`; problems are collected, never raised."""
    progress = progress or NoProgress()
    log = ProblemLog()
    root = root.resolve()
    taxonomy_dir = root / TAXONOMY_DIR
    own_taxonomy = taxonomy_dir.is_dir()
    if not own_taxonomy and fallback_taxonomy is not None:
        taxonomy_dir = fallback_taxonomy
    taxonomy = load_taxonomy(taxonomy_dir, log, shown_root=root if taxonomy_dir.is_relative_to(root)
                             else None)
    concepts = dict(taxonomy.concepts)
    digest = hashlib.sha256()
    for path in [*sorted(taxonomy_dir.glob("*.y*ml")), root / CONFIG_FILE]:
        if path.is_file():
            digest.update(path.read_bytes() + b"\0")

    files = markdown_files(root, log)
    progress.phase("parse", len(files))
    parsed: list[tuple[Document, list[Section]]] = []
    seen: dict[str, str] = {}
    for path in files:
        progress.advance()
        relative = PurePosixPath(path.relative_to(root).as_posix())
        text = read_text(path, str(relative), max_file_bytes, log)
        if text is None:
            continue
        digest.update(str(relative).encode() + b"\0" + text.encode() + b"\0")
        default_kind = "course" if relative.parts[0] == COURSES_DIR else "article"
        doc, sections = parse_document(text, relative, root.name, default_kind, log)
        if doc.id in seen:
            log.add(str(relative), 0, f"document id '{doc.id}' is already used by {seen[doc.id]}; "
                                      "give this file a unique 'id'")
            continue
        if not sections:
            log.add(str(relative), 0, "file has no text outside its frontmatter; add content")
            continue
        seen[doc.id] = str(relative)
        parsed.append((doc, sections))

    for doc, _ in parsed:
        if doc.kind == "course":
            if doc.id in concepts:
                log.add(doc.path, 0, f"course id '{doc.id}' is also a taxonomy concept id; rename one")
            else:
                concepts[doc.id] = _course_concept(doc)
    company_keys = {surface_key(f): c.id for c in concepts.values() if c.type == "company"
                    for f in (c.name, *c.aliases)}
    sections = [s for _, secs in parsed for s in secs]
    tags = TagLinker(concepts, _tag_resolver(dict(concepts), sections), own_taxonomy, log)
    keys = corpus_tag_keys(root, tag_keys, log)
    documents = {doc.id: _resolve_references(doc, tags, keys, company_keys, set(seen), log)
                 for doc, _ in parsed}

    linker = Linker(concepts.values())
    progress.phase("link", len(sections))
    mentions: list[Mention] = []
    for section in sections:
        mentions += linker.find(section.text, section.id)
        progress.advance()
    return Corpus(root=root, documents=documents, sections=sections, concepts=concepts,
                  relations=taxonomy.relations, mentions=mentions, problems=log.problems,
                  files_read=len(files), content_hash=digest.hexdigest()[:16])
