"""The built collection installs into an empty path, documents its roles and runs.

Builds the tarball with ``ansible-galaxy collection build``, installs it with
``ansible-galaxy collection install --offline`` into an empty collections path
(its dependencies come from the ``ansible`` package, never from Galaxy), reads
the role documentation with ``ansible-doc``, and runs a playbook that uses
``webstack.nginx_uwsgi.nginx`` against a fresh Debian 12 container.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from typing import NamedTuple

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
IMAGE = os.environ.get("WEBSTACK_TEST_IMAGE", "webstack/debian:12")


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, check=False)
    assert proc.returncode == 0, f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return proc


class Installed(NamedTuple):
    tarball: Path
    collections: Path
    env: dict


# Written by `make demo` and `make bench` into the checkout (git-ignored): a
# build after them must not ship them.
GENERATED = [REPO / "inventories/example/demo.ini", REPO / "inventories/example/bench.ini"]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("galaxy")
    made = [path for path in GENERATED if not path.exists()]
    for path in made:
        path.write_text("[webstack_appservers]\n")
    try:
        run(str(BIN / "ansible-galaxy"), "collection", "build", "--output-path", str(work), str(REPO))
    finally:
        for path in made:
            path.unlink()
    tarballs = list(work.glob("webstack-nginx_uwsgi-*.tar.gz"))
    assert len(tarballs) == 1
    colls = work / "collections"
    colls.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env["ANSIBLE_COLLECTIONS_PATH"] = str(colls)
    env["ANSIBLE_NOCOLOR"] = "1"
    run(str(BIN / "ansible-galaxy"), "collection", "install", "--offline", str(tarballs[0]), env=env)
    return Installed(tarballs[0], colls, env)


def test_tarball_leaves_development_files_out(installed):
    with tarfile.open(installed.tarball) as tar:
        names = tar.getnames()
    assert "roles/nginx/tasks/main.yml" in names
    assert "plugins/modules/nginx_facts.py" in names
    assert "meta/runtime.yml" in names
    # galaxy.yml names the license (GPL-3.0-or-later); its text ships beside it.
    assert "LICENSE" in names
    with tarfile.open(installed.tarball) as tar:
        assert b"GNU GENERAL PUBLIC LICENSE" in tar.extractfile("LICENSE").read(200)
    # ansible.cfg points collections_path at the checkout's .cache: meaningless once installed.
    for dev in ("molecule", ".venv", ".cache", "Makefile", "scripts", ".ci", ".git", "ansible.cfg"):
        assert not any(n == dev or n.startswith(dev + "/") for n in names), dev
    # what `make demo` and `make bench` leave in the checkout
    for path in GENERATED:
        assert str(path.relative_to(REPO)) not in names
    assert "inventories/example/group_vars/all.yml" in names


def test_installed_into_empty_path(installed):
    assert (installed.collections / "ansible_collections/webstack/nginx_uwsgi/roles/nginx/meta/argument_specs.yml").is_file()


def test_ansible_doc_shows_role_variables(installed):
    env = installed.env
    out = run(str(BIN / "ansible-doc"), "-t", "role", "webstack.nginx_uwsgi.nginx", env=env).stdout
    for variable in ("nginx_worker_connections", "nginx_server_tokens", "nginx_extra_http_directives"):
        assert variable in out
    out = run(str(BIN / "ansible-doc"), "webstack.nginx_uwsgi.nginx_facts", env=env).stdout
    assert "http2_directive" in out


@pytest.fixture
def container():
    name = f"webstack-install-{uuid.uuid4().hex[:8]}"
    run("docker", "run", "-d", "--name", name, "--cap-add", "SYS_ADMIN", "--cgroupns=host",
        "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw", "--tmpfs", "/run", "--tmpfs", "/tmp", IMAGE, "/lib/systemd/systemd")
    try:
        yield name
    finally:
        subprocess.run(["docker", "rm", "-f", name], capture_output=True, check=False)


def test_playbook_using_the_installed_role_runs(installed, container, tmp_path):
    env = installed.env
    (tmp_path / "inventory.ini").write_text(f"{container} ansible_connection=community.docker.docker\n")
    (tmp_path / "play.yml").write_text(
        "- name: Use the installed collection\n"
        "  hosts: all\n"
        "  gather_facts: false\n"
        "  roles:\n"
        "    - role: webstack.nginx_uwsgi.nginx\n"
    )
    out = run(str(BIN / "ansible-playbook"), "-i", "inventory.ini", "play.yml", env=env, cwd=tmp_path).stdout
    assert "failed=0" in out
    # the image is minimal (no curl): Python's http.client inside the container
    answer = run("docker", "exec", container, "python3", "-c",
                 "import http.client; c = http.client.HTTPConnection('127.0.0.1', 80, timeout=5); c.request('GET', '/');"
                 " r = c.getresponse(); print(r.status, r.getheader('Server'))").stdout.split()
    assert answer == ["404", "nginx"]  # no version
