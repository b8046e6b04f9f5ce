"""The cache of the site role (plugins/plugin_utils/site_cache.py): rules, normalization and directories."""

from __future__ import annotations

import pytest

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import site_plan
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import site_rules as sr

SETTINGS = {
    'security_headers': {'X-Content-Type-Options': 'nosniff'}, 'hsts_max_age': 1, 'hsts_include_subdomains': True,
    'tls_dir': '/etc/ssl/site', 'tls_key_type': 'ecdsa', 'template': 'site.conf.j2', 'available_dir': '/a',
    'enabled_dir': '/e', 'snippets_dir': '/s', 'proxy_next_upstream': 'error', 'cache_dir': '/var/cache/nginx/site',
}
PROXY = {'path': '/', 'kind': 'proxy', 'backend': 'http://127.0.0.1:8081/'}
UPSTREAMS = [{'name': 'apps', 'protocol': 'uwsgi', 'servers': [{'address': '10.0.0.1:3031'}]},
             {'name': 'web', 'servers': [{'address': '10.0.0.1:80'}]}]


def site(name='a', cache=None, locations=(), **kw):
    out = dict(name=name, server_names=[name + '.test'], locations=list(locations), **kw)
    if cache is not None:
        out['cache'] = cache
    return out


def loc(**kw):
    return dict(PROXY, **kw)


def problems(*sites, **kw):
    return sr.problems(sr.Context(sites=list(sites), upstreams=UPSTREAMS, **kw))


def normalized(*sites):
    return sr.normalize(sr.Context(sites=list(sites), upstreams=UPSTREAMS), SETTINGS)


def test_a_good_cache_has_no_problem():
    assert problems(site('a', cache={}, locations=[
        loc(cache={}),
        {'path': '/app/', 'kind': 'uwsgi', 'socket': '/run/a.sock',
         'cache': {'valid': {'200 301': '10m', 404: 60, 'any': '1h30m'}}},
        {'path': '/u/', 'kind': 'upstream', 'upstream': 'apps',
         'cache': {'bypass_cookies': ['sessionid', 'csrf_token'], 'use_stale': ['error', 'updating', 'http_502']}},
        {'path': '/s/', 'kind': 'static', 'root': '/srv'},
    ]), site('b', cache={'path': '/srv/cache/b', 'size': '1M', 'max_size': '512m', 'inactive': '1d'})) == []


@pytest.mark.parametrize('cache, message', [
    ({'size': '10x'}, 'site_sites[0].cache.size (10x) must be a size: a number with an optional k, m or g (10m)'),
    ({'max_size': '1 g'}, 'site_sites[0].cache.max_size (1 g) must be a size: a number with an optional k, m or g (10m)'),
    ({'inactive': '10 minutes'}, 'site_sites[0].cache.inactive (10 minutes) must be an nginx time (90, 10m, 1h30m, 1d)'),
    ({'path': 'cache/a'}, 'site_sites[0].cache.path (cache/a) must be an absolute path without spaces, quotes, ";" or braces'),
    ({'path': '/srv/a b'}, 'site_sites[0].cache.path (/srv/a b) must be an absolute path without spaces, quotes, ";" or braces'),
])
def test_bad_site_cache(cache, message):
    assert problems(site('a', cache=cache, locations=[loc(cache={})])) == [message]


def test_site_cache_dir_must_be_absolute_when_used():
    assert problems(site('a', cache={}), cache_dir='cache') == [
        'site_sites[0].cache.path: site_cache_dir (cache) must be an absolute path without spaces, quotes, ";" or braces']
    assert problems(site('a', cache={'path': '/c'}), cache_dir='cache') == []


def test_two_sites_cannot_share_a_cache_directory():
    assert problems(site('a', cache={'path': '/var/cache/nginx/site/b/'}), site('b', cache={})) == [
        'site_sites[1].cache.path (/var/cache/nginx/site/b) is the cache directory of site_sites[0] (a) too: '
        'each site needs its own']


@pytest.mark.parametrize('location, message', [
    (loc(cache={}), "site_sites[0].locations[0].cache needs the site's cache "
                    "(site_sites[0].cache: where and how much the site stores)"),
])
def test_location_cache_needs_the_site_cache(location, message):
    assert problems(site('a', locations=[location])) == [message]


