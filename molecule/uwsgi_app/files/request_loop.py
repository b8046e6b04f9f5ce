"""Bounded request loop over a uWSGI socket, for the release-switch test.

Usage: request_loop.py SOCKET NEW_RELEASE
Sends sequential GET / requests in the uwsgi protocol (one connection each,
10 s timeout, 20 ms apart) until NEW_RELEASE answered 50 times, 7500 requests
were sent or 150 s passed (the time bounds it: a slow switch on a busy machine
still finds the loop running), and prints a JSON summary: counts per release and every failure.
"""

import json
import re
import socket
import struct
import sys
import time


def request(path, sock_path):
    env = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "localhost",
           "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "localhost"}
    body = b"".join(struct.pack("<H", len(k)) + k.encode() + struct.pack("<H", len(v)) + v.encode()
                    for k, v in env.items())
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(10)
    try:
        sock.connect(sock_path)
        sock.sendall(struct.pack("<BHB", 0, len(body), 0) + body)
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    finally:
        sock.close()
    return data.decode("utf-8", "replace")


def main():
    sock_path, new_release = sys.argv[1], sys.argv[2]
    seen, failures, sent = {}, [], 0
    deadline = time.monotonic() + 150
    while sent < 7500 and time.monotonic() < deadline and seen.get(new_release, 0) < 50:
        sent += 1
        try:
            reply = request("/", sock_path)
            match = re.search(r"^HTTP/1\.[01] 200 .*release=(\S+)", reply, re.S)
            if not match:
                failures.append(reply[:200] or "empty reply")
            else:
                seen[match.group(1)] = seen.get(match.group(1), 0) + 1
        except OSError as exc:
            failures.append(repr(exc))
        time.sleep(0.02)
    print(json.dumps({"sent": sent, "seen": seen, "failures": failures}))


if __name__ == "__main__":
    main()
