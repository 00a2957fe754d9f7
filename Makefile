# Two commands matter: `make book` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_SYS ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.pins-installed

.PHONY: help venv book test lint bench student pdf lab grade clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# (Re)install only when the pins in environment.yml (or the package metadata) changed.
$(STAMP): environment.yml pyproject.toml tools/pins.py
	@test -x $(PY) || { echo "creating $(VENV) with $(PYTHON_SYS)"; $(PYTHON_SYS) -m venv $(VENV); }
	@$(PYTHON_SYS) tools/pins.py environment.yml > $(VENV)/requirements.txt
	@if [ -f $(STAMP) ] && cmp -s $(VENV)/requirements.txt $(STAMP) && $(PY) -c 'import blina' 2>/dev/null; then \
		echo "pins unchanged: $(VENV) is up to date"; touch $(STAMP); \
	else \
		echo "installing the pinned environment into $(VENV)"; \
		$(PY) -m pip install --quiet --upgrade pip && \
		$(PY) -m pip install --quiet -r $(VENV)/requirements.txt && \
		cp $(VENV)/requirements.txt $(STAMP); \
	fi

venv: $(STAMP) ## create or update .venv from environment.yml's pins

# `exec`: the shell becomes the build, so a SIGTERM or Ctrl-C that make passes on reaches it
# (it stops Sphinx and the kernels). BOOK_ARGS: extra options, e.g. BOOK_ARGS="--jobs 1".
BOOK_ARGS ?=

book: $(STAMP) ## build the HTML book into _build/html (executes chapters, cached)
	exec $(PY) -m tools.book.build $(BOOK_ARGS)

test: $(STAMP) ## run the whole test suite, including a full book build
	$(PY) -m pytest

lint: $(STAMP) ## ruff over the package, tests, tools and benchmarks
	$(PY) -m ruff check src tests tools bench

student: $(STAMP) ## build the student edition (no solutions) into _build/student
	exec $(PY) -m tools.book.student $(BOOK_ARGS)

pdf: $(STAMP) ## build the whole book as one PDF into _build/pdf (needs TeX Live, see .ci/run)
	exec $(PY) -m tools.book.pdf $(BOOK_ARGS)

lab: $(STAMP) ## start JupyterLab from .venv on the book (chapters open as notebooks)
	$(PY) -m blina.lab

# SUBMISSIONS: folder of returned student notebooks; OUT (default SUBMISSIONS/graded); TIMEOUT (s)
grade: $(STAMP) ## grade returned notebooks: make grade SUBMISSIONS=DIR [OUT=DIR] [TIMEOUT=120]
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=DIR [OUT=DIR] [TIMEOUT=s]" >&2; exit 2; }
	$(PY) -m tools.book.grade "$(SUBMISSIONS)" $(if $(OUT),--out "$(OUT)") $(if $(TIMEOUT),--timeout $(TIMEOUT))

bench: $(STAMP) ## benchmarks: inverse KM solver, book build, statistics and loaders on large inputs
	$(PY) bench/run.py

clean: ## remove the build output and the execution cache
	rm -rf _build
