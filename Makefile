# Two commands on a fresh machine:  `make run` (the main job on the embedded world)  and  `make test`.
# Both create .venv on first use; torch is installed first, pinned to the CPU build.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
TEST_WORKERS ?= 2

.PHONY: run test test-slow lint clean-cache

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --upgrade pip
	$(VENV)/bin/pip install torch==2.13.0
	$(VENV)/bin/pip install -e '.[dev,dask,ann]'  # dask, ann: the engine=dask and faiss tests run too
	touch $@

run: $(VENV)/.installed
	$(PY) -m ltr.train
	$(PY) -m ltr.predict split=blind_b

test: $(VENV)/.installed           # two pytest-xdist workers, a test file each at a time; TEST_WORKERS=0: all in this process
	$(PY) -m pytest -m "not slow" -n $(TEST_WORKERS) --dist loadfile

test-slow: $(VENV)/.installed      # the tests marked slow (Dask cluster, notebooks, child-process commands); CI runs both
	$(PY) -m pytest -m slow

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check ltr features tests

clean-cache:
	rm -rf outputs/cache
