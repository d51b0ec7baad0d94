"""Throughput and latency of two gunicorn instances under a bounded load.

Run by ``make instances`` (not collected by pytest: no ``test_`` name). It starts the
two-instance set-up of tests/deploy (a fresh database on the PostgreSQL server of
MESTRING_BENCH_DATABASE_URL, created and dropped here; rate limits in Redis), signs in every
demo account, runs the scripted mix of every role's pages for a fixed time with a fixed number
of clients, and writes tests/perf/instances.json.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from tests.deploy.instances import redis_missing, two_instances
from tests.deploy.mix import CLIENTS, run_mix

HERE = Path(__file__).parent
SECONDS = 30.0


def main() -> int:
    server_url = os.environ.get("MESTRING_BENCH_DATABASE_URL", "")
    if not server_url.startswith("postgresql"):
        print("Set MESTRING_BENCH_DATABASE_URL to a PostgreSQL database URL.", file=sys.stderr)
        return 2
    if problem := redis_missing():
        print(problem, file=sys.stderr)
        return 2
    with (
        tempfile.TemporaryDirectory() as logs,
        two_instances(server_url, Path(logs)) as deployment,
    ):
        result = run_mix(deployment, clients=CLIENTS, seconds=SECONDS)
    times = sorted(sample.milliseconds for sample in result.timed)
    report = {
        "instances": len(deployment.instances),
        "workers_per_instance": deployment.workers,
        "clients": CLIENTS,
        "requests": len(result.timed),
        "errors": len(result.errors),
        "seconds": round(result.seconds, 1),
        "throughput_rps": round(len(result.timed) / result.seconds, 1),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(statistics.quantiles(times, n=20)[-1], 1),
        "engine": "postgresql",
        "date": datetime.now(UTC).date().isoformat(),
    }
    (HERE / "instances.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    for sample in result.errors[:10]:
        print(sample, file=sys.stderr)
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
