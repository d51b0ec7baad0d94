"""The cache of what is costly to make and cheap to key (the rendered outcome figures).

In Redis when MESTRING_CACHE_URL names one, so that every instance shares it; otherwise in
the process. Callers key entries so that a stale one is never asked for (see
``mestring.outcomes.freshness``); entries only age out. The cache is an accelerator: when
Redis cannot be reached, the value is made afresh.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

import redis
from cachelib import BaseCache, RedisCache, SimpleCache
from flask import Flask, current_app

EXTENSION = "mestring.cache"
LIFETIME_SECONDS = 60 * 60
# A process keeps at most this many entries. A dashboard's view (district and filters) keeps
# three: its figures (a few hundred kB), its filter menus and its placed pupils' order (as
# membership ids, no names; small).
PROCESS_ENTRIES = 192

log = logging.getLogger(__name__)
T = TypeVar("T")


def init_cache(app: Flask) -> None:
    url = app.config.get("CACHE_URL", "")
    cache: BaseCache
    if url:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        cache = RedisCache(host=client, key_prefix="mestring:", default_timeout=LIFETIME_SECONDS)
    else:
        cache = SimpleCache(threshold=PROCESS_ENTRIES, default_timeout=LIFETIME_SECONDS)
    app.extensions[EXTENSION] = cache


def cache() -> BaseCache:
    cache: BaseCache = current_app.extensions[EXTENSION]
    return cache


def remembered(key: str, make: Callable[[], T]) -> T:
    """The value cached under ``key``, made and cached when it is missing."""
    store = cache()
    try:
        value: T | None = store.get(key)
    except redis.RedisError as error:
        log.warning("cache unavailable, value made afresh: %s", type(error).__name__)
        return make()
    if value is None:
        value = make()
        try:
            store.set(key, value)
        except redis.RedisError as error:
            log.warning("cache unavailable, value not kept: %s", type(error).__name__)
    return value
