# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""scripts/bench/stackfiles.py: the files of the throughput stacks, from what site.yml rendered."""

from __future__ import annotations

import pytest

from ansible_collections.webstack.nginx_uwsgi.scripts.bench import stackfiles
from ansible_collections.webstack.nginx_uwsgi.scripts.bench.settings import BenchError

# What site.yml renders on a Debian 12 host (uwsgi_app role defaults, example app)
INI = """;
; Ansible managed
;
; uWSGI app hello, release 17ce6659cf3c (webstack.nginx_uwsgi.uwsgi_app)
[uwsgi]
plugin = python3
strict = true
master = true
need-app = true
die-on-term = true
chdir = /srv/hello/releases/17ce6659cf3c
virtualenv = /srv/hello/releases/17ce6659cf3c/venv
module = wsgi:app
socket = /run/uwsgi-app/hello/uwsgi.sock
stats = /run/uwsgi-app/hello/stats/stats.sock
processes = %k
enable-threads = true
env = APP_NAME=hello
env = APP_RELEASE=17ce6659cf3c
harakiri = 30
max-requests = 100000
disable-logging = true
log-4xx = true
log-5xx = true
"""

UNIT = """# Ansible managed
[Unit]
Description=uWSGI app hello
Requires=uwsgi-app-hello.socket

[Service]
Type=notify
User=hello
Group=hello
RuntimeDirectory=uwsgi-app/hello/stats
ExecStart=/usr/bin/python3 /usr/local/lib/uwsgi-app/uwsgi_app_ctl.py exec --env /etc/uwsgi-app/hello.env -- \
/usr/bin/uwsgi-core --ini /etc/uwsgi-app/hello.ini
ExecReload=/bin/kill -HUP $MAINPID
SystemCallFilter=~@privileged @resources
"""

SITE = """# Managed by webstack.nginx_uwsgi.site: webstack-app

server {
    listen 8080 default_server;
    listen [::]:8080 default_server;
    server_name single;
    allow 172.24.0.2;
    allow 127.0.0.1;
    deny all;

    location / {
        include /etc/nginx/uwsgi_params;
        uwsgi_pass unix:/run/uwsgi-app/hello/uwsgi.sock;
        uwsgi_read_timeout 60s;
    }
}
"""

# Debian 12's /etc/nginx/nginx.conf (nginx-common 1.22), the lines that matter
DEBIAN_NGINX_CONF = """user www-data;
worker_processes auto;
pid /run/nginx.pid;
error_log /var/log/nginx/error.log;
include /etc/nginx/modules-enabled/*.conf;

events {
\tworker_connections 768;
}

http {
\tsendfile on;
\tinclude /etc/nginx/mime.types;
\taccess_log /var/log/nginx/access.log;
\tgzip on;

\tinclude /etc/nginx/conf.d/*.conf;
\tinclude /etc/nginx/sites-enabled/*;
}
"""

APP = [('plugin', 'python3'), ('chdir', '/srv/hello/releases/17ce6659cf3c'),
       ('virtualenv', '/srv/hello/releases/17ce6659cf3c/venv'), ('module', 'wsgi:app'),
       ('env', 'APP_NAME=hello'), ('env', 'APP_RELEASE=17ce6659cf3c')]


def keys(pairs):
    return [key for key, _value in pairs]


def test_parse_ini_keeps_order_and_repeated_keys():
    pairs = stackfiles.parse_ini(INI)
    assert pairs[0] == ('plugin', 'python3')
    assert [value for key, value in pairs if key == 'env'] == ['APP_NAME=hello', 'APP_RELEASE=17ce6659cf3c']
    assert stackfiles.ini_get(pairs, 'socket') == '/run/uwsgi-app/hello/uwsgi.sock'
    assert stackfiles.ini_get(pairs, 'threads') is None
    assert stackfiles.ini_get(pairs, 'threads', '1') == '1'


def test_parse_ini_reads_only_the_uwsgi_section():
    assert stackfiles.parse_ini('[other]\na = 1\n[uwsgi]\nb = 2 = 3\n# c = 4\n') == [('b', '2 = 3')]


