"""Bounded request loop against the floating address, for the failover and hand-over tests.

Usage: vip_loop.py URL [MAX_SECONDS] [SETTLE_SECONDS] [new|keepalive] [TIMEOUT]

GET URL (http or https, the certificate unchecked) on a new connection every
50 ms (1 s timeout each), reading which load balancer answered from the
X-Served-By header ("-" for an answer below 400 without it), until another host than
the first one has answered for SETTLE_SECONDS (default 5) without a failure,
or MAX_SECONDS (default 30) passed. Prints a JSON summary: requests sent,
failed, the gap (seconds from the last answer before the first failure, or
before the switch, to the first answer after the last failure), the hosts
in the order they answered with their counts, and the first errors.

SETTLE_SECONDS 0: run the whole MAX_SECONDS, whoever answers. "keepalive":
one HTTP/1.1 connection for every request instead of a new one each (a
failed one is counted, then the loop connects again), to see what the move
does to connections open on the old holder. TIMEOUT: seconds a request may
take (default 1). The summary also gives the slowest answer ("slowest").
"""

import http.client
import json
import ssl
import sys
import time
from urllib.parse import urlsplit


TIMEOUT = 1.0


def connect(url):
    parts = urlsplit(url)
    if parts.scheme == "https":
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection(parts.hostname, parts.port or 443, timeout=TIMEOUT, context=context)
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=TIMEOUT)
    return conn


def get(url, conn=None):
    """The host that answered, or raise. With ``conn``: on that connection, kept open (unless it fails)."""
    own = conn is None
    conn = connect(url) if own else conn
    try:
        conn.request("GET", urlsplit(url).path or "/", headers={"Connection": "close" if own else "keep-alive"})
        response = conn.getresponse()
        response.read()
        host = response.getheader("X-Served-By")
        if host:
            return host
        if response.status >= 400:
            raise ValueError("HTTP %d without X-Served-By" % response.status)
        return "-"
    except Exception:
        conn.close()
        raise
    finally:
        if own:
            conn.close()


def main():
    url = sys.argv[1]
    max_seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
    settle = float(sys.argv[3]) if len(sys.argv) > 3 else 5.0
    keepalive = len(sys.argv) > 4 and sys.argv[4] == "keepalive"
    global TIMEOUT  # pylint: disable=global-statement
    TIMEOUT = float(sys.argv[5]) if len(sys.argv) > 5 else 1.0
    slowest = 0.0
    conn = connect(url) if keepalive else None
    connections = 1 if keepalive else 0
    start = time.monotonic()
    sent = failed = 0
    hosts, errors = [], []
    first_host = last_ok = gap_from = gap_to = None
    since = None  # when the current run of answers from another host than the first began
    while time.monotonic() - start < max_seconds:
        sent += 1
        now = time.monotonic()
        try:
            host = get(url, conn)
        except (OSError, ValueError, http.client.HTTPException) as exc:
            failed += 1
            if keepalive:  # the next request on a new connection
                conn, connections = connect(url), connections + 1
            if len(errors) < 5:
                errors.append("%.2f s: %r" % (now - start, exc))
            if gap_from is None:
                gap_from = last_ok if last_ok is not None else now
            gap_to, since = None, None
        else:
            slowest = max(slowest, time.monotonic() - now)
            first_host = first_host or host
            if hosts and hosts[-1][0] == host:
                hosts[-1][1] += 1
            else:
                hosts.append([host, 1])
            if host != first_host and gap_from is None:
                gap_from = last_ok  # a switch without a failed request
            if gap_from is not None and gap_to is None:
                gap_to = now
            if host != first_host and since is None:
                since = now
            last_ok = now
            if settle and since is not None and now - since >= settle:
                break
        time.sleep(0.05)
    gap = None if gap_from is None or gap_to is None else round(gap_to - gap_from, 2)
    print(json.dumps({"sent": sent, "failed": failed, "gap_seconds": gap, "hosts": hosts,
                      "first_host": first_host, "last_host": hosts[-1][0] if hosts else None,
                      "seconds": round(time.monotonic() - start, 2), "errors": errors,
                      "keepalive": keepalive, "connections": connections if keepalive else sent,
                      "timeout": TIMEOUT, "slowest": round(slowest, 2)}))


if __name__ == "__main__":
    main()
