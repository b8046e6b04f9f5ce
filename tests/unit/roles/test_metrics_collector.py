# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""roles/metrics/files/webstack_metrics.py: uWSGI stats, the 5xx log, certificates, the exposition."""

from __future__ import annotations

import datetime
import importlib.util
import json
import os
import socket
import threading
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / 'roles/metrics/files/webstack_metrics.py'
SPEC = importlib.util.spec_from_file_location('webstack_metrics', SCRIPT)
wm = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(wm)

STATS = {
    'version': '2.0.21', 'listen_queue': 3, 'listen_queue_errors': 1, 'cwd': '/srv/shop/releases/abc123',
    'workers': [
        {'id': 1, 'status': 'busy', 'requests': 10, 'exceptions': 1, 'harakiri_count': 0, 'respawn_count': 1},
        {'id': 2, 'status': 'idle', 'requests': 5, 'exceptions': 0, 'harakiri_count': 2, 'respawn_count': 3},
        {'id': 3, 'status': 'cheap', 'requests': 0, 'exceptions': 0, 'harakiri_count': 0, 'respawn_count': 0},
    ],
}
APP = {'name': 'shop', 'group': 'shop', 'stats': '/nonexistent/stats.sock', 'sockets': ['/run/u/shop/uwsgi.sock'],
       'releases_dir': '/srv/shop/releases', 'current': '/srv/shop/current'}


def test_read_stats_from_a_unix_socket(tmp_path):
    path = str(tmp_path / 'stats.sock')
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)

    def answer():
        conn = server.accept()[0]
        conn.sendall(json.dumps(STATS).encode())
        conn.close()

    thread = threading.Thread(target=answer)
    thread.start()
    try:
        assert wm.read_stats(path) == STATS
    finally:
        thread.join()
        server.close()


def test_read_stats_of_a_missing_socket_raises(tmp_path):
    with pytest.raises(OSError):
        wm.read_stats(str(tmp_path / 'none.sock'))


def test_release_from_the_working_directory_then_current(tmp_path):
    assert wm.release_of(STATS, APP) == 'abc123'
    app = dict(APP, releases_dir=str(tmp_path / 'releases'), current=str(tmp_path / 'current'))
    os.symlink(str(tmp_path / 'releases/def456'), app['current'])
    assert wm.release_of({'cwd': '/elsewhere'}, app) == 'def456'
    assert wm.release_of({}, dict(app, current=str(tmp_path / 'none'))) == ''


def test_app_values_sum_the_workers():
    assert wm.app_values(STATS) == {'requests': 15, 'exceptions': 1, 'harakiri': 2, 'respawns': 2,
                                    'workers': {'busy': 1, 'idle': 1}, 'listen_queue': 3, 'listen_queue_errors': 1}
    assert wm.app_values({})['workers'] == {'busy': 0, 'idle': 0}


@pytest.mark.parametrize('field, upstream', [
    ('unix:/run/u/shop/uwsgi.sock', 'unix:/run/u/shop/uwsgi.sock'),
    ('10.0.0.1:8080, 10.0.0.2:8080', '10.0.0.2:8080'),
    ('10.0.0.1:8080 : 10.0.0.3:8080', '10.0.0.3:8080'),
    ('-', '-'),
    ('', ''),
])
def test_upstream_that_answered_last(field, upstream):
    assert wm.upstream_of(field) == upstream


def test_status_log_counts_from_the_end_then_what_is_appended(tmp_path):
    path = tmp_path / '5xx.log'
    path.write_text('unix:/run/u/shop/uwsgi.sock 500\n')  # before the collector started: not counted
    log = wm.StatusLog(str(path))
    with open(path, 'a') as handle:
        handle.write('unix:/run/u/shop/uwsgi.sock 502\n- 503\n10.0.0.1:8080 500\nunix:/run/u/shop/uwsgi.sock 5')
    log.update()
    assert log.total == 3 and log.app_count(APP['sockets']) == 1  # the half-written line waits
    with open(path, 'a') as handle:
        handle.write('00\nnot a line\n')
    log.update()
    assert log.total == 4 and log.app_count(APP['sockets']) == 2


def test_status_log_follows_a_rotation_and_a_truncation(tmp_path):
    path = tmp_path / '5xx.log'
    path.write_text('')
    log = wm.StatusLog(str(path))
    path.write_text('- 500\n')
    log.update()
    with open(path, 'a') as handle:
        handle.write('- 501\n')  # written before the rotation, read after it from <path>.1
    os.rename(path, str(path) + '.1')
    path.write_text('- 502\n- 503\n')
    log.update()
    assert log.total == 4
    path.write_text('- 504\n')  # truncated (same inode, shorter)
    log.update()
    assert log.total == 5


def test_status_log_without_a_file(tmp_path):
    log = wm.StatusLog(str(tmp_path / 'none.log'))
    log.update()
    assert log.total == 0
    wm.StatusLog('').update()


