# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What status_facts reads: the upstream servers, the live certificates, nginx's last reload, the newest file."""

from __future__ import annotations

import os

from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils import status

UPSTREAMS = """# Ansible managed
map $http_upgrade $connection_upgrade {
    default upgrade;
}

upstream webstack-app {
    zone webstack-app 64k;
    server 10.0.0.21:8080 max_fails=1 fail_timeout=10s;  # host app1
    server 10.0.0.22:8080 max_fails=1 fail_timeout=10s down;  # host app2
    keepalive 16;
}

upstream other {
    server unix:/run/x.sock backup;
    server 10.0.0.9:80;
}
"""


def test_parse_upstreams_reads_every_server_with_its_host_and_drain():
    assert status.parse_upstreams(UPSTREAMS) == [
        {'upstream': 'webstack-app', 'address': '10.0.0.21:8080', 'host': 'app1', 'down': False, 'backup': False},
        {'upstream': 'webstack-app', 'address': '10.0.0.22:8080', 'host': 'app2', 'down': True, 'backup': False},
        {'upstream': 'other', 'address': 'unix:/run/x.sock', 'host': None, 'down': False, 'backup': True},
        {'upstream': 'other', 'address': '10.0.0.9:80', 'host': None, 'down': False, 'backup': False},
    ]


def test_parse_upstreams_of_nothing():
    assert status.parse_upstreams('') == []
    assert status.parse_upstreams(None) == []


def test_certificate_paths_leave_out_variables_and_comments():
    text = ('ssl_certificate /etc/ssl/site/a/fullchain.pem;\n  ssl_certificate_key /etc/ssl/site/a/key.pem;\n'
            '# ssl_certificate /old.pem;\n    ssl_certificate $ssl_server_name.pem;\n')
    assert status.certificate_paths(text) == ['/etc/ssl/site/a/fullchain.pem']


def _stat(pid, ppid, start, comm='nginx'):
    return '%d (%s) S %d %s %d %s' % (pid, comm, ppid, ' '.join(['0'] * 17), start, ' '.join(['0'] * 20))


def test_parse_stat_with_spaces_and_parentheses_in_the_name():
    assert status.parse_stat(_stat(12, 1, 500, comm='a (b) c')) == (1, 500)
    assert status.parse_stat('garbage') is None


def test_newest_child_start_is_the_last_reload():
    stats = {10: _stat(10, 1, 100), 11: _stat(11, 10, 200), 12: _stat(12, 10, 900), 13: _stat(13, 99, 5000)}
    # uptime 100 s, 100 ticks a second: tick 900 is 9 s after boot, 91 s ago
    assert status.newest_child_start(stats, 10, 100, 100.0, 1000.0) == 909.0
    assert status.newest_child_start(stats, 42, 100, 100.0, 1000.0) == 0.0


def test_newest_change_counts_links_and_their_targets(tmp_path):
    old, new = tmp_path / 'old.conf', tmp_path / 'new.conf'
    old.write_text('a')
    new.write_text('b')
    os.utime(old, (1000, 1000))
    os.utime(new, (2000, 2000))
    link = tmp_path / 'link'
    link.symlink_to(new)
    os.utime(link, (1500, 1500), follow_symlinks=False)
    assert status.newest_change([str(old), str(link)]) == (2000.0, str(link))
    assert status.newest_change([str(tmp_path / 'missing')]) == (0.0, None)


def test_tree_lists_directories_and_files(tmp_path):
    (tmp_path / 'conf.d').mkdir()
    (tmp_path / 'conf.d' / 'a.conf').write_text('')
    (tmp_path / 'nginx.conf').write_text('')
    assert status.tree(str(tmp_path)) == [str(tmp_path), str(tmp_path / 'conf.d'), str(tmp_path / 'nginx.conf'),
                                          str(tmp_path / 'conf.d' / 'a.conf')]
    assert status.tree(str(tmp_path / 'missing')) == []
