"""The benchmark: median server time and SQL statements of every main page, at two scales.

Run by ``make bench`` (not collected by pytest: no ``test_`` name). For each engine (SQLite,
and PostgreSQL when MESTRING_BENCH_DATABASE_URL is set) and scale (small, oslo) it builds a
database with the migrations and ``mestring.generator`` (and, on PostgreSQL, ANALYZE, as
autovacuum would), signs in as each role, fetches each page repeatedly through the test client,
times a coordinator's CSV import (preview and confirmation) and writes tests/perf/RESULTS.md
and results.json. The floor is a page that renders the base layout and nothing else,
registered here only. Every SELECT a page runs is explained (EXPLAIN QUERY PLAN on SQLite,
EXPLAIN on PostgreSQL) and any full scan of a table of more than LARGE_TABLE rows is listed.
tests/perf/instances.json, written by the several-instances load test, is shown when present.
"""

from __future__ import annotations

import gc
import io
import json
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, render_template
from flask.testing import FlaskClient
from flask_migrate import upgrade

from mestring import create_app
from mestring.core.cache import EXTENSION
from mestring.core.time import now_utc
from mestring.demo import DEMO_PASSWORD, DISTRICT_NAME
from mestring.extensions import db
from mestring.generator import generate
from tests.perf.pages import ImportCase, Page, import_case, main_pages

HERE = Path(__file__).parent
REPEATS = {"small": 21, "oslo": 21}
# Requests before the timed ones: a server's worker has served its pages many times. On
# PostgreSQL, psycopg prepares a statement at its fifth run on a connection and the server plans
# the first five runs of a prepared statement for their values before it settles on one plan.
WARM_UPS = 12
FLOOR = "floor (base layout)"
FLOOR_URL = "/_bench/floor"
EXPORTS = ("export csv", "export xlsx")
CACHED_PAGES = ("coordinator: outcomes", "analyst: start", "analyst: outcomes")
UNCACHED = "not cached"
LARGE_TABLE = 1000
TOKEN = re.compile(r'name="token"[^>]*value="([^"]+)"')


@dataclass(frozen=True)
class Row:
    page: str
    engine: str
    scale: str
    median_ms: float
    queries: int
    ratio_to_floor: float


@dataclass(frozen=True)
class Scan:
    engine: str
    scale: str
    page: str
    table: str
    statement: str


@dataclass(frozen=True)
class Replanned:
    """A prepared statement that PostgreSQL planned for its values at every run."""

    scale: str
    page: str
    statement: str


@dataclass(frozen=True)
class Run:
    rows: list[Row]
    scans: list[Scan]
    replanned: list[Replanned]
    note: str


class Statements:
    """Counts the statements run on the engine and keeps those of the request being watched."""

    def __init__(self) -> None:
        self.count = 0
        self.watching = False
        self.seen: list[tuple[str, Any]] = []

    def __call__(self, _conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        self.count += 1
        if self.watching:
            self.seen.append((statement, params))

    def watch(self) -> None:
        self.watching, self.seen = True, []

    def stop(self) -> list[tuple[str, Any]]:
        self.watching = False
        return self.seen


def cache_of(app: Flask) -> Any:
    return app.extensions[EXTENSION]


def _reset_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def _app(url: str) -> Flask:
    app = create_app(
        {
            "TESTING": False,
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
        }
    )

    # Compiled once, as the app's own templates are.
    layout = app.jinja_env.from_string('{% extends "base.html" %}')

    def floor() -> str:
        return render_template(layout)

    app.add_url_rule(FLOOR_URL, "bench_floor", floor)
    return app


@dataclass(frozen=True)
class Measured:
    median_ms: float
    queries: int  # the most of any repeat
    ratio_to_floor: float


def _timed(fetch: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    response = fetch()
    return response, (time.perf_counter() - started) * 1000


def _measure(
    client: FlaskClient,
    request: dict[str, Any],
    repeats: int,
    statements: Statements,
    floor: FlaskClient | None,
) -> tuple[Measured, list[tuple[str, Any]]]:
    """The page's figures and the statements of its first request. With a ``floor`` client,
    every repeat first times the floor page: the ratio is the median of the page's time over
    the floor's just before it, as this machine's speed drifts over seconds."""
    expected = request.pop("expected", 200)
    uncached = request.pop("uncached", False)

    def fetch() -> Any:
        if uncached:
            cache_of(client.application).clear()
        data = request.get("data")
        if callable(data):
            return client.post(request["url"], data=data(), content_type="multipart/form-data")
        if data is not None:
            return client.post(request["url"], data=data)
        return client.get(request["url"])

    statements.watch()
    response = fetch()
    seen = statements.stop()
    assert response.status_code == expected, (request["url"], response.status_code)
    for _ in range(WARM_UPS - 1):
        fetch()
    times, counts, ratios = [], [], []
    for _ in range(repeats):
        floor_ms = _timed(lambda: floor.get(FLOOR_URL))[1] if floor else None
        statements.count = 0
        response, ms = _timed(fetch)
        times.append(ms)
        counts.append(statements.count)
        ratios.append(ms / floor_ms if floor_ms else 1.0)
        assert response.status_code == expected, (request["url"], response.status_code)
    measured = Measured(statistics.median(times), max(counts), statistics.median(ratios))
    return measured, seen


def _print(name: str, measured: Measured) -> None:
    print(
        f"  {name:44} {measured.median_ms:8.1f} ms {measured.queries:3} q"
        f" {measured.ratio_to_floor:6.2f}×",
        flush=True,
    )


def _table_sizes() -> dict[str, int]:
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table)) or 0
        for table in db.metadata.sorted_tables
    }


