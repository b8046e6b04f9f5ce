"""Bounded request loop against the floating address, for the failover test.

Usage: vip_loop.py URL [MAX_SECONDS] [SETTLE_SECONDS]

GET URL (http or https, the certificate unchecked) on a new connection every
50 ms (1 s timeout each), reading which load balancer answered from the
X-Served-By header ("-" for an answer below 400 without it), until another host than
the first one has answered for SETTLE_SECONDS (default 5) without a failure,
or MAX_SECONDS (default 30) passed. Prints a JSON summary: requests sent,
failed, the gap (seconds from the last answer before the first failure, or
before the switch, to the first answer after the last failure), the hosts
in the order they answered with their counts, and the first errors.
"""

import http.client
import json
import ssl
import sys
import time
from urllib.parse import urlsplit


def get(url):
    """The host that answered, or raise."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection(parts.hostname, parts.port or 443, timeout=1, context=context)
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=1)
    try:
        conn.request("GET", parts.path or "/", headers={"Connection": "close"})
        response = conn.getresponse()
        response.read()
        host = response.getheader("X-Served-By")
        if host:
            return host
        if response.status >= 400:
            raise ValueError("HTTP %d without X-Served-By" % response.status)
        return "-"
    finally:
        conn.close()


def main():
    url = sys.argv[1]
    max_seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
    settle = float(sys.argv[3]) if len(sys.argv) > 3 else 5.0
    start = time.monotonic()
    sent = failed = 0
    hosts, errors = [], []
    first_host = last_ok = gap_from = gap_to = None
    since = None  # when the current run of answers from another host than the first began
    while time.monotonic() - start < max_seconds:
        sent += 1
        now = time.monotonic()
        try:
            host = get(url)
        except (OSError, ValueError, http.client.HTTPException) as exc:
            failed += 1
            if len(errors) < 5:
                errors.append("%.2f s: %r" % (now - start, exc))
            if gap_from is None:
                gap_from = last_ok if last_ok is not None else now
            gap_to, since = None, None
        else:
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
            if since is not None and now - since >= settle:
                break
        time.sleep(0.05)
    gap = None if gap_from is None or gap_to is None else round(gap_to - gap_from, 2)
    print(json.dumps({"sent": sent, "failed": failed, "gap_seconds": gap, "hosts": hosts,
                      "first_host": first_host, "last_host": hosts[-1][0] if hosts else None,
                      "seconds": round(time.monotonic() - start, 2), "errors": errors}))


if __name__ == "__main__":
    main()
