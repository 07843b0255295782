"""The `casegraph` command line. Heavy libraries load only in the verbs that need them."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.table import Column, Table

from api.cli_concepts import concepts_app
from api.cli_output import (
    RichProgress,
    err,
    out,
    print_error,
    print_json,
    print_search,
    progress_bars,
)
from api.errors import KNOWN_ERRORS, InvalidParameter
from api.limits import LIMITS
from api.settings import Settings, encoder_for, ingest_batches
from ingest.records import DOCUMENT_KINDS

app = typer.Typer(help="Knowledge graph and semantic search over engineering case studies.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
app.add_typer(concepts_app, name="concepts")

DataOption = Annotated[Path | None, typer.Option("--data", help="Snapshot folder "
                                                 "(default: CASEGRAPH_DATA or ./data).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
LogLevel = Literal["critical", "error", "warning", "info", "debug", "trace"]
KOption = Annotated[int, typer.Option("--k", "-k", min=1, max=LIMITS.k, help="How many results.")]


def command(name: str | None = None) -> Callable:
    """Register a verb whose user errors (unknown ids, bad input, no snapshot, no model) print
    the API's message, suggestions and choices, and exit 1 without a traceback."""

    def register(verb: Callable) -> Callable:
        @functools.wraps(verb)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return verb(*args, **kwargs)
            except KNOWN_ERRORS as exc:
                print_error(exc)
                raise typer.Exit(1) from exc

        return app.command(name)(run)

    return register


def _settings(data: Path | None, **overrides: Any) -> Settings:
    values = {k: v for k, v in {"data": data, **overrides}.items() if v is not None}
    return Settings(**values)


def _service(settings: Settings):
    from api.service import open_service

    return open_service(settings, encoder_for(settings))


def run_ingest(corpus: Path, settings: Settings, strict: bool = False, rebuild: bool = False):
    """Build and publish a snapshot with progress bars, encoding on the configured cluster if
    any; return the build report."""
    from snapshot.build import build_snapshot

    with ingest_batches(settings) as batches:
        if batches is not None:
            err.print(f"embedding on {batches.workers} Dask worker(s) at {settings.scheduler}")
        with progress_bars() as progress:
            return build_snapshot(corpus, settings, encoder_for(settings), strict=strict,
                                  rebuild=rebuild, progress=RichProgress(progress),
                                  batches=batches)


@command()
def ingest(corpus: Annotated[Path, typer.Argument(help="Folder of markdown studies.")],
           data: DataOption = None,
           strict: Annotated[bool, typer.Option(help="Fail on any problem; the snapshot in "
                                                     "service stays as it is.")] = False,
           rebuild: Annotated[bool, typer.Option(help="Re-embed and re-read every section "
                                                      "instead of reusing unchanged ones.")] = False,
           scheduler: Annotated[str | None, typer.Option(help="Embed on the Dask cluster of this "
                                                              "scheduler, tcp://HOST:PORT (default: "
                                                              "CASEGRAPH_SCHEDULER; unset: "
                                                              "here).")] = None,
           json_output: JsonOption = False) -> None:
    """Read CORPUS and publish a new snapshot (written aside, switched in atomically)."""
    report = run_ingest(corpus, _settings(data, scheduler=scheduler), strict, rebuild)
    manifest = report.manifest
    if json_output:
        print_json({**manifest.model_dump(mode="json"), "path": str(report.path),
                    "reused_embeddings": report.reused_embeddings, "encoded": report.encoded})
        return
    for problem in manifest.problems:
        err.print(f"[yellow]warning:[/yellow] {problem}", highlight=False)
    out.print(f"snapshot [bold]{report.version}[/bold] published in {report.path}")
    out.print(", ".join(f"{v} {k}" for k, v in manifest.counts.model_dump().items()))
    out.print(f"embedded {report.encoded} chunk(s), reused {report.reused_embeddings}; "
              f"{len(manifest.problems)} problem(s)")


@command()
def validate(corpus: Annotated[Path | None, typer.Argument(help="Corpus folder (default: the "
                                                                "bundled corpus).")] = None,
             json_output: JsonOption = False) -> None:
    """Check a corpus without building anything; exit 1 if it has problems."""
    from ingest.validate import validate_corpus

    settings = Settings()
    report = validate_corpus(corpus or settings.corpus, settings.taxonomy, settings.max_file_bytes,
                             tuple(settings.tag_keys))
    if json_output:
        print_json(report.to_json())
    else:
        for problem in report.problems:
            out.print(f"[red]problem:[/red] {problem}", highlight=False)
        out.print(", ".join(f"{v} {k}" for k, v in report.counts.items()))
        if report.thin_patterns:
            out.print(f"patterns applied by fewer than two studies ({len(report.thin_patterns)}): "
                      + ", ".join(report.thin_patterns), highlight=False)
        out.print("corpus is valid" if not report.problems else f"{len(report.problems)} problem(s)")
    if report.problems:
        raise typer.Exit(1)


