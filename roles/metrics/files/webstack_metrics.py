# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collector of the webstack.nginx_uwsgi.metrics role: uWSGI apps and certificates, for Prometheus.

python3 webstack_metrics.py serve --config FILE
    Serve /metrics on the loopback address and port of FILE (JSON written
    by the role) with Debian's python3-prometheus-client, which does the HTTP
    server and the exposition format. Each scrape reads every app's uWSGI
    stats socket, the 5xx lines nginx wrote since the last scrape and the
    certificates file below. Runs as a dynamic user of the app groups and adm.

python3 webstack_metrics.py certificates --config FILE
    Read the certificates of the patterns of FILE and write their expiry to
    its certificates_file (JSON). Run as root by a timer: the certificates
    are world-readable but their directories are not (site_tls_dir, 0750).
"""

from __future__ import annotations

import argparse
import datetime
import glob
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time

PREFIX = 'webstack'
STATES = ('busy', 'idle')
# The most a scrape reads of the 5xx log (a flood of errors must not stall it).
MAX_LOG_BYTES = 16 << 20
STATS_TIMEOUT = 2.0


# ---------------------------------------------------------------- uWSGI

def read_stats(path: str, timeout: float = STATS_TIMEOUT) -> dict:
    """The JSON uWSGI's stats server writes on a connection to its socket ``path``."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
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
    return json.loads(b''.join(chunks).decode('utf-8', 'replace'))


def release_of(stats: dict, app: dict) -> str:
    """The release the app's master serves: its working directory (a release directory), else ``current``."""
    cwd = str(stats.get('cwd') or '').rstrip('/')
    releases = app['releases_dir'].rstrip('/')
    if cwd.startswith(releases + '/'):
        return cwd[len(releases) + 1:].split('/')[0]
    try:
        return os.path.basename(os.readlink(app['current']).rstrip('/'))
    except OSError:
        return ''


def app_values(stats: dict) -> dict:
    """The numbers of one app from its stats: sums over the workers, workers by state, the listen queue."""
    workers = stats.get('workers') or []
    states = dict((state, 0) for state in STATES)
    for worker in workers:
        state = str(worker.get('status') or '')
        # "busy"/"idle"; "cheap", "pause" and "sig..." are neither
        if state in states:
            states[state] += 1
    return {
        'requests': sum(int(w.get('requests') or 0) for w in workers),
        'exceptions': sum(int(w.get('exceptions') or 0) for w in workers),
        'harakiri': sum(int(w.get('harakiri_count') or 0) for w in workers),
        # uWSGI counts a worker's first spawn too
        'respawns': sum(max(int(w.get('respawn_count') or 0) - 1, 0) for w in workers),
        'workers': states,
        'listen_queue': int(stats.get('listen_queue') or 0),
        'listen_queue_errors': int(stats.get('listen_queue_errors') or 0),
    }


# ---------------------------------------------------------------- 5xx from nginx

def upstream_of(field: str) -> str:
    """The upstream that answered last of nginx's ``$upstream_addr`` (``a, b : c`` after retries)."""
    return re.split(r'\s*[,:]\s+', field.strip())[-1] if field.strip() else ''


