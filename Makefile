# The two commands of the README: `make run` (the pipeline on raw/ into output/, with its
# review site) and `make test`. Each makes .venv and installs the project with its test
# extra first when .venv is missing or older than pyproject.toml.
# The first Python from 3.11 up that runs (a version manager's shim may name one that does not).
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3.11 python3; do \
            $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$p; exit; }; \
          done; echo python3)
VENV := .venv
INSTALLED := $(VENV)/.installed

# Refuse an old Python at once, in one line, before minutes of installing.
PYTHON_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
ifeq ($(shell $(PYTHON) -c 'import sys; print(int(sys.version_info >= (3, 11)))' 2>/dev/null),1)
else
$(error briefing-pipeline needs Python 3.11 or newer; found $(if $(PYTHON_VERSION),$(PYTHON_VERSION) ($(PYTHON)),no python3): install one, or name it with make PYTHON=/path/to/python3.11)
endif

.PHONY: run test
run: $(INSTALLED)
	$(VENV)/bin/python -m pipeline run raw/ --out output/ --review

test: $(INSTALLED)
	$(VENV)/bin/python -m pytest

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	touch $@
