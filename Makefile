# Tenfold — the commands the README names. Everything installs into .venv from the lock file.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
# Packages are installed with their bytecode compiled: where PYTHONDONTWRITEBYTECODE is set,
# every process (each test worker, each command a test starts) would otherwise compile the
# whole of Django from source when it starts.
SYNC = UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --locked --inexact --compile-bytecode \
  --python $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/tenfold
# The tests roll back what they write; what they commit (the test databases, the few tests
# that commit) need not wait for the disk.
PG_TEST_URL = $(PG_URL)$(if $(findstring ?,$(PG_URL)),&,?)options=-c%20synchronous_commit%3Doff
# Test processes: one per core by default (pytest-xdist); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
# The slowest tests are listed at the end of each run, to keep the suite within its time.
PYTEST = $(BIN)/pytest -q -n $(TEST_WORKERS) --durations=20

.PHONY: demo serve install dev test test-sqlite test-postgres drill-postgres-restart lint typecheck check deploy-check security bytecode browser-deps pdf-deps messages screenshots clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || \
	  { echo "Tenfold needs Python 3.12 or newer (found $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==0.13.9

# EXTRAS="--extra semantic" adds the offline semantic help (likely parents, near-duplicates).
EXTRAS ?=
install: $(BIN)/python
	$(SYNC) --no-dev $(EXTRAS)

dev: $(BIN)/python
	$(SYNC) --extra semantic

## make demo: install, build a fresh demo organization on SQLite and serve it on $(HOST):$(PORT)
## (with the optional semantic help, so the demo shows all of the coach)
demo: EXTRAS = --extra semantic
demo: install
	$(BIN)/tenfold demo --serve --host $(HOST) --port $(PORT)

## make serve: serve the existing database (migrating it first)
serve: install
	$(BIN)/tenfold migrate --no-input
	$(BIN)/tenfold serve --host $(HOST) --port $(PORT)

## make test: the whole suite (unit, views, commands, browser) on SQLite
test: dev browser-deps pdf-deps bytecode
	$(PYTEST)

test-sqlite: dev pdf-deps bytecode
	$(PYTEST)

## make test-postgres: the suite again on PostgreSQL ($(PG_URL))
test-postgres: dev browser-deps pdf-deps bytecode
	# tenfold/lib holds pure functions without a database: the SQLite run covers them. So do
	# the browser journeys and the role-by-page permission matrices (the whole site's, and each
	# app's `test_each_persona_gets_the_status_the_matrix_says`): they drive pages through the
	# same queries the rest of this run checks on PostgreSQL, and running them twice would push
	# CI past its time.
	DATABASE_URL='$(PG_TEST_URL)' $(PYTEST) --ignore=tenfold/lib \
	  --ignore=tenfold/web/tests/test_permission_matrix.py -m "not browser" \
	  -k "not each_persona_gets_the_status_the_matrix_says"

## make drill-postgres-restart: restart PostgreSQL for real (pg_ctlcluster, as root) while the
## server is under load: 503 meanwhile, no 500, the same server processes recover, no
## acknowledged check-in lost. The restart cuts off anything else using the cluster, so it runs
## alone, in one process
drill-postgres-restart: dev bytecode
	TENFOLD_PG_RESTART_DRILL=1 DATABASE_URL='$(PG_TEST_URL)' $(BIN)/pytest -q -s -n 0 \
	  tenfold/db/tests/test_postgres_real_restart.py

# Tenfold's own modules compiled ahead, for the same reason as the packages (see SYNC).
bytecode: dev
	$(BIN)/python -m compileall -q -j 0 tenfold

# Debian's Chromium, and axe-core (npm, pinned by package-lock.json) that the accessibility
# tests run in it; npm ci again only when the lock file is newer than the installed tree.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's Chromium for the browser tests…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "Could not install chromium: browser tests will be skipped."; }
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Node.js and npm for the accessibility checks…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null) \
	  || echo "Could not install npm: the accessibility tests will be skipped."; }
	@if command -v npm >/dev/null 2>&1; then \
	  [ node_modules/.package-lock.json -nt package-lock.json ] \
	  || npm ci --no-audit --no-fund --loglevel=error; fi

## make screenshots: take the user guide's pictures again (docs/images/) from the demo
## organization: the screenshot test with TENFOLD_SCREENSHOTS_TO_DOCS=1 copies them there, then
## optipng (Debian's, installed here only: CI never runs this) shrinks them without loss
screenshots: dev browser-deps
	@command -v optipng >/dev/null 2>&1 || { \
	  echo "Installing optipng to compress the pictures…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq optipng >/dev/null) \
	  || echo "Could not install optipng: the pictures stay uncompressed."; }
	TENFOLD_SCREENSHOTS_TO_DOCS=1 $(BIN)/pytest -q -s -n 0 \
	  tenfold/web/tests/browser/test_screenshots.py -k pictured
	@if command -v optipng >/dev/null 2>&1; then \
	  ls docs/images/*.png | xargs -P 2 -n 4 optipng -quiet -o2; fi
	@du -ch docs/images/*.png | tail -1

## make pdf-deps: the Debian libraries WeasyPrint loads to render review reports as PDF
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf-deps:
	@missing=$$(for p in $(PDF_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	[ -z "$$missing" ] || { \
	  echo "Installing the libraries for PDF reports: $$missing"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	  || echo "Could not install $$missing: PDF tests will be skipped."; }

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: dev
	$(BIN)/mypy tenfold

check: dev
	$(BIN)/tenfold check --fail-level WARNING
	$(BIN)/tenfold makemigrations --check --dry-run

## make deploy-check: Django's deployment checks under the HTTPS profile of a server behind a
## TLS proxy (README, "Running it for real"), in a clean environment: no warning may remain
deploy-check: dev
	@data=$$(mktemp -d) && trap 'rm -rf "$$data"' EXIT && \
	env -i PATH="$$PATH" LANG=C.UTF-8 TENFOLD_ENV_FILE=/dev/null TENFOLD_DATA_DIR="$$data" \
	  BEHIND_TLS_PROXY=1 ALLOWED_HOSTS=okr.example.com \
	  CSRF_TRUSTED_ORIGINS=https://okr.example.com SITE_URL=https://okr.example.com \
	  EMAIL_HOST=smtp.example.com \
	  SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
	  $(BIN)/tenfold check --deploy --fail-level WARNING

## make security: bandit over tenfold/ (fails on high severity), Tenfold's semgrep rules
## (.semgrep/, fail on any finding) and uv.lock against the kept advisory snapshot
## (security/); all offline (docs/development.md, "Security checks")
security: dev
	$(BIN)/python -m tenfold.devtools.run_bandit -c pyproject.toml -r tenfold --severity-level high
	$(BIN)/semgrep scan --config .semgrep/ --metrics=off --disable-version-check --error tenfold
	$(BIN)/python -m tenfold.devtools.advisories check

## make messages: refresh the translation catalogues (needs gettext) and compile them
messages: dev
	cd tenfold && ../$(BIN)/tenfold makemessages -l zh_Hans -l es --no-obsolete \
	  --ignore 'tests/*' --ignore '*/tests/*' --add-location file
	cd tenfold && ../$(BIN)/tenfold compilemessages

clean:
	rm -rf $(VENV) var test-artifacts