class StatusLog:
    """Counts the lines nginx appends to its 5xx log (``$upstream_addr $status``), by upstream.

    Reads from where it stopped at every scrape; starts at the end of the
    file (counters start at 0 with the process, as Prometheus expects).
    After a rotation (another inode at the path) it reads the rest of the
    rotated file (``<path>.1``) when it is still there, then the new one.
    """

    def __init__(self, path: str):
        self.path = path
        self.lock = threading.Lock()
        self.by_upstream: dict[str, int] = {}
        self.total = 0
        self.inode = None
        self.offset = 0
        self.partial = b''
        try:
            st = os.stat(path)
            self.inode, self.offset = st.st_ino, st.st_size
        except OSError:
            pass

    def _count(self, data: bytes):
        data = self.partial + data
        lines = data.split(b'\n')
        self.partial = lines.pop()
        for line in lines:
            fields = line.decode('utf-8', 'replace').rsplit(' ', 1)
            if len(fields) != 2 or not fields[1].startswith('5'):
                continue
            self.total += 1
            upstream = upstream_of(fields[0])
            self.by_upstream[upstream] = self.by_upstream.get(upstream, 0) + 1

    def _read(self, path: str, inode, offset: int) -> int | None:
        try:
            with open(path, 'rb') as handle:
                if inode is not None and os.fstat(handle.fileno()).st_ino != inode:
                    return None
                handle.seek(offset)
                data = handle.read(MAX_LOG_BYTES)
                self._count(data)
                return offset + len(data)
        except OSError:
            return None

    def update(self):
        """Count what was appended since the last call."""
        if not self.path:
            return
        with self.lock:
            try:
                st = os.stat(self.path)
            except OSError:
                return
            if self.inode is not None and st.st_ino != self.inode:
                self._read(self.path + '.1', self.inode, self.offset)  # the rest of the rotated file
                self.inode, self.offset, self.partial = st.st_ino, 0, b''
            elif st.st_size < self.offset:  # truncated
                self.offset, self.partial = 0, b''
            self.inode = st.st_ino
            end = self._read(self.path, self.inode, self.offset)
            if end is not None:
                self.offset = end

    def app_count(self, sockets) -> int:
        """The 5xx answers of the upstreams ``unix:<socket>`` of one app."""
        return sum(self.by_upstream.get('unix:' + s, 0) for s in sockets)


# ---------------------------------------------------------------- certificates

def not_after(data: bytes) -> float:
    """The end of validity (a Unix time) of the first certificate of a PEM file."""
    try:
        from cryptography import x509
    except ImportError:
        text = subprocess.run(['openssl', 'x509', '-noout', '-enddate'], input=data, capture_output=True,
                              check=True).stdout.decode()
        end = re.search(r'notAfter=(.+)', text).group(1).strip().replace(' GMT', '')
        return datetime.datetime.strptime(end, '%b %d %H:%M:%S %Y').replace(
            tzinfo=datetime.timezone.utc).timestamp()
    cert = x509.load_pem_x509_certificate(data)
    end = getattr(cert, 'not_valid_after_utc', None)
    if end is None:
        end = cert.not_valid_after.replace(tzinfo=datetime.timezone.utc)
    return end.timestamp()


def site_of(path: str) -> str:
    """The site of a certificate: the name of its directory (site_tls_dir/<site>/fullchain.pem)."""
    return os.path.basename(os.path.dirname(path))


def read_certificates(patterns) -> list[dict]:
    """``[{path, site, not_after}]`` of every certificate the patterns find (``not_after`` None when unreadable)."""
    out = []
    for path in sorted(set(p for pattern in patterns for p in glob.glob(pattern))):
        try:
            with open(path, 'rb') as handle:
                end = not_after(handle.read())
        except Exception:  # pylint: disable=broad-except  # an unreadable certificate is reported, not fatal
            end = None
        out.append({'path': path, 'site': site_of(path), 'not_after': end})
    return out


def write_certificates(config: dict):
    found = read_certificates(config.get('certificates') or [])
    target = config['certificates_file']
    tmp = target + '.tmp'
    with open(tmp, 'w') as handle:
        json.dump({'read': time.time(), 'certificates': found}, handle, sort_keys=True)
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)


def load_certificates(path: str) -> dict:
    try:
        with open(path) as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return {'read': None, 'certificates': []}


# ---------------------------------------------------------------- Prometheus

