"""Bounded HTTP(S) load with a per-release and per-host tally, for rolling-release tests and the benchmark.

Runs inside a container of the fleet (python3 standard library only), against a
URL of that container or of the fleet:

    python3 http_load.py URL [--host NAME] [--connections N] [--max-seconds S]
                         [--stop-file PATH] [--pause S]

N threads each keep one connection open (keep-alive, reconnecting after an
error) and send GET requests until PATH exists or S seconds have passed (at
most 600), then one JSON line is printed: requests, non-2xx answers, socket
errors (connect/read failures and timeouts), keep-alive retries, seconds,
requests/s, counts per `release=` and per `host=` of the answers, and the
first errors.

A keep-alive retry is what browsers and most HTTP libraries do (RFC 9112,
section 9.3.1): when the server closes an idle kept-alive connection just as
the next request goes out, so that the connection ends before any byte of an
answer, the GET (idempotent) is sent once more on a new connection. nginx
before 1.27.4 (keepalive_min_timeout) closes idle connections at once when a
reload retires its old workers, so each reload can cost each connection one
such retry. Over TLS the same close may come without TLS's close_notify (a
TCP FIN, as when a load balancer's old holder of a floating address lets a
connection go): Python's ssl then says SSLEOFError where plain HTTP says
RemoteDisconnected, and it is retried the same way. They are counted apart; a
retry that fails too is a socket error, and so is any error once an answer has
begun.
"""

import argparse
import http.client
import json
import os
import re
import ssl
import sys
import threading
import time
from urllib.parse import urlsplit

ANSWER = re.compile(r"host=(\S+) release=(\S+)")
# How a connection the server closed while idle ends a request sent on it.
STALE_CONNECTION = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, ssl.SSLEOFError)
MAX_SECONDS = 600


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--host", help="Host header (default: the URL's host)")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--stop-file")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between the requests of one connection")
    args = parser.parse_args(argv)
    if not 1 <= args.connections <= 64:
        parser.error("--connections must be 1-64")
    if not 0 < args.max_seconds <= MAX_SECONDS:
        parser.error("--max-seconds must be in (0, %d]" % MAX_SECONDS)
    return args


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.non_2xx = 0
        self.socket_errors = 0
        self.keepalive_retries = 0
        self.releases = {}
        self.hosts = {}
        self.errors = []

    def answer(self, status, body):
        match = ANSWER.search(body)
        with self.lock:
            self.requests += 1
            if not 200 <= status < 300:
                self.non_2xx += 1
                if len(self.errors) < 10:
                    self.errors.append("HTTP %d: %s" % (status, body[:120].strip()))
            elif match:
                self.hosts[match.group(1)] = self.hosts.get(match.group(1), 0) + 1
                self.releases[match.group(2)] = self.releases.get(match.group(2), 0) + 1

    def error(self, exc):
        with self.lock:
            self.socket_errors += 1
            if len(self.errors) < 10:
                self.errors.append(repr(exc))


def connect(url):
    if url.scheme == "https":
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the fleet's own (self-signed) certificate
        return http.client.HTTPSConnection(url.hostname, url.port or 443, timeout=10, context=context)
    return http.client.HTTPConnection(url.hostname, url.port or 80, timeout=10)


def send(conn, path, server_name):
    """Send a GET and read the status line and headers."""
    conn.request("GET", path, headers={"Host": server_name})
    return conn.getresponse()


def worker(url, server_name, path, stop, tally, pause):
    conn, reused = None, False
    while not stop.is_set():
        try:
            if conn is None:
                conn, reused = connect(url), False
            try:
                response = send(conn, path, server_name)
            except STALE_CONNECTION:
                if not reused:
                    raise
                conn.close()
                with tally.lock:
                    tally.keepalive_retries += 1
                conn, reused = connect(url), False
                response = send(conn, path, server_name)
            body = response.read().decode("utf-8", "replace")
            tally.answer(response.status, body)
            reused = True
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as exc:
            tally.error(exc)
            if conn is not None:
                conn.close()
            conn = None
            time.sleep(0.05)
        if pause:
            time.sleep(pause)
    if conn is not None:
        conn.close()


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    url = urlsplit(args.url)
    server_name = args.host or url.hostname
    path = (url.path or "/") + ("?" + url.query if url.query else "")
    tally, stop = Tally(), threading.Event()
    threads = [threading.Thread(target=worker, args=(url, server_name, path, stop, tally, args.pause), daemon=True)
               for _index in range(args.connections)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    deadline = start + args.max_seconds
    while time.monotonic() < deadline and not (args.stop_file and os.path.exists(args.stop_file)):
        time.sleep(0.1)
    stop.set()
    for thread in threads:
        thread.join(15)
    seconds = time.monotonic() - start
    print(json.dumps({
        "requests": tally.requests, "non_2xx": tally.non_2xx, "socket_errors": tally.socket_errors,
        "keepalive_retries": tally.keepalive_retries,
        "seconds": round(seconds, 1), "requests_per_second": round(tally.requests / seconds, 1),
        "releases": tally.releases, "hosts": tally.hosts, "errors": tally.errors,
    }, sort_keys=True))


if __name__ == "__main__":
    main()