ALIAS = re.compile(r"\b(?:FROM|JOIN)\s+(\w+)\s+AS\s+(\w+)", re.IGNORECASE)


def _scans(engine: str, statement: str, params: Any, sizes: dict[str, int]) -> list[str]:
    """The large tables that the statement's plan reads whole."""
    connection = db.session.connection()
    found = []
    if engine == "sqlite":
        aliases = {alias: table for table, alias in ALIAS.findall(statement)}
        for *_ids, detail in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params):
            match = re.fullmatch(r"SCAN (\w+)", detail)
            if match:
                table = aliases.get(match[1], str(match[1]))
                if sizes.get(table, 0) > LARGE_TABLE:
                    found.append(table)
    else:
        for (line,) in connection.exec_driver_sql("EXPLAIN " + statement, params):
            match = re.search(r"Seq Scan on (\w+)", line)
            if match and sizes.get(str(match[1]), 0) > LARGE_TABLE:
                found.append(str(match[1]))
    db.session.rollback()
    return found


# The statements the connection has prepared that PostgreSQL has planned for their values at
# every run since (custom plans): its generic plan looked dearer. They pay the planning on every
# request. (This statement has no parameters: its one plan is generic.)
_REPLANNED = (
    "SELECT statement FROM pg_prepared_statements"
    " WHERE generic_plans = 0 AND custom_plans >= 5 ORDER BY statement"
)


def _replanned() -> set[str]:
    """The prepared statements of the app's connection that are planned at every run (the
    test client serves one request at a time, on one pooled connection)."""
    with db.engine.connect() as connection:
        found = connection.exec_driver_sql(_REPLANNED)
        return {" ".join(statement.split()) for (statement,) in found}


def _import_requests(case: ImportCase) -> list[tuple[str, str, dict[str, Any]]]:
    def upload(body: bytes) -> Any:
        return lambda: {"school": str(case.school_id), "file": (io.BytesIO(body), "fravaer.csv")}

    return [
        (
            "import: preview, 2,000 rows with errors",
            case.email,
            {"url": "/outcomes/import", "data": upload(case.full), "expected": 400},
        ),
        (
            "import: preview, valid rows",
            case.email,
            {"url": "/outcomes/import", "data": upload(case.valid)},
        ),
    ]


