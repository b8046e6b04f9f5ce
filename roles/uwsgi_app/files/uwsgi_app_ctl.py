# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the webstack.nginx_uwsgi.uwsgi_app role.

python3 uwsgi_app_ctl.py check-ini UWSGI_BINARY INI
    Parse INI the way uWSGI will (strict mode rejects unknown options, a
    missing plugin fails) and exit, without binding or removing anything: a
    copy without its `vacuum` lines is checked with `--get socket`, since
    vacuum would remove the live app's stats socket on exit.

python3 uwsgi_app_ctl.py wait STATS_SOCKET DIRECTORY TIMEOUT_SECONDS
    Wait until the master behind STATS_SOCKET serves from DIRECTORY (its
    `cwd`, the `chdir` of the ini, re-read on every graceful reload) with every
    worker idle or busy. Exits 1 with the last state seen after the timeout.
"""

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time


def check_ini(binary, path):
    with open(path) as handle:
        lines = [line for line in handle if not re.match(r"^\s*vacuum\s*=", line)]
    fd, copy = tempfile.mkstemp(suffix=".ini")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.writelines(lines)
        proc = subprocess.run([binary, "--ini", copy, "--get", "socket"], cwd="/",
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, check=False)
    finally:
        os.unlink(copy)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout.replace(copy, path))
    return proc.returncode


def read_stats(path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(5)
    try:
        sock.connect(path)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        sock.close()
    return json.loads(b"".join(chunks).decode("utf-8", "replace"))


def wait(path, directory, timeout):
    directory = directory.rstrip("/")
    deadline = time.monotonic() + float(timeout)
    last = "no answer"
    while True:
        try:
            stats = read_stats(path)
            workers = stats.get("workers", [])
            states = [w.get("status") for w in workers]
            if stats.get("cwd", "").rstrip("/") == directory and workers and all(s in ("idle", "busy") for s in states):
                print("serving %s with %d workers (master pid %s)" % (directory, len(workers), stats.get("pid")))
                return 0
            last = "cwd=%s workers=%s" % (stats.get("cwd"), states)
        except (OSError, ValueError) as exc:
            last = "%s: %s" % (path, exc)
        if time.monotonic() >= deadline:
            sys.stderr.write("not serving %s after %ss; last state: %s (see journalctl -u the app's unit)\n"
                             % (directory, timeout, last))
            return 1
        time.sleep(0.3)


def main(argv):
    if len(argv) == 4 and argv[1] == "check-ini":
        return check_ini(argv[2], argv[3])
    if len(argv) == 5 and argv[1] == "wait":
        return wait(argv[2], argv[3], argv[4])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
