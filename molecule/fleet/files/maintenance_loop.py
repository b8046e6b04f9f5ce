"""Bounded request loop for the maintenance switch test: every answer is the app's or the planned 503.

Usage: maintenance_loop.py URL MARKER STOP_FILE [MAX_SECONDS] [CONNECTIONS]

CONNECTIONS threads (default 2, at most 8) each keep one connection (TLS
unchecked, keep-alive) and GET URL every 20 ms until STOP_FILE exists or
MAX_SECONDS (default 60, at most 120) passed. Each answer is one of: `app` (200
with `release=` in the body), `maintenance` (503 with a Retry-After header and
MARKER in the body) or `other` (anything else, kept with its status and
headers); a connection error counts as `error`, except one retry on a new
connection when a kept-alive connection was closed before any byte of the
answer (what clients do; nginx closes idle connections when a reload retires
its workers). Prints one JSON line: the counts, the kinds in the order they
came (runs collapsed: ["app", "maintenance", "app"]) and the first odd answers.
"""

import http.client
import json
import os
import ssl
import sys
import threading
import time
from urllib.parse import urlsplit

STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


def main():
    url, marker, stop = sys.argv[1], sys.argv[2], sys.argv[3]
    max_seconds = min(float(sys.argv[4]) if len(sys.argv) > 4 else 60.0, 300.0)
    connections = max(1, min(int(sys.argv[5]) if len(sys.argv) > 5 else 2, 8))
    parts = urlsplit(url)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    lock = threading.Lock()
    counts = {'app': 0, 'maintenance': 0, 'other': 0, 'error': 0, 'retries': 0}
    runs, odd = [], []
    deadline = time.time() + max_seconds

    def connect():
        if parts.scheme == 'https':
            return http.client.HTTPSConnection(parts.hostname, parts.port or 443, timeout=5, context=context)
        return http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=5)

    def record(kind, detail=None):
        with lock:
            counts[kind] += 1
            if not runs or runs[-1] != kind:
                runs.append(kind)
            if detail and len(odd) < 10:
                odd.append(detail)

    def worker():
        conn, used = connect(), False
        while time.time() < deadline and not os.path.exists(stop):
            try:
                try:
                    conn.request('GET', parts.path or '/')
                    response = conn.getresponse()
                except STALE:
                    if not used:
                        raise
                    with lock:
                        counts['retries'] += 1
                    conn.close()
                    conn = connect()
                    conn.request('GET', parts.path or '/')
                    response = conn.getresponse()
                body = response.read().decode('utf-8', 'replace')
                used = True
                if response.status == 200 and 'release=' in body:
                    record('app')
                elif response.status == 503 and response.getheader('Retry-After') and marker in body:
                    record('maintenance')
                else:
                    record('other', {'status': response.status, 'headers': dict(response.getheaders()), 'body': body[:200]})
            except Exception as exc:  # noqa: BLE001 - every failure is counted
                record('error', {'error': repr(exc)})
                conn.close()
                conn, used = connect(), False
            time.sleep(0.02)
        conn.close()

    threads = [threading.Thread(target=worker) for dummy in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps(dict(counts, runs=runs, odd=odd)))


if __name__ == '__main__':
    main()