def _certificate(path: Path, days: int):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'shop.test')])
    now = datetime.datetime.now(datetime.timezone.utc)
    end = now + datetime.timedelta(days=days)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(end)
            .sign(key, hashes.SHA256()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return end.timestamp()


def test_certificates_are_read_and_written_for_the_collector(tmp_path):
    end = _certificate(tmp_path / 'tls/shop/fullchain.pem', 30)
    (tmp_path / 'tls/broken').mkdir()
    (tmp_path / 'tls/broken/fullchain.pem').write_text('not a certificate')
    config = {'certificates': [str(tmp_path / 'tls/*/fullchain.pem')],
              'certificates_file': str(tmp_path / 'certificates.json')}
    assert wm.main(['certificates', '--config', _config(tmp_path, config)]) == 0
    read = json.loads((tmp_path / 'certificates.json').read_text())
    assert [(c['site'], c['not_after'] is None) for c in read['certificates']] == [('broken', True), ('shop', False)]
    assert abs(read['certificates'][1]['not_after'] - end) < 2
    assert oct(os.stat(tmp_path / 'certificates.json').st_mode & 0o777) == '0o644'
    assert wm.load_certificates(str(tmp_path / 'none.json')) == {'read': None, 'certificates': []}


def _config(tmp_path, config):
    path = tmp_path / 'config.json'
    path.write_text(json.dumps(config))
    return str(path)


def test_not_after_with_openssl_when_cryptography_is_missing(tmp_path, monkeypatch):
    end = _certificate(tmp_path / 'c.pem', 10)
    import builtins
    real_import = builtins.__import__

    def no_cryptography(name, *args, **kwargs):
        if name.startswith('cryptography'):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, '__import__', no_cryptography)
    assert abs(wm.not_after((tmp_path / 'c.pem').read_bytes()) - int(end)) < 2


def test_the_exposition(tmp_path):
    from prometheus_client import CollectorRegistry, generate_latest

    (tmp_path / 'certificates.json').write_text(json.dumps({'read': 1000.0, 'certificates': [
        {'path': '/etc/ssl/site/shop/fullchain.pem', 'site': 'shop', 'not_after': 1000.0 + 10.5 * 86400},
        {'path': '/etc/ssl/site/bad/fullchain.pem', 'site': 'bad', 'not_after': None}]}))
    log = tmp_path / '5xx.log'
    log.write_text('')
    down = dict(APP, name='down', stats='/nonexistent/down.sock', sockets=['/run/u/down/uwsgi.sock'])
    config = {'apps': [APP, down], 'status_log': str(log), 'certificates_file': str(tmp_path / 'certificates.json')}

    def stats(path):
        if path == APP['stats']:
            return STATS
        raise OSError('connection refused')

    registry = CollectorRegistry()
    registry.register(wm.Collector(config, stats_reader=stats, clock=lambda: 1000.0))
    log.write_text('unix:/run/u/shop/uwsgi.sock 500\n10.0.0.1:8080 502\n')
    text = generate_latest(registry).decode()
    expected = [
        'webstack_uwsgi_up{app="shop"} 1.0',
        'webstack_uwsgi_up{app="down"} 0.0',
        'webstack_uwsgi_release_info{app="shop",release="abc123"} 1.0',
        'webstack_uwsgi_requests_total{app="shop",release="abc123"} 15.0',
        'webstack_uwsgi_exceptions_total{app="shop",release="abc123"} 1.0',
        'webstack_uwsgi_harakiri_total{app="shop",release="abc123"} 2.0',
        'webstack_uwsgi_respawns_total{app="shop",release="abc123"} 2.0',
        'webstack_uwsgi_workers{app="shop",release="abc123",state="busy"} 1.0',
        'webstack_uwsgi_workers{app="shop",release="abc123",state="idle"} 1.0',
        'webstack_uwsgi_listen_queue{app="shop",release="abc123"} 3.0',
        'webstack_uwsgi_listen_queue_errors_total{app="shop",release="abc123"} 1.0',
        'webstack_uwsgi_responses_5xx_total{app="shop"} 1.0',
        'webstack_uwsgi_responses_5xx_total{app="down"} 0.0',
        'webstack_nginx_responses_5xx_total 2.0',
        'webstack_certificate_expiry_seconds{path="/etc/ssl/site/shop/fullchain.pem",site="shop"} 907200.0',
        'webstack_certificate_expiry_days{path="/etc/ssl/site/shop/fullchain.pem",site="shop"} 10.0',
        'webstack_certificate_readable{path="/etc/ssl/site/shop/fullchain.pem",site="shop"} 1.0',
        'webstack_certificate_readable{path="/etc/ssl/site/bad/fullchain.pem",site="bad"} 0.0',
        'webstack_certificates_read_timestamp_seconds 1000.0',
    ]
    lines = text.splitlines()
    assert [line for line in expected if line not in lines] == []
    assert 'release="abc123",app="down"' not in text and 'webstack_uwsgi_requests_total{app="down"' not in text
