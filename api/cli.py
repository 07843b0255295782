"""The `casegraph` command line. Heavy libraries load only in the verbs that need them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column, Table

from api.settings import Settings, encoder_for

app = typer.Typer(help="Knowledge graph and semantic search over engineering case studies.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
out = Console()
err = Console(stderr=True)

DataOption = Annotated[Path | None, typer.Option("--data", help="Snapshot folder "
                                                 "(default: CASEGRAPH_DATA or ./data).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _settings(data: Path | None, **overrides: Any) -> Settings:
    values = {k: v for k, v in {"data": data, **overrides}.items() if v is not None}
    return Settings(**values)


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code)


class RichProgress:
    """The ingest phases (parse, link, embed, write) as rich progress bars."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task: Any = None

    def phase(self, name: str, total: int) -> None:
        self._task = self._progress.add_task(name, total=max(total, 1))
        if total == 0:
            self._progress.update(self._task, completed=1)

    def advance(self, n: int = 1) -> None:
        self._progress.advance(self._task, n)


def _service(settings: Settings):
    from api.service import open_service
    from api.store import SnapshotError

    try:
        return open_service(settings, encoder_for(settings))
    except SnapshotError as exc:
        raise _fail(str(exc)) from exc


def _call(method, *args: Any, **kwargs: Any) -> dict:
    from api.errors import ServiceError

    try:
        return method(*args, **kwargs)
    except ServiceError as exc:
        hint = exc.details.get("suggestions")
        raise _fail(exc.message + (f" (did you mean: {', '.join(hint)}?)" if hint else "")) from exc


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def run_ingest(corpus: Path, settings: Settings, strict: bool = False, rebuild: bool = False):
    """Build and publish a snapshot with progress bars; return the build report."""
    from api.pipeline import build_snapshot

    columns = (TextColumn("{task.description:>6}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=err, disable=not err.is_terminal) as progress:
        return build_snapshot(corpus, settings, encoder_for(settings),
                              strict=strict, rebuild=rebuild, progress=RichProgress(progress))


@app.command()
def ingest(corpus: Annotated[Path, typer.Argument(help="Folder of markdown studies.")],
           data: DataOption = None,
           strict: Annotated[bool, typer.Option(help="Fail on any problem; the snapshot in "
                                                     "service stays as it is.")] = False,
           rebuild: Annotated[bool, typer.Option(help="Re-embed every section instead of "
                                                      "reusing unchanged ones.")] = False,
           json_output: JsonOption = False) -> None:
    """Read CORPUS and publish a new snapshot (written aside, switched in atomically)."""
    from ingest.problems import CorpusError

    settings = _settings(data)
    try:
        report = run_ingest(corpus, settings, strict, rebuild)
    except CorpusError as exc:
        raise _fail(str(exc)) from exc
    if json_output:
        _print_json({"version": report.version, "path": str(report.path), **report.manifest,
                     "reused_embeddings": report.reused_embeddings, "encoded": report.encoded})
        return
    for problem in report.problems:
        err.print(f"[yellow]warning:[/yellow] {problem}", highlight=False)
    counts = report.manifest["counts"]
    out.print(f"snapshot [bold]{report.version}[/bold] published in {report.path}")
    out.print(", ".join(f"{v} {k}" for k, v in counts.items()))
    out.print(f"embedded {report.encoded} chunk(s), reused {report.reused_embeddings}; "
              f"{len(report.problems)} problem(s)")


@app.command()
def validate(corpus: Annotated[Path | None, typer.Argument(help="Corpus folder (default: the "
                                                                "bundled corpus).")] = None,
             json_output: JsonOption = False) -> None:
    """Check a corpus without building anything; exit 1 if it has problems."""
    from ingest.validate import validate_corpus

    settings = Settings()
    report = validate_corpus(corpus or settings.corpus, settings.taxonomy, settings.max_file_bytes)
    if json_output:
        _print_json(report.to_json())
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


@app.command()
def serve(data: DataOption = None,
          host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
          port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
          corpus: Annotated[Path | None, typer.Option(help="Corpus to build from when no "
                                                           "snapshot exists.")] = None,
          workers: Annotated[int | None, typer.Option(help="Worker processes.")] = None) -> None:
    """Serve the API (and /docs) from the newest snapshot, building one first if there is none."""
    import os

    import uvicorn

    from api.store import current_version

    settings = _settings(data, host=host, port=port, corpus=corpus, workers=workers)
    if current_version(settings.data) is None:
        from ingest.problems import CorpusError

        err.print(f"no snapshot in {settings.data}; building one from {settings.corpus}")
        try:
            run_ingest(settings.corpus, settings)
        except CorpusError as exc:
            raise _fail(str(exc)) from exc
    # Workers build their own app from the environment, so pass the options on through it.
    os.environ.update({"CASEGRAPH_DATA": str(settings.data.resolve()),
                       "CASEGRAPH_CORPUS": str(settings.corpus.resolve())})
    uvicorn.run("api.app:create_app", factory=True, host=settings.host, port=settings.port,
                workers=settings.workers)


@app.command()
def search(query: Annotated[str, typer.Argument(help="Words or a question.")],
           k: Annotated[int, typer.Option("--k", "-k", min=1, max=100)] = 5,
           company: Annotated[str | None, typer.Option()] = None,
           category: Annotated[str | None, typer.Option()] = None,
           pattern: Annotated[str | None, typer.Option()] = None,
           kind: Annotated[str | None, typer.Option()] = None,
           data: DataOption = None, json_output: JsonOption = False) -> None:
    """Search the studies; shows each study's best sections."""
    result = _call(_service(_settings(data)).search, query, k=k, company=company,
                   category=category, pattern=pattern, kind=kind)
    if json_output:
        _print_json(result)
        return
    if not result["results"]:
        out.print("no results")
    for n, hit in enumerate(result["results"], start=1):
        study = hit["study"]
        out.print(f"[bold]{n}. {study['title']}[/bold]  [dim]{study['company']} · {study['kind']} · "
                  f"{hit['score']:.3f} · {study['id']}[/dim]", highlight=False)
        for section in hit["sections"]:
            out.print(f"   [cyan]{' › '.join(section['heading_path'])}[/cyan]  [dim]{section['id']}[/dim]",
                      highlight=False)
            out.print(f"   {section['snippet']}", highlight=False)


@app.command()
def concept(name: Annotated[str, typer.Argument(help="Concept id, name or alias.")],
            data: DataOption = None, json_output: JsonOption = False) -> None:
    """Show a concept and the studies that apply it."""
    result = _call(_service(_settings(data)).concept, name)
    if json_output:
        _print_json(result)
        return
    out.print(f"[bold]{result['name']}[/bold] [dim]({result['type']}, {result['id']})[/dim]",
              highlight=False)
    if result["aliases"]:
        out.print("also: " + ", ".join(result["aliases"]), highlight=False)
    if result["description"]:
        out.print(result["description"], highlight=False)
    table = Table("study", "company", "weight", "mentions")
    for study in result["studies"]:
        table.add_row(study["title"], study["company"], f"{study['weight']:.2f}", str(study["mentions"]))
    out.print(table)


@app.command()
def related(name: Annotated[str, typer.Argument(help="Concept id, name or alias.")],
            k: Annotated[int, typer.Option("--k", "-k", min=1, max=100)] = 10,
            data: DataOption = None, json_output: JsonOption = False) -> None:
    """Concepts related to NAME, with the reason for each."""
    result = _call(_service(_settings(data)).related, name, k)
    if json_output:
        _print_json(result)
        return
    table = Table("concept", "type", "score", "why")
    for item in result["related"]:
        table.add_row(item["concept"]["name"], item["concept"]["type"], f"{item['score']:.3f}",
                      item["why"]["summary"])
    out.print(f"related to [bold]{result['concept']['name']}[/bold]")
    out.print(table)


@app.command()
def stats(data: DataOption = None, json_output: JsonOption = False) -> None:
    """Counts and model of the snapshot in service."""
    result = _service(_settings(data)).stats()
    if json_output:
        _print_json(result)
        return
    out.print(f"snapshot [bold]{result['version']}[/bold], model {result['model']['name']}")
    table = Table("what", "count")
    for key, value in {**result["counts"], **{f"{k} concepts": v for k, v in
                                              result["concepts_by_type"].items()}}.items():
        table.add_row(key, str(value))
    out.print(table)
    if result["problems"]:
        out.print(f"{len(result['problems'])} problem(s) at ingest; see `casegraph validate`")


@app.command()
def export(destination: Annotated[Path, typer.Option("--out", help="File (graphml, json) or "
                                                                  "folder (neo4j) to write.")],
           fmt: Annotated[str, typer.Option("--format", help="graphml | json | neo4j")] = "graphml",
           data: DataOption = None) -> None:
    """Export the concept graph: GraphML (Gephi), node-link JSON, or Neo4j CSV + Cypher."""
    from graph.export import FORMATS, export_graph

    if fmt not in FORMATS:
        raise _fail(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}", code=2)
    written = export_graph(_service(_settings(data)).snapshot.graph, fmt, destination)
    out.print("wrote " + ", ".join(str(p) for p in written), highlight=False)


@app.command("eval-graph")
def eval_graph(data: DataOption = None, json_output: JsonOption = False) -> None:
    """Precision@5 of related concepts and recommendations on the gold set, per signal blend."""
    from api.graph_eval import evaluate_graph

    report = evaluate_graph(_service(_settings(data)).snapshot)
    if json_output:
        _print_json({part: [vars(s) for s in scores] for part, scores in report.items()})
        return
    for part, scores in report.items():
        table = Table(part, "precision@5", "judgments")
        for score in scores:
            table.add_row(score.name, f"{score.precision:.3f}", str(score.judged))
        out.print(table)


@app.command("eval")
def eval_search(data: DataOption = None,
                report: Annotated[Path | None, typer.Option(help="Write the full JSON report "
                                                                  "here.")] = None,
                json_output: JsonOption = False) -> None:
    """nDCG@10, Recall@1/3/10 and MRR of each retrieval method on the gold queries, side by side,
    with per-query misses; also entity-linking precision/recall against curated tags."""
    from dataclasses import asdict

    from api.linking_eval import evaluate_linking, top_links
    from api.search_eval import evaluate_search
    from ingest.corpus import read_corpus

    settings = _settings(data)
    service = _service(settings)
    methods = evaluate_search(service.snapshot)
    corpus = read_corpus(Path(service.snapshot.manifest["corpus"]["path"]), settings.taxonomy)
    linking = evaluate_linking(corpus)
    linked = top_links(corpus)
    result = {"snapshot": service.snapshot.version, "methods": [asdict(m) for m in methods],
              "linking": asdict(linking), "most_linked": linked}
    if report:
        report.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    if json_output:
        _print_json(result)
        return
    table = Table("nDCG@10", "R@1", "R@3", "R@10", "MRR", "section nDCG@10", "misses@3")
    table.columns.insert(0, Column("method", no_wrap=True))
    for m in methods:
        table.add_row(m.name, *(f"{v:.3f}" for v in (m.ndcg10, m.recall1, m.recall3, m.recall10,
                                                      m.mrr, m.section_ndcg10)), str(len(m.misses)))
    out.print(table)
    for miss in methods[-1].misses:
        out.print(f"  miss {miss['id']} “{miss['query']}”: top 3 {', '.join(miss['top3'])}; "
                  f"wanted {', '.join(miss['answers'])}", highlight=False)
    out.print(f"entity linking over {linking.studies} studies: precision {linking.precision:.3f}, "
              f"recall {linking.recall:.3f} against frontmatter tags")
    out.print("most linked concepts: " + ", ".join(f"{c} ({n})" for c, n in linked), highlight=False)
