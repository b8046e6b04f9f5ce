# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Client certificates (mTLS) of the site role (issue 31): the rules (each bad input named), the directives,
the identity passed to the app, and the CA and CRL files that go live with the sites."""

from __future__ import annotations

import pytest

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import site_plan
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import site_rules as sr

SETTINGS = {
    'security_headers': {}, 'hsts_max_age': 1, 'hsts_include_subdomains': False, 'tls_dir': '/etc/ssl/site',
    'tls_key_type': 'ecdsa', 'template': 'site.conf.j2', 'available_dir': '/a', 'enabled_dir': '/e',
    'snippets_dir': '/s', 'proxy_next_upstream': 'error',
}
PROXY = {'path': '/', 'kind': 'proxy', 'backend': 'http://127.0.0.1:8081/'}
UWSGI = {'path': '/app/', 'kind': 'uwsgi', 'socket': '/run/uwsgi-app/a.sock'}
CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
CRL_PEM = '-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n'


@pytest.fixture
def pem(tmp_path):
    (tmp_path / 'ca.pem').write_text(CA_PEM)
    (tmp_path / 'crl.pem').write_text(CRL_PEM)
    (tmp_path / 'key.pem').write_text('-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n')
    return tmp_path


def site(client_auth=None, locations=(PROXY,), mode='selfsigned', **kw):
    tls = dict(kw.pop('tls', {}), mode=mode)
    if client_auth is not None:
        tls['client_auth'] = client_auth
    return dict(name=kw.pop('name', 'a'), server_names=['a.test'], tls=tls, locations=list(locations), **kw)


def problems(*sites):
    return sr.problems(sr.Context(sites=list(sites)))


def normalize(*sites):
    return sr.normalize(sr.Context(sites=list(sites)), dict(SETTINGS))


def test_good_client_auth_has_no_problem(pem):
    assert problems(site({'ca_src': str(pem / 'ca.pem'), 'crl_src': str(pem / 'crl.pem')})) == []
    assert problems(site({'ca': '/etc/ssl/clients.pem', 'verify': 'optional', 'depth': 2, 'crl': '/etc/ssl/c.crl'},
                         locations=[PROXY, dict(UWSGI, client_auth='required')])) == []


@pytest.mark.parametrize('auth, expected', [
    ({'ca_src': 'CA', 'ca': '/etc/ssl/ca.pem'},
     ['site_sites[0].tls.client_auth: ca_src and ca are mutually exclusive (a file of the controller or one on the '
      'host)']),
    ({'ca': '/etc/ssl/ca.pem', 'crl_src': 'CRL', 'crl': '/etc/ssl/crl.pem'},
     ['site_sites[0].tls.client_auth: crl_src and crl are mutually exclusive (a file of the controller or one on the '
      'host)']),
    ({'verify': 'optional'},
     ['site_sites[0].tls.client_auth needs ca_src (a file of the controller) or ca (a file on the host): the CA of '
      'the clients']),
    ({'ca': '/etc/ssl/ca.pem', 'verify': 'sometimes'},
     ['site_sites[0].tls.client_auth.verify (sometimes) must be one of required, optional']),
    ({'ca': '/etc/ssl/ca.pem', 'depth': 0},
     ['site_sites[0].tls.client_auth.depth (0) must be 1 to 10 (certificates between the client and the CA, nginx '
      'ssl_verify_depth)']),
    ({'ca': '/etc/ssl/ca.pem', 'depth': 11}, ['site_sites[0].tls.client_auth.depth (11) must be 1 to 10']),
    ({'ca': 'relative.pem'},
     ['site_sites[0].tls.client_auth.ca (relative.pem) must be an absolute path without spaces, quotes, ";" or '
      'braces']),
    ({'ca': '/etc/ssl/ca.pem', 'crl': '/etc/ssl/a b.crl'}, ['site_sites[0].tls.client_auth.crl (/etc/ssl/a b.crl) must']),
])
def test_bad_client_auth_is_named(pem, auth, expected):
    auth = {k: str(pem / 'ca.pem') if v == 'CA' else str(pem / 'crl.pem') if v == 'CRL' else v for k, v in auth.items()}
    found = problems(site(auth))
    assert len(found) == len(expected), found
    for message, start in zip(found, expected):
        assert message.startswith(start), (message, start)


def test_controller_files_must_exist_and_hold_pem(pem):
    found = problems(site({'ca_src': str(pem / 'nope.pem'), 'crl_src': str(pem / 'ca.pem')}))
    assert found == [
        'site_sites[0].tls.client_auth.ca_src (%s) is not a file on the controller' % (pem / 'nope.pem'),
        'site_sites[0].tls.client_auth.crl_src (%s) does not hold a PEM certificate revocation list' % (pem / 'ca.pem'),
    ]
    assert problems(site({'ca_src': str(pem / 'key.pem')})) == [
        'site_sites[0].tls.client_auth.ca_src (%s) does not hold a PEM certificate (the CA that signs the clients)'
        % (pem / 'key.pem')]


def test_required_needs_the_redirect_when_the_site_listens_on_http():
    message = ('site_sites[0].tls.client_auth.verify=required needs tls.redirect (or no plain listen): the plain '
               'HTTP server would serve the site without a client certificate')
    assert problems(site({'ca': '/etc/ssl/ca.pem'}, tls={'redirect': False})) == [message]
    assert problems(site({'ca': '/etc/ssl/ca.pem'}, tls={'redirect': False}, listen=[])) == []
    assert problems(site({'ca': '/etc/ssl/ca.pem', 'verify': 'optional'}, tls={'redirect': False})) == []


def test_location_client_auth_needs_the_site_client_auth():
    assert problems(site(locations=[dict(PROXY, client_auth='required')])) == [
        "site_sites[0].locations[0].client_auth needs the site's tls.client_auth (the CA that verifies the clients, "
        "site_sites[0].tls.client_auth)"]
    plain = {'name': 'p', 'server_names': ['p.test'], 'locations': [dict(PROXY, client_auth='required')]}
    assert problems(plain) == [
        "site_sites[0].locations[0].client_auth needs the site's tls.client_auth (the CA that verifies the clients, "
        "site_sites[0].tls.client_auth)"]
    assert problems(site({'ca': '/etc/ssl/ca.pem', 'verify': 'optional'},
                         locations=[dict(PROXY, client_auth='always')])) == [
        'site_sites[0].locations[0].client_auth (always) must be one of required']


def test_directives_and_files_of_a_controller_ca(pem):
    out = normalize(site({'ca_src': str(pem / 'ca.pem'), 'crl_src': str(pem / 'crl.pem'), 'verify': 'optional',
                          'depth': 2}, locations=[PROXY, dict(UWSGI, client_auth='required')]))['sites'][0]
    auth = out['tls']['client_auth']
    assert auth['lines'] == ['ssl_client_certificate /etc/ssl/site/a/client-ca.pem', 'ssl_verify_client optional',
                             'ssl_verify_depth 2', 'ssl_crl /etc/ssl/site/a/client-crl.pem']
    assert auth['files'] == [{'path': '/etc/ssl/site/a/client-ca.pem', 'src': str(pem / 'ca.pem')},
                             {'path': '/etc/ssl/site/a/client-crl.pem', 'src': str(pem / 'crl.pem')}]
    assert [loc['client_auth_required'] for loc in out['locations']] == [False, True]


def test_defaults_and_host_paths():
    result = normalize(site({'ca': '/etc/ssl/clients.pem'}, mode='paths',
                            tls={'cert': '/etc/ssl/c.pem', 'key': '/etc/ssl/k.pem'}))
    auth = result['sites'][0]['tls']['client_auth']
    assert auth['lines'] == ['ssl_client_certificate /etc/ssl/clients.pem', 'ssl_verify_client on',
                             'ssl_verify_depth 1']
    assert auth['files'] == []
    assert [f['path'] for f in result['host_files']] == ['/etc/ssl/c.pem', '/etc/ssl/k.pem', '/etc/ssl/clients.pem']
    assert result['host_files'][-1]['msg'] == (
        'site_sites[0].tls.client_auth.ca (/etc/ssl/clients.pem) does not exist on the host.')


def test_identity_passed_on_only_with_client_auth(pem):
    with_auth, without = normalize(site({'ca': '/etc/ssl/ca.pem'}), site(name='b'))['sites']
    assert with_auth['client_headers'] == [
        ('X-SSL-Client-Verify', '$ssl_client_verify'), ('X-SSL-Client-S-DN', '$ssl_client_s_dn'),
        ('X-SSL-Client-Serial', '$ssl_client_serial'), ('X-SSL-Client-Fingerprint', '$ssl_client_fingerprint')]
    # the mod_ssl names, and the client's own X-SSL-Client-* headers replaced under theirs
    assert [name for name, _var in with_auth['client_params']] == [
        'SSL_CLIENT_VERIFY', 'SSL_CLIENT_S_DN', 'SSL_CLIENT_SERIAL', 'SSL_CLIENT_FINGERPRINT',
        'HTTP_X_SSL_CLIENT_VERIFY', 'HTTP_X_SSL_CLIENT_S_DN', 'HTTP_X_SSL_CLIENT_SERIAL', 'HTTP_X_SSL_CLIENT_FINGERPRINT']
    assert without['client_headers'] == [] and without['client_params'] == []
    assert without['tls']['client_auth'] is None


def test_ca_and_crl_go_live_with_the_sites(pem):
    normalized = normalize(site({'ca_src': str(pem / 'ca.pem')}, mode='paths',
                                tls={'cert': '/etc/ssl/c.pem', 'key': '/etc/ssl/k.pem'}),
                           site({'ca_src': str(pem / 'ca.pem')}, name='gone', state='absent'))
    paths = {'available_dir': '/a', 'enabled_dir': '/e', 'snippets_dir': '/s', 'upstreams_file': '/u.conf',
             'default_tls_file': '/d.conf', 'reject_unknown_names': False, 'acme_challenge_dir': '/acme',
             'tls_dir': '/etc/ssl/site', 'key_mode': '0600'}
    files = site_plan.files(normalized, paths)
    by_path = {f['path']: f for f in files}
    # a tls.mode=paths site keeps no key here, but its client CA needs the directory
    assert by_path['/etc/ssl/site/a']['state'] == 'directory' and by_path['/etc/ssl/site/a']['mode'] == '0750'
    assert by_path['/etc/ssl/site/a/client-ca.pem'] == {
        'path': '/etc/ssl/site/a/client-ca.pem', 'controller_src': str(pem / 'ca.pem'), 'mode': '0644'}
    # before the site file that names it, so that nginx -t sees both
    order = [f['path'] for f in files]
    assert order.index('/etc/ssl/site/a/client-ca.pem') < order.index('/a/a.conf')
    assert '/etc/ssl/site/gone/client-ca.pem' not in by_path
