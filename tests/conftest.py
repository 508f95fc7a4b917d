"""Shared test fixtures: the local Beam runner, a loopback HTTP server, fixture paths."""

from __future__ import annotations

import functools
import http.server
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest
from apache_beam.testing.test_pipeline import TestPipeline

FIXTURES = Path(__file__).parent / "fixtures"
# The local runner Parley pins by default: never the Prism download of the plain DirectRunner.
RUNNER = "FnApiRunner"


BIN = Path(sys.executable).parent

# trafilatura logs every fragment it cannot parse as an ERROR; Parley records what matters.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def parley(
    *args: str, check: bool = True, ok: tuple[int, ...] = (0,)
) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(BIN / "parley"), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=os.environ | {"PYTHONWARNINGS": "ignore"},
    )
    if check and done.returncode not in ok:
        raise AssertionError(f"exit {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


def rows(sql: str) -> list[tuple]:
    return duckdb.connect().sql(sql).fetchall()


def make_test_pipeline() -> TestPipeline:
    return TestPipeline(runner=RUNNER, options=None)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (stdlib signature)
        pass


@pytest.fixture(scope="session")
def feed_server():
    """An HTTP server on 127.0.0.1 serving tests/fixtures/; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(FIXTURES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def extractor():
    from transforms.negotiation.extractor import Extractor

    return Extractor()
