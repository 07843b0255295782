"""`make bench-check`: the benchmark's figures against their documented bounds.

Reads bench/results/latest.json (`make bench`, `make bench-graph`) and
bench/results/graph_scale.json (`make bench-graph-scale`), prints one line per bound and exits
with status 1 when one is exceeded. BOUNDS is mirrored in docs/BENCHMARKS.md (a test keeps the
two equal). A figure whose benchmark was not run is reported and skipped.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
GRAPH_ENDPOINTS = ("related", "recommendations", "neighbourhood", "learning_path", "themes",
                   "history_10")
SCALED = ("related", "neighbourhood", "learning_path", "themes", "recommendations", "history_10")

# (file, path in it, bound, what the figure is)
BOUNDS: list[tuple[str, str, float, str]] = [
    ("latest.json", "ingest.full_ratio", 1.15, "full rebuild / raw encode, median of the pairs"),
    ("latest.json", "ingest.incremental_ratio", 0.10, "re-ingest after one edit / full rebuild"),
    ("latest.json", "search.search_over_floor", 0.5, "search in-process / torch encode + FAISS"),
    *[("latest.json", f"graph.in_process_ms.{name}", 0.5, f"{name} in-process p50, ms")
      for name in ("related", "recommendations", "neighbourhood", "learning_path")],
    ("latest.json", "graph.computed_ms.related", 0.5,
     "related in-process p50 when computed, not read from the memo, ms"),
    ("latest.json", "graph.in_process_ms.history_10", 2.0,
     "POST /recommendations, 10 read, in-process p50, ms"),
    *[("latest.json", f"graph.ratios.{name}_http_over_floor", 1.3,
       f"{name} over HTTP / hello-world") for name in GRAPH_ENDPOINTS],
    ("latest.json", "graph.ratios.search_http_minus_in_process_over_floor", 1.5,
     "(/search over HTTP − in-process) / hello-world"),
    ("graph_scale.json", "graph_over_encoder.max", 0.10,
     "graph work at ingest / encoder, bundled corpus and every size"),
    *[("graph_scale.json", f"growth.{name}", 2.0, f"{name} p50, largest / smallest size")
      for name in SCALED],
]


def _scale_figures(data: dict) -> dict:
    sizes = sorted(data["sizes"], key=lambda r: r["studies"])
    first, last = sizes[0]["request_p50_ms"], sizes[-1]["request_p50_ms"]
    ratios = [data["bundled"]["graph_over_encoder"], *(r["graph_over_encoder"] for r in sizes)]
    return {"graph_over_encoder": {"max": max(ratios)},
            "growth": {name: last[name] / first[name] for name in first}}


def figure(data: dict, path: str) -> float | None:
    for key in path.split("."):
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def main() -> int:
    loaded = {}
    for name in ("latest.json", "graph_scale.json"):
        file = RESULTS / name
        if file.exists():
            data = json.loads(file.read_text())
            loaded[name] = _scale_figures(data) if name == "graph_scale.json" else data
    failed = 0
    for file, path, bound, what in BOUNDS:
        value = figure(loaded.get(file, {}), path)
        if value is None:
            print(f"  not measured  {what} ({file}: {path})")
            continue
        ok = value <= bound
        failed += not ok
        print(f"{'ok' if ok else 'EXCEEDED':>12}  {what}: {value:.3f} (bound {bound})")
    if not loaded:
        print("no results: run `make bench`, `make bench-graph` or `make bench-graph-scale` first")
        return 1
    print(f"\n{failed} bound(s) exceeded" if failed else "\nevery measured figure is within bounds")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
