"""One markdown file → a Document and its Sections."""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath

from ingest.frontmatter import field_lines, parse_frontmatter
from ingest.markdown import RawSection, parse_markdown, slugify
from ingest.problems import ProblemLog
from ingest.records import Document, Section

MIN_SECTION_WORDS = 25  # shorter sections are folded into their parent


def content_hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def id_from_path(relative: PurePosixPath, root_name: str) -> str:
    """"solutions/twitter/README.md" → "solutions-twitter"; a root README takes the corpus name."""
    parts = list(relative.with_suffix("").parts)
    if parts and parts[-1].lower() in ("readme", "index"):
        parts.pop()
    return slugify("-".join(parts) or root_name)


def read_text(path: Path, shown: str, max_bytes: int, log: ProblemLog) -> str | None:
    """The file's text, or None (with a problem logged) when it is not readable markdown."""
    size = path.stat().st_size
    if size > max_bytes:
        log.add(shown, 0, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit; "
                          "split it or raise CASEGRAPH_MAX_FILE_BYTES")
        return None
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        log.add(shown, 0, "file looks binary (it contains NUL bytes), not markdown; remove it or rename it")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        log.add(shown, line, f"file is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                             "re-save it as UTF-8")
        return None
    if not text.strip():
        log.add(shown, 0, "file is empty; add content or remove it")
        return None
    return text


def fold_tiny_sections(raw: list[RawSection], min_words: int) -> list[RawSection]:
    """Fold sections of fewer than `min_words` words into their nearest kept ancestor.

    A heading over a two-line link list says little on its own; inside its parent it adds context.
    """
    kept: list[RawSection] = []
    by_path: dict[tuple[str, ...], RawSection] = {}
    for section in raw:
        words = len(section.text.split())
        ancestors = [by_path[section.heading_path[:n]] for n in range(len(section.heading_path) - 1, 0, -1)
                     if section.heading_path[:n] in by_path]
        if words < min_words and ancestors:
            parent = ancestors[0]
            parent.blocks += [section.heading, *section.blocks]
            heading = "#" * section.level + " " + section.heading
            parent.markdown = f"{parent.markdown}\n\n{heading}\n\n{section.markdown}".strip()
            continue
        kept.append(section)
        by_path[section.heading_path] = section
    return kept


def _section_ids(document_id: str, raw: list[RawSection]) -> list[str]:
    """Stable ids: the heading's slug; a repeated heading is prefixed by its parent's slug."""
    taken: set[str] = set()
    ids: list[str] = []
    for section in raw:
        slug = slugify(section.heading) if section.heading else "preamble"
        if slug in taken and len(section.heading_path) > 1:
            slug = slugify(" ".join(section.heading_path[-2:]))
        base, n = slug, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        ids.append(f"{document_id}#{slug}")
    return ids


def parse_document(
    text: str, relative: PurePosixPath, root_name: str, default_kind: str, log: ProblemLog
) -> tuple[Document, list[Section]]:
    """Build the document record and its non-empty sections."""
    shown = str(relative)
    parsed = parse_markdown(text)
    fm, extra = (parse_frontmatter(parsed.frontmatter, parsed.frontmatter_line, shown, log)
                 if parsed.frontmatter is not None else (None, {}))
    document_id = (fm.id if fm and fm.id else None) or id_from_path(relative, root_name)
    title = (fm.title if fm and fm.title else None) or parsed.title or relative.stem
    kind = (fm.kind if fm and fm.kind else None) or default_kind
    document = Document(
        id=document_id, title=title, kind=kind, path=shown, extra=extra,
        field_lines=field_lines(parsed.frontmatter, parsed.frontmatter_line) if parsed.frontmatter else {},
        **({} if fm is None else {
            "company": fm.company, "companies": tuple(fm.companies),
            "also_titles": tuple(fm.also_titles), "category": fm.category, "level": fm.level,
            "minutes": fm.minutes, "headline": fm.headline, "summary": fm.summary,
            "patterns": tuple(fm.patterns), "technologies": tuple(fm.technologies),
            "studies": tuple(fm.studies), "sources": tuple(fm.sources),
        }),
    )
    raw = fold_tiny_sections([s for s in parsed.sections if s.text.strip()], MIN_SECTION_WORDS)
    sections = [
        Section(
            id=section_id, document_id=document_id,
            heading=s.heading or title, heading_path=s.heading_path or (title,),
            text=s.text, line=s.line, content_hash=content_hash(*s.heading_path, s.text),
            markdown=s.markdown,
        )
        for section_id, s in zip(_section_ids(document_id, raw), raw, strict=True)
    ]
    return document, sections
