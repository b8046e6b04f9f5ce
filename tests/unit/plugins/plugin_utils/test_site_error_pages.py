# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A site's own error pages (site_sites[].error_pages): the rule, the normalized pages, the files."""

from __future__ import annotations

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import site_plan, site_rules

SETTINGS = {
    'security_headers': {}, 'hsts_max_age': 1, 'hsts_include_subdomains': False, 'tls_dir': '/etc/ssl/site',
    'tls_key_type': 'ecdsa', 'template': 'site.conf.j2', 'available_dir': '/etc/nginx/sites-available',
    'enabled_dir': '/etc/nginx/sites-enabled', 'snippets_dir': '/etc/nginx/snippets', 'proxy_next_upstream': 'error',
    'errors_dir': '/etc/nginx/site-errors',
}
PATHS = {
    'available_dir': '/etc/nginx/sites-available', 'enabled_dir': '/etc/nginx/sites-enabled',
    'snippets_dir': '/etc/nginx/snippets', 'upstreams_file': '/etc/nginx/conf.d/site-upstreams.conf',
    'default_tls_file': '/etc/nginx/conf.d/site-default-tls.conf', 'reject_unknown_names': True,
    'acme_challenge_dir': '/var/lib/acme', 'tls_dir': '/etc/ssl/site', 'key_mode': '0600',
}


def _problems(site):
    return site_rules.problems(site_rules.Context(sites=[site]))


def test_good_pages_have_no_problem(tmp_path):
    page = tmp_path / '502.html'
    page.write_text('<p>back soon</p>')
    assert _problems({'name': 'a', 'server_names': ['a.test'], 'error_pages': {502: str(page), '404': str(page)}}) == []


def test_problems_name_the_status_and_the_file(tmp_path):
    page = tmp_path / '404.html'
    page.write_text('x')
    assert _problems({'name': 'a', 'server_names': ['a.test'],
                      'error_pages': {404: str(page), 418: str(page), 502: '/nonexistent/502.html', 503: ''}}) == [
        'site_sites[0].error_pages.418: the status must be one of 404, 500, 502, 503, 504',
        'site_sites[0].error_pages.502 (/nonexistent/502.html) is not a file on the controller',
        'site_sites[0].error_pages.503 () is not a file on the controller',
    ]


def test_normalized_pages_and_their_files():
    sites = site_rules.normalize(site_rules.Context(sites=[
        {'name': 'shop', 'server_names': ['shop.test'], 'error_pages': {'504': '/ctl/504.html', 404: '/ctl/404.html'}},
        {'name': 'blog', 'server_names': ['blog.test']}]), SETTINGS)
    shop, blog = sites['sites']
    assert shop['error_pages'] == [
        {'code': 404, 'src': '/ctl/404.html', 'uri': '/.site-error-404.html', 'path': '/etc/nginx/site-errors/shop/404.html'},
        {'code': 504, 'src': '/ctl/504.html', 'uri': '/.site-error-504.html', 'path': '/etc/nginx/site-errors/shop/504.html'},
    ]
    assert blog['error_pages'] == []
    files = site_plan.files(sites, PATHS)
    pages = [e for e in files if e['path'].startswith('/etc/nginx/site-errors')]
    assert pages == [
        {'path': '/etc/nginx/site-errors', 'state': 'directory', 'mode': site_plan.DIRECTORY_MODE},
        {'path': '/etc/nginx/site-errors/shop', 'state': 'directory', 'mode': site_plan.DIRECTORY_MODE},
        {'path': '/etc/nginx/site-errors/shop/404.html', 'mode': '0644', 'controller_src': '/ctl/404.html'},
        {'path': '/etc/nginx/site-errors/shop/504.html', 'mode': '0644', 'controller_src': '/ctl/504.html'},
    ]
