"""`casegraph concepts`: the review loop for the concepts discovery finds."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli_output import err, out
from api.settings import Settings

concepts_app = typer.Typer(help="Review the concepts discovery finds: suggest a patch, accept it.",
                           no_args_is_help=True)


@concepts_app.command()
def suggest(corpus: Annotated[Path, typer.Argument(help="Folder of markdown studies.")],
            destination: Annotated[Path, typer.Option("--out", help="The patch to write "
                                                                   "(YAML).")]) -> None:
    """Write the concepts CORPUS names that its taxonomy lacks, with evidence, and the aliases
    proposed for known concepts, as a patch to review."""
    from ingest.corpus import read_corpus
    from ingest.discovery import discover_concepts, known_by_surface_key
    from ingest.review import write_patch

    settings = Settings()
    if not corpus.is_dir():
        err.print(f"[red]error:[/red] corpus folder {corpus} does not exist", highlight=False)
        raise typer.Exit(1)
    found = read_corpus(corpus, settings.taxonomy, settings.max_file_bytes,
                        tag_keys=tuple(settings.tag_keys))
    discovery = discover_concepts(found, known_by_surface_key(found.concepts.values()))
    count = write_patch(destination, found, discovery.concepts, discovery.aliases)
    out.print(f"wrote {destination}: {count} new concept(s), {len(discovery.aliases)} proposed "
              f"alias(es); delete what is wrong, then `casegraph concepts accept {destination}`",
              highlight=False)


@concepts_app.command()
def accept(patch: Annotated[Path, typer.Argument(help="A patch written by `concepts suggest`.")],
           taxonomy: Annotated[Path | None, typer.Option(help="Taxonomy folder to change "
                                                              "(default: the patch's corpus's "
                                                              "taxonomy/).")] = None) -> None:
    """Add the concepts and aliases a reviewer kept in PATCH to the taxonomy files."""
    from ingest.review import PatchError, accept_patch, read_patch

    try:
        edited = read_patch(patch)
        target = taxonomy or Path(edited.corpus or ".") / "taxonomy"
        accepted = accept_patch(edited, target)
    except (OSError, PatchError) as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from exc
    out.print(f"added {accepted.concepts} concept(s) to {accepted.file} and {accepted.aliases} "
              f"alias(es); re-ingest to use them", highlight=False)
