"""YAML frontmatter: parsed leniently, each known field checked on its own.

Another site's frontmatter (unknown keys, missing fields) is accepted: known fields are kept,
unknown ones are carried in `extra`, and a known field of the wrong type is reported with its
line and dropped, so one bad field never costs the whole document.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, Field, StringConstraints, ValidationError

from ingest.problems import ProblemLog
from ingest.records import DOCUMENT_KINDS

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 7x faster here


def yaml_error_line(exc: yaml.YAMLError, text: str) -> int | None:
    """The 0-based line of `text` to blame: where the unfinished construct opened when the parser
    says so (libyaml marks an unclosed bracket at the end of the stream), else the problem."""
    mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
    return None if mark is None else min(mark.line, max(0, len(text.splitlines()) - 1))

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]


class Frontmatter(BaseModel):
    """The fields casegraph understands; every one is optional."""

    id: Slug | None = None
    title: Text | None = None
    also_titles: list[Text] = Field(default_factory=list)
    company: Text = ""
    companies: list[Text] = Field(default_factory=list)  # tags: ids, names or aliases
    kind: Literal[DOCUMENT_KINDS] | None = None  # type: ignore[valid-type]
    category: Text = ""
    level: Text = ""
    minutes: Annotated[int, Field(ge=0, le=10_000)] | None = None
    headline: Text = ""
    summary: Text = ""
    patterns: list[Text] = Field(default_factory=list)
    technologies: list[Text] = Field(default_factory=list)
    studies: list[Slug] = Field(default_factory=list)
    sources: list[Text] = Field(default_factory=list)


def field_lines(yaml_text: str, first_line: int) -> dict[str, int]:
    """The source line of each top-level key."""
    return {m.group(1): first_line + yaml_text[: m.start()].count("\n")
            for m in re.finditer(r"^([A-Za-z_][\w-]*)\s*:", yaml_text, flags=re.MULTILINE)}


def parse_frontmatter(
    yaml_text: str, first_line: int, path: str, log: ProblemLog
) -> tuple[Frontmatter, dict[str, Any]]:
    """Return the known fields and the unknown ones; problems go to `log`."""
    try:
        data = yaml.load(yaml_text, Loader=SafeLoader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        line = first_line + (yaml_error_line(exc, yaml_text) or 0)
        problem = getattr(exc, "problem", None) or "malformed YAML"
        log.add(path, line,
                f"frontmatter is not valid YAML ({problem}); fix the YAML between the '---' lines")
        return Frontmatter(), {}
    if data is None:
        return Frontmatter(), {}
    if not isinstance(data, dict):
        log.add(path, first_line, "frontmatter must be a YAML mapping of 'key: value' lines")
        return Frontmatter(), {}
    known: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in data.items():
        if key not in Frontmatter.model_fields:
            extra[str(key)] = value
            continue
        if value is None:
            continue
        try:
            known[key] = getattr(Frontmatter.model_validate({key: value}), key)
        except ValidationError as exc:
            reason = exc.errors()[0]["msg"]
            log.add(path, field_lines(yaml_text, first_line).get(str(key), first_line),
                    f"frontmatter field '{key}' is ignored: {reason} (got {value!r:.60})")
    return Frontmatter(**known), extra
