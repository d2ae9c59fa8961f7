# The commands of the README:
#   make api          run the API at http://127.0.0.1:3000/api (installs what it needs first)
#   make test         lint + every test + both RealWorld conformance suites (what CI runs)
#   make check        the fast loop: lint + unit, template, build and local-runtime tests (under a minute)
#   make build-twin   the x86_64 twin of `sam build` + its import check (scripts/build-twin; incremental)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: api api-seeded test check lint unit suites install clean build-twin

$(STAMP): requirements-dev.txt layers/conduit/requirements.txt layers/conduit/requirements-no-deps.txt \
		layers/graphql/requirements.txt functions/docs_assets/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

api: $(STAMP)
	$(PY) -m localapi serve --seed

test: $(STAMP)
	bash scripts/test-all

check: $(STAMP)
	bash scripts/check

build-twin: $(STAMP)
	bash scripts/build-twin

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) .aws-sam
