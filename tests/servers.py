"""A loopback HTTP server that serves what the internet serves: good feeds that change between
runs and answer conditional GETs, and the hostile rest (stalls, trickles, redirect loops, bombs,
oversized, malicious and mislabelled bodies, flaky hosts)."""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import http.server
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

SECRET = "PARLEY-SECRET-FROM-DISK"


def rss(items: list[dict], title: str = "Wire") -> bytes:
    entries = "".join(
        f"<item><title>{i['title']}</title><link>{i['link']}</link>"
        f"<guid>{i['link']}</guid><pubDate>{i.get('date', 'Mon, 16 Nov 2026 09:00:00 GMT')}"
        f"</pubDate><description>{i['summary']}</description></item>"
        for i in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}'
        f"</title><link>http://wire.test/</link>{entries}</channel></rss>"
    ).encode()


def story(n: int, day: int = 16) -> dict:
    """A feed item about negotiations, different for every n."""
    return {
        "title": f"Union and rail operator hold talks in round {n}",
        "link": f"http://wire.test/story/{n}",
        "summary": f"The union met the rail operator on Monday for round {n} of wage talks. "
        f"The union rejected the offer of {n + 2} percent. The union said it would return to "
        f"the talks only if the operator dropped its demand for Sunday shifts.",
        "date": f"Mon, {day} Nov 2026 09:{n % 60:02d}:00 GMT",
    }


def page(n: int) -> bytes:
    """The full article behind a feed item: much longer than its summary."""
    paragraphs = "".join(
        f"<p>Paragraph {k} of story {n}: the union and the operator met again in Leeds, and "
        f"negotiators said talks would resume next week if the operator withdrew its demand "
        f"for Sunday shifts.</p>"
        for k in range(8)
    )
    return (
        f"<html><head><title>Story {n}</title></head><body><nav>Home | World</nav><article>"
        f"<h1>Union and rail operator hold talks in round {n}</h1>{paragraphs}</article>"
        f"<footer>Copyright</footer></body></html>"
    ).encode()


def _gzip_bomb(size: int) -> bytes:
    return gzip.compress(b"\0" * size, compresslevel=9)


@dataclass
class Site:
    """What the server serves; tests change ``items`` between runs."""

    items: list[dict] = field(default_factory=list)
    last_modified: float = field(default_factory=time.time)
    hits: dict[str, int] = field(default_factory=dict)
    conditional: list[tuple[str, int]] = field(default_factory=list)  # (path, status)
    secret_path: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def set_items(self, items: list[dict]) -> None:
        with self.lock:
            self.items = list(items)
            self.last_modified = time.time() + 1  # a later second than any earlier answer


