# Two commands on a fresh machine: `make run` then `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install schemas clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/swfacts run corpus/seeds --db outputs/facts.db

test: $(STAMP)
	$(PY) -m pytest -q

schemas: $(STAMP)
	$(VENV)/bin/swfacts schemas --out schemas

clean:
	rm -rf $(VENV) outputs/*.db outputs/*.db-*
