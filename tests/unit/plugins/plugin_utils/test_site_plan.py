# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.webstack.nginx_uwsgi.plugins.filter.site_files import site_files
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import site_plan, site_rules

SETTINGS = {
    'security_headers': {}, 'hsts_max_age': 1, 'hsts_include_subdomains': False, 'tls_dir': '/etc/ssl/site',
    'tls_key_type': 'ecdsa', 'template': 'site.conf.j2', 'available_dir': '/etc/nginx/sites-available',
    'enabled_dir': '/etc/nginx/sites-enabled', 'snippets_dir': '/etc/nginx/snippets', 'proxy_next_upstream': 'error',
}
PATHS = {
    'available_dir': '/etc/nginx/sites-available', 'enabled_dir': '/etc/nginx/sites-enabled',
    'snippets_dir': '/etc/nginx/snippets', 'upstreams_file': '/etc/nginx/conf.d/site-upstreams.conf',
    'default_tls_file': '/etc/nginx/conf.d/site-default-tls.conf', 'reject_unknown_names': True,
    'acme_challenge_dir': '/var/lib/acme', 'tls_dir': '/etc/ssl/site', 'key_mode': '0600',
}


def normalized(*sites):
    return site_rules.normalize(site_rules.Context(sites=list(sites)), SETTINGS)


SHOP = {'name': 'shop', 'server_names': ['shop.test'],
        'tls': {'mode': 'files', 'cert_src': '/ctl/shop.crt', 'key_src': '/ctl/shop.key'}}
BLOG = {'name': 'blog', 'server_names': ['blog.test'], 'tls': {'mode': 'acme'}}
OLD = {'name': 'old', 'server_names': ['old.test'], 'state': 'absent'}


def paths(entries, **match):
    return [e['path'] for e in entries if all(e.get(k) == v for k, v in match.items())]


def test_every_file_of_the_sites_in_one_list():
    files = site_plan.files(normalized(SHOP, BLOG, OLD), PATHS)
    assert paths(files, state='directory') == [
        '/etc/nginx/sites-available', '/etc/nginx/sites-enabled', '/etc/nginx/snippets', '/var/lib/acme',
        '/var/lib/acme/.well-known', '/var/lib/acme/.well-known/acme-challenge', '/etc/ssl/site',
        '/etc/ssl/site/shop', '/etc/ssl/site/blog']
    templates = dict((e['path'], e['template']) for e in files if 'template' in e)
    assert templates['/etc/nginx/sites-available/shop.conf'] == 'site.conf.j2'
    assert templates['/etc/nginx/snippets/site-shop-headers.conf'] == site_plan.HEADERS_TEMPLATE
    assert '/etc/nginx/conf.d/site-default-tls.conf' in templates
    assert paths(files, state='absent') == ['/etc/nginx/snippets/site-old-headers.conf',
                                            '/etc/nginx/sites-available/old.conf', '/etc/nginx/sites-enabled/old.conf']
    assert paths(files, state='link') == ['/etc/nginx/sites-enabled/shop.conf', '/etc/nginx/sites-enabled/blog.conf']
    # nothing staged: no key or certificate goes live
    assert not [e for e in files if 'content_from' in e]


def test_staged_material_goes_live_with_the_sites_and_a_lone_key_waits():
    staged = {'shop': {'cert': True, 'key': True, 'chain': False}, 'blog': {'cert': False, 'key': True}}
    files = site_plan.files(normalized(SHOP, BLOG), PATHS, staged)
    assert [(e['path'], e['content_from'], e['mode']) for e in files if 'content_from' in e] == [
        ('/etc/ssl/site/shop/fullchain.pem', '/etc/ssl/site/shop/staged/fullchain.pem', '0644'),
        ('/etc/ssl/site/shop/privkey.pem', '/etc/ssl/site/shop/staged/privkey.pem', '0600')]
    renewed = site_plan.tls_files(normalized(BLOG)['sites'], {'blog': {'cert': True, 'key': False, 'chain': True}},
                                  '0600')
    assert paths(renewed) == ['/etc/ssl/site/blog/fullchain.pem', '/etc/ssl/site/blog/chain.pem']


def test_controller_copies_are_staged_and_never_shown():
    files = site_files(normalized(SHOP, BLOG), PATHS, part='controller')
    assert files[-2:] == [
        {'path': '/etc/ssl/site/shop/staged/fullchain.pem', 'controller_src': '/ctl/shop.crt', 'mode': '0644'},
        {'path': '/etc/ssl/site/shop/staged/privkey.pem', 'controller_src': '/ctl/shop.key', 'mode': '0600',
         'diff': False}]
    assert paths(files, state='directory') == ['/etc/ssl/site', '/etc/ssl/site/shop', '/etc/ssl/site/shop/staged']
    assert [e['mode'] for e in files if e['path'].endswith('/staged')] == ['0700']


def test_no_catch_all_without_tls_and_parts():
    plain = normalized({'name': 'app', 'server_names': ['_'], 'listen': ['8080']})
    files = site_files(plain, PATHS)
    assert {'path': '/etc/nginx/conf.d/site-default-tls.conf', 'state': 'absent'} in files
    assert site_files(plain, PATHS, part='staging', names=['app']) == []
    assert site_files(normalized(BLOG), PATHS, part='staging', names=['blog'])[-1] == {
        'path': '/etc/ssl/site/blog/staged', 'state': 'directory', 'mode': '0700'}
    with pytest.raises(Exception, match='unknown part'):
        site_files(plain, PATHS, part='nope')
