# Every target sets up .venv first, so each works on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup browser nginx run test test-fast bench bench-graph bench-graph-scale bench-check bench-scale bench-peer bench-sections bench-cluster lint

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first, pinned to the CPU build on local disk; the constraint keeps it pinned below.
	$(BIN)/python -m pip install --quiet -c constraints.txt torch==2.13.0
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# Debian's Chromium for the explorer's browser tests; they are skipped where it cannot be installed.
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium) \
		|| echo "chromium is not installed: the browser tests will be skipped"

# Debian's nginx for the replicas-behind-nginx test; it is skipped where nginx cannot be installed.
# Where an init system lets the package start Debian's own nginx (port 80), the tests' run beside it.
nginx:
	@command -v nginx >/dev/null || (apt-get update -qq && apt-get install -y -qq nginx) \
		|| echo "nginx is not installed: the replicas-behind-nginx test will be skipped"

run: setup
	$(BIN)/casegraph serve

test: setup browser nginx
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

# The fast suite, with torch and sentence-transformers made unimportable (tests/conftest.py).
test-fast: setup
	CASEGRAPH_NO_TORCH=1 $(BIN)/python -m pytest -q -m "not slow"

bench: setup
	$(BIN)/python -m bench
	$(BIN)/python -m bench.graph
	$(BIN)/python -m bench.reload_load --seconds 30 --workers 1 2 4

# The graph endpoints and /search, in-process and over HTTP, against a hello-world floor.
bench-graph: setup
	$(BIN)/python -m bench.graph

# Graph answers on synthetic corpora of 1k, 10k and 100k studies (about 15 minutes here).
bench-graph-scale: setup
	$(BIN)/python -m bench.graph_scale --sizes 1000 10000 100000

# The figures of the last runs against the bounds in bench/check.py (docs/BENCHMARKS.md).
bench-check: setup
	$(BIN)/python -m bench.check

bench-peer: setup
	$(BIN)/python -m pip install --quiet -c constraints.txt txtai  # for this benchmark only
	$(BIN)/python -m bench.peer_txtai

# Section ranking options on the gold set, with their cost per query (docs/RETRIEVAL.md).
bench-sections: setup
	$(BIN)/python -m bench.sections

bench-scale: setup
	$(BIN)/python -m bench.scale --sizes 10000 100000 1000000

lint: setup
	$(BIN)/ruff check .

# Distributed ingest (local vs 1 and 2 Dask workers, scheduler overhead), the ONNX-vs-torch
# document encoder, and requests per second through nginx with 1 and 2 replicas.
bench-cluster: setup nginx
	$(BIN)/python -m bench.document_encoder
	$(BIN)/python -m bench.cluster
	$(BIN)/python -m bench.replicas
