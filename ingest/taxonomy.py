"""The concept taxonomy: YAML files validated with pydantic, checked as a whole.

Each problem names the file and line. The offending piece (an entry, an alias, a relation) is
dropped and the rest is kept; strict mode turns any problem into a failed ingest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import networkx as nx
import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from ingest.frontmatter import SafeLoader, yaml_error_line
from ingest.problems import ProblemLog
from ingest.records import RELATION_TYPES, TAXONOMY_TYPES, Concept, Relation
from ingest.surface import surface_key

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=120)]
RelationType = Literal[RELATION_TYPES]


class ConceptEntry(BaseModel):
    """One concept as written in a taxonomy file."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    type: Literal[TAXONOMY_TYPES]
    category: str = ""
    aliases: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]] = Field(
        default_factory=list)
    description: str = ""
    relations: dict[RelationType, list[Slug]] = Field(default_factory=dict)


@dataclass(frozen=True)
class Taxonomy:
    concepts: dict[str, Concept]
    relations: list[Relation]


class _LineLoader(SafeLoader):
    """A YAML loader that records each mapping's line and each key's line."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        mapping["__keylines__"] = {k.value: k.start_mark.line + 1 for k, _ in node.value
                                   if isinstance(k, yaml.ScalarNode)}
        return mapping


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k not in ("__line__", "__keylines__")}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


@dataclass
class _Entry:
    model: ConceptEntry
    path: str
    line: int
    keylines: dict[str, int]

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def _read_entries(path: Path, shown: str, log: ProblemLog) -> list[_Entry]:
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506
    except UnicodeDecodeError as exc:
        log.add(shown, 0, f"taxonomy file is not UTF-8: {exc}")
        return []
    except yaml.YAMLError as exc:
        line = yaml_error_line(exc, text)
        log.add(shown, 0 if line is None else line + 1, f"taxonomy file is not valid YAML: {exc}")
        return []
    items = data.get("concepts") if isinstance(data, dict) else None
    if not isinstance(items, list):
        log.add(shown, 1, "a taxonomy file must have a top-level 'concepts:' list")
        return []
    entries: list[_Entry] = []
    for item in items:
        line = item.get("__line__", 0) if isinstance(item, dict) else 0
        try:
            model = ConceptEntry.model_validate(_strip_lines(item))
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or "entry"
                log.add(shown, line, f"concept entry is skipped: field '{field}': {err['msg']}")
            continue
        entries.append(_Entry(model, shown, line, item.get("__keylines__", {})))
    return entries


def _check_aliases(entries: list[_Entry], log: ProblemLog) -> dict[str, tuple[str, ...]]:
    """Each concept's aliases, less any that another concept already owns."""
    owner: dict[str, tuple[str, str]] = {}
    kept: dict[str, tuple[str, ...]] = {}
    for entry in entries:
        c = entry.model
        aliases: list[str] = []
        for surface in (c.name, *c.aliases):
            key = surface_key(surface)
            if not key:
                continue
            first = owner.get(key)
            if first is not None and first[0] != c.id:
                log.add(entry.path, entry.keylines.get("aliases", entry.line),
                        f"'{surface}' of concept '{c.id}' is already a name or alias of '{first[0]}' "
                        f"({first[1]}); remove it from one of them")
                continue
            owner.setdefault(key, (c.id, entry.where))
            if surface != c.name and surface not in aliases:
                aliases.append(surface)
        kept[c.id] = tuple(aliases)
    return kept


def _check_relations(entries: list[_Entry], known: set[str], log: ProblemLog) -> list[Relation]:
    relations: list[Relation] = []
    prerequisites = nx.DiGraph()
    lines: dict[tuple[str, str], str] = {}
    for entry in entries:
        for rel_type, targets in entry.model.relations.items():
            line = entry.keylines.get("relations", entry.line)
            for target in targets:
                if target == entry.model.id:
                    log.add(entry.path, line, f"concept '{target}' has a {rel_type} relation to itself")
                elif target not in known:
                    log.add(entry.path, line, f"concept '{entry.model.id}' has a {rel_type} relation to "
                                              f"unknown concept '{target}'; define it or fix the id")
                else:
                    relations.append(Relation(entry.model.id, rel_type, target))
                    if rel_type == "prerequisite":
                        prerequisites.add_edge(target, entry.model.id)
                        lines[(target, entry.model.id)] = f"{entry.path}:{line}"
    while True:
        try:
            cycle = nx.find_cycle(prerequisites)
        except nx.NetworkXNoCycle:
            break
        source, target = cycle[-1][:2]
        path, _, line = lines[(source, target)].rpartition(":")
        chain = " → ".join([edge[0] for edge in cycle] + [cycle[0][0]])
        log.add(path, int(line), f"prerequisite cycle {chain}: the relation '{target}' needs "
                                 f"'{source}' is dropped; remove one prerequisite of the cycle")
        prerequisites.remove_edge(source, target)
        relations.remove(Relation(target, "prerequisite", source))
    return relations


def load_taxonomy(folder: Path, log: ProblemLog, shown_root: Path | None = None) -> Taxonomy:
    """Read every `*.yaml`/`*.yml` file in `folder` (sorted by name)."""
    entries: list[_Entry] = []
    seen: dict[str, str] = {}
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        shown = str(path.relative_to(shown_root)) if shown_root else str(path)
        for entry in _read_entries(path, shown, log):
            if entry.model.id in seen:
                log.add(entry.path, entry.line,
                        f"concept id '{entry.model.id}' is already defined at {seen[entry.model.id]}")
                continue
            seen[entry.model.id] = entry.where
            entries.append(entry)
    aliases = _check_aliases(entries, log)
    relations = _check_relations(entries, set(seen), log)
    concepts = {
        e.model.id: Concept(
            id=e.model.id, name=e.model.name, type=e.model.type, category=e.model.category,
            aliases=aliases[e.model.id], description=e.model.description.strip(), source=e.where,
        )
        for e in entries
    }
    return Taxonomy(concepts, relations)
