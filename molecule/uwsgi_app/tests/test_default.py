"""Verify the uwsgi_app role after converge and the side effect.

Final state expected: app `hello` (requirements from the wheelhouse) rolled
back to release r1 from a directory (r2, from an archive, kept; the broken
release left for inspection); app `world` (requirements from the index) on
the commit of tag v1.0 of a git repository.
Requests are sent in the uwsgi protocol straight to the unix sockets.
"""

import glob
import hashlib
import json
import os
import re
import tarfile
import time

import pytest

APPS = ["hello", "world"]

REQUEST = r"""
import socket, struct, sys
env = {"REQUEST_METHOD": "GET", "PATH_INFO": sys.argv[2], "QUERY_STRING": "", "SERVER_NAME": "localhost",
       "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "localhost"}
body = b"".join(struct.pack("<H", len(k)) + k.encode() + struct.pack("<H", len(v)) + v.encode() for k, v in env.items())
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
s.sendall(struct.pack("<BHB", 0, len(body), 0) + body)
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
sys.stdout.write(data.decode())
"""


def uwsgi_get(host, app, path="/", user=None):
    cmd = "python3 -c %s %s %s"
    args = [REQUEST, "/run/uwsgi-app/%s/uwsgi.sock" % app, path]
    if user:
        cmd = "runuser -u %s -- " + cmd
        args = [user] + args
    return host.run(cmd, *args)


def answer(host, app, path="/"):
    result = uwsgi_get(host, app, path)
    assert result.rc == 0, result.stderr
    head, _sep, body = result.stdout.partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 200"), result.stdout
    return body


def main_pid(host, app):
    return int(host.check_output("systemctl show --property=MainPID --value uwsgi-app-%s.service", app))


def workers(host, app):
    return [int(p) for p in host.check_output("pgrep -P %s", str(main_pid(host, app))).split()]


