"""The short text each MCP tool answers beside its structured content: for a model (or a person)
whose client shows only text. Ids stay in the text, so an answer can be cited or followed up."""

from __future__ import annotations

from api import graph_models, models
from api.mcp_models import ContextPack, StudyText

WEAK = " (weak match: nothing in the corpus is close; these are only the nearest)"
COURSE_FIRST = " (the query asks for a course: its best course first)"


def _study(study: models.StudyRef) -> str:
    company = f"{study.company} · " if study.company else ""
    return f"{study.title} ({company}{study.kind}; id {study.id})"


def _concepts(concepts: list[models.ConceptRef]) -> str:
    return ", ".join(f"{c.name} [{c.id}]" for c in concepts) or "none"


def search(answer: models.SearchResponse) -> str:
    lines = [f"{answer.total} studies match “{answer.query}”; the first {len(answer.results)}:"]
    if answer.weak_match:
        lines[0] += WEAK
    if answer.course_seeking:
        lines[0] += COURSE_FIRST
    for n, hit in enumerate(answer.results, start=1):
        lines.append(f"{n}. {_study(hit.study)} score {hit.score:.3f}")
        lines += [f"   {' › '.join(s.heading_path)} [{s.id}]: {s.snippet}" for s in hit.sections]
        lines.append(f"   concepts: {_concepts(hit.concepts)}")
    for course in answer.courses:
        lesson = f" [{course.sections[0].id}]" if course.sections else ""  # its best lesson
        lines.append(f"go deeper: {_study(course.study)}: {course.why}{lesson}")
    return "\n".join(lines)


def study(answer: StudyText) -> str:
    head = [f"# {answer.title}", _study(answer), answer.headline, answer.summary,
            f"concepts: {_concepts(answer.concepts)}", f"sections: {', '.join(answer.section_ids)}"]
    lines = [line for line in head if line]
    for section in answer.sections:
        lines += ["", f"## {' › '.join(section.heading_path)} [{section.id}]", section.text]
    return "\n".join(lines)


def concept(answer: models.ConceptDetail) -> str:
    aliases = f" (also: {', '.join(answer.aliases)})" if answer.aliases else ""
    lines = [f"{answer.name} [{answer.id}], a {answer.type}{aliases}: {answer.description}",
             f"applied in {len(answer.studies)} studies:"]
    for found in answer.studies:
        lines.append(f"- {found.title} [{found.id}], {found.mentions} mention(s)")
        lines += [f"  “{e.context}” [{e.section}]" for e in found.evidence[:1]]
    return "\n".join(lines)


def related(answer: graph_models.RelatedResponse) -> str:
    lines = [f"related to {answer.concept.name} [{answer.concept.id}]:"]
    lines += [f"- {r.concept.name} [{r.concept.id}], {r.concept.type}, score {r.score:.3f}: "
              f"{r.why.summary}" for r in answer.related]
    return "\n".join(lines)


def path(answer: graph_models.PathResponse) -> str:
    if not answer.hops:
        return f"{answer.source} is {answer.target}"
    lines = [f"{len(answer.hops)} hop(s) from {answer.source} to {answer.target}:"]
    for hop in answer.hops:
        arrow = f"—{hop.type}→" if hop.forward else f"←{hop.type}—"
        lines.append(f"- {hop.from_name} {arrow} {hop.to_name}")
    return "\n".join(lines)


def learning_path(answer: graph_models.LearningPath) -> str:
    lines = [f"to learn {answer.concept.name}, in order:"]
    for n, step in enumerate(answer.steps, start=1):
        read = f"; read {_study(step.study)}" if step.study else ""
        lesson = f"; lesson “{step.lesson.title}” in {step.lesson.course}" if step.lesson else ""
        lines.append(f"{n}. {step.concept.name} [{step.concept.id}]{read}{lesson}: {step.why}")
    return "\n".join(lines)


def recommendations(answer: models.HistoryRecommendations) -> str:
    lines = [f"after {', '.join(answer.read)}, read next:"]
    lines += [f"- {_study(r.study)} score {r.score:.3f}: {r.why.summary}"
              for r in answer.recommendations]
    return "\n".join(lines)


def themes(answer: graph_models.Themes) -> str:
    return "\n".join(f"- {t.label}: patterns {_concepts(t.patterns)}; "
                     f"{len(t.studies)} studies ({', '.join(s.id for s in t.studies)})"
                     for t in answer.themes)


def context_pack(answer: ContextPack) -> str:
    lines = [f"{len(answer.sections)} section(s), {answer.tokens} of {answer.budget_tokens} tokens "
             f"({answer.tokenizer}) for “{answer.question}”:"]
    if answer.weak_match:
        lines[0] += WEAK
    for n, section in enumerate(answer.sections, start=1):
        cut = " (excerpt)" if section.excerpt else ""
        where = " › ".join(dict.fromkeys([section.study.title, *section.heading_path]))
        lines += ["", f"[{n}] {where} [{section.id}]{cut}", section.text]
    names = {c.id: c.name for c in answer.concepts}
    lines += ["", "shared concepts: " + (", ".join(f"{c.name} [{c.id}] in {len(c.sections)}"
                                                   for c in answer.concepts) or "none")]
    lines += [f"- {names[r.source]} {r.type} {names[r.target]}" for r in answer.relations]
    return "\n".join(lines)
