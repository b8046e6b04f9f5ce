# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Rate and connection limits and basic auth of the site role (issue 30): SHA-512-crypt against the
specification's vectors, the rules (every bad input named, no password shown), normalization (no password
left) and the password files (stable for a password, new for a new one, never shown)."""

from __future__ import annotations

import json
import os

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.webstack.nginx_uwsgi.plugins.filter.site_files import site_files
from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.managed_files import FileSet, Wanted
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import htpasswd, site_plan, site_rules
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.argspec import check_variables
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.argument_specs import options
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.controller_files import split_secrets

ROLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', '..', 'roles', 'site')
SETTINGS = {
    'security_headers': {}, 'hsts_max_age': 1, 'hsts_include_subdomains': False, 'tls_dir': '/etc/ssl/site',
    'tls_key_type': 'ecdsa', 'template': 'site.conf.j2', 'available_dir': '/etc/nginx/sites-available',
    'enabled_dir': '/etc/nginx/sites-enabled', 'snippets_dir': '/etc/nginx/snippets', 'proxy_next_upstream': 'error',
    'auth_dir': '/etc/nginx/site-auth',
}
PATHS = {
    'available_dir': '/etc/nginx/sites-available', 'enabled_dir': '/etc/nginx/sites-enabled',
    'snippets_dir': '/etc/nginx/snippets', 'upstreams_file': '/etc/nginx/conf.d/site-upstreams.conf',
    'default_tls_file': '/etc/nginx/conf.d/site-default-tls.conf', 'reject_unknown_names': True,
    'acme_challenge_dir': '/var/lib/acme', 'tls_dir': '/etc/ssl/site', 'key_mode': '0600',
}

# Ulrich Drepper, "Unix crypt using SHA-256 and SHA-512", the SHA-512 test vectors.
VECTORS = [
    ('saltstring', None, 'Hello world!',
     '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1'),
    ('saltstringsaltstring', 10000, 'Hello world!',
     '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.'),
    ('toolongsaltstring', 5000, 'This is just a test',
     '$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0'),
    ('anotherlongsaltstring', 1400,
     'a very much longer text to encrypt.  This one even stretches over morethan one line.',
     '$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1'),
    ('short', 77777, 'we have a short salt string but not a short password',
     '$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0'),
    ('asaltof16chars..', 123456, 'a short string',
     '$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1'),
    ('roundstoolow', 10, 'the minimum number is still observed',
     '$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.'),
]


@pytest.mark.parametrize('salt, rounds, password, expected', VECTORS, ids=[v[0] for v in VECTORS])
def test_sha512_crypt_matches_the_specification(salt, rounds, password, expected):
    assert htpasswd.sha512_crypt(password, salt, rounds) == expected


def test_password_lines_are_stable_and_change_with_the_password_or_the_context():
    first = htpasswd.line('alice', 'pw-one', 'site\0/f')
    assert first == htpasswd.line('alice', 'pw-one', 'site\0/f')
    assert first.startswith('alice:$6$') and 'pw-one' not in first
    salt = first.split('$')[2]
    assert len(salt) == 16
    assert htpasswd.line('alice', 'pw-two', 'site\0/f').split('$')[2] != salt
    assert htpasswd.line('alice', 'pw-one', 'other\0/f') != first
    assert htpasswd.line('bob', 'pw-one', 'site\0/f').split('$')[2] != salt
    # the line is what crypt(3) computes for the password under its own salt
    assert first.split(':', 1)[1] == htpasswd.sha512_crypt('pw-one', salt)


def site(name='a', **kw):
    kw.setdefault('server_names', [name + '.test'])
    return dict(name=name, **kw)


def problems(*sites):
    return site_rules.problems(site_rules.Context(sites=list(sites)))


def test_good_limits_and_auth_have_no_problem():
    assert problems(
        site('a', limit_req={'rate': '10r/s', 'burst': 5, 'delay': 2}, limit_conn={'max': 10, 'zone_size': '32k'},
             allow=['10.0.0.0/8'], basic_auth={'satisfy': 'any', 'users': [{'name': 'ann', 'password': 'p'}]},
             locations=[{'path': '/', 'kind': 'static', 'root': '/srv', 'limit_req': {'rate': '60r/m', 'nodelay': True},
                         'basic_auth': {'enabled': False}}])) == []


def test_bad_limits_are_named():
    out = problems(site('a', limit_req={'rate': '10/s', 'burst': -1, 'nodelay': True, 'delay': 2, 'status': 200,
                                        'zone_size': '8k'},
                        limit_conn={'max': 0, 'status': 600, 'zone_size': 'big'},
                        locations=[{'path': '/', 'kind': 'static', 'root': '/srv', 'limit_req': {'rate': '0r/s'}}]))
    assert out == [
        'site_sites[0].limit_req.rate (10/s) must be requests per second or minute, for example 10r/s or 60r/m',
        'site_sites[0].limit_req.burst (-1) must be 0 or more',
        'site_sites[0].limit_req: nodelay and delay are mutually exclusive (delay=N delays past the first N excess requests)',
        'site_sites[0].limit_req.status (200) must be an HTTP error status, 400-599',
        'site_sites[0].limit_req.zone_size (8k) must be at least 32k (nginx needs 8 pages)',
        'site_sites[0].limit_conn.max (0) must be 1 or more',
        'site_sites[0].limit_conn.status (600) must be an HTTP error status, 400-599',
        'site_sites[0].limit_conn.zone_size (big) must be a size in k or m, for example 10m',
        'site_sites[0].locations[0].limit_req.rate (0r/s) must be requests per second or minute, for example 10r/s or 60r/m',
    ]


def test_bad_auth_is_named_and_no_password_is_shown():
    users = [{'name': 'ev:il', 'password': 'SECRET-1'}, {'name': 'two words', 'password': 'SECRET-2'},
             {'name': '#x', 'password': 'SECRET-3'}, {'name': 'ok', 'password': ''},
             {'name': 'ok', 'password': 'SECRET-4'}]
    out = problems(
        site('a', basic_auth={'realm': 'a "b"', 'users': users},
             locations=[{'path': '/', 'kind': 'static', 'root': '/srv', 'basic_auth': {'users': []}}]),
        site('b', basic_auth={'satisfy': 'any', 'users': [{'name': 'u', 'password': 'p'}]}),
        site('c', allow=['10.0.0.1'], real_ip_from=['10.0.0.2'],
             basic_auth={'satisfy': 'some', 'users': [{'name': 'u', 'password': 'p'}]}),
        site('d', allow=['10.0.0.1'], real_ip_from=['10.0.0.2'],
             basic_auth={'satisfy': 'any', 'users': [{'name': 'u', 'password': 'p'}]}),
        site('e', basic_auth={'realm': 'off', 'users': [{'name': 'u', 'password': 'p'}]}),
    )
    assert not [m for m in out if 'SECRET' in m]
    expected = [
        'site_sites[0].basic_auth.realm (a "b") must be one line',
        'site_sites[0].basic_auth.users[0].name (ev:il) must be a user name without ":" or white space',
        'site_sites[0].basic_auth.users[1].name (two words) must be a user name',
        'site_sites[0].basic_auth.users[2].name (#x) must be a user name',
        'site_sites[0].basic_auth.users[3].password must not be empty',
        'site_sites[0].basic_auth.users[4].name (ok) is a duplicate',
        'site_sites[0].locations[0].basic_auth.users must name at least one user',
        "site_sites[1].basic_auth.satisfy=any needs the site's allow",
        'site_sites[2].basic_auth.satisfy (some) must be one of all, any',
        'site_sites[3].basic_auth.satisfy=any cannot be used with real_ip_from',
        'site_sites[4].basic_auth.realm (off) must be one line',
    ]
    assert len(out) == len(expected), out
    for message, start in zip(out, expected):
        assert message.startswith(start), message


def test_the_argument_spec_hides_a_password_of_the_wrong_type():
    spec = options(ROLE)
    out = check_variables({'site_sites': [site('a', basic_auth={'users': [{'name': 'u', 'password': ['SECRET']}],
                                                                'bogus': 1})]}, spec)
    assert not [m for m in out if 'SECRET' in m]
    assert any(m.startswith('site_sites[0].basic_auth.bogus is not an option') for m in out), out


AUTH = site('shop', allow=['10.0.0.1'],
            limit_req={'rate': '10r/s', 'burst': 20, 'nodelay': True}, limit_conn={'max': 5, 'dry_run': True},
            basic_auth={'realm': 'Shop staff', 'satisfy': 'any',
                        'users': [{'name': 'ann', 'password': 'SECRET-ann'}, {'name': 'bo', 'password': 'SECRET-bo'}]},
            locations=[{'path': '/', 'kind': 'static', 'root': '/srv'},
                       {'path': '/api/', 'kind': 'static', 'root': '/srv',
                        'limit_req': {'rate': '60r/m', 'delay': 3, 'status': 503}},
                       {'path': '/health', 'kind': 'static', 'root': '/srv', 'basic_auth': {'enabled': False}},
                       {'path': '/ops/', 'kind': 'static', 'root': '/srv',
                        'basic_auth': {'users': [{'name': 'ops', 'password': 'SECRET-ops'}]}}])


def normalized(*sites):
    return site_rules.normalize(site_rules.Context(sites=list(sites)), SETTINGS)


def test_normalized_limits_and_auth_carry_directives_and_no_password():
    norm = normalized(AUTH, site('plain'))
    assert 'SECRET' not in json.dumps(norm)
    shop, plain = norm['sites']
    assert shop['limit_zones'] == [
        'limit_req_zone $binary_remote_addr zone=site_shop_req:10m rate=10r/s',
        'limit_conn_zone $binary_remote_addr zone=site_shop_conn:10m',
        'limit_req_zone $binary_remote_addr zone=site_shop_loc1_req:10m rate=60r/m',
    ]
    assert shop['limits'] == ['limit_req zone=site_shop_req burst=20 nodelay', 'limit_req_status 429',
                              'limit_req_dry_run off', 'limit_conn site_shop_conn 5', 'limit_conn_status 429',
                              'limit_conn_dry_run on']
    assert shop['locations'][1]['limits'] == ['limit_req zone=site_shop_loc1_req delay=3', 'limit_req_status 503',
                                              'limit_req_dry_run off']
    assert shop['locations'][0]['limits'] == [] and shop['locations'][0]['auth'] is None  # inherits the site's
    assert shop['auth'] == ['satisfy any', 'auth_basic "Shop staff"',
                            'auth_basic_user_file /etc/nginx/site-auth/shop.htpasswd']
    assert shop['locations'][2]['auth'] == ['auth_basic off']
    assert shop['locations'][3]['auth'][-1] == 'auth_basic_user_file /etc/nginx/site-auth/shop.loc3.htpasswd'
    assert [f['path'] for f in shop['auth_files']] == ['/etc/nginx/site-auth/shop.htpasswd',
                                                       '/etc/nginx/site-auth/shop.loc3.htpasswd']
    assert shop['auth_files'][0]['users'] == ['ann', 'bo']
    assert plain['limit_zones'] == [] and plain['limits'] == [] and plain['auth'] is None and plain['auth_files'] == []


AUTH_PATHS = dict(PATHS, marker='# Managed by test:', auth_group='www-data')


def _auth_entries(entries):
    return [e for e in entries if e['path'].startswith('/etc/nginx/site-auth')]


def test_password_files_are_hashed_0640_nginx_group_and_stable():
    entries = _auth_entries(site_plan.files(normalized(AUTH), AUTH_PATHS, secrets=[AUTH]))
    assert entries[0] == {'path': '/etc/nginx/site-auth', 'state': 'directory', 'mode': '0750', 'group': 'www-data'}
    files = {e['path']: e for e in entries[1:]}
    shop = files['/etc/nginx/site-auth/shop.htpasswd']
    assert (shop['mode'], shop['owner'], shop['group']) == ('0640', 'root', 'www-data')
    assert 'content' not in shop
    lines = shop['secret_content'].splitlines()
    assert lines[0] == '# Managed by test: shop'
    assert [line.split(':', 1)[0] for line in lines[1:]] == ['ann', 'bo']
    assert 'SECRET' not in shop['secret_content']
    assert files['/etc/nginx/site-auth/shop.loc3.htpasswd']['secret_content'].splitlines()[1].startswith('ops:$6$')
    again = _auth_entries(site_plan.files(normalized(AUTH), AUTH_PATHS, secrets=[AUTH]))
    assert again == entries  # the same passwords: the same files, nothing changes
    changed = json.loads(json.dumps(AUTH).replace('SECRET-ann', 'SECRET-new'))
    new = _auth_entries(site_plan.files(normalized(changed), AUTH_PATHS, secrets=[changed]))
    new_lines = new[1]['secret_content'].splitlines()
    assert new_lines[1] != lines[1] and new_lines[2] == lines[2]  # ann's line only


def test_password_files_need_the_secrets_and_go_once_per_host():
    with pytest.raises(AnsibleFilterError, match=r'site_sites\[0\] \(shop\) are needed'):
        site_files(normalized(AUTH), AUTH_PATHS)
    other = site('other', basic_auth={'users': [{'name': 'x', 'password': 'y'}]})
    gone = dict(other, name='gone', state='absent')
    entries = _auth_entries(site_files(normalized(AUTH, other, gone), AUTH_PATHS, secrets=[AUTH, other, gone]))
    assert [e['path'] for e in entries] == ['/etc/nginx/site-auth', '/etc/nginx/site-auth/shop.htpasswd',
                                            '/etc/nginx/site-auth/shop.loc3.htpasswd',
                                            '/etc/nginx/site-auth/other.htpasswd']


def test_secret_content_is_written_and_never_shown(tmp_path):
    path = tmp_path / 'a.htpasswd'
    wanted = Wanted.from_dict({'path': str(path), 'secret_content': 'ann:$6$x$SECRETHASH\n', 'mode': '0640',
                               'owner': 'root', 'group': 'root'})
    assert wanted.diff is False and wanted.content == 'ann:$6$x$SECRETHASH\n'
    fileset = FileSet([wanted])
    fileset.plan(strict=False)
    assert 'SECRETHASH' not in repr(fileset.diffs())
    with pytest.raises(Exception, match='mutually exclusive'):
        Wanted.from_dict({'path': str(path), 'secret_content': 'a', 'content': 'b'})


def test_the_action_moves_secret_contents_to_a_no_log_option_of_their_own():
    files = [{'path': '/a', 'content': 'x'}, {'path': '/p.htpasswd', 'secret_content': 'ann:$6$s$h\n', 'mode': '0640'}]
    rest, secrets = split_secrets(files)
    assert secrets == {'/p.htpasswd': 'ann:$6$s$h\n'}
    assert rest == [{'path': '/a', 'content': 'x'}, {'path': '/p.htpasswd', 'mode': '0640'}]
    assert 'secret_content' in files[1]  # the task's own arguments are left as they are