def wait_for(predicate, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def release_of(host, app):
    return host.check_output("readlink /srv/%s/current", app).rsplit("/", 1)[1]


def test_packages_from_the_debian_archive(host):
    assert host.package("uwsgi-core").is_installed
    assert host.package("uwsgi-plugin-python3").is_installed


@pytest.mark.parametrize("app", APPS)
def test_app_answers_with_its_release(host, app):
    body = answer(host, app)
    assert body == "host=%s release=%s app=%s\n" % (host.check_output("hostname"), release_of(host, app), app)
    assert answer(host, app, "/healthz") == "ok\n"


def test_final_releases(host):
    # hello: r1 -> broken1 (refused) -> r2 (under load) -> rollback to r1
    assert release_of(host, "hello") == "r1"
    assert host.file("/srv/hello/previous").linked_to == "/srv/hello/releases/r1"
    assert host.file("/srv/hello/releases/r2/.uwsgi-app-release").exists
    broken = host.file("/srv/hello/releases/broken1")
    assert broken.is_directory and not host.file("/srv/hello/releases/broken1/.uwsgi-app-release").exists
    # world: git commit as release id, never switched
    assert len(release_of(host, "world")) == 12
    assert not host.file("/srv/world/previous").exists


def test_git_release_is_the_commit_of_the_tag(host):
    assert host.package("git").is_installed  # installed by the role, not by prepare
    commit = host.check_output("git -C /srv/git/flask_app.git rev-parse 'v1.0^{commit}'")
    assert release_of(host, "world") == commit[:12]
    release = "/srv/world/releases/%s" % commit[:12]
    assert host.file(release + "/wsgi.py").is_file
    assert not host.file(release + "/.git").exists
    assert host.check_output("git -C /srv/world/repo rev-parse HEAD") == commit


def test_archive_release(host):
    code = host.file("/srv/hello/releases/r2/wsgi.py")
    assert (code.user, code.group, code.mode) == ("root", "root", 0o644)
    assert host.file("/srv/hello/releases/r2/requirements.txt").is_file
    assert host.file("/srv/hello/releases/r2/.uwsgi-app-release").content_string == "r2\n"


def mtime(host, path):
    return float(host.check_output("stat -c %%.9Y %s", path))


@pytest.mark.parametrize("release", ["r1", "r2"])
def test_wheelhouse_release_installed_without_index(host, release):
    base = "/srv/hello/releases/%s" % release
    log = host.file(base + "/.uwsgi-app-pip.log").content_string
    assert "Ignoring indexes:" in log
    searched = re.findall(r"^\S+ (\d+) location\(s\) to search for versions of (\S+):$", log, re.M)
    assert ("0", "flask") in searched and all(count == "0" for count, _name in searched)
    assert "Successfully installed" in log and "flask-3." in log.lower()
    # wheels of this host's Python (MarkupSafe has a compiled part)
    tag = host.check_output("python3 -c %s", "import sys; print('cp%d%d' % sys.version_info[:2])")
    wheels = host.check_output("ls %s/.wheelhouse", base).split()
    assert any(w.startswith("flask-") for w in wheels)
    assert any(w.lower().startswith("markupsafe-") and "-%s-" % tag in w for w in wheels), wheels


def test_wheelhouse_built_once_per_debian_release(host):
    """One tar per Debian release on the controller, made before r1 was built and reused for r2."""
    codename = host.check_output(". /etc/os-release && echo $VERSION_CODENAME")
    arch = host.check_output("uname -m")
    tars = glob.glob(os.path.join(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"], "wheelhouse/hello/%s-%s/*.tar" % (codename, arch)))
    assert len(tars) == 1, tars
    with tarfile.open(tars[0]) as tar:
        names = sorted(os.path.basename(n) for n in tar.getnames() if n.endswith(".whl"))
    for release in ["r1", "r2"]:
        assert sorted(host.check_output("ls /srv/hello/releases/%s/.wheelhouse", release).split()) == names
    assert os.stat(tars[0]).st_mtime < mtime(host, "/srv/hello/releases/r1/.uwsgi-app-release")


def test_index_release_installed_from_the_index(host):
    log = host.file("/srv/world/releases/%s/.uwsgi-app-pip.log" % release_of(host, "world")).content_string
    assert "Ignoring indexes:" not in log
    assert re.search(r"^\S+ [1-9]\d* location\(s\) to search for versions of flask:$", log, re.M)
    assert not host.file("/srv/world/releases/%s/.wheelhouse" % release_of(host, "world")).exists


@pytest.mark.parametrize("app", APPS)
def test_ini_names_the_release_not_the_symlink(host, app):
    ini = host.file("/etc/uwsgi-app/%s.ini" % app)
    assert ini.user == "root" and ini.mode == 0o644
    content = ini.content_string
    release = release_of(host, app)
    assert "chdir = /srv/%s/releases/%s\n" % (app, release) in content
    assert "/current" not in content
    for line in ["strict = true", "master = true", "need-app = true", "die-on-term = true",
                 "socket = /run/uwsgi-app/%s/uwsgi.sock" % app, "env = APP_RELEASE=%s" % release]:
        assert line + "\n" in content
    # the socket is systemd's (a .socket unit): uWSGI neither creates, chowns nor removes it; chmod-socket
    # reaches only the stats socket uWSGI makes itself (0660: the metrics role's collector is in the app's
    # group), and the app socket keeps systemd's owner and mode (test_socket_shared_with_nginx_group_only)
    for option in ("vacuum", "chown-socket"):
        assert "\n%s = " % option not in content
    assert "\nchmod-socket = 660\n" in content


def test_option_overrides(host):
    assert "processes = 2\nthreads = 2\n" in host.file("/etc/uwsgi-app/hello.ini").content_string
    world = host.file("/etc/uwsgi-app/world.ini").content_string
    assert "processes = %k\n" in world and "harakiri = 20\n" in world and "\nthreads = " not in world


@pytest.mark.parametrize("app", APPS)
def test_service_enabled_running_hardened(host, app):
    unit = "uwsgi-app-%s.service" % app
    assert host.service(unit).is_enabled
    assert host.service(unit).is_running
    props = dict(line.split("=", 1) for line in host.check_output(
        "systemctl show --property=Type,NotifyAccess,User,Group,Restart,NoNewPrivileges,ProtectSystem,"
        "ProtectHome,PrivateTmp,RuntimeDirectory,SupplementaryGroups %s", unit).splitlines())
    assert props == {"Type": "notify", "NotifyAccess": "all", "User": app, "Group": app, "Restart": "on-failure",
                     "NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes",
                     "RuntimeDirectory": "uwsgi-app/%s/stats" % app, "SupplementaryGroups": ""}
    assert host.service("uwsgi-app-%s.socket" % app).is_enabled


@pytest.mark.parametrize("app", APPS)
def test_systemd_rates_the_unit_exposure_low(host, app):
    """Issue 12, item 12: systemd-analyze security at most 2.5 (it was 7.5 EXPOSED)."""
    out = host.check_output("systemd-analyze security --no-pager uwsgi-app-%s.service", app)
    score = float(re.search(r"Overall exposure level for \S+: ([0-9.]+)", out).group(1))
    assert score <= 2.5, out


@pytest.mark.parametrize("app", APPS)
def test_processes_run_as_the_app_user(host, app):
    pids = [main_pid(host, app)] + workers(host, app)
    assert len(pids) >= 2
    for pid in pids:
        assert host.check_output("ps -o user= -p %s", str(pid)).strip() == app
    user = host.user(app)
    assert user.shell == "/usr/sbin/nologin"
    assert user.group == app


@pytest.mark.parametrize("app", APPS)
def test_socket_shared_with_nginx_group_only(host, app):
    sock = host.file("/run/uwsgi-app/%s/uwsgi.sock" % app)
    assert sock.is_socket
    assert (sock.user, sock.group, sock.mode) == (app, "www-data", 0o660)
    assert uwsgi_get(host, app, user="www-data").stdout.startswith("HTTP/1.1 200")


@pytest.mark.parametrize("app", APPS)
def test_stats_socket_for_the_app_group_only(host, app):
    """The stats socket uWSGI makes (chmod-socket 660): the app's user and group, nobody else."""
    sock = host.file("/run/uwsgi-app/%s/stats/stats.sock" % app)
    assert sock.is_socket
    assert (sock.user, sock.group, sock.mode) == (app, app, 0o660)
    # neither a stranger nor another app (issue 12, item 10: apps shared www-data before)
    other = [a for a in APPS if a != app][0]
    for user in ("nobody", other):
        denied = uwsgi_get(host, app, user=user)
        assert denied.rc != 0 and "Permission denied" in denied.stderr, user
    assert "www-data" not in host.check_output("id -nG %s", app)


GREETING = "hello $(HOME) %(_) @(/etc/hostname) ;'single' \"double\" \\n\nsecond line"
SECRET = "p@ss$(HOME)%(_)@(x);'\"not-a-real-secret-4f9c"


def test_env_file_and_secret_arrive_byte_for_byte(host):
    """Issue 12, item 6: nothing expands $(, %(, @(, quotes or line breaks of env and secret values."""
    env = host.file("/etc/uwsgi-app/hello.env")
    assert (env.user, env.group, env.mode) == ("root", "hello", 0o640)
    assert json.loads(env.content_string)["secrets"]["APP_SECRET_KEY"] == SECRET
    assert json.loads(answer(host, "hello", "/config")) == {
        "secret_key_set": True, "secret_key_sha256": hashlib.sha256(SECRET.encode()).hexdigest(), "greeting": GREETING}
    world = host.file("/etc/uwsgi-app/world.env")
    assert (world.user, world.group, world.mode) == ("root", "world", 0o640)


def test_killed_worker_is_respawned(host):
    before = workers(host, "hello")
    master = main_pid(host, "hello")
    host.run("kill -9 %s", str(before[0]))
    assert wait_for(lambda: len(workers(host, "hello")) == len(before) and before[0] not in workers(host, "hello"))
    assert main_pid(host, "hello") == master
    assert "release=r1" in answer(host, "hello")


def test_killed_master_is_restarted_by_systemd(host):
    master = main_pid(host, "world")
    restarts = int(host.check_output("systemctl show --property=NRestarts --value uwsgi-app-world.service"))
    host.run("kill -9 %s", str(master))
    assert wait_for(lambda: host.service("uwsgi-app-world.service").is_running and main_pid(host, "world") not in (0, master)
                    and host.run("python3 /usr/local/lib/uwsgi-app/uwsgi_app_ctl.py wait /run/uwsgi-app/world/stats/stats.sock /srv/world/releases/%s 1",
                                 release_of(host, "world")).rc == 0)
    assert int(host.check_output("systemctl show --property=NRestarts --value uwsgi-app-world.service")) == restarts + 1
    assert "app=world" in answer(host, "world")


def test_shared_path_belongs_to_the_app_and_survives_releases(host):
    shared = host.file("/srv/hello/shared/instance")
    assert shared.is_directory and (shared.user, shared.group, shared.mode) == ("hello", "hello", 0o750)
    for release in ("r1", "r2"):
        link = host.file("/srv/hello/releases/%s/instance" % release)
        assert link.is_symlink and link.linked_to == "/srv/hello/shared/instance"
    # the app may write there (ReadWritePaths), and nowhere in its code
    assert host.run("runuser -u hello -- touch /srv/hello/shared/instance/probe").rc == 0
    assert host.run("runuser -u hello -- touch /srv/hello/current/probe").rc != 0


def test_procps_installed_by_the_role(host):
    """Issue 12, item 4: the units' ExecReload needs /bin/kill; minimal images lack it."""
    assert host.package("procps").is_installed
    assert host.file("/bin/kill").exists
