# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The metrics role's rules (never open to all, one address, ports) and what it installs, worked out once."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import metrics_rules

DEFAULTS = yaml.safe_load((Path(__file__).resolve().parents[4] / 'roles/metrics/defaults/main.yml').read_text())
PATHS = {'status_log': '/var/log/nginx/webstack-metrics-5xx.log', 'certificates_file': '/var/lib/wm/c.json'}


def values(**changes):
    out = dict(DEFAULTS)
    out.update(changes)
    return out


def test_the_defaults_pass_and_serve_nothing():
    assert metrics_rules.problems(values()) == []
    assert metrics_rules.normalize(values(), PATHS)['enabled'] is False


def test_scrapers_and_an_address_pass():
    assert metrics_rules.problems(values(metrics_allow=['10.0.0.9', '10.1.0.0/16', 'fd00::1'],
                                         metrics_address='10.0.0.5')) == []


@pytest.mark.parametrize('entry, message', [
    ('all', r'metrics_allow\[0\] \(all\) must be the address or CIDR range of a scraper'),
    ('0.0.0.0/0', r'metrics_allow\[0\] \(0\.0\.0\.0/0\) lets every address in'),
    ('::/0', r'metrics_allow\[0\] \(::/0\) lets every address in'),
    ('10.0.0.300', r'metrics_allow\[0\] \(10\.0\.0\.300\) must be'),
])
def test_allow_is_never_everyone(entry, message):
    out = metrics_rules.problems(values(metrics_allow=[entry], metrics_address='10.0.0.5'))
    assert len(out) == 1 and __import__('re').search(message, out[0]), out


def test_scrapers_need_an_address():
    assert metrics_rules.problems(values(metrics_allow=['10.0.0.9'])) == [
        'metrics_address is not set: give the address of the host the scrapers of metrics_allow reach (the metrics '
        'are served nowhere else).']


@pytest.mark.parametrize('address, message', [
    ('0.0.0.0', 'metrics_address (0.0.0.0) listens on every address'),
    ('::', 'metrics_address (::) listens on every address'),
    ('web1', 'metrics_address (web1) must be an IPv4 or IPv6 address of the host.'),
    ('10.0.0.0/24', 'metrics_address (10.0.0.0/24) must be an IPv4 or IPv6 address of the host.'),
])
def test_the_address_is_one_address(address, message):
    out = metrics_rules.problems(values(metrics_allow=['10.0.0.9'], metrics_address=address))
    assert len(out) == 1 and out[0].startswith(message), out


def test_ports():
    assert metrics_rules.problems(values(metrics_port=70000)) == ['metrics_port (70000) must be a port (1-65535).']
    assert metrics_rules.problems(values(metrics_collector_port=9113)) == [
        'metrics_port, metrics_nginx_exporter_port and metrics_collector_port (9180, 9113, 9113) must be three '
        'different ports.']


@pytest.mark.parametrize('url', ['http://10.0.0.5/nginx_status', 'https://127.0.0.1/s', 'http://127.0.0.1/a b'])
def test_the_status_url_is_on_loopback(url):
    out = metrics_rules.problems(values(metrics_nginx_status_url=url))
    assert len(out) == 1 and out[0].startswith('metrics_nginx_status_url (%s) must be an http:// URL on loopback' % url)


def test_apps_and_certificates():
    out = metrics_rules.problems(values(metrics_uwsgi_apps=[{'name': 'ok'}, {'src': '/x'}, 'bad'],
                                        metrics_certificates=['relative/*.pem', '/etc/ssl/a b.pem']))
    assert out == [
        'metrics_uwsgi_apps[1] must be an app of uwsgi_app_apps, with its name.',
        'metrics_uwsgi_apps[2] must be an app of uwsgi_app_apps, with its name.',
        'metrics_certificates[0] (relative/*.pem) must be an absolute path or pattern (no spaces or quotes).',
        'metrics_certificates[1] (/etc/ssl/a b.pem) must be an absolute path or pattern (no spaces or quotes).',
    ]


def test_listen_brackets_ipv6():
    assert metrics_rules.listen('10.0.0.5', 9180) == '10.0.0.5:9180'
    assert metrics_rules.listen('fd00::5', '9180') == '[fd00::5]:9180'


def test_normalize():
    out = metrics_rules.normalize(values(
        metrics_allow=['10.0.0.9'], metrics_address='10.0.0.5',
        metrics_uwsgi_apps=[{'name': 'shop', 'socket': '/run/uwsgi-app/shop/s.sock', 'secrets': {'K': 's3cr3t-value'}},
                            {'name': 'admin', 'group': 'staff', 'path': '/opt/admin/'}],
        metrics_uwsgi_runtime_dir='/run/u/'), PATHS)
    assert out['enabled'] and out['listen'] == '10.0.0.5:9180' and out['allow'] == ['10.0.0.9']
    assert out['exporter_listen'] == '127.0.0.1:9113' and out['collector_listen'] == '127.0.0.1:9181'
    assert out['groups'] == ['adm', 'shop', 'staff']
    assert out['apps'] == [
        {'name': 'shop', 'group': 'shop', 'stats': '/run/u/shop/stats/stats.sock',
         'sockets': ['/run/u/shop/uwsgi.sock', '/run/uwsgi-app/shop/s.sock'],
         'releases_dir': '/srv/shop/releases', 'current': '/srv/shop/current'},
        {'name': 'admin', 'group': 'staff', 'stats': '/run/u/admin/stats/stats.sock',
         'sockets': ['/run/u/admin/uwsgi.sock'], 'releases_dir': '/opt/admin/releases', 'current': '/opt/admin/current'},
    ]
    config = out['config']
    assert config['listen'] == '127.0.0.1' and config['port'] == 9181 and config['apps'] == out['apps']
    assert config['status_log'] == PATHS['status_log'] and config['certificates_file'] == PATHS['certificates_file']
    assert config['certificates'] == ['/etc/ssl/site/*/fullchain.pem']
    assert 's3cr3t' not in repr(out)  # no secret of the apps
