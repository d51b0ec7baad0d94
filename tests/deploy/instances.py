"""The README's production set-up on loopback: one fresh PostgreSQL database migrated once, the
demo data, rate limits in Redis and two gunicorn instances.

Shared by the two-instance test and the load script (`make instances`).
"""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis
import sqlalchemy as sa
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("MESTRING_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
DEMO_PASSWORD = "mestring-demo"
# The name users reach the proxy by; every instance sees it in the Host header.
PUBLIC_HOST = "mestring.test"
# For two cores: four sync workers in all keep both busy while some wait on PostgreSQL.
WORKERS_PER_INSTANCE = 2
START_TIMEOUT = 30.0


def redis_missing(url: str = REDIS_URL) -> str:
    """Why Redis cannot be used, or "" when it answers."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"Redis at {url} does not answer ({error}): the two-instance set-up needs it"
    return ""


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server of ``server_url``, dropped afterwards."""
    url = make_url(server_url)
    name = f"{url.database}_instances_{secrets.token_hex(4)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def rate_limit_keys(prefix: str, url: str = REDIS_URL) -> list[bytes]:
    with redis.Redis.from_url(url) as client:
        return list(client.scan_iter(match=f"*{prefix}*"))


def cached_figure_keys(stamp: str, url: str = REDIS_URL) -> list[bytes]:
    """The cache's keys of outcome figures under the database's current stamp."""
    with redis.Redis.from_url(url) as client:
        return list(client.scan_iter(match=f"mestring:figures:*:{stamp}:*"))


def clear_rate_limits(prefix: str, url: str = REDIS_URL) -> None:
    keys = rate_limit_keys(prefix, url)
    if keys:
        with redis.Redis.from_url(url) as client:
            client.delete(*keys)


def production_environment(database_url: str, ratelimit_prefix: str) -> dict[str, str]:
    """The README's production settings; one proxy in front (the browser below plays it)."""
    return {
        **os.environ,
        "MESTRING_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": ratelimit_prefix,
        "MESTRING_CACHE_URL": REDIS_URL,
        "MESTRING_TRUSTED_PROXIES": "1",
        "FLASK_APP": "mestring",
    }


def _run(environment: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603  (a fixed command line)
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=environment,
        check=True,
        capture_output=True,
        timeout=120,
    )


@dataclass
class Instance:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path


def _listening_socket() -> socket.socket:
    """A socket bound to a free loopback port, handed to gunicorn so no other can take it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _start_instance(
    name: str, environment: dict[str, str], workers: int, log_folder: Path
) -> Instance:
    sock = _listening_socket()
    log = log_folder / f"gunicorn-{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603  (a fixed command line)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(workers),
                "--bind",
                f"fd://{sock.fileno()}",
                # Instances on one host would otherwise share one control socket path.
                "--no-control-socket",
                "wsgi:app",
            ],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            pass_fds=(sock.fileno(),),
        )
    port = sock.getsockname()[1]
    sock.close()
    return Instance(name, port, process, log)


def _wait_until_serving(instance: Instance, deadline: float) -> None:
    while time.monotonic() < deadline:
        if instance.process.poll() is not None:
            break
        connection = http.client.HTTPConnection("127.0.0.1", instance.port, timeout=2)
        try:
            connection.request("GET", "/login", headers={"Host": PUBLIC_HOST})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise RuntimeError(
        f"instance {instance.name} did not start:\n{instance.log.read_text()[-3000:]}"
    )


def _stop(instances: list[Instance]) -> None:
    """Gunicorn's quick shutdown: nothing is left to finish."""
    for instance in instances:
        instance.process.send_signal(signal.SIGINT)
    for instance in instances:
        try:
            instance.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            instance.process.kill()
            instance.process.wait()


@dataclass
class Deployment:
    database_url: str
    ratelimit_prefix: str
    instances: list[Instance]
    workers: int


@contextmanager
def two_instances(
    server_url: str, log_folder: Path, *, workers: int = WORKERS_PER_INSTANCE
) -> Iterator[Deployment]:
    """Migrate a fresh database once, load the demo, and serve it from two gunicorn instances."""
    prefix = f"mestring-test-{secrets.token_hex(4)}"
    with ExitStack() as stack:
        database_url = stack.enter_context(fresh_database(server_url))
        stack.callback(clear_rate_limits, prefix)
        environment = production_environment(database_url, prefix)
        _run(environment, "-m", "flask", "db", "upgrade")
        _run(environment, "-m", "flask", "mestring", "demo")
        instances: list[Instance] = []
        stack.callback(_stop, instances)
        for name in ("a", "b"):
            instances.append(_start_instance(name, environment, workers, log_folder))
        deadline = time.monotonic() + START_TIMEOUT
        for instance in instances:
            _wait_until_serving(instance, deadline)
        yield Deployment(database_url, prefix, instances, workers)