class Collector:
    """A prometheus_client collector: every family is read fresh at each scrape."""

    def __init__(self, config: dict, stats_reader=read_stats, clock=time.time):
        self.config = config
        self.status = StatusLog(config.get('status_log') or '')
        self.read_stats = stats_reader
        self.clock = clock

    def collect(self):
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        def gauge(name, doc, labels):
            return GaugeMetricFamily('%s_%s' % (PREFIX, name), doc, labels=labels)

        def counter(name, doc, labels):
            return CounterMetricFamily('%s_%s' % (PREFIX, name), doc, labels=labels)

        up = gauge('uwsgi_up', 'Whether the stats socket of the uWSGI app answered (1) or not (0).', ['app'])
        info = gauge('uwsgi_release_info', 'The release the uWSGI app serves (1 for that release).',
                     ['app', 'release'])
        requests = counter('uwsgi_requests', 'Requests the workers of the uWSGI app handled (since its start).',
                           ['app', 'release'])
        exceptions = counter('uwsgi_exceptions', 'Exceptions the workers of the uWSGI app raised.', ['app', 'release'])
        harakiri = counter('uwsgi_harakiri', 'Workers of the uWSGI app killed by harakiri.', ['app', 'release'])
        respawns = counter('uwsgi_respawns', 'Times the workers of the uWSGI app were respawned.', ['app', 'release'])
        workers = gauge('uwsgi_workers', 'Workers of the uWSGI app by state (busy, idle).', ['app', 'release', 'state'])
        queue = gauge('uwsgi_listen_queue', 'Connections waiting in the socket backlog of the uWSGI app.',
                      ['app', 'release'])
        queue_errors = counter('uwsgi_listen_queue_errors', 'Connections the full backlog of the uWSGI app refused.',
                               ['app', 'release'])
        errors = counter('uwsgi_responses_5xx', 'Answers with a 5xx status nginx sent for the uWSGI app '
                         '(counted from its access log since the collector started).', ['app'])
        nginx_errors = counter('nginx_responses_5xx', 'Answers with a 5xx status nginx sent on this host (counted '
                               'from its access log since the collector started).', [])
        self.status.update()
        for app in self.config.get('apps') or []:
            name = app['name']
            errors.add_metric([name], self.status.app_count(app['sockets']))
            try:
                stats = self.read_stats(app['stats'])
            except (OSError, ValueError):
                up.add_metric([name], 0)
                continue
            up.add_metric([name], 1)
            release = release_of(stats, app)
            values = app_values(stats)
            info.add_metric([name, release], 1)
            requests.add_metric([name, release], values['requests'])
            exceptions.add_metric([name, release], values['exceptions'])
            harakiri.add_metric([name, release], values['harakiri'])
            respawns.add_metric([name, release], values['respawns'])
            for state, count in sorted(values['workers'].items()):
                workers.add_metric([name, release, state], count)
            queue.add_metric([name, release], values['listen_queue'])
            queue_errors.add_metric([name, release], values['listen_queue_errors'])
        nginx_errors.add_metric([], self.status.total)
        yield from (up, info, requests, exceptions, harakiri, respawns, workers, queue, queue_errors, errors,
                    nginx_errors)
        yield from self.certificate_families(gauge)

    def certificate_families(self, gauge):
        now = self.clock()
        read = load_certificates(self.config.get('certificates_file') or '')
        left = gauge('certificate_expiry_seconds', 'Seconds until the certificate expires (negative once expired).',
                     ['site', 'path'])
        days = gauge('certificate_expiry_days', 'Whole days until the certificate expires (negative once expired).',
                     ['site', 'path'])
        readable = gauge('certificate_readable', 'Whether the certificate could be read (1) or not (0).',
                         ['site', 'path'])
        for cert in read.get('certificates') or []:
            labels = [cert['site'], cert['path']]
            readable.add_metric(labels, 0 if cert.get('not_after') is None else 1)
            if cert.get('not_after') is not None:
                seconds = float(cert['not_after']) - now
                left.add_metric(labels, seconds)
                days.add_metric(labels, int(seconds // 86400))
        age = gauge('certificates_read_timestamp_seconds', 'When the certificates were last read (Unix time).', [])
        if read.get('read') is not None:
            age.add_metric([], float(read['read']))
        yield from (left, days, readable, age)


def serve(config: dict):
    from prometheus_client import start_http_server
    from prometheus_client.core import REGISTRY

    REGISTRY.register(Collector(config))
    start_http_server(int(config['port']), addr=str(config['listen']))
    threading.Event().wait()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('command', choices=['serve', 'certificates'])
    parser.add_argument('--config', required=True)
    args = parser.parse_args(argv)
    with open(args.config) as handle:
        config = json.load(handle)
    if args.command == 'certificates':
        write_certificates(config)
        return 0
    serve(config)
    return 0


if __name__ == '__main__':
    sys.exit(main())
