# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""One good and at least one bad case per rule of plugins/plugin_utils/site_rules.py, and the normalization."""

from __future__ import annotations

import pytest

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import site_rules as sr

SETTINGS = {
    'security_headers': {'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'SAMEORIGIN'},
    'hsts_max_age': 63072000, 'hsts_include_subdomains': True, 'tls_dir': '/etc/ssl/site', 'tls_key_type': 'ecdsa',
    'template': 'site.conf.j2', 'available_dir': '/a', 'enabled_dir': '/e', 'snippets_dir': '/s',
    'proxy_next_upstream': 'error timeout',
}
GROUPS = {'app': ['app1', 'app2'], 'empty': []}
HOSTVARS = {'app1': {'ansible_host': '10.0.0.1', 'webstack_app_port': 8080}, 'app2': {'webstack_app_port': 70000}}


def site(name='a', **kw):
    kw.setdefault('server_names', [name + '.test'])
    return dict(name=name, **kw)


def problems(sites=(), upstreams=(), **kw):
    ctx = sr.Context(sites=list(sites), upstreams=list(upstreams), groups=kw.pop('groups', GROUPS),
                     hostvars=kw.pop('hostvars', HOSTVARS), **kw)
    return sr.problems(ctx)


def ctx_for(sites=(), upstreams=(), **kw):
    return sr.Context(sites=list(sites), upstreams=list(upstreams), groups=GROUPS, hostvars=HOSTVARS, **kw)


def run(rule, item, ctx, path='site_sites[0]'):
    return list(rule(item, path, ctx))


def test_a_good_set_has_no_problem(tmp_path):
    cert, key = tmp_path / 'c.pem', tmp_path / 'k.pem'
    cert.write_text('c')
    key.write_text('k')
    sites = [
        site('a', locations=[{'path': '/', 'kind': 'uwsgi', 'socket': '/run/uwsgi-app/a/uwsgi.sock'},
                             {'path': '/s/', 'kind': 'static', 'alias': '/srv/a/'},
                             {'path': '= /x', 'kind': 'redirect', 'code': 308, 'target': '/y'},
                             {'path': '/p/', 'kind': 'proxy', 'backend': 'http://127.0.0.1:81'},
                             {'path': '/u/', 'kind': 'upstream', 'upstream': 'up'}],
             allow=['127.0.0.1', '10.0.0.0/8', '::1'], headers={'X-A': 'b'}),
        site('b', listen=[], tls={'mode': 'files', 'cert_src': str(cert), 'key_src': str(key)}),
        site('c', server_names=['a.test'], state='disabled'),
    ]
    upstreams = [{'name': 'up', 'servers': [{'address': '127.0.0.1:81'}]},
                 {'name': 'grp', 'servers_from_group': {'group': 'app', 'port': 80}}]
    assert problems(sites, upstreams, hostvars={'app1': {}, 'app2': {}}) == []


@pytest.mark.parametrize('name, bad', [('ok-1.x_y', False), ('-bad', True), ('a b', True), ('a/b', True)])
def test_site_name(name, bad):
    assert bool(run(sr.site_name, site(name), ctx_for())) is bad


def test_site_unique_name():
    ctx = ctx_for([site('a'), site('a', server_names=['b.test'])])
    assert run(sr.site_unique_name, ctx.sites[0], ctx, 'site_sites[0]') == []
    assert run(sr.site_unique_name, ctx.sites[1], ctx, 'site_sites[1]') == [
        'site_sites[1].name (a) is a duplicate: two sites with the same name']


def test_site_server_names():
    assert run(sr.site_server_names, site('a'), ctx_for()) == []
    assert run(sr.site_server_names, site('a', server_names=[]), ctx_for()) == [
        'site_sites[0].server_names must name at least one host']
    assert run(sr.site_server_names, site('a', server_names=['ok.test', 'bad name']), ctx_for()) == [
        'site_sites[0].server_names[1] (bad name) must be one host name without spaces, quotes, ";" or braces']


@pytest.mark.parametrize('listen, tls_listen, expected', [
    (['80', '10.0.0.1:8080', '[::]:80'], None, []),
    (['70000'], None, ['site_sites[0].listen[0] (70000) must be a port (1-65535) or address:port']),
    ([], ['44 3'], ['site_sites[0].tls.listen[0] (44 3) must be a port (1-65535) or address:port']),
    ([], [], ['site_sites[0] has nothing to listen on (listen and tls.listen are empty)']),
])
def test_site_listen(listen, tls_listen, expected):
    item = site('a', listen=listen, tls={'mode': 'selfsigned', 'listen': tls_listen} if tls_listen is not None else None)
    assert run(sr.site_listen, item, ctx_for()) == expected


def test_site_name_clash_on_the_same_port_only_between_enabled_sites():
    sites = [site('a', server_names=['A.test']), site('b', server_names=['a.test']),
             site('c', server_names=['a.test'], listen=['8080']), site('d', server_names=['a.test'], state='disabled')]
    ctx = ctx_for(sites)
    assert run(sr.site_name_clash, sites[1], ctx, 'site_sites[1]') == [
        'site_sites[1] (b) clashes with site_sites[0] (a): server name a.test on *:80 is declared twice']
    assert run(sr.site_name_clash, sites[2], ctx, 'site_sites[2]') == []
    assert run(sr.site_name_clash, sites[3], ctx, 'site_sites[3]') == []


def test_site_tls(tmp_path):
    ctx = ctx_for(acme_directory='https://acme.test/dir')
    assert run(sr.site_tls, site('a', tls={'mode': 'selfsigned'}), ctx) == []
    assert run(sr.site_tls, site('a', tls={'mode': 'files', 'cert_src': '/etc/hostname'}), ctx) == [
        'site_sites[0].tls.key_src is required with tls.mode=files (a certificate needs its key)']
    missing = str(tmp_path / 'missing.pem')
    assert run(sr.site_tls, site('a', tls={'mode': 'files', 'cert_src': missing, 'key_src': missing}), ctx) == [
        'site_sites[0].tls.cert_src (%s) is not a file on the controller' % missing,
        'site_sites[0].tls.key_src (%s) is not a file on the controller' % missing]
    assert run(sr.site_tls, site('a', tls={'mode': 'paths', 'cert': '/c'}), ctx) == [
        'site_sites[0].tls.key is required with tls.mode=paths (a certificate needs its key)']
    assert run(sr.site_tls, site('a', tls={'mode': 'acme'}), ctx_for()) == [
        'site_sites[0].tls.mode=acme needs site_acme_directory']
    assert run(sr.site_tls, site('a', tls={'mode': 'selfsigned', 'ocsp_stapling': True}), ctx) == [
        'site_sites[0].tls.ocsp_stapling cannot be used with a self-signed certificate']


def test_site_headers():
    assert run(sr.site_headers, site('a', headers={'X-Ok': 'v', 'X-Off': None}), ctx_for()) == []
    assert run(sr.site_headers, site('a', headers={'Bad Name': 'v', 'X-Q': 'a"b'}), ctx_for()) == [
        'site_sites[0].headers: Bad Name is not a header name (letters, digits and "-")',
        'site_sites[0].headers.X-Q must be one line without double quotes or backslashes']


def test_site_addresses():
    assert run(sr.site_addresses, site('a', allow=['127.0.0.1', '172.18.0.0/16', 'fd00::1', 'unix:']), ctx_for()) == []
    assert run(sr.site_addresses, site('a', allow=['lb1.example']), ctx_for()) == [
        'site_sites[0].allow[0] (lb1.example) must be an IPv4 or IPv6 address, a CIDR range or unix:']


@pytest.mark.parametrize('location, message', [
    ({'path': '/x;', 'kind': 'static', 'root': '/r'}, 'locations[0].path (/x;) must be a location match without'),
    ({'path': '/', 'kind': 'uwsgi', 'socket': 'relative.sock'}, 'locations[0].socket (relative.sock) must be the absolute'),
    ({'path': '/', 'kind': 'uwsgi', 'socket': '/run/a b.sock'}, 'locations[0].socket (/run/a b.sock) must be the absolute'),
    ({'path': '/', 'kind': 'uwsgi'}, 'locations[0].socket () must be the absolute path of a unix socket'),
    ({'path': '/', 'kind': 'upstream', 'upstream': 'nope'}, 'locations[0].upstream (nope) must name an entry of site_upstreams'),
    ({'path': '/', 'kind': 'proxy', 'backend': 'ftp://x'}, 'locations[0].backend (ftp://x) must be an http:// or https:// URL'),
    ({'path': '/', 'kind': 'static'}, 'locations[0] needs exactly one of root and alias with kind=static'),
    ({'path': '/', 'kind': 'static', 'root': '/a', 'alias': '/b'}, 'needs exactly one of root and alias'),
    ({'path': '/', 'kind': 'redirect'}, 'locations[0].target is required with kind=redirect'),
    ({'path': '/', 'kind': 'static', 'root': '/r', 'headers': {'a b': 'c'}}, 'locations[0].headers: a b is not a header'),
])
def test_site_locations_bad(location, message):
    found = run(sr.site_locations, site('a', locations=[location]), ctx_for())
    assert len(found) == 1 and message in found[0], found


def test_site_locations_duplicate_path():
    locations = [{'path': '/', 'kind': 'static', 'root': '/a'}, {'path': '/', 'kind': 'static', 'root': '/b'}]
    assert run(sr.site_locations, site('a', locations=locations), ctx_for()) == [
        'site_sites[0].locations[1].path (/) is declared twice in the site']


def test_upstream_name_and_duplicate():
    ups = [{'name': 'a', 'servers': [{'address': 'x:1'}]}, {'name': 'a', 'servers': [{'address': 'x:1'}]},
           {'name': 'b c', 'servers': [{'address': 'x:1'}]}]
    ctx = ctx_for(upstreams=ups)
    assert run(sr.upstream_name, ups[0], ctx, 'site_upstreams[0]') == []
    assert run(sr.upstream_name, ups[1], ctx, 'site_upstreams[1]') == [
        'site_upstreams[1].name (a) is a duplicate: two upstreams with the same name']
    assert run(sr.upstream_name, ups[2], ctx, 'site_upstreams[2]') == [
        'site_upstreams[2].name (b c) must be letters, digits, ".", "-" and "_"']


def test_upstream_balance():
    assert run(sr.upstream_balance, {'name': 'a', 'balance': 'hash', 'hash_key': '$uri'}, ctx_for(), 'u') == []
    assert run(sr.upstream_balance, {'name': 'a', 'balance': 'hash'}, ctx_for(), 'u') == [
        'u.hash_key is required with balance=hash']


@pytest.mark.parametrize('up, expected', [
    ({'name': 'e'}, ['u (e) has no servers (servers and servers_from_group are empty)']),
    ({'name': 'e', 'servers_from_group': {'group': 'empty', 'port': 80}},
     ['u (e) has no servers (servers and servers_from_group are empty)']),
    ({'name': 'g', 'servers_from_group': {'group': 'nope', 'port': 80}},
     ['u.servers_from_group.group (nope): inventory group does not exist']),
    ({'name': 'p', 'servers_from_group': {'group': 'app', 'port_var': 'webstack_app_port'}},
     ["u.servers_from_group: variable 'webstack_app_port' of host 'app2' is out of range (1-65535): 70000"]),
    ({'name': 'b', 'balance': 'ip_hash', 'servers': [{'address': 'a:1', 'backup': True}]},
     ['u.servers[0].backup cannot be used with balance=ip_hash']),
    ({'name': 'x', 'servers': [{'address': 'a b:1'}]}, ['u.servers[0].address (a b:1) must be host:port or unix:/path']),
])
def test_upstream_servers(up, expected):
    assert run(sr.upstream_servers_rule, up, ctx_for(), 'u') == expected


def test_normalize_fills_defaults_and_computes_paths_once():
    sites = [site('shop', server_names=['shop.test'], headers={'X-Frame-Options': None, 'X-Extra': 'e'},
                  tls={'mode': 'selfsigned', 'hsts': True, 'listen': ['8443']},
                  locations=[{'path': '/', 'kind': 'upstream', 'upstream': 'app', 'headers': {'X-Loc': '1'}},
                             {'path': '/s/', 'kind': 'static', 'root': '/srv'}]),
             site('own', tls={'mode': 'paths', 'cert': '/c.pem', 'key': '/k.pem'}, state='disabled', default_server=True)]
    upstreams = [{'name': 'app', 'keepalive': 4, 'servers_from_group': {'group': 'app', 'port': 80}}]
    out = sr.normalize(sr.Context(sites=sites, upstreams=upstreams, groups=GROUPS, hostvars={'app1': {}, 'app2': {}}),
                       SETTINGS)
    shop, own = out['sites']
    assert shop['files'] == {'conf': '/a/shop.conf', 'link': '/e/shop.conf', 'headers': '/s/site-shop-headers.conf'}
    assert shop['tls']['cert'] == '/etc/ssl/site/shop/fullchain.pem' and shop['tls']['key'] == '/etc/ssl/site/shop/privkey.pem'
    assert shop['tls']['key_type'] == 'ecdsa' and shop['tls']['redirect_port'] == '8443' and shop['tls']['owned']
    assert shop['headers'] == {'X-Content-Type-Options': 'nosniff', 'X-Extra': 'e', 'X-Request-ID': '$nginx_request_id',
                               'Strict-Transport-Security': 'max-age=63072000; includeSubDomains'}
    up_loc, static = shop['locations']
    assert up_loc['hide_headers'] == ['X-Content-Type-Options', 'X-Extra', 'Strict-Transport-Security', 'X-Request-ID',
                                      'X-Loc']
    assert shop['request_id'] == 'generate' and shop['request_id_source'] is None and shop['request_id_var'] == '$nginx_request_id'
    assert shop['real_ip_from'] == [] and shop['access'] is None and shop['deny_var'] is None
    assert up_loc['keepalive'] is True and up_loc['next_upstream'] == 'error timeout' and up_loc['protocol'] == 'http'
    assert static['hide_headers'] == [] and static['try_files'] == '$uri $uri/ =404'
    assert own['tls']['cert'] == '/c.pem' and not own['tls']['owned'] and not own['enabled'] and own['managed']
    assert out['upstreams'][0]['servers'] == [
        {'address': 'app1:80', 'host': 'app1', 'weight': None, 'max_fails': None, 'fail_timeout': None,
         'backup': False, 'down': False},
        {'address': 'app2:80', 'host': 'app2', 'weight': None, 'max_fails': None, 'fail_timeout': None,
         'backup': False, 'down': False}]
    assert out['default_tls_listen'] == ['8443']


def test_default_tls_listen_leaves_out_ports_with_a_default_server():
    sites = [site('a', tls={'mode': 'selfsigned'}),
             site('b', tls={'mode': 'selfsigned', 'listen': ['443', '8443']}, default_server=True)]
    out = sr.normalize(sr.Context(sites=sites), SETTINGS)
    assert out['default_tls_listen'] == []


def test_site_real_ip_from():
    good = site('a', real_ip_from=['10.0.0.1', '172.18.0.0/16', 'fd00::1'], allow=['10.0.0.1', '127.0.0.1'])
    assert run(sr.site_real_ip_from, good, ctx_for()) == []
    assert run(sr.site_real_ip_from, site('a', allow=['unix:']), ctx_for()) == []
    bad = site('a', real_ip_from=['10.0.0.1', 'lb1.example', 'all', '10.0.0.0/33'], allow=['127.0.0.1', 'unix:'])
    assert run(sr.site_real_ip_from, bad, ctx_for()) == [
        'site_sites[0].real_ip_from[1] (lb1.example) must be an IPv4 or IPv6 address or a CIDR range',
        'site_sites[0].real_ip_from[2] (all) must be an IPv4 or IPv6 address or a CIDR range',
        'site_sites[0].real_ip_from[3] (10.0.0.0/33) must be an IPv4 or IPv6 address or a CIDR range',
        'site_sites[0].allow[1] (unix:) cannot be used with real_ip_from (the site checks allow against the address '
        'of the connection)']


def test_site_request_id():
    assert run(sr.site_request_id, site('a'), ctx_for()) == []
    assert run(sr.site_request_id, site('a', request_id='keep', allow=['10.0.0.1']), ctx_for()) == []
    for allow in ([], ['10.0.0.1', 'all']):
        assert run(sr.site_request_id, site('a', request_id='keep', allow=allow), ctx_for()) == [
            'site_sites[0].request_id=keep needs allow (the hosts whose X-Request-ID the site keeps): open to '
            'everyone, any client would choose the id of its requests']
    own = site('a', headers={'x-request-id': 'mine'},
               locations=[{'path': '/', 'kind': 'static', 'root': '/r', 'headers': {'X-Request-ID': '$request_id'}}])
    assert run(sr.site_request_id, own, ctx_for()) == [
        'site_sites[0].headers.x-request-id is sent by the site itself (the id of the request, see request_id)',
        'site_sites[0].locations[0].headers.X-Request-ID is sent by the site itself (the id of the request, see '
        'request_id)']


def test_every_problem_of_the_new_options_is_reported_by_problems():
    found = problems([site('a', request_id='keep', real_ip_from=['x'])])
    assert found == ['site_sites[0].real_ip_from[0] (x) must be an IPv4 or IPv6 address or a CIDR range',
                     'site_sites[0].request_id=keep needs allow (the hosts whose X-Request-ID the site keeps): open '
                     'to everyone, any client would choose the id of its requests']


@pytest.mark.parametrize('options, access', [
    ({}, None),
    ({'allow': ['10.0.0.1', '127.0.0.1']}, 'allow'),
    ({'allow': ['10.0.0.1', 'all'], 'real_ip_from': ['10.0.0.1']}, None),
    ({'allow': ['10.0.0.1', '127.0.0.1', '10.0.0.1'], 'real_ip_from': ['10.0.0.1']}, 'geo'),
])
def test_normalize_real_ip_and_access(options, access):
    sites = [site('x'), site('a', request_id='keep', **options)]
    a = sr.normalize(sr.Context(sites=sites), SETTINGS)['sites'][1]
    assert a['access'] == access
    assert a['deny_var'] == ('site_denied_1' if access == 'geo' else None)
    assert a['real_ip_from'] == options.get('real_ip_from', [])
    assert a['allow'] == list(dict.fromkeys(options.get('allow', [])))
    assert a['request_id_source'] == '$nginx_request_id_kept'
    assert a['headers']['X-Request-ID'] == '$nginx_request_id'


def test_site_choices():
    good = site('a', state='disabled', tls={'mode': 'acme', 'key_type': 'rsa'},
                locations=[{'path': '/', 'kind': 'redirect', 'code': 308, 'target': '/x'}])
    assert run(sr.site_choices, good, ctx_for()) == []
    bad = site('a', state='gone', tls={'mode': 'pem', 'key_type': 'dsa'}, request_id='always', logs='journald',
               locations=[{'path': '/', 'kind': 'fastcgi'}, {'path': '/r', 'kind': 'redirect', 'code': 200}])
    assert run(sr.site_choices, bad, ctx_for()) == [
        'site_sites[0].state (gone) must be one of present, disabled, absent',
        'site_sites[0].request_id (always) must be one of generate, keep',
        'site_sites[0].logs (journald) must be one of shared, own, none',
        'site_sites[0].tls.mode (pem) must be one of files, paths, selfsigned, acme',
        'site_sites[0].tls.key_type (dsa) must be one of ecdsa, rsa',
        'site_sites[0].locations[0].kind (fastcgi) must be one of uwsgi, upstream, proxy, static, redirect',
        'site_sites[0].locations[1].code (200) must be one of 301, 302, 303, 307, 308',
    ]


@pytest.mark.parametrize('role_wide, own, access_log, error_log', [
    (None, None, None, None),  # nginx's own logs, as before site_logs
    ('shared', None, None, None),
    ('own', None, '/var/log/nginx/a.access.log nginx_access', '/var/log/nginx/a.error.log warn'),
    ('own', 'shared', None, None),  # the site's own key wins
    ('shared', 'none', 'off', None),
    (None, 'own', '/var/log/nginx/a.access.log nginx_access', '/var/log/nginx/a.error.log warn'),
])
def test_normalize_logs(role_wide, own, access_log, error_log):
    """A site's own logs are files named after it in /var/log/nginx (Debian's logrotate rotates them), in the format
    the nginx role chose (nginx_access); the default leaves the site in nginx's own logs."""
    settings = dict(SETTINGS, log_dir='/var/log/nginx/', **({'logs': role_wide} if role_wide else {}))
    raw = site('a', **({'logs': own} if own else {}))
    normalized = sr.normalize(ctx_for([raw]), settings)['sites'][0]
    assert (normalized['access_log'], normalized['error_log']) == (access_log, error_log)
    assert normalized['logs'] == (own or role_wide or 'shared')


@pytest.mark.parametrize('logs, include', [('own', '/etc/nginx/access-logs.d/*.conf'), ('shared', None), ('none', None)])
def test_own_logs_include_the_other_roles_access_logs(logs, include):
    """A server's access_log replaces the http{} ones: a site with its own log includes the access logs other roles
    add to every server (the metrics role's 5xx log), so they still see its requests; none (off) wants no log."""
    settings = dict(SETTINGS, log_dir='/var/log/nginx', access_logs_include='/etc/nginx/access-logs.d/*.conf')
    normalized = sr.normalize(ctx_for([site('a', logs=logs)]), settings)['sites'][0]
    assert normalized['access_logs_include'] == include


def test_upstream_choices():
    assert run(sr.upstream_choices, {'name': 'a', 'balance': 'hash', 'protocol': 'uwsgi'}, ctx_for(), 'u') == []
    assert run(sr.upstream_choices, {'name': 'a', 'balance': 'random', 'protocol': 'grpc'}, ctx_for(), 'u') == [
        'u.balance (random) must be one of round_robin, least_conn, ip_hash, hash',
        'u.protocol (grpc) must be one of http, uwsgi']


def test_tls_peers_share_by_name_and_mode():
    def sites(*specs):
        return [{'name': n, 'enabled': True, 'tls': {'mode': m} if m else None} for n, m in specs]

    table = {
        'lb1': sites(('shop', 'acme'), ('blog', 'selfsigned'), ('plain', None)),
        'lb2': sites(('shop', 'acme'), ('blog', 'files')),
        'lb3': sites(('shop', 'acme'), ('blog', 'selfsigned')),
        'app1': None,
    }
    peers = sr.tls_peers('lb3', ['app1', 'lb1', 'lb2', 'lb3'], table.get)
    assert peers == {'shop': ['lb1', 'lb2', 'lb3'], 'blog': ['lb1', 'lb3']}
    assert sr.tls_peers('app1', ['app1', 'lb1'], table.get) == {}


# ---------------------------------------------------------------- ACME dns-01 (RFC 2136)

DNS = {'server': '10.0.0.53', 'port': 53, 'zone': '', 'key_name': 'acme-key', 'key_secret': 'c2VjcmV0',
       'key_algorithm': 'hmac-sha256', 'ttl': 60}


def acme_site(names, challenge=None, name='a'):
    tls = {'mode': 'acme'}
    if challenge:
        tls['challenge'] = challenge
    return site(name, server_names=list(names), tls=tls)


def test_a_wildcard_needs_dns_01():
    ctx = ctx_for(acme_directory='https://acme.test/dir', acme_dns=DNS)
    assert run(sr.site_acme_names, acme_site(['x.test', '*.x.test'], 'dns-01'), ctx) == []
    assert run(sr.site_acme_names, acme_site(['x.test', '*.x.test']), ctx) == [
        'site_sites[0].server_names[1] (*.x.test) is a wildcard: an ACME CA validates it only with '
        'tls.challenge=dns-01 (this site uses http-01)']
    assert run(sr.site_acme_names, acme_site(['*.x.test'], 'http-01'), ctx) == [
        'site_sites[0].server_names[0] (*.x.test) is a wildcard: an ACME CA validates it only with '
        'tls.challenge=dns-01 (this site uses http-01)']
    # names nginx takes but no certificate holds
    assert run(sr.site_acme_names, acme_site(['~^www\\d+\\.x\\.test$', 'www.x.*', '.x.test'], 'dns-01'), ctx) == [
        'site_sites[0].server_names[%d] (%s) cannot be in an ACME certificate: a host name, or *. and a host name '
        'with tls.challenge=dns-01' % (index, name) for index, name in enumerate(['~^www\\d+\\.x\\.test$', 'www.x.*',
                                                                                  '.x.test'])]
    # other modes keep nginx's wildcard names
    assert run(sr.site_acme_names, site('a', server_names=['*.x.test'], tls={'mode': 'selfsigned'}), ctx) == []


def test_dns_01_needs_the_server_and_the_tsig_key():
    ctx = ctx_for(acme_directory='https://acme.test/dir', acme_dns=DNS)
    assert run(sr.site_acme_dns, acme_site(['x.test'], 'dns-01'), ctx) == []
    assert run(sr.site_acme_dns, acme_site(['x.test']), ctx_for(acme_directory='https://acme.test/dir')) == []
    assert run(sr.site_acme_dns, acme_site(['x.test'], 'dns-01'), ctx_for(acme_directory='https://a.test/dir')) == [
        'site_sites[0].tls.challenge=dns-01 needs site_acme_dns_server (the DNS server that takes the RFC 2136 '
        'updates)',
        'site_sites[0].tls.challenge=dns-01 needs site_acme_dns_key_name (the name of the TSIG key)',
        'site_sites[0].tls.challenge=dns-01 needs site_acme_dns_key_secret (the TSIG key (base64))']


def test_the_challenge_is_one_of_two_and_only_for_acme():
    ctx = ctx_for(acme_directory='https://acme.test/dir', acme_dns=DNS)
    assert run(sr.site_choices, acme_site(['x.test'], 'tls-alpn-01'), ctx) == [
        'site_sites[0].tls.challenge (tls-alpn-01) must be one of http-01, dns-01']
    assert run(sr.site_tls, site('a', tls={'mode': 'selfsigned', 'challenge': 'dns-01'}), ctx) == [
        'site_sites[0].tls.challenge (dns-01) is only for tls.mode=acme']


def test_the_rfc_2136_settings_are_checked_when_a_site_uses_dns_01():
    bad = dict(DNS, server='10.0.0.53; rm', port=70000, zone='bad zone', key_name='my key', ttl=0)
    sites = [acme_site(['x.test', '*.x.test'], 'dns-01')]
    assert sr.acme_dns_problems(ctx_for(sites, acme_dns=bad)) == [
        'site_acme_dns_server (10.0.0.53; rm) must be a host name or an IP address',
        'site_acme_dns_port (70000) must be a port (1-65535)',
        'site_acme_dns_zone (bad zone) must be a DNS zone name (example.test)',
        'site_acme_dns_key_name (my key) must be a DNS name (letters, digits, "-", "_" and dots)',
        'site_acme_dns_ttl (0) must be 1 to 86400 seconds']
    assert sr.acme_dns_problems(ctx_for(sites, acme_dns=dict(DNS, zone='x.test.', server='ns1.x.test'))) == []
    # without a dns-01 site nothing of it is read
    assert sr.acme_dns_problems(ctx_for([acme_site(['x.test'])], acme_dns=bad)) == []


def test_the_secret_is_never_in_a_message():
    sites = [acme_site(['*.x.test'], 'http-01'), acme_site(['y.test'], 'dns-01', name='b')]
    messages = problems(sites, acme_directory='https://acme.test/dir', acme_dns=dict(DNS, server='', port=0))
    assert messages == [
        'site_sites[0].server_names[0] (*.x.test) is a wildcard: an ACME CA validates it only with '
        'tls.challenge=dns-01 (this site uses http-01)',
        'site_sites[1].tls.challenge=dns-01 needs site_acme_dns_server (the DNS server that takes the RFC 2136 '
        'updates)',
        'site_acme_dns_port (0) must be a port (1-65535)']
    assert not any(DNS['key_secret'] in m for m in messages)


def test_normalize_fills_the_challenge_of_acme_sites():
    ctx = ctx_for([acme_site(['x.test']), acme_site(['y.test', '*.y.test'], 'dns-01', name='b'),
                   site('c', tls={'mode': 'selfsigned'})], acme_directory='https://acme.test/dir', acme_dns=DNS)
    sites = sr.normalize(ctx, SETTINGS)['sites']
    assert [s['tls']['challenge'] for s in sites] == ['http-01', 'dns-01', None]