@command()
def serve(data: DataOption = None,
          host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
          port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
          corpus: Annotated[Path | None, typer.Option(help="Corpus to build from when no "
                                                           "snapshot exists.")] = None,
          workers: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
          log_level: Annotated[LogLevel, typer.Option(help="uvicorn's log level; 'warning' "
                                                            "leaves out the line per request.")] = "info",
          ) -> None:
    """Serve the API (and /docs) from the newest snapshot, building one first if there is none."""
    import os

    from api.serving import serve_app
    from snapshot.store import current_version

    settings = _settings(data, host=host, port=port, corpus=corpus, workers=workers)
    if current_version(settings.data) is None:
        err.print(f"no snapshot in {settings.data}; building one from {settings.corpus}")
        run_ingest(settings.corpus, settings)
    # Workers build their own app from the environment, so pass the options on through it.
    os.environ.update({"CASEGRAPH_DATA": str(settings.data.resolve()),
                       "CASEGRAPH_CORPUS": str(settings.corpus.resolve())})
    serve_app(settings.host, settings.port, settings.workers, log_level)


@command()
def mcp(data: DataOption = None) -> None:
    """Serve the MCP tools over stdio, for an assistant that starts casegraph itself."""
    from api.mcp_server import run_stdio

    settings = _settings(data)
    run_stdio(settings, encoder_for(settings))


@command()
def search(query: Annotated[str, typer.Argument(help="Words or a question.")],
           k: KOption = 5,
           company: Annotated[str | None, typer.Option()] = None,
           category: Annotated[str | None, typer.Option()] = None,
           pattern: Annotated[str | None, typer.Option()] = None,
           kind: Annotated[str | None, typer.Option(help="One of: " + ", ".join(DOCUMENT_KINDS))
                           ] = None,
           data: DataOption = None, json_output: JsonOption = False) -> None:
    """Search the studies; shows each study's best sections, and the courses to go deeper."""
    if kind is not None and kind not in DOCUMENT_KINDS:
        raise InvalidParameter(f"unknown kind '{kind}'", field="kind", choices=list(DOCUMENT_KINDS))
    result = _service(_settings(data)).search(query, k=k, company=company, category=category,
                                              pattern=pattern, kind=kind)
    if json_output:
        print_json(result)
        return
    print_search(result)


@command()
def concept(name: Annotated[str, typer.Argument(help="Concept id, name or alias.")],
            data: DataOption = None, json_output: JsonOption = False) -> None:
    """Show a concept and the studies that apply it."""
    result = _service(_settings(data)).concept(name)
    if json_output:
        print_json(result)
        return
    out.print(f"[bold]{result.name}[/bold] [dim]({result.type}, {result.id})[/dim]", highlight=False)
    if result.match in ("fuzzy", "semantic"):
        out.print(f"[dim]'{name}' matched by {result.match}, confidence {result.match_confidence:.2f}[/dim]",
                  highlight=False)
    if result.aliases:
        out.print("also: " + ", ".join(result.aliases), highlight=False)
    if result.description:
        out.print(result.description, highlight=False)
    table = Table("study", "company", "weight", "mentions")
    for study in result.studies:
        table.add_row(study.title, study.company, f"{study.weight:.2f}", str(study.mentions))
    out.print(table)


@command()
def related(name: Annotated[str, typer.Argument(help="Concept id, name or alias.")],
            k: KOption = 10, data: DataOption = None, json_output: JsonOption = False) -> None:
    """Concepts related to NAME, with the reason for each."""
    result = _service(_settings(data)).related(name, k)
    if json_output:
        print_json(result)
        return
    table = Table("concept", "type", "score", "why")
    for item in result.related:
        table.add_row(item.concept.name, item.concept.type, f"{item.score:.3f}", item.why.summary)
    out.print(f"related to [bold]{result.concept.name}[/bold]")
    out.print(table)


@command()
def stats(data: DataOption = None, json_output: JsonOption = False) -> None:
    """Counts and model of the snapshot in service."""
    result = _service(_settings(data)).stats()
    if json_output:
        print_json(result)
        return
    out.print(f"snapshot [bold]{result.version}[/bold], model {result.model.name}")
    table = Table("what", "count")
    for key, value in {**result.counts, **{f"{k} concepts": v for k, v in
                                           result.concepts_by_type.items()}}.items():
        table.add_row(key, str(value))
    out.print(table)
    if result.problems:
        out.print(f"{len(result.problems)} problem(s) at ingest; see `casegraph validate`")