class HostileHandler(http.server.BaseHTTPRequestHandler):
    site: Site  # set on the subclass the fixture makes
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 (stdlib signature)
        pass

    def do_GET(self):  # noqa: N802 (stdlib name)
        path = urlsplit(self.path).path
        with self.site.lock:
            self.site.hits[path] = self.site.hits.get(path, 0) + 1
            hits = self.site.hits[path]
        route = path.strip("/").split("/", 1)[0]
        handler = getattr(self, f"route_{route.replace('-', '_')}", None)
        if handler is None:
            self.answer(404, b"not found", "text/plain")
            return
        handler(path, hits)

    # -- helpers -----------------------------------------------------------------------------

    def answer(self, status: int, body: bytes, ctype: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    # -- good feeds ----------------------------------------------------------------------------

    def route_feed(self, path, hits):
        """The changing feed, with ETag and Last-Modified, answering 304 when unchanged."""
        with self.site.lock:
            body = rss(self.site.items)
            modified = email.utils.formatdate(self.site.last_modified, usegmt=True)
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.site.conditional.append((path, 304))
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.site.conditional.append((path, 200))
        self.answer(200, body, "application/rss+xml", {"ETag": etag, "Last-Modified": modified})

    def route_page(self, path, hits):
        self.answer(200, page(int(path.rsplit("/", 1)[1])), "text/html; charset=utf-8")

    def route_flaky_page(self, path, hits):
        """429 with Retry-After, then 503, then the page: a retrying client gets it."""
        if hits == 1:
            self.answer(429, b"slow down", "text/plain", {"Retry-After": "1"})
        elif hits == 2:
            self.answer(503, b"busy", "text/plain")
        else:
            self.route_page(path, hits)

    def route_down_page(self, path, hits):
        self.answer(503, b"busy", "text/plain")

    def route_summary_feed(self, path, hits):
        """Summary-only items whose links lead to pages on this server (a loopback address)."""
        host = f"http://{self.headers['Host']}"
        items = [
            {
                "title": f"Union and rail operator hold talks in round {n}",
                "link": f"{host}/{kind}/{n}",
                "summary": f"Round {n} of wage talks.",
            }
            for n, kind in ((1, "page"), (2, "flaky-page"), (3, "down-page"))
        ]
        self.answer(200, rss(items, "Summaries"), "application/rss+xml")

    # -- hostile -------------------------------------------------------------------------------

    def route_stall(self, path, hits):
        """Headers, then silence."""
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.flush()
        time.sleep(30)

    def route_trickle(self, path, hits):
        """A byte at a time, never silent for long, never done."""
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            for _ in range(300):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass

    def route_loop(self, path, hits):
        target = "/loop/b" if path.endswith("/a") else "/loop/a"
        self.answer(302, b"", "text/plain", {"Location": target})

    def route_huge(self, path, hits):
        """A 50 MB body, streamed."""
        size = 50 * 1024 * 1024
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        chunk = b"<!-- padding -->" * 4096
        try:
            for _ in range(size // len(chunk)):
                self.wfile.write(chunk)
        except OSError:
            pass

    def route_gzip_bomb(self, path, hits):
        self.answer(200, _BOMB, "application/rss+xml", {"Content-Encoding": "gzip"})

    def route_xxe(self, path, hits):
        body = (
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{self.site.secret_path}">]>'
            '<rss version="2.0"><channel><title>t</title><item><title>&xxe;</title>'
            "<description>&xxe;</description><link>http://x.test/1</link></item></channel></rss>"
        ).encode()
        self.answer(200, body, "application/rss+xml")

    def route_laughs(self, path, hits):
        entities = '<!ENTITY lol "lol">' + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">'
            for i in range(10)
        )
        body = (
            f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel>'
            "<title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>"
        ).encode()
        self.answer(200, body, "application/rss+xml")

    def route_truncated(self, path, hits):
        body = rss([story(900)])
        self.answer(200, body[: len(body) // 2], "application/rss+xml")

    def route_malformed(self, path, hits):
        self.answer(200, b"<rss><channel><title>x</title><item><<<>>>&&&</rss>", "text/xml")

    def route_html(self, path, hits):
        self.answer(200, b"<html><body><p>Not a feed at all.</p></body></html>", "text/html")

    def route_json(self, path, hits):
        self.answer(200, b'{"items": [{"title": "talks"}]}', "application/json")

    def route_binary(self, path, hits):
        self.answer(200, bytes(range(256)) * 64, "application/octet-stream")

    def route_latin1(self, path, hits):
        """Latin-1 bytes labelled as nothing at all (no charset anywhere)."""
        body = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Caf\xe9</title><item>'
            "<title>Talks in Bogot\xe1 resume</title><link>http://latin.test/1</link>"
            "<description>Negotiators met in Bogot\xe1 on Monday.</description></item>"
            "</channel></rss>"
        ).encode("latin-1")
        self.answer(200, body, "application/xml")

    def route_bad_utf8(self, path, hits):
        body = rss([story(901)]).replace(b"round 901", b"round \xff\xfe 901")
        self.answer(200, body, "application/rss+xml; charset=utf-8")

    def route_wrong_charset(self, path, hits):
        """UTF-8 bytes that the header calls ISO-8859-1."""
        item = story(902) | {"title": "Talks in Zürich über Löhne"}
        self.answer(200, rss([item]), "application/rss+xml; charset=iso-8859-1")

    def route_private_links(self, path, hits):
        """A third-party feed whose links point at private and loopback addresses."""
        items = [
            {"title": "t1", "link": "http://127.0.0.1:9/admin", "summary": "Talks were held."},
            {"title": "t2", "link": "http://10.1.2.3/internal", "summary": "Talks were held."},
            {"title": "t3", "link": "http://169.254.169.254/latest", "summary": "Talks held."},
        ]
        self.answer(200, rss(items, "Links"), "application/rss+xml")


_BOMB = _gzip_bomb(64 * 1024 * 1024)  # 64 MB of zeros in about 64 kB


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # clients hang up on stalls: expected
        pass


class Server:
    """``with Server() as s:`` a hostile server on 127.0.0.1; ``s.url`` and ``s.site``."""

    def __init__(self, site: Site | None = None) -> None:
        self.site = site or Site()
        handler = type("Handler", (HostileHandler,), {"site": self.site})
        self._server = _QuietServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Server:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
