# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Commands on this machine and in the containers of the benchmark (docker exec).

``run`` (a command here, BenchError when it fails), ``dexec`` and ``dsh``
(in a container), files, Debian packages, /etc/hosts entries, waiting for
an HTTP 200, the TLS server name nginx serves in a container, and the load
average of this machine. ``tls_server_names`` reads an nginx file's text,
so that tests/unit/scripts/test_bench_containers.py checks it without Docker.
"""

from __future__ import annotations

import re
import shlex
import subprocess

from .settings import BenchError


def loadavg() -> str:
    try:
        with open('/proc/loadavg', encoding='ascii') as handle:
            return ' '.join(handle.read().split()[:3])
    except OSError:
        return '?'


def run(argv, check=True, input_text=None, timeout=None, env=None) -> subprocess.CompletedProcess:
    """Run a command on this machine; raises BenchError with its output when it fails and check is true."""
    try:
        proc = subprocess.run(argv, input=input_text, capture_output=True, text=True, timeout=timeout, env=env,
                              check=False)
    except subprocess.TimeoutExpired as exc:
        raise BenchError('%s: no end after %s s' % (shlex.join(argv), timeout)) from exc
    if check and proc.returncode != 0:
        raise BenchError('%s failed (rc=%d):\n%s%s'
                         % (shlex.join(argv), proc.returncode, proc.stdout[-3000:], proc.stderr[-3000:]))
    return proc


def dexec(container, *argv, input_text=None, check=True, timeout=600) -> str:
    """Run argv in a container (docker exec); its standard output."""
    prefix = ['docker', 'exec'] + (['-i'] if input_text is not None else []) + [container]
    return run(prefix + list(argv), check=check, input_text=input_text, timeout=timeout).stdout


def dsh(container, script, *args, input_text=None, timeout=600) -> str:
    """A POSIX shell script in a container, with positional arguments."""
    return dexec(container, 'sh', '-ec', script, 'sh', *args, input_text=input_text, timeout=timeout)


def write_file(container, path, text, mode='0644'):
    """Write a file in a container (its directory is created)."""
    dsh(container, 'mkdir -p "$(dirname "$1")"; cat >"$1"; chmod "$2" "$1"', path, mode, input_text=text)


def exists(container) -> bool:
    return run(['docker', 'container', 'inspect', container], check=False).returncode == 0


def apt_install(container, *packages):
    """Install Debian packages in a container, refreshing the package lists only when needed."""
    dsh(container, 'export DEBIAN_FRONTEND=noninteractive; '
                   'apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1 || '
                   '{ apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "$@" >/dev/null; }',
        *packages)


def add_hosts_entry(container, name, address='127.0.0.1'):
    """Resolve name to address in a container, in /etc/hosts itself: Docker bind-mounts that file, so it is
    appended to in place (a tool that writes a new file and renames it, like sed -i, fails there)."""
    dsh(container, 'grep -Eq "^$2[[:space:]]+$1([[:space:]]|\\$)" /etc/hosts || echo "$2 $1" >>/etc/hosts', name, address)


def tls_server_names(conf_text) -> list:
    """The server names of the first server block of an nginx file that listens with ssl."""
    for block in re.split(r'^\s*server\s*\{', conf_text, flags=re.M)[1:]:
        if re.search(r'^\s*listen\s+[^;]*\bssl\b', block, flags=re.M):
            match = re.search(r'^\s*server_name\s+([^;]+);', block, flags=re.M)
            if match:
                return match.group(1).split()
    return []


def tls_server_name(container):
    """The first server name of the first TLS site nginx serves in a container (a load balancer's), or None."""
    for name in dsh(container, 'ls /etc/nginx/sites-enabled/').split():
        names = tls_server_names(dexec(container, 'cat', '/etc/nginx/sites-enabled/' + name))
        if names:
            return names[0]
    return None


WAIT_HTTP = r'''
import ssl, sys, time, urllib.request
url, seconds = sys.argv[1], float(sys.argv[2])
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE  # the fleet's own (self-signed) certificate
deadline, last = time.time() + seconds, None
while time.time() < deadline:
    try:
        if urllib.request.urlopen(url, timeout=2, context=context).status == 200:
            sys.exit(0)
    except Exception as exc:  # pylint: disable=broad-except
        last = exc
    time.sleep(0.2)
sys.exit('no 200 from %s after %.0f s: %r' % (url, seconds, last))
'''


def wait_http(container, url, seconds=60):
    """Wait until url answers 200 inside the container (python3: the images have no curl)."""
    dexec(container, 'python3', '-c', WAIT_HTTP, url, str(seconds), timeout=seconds + 30)
