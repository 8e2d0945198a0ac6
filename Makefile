# README command 1: `make run`   README command 2: `make test`
VENV   ?= .venv
PY     := $(VENV)/bin/python
KG     := $(VENV)/bin/kg
STORE  ?= build/store

.PHONY: run test setup system-deps bench analytics clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

# rapper (raptor2-utils) is the independent RDF parser the integration tests use;
# libseccomp2 takes the network from the SPARQL query workers.
system-deps:
	@{ command -v rapper >/dev/null && ldconfig -p | grep -q libseccomp.so.2; } || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq raptor2-utils libseccomp2; }

HOST   ?= 127.0.0.1
PORT   ?= 8000

run: setup
	$(KG) build seeds/ --store $(STORE)
	$(KG) export --store $(STORE) --out build/graph.ttl
	$(KG) stats --store $(STORE)
	@echo "open http://$(HOST):$(PORT)/entities/person/maryam-rajavi (an entity page) and the links below"
	$(KG) serve --store $(STORE) --host $(HOST) --port $(PORT)

test: setup system-deps
	$(PY) -m pytest -q

# wrk (Debian) is the well-behaved client of bench/load.py.
bench: setup
	@command -v wrk >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk; }
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) bench/extract.py
	$(PY) bench/sparql.py
	$(PY) bench/analytics.py
	$(PY) bench/load.py

# The seeds' most central actors and their communities (builds the seeds first if needed).
analytics: setup
	$(KG) build seeds/ --store $(STORE) --quiet
	$(KG) analytics centrality --store $(STORE) --type Person --type Organization --metric pagerank --top 15
	$(KG) analytics communities --store $(STORE) --type Person --type Organization

clean:
	rm -rf build
