# Two commands for a newcomer: `make` (install what is missing, run the pipeline) and `make test`.
# Every target is a thin call of the `surveykit` command (src/surveykit/app/cli.py), which works without make or bash:
# `python -m surveykit …` is that command, run by the project's virtual environment.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORES ?= 2

.PHONY: all pipeline cluster cluster-test-packages study decisions check test browser office bench lint lock report clean-results

all: pipeline

$(STAMP): requirements.txt requirements-cluster.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@# The SLURM executor plugin probes SLURM whenever Snakemake loads it: it lives outside the venv's site-packages,
	@# in $(VENV)/cluster-plugins, which only `make cluster` puts on PYTHONPATH (a venv that had it is cleaned).
	$(BIN)/python -m pip uninstall --quiet --disable-pip-version-check -y snakemake-executor-plugin-slurm snakemake-executor-plugin-slurm-jobstep 2>/dev/null || true
	rm -rf $(VENV)/cluster-plugins
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --target $(VENV)/cluster-plugins -r requirements-cluster.txt
	@# The package itself, as a real editable install (its dependencies are the pinned ones above); an older
	@# checkout's hand-written surveykit_src.pth is removed.
	$(BIN)/python -c "import pathlib, sysconfig; pathlib.Path(sysconfig.get_paths()['purelib'], 'surveykit_src.pth').unlink(missing_ok=True)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

# Recovers by itself from an interrupted run: a stale lock (no other run alive) is removed, unfinished files are
# computed again (--rerun-incomplete); the console says so (see surveykit/app/pipeline.py and README, Safety).
override CORES := $(value CORES)
pipeline report: export SURVEYKIT_CORES := $(CORES)
pipeline: $(STAMP)
	$(BIN)/python -m surveykit run --from-environment

# The pipeline on a SLURM cluster, from a login node: SLURM_PARTITION=<partition> SLURM_ACCOUNT=<account> make cluster
# (both optional: else the cluster's default partition and your usual account; see README, Running on a cluster).
cluster: $(STAMP)
	$(BIN)/python -m surveykit.app.cluster

# Debian's SLURM, munge and MariaDB start a single-node SLURM cluster in a test (tests/cluster/); installed when
# missing and apt is usable (root).
CLUSTER_PACKAGES := slurm-wlm slurmdbd munge mariadb-server
cluster-test-packages:
	@{ command -v slurmctld && command -v slurmdbd && command -v munged && command -v mariadbd; } >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(CLUSTER_PACKAGES) >/dev/null) || \
	  echo "$(CLUSTER_PACKAGES) not installed: the SLURM cluster test will be skipped"; }

# Draft a study from its export: make study EXPORT=<file> STUDY=<name> WAVE=<wave> [LABEL=<text>] [FORCE=1]
# (writes data/studies/<name>/, declares the study and the wave in config.yaml; then `make`).
# The arguments are data, never code: `$(value …)` takes them as typed (make does not expand a `$(shell …)` in
# them), they reach Python through the environment (SURVEYKIT_*), and no shell ever reads them.
override EXPORT := $(value EXPORT)
override STUDY := $(value STUDY)
override WAVE := $(value WAVE)
override LABEL := $(value LABEL)
override FORCE := $(value FORCE)
study: export SURVEYKIT_EXPORT := $(EXPORT)
study: export SURVEYKIT_STUDY := $(STUDY)
study: export SURVEYKIT_WAVE := $(WAVE)
study: export SURVEYKIT_LABEL := $(LABEL)
study: export SURVEYKIT_FORCE := $(FORCE)
study: $(STAMP)
	$(BIN)/python -m surveykit study --from-environment

# Merge a filled coding sheet into the coder's decisions (never replaces them; see README, Adding a wave):
# make decisions SHEET=<filled coding_sheet.xlsx> STUDY=<study> WAVE=<wave> CODER=<initials>
override SHEET := $(value SHEET)
override CODER := $(value CODER)
decisions: export SURVEYKIT_SHEET := $(SHEET)
decisions: export SURVEYKIT_STUDY := $(STUDY)
decisions: export SURVEYKIT_WAVE := $(WAVE)
decisions: export SURVEYKIT_CODER := $(CODER)
decisions: $(STAMP)
	$(BIN)/python -m surveykit decisions --from-environment

# Debian's Chromium opens the HTML chapter in a test; installed when missing and apt is usable (root).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
	  echo "chromium not installed: the headless-browser test will be skipped"; }

# Debian's LibreOffice Writer (no GUI), poppler and the Liberation fonts (metric twins of Times New Roman) turn
# the Word chapters into PDF pages in a test, and LibreOffice Calc opens tableaux.xlsx and the `;` CSVs in another;
# installed when missing and apt is usable (root).
OFFICE_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-liberation2
office:
	@{ command -v soffice && command -v pdftotext && ls /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf \
	  && ls /usr/lib/libreoffice/program/libsclo.so; } >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(OFFICE_PACKAGES) >/dev/null) || \
	  echo "$(OFFICE_PACKAGES) not installed: the tests that print the Word chapters to PDF or open the tables in Calc will be skipped"; }

check: $(STAMP)
	$(BIN)/python -m surveykit check

test: $(STAMP) browser office cluster-test-packages
	$(BIN)/python -m pytest -q

# Style: ruff, snakefmt --check and snakemake --lint (only its accepted conda lint), as CI runs them (.ci/run).
lint: $(STAMP)
	$(BIN)/python .ci/lint.py

report: $(STAMP)
	$(BIN)/python -m surveykit report --from-environment

bench: $(STAMP)
	$(BIN)/python -m surveykit bench

# Re-resolve the pinned environment from the direct dependencies (requirements.in).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements.in
	{ echo "# Pinned environment (all transitive dependencies). Regenerate with: make lock"; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v -i -E '^(pip|setuptools|wheel)=='; } > requirements.txt

clean-results:
	rm -rf results manuscript/build .snakemake
