# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The example app's background worker: runs the jobs of the Redis list `jobs`, one at a time.

SIGTERM (the unit's graceful stop) lets the job in progress finish, then the
worker exits; a release switch restarts it on the new release. Each job
records the release and host that ran it.
"""

import json
import os
import signal
import socket
import time

import store

RELEASE = os.environ.get("APP_RELEASE") or os.path.basename(os.getcwd())
HOST = socket.gethostname()
STOP = []


def main():
    signal.signal(signal.SIGTERM, lambda *_args: STOP.append(True))
    signal.signal(signal.SIGINT, lambda *_args: STOP.append(True))
    queue = store.queue()
    print("worker of release %s on %s waiting for jobs" % (RELEASE, HOST), flush=True)
    while not STOP:
        try:
            item = queue.blpop(store.JOBS, timeout=1)
        except store.QueueDown as exc:  # like Celery and RQ: wait for the queue rather than die
            print("queue unreachable, retrying: %s" % exc, flush=True)
            time.sleep(1)
            continue
        if not item:
            continue
        job = json.loads(item[1])
        key = "job:" + job["id"]
        queue.hset(key, mapping={"state": "running", "release": RELEASE, "host": HOST})
        deadline = time.monotonic() + job["seconds"]
        while time.monotonic() < deadline:  # a stop signal does not cut a job short
            time.sleep(0.1)
        queue.hset(key, "state", "done")
        print("job %s done" % job["id"], flush=True)
    print("worker of release %s stopped" % RELEASE, flush=True)


if __name__ == "__main__":
    main()
