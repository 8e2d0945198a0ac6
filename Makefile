# README command 1: `make run`   README command 2: `make test`
VENV   ?= .venv
PY     := $(VENV)/bin/python
KG     := $(VENV)/bin/kg
STORE  ?= build/store
VENDOR := api/static/vendor
APT     = SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq

.PHONY: bench-serving run test setup system-deps bench analytics screenshots clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,spark]'
	touch $@

# The pages' browser libraries (package.json, pinned by package-lock.json), served as static files.
$(VENDOR)/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { $(APT) nodejs npm; }
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/cytoscape/dist/cytoscape.min.js node_modules/@zazuko/yasgui/build/yasgui.min.js \
	   node_modules/@zazuko/yasgui/build/yasgui.min.css $(VENDOR)/
	touch $@

setup: $(VENV)/.installed $(VENDOR)/.installed

# rapper (raptor2-utils) is the independent RDF parser the integration tests use;
# libseccomp2 takes the network from the SPARQL query workers; Debian's chromium runs the
# browser tests and screenshots (driven by Playwright; no browser is downloaded); a Java
# runtime runs Spark local[2] for the Spark engine's tests.
system-deps:
	@{ command -v rapper >/dev/null && ldconfig -p | grep -q libseccomp.so.2 && command -v chromium >/dev/null \
	   && command -v java >/dev/null; } \
	  || { $(APT) raptor2-utils libseccomp2 chromium fonts-dejavu-core default-jre-headless; }

HOST   ?= 127.0.0.1
PORT   ?= 8000

run: setup
	$(KG) build seeds/ --store $(STORE)
	$(KG) export --store $(STORE) --out build/graph.ttl
	$(KG) stats --store $(STORE)
	@echo "open http://$(HOST):$(PORT)/ in a browser (search, entity pages, documents, timeline, SPARQL editor)"
	$(KG) serve --store $(STORE) --host $(HOST) --port $(PORT)

test: setup system-deps
	$(PY) -m pytest -q

# A PNG of each page, from Debian's chromium against `kg serve` over the seeds.
screenshots: setup system-deps
	$(KG) build seeds/ --store $(STORE) --quiet
	$(PY) tests/browser/screenshots.py --store $(STORE) --out build/screenshots

# wrk (Debian) is the well-behaved client of bench/load.py; bench/store.py compares the store's size
# per document with BENCH_REFERENCE's (a git revision).
BENCH_REFERENCE ?= main
bench: setup
	@command -v wrk >/dev/null || { $(APT) wrk; }
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) bench/extract.py
	$(PY) bench/sparql.py
	$(PY) bench/analytics.py
	$(PY) bench/load.py
	$(PY) bench/store.py --reference $(BENCH_REFERENCE)
	$(PY) bench/parallel.py

bench-serving: setup  # builds a 5,000-document corpus the first time (hours on 2 cores), kept in build/bench/
	@command -v wrk >/dev/null || { $(APT) wrk; }
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) bench/serving.py --store build/bench/store --documents $(or $(DOCUMENTS),5000)

# The seeds' most central actors and their communities (builds the seeds first if needed).
analytics: setup
	$(KG) build seeds/ --store $(STORE) --quiet
	$(KG) analytics centrality --store $(STORE) --type Person --type Organization --metric pagerank --top 15
	$(KG) analytics communities --store $(STORE) --type Person --type Organization

clean:
	rm -rf build
