# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The pieces of the uwsgi_app_facts module that read a host: releases, links, the serving master, workers."""

from __future__ import annotations

import grp
import hashlib
import json
import os
import pwd
import socket
import threading
import time

from ansible_collections.webstack.nginx_uwsgi.plugins.modules import uwsgi_app_facts as facts


def test_releases_are_the_finished_ones_newest_first(tmp_path):
    for name, stamp in (('r1', 100), ('r2', 300), ('broken', None), ('r3', 200)):
        (tmp_path / 'releases' / name).mkdir(parents=True)
        if stamp:
            marker = tmp_path / 'releases' / name / '.uwsgi-app-release'
            marker.write_text(name)
            os.utime(marker, (stamp, stamp))
    assert facts.releases(str(tmp_path), '.uwsgi-app-release') == ['r2', 'r3', 'r1']
    assert facts.releases(str(tmp_path / 'missing'), '.uwsgi-app-release') == []
    (tmp_path / 'releases' / 'stray-file').write_text('')
    assert facts.release_dirs(str(tmp_path), '.uwsgi-app-release') == (['r2', 'r3', 'r1'], ['broken'])


def test_link_release(tmp_path):
    (tmp_path / 'current').symlink_to(tmp_path / 'releases' / 'r2')
    assert facts.link_release(str(tmp_path / 'current')) == 'r2'
    assert facts.link_release(str(tmp_path / 'previous')) == ''


def test_socket_links_are_the_links_to_the_listening_socket(tmp_path):
    listen = tmp_path / 'uwsgi.sock'
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(listen))
    (tmp_path / 'a.sock').symlink_to(listen)
    (tmp_path / 'b.sock').symlink_to('uwsgi.sock')  # a relative link names the same socket
    (tmp_path / 'other').symlink_to(tmp_path / 'elsewhere.sock')
    (tmp_path / 'stats').mkdir()
    try:
        assert facts.socket_links(str(tmp_path), str(listen)) == [str(tmp_path / 'a.sock'), str(tmp_path / 'b.sock')]
    finally:
        server.close()
    assert facts.socket_links(str(tmp_path / 'missing'), str(listen)) == []
    assert facts.socket_links(None, None) == []


def serve_stats(path, payload):
    server = socket.socket(socket.AF_UNIX)
    server.bind(path)
    server.listen(1)

    def answer():
        conn, _addr = server.accept()
        conn.sendall(json.dumps(payload).encode())
        conn.close()
        server.close()

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    return thread


def test_serving_release_from_the_masters_cwd(tmp_path):
    stats = str(tmp_path / 'stats.sock')
    thread = serve_stats(stats, {'cwd': '/srv/shop/releases/r7', 'workers': []})
    assert facts.serving_release(stats, '/srv/shop') == 'r7'
    thread.join(2)
    assert facts.serving_release(str(tmp_path / 'nothing.sock'), '/srv/shop') == ''
    thread = serve_stats(stats + '2', {'cwd': '/elsewhere'})
    assert facts.serving_release(stats + '2', '/srv/shop') == ''
    thread.join(2)


def test_worker_release_is_current_only_if_it_started_after_the_switch(tmp_path):
    (tmp_path / 'current').symlink_to('releases/r2')
    switched = os.lstat(tmp_path / 'current').st_mtime
    current = str(tmp_path / 'current')
    assert facts.worker_release({'running': True, 'started': switched + 5}, current, 'r2') == 'r2'
    assert facts.worker_release({'running': True, 'started': switched - 5}, current, 'r2') == ''
    assert facts.worker_release({'running': False, 'started': time.time()}, current, 'r2') == ''
    assert facts.worker_release({'running': True, 'started': 0}, current, 'r2') == ''


def test_differences_of_wanted_files(tmp_path):
    """What the module reports for files and for app_files (apart, so that a missing app file never reads as
    something install.yml has to do): only the paths that differ, with the reasons."""
    user = pwd.getpwuid(os.getuid()).pw_name
    group = grp.getgrgid(os.getgid()).gr_name
    (tmp_path / 'etc').mkdir(mode=0o755)
    (tmp_path / 'app.ini').write_text('[uwsgi]\n')
    os.chmod(tmp_path / 'app.ini', 0o644)
    same = {'path': str(tmp_path / 'app.ini'), 'sha1': hashlib.sha1(b'[uwsgi]\n').hexdigest(), 'mode': '0644',
            'owner': user, 'group': group}
    missing = {'path': str(tmp_path / 'hello.env'), 'sha1': hashlib.sha1(b'{}\n').hexdigest(), 'mode': '0640',
               'owner': user, 'group': group}
    assert facts.differences([]) == {}
    assert facts.differences([{'path': str(tmp_path / 'etc'), 'state': 'directory', 'mode': '0755', 'owner': user,
                               'group': group}, same]) == {}
    found = facts.differences([same, missing])
    assert list(found) == [str(tmp_path / 'hello.env')] and found[str(tmp_path / 'hello.env')]
    other = dict(same, sha1=hashlib.sha1(b'[uwsgi]\nmaster = true\n').hexdigest())
    assert list(facts.differences([other])) == [str(tmp_path / 'app.ini')]


def test_socket_units_say_what_they_listen_on():
    units = ['uwsgi-app-shop.service', 'uwsgi-app-shop.socket']
    command = facts.show_command('/bin/systemctl', units, facts.SOCKET_PROPERTIES)
    assert command[3] == ('--property=Id,LoadState,ActiveState,SubState,UnitFileState,MainPID,PIDFile,'
                          'ExecMainStartTimestamp,Listen,Backlog')
    out = ('Id=uwsgi-app-shop.service\nActiveState=active\nSubState=running\n\n'
           'Id=uwsgi-app-shop.socket\nActiveState=active\nSubState=running\n'
           'Listen=/run/uwsgi-app/shop/uwsgi.sock (Stream)\nBacklog=100\n')
    states = facts.parse_show(out, units)
    assert 'listen' not in states['uwsgi-app-shop.service']
    assert (states['uwsgi-app-shop.socket']['listen'], states['uwsgi-app-shop.socket']['backlog']) == (
        '/run/uwsgi-app/shop/uwsgi.sock', 100)
    state = facts.parse_show('Id=x.socket\nListen=\nBacklog=\n', ['x.socket'])['x.socket']
    assert (state['listen'], state['backlog']) == ('', None)
