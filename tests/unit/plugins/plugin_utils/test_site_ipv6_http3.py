# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""IPv6 (dual stack) and HTTP/3 of the site role: the rule, the listen lines and the Alt-Svc header."""

from __future__ import annotations

import pytest

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import rules
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import site_rules as sr

SETTINGS = {
    'security_headers': {}, 'hsts_max_age': 1, 'hsts_include_subdomains': False, 'tls_dir': '/etc/ssl/site',
    'tls_key_type': 'ecdsa', 'template': 'site.conf.j2', 'available_dir': '/a', 'enabled_dir': '/e',
    'snippets_dir': '/s', 'proxy_next_upstream': 'error timeout', 'ipv6': True, 'host_ipv6': True,
}
NGINX_126 = {'installed': True, 'version': '1.26.3', 'http3': True}
NGINX_122 = {'installed': True, 'version': '1.22.1', 'http3': False}


def site(name, **kw):
    kw.setdefault('server_names', [name + '.test'])
    return dict(name=name, **kw)


def normalize(sites, **settings):
    return sr.normalize(sr.Context(sites=sites), dict(SETTINGS, **settings))['sites']


@pytest.mark.parametrize('values, ipv6, expected', [
    (['80'], True, ['80', '[::]:80']),
    (['*:8080', '10.0.0.1:81', '[::1]:82'], True, ['*:8080', '[::]:8080', '10.0.0.1:81', '[::1]:82']),
    (['80', '[::]:80'], True, ['80', '[::]:80']),
    (['80'], False, ['80']),
    ([], True, []),
])
def test_dual_stack(values, ipv6, expected):
    assert rules.dual_stack(values, ipv6) == expected


@pytest.mark.parametrize('site_ipv6, role_ipv6, host_ipv6, expected', [
    (None, True, True, ['80', '[::]:80']),
    (False, True, True, ['80']),
    (None, False, True, ['80']),
    (True, False, True, ['80', '[::]:80']),
    (True, True, False, ['80']),  # a host without IPv6 (Docker's default networks) cannot bind [::]
])
def test_sites_listen_on_ipv6_where_the_host_runs_it(site_ipv6, role_ipv6, host_ipv6, expected):
    out = normalize([site('a', ipv6=site_ipv6, tls={'mode': 'selfsigned'})], ipv6=role_ipv6, host_ipv6=host_ipv6)[0]
    assert out['listen_all'] == expected
    assert out['tls']['listen_all'] == [v.replace('80', '443') for v in expected]


def test_listen_values_and_default_server():
    out = normalize([site('a', default_server=True, tls={'mode': 'selfsigned'})])[0]
    assert out['default_server_flag'] == ' default_server'
    assert out['tls']['listen_all'] == ['443', '[::]:443']
    out = normalize([site('a', tls={'mode': 'selfsigned'})])[0]
    assert out['default_server_flag'] == ''
    assert out['tls']['quic_lines'] == []
    assert 'Alt-Svc' not in out['headers']


def test_http3_quic_reuseport_once_per_address_and_alt_svc():
    sites = normalize([
        site('off', state='disabled', tls={'mode': 'selfsigned', 'http3': True}),
        site('a', tls={'mode': 'selfsigned', 'http3': True}),
        site('b', tls={'mode': 'selfsigned', 'http3': True, 'listen': ['443', '8443']}),
        site('c', tls={'mode': 'selfsigned'}),
    ])
    off, a, b, c = sites
    # a disabled site is not served: the first enabled one carries reuseport
    assert off['tls']['quic_lines'] == ['443 quic', '[::]:443 quic']
    assert a['tls']['quic_lines'] == ['443 quic reuseport', '[::]:443 quic reuseport']
    assert b['tls']['quic_lines'] == ['443 quic', '[::]:443 quic', '8443 quic reuseport', '[::]:8443 quic reuseport']
    assert c['tls']['quic_lines'] == []
    # rendered inside double quotes by the headers snippet: nginx reads h3=":443"; ma=86400
    assert a['headers']['Alt-Svc'] == 'h3=\\":443\\"; ma=86400'
    assert b['headers']['Alt-Svc'] == 'h3=\\":443\\"; ma=86400'
    assert 'Alt-Svc' not in c['headers']
    # ...and hidden from the backend like every header the site sets
    assert sites[1]['headers']['X-Request-ID']


@pytest.mark.parametrize('facts, message', [
    ({'nginx': NGINX_126}, None),
    ({'nginx': NGINX_122}, 'site_sites[0].tls.http3 needs nginx with the HTTP/3 module (http_v3_module): '
                           'nginx 1.22.1 on this host is built without it (Debian 13 and its nginx 1.26 have it)'),
    # not installed yet: what the release's nginx can do
    ({'nginx': {'installed': False}, 'distribution': 'Debian', 'distribution_major_version': '12'},
     "site_sites[0].tls.http3 needs nginx with the HTTP/3 module (http_v3_module): Debian 12's nginx is built "
     "without it (Debian 13 and its nginx 1.26 have it)"),
    ({'nginx': {'installed': False}, 'distribution': 'Debian', 'distribution_major_version': '13'}, None),
])
def test_http3_needs_the_module(facts, message):
    ctx = sr.Context(sites=[site('a', tls={'mode': 'selfsigned', 'http3': True})], facts=facts)
    assert sr.problems(ctx) == ([message] if message else [])


def test_http3_needs_a_tls_listen():
    ctx = sr.Context(sites=[site('a', tls={'mode': 'selfsigned', 'http3': True, 'listen': []})],
                     facts={'nginx': NGINX_126})
    assert 'site_sites[0].tls.http3 needs tls.listen (QUIC listens on the ports of HTTPS)' in sr.problems(ctx)


def test_http3_off_needs_nothing():
    ctx = sr.Context(sites=[site('a', tls={'mode': 'selfsigned'})], facts={'nginx': NGINX_122})
    assert sr.problems(ctx) == []


def test_dual_stack_filter_reads_a_templated_bool():
    from ansible_collections.webstack.nginx_uwsgi.plugins.filter.dual_stack import dual_stack
    assert dual_stack(['80'], 'True') == ['80', '[::]:80']
    assert dual_stack(['80'], 'False') == ['80']