def test_render_ini_round_trips():
    pairs = stackfiles.parse_ini(INI)
    text = stackfiles.render_ini(pairs, 'webstack bench: test\nsecond line')
    assert text.startswith('; webstack bench: test\n; second line\n[uwsgi]\nplugin = python3\n')
    assert stackfiles.parse_ini(text) == pairs


def test_set_options_replaces_removes_and_adds():
    pairs = [('a', '1'), ('b', '2'), ('c', '3'), ('b', '4')]
    wanted = [('a', '1'), ('b', '9'), ('d', '5')]
    assert stackfiles.set_options(pairs, {'b': '9', 'c': '', 'd': '5', 'e': None}) == wanted
    assert stackfiles.set_options(pairs, {}) == pairs


def test_alone_ini_has_an_http_socket_and_the_rest_of_the_ini():
    pairs = stackfiles.alone_ini(stackfiles.parse_ini(INI), '127.0.0.1:5002')
    assert pairs[:3] == [('plugin', 'python3'), ('http-socket', '127.0.0.1:5002'), ('add-header', 'Connection: close')]
    assert 'socket' not in keys(pairs) and 'stats' not in keys(pairs)
    assert ('max-requests', '100000') in pairs and ('disable-logging', 'true') in pairs


def test_unix_socket_ini_lets_nginx_group_in():
    pairs = stackfiles.unix_socket_ini(stackfiles.parse_ini(INI), '/run/webstack-bench-variant/uwsgi.sock',
                                       'hello:www-data')
    assert pairs[1:4] == [('socket', '/run/webstack-bench-variant/uwsgi.sock'), ('chmod-socket', '660'),
                          ('chown-socket', 'hello:www-data')]
    assert keys(pairs).count('socket') == 1 and 'stats' not in keys(pairs)


def test_seed_ini():
    pairs = stackfiles.seed_ini(stackfiles.parse_ini(INI))
    assert pairs == [APP[0], ('master', 'true'), ('processes', '4'), ('threads', '2'), ('socket', '127.0.0.1:5001'),
                     ('chmod-socket', '666'), ('vacuum', 'true'), ('die-on-term', 'true')] + APP[1:]
    assert 'disable-logging' not in keys(pairs)  # the seed logs every request


def test_reference_ini_is_hand_tuned():
    pairs = stackfiles.reference_ini(stackfiles.parse_ini(INI), '/run/ref/uwsgi.sock', 'hello:www-data')
    assert pairs == [APP[0], ('master', 'true'), ('processes', '2'), ('single-interpreter', 'true'),
                     ('disable-logging', 'true'), ('socket', '/run/ref/uwsgi.sock'), ('chmod-socket', '660'),
                     ('chown-socket', 'hello:www-data'), ('vacuum', 'true'), ('die-on-term', 'true')] + APP[1:]
    assert 'threads' not in keys(pairs) and 'enable-threads' not in keys(pairs)


def test_unit_value_and_exec_start():
    assert stackfiles.unit_value(UNIT, 'User') == 'hello'
    assert stackfiles.unit_value(UNIT, 'SocketGroup', 'www-data') == 'www-data'
    assert stackfiles.exec_start_with_ini(UNIT, '/etc/webstack-bench/seed.ini') == (
        '/usr/bin/python3 /usr/local/lib/uwsgi-app/uwsgi_app_ctl.py exec --env /etc/uwsgi-app/hello.env -- '
        '/usr/bin/uwsgi-core --ini /etc/webstack-bench/seed.ini')


def test_exec_start_without_ini_fails():
    with pytest.raises(ValueError):
        stackfiles.exec_start_with_ini('[Service]\nExecStart=/usr/bin/uwsgi-core --yaml x.yml\n', '/x.ini')


