"""Debian's Chromium, as the browser tests and the screenshot script start it."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Headless in a closed network: no background connections, no first-run or sync.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
