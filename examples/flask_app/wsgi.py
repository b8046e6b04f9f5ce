# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Example Flask app for the uwsgi_app role: small, but with what a real app has.

`/` answers `host=<hostname> release=<id> app=<name>`, so a load balancer's
round robin and a release switch are visible; `/healthz` answers `ok`;
`/whoami` shows the client address and request id the app was given (what
nginx's real_ip_from and request_id made of them).
APP_NAME and APP_RELEASE come from the uWSGI ini the role renders.

With DATABASE_URL (postgresql://user:password@host/db) it keeps notes in a
database whose schema `flask --app wsgi migrate` brings up to date (a hook of
the rollout, once for the fleet); with REDIS_URL it queues jobs for the worker
(worker.py, a unit of its own); uploads go to `uploads/`, a shared path that
outlives releases; `static/` is served by nginx. Without those variables it is
the hello-world app the other tests use.
"""

import hashlib
import json
import os
import socket
import uuid

from flask import Flask, abort, request

import store

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("APP_SECRET_KEY")

RELEASE = os.environ.get("APP_RELEASE", "unknown")
NAME = os.environ.get("APP_NAME", "app")
HOST = socket.gethostname()
UPLOADS = os.path.join(app.root_path, "uploads")
TEXT = {"Content-Type": "text/plain; charset=utf-8"}


@app.get("/")
def index():
    return "host=%s release=%s app=%s\n" % (HOST, RELEASE, NAME), 200, TEXT


@app.get("/healthz")
def healthz():
    return "ok\n", 200, TEXT


@app.get("/whoami")
def whoami():
    """The client as the app sees it (REMOTE_ADDR) and the id nginx gave the request (X-Request-ID)."""
    return {"remote_addr": request.remote_addr, "request_id": request.environ.get("HTTP_X_REQUEST_ID"), "host": HOST}


@app.get("/config")
def config():
    """Which settings reached the app: the greeting, and of the secret only whether it is set and its SHA-256."""
    secret = app.config["SECRET_KEY"]
    return {
        "secret_key_set": bool(secret),
        "secret_key_sha256": hashlib.sha256(secret.encode("utf-8")).hexdigest() if secret else None,
        "greeting": os.environ.get("GREETING"),
    }


@app.route("/notes", methods=["GET", "POST"])
def notes():
    """Notes in the database (their `author` column comes from migration 0002)."""
    with store.database() as db:
        if request.method == "POST":
            db.run("INSERT INTO notes (body, author) VALUES (:body, :author)",
                   body=request.form["body"], author=request.form.get("author", HOST))
        rows = db.run("SELECT id, body, author FROM notes ORDER BY id")
    return {"notes": [{"id": i, "body": b, "author": a} for i, b, a in rows], "release": RELEASE}


@app.get("/migrations")
def migrations():
    """Every run of `flask migrate`: where, from which release, and what it applied."""
    with store.database() as db:
        return {"runs": store.migration_runs(db), "applied": store.applied(db)}


@app.route("/uploads/<name>", methods=["GET", "PUT"])
def uploads(name):
    """Files kept in the shared path `uploads`, which every release sees."""
    if not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
        abort(400)
    path = os.path.join(UPLOADS, name)
    if request.method == "PUT":
        with open(path, "wb") as handle:
            handle.write(request.get_data())
        return {"stored": name, "release": RELEASE}, 201
    if not os.path.exists(path):
        abort(404)
    with open(path, "rb") as handle:
        return handle.read(), 200, TEXT


@app.post("/jobs")
def enqueue():
    """A job for the worker: it takes `seconds` to run."""
    job = {"id": uuid.uuid4().hex, "seconds": float(request.form.get("seconds", 1))}
    queue = store.queue()
    queue.hset("job:" + job["id"], mapping={"state": "queued", "enqueued_by": RELEASE})
    queue.rpush(store.JOBS, json.dumps(job))
    return job, 202


@app.get("/jobs/<job_id>")
def job(job_id):
    found = store.queue().hgetall("job:" + job_id)
    if not found:
        abort(404)
    return {key.decode(): value.decode() for key, value in found.items()}


@app.cli.command("migrate")
def migrate():
    """Apply the migrations of migrations/ that the database has not seen (once per rollout: a hook)."""
    with store.database() as db:
        done = store.migrate(db, os.path.join(app.root_path, "migrations"), HOST, RELEASE)
    print("applied: %s" % (", ".join(done) or "nothing"))