def test_bench_unit():
    text = stackfiles.bench_unit('the seed', '/usr/bin/uwsgi-core --ini /x.ini', 'hello', 'hello', 'www-data',
                                 'webstack-bench-x')
    assert text.splitlines() == [
        '[Unit]', 'Description=webstack bench: the seed', '', '[Service]', 'User=hello', 'Group=hello',
        'SupplementaryGroups=www-data', 'RuntimeDirectory=webstack-bench-x', 'RuntimeDirectoryMode=0755',
        'ExecStart=/usr/bin/uwsgi-core --ini /x.ini', 'KillSignal=SIGTERM', 'TimeoutStopSec=30']
    assert 'RuntimeDirectory' not in stackfiles.bench_unit('x', 'y', 'u', 'g', 's')


def test_reference_nginx_conf_changes_only_its_pid_and_includes():
    text = stackfiles.reference_nginx_conf(DEBIAN_NGINX_CONF, '/run/ref.pid', '/etc/webstack-bench/reference/*.conf')
    assert 'pid /run/ref.pid;\n' in text
    assert '\tinclude /etc/webstack-bench/reference/*.conf;\n' in text
    assert '\t# (webstack bench) include /etc/nginx/sites-enabled/*;\n' in text
    assert 'conf.d' not in text
    unchanged = [line for line in DEBIAN_NGINX_CONF.splitlines() if 'pid' not in line and 'include /etc/nginx/' not in line]
    assert all(line in text.splitlines() for line in unchanged)
    assert 'worker_connections 768;' in text


def test_reference_nginx_conf_fails_on_an_unknown_layout():
    with pytest.raises(ValueError, match='sites-enabled'):
        stackfiles.reference_nginx_conf(DEBIAN_NGINX_CONF.replace('sites-enabled', 'vhosts'), '/p', '/i')


def test_uwsgi_server():
    assert stackfiles.uwsgi_server(8084, 'unix:/run/ref/uwsgi.sock') == (
        'server {\n    listen 8084;\n    location / {\n        uwsgi_pass unix:/run/ref/uwsgi.sock;\n'
        '        include uwsgi_params;\n    }\n}\n')


def test_variant_site():
    text = stackfiles.variant_site(SITE, 8083, '/run/uwsgi-app/hello/uwsgi.sock', '/run/v/uwsgi.sock',
                                   ['access_log off;'])
    assert '    listen 8083;\n    server_name single;\n    access_log off;\n    allow 172.24.0.2;\n' in text
    assert 'default_server' not in text and '[::]' not in text
    assert 'uwsgi_pass unix:/run/v/uwsgi.sock;' in text and '/run/uwsgi-app/' not in text
    assert stackfiles.variant_site(SITE, 8083, '/run/uwsgi-app/hello/uwsgi.sock', '/run/v/uwsgi.sock').count(
        'access_log') == 0


@pytest.mark.parametrize('site, socket, message', [
    (SITE.replace('listen', 'lissen'), '/run/uwsgi-app/hello/uwsgi.sock', 'listen'),
    (SITE, '/run/other.sock', 'unix:/run/other.sock'),
])
def test_variant_site_rejects_a_site_it_cannot_change(site, socket, message):
    with pytest.raises(ValueError, match=message):
        stackfiles.variant_site(site, 8083, socket, '/run/v/uwsgi.sock')


def test_parse_whatif_list():
    variants = stackfiles.parse_whatif_list('control||\n\nlogs|disable-logging=, threads = 2|access_log off; gzip off')
    assert variants == [stackfiles.Variant('control', {}, []),
                        stackfiles.Variant('logs', {'disable-logging': '', 'threads': '2'},
                                           ['access_log off;', 'gzip off;'])]


def test_default_whatif_list_parses():
    assert len(stackfiles.parse_whatif_list(stackfiles.DEFAULT_WHATIF)) == 7


@pytest.mark.parametrize('text, message', [
    ('only a label', 'line 1'),
    ('|a=1|', 'line 1'),
    ('x||\ny|threads|', 'line 2: option'),
])
def test_parse_whatif_list_rejects(text, message):
    with pytest.raises(BenchError, match=message):
        stackfiles.parse_whatif_list(text)
