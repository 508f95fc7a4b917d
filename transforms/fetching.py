"""HTTP GET for feeds and article pages, hardened for what the internet serves.

One function, ``get``, built on urllib3 (connection pooling, incremental decompression) with the
rules a scheduled crawler needs:

- only ``http`` and ``https``; every redirect hop is checked again, at most ``max_redirects`` of
  them, and a hop that returns to a URL already visited is a loop;
- addresses that are not public (loopback, private, link-local, reserved) are refused unless the
  policy allows them, or the user named such a server themselves (``trusted``);
- a connect/read timeout for a silent server and a total ``deadline`` for one that trickles;
- ``max_bytes`` counted after decompression, so a gzip bomb stops at the cap;
- retries with exponential backoff on 429 and 5xx (``Retry-After`` honoured, within the deadline);
- conditional GET: ``If-None-Match`` / ``If-Modified-Since``; a 304 comes back as ``data=None``.

Failures raise ``SourceError`` with a short reason (``timeout``, ``too_large``,
``redirect_loop``, ``private_address``, ``http_error`` ...) that becomes a row in ``failures/``.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3

from transforms.errors import SourceError

USER_AGENT = "Parley/0.1 (+https://github.com/parley-events/parley; negotiation event research)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchPolicy:
    timeout: float = 20.0  # seconds to connect, and of silence while reading
    deadline: float = 60.0  # seconds for the whole request, retries included
    max_bytes: int = 20 * 1024 * 1024  # after decompression
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 1.0  # first retry after this many seconds, doubling each time
    allow_private: bool = False


@dataclass(frozen=True)
class Fetched:
    """What a GET brought back; ``data`` is None when the server answered 304 Not Modified."""

    url: str  # after redirects
    data: bytes | None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None


_POOL = threading.local()


def _pool() -> urllib3.PoolManager:
    # One pool per thread of a worker: connections to the same host are reused.
    if not hasattr(_POOL, "manager"):
        _POOL.manager = urllib3.PoolManager(num_pools=64, maxsize=4, block=False)
    return _POOL.manager


def is_public_host(host: str) -> bool:
    """True when every address ``host`` resolves to is a public one."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError, ValueError) as error:
        raise SourceError("dns_failed", f"{host}: {error}") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            return False
    return True


def check_url(url: str, *, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise SourceError("unsupported_scheme", f"{parts.scheme or 'no'} scheme in {url[:200]}")
    if not parts.hostname:
        raise SourceError("bad_url", url[:200])
    if not allow_private and not is_public_host(parts.hostname):
        raise SourceError(
            "private_address",
            f"{parts.hostname} is a loopback or private address; refused (--allow-private-links)",
        )


def get(
    url: str,
    policy: FetchPolicy,
    *,
    trusted: bool = False,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """GET ``url`` under ``policy``. ``trusted``: the user named this URL (a feed they listed),
    so a private address is theirs to use; links found inside feeds are never trusted."""
    started = time.monotonic()
    allow_private = policy.allow_private
    if trusted:
        check_url(url, allow_private=True)
        allow_private = allow_private or not is_public_host(urlsplit(url).hostname or "")
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    visited: list[str] = []
    current = url
    attempt = 0
    while True:
        check_url(current, allow_private=allow_private)
        remaining = policy.deadline - (time.monotonic() - started)
        if remaining <= 0:
            raise SourceError("deadline", f"no complete answer within {policy.deadline:g} s")
        response = _request(current, headers, policy, remaining)
        status = response.status
        if status in REDIRECT_STATUSES:
            response.close()  # never reuse a connection with an unread body
            target = response.headers.get("Location")
            if not target:
                raise SourceError("http_error", f"HTTP {status} without Location")
            visited.append(current)
            current = urljoin(current, target)
            if current in visited:
                raise SourceError("redirect_loop", " -> ".join([*visited, current])[:500])
            if len(visited) > policy.max_redirects:
                raise SourceError("too_many_redirects", f"more than {policy.max_redirects}")
            continue
        if status == 304:
            response.close()  # never reuse a connection with an unread body
            return Fetched(current, None, None, etag, last_modified)
        if status in RETRY_STATUSES and attempt < policy.retries:
            wait = _retry_after(response.headers.get("Retry-After"), policy.backoff * 2**attempt)
            response.close()  # never reuse a connection with an unread body
            attempt += 1
            if time.monotonic() - started + wait >= policy.deadline:
                raise SourceError("http_error", f"HTTP {status}; no time left to retry")
            time.sleep(wait)
            continue
        if status >= 400:
            response.close()  # never reuse a connection with an unread body
            raise SourceError("http_error", f"HTTP {status}")
        data = _read_body(response, policy, started)
        return Fetched(
            current,
            data,
            response.headers.get("Content-Type"),
            response.headers.get("ETag"),
            response.headers.get("Last-Modified"),
        )


def _request(url: str, headers: dict, policy: FetchPolicy, remaining: float):
    timeout = urllib3.Timeout(connect=min(policy.timeout, remaining), read=policy.timeout)
    try:
        return _pool().request(
            "GET",
            url,
            headers=headers,
            preload_content=False,
            decode_content=True,
            redirect=False,
            retries=False,
            timeout=timeout,
        )
    except urllib3.exceptions.TimeoutError as error:
        raise SourceError("timeout", f"{type(error).__name__}: {error}"[:500]) from error
    except (urllib3.exceptions.HTTPError, OSError, ValueError) as error:
        raise SourceError("fetch_failed", f"{type(error).__name__}: {error}"[:500]) from error


def _read_body(response, policy: FetchPolicy, started: float) -> bytes:
    """The decoded body, cut off at ``max_bytes`` and at the deadline, however slow the server."""
    left = policy.deadline - (time.monotonic() - started)
    watchdog = threading.Timer(max(left, 0.01), response.shutdown)  # unblocks a trickling read
    watchdog.daemon = True
    watchdog.start()
    chunks, size, complete = [], 0, False
    try:
        while True:
            chunk = response.read1(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > policy.max_bytes:
                raise SourceError("too_large", f"more than {policy.max_bytes} bytes")
            if time.monotonic() - started > policy.deadline:
                raise SourceError("deadline", f"body not complete within {policy.deadline:g} s")
            chunks.append(chunk)
        complete = True
    except SourceError:
        raise
    except urllib3.exceptions.TimeoutError as error:
        raise SourceError("timeout", f"server stalled: {error}"[:500]) from error
    except (urllib3.exceptions.HTTPError, OSError, ValueError) as error:
        if time.monotonic() - started >= policy.deadline:
            raise SourceError(
                "deadline", f"body not complete within {policy.deadline:g} s"
            ) from error
        raise SourceError("fetch_failed", f"{type(error).__name__}: {error}"[:500]) from error
    finally:
        watchdog.cancel()
        if complete:
            response.release_conn()
        else:  # never hand a half-read connection back to the pool
            response.close()
    return b"".join(chunks)


def _retry_after(header: str | None, default: float) -> float:
    if header and header.strip().isdigit():
        return min(float(header.strip()), 30.0)
    return default
