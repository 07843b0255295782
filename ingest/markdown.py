"""Markdown → frontmatter, title and heading-delimited sections, with markdown-it-py."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

SECTION_LEVELS = 6  # every heading level starts a section; lower this to fold deep headings in


@dataclass
class RawSection:
    heading: str
    heading_path: tuple[str, ...]
    level: int
    line: int  # 1-based line of the heading (or of the first line of a preamble)
    blocks: list[str] = field(default_factory=list)
    markdown: str = ""  # the section's own source, without its heading line

    @property
    def text(self) -> str:
        return "\n".join(b for b in self.blocks if b.strip())


@dataclass
class ParsedMarkdown:
    frontmatter: str | None
    frontmatter_line: int  # 1-based line where the YAML content starts
    title: str | None  # the first h1, if any
    sections: list[RawSection]


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table").use(front_matter_plugin)


def slugify(text: str) -> str:
    """A lowercase hyphenated ASCII slug: "Key Generation Service (KGS)" → "key-generation-service-kgs"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "section"


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return re.sub(r"[ \t]+", " ", "".join(parts)).strip()


def parse_markdown(source: str) -> ParsedMarkdown:
    """Parse a document into its frontmatter and sections (plain text, code kept)."""
    tokens = _parser().parse(source)
    frontmatter: str | None = None
    frontmatter_line = 0
    title: str | None = None
    sections: list[RawSection] = []
    stack: list[tuple[int, str]] = []
    current: RawSection | None = None
    row: list[str] | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "front_matter":
            frontmatter = token.content
            frontmatter_line = (token.map[0] + 2) if token.map else 2
        elif token.type == "heading_open":
            level = int(token.tag[1])
            heading = _inline_text(tokens[i + 1])
            line = token.map[0] + 1 if token.map else 0
            if level == 1 and title is None:
                # The title heads its own section but stays out of the paths below it.
                title = heading
                current = RawSection(heading, (heading,), level, line)
                sections.append(current)
            elif level <= SECTION_LEVELS and heading:
                while stack and stack[-1][0] >= level:
                    stack.pop()
                stack.append((level, heading))
                current = RawSection(heading, tuple(h for _, h in stack), level, line)
                sections.append(current)
            elif current is not None:
                current.blocks.append(heading)
            i += 3
            continue
        else:
            if current is None and token.type in ("inline", "fence", "code_block", "table_open"):
                line = token.map[0] + 1 if token.map else 1
                current = RawSection("", (), 0, line)
                sections.append(current)
            if token.type == "tr_open":
                row = []
            elif token.type == "tr_close" and row is not None:
                current.blocks.append(" | ".join(row))
                row = None
            elif token.type == "inline":
                text = _inline_text(token)
                if row is not None:
                    row.append(text)
                else:
                    current.blocks.append(text)
            elif token.type in ("fence", "code_block"):
                current.blocks.append(token.content.rstrip("\n"))
        i += 1
    _attach_source(source, sections)
    return ParsedMarkdown(frontmatter, frontmatter_line, title, sections)


def _attach_source(source: str, sections: list[RawSection]) -> None:
    """Give each section the markdown lines between its heading and the next section's."""
    lines = source.splitlines()
    for section, following in zip(sections, [*sections[1:], None], strict=False):
        start = section.line if section.level else section.line - 1
        end = following.line - 1 if following else len(lines)
        section.markdown = "\n".join(lines[start:end]).strip()