def bench(engine: str, url: str, scale: str) -> Run:
    app = _app(url)
    statements = Statements()
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        generate(db.session, scale=scale, seed=2026, now=now_utc())
        db.session.commit()
        if engine == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")
        print(f"{engine}/{scale}: generated in {time.perf_counter() - started:.1f} s", flush=True)
        pages = main_pages(db.session, DISTRICT_NAME)
        case = import_case(db.session, DISTRICT_NAME)
        db.session.commit()
        sizes = _table_sizes()
        sa.event.listen(db.engine, "before_cursor_execute", statements)
    # The generator's leftovers are no part of a server: collected, and what remains kept out
    # of the collector's way, so that its pauses do not land on the first pages measured.
    gc.collect()
    gc.freeze()
    clients: dict[str, FlaskClient] = {"": app.test_client()}
    for email in {page.email for page in pages if page.email}:
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        clients[email] = client
    coordinator = next(p.email for p in pages if p.name.startswith("coordinator"))
    requests = [
        (page.name, page.email, {"url": page.url})
        for page in [Page(FLOOR, coordinator, FLOOR_URL), *pages]
    ]
    # The first request after a change: the figures computed and rendered, not cached.
    requests += [
        (f"{page.name}, {UNCACHED}", page.email, {"url": page.url, "uncached": True})
        for page in pages
        if page.name in CACHED_PAGES
    ]
    requests += _import_requests(case)
    measured: dict[str, Measured] = {}
    seen = {}
    replanned: dict[str, str] = {}  # statement -> the first page that ran it
    floor = clients[coordinator]
    for name, email, request in requests:
        measured[name], seen[name] = _measure(
            clients[email], request, REPEATS[scale], statements, None if name == FLOOR else floor
        )
        _print(name, measured[name])
        if engine == "postgresql":
            with app.app_context():
                for statement in _replanned():
                    replanned.setdefault(statement, name)
    # The confirmation writes: timed last, each time saving the same previewed rows again.
    client = clients[case.email]
    response = client.post(
        "/outcomes/import",
        data={"school": str(case.school_id), "file": (io.BytesIO(case.valid), "fravaer.csv")},
        content_type="multipart/form-data",
    )
    token = TOKEN.search(response.get_data(as_text=True))
    assert token, "the preview has no confirmation"
    name = "import: confirm, valid rows"
    confirm = {"school": str(case.school_id), "token": token[1], "overwrite": "y"}
    measured[name], seen[name] = _measure(
        client,
        {"url": "/outcomes/import/confirm", "data": confirm, "expected": 302},
        REPEATS[scale],
        statements,
        floor,
    )
    _print(name, measured[name])
    scans = []
    with app.app_context():
        sa.event.remove(db.engine, "before_cursor_execute", statements)
        for page, run in seen.items():
            for statement, params in run:
                if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                if isinstance(params, list):
                    continue
                for table in _scans(engine, statement, params, sizes):
                    scans.append(Scan(engine, scale, page, table, " ".join(statement.split())))
        db.engine.dispose()
    gc.unfreeze()
    rows = [
        Row(name, engine, scale, round(m.median_ms, 1), m.queries, round(m.ratio_to_floor, 2))
        for name, m in measured.items()
    ]
    note = (
        f"{engine} {scale}: {case.valid_rows} valid rows (every placed pupil and period of the "
        f"school with the most placed pupils), filled up to {case.full_rows}."
    )
    again = [Replanned(scale, page, statement) for statement, page in replanned.items()]
    return Run(rows, scans, again, note)


INTRO = f"""# Benchmark of the main pages

Made by `make bench` (tests/perf/bench.py): median server time over repeated requests
through the Flask test client, after {WARM_UPS} untimed ones, the number of SQL statements, and
the time as a multiple of the floor page (the base layout alone, its template compiled once
as the app's own are). The machine's speed drifts by up to 2× within seconds, so the
multiple is the median, over the repeats, of the page's time divided by that of a floor
request made just before it. Targets: at most 15
statements, the same at both scales; at oslo scale at most 3× the floor, except the exports
and the import, which stay under 1 s. PostgreSQL is ANALYZEd after the data is generated; psycopg
prepares a statement on the server from a connection's fifth run of it on, and a request that
wrote nothing ends with COMMIT, which keeps it (mestring/core/transactions.py). The untimed
requests take the page through that and through the server's first plans of its prepared
statements, so the median is that of a worker whose connection has served the page before.

The outcome figures are computed by the database (one statement for the placements' figures
of every table, one for the referrals) and the rendered tables cached under a key that changes
with every write behind them and when a session starts (mestring/outcomes/freshness.py). Pages
marked "not cached" clear the cache before every request: the first request after a change."""


def _import_notes(notes: list[str]) -> list[str]:
    return [
        "## The CSV import",
        "",
        "A coordinator's upload through the real views: the preview parses, checks every row",
        "against the database (a fixed number of batched lookups) and renders the row report; the",
        "confirmation checks the rows again and saves them all (updating the periods saved by the",
        "previous repeat). A school holds at most three periods per placed pupil, so the file of",
        "2,000 rows is the valid rows followed by pupils of other schools, reported as errors:",
        "",
        *(f"- {note}" for note in notes),
        "",
    ]


def _scan_notes(scans: list[Scan]) -> list[str]:
    lines = [
        "## Full scans of large tables",
        "",
        "Every SELECT of every page above, explained; listed when its plan reads a whole table of",
        f"more than {LARGE_TABLE} rows (SQLite `SCAN <table>` without an index, PostgreSQL",
        "`Seq Scan`).",
        "",
    ]
    if not scans:
        return [*lines, "None.", ""]
    found: dict[tuple[str, str, str], tuple[list[str], str]] = {}
    for scan in scans:
        key = (scan.engine, scan.scale, scan.table)
        pages, _statement = found.setdefault(key, ([], scan.statement))
        if scan.page not in pages:
            pages.append(scan.page)
    lines += ["| engine, scale | table | pages | e.g. |", "|---|---|---|---|"]
    for (engine, scale, table), (pages, statement) in found.items():
        example = statement[:90].replace("|", "\\|")
        lines.append(f"| {engine} {scale} | {table} | {', '.join(pages)} | `{example}…` |")
    if any(scan.engine == "postgresql" for scan in scans):
        lines += [
            "",
            "PostgreSQL's planner chooses these scans for hash joins over tables that are small",
            "(groups: about 1,500 rows) or that are read for a whole district anyway (the outcome",
            "figures read every placement of the district); the filters they serve have indexes,",
            "which SQLite uses for the same statements.",
        ]
    return [*lines, ""]