@command()
def export(destination: Annotated[Path, typer.Option("--out", help="File (graphml, json) or "
                                                                  "folder (neo4j) to write.")],
           fmt: Annotated[str, typer.Option("--format", help="graphml | json | neo4j")] = "graphml",
           data: DataOption = None) -> None:
    """Export the concept graph: GraphML (Gephi), node-link JSON, or Neo4j CSV + Cypher."""
    from graph.export import FORMATS, export_graph

    if fmt not in FORMATS:
        raise InvalidParameter(f"unknown format '{fmt}'", field="format", choices=list(FORMATS))
    written = export_graph(_service(_settings(data)).snapshot.graph, fmt, destination)
    out.print("wrote " + ", ".join(str(p) for p in written), highlight=False)


@command("eval-graph")
def eval_graph(data: DataOption = None, json_output: JsonOption = False) -> None:
    """Precision@5 of related concepts and recommendations on the gold set, per signal blend."""
    from eval.graph_quality import evaluate_graph

    report = evaluate_graph(_service(_settings(data)).snapshot)
    if json_output:
        print_json({part: [vars(s) for s in scores] for part, scores in report.items()})
        return
    for part, scores in report.items():
        table = Table(part, "precision@5", "judgments")
        for score in scores:
            table.add_row(score.name, f"{score.precision:.3f}", str(score.judged))
        out.print(table)


@command("eval")
def eval_search(data: DataOption = None,
                report: Annotated[Path | None, typer.Option(help="Write the full JSON report "
                                                                  "here.")] = None,
                json_output: JsonOption = False) -> None:
    """Study nDCG@10, Recall@1/3/10 and MRR of each retrieval method on the gold queries, side by
    side, with per-query misses, courses ranked above the answering study and course-seeking
    queries answered by their course first; also entity-linking precision/recall against curated
    tags."""
    from dataclasses import asdict

    from eval.linking import evaluate_linking, top_links
    from eval.resolution import evaluate_resolution
    from eval.search_quality import evaluate_search, methods
    from ingest.corpus import read_corpus

    settings = _settings(data)
    snapshot = _service(settings).snapshot
    compared = evaluate_search(snapshot, methods(settings.concept_boost))
    corpus = read_corpus(Path(snapshot.manifest.corpus.path), settings.taxonomy,
                         settings.max_file_bytes, tag_keys=tuple(settings.tag_keys))
    linking = evaluate_linking(corpus)
    linked = top_links(corpus)
    resolution = evaluate_resolution(snapshot.resolver)
    result = {"snapshot": snapshot.version, "methods": [asdict(m) for m in compared],
              "linking": asdict(linking), "most_linked": linked,
              "resolution": [asdict(s) for s in resolution.scores]}
    if report:
        report.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    if json_output:
        print_json(result)
        return
    table = Table("nDCG@10", "R@1", "R@3", "R@10", "MRR", "section nDCG@10", "misses@3",
                  "course above", "course first")
    table.columns.insert(0, Column("method", no_wrap=True))
    for m in compared:
        table.add_row(m.name, *(f"{v:.3f}" for v in (m.ndcg10, m.recall1, m.recall3, m.recall10,
                                                      m.mrr, m.section_ndcg10)), str(len(m.misses)),
                      str(m.courses_above), f"{m.course_first:.3f}")
    out.print(table)
    last = compared[-1]
    out.print(f"study metrics over {last.study_queries} queries with a grade-3 study; course above: "
              f"queries where a course ranks above that study; course first: share of the "
              f"{last.course_queries} course-seeking queries whose first result is their course",
              highlight=False)
    for miss in compared[-1].misses:
        out.print(f"  miss {miss.id} “{miss.query}”: top 3 {', '.join(miss.top3)}; "
                  f"wanted {', '.join(miss.answers)}", highlight=False)
    out.print(f"entity linking over {linking.studies} studies: precision {linking.precision:.3f}, "
              f"recall {linking.recall:.3f} against frontmatter tags")
    out.print("most linked concepts: " + ", ".join(f"{c} ({n})" for c, n in linked), highlight=False)
    for score in resolution.scores:
        out.print(f"concept resolution, {score.split} ({score.cases} forms): right {score.right:.3f}, "
                  f"wrong {score.wrong:.3f}, missed {score.missed:.3f}")
