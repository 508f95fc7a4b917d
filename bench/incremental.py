"""What a scheduled run costs: FEEDS feeds of ITEMS items each, served from a loopback server
with ETag and Last-Modified, read by `parley run` three times into the same output:

  cold        every item new
  unchanged   nothing changed: every feed answers 304
  one new     one feed has one new item (the others 304)

Prints each run's wall time (median of --repeats for the last two), the HTTP requests and bytes
served, and the articles stored. Not a test: figures for the README and closing notes.
"""

from __future__ import annotations

import argparse
import hashlib
import http.server
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import article  # noqa: E402


class Feeds:
    def __init__(self, feeds: int, items: int) -> None:
        rng = random.Random(11)
        self.items = {
            f: [article(f * 1000 + i, i % 5 == 0, rng) for i in range(items)] for f in range(feeds)
        }
        self.requests = 0
        self.bytes = 0
        self.lock = threading.Lock()

    def body(self, feed: int) -> bytes:
        entries = "".join(
            f"<item><title>{a['title']}</title><link>{a['url']}</link>"
            f"<pubDate>{a['published']}</pubDate>"
            f"<description><![CDATA[{a['text']}]]></description></item>"
            for a in self.items[feed]
        )
        return (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Feed {feed}</title>{entries}</channel></rss>"
        ).encode()


def serve(feeds: Feeds) -> http.server.ThreadingHTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            feed = int(self.path.strip("/").split(".")[0])
            body = feeds.body(feed)
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            with feeds.lock:
                feeds.requests += 1
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            with feeds.lock:
                feeds.bytes += len(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(feeds_file: Path, out: Path) -> float:
    started = time.monotonic()
    done = subprocess.run(
        [str(Path(sys.executable).parent / "parley"), "run", "--feeds-file", str(feeds_file),
         "--output", str(out)],
        capture_output=True, text=True,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    if done.returncode not in (0, 5):
        raise SystemExit(f"parley run failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    feeds = Feeds(args.feeds, args.items)
    server = serve(feeds)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory() as tmp:
        feeds_file = Path(tmp) / "feeds.txt"
        feeds_file.write_text("".join(f"{base}/{f}.xml\n" for f in range(args.feeds)))
        out = Path(tmp) / "out"
        rows = []
        cold = run(feeds_file, out)
        rows.append(("cold", cold, feeds.requests, feeds.bytes))
        for name in ("unchanged", "one new"):
            times, requests, sent = [], 0, 0
            for repeat in range(args.repeats):
                if name == "one new":
                    rng = random.Random(repeat)
                    feeds.items[0].append(article(900_000 + repeat, True, rng))
                before = (feeds.requests, feeds.bytes)
                times.append(run(feeds_file, out))
                requests, sent = feeds.requests - before[0], feeds.bytes - before[1]
            rows.append((name, statistics.median(times), requests, sent))
        stored = len(list(out.glob("articles/date=*/*.parquet")))
    server.shutdown()
    print(f"Incremental runs: {args.feeds} feeds x {args.items} items over loopback HTTP")
    print(f"{'run':<12}{'wall s':>9}{'requests':>10}{'bytes served':>14}")
    for name, seconds, requests, sent in rows:
        print(f"{name:<12}{seconds:>9.2f}{requests:>10}{sent:>14,}")
    print(
        f"(article partitions stored: {stored}; 'unchanged' and 'one new': median of "
        f"{args.repeats}; wall time includes interpreter and model start-up)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
