# Two commands for a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export HF_HUB_OFFLINE ?= 1
# The tests `make test-fast` runs: unit and API tests on the tiny fixture models (markers: pyproject.toml).
FAST_TESTS := not slow and not server and not browser and not training
# Where `make lock` finds the CPU torch wheel besides PyPI: pip's configured find-links here; elsewhere e.g.
# make lock LOCK_SOURCES="--extra-index-url https://download.pytorch.org/whl/cpu"
LOCK_SOURCES ?= $(addprefix --find-links ,$(shell $(PYTHON) -m pip config get global.find-links 2>/dev/null))
LOCK_ARGS = --generate-hashes --no-strip-extras --python-version 3.11 --no-header --quiet $(LOCK_SOURCES)

.PHONY: run test test-fast lint install install-dev lock browser-deps bench-deps bench lint-deploy container-test soak audit \
	corpus-check corpus-stats corpus-dev

# Installs come from the locks only: every package pinned, every file checked against its hash.
$(VENV)/.runtime: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.lock
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

install: $(VENV)/.runtime

install-dev: $(VENV)/.dev

## After editing requirements.txt or requirements-dev.txt: resolve them again into the hashed locks (uv, pinned
## in requirements-dev.txt; keeps the locked versions it can, add --upgrade to LOCK_ARGS to move them). The dev
## lock is resolved within the runtime lock, so tests run on the versions that are deployed. Extras stay in the
## locks (--no-strip-extras): pip's --require-hashes refuses a dependency asked for with extras ("CacheControl
## [filecache]>=0.13" of pip-audit) whose pin lacks them as soon as a newer release exists (pypa/pip#9644).
lock: install-dev
	$(VENV)/bin/uv pip compile requirements.txt --output-file requirements.lock $(LOCK_ARGS)
	$(VENV)/bin/uv pip compile requirements-dev.txt --constraint requirements.lock --output-file requirements-dev.lock \
		$(LOCK_ARGS)

## Serve the API on PORT (default 8000) with the shipped compact models.
run: install
	$(VENV)/bin/gunicorn -c gunicorn.conf.py service.wsgi:app

## Install test tools and run the whole suite (unit, API, real gunicorn, robustness, browser, training).
test: install-dev browser-deps
	$(PY) -m pytest -q tests

## Unit and API tests on the tiny fixture models only, for the edit-test loop (under 2 minutes on 2 cores).
test-fast: install-dev
	$(PY) -m pytest -q -m "$(FAST_TESTS)" tests

## Debian's headless Chromium for the demo page's browser test (tests/browser); apt-get only when it is missing.
browser-deps:
	@test -x /usr/bin/chromium || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; }

## Debian's Frog (with its Dutch models) for bench.ner_vs_frog, the tagger's speed next to Frog's NER; apt-get
## only when it is missing. Frog then runs offline.
bench-deps:
	@test -x /usr/bin/frog -a -f /usr/share/frog/nld/frog.cfg || { apt-get update && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y frog frogdata; }

## Speed benchmarks, about 15 min on an otherwise idle machine: bench/results/*.json, the plot, README tables.
bench: install-dev bench-deps
	$(PY) -m bench.coldstart
	$(PY) -m bench.throughput
	$(PY) -m bench.overhead
	$(PY) -m bench.batching
	$(PY) -m bench.memory
	$(PY) -m bench.scaling
	$(PY) -m bench.tuning
	$(PY) -m bench.ner_vs_frog
	$(PY) -m bench.ner_speed --quantize tagger,lm,char
	$(PY) -m bench.profile_request
	$(PY) -m bench.plot
	$(PY) -m bench.summary

## The annotated corpus (corpus/README.md): every span, label and article id valid against ../shared/data, or a
## non-zero exit naming each problem.
corpus-check: install
	$(PY) -m corpus.check

## The corpus sizes per split and the agreement between annotators, as one JSON object.
corpus-stats: install
	$(PY) -m corpus.stats

## The service as it stands, scored on the corpus dev split for every layer (where models and rules are chosen):
## bench/results/corpus_dev.json. The test split is read once per model, by hand: bench.corpus_accuracy --split test.
corpus-dev: install
	$(PY) -m bench.corpus_accuracy --split dev --out bench/results/corpus_dev.json \
		--per-article bench/results/corpus_dev_articles.jsonl

lint: install-dev
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

## Lint the Dockerfiles (hadolint) and scripts (shellcheck); validate the Kubernetes manifests against the API schemas.
lint-deploy: install-dev
	$(VENV)/bin/hadolint Dockerfile deploy/nginx/Dockerfile
	$(VENV)/bin/shellcheck docker/container-test.sh .ci/run
	$(VENV)/bin/kubernetes-validate --strict --quiet deploy/k8s/deployment.yaml deploy/k8s/service.yaml \
		deploy/k8s/hpa.yaml deploy/k8s/pdb.yaml

## Build the image (on a Debian base made here), run it behind the nginx gateway, POST the sample article through
## it and check the JSON; starts and stops its own dockerd if none runs (README "Deployment"). Needs root.
container-test: lint-deploy
	PY=$(PY) bash docker/container-test.sh

## 20 clients for 5 minutes on loopback with the dpgMedia articles and the shipped models: 0 errors and stable
## worker memory, or a non-zero exit (README "Operations"). Not part of `make test`.
soak: install-dev
	$(PY) -m bench.soak --clients 20 --duration 300

## Known vulnerabilities in every package installed from the locks (PyPI advisory data). --strict:
## a package that could not be checked fails the audit instead of passing silently (README "Operations").
audit: install-dev
	$(VENV)/bin/pip-audit --strict --local --progress-spinner off
