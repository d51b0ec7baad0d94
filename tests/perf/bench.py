"""The benchmark: median server time and SQL statements of every main page, at two scales.

Run by ``make bench`` (not collected by pytest: no ``test_`` name). For each engine (SQLite,
and PostgreSQL when MESTRING_BENCH_DATABASE_URL is set) and scale (small, oslo) it builds a
database with the migrations and ``mestring.generator``, signs in as each role, fetches each
page repeatedly through the test client and writes tests/perf/RESULTS.md and results.json.
The floor is a page that renders the base layout and nothing else, registered here only.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from flask_migrate import upgrade

from mestring import create_app
from mestring.core.time import now_utc
from mestring.demo import DEMO_PASSWORD, DISTRICT_NAME
from mestring.extensions import db
from mestring.generator import generate
from tests.perf.pages import Page, main_pages

HERE = Path(__file__).parent
REPEATS = {"small": 15, "oslo": 9}
FLOOR = "floor (base layout)"
EXPORTS = ("export csv", "export xlsx")


@dataclass(frozen=True)
class Row:
    page: str
    engine: str
    scale: str
    median_ms: float
    queries: int
    ratio_to_floor: float


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

    def floor() -> str:
        return render_template_string('{% extends "base.html" %}')

    app.add_url_rule("/_bench/floor", "bench_floor", floor)
    return app


def _measure(
    app: Flask, client: FlaskClient, url: str, repeats: int, counter: list[int]
) -> tuple[float, int]:
    response = client.get(url)  # warm-up: caches, compiled statements
    assert response.status_code == 200, (url, response.status_code)
    times, counts = [], []
    for _ in range(repeats):
        counter[0] = 0
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        counts.append(counter[0])
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), max(counts)


def bench(engine: str, url: str, scale: str) -> list[Row]:
    app = _app(url)
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        generate(db.session, scale=scale, seed=2026, now=now_utc())
        db.session.commit()
        print(f"{engine}/{scale}: generated in {time.perf_counter() - started:.1f} s", flush=True)
        pages = main_pages(db.session, DISTRICT_NAME)
        db.session.commit()
        counter = [0]

        def count(*_args: Any) -> None:
            counter[0] += 1

        sa.event.listen(db.engine, "before_cursor_execute", count)
    clients: dict[str, FlaskClient] = {"": app.test_client()}
    for email in {page.email for page in pages if page.email}:
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        clients[email] = client
    coordinator = next(p.email for p in pages if p.name.startswith("coordinator"))
    all_pages = [Page(FLOOR, coordinator, "/_bench/floor"), *pages]
    measured = {}
    for page in all_pages:
        measured[page.name] = _measure(app, clients[page.email], page.url, REPEATS[scale], counter)
        print(f"  {page.name:34} {measured[page.name][0]:8.1f} ms {measured[page.name][1]:3} q")
    floor_ms = measured[FLOOR][0]
    with app.app_context():
        db.engine.dispose()
    return [
        Row(name, engine, scale, round(ms, 1), queries, round(ms / floor_ms, 2))
        for name, (ms, queries) in measured.items()
    ]


def _markdown(rows: list[Row]) -> str:
    by_key = {(r.engine, r.scale, r.page): r for r in rows}
    columns = sorted({(r.engine, r.scale) for r in rows}, key=lambda c: (c[0] != "sqlite", c))
    pages = list(dict.fromkeys(r.page for r in rows))
    head = " | ".join(f"{e} {s}: ms / q / ×floor" for e, s in columns)
    lines = [
        "# Benchmark of the main pages",
        "",
        "Made by `make bench` (tests/perf/bench.py): median server time over repeated requests",
        "through the Flask test client (after one warm-up), the number of SQL statements, and",
        "the time as a multiple of the floor page (the base layout alone). Targets: at most 15",
        "statements, the same at both scales; at oslo scale at most 3× the floor, exports < 1 s.",
        "",
        f"| page | {head} |",
        "|---|" + "---|" * len(columns),
    ]
    for page in pages:
        cells = []
        for engine, scale in columns:
            row = by_key.get((engine, scale, page))
            cells.append(f"{row.median_ms} / {row.queries} / {row.ratio_to_floor}" if row else "–")
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    lines.append("")
    for engine, scale in columns:
        if scale != "oslo":
            continue
        worst = sorted(
            (r for r in rows if (r.engine, r.scale) == (engine, scale) and r.page != FLOOR),
            key=lambda r: -r.ratio_to_floor,
        )[:5]
        over = ", ".join(f"{r.page} {r.ratio_to_floor}×" for r in worst)
        lines.append(f"Worst ratios, {engine} at oslo scale: {over}.")
    return "\n".join(lines) + "\n"


def main() -> int:
    engines = [("sqlite", "")]
    if postgres := os.environ.get("MESTRING_BENCH_DATABASE_URL", ""):
        engines.append(("postgresql", postgres))
    scales = sys.argv[1:] or ["small", "oslo"]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["MESTRING_INSTANCE_PATH"] = tmp
        for engine, url in engines:
            for scale in scales:
                if engine == "sqlite":
                    url = f"sqlite:///{tmp}/bench-{scale}.sqlite"
                else:
                    _reset_postgres(url)
                rows += bench(engine, url, scale)
    (HERE / "results.json").write_text(
        json.dumps([asdict(r) for r in rows], indent=1, ensure_ascii=False) + "\n"
    )
    (HERE / "RESULTS.md").write_text(_markdown(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