@pytest.mark.parametrize('location, message', [
    ({'path': '/', 'kind': 'static', 'root': '/srv', 'cache': {}},
     'site_sites[0].locations[0].cache: only uwsgi, upstream and proxy locations can cache (kind is static)'),
    (loc(buffering=False, cache={}),
     'site_sites[0].locations[0].cache cannot be used with buffering=false (nginx caches only buffered responses)'),
    (loc(cache={'valid': {'20': '1m'}}),
     'site_sites[0].locations[0].cache.valid: 20 must be statuses (3 digits) or any, separated by spaces'),
    (loc(cache={'valid': {'200 ok': '1m'}}),
     'site_sites[0].locations[0].cache.valid: 200 ok must be statuses (3 digits) or any, separated by spaces'),
    (loc(cache={'valid': {200: '1 min'}}),
     'site_sites[0].locations[0].cache.valid.200 (1 min) must be an nginx time (90, 10m, 1h30m, 1d)'),
    (loc(cache={'bypass_cookies': ['my-session']}),
     'site_sites[0].locations[0].cache.bypass_cookies[0] (my-session) must be a cookie name of letters, digits and "_" '
     '(nginx reads it as $cookie_<name>)'),
    (loc(cache={'use_stale': ['sometimes']}),
     'site_sites[0].locations[0].cache.use_stale[0] (sometimes) must be one of error, timeout, invalid_header, '
     'updating, http_500, http_502, http_503, http_504, http_403, http_404, http_429'),
    (loc(cache={'key': '$host $uri'}),
     'site_sites[0].locations[0].cache.key ($host $uri) must be one word without spaces, quotes or ";" '
     '(nginx variables allowed)'),
    (loc(headers={'x-cache-status': 'x'}, cache={'status_header': True}),
     'site_sites[0].locations[0].headers.x-cache-status is sent by cache.status_header already'),
])
def test_bad_location_cache(location, message):
    assert problems(site('a', cache={}, locations=[location])) == [message]


def test_normalize_renders_one_zone_per_module_used():
    out = normalized(site('a', cache={'size': '1m'}, locations=[
        loc(cache={'status_header': True, 'valid': {404: '1m', '200  301': '5m'}, 'bypass_cookies': ['s', 's']}),
        {'path': '/u/', 'kind': 'upstream', 'upstream': 'apps',
         'cache': {'bypass_authorization': False, 'bypass_cookies': [], 'lock': False,
                   'use_stale': ['error', 'updating']}},
        {'path': '/w/', 'kind': 'upstream', 'upstream': 'web'},
    ]))
    a = out['sites'][0]
    assert a['cache'] == {
        'path': '/var/cache/nginx/site/a',
        'zones': [{'module': 'proxy', 'name': 'site_a_proxy', 'path': '/var/cache/nginx/site/a/proxy', 'size': '1m',
                   'max_size': '1g', 'inactive': '10m'},
                  {'module': 'uwsgi', 'name': 'site_a_uwsgi', 'path': '/var/cache/nginx/site/a/uwsgi', 'size': '1m',
                   'max_size': '1g', 'inactive': '10m'}],
        'dirs': ['/var/cache/nginx/site', '/var/cache/nginx/site/a']}
    proxy, uwsgi, plain = a['locations']
    assert proxy['cache'] == {
        'module': 'proxy', 'zone': 'site_a_proxy', 'key': '$scheme$request_method$host$request_uri',
        'valid': [{'codes': '200 301', 'time': '5m'}, {'codes': '404', 'time': '1m'}],
        'bypass': ['$cookie_s', '$http_authorization'], 'lock': True, 'use_stale': '', 'status_header': True}
    # the header the location adds is hidden from the backend like the site's: sent once
    assert proxy['headers'] == {'X-Cache-Status': '$upstream_cache_status'}
    assert 'X-Cache-Status' in proxy['hide_headers']
    assert uwsgi['cache']['module'] == 'uwsgi' and uwsgi['cache']['zone'] == 'site_a_uwsgi'
    assert (uwsgi['cache']['bypass'], uwsgi['cache']['lock'], uwsgi['cache']['use_stale']) == ([], False, 'error updating')
    assert 'X-Cache-Status' not in uwsgi['headers'] and 'X-Cache-Status' not in uwsgi['hide_headers']
    assert plain['cache'] is None


def test_defaults_bypass_the_session_cookie_and_authorization():
    out = normalized(site('a', cache={}, locations=[loc(cache={})]))['sites'][0]
    assert out['locations'][0]['cache']['bypass'] == ['$cookie_session', '$http_authorization']
    assert out['locations'][0]['cache']['valid'] == [{'codes': '200 301 302', 'time': '10m'}]
    assert out['cache']['zones'][0]['max_size'] == '1g'


def test_no_zone_and_no_directory_without_a_caching_location():
    out = normalized(site('a', cache={}, locations=[loc()]), site('b'))
    assert out['sites'][0]['cache'] == {'path': '/var/cache/nginx/site/a', 'zones': [], 'dirs': []}
    assert out['sites'][1]['cache'] is None
    assert out['sites'][1]['locations'] == []


def test_the_role_makes_the_directories_above_the_zones_of_kept_sites():
    out = normalized(site('a', cache={}, locations=[loc(cache={})]),
                     site('b', cache={'path': '/srv/cache/b'}, locations=[loc(cache={})]),
                     site('c', cache={}, locations=[loc(cache={})], state='absent'))
    paths = {'available_dir': '/a', 'enabled_dir': '/e', 'snippets_dir': '/s', 'upstreams_file': '/u',
             'default_tls_file': '/d', 'reject_unknown_names': True, 'acme_challenge_dir': '/ac', 'tls_dir': '/t',
             'key_mode': '0600'}
    dirs = [f for f in site_plan.files(out, paths) if f.get('state') == 'directory' and 'cache' in f['path']]
    assert dirs == [{'path': '/var/cache/nginx/site', 'state': 'directory', 'mode': '0755'},
                    {'path': '/var/cache/nginx/site/a', 'state': 'directory', 'mode': '0755'},
                    {'path': '/srv/cache/b', 'state': 'directory', 'mode': '0755'}]