def _instances() -> list[str]:
    path = HERE / "instances.json"
    if not path.exists():
        return []
    run = json.loads(path.read_text())
    return [
        "## Several instances",
        "",
        f"{run['instances']} gunicorn instances × {run['workers_per_instance']} workers on "
        f"{run['engine']}, {run['clients']} clients on loopback, {run['date']}:",
        "",
        "| requests | errors | seconds | throughput (requests/s) | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|",
        f"| {run['requests']} | {run['errors']} | {run['seconds']} | {run['throughput_rps']} "
        f"| {run['p50_ms']} | {run['p95_ms']} |",
        "",
    ]


def _replanned_notes(replanned: list[Replanned]) -> list[str]:
    lines = [
        "## Statements planned on every request (PostgreSQL)",
        "",
        "psycopg prepares a statement from its fifth run on a connection; PostgreSQL then plans it",
        "once for all values (a generic plan) unless that plan's estimate is dearer than those of",
        "the plans it makes for each run's values. These prepared statements were planned for",
        "their values at every run, by the first page that ran them:",
        "",
    ]
    if not replanned:
        return [*lines, "None.", ""]
    lines += ["| scale | page | statement |", "|---|---|---|"]
    for found in replanned:
        example = found.statement[:110].replace("|", "\\|")
        lines.append(f"| {found.scale} | {found.page} | `{example}…` |")
    return [*lines, ""]


def _exempt(page: str) -> bool:
    """Pages the 3× target leaves out: the exports and the import, held to 1 s instead, and the
    first request after a change, whose figures are computed rather than cached."""
    return page.endswith(EXPORTS) or page.startswith("import:") or page.endswith(UNCACHED)


def _targets(engine: str, rows: list[Row]) -> str:
    """The targets, as this run meets them on ``engine``."""
    oslo = [r for r in rows if r.scale == "oslo" and r.page != FLOOR]
    held = max((r for r in oslo if not _exempt(r.page)), key=lambda r: r.ratio_to_floor)
    slowest = max(
        (r for r in oslo if _exempt(r.page) and UNCACHED not in r.page), key=lambda r: r.median_ms
    )
    queries = {(r.page, r.scale): r.queries for r in rows}
    same = all(queries.get((page, "small")) == n for (page, scale), n in queries.items())
    return (
        f"{engine} at oslo scale: the slowest page held to 3× the floor is {held.page} at "
        f"{held.ratio_to_floor}×; the slowest export or import, {slowest.page}, takes "
        f"{slowest.median_ms} ms; every page runs at most {max(queries.values())} statements, "
        f"{'the same number' if same else 'NOT the same number'} at both scales."
    )


def _markdown(runs: list[Run]) -> str:
    rows = [row for run in runs for row in run.rows]
    scans = [scan for run in runs for scan in run.scans]
    replanned = [found for run in runs for found in run.replanned]
    notes = [run.note for run in runs]
    by_key = {(r.engine, r.scale, r.page): r for r in rows}
    columns = sorted({(r.engine, r.scale) for r in rows}, key=lambda c: (c[0] != "sqlite", c))
    pages = list(dict.fromkeys(r.page for r in rows))
    head = " | ".join(f"{e} {s}: ms / q / ×floor" for e, s in columns)
    lines = [INTRO, "", f"| page | {head} |", "|---|" + "---|" * len(columns)]
    for page in pages:
        cells = []
        for engine, scale in columns:
            row = by_key.get((engine, scale, page))
            cells.append(f"{row.median_ms} / {row.queries} / {row.ratio_to_floor}" if row else "–")
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    lines.append("")
    for engine, scale in columns:
        if scale == "oslo":
            lines += [_targets(engine, [r for r in rows if r.engine == engine]), ""]
    lines += _import_notes(notes) + _scan_notes(scans) + _replanned_notes(replanned)
    lines += _instances()
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    engines = [("sqlite", "")]
    if postgres := os.environ.get("MESTRING_BENCH_DATABASE_URL", ""):
        engines.append(("postgresql", postgres))
    scales = sys.argv[1:] or ["small", "oslo"]
    runs: list[Run] = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["MESTRING_INSTANCE_PATH"] = tmp
        for engine, url in engines:
            for scale in scales:
                if engine == "sqlite":
                    url = f"sqlite:///{tmp}/bench-{scale}.sqlite"
                else:
                    _reset_postgres(url)
                runs.append(bench(engine, url, scale))
    rows = [asdict(row) for run in runs for row in run.rows]
    (HERE / "results.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
    (HERE / "RESULTS.md").write_text(_markdown(runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
