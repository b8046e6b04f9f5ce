# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.webstack.nginx_uwsgi.plugins.filter.uwsgi_app_files import uwsgi_app_files
from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils import uwsgi_app_rules

CHECK = '/usr/bin/python3 /ctl check-ini /usr/bin/uwsgi-core %s'


def app(**extra):
    raw = dict({'name': 'shop', 'src': '/nonexistent/shop.tar', 'release': 'r2'}, **extra)
    return uwsgi_app_rules.normalize(raw, 0, {'base_dir': '/srv', 'config_dir': '/etc/uwsgi-app',
                                              'runtime_dir': '/run/uwsgi-app', 'options': {}})


def files_of(a):
    return ([{'path': a['path'], 'state': 'directory'}, {'path': a['env_file'], 'content': '{}', 'diff': False},
             {'path': a['ini'], 'content': 'ini'}, {'path': a['unit_path'], 'content': 'unit'},
             {'path': a['socket_unit_path'], 'content': 'socket'}]
            + [{'path': w['unit_path'], 'content': 'w'} for w in a['workers']]
            + [{'path': a['current'], 'state': 'link', 'src': a['releases_dir'] + '/r2'}])


def test_a_switch_writes_the_ini_checked_units_links_and_previous():
    a = app(workers=[{'name': 'beat', 'command': 'python beat.py'}])
    item = {'switch': True, 'rolling_back': False, 'serving': 'r1'}
    out = uwsgi_app_files('switch', app=a, item=item, files=files_of(a), ctl='/ctl', binary='/usr/bin/uwsgi-core',
                          stale_units=['uwsgi-app-shop-worker-old.service'])
    assert [e['path'] for e in out] == [
        '/etc/uwsgi-app/shop.ini', '/etc/systemd/system/uwsgi-app-shop.service',
        '/etc/systemd/system/uwsgi-app-shop.socket', '/etc/systemd/system/uwsgi-app-shop-worker-beat.service',
        '/srv/shop/current', '/srv/shop/previous', '/etc/systemd/system/uwsgi-app-shop-worker-old.service']
    assert out[0]['validate'] == CHECK and 'validate' not in out[1]
    assert out[-2] == {'path': '/srv/shop/previous', 'state': 'link', 'src': '/srv/shop/releases/r1'}
    assert out[-1]['state'] == 'absent'
    # a rollback keeps previous
    back = uwsgi_app_files('switch', app=a, item=dict(item, rolling_back=True), files=files_of(a), ctl='/ctl',
                           binary='/usr/bin/uwsgi-core')
    assert '/srv/shop/previous' not in [e['path'] for e in back]


def test_the_env_file_only_when_it_changes_and_its_staged_copy_goes():
    a = app()
    assert uwsgi_app_files('env', app=a, item={'stage_env': True}, files=files_of(a)) == [
        {'path': '/etc/uwsgi-app/shop.env', 'content': '{}', 'diff': False},
        {'path': '/etc/uwsgi-app/shop.env.next', 'state': 'absent'}]
    assert uwsgi_app_files('env', app=a, item={'stage_env': False}, files=files_of(a)) == [
        {'path': '/etc/uwsgi-app/shop.env.next', 'state': 'absent'}]


def test_the_trial_checks_the_ini_and_units_of_the_apps_that_change():
    shop, blog = app(), app(name='blog')
    plan = [{'name': 'shop', 'change': True, 'release': 'r2'}, {'name': 'blog', 'change': False, 'release': 'r2'}]
    files = {'shop': files_of(shop), 'blog': files_of(blog)}
    out = uwsgi_app_files('trial', apps=[shop, blog], plan=plan, files_by_app=files, ctl='/ctl',
                          binary='/usr/bin/uwsgi-core')
    assert [e['path'] for e in out] == ['/etc/uwsgi-app/shop.ini', '/etc/systemd/system/uwsgi-app-shop.service',
                                        '/etc/systemd/system/uwsgi-app-shop.socket']
    assert out[0]['validate'] == CHECK
    assert uwsgi_app_files('units', apps=[shop, blog], plan=plan) == [
        '/etc/systemd/system/uwsgi-app-shop.service', '/etc/systemd/system/uwsgi-app-shop.socket']
    # a git version not resolved yet: the ini waits for the switch
    unresolved = [dict(plan[0], release=None)]
    assert '/etc/uwsgi-app/shop.ini' not in [e['path'] for e in uwsgi_app_files(
        'trial', apps=[shop], plan=unresolved, files_by_app={'shop': files_of(shop)}, ctl='/ctl', binary='/u')]


def test_restore_spec_names_the_units_the_switch_had_added():
    a = app(workers=[{'name': 'beat', 'command': 'python beat.py'}])
    restored = {'/etc/systemd/system/uwsgi-app-shop-worker-beat.service': 'absent', '/etc/uwsgi-app/shop.ini': 'file',
                '/srv/shop/previous': 'absent'}
    spec = uwsgi_app_files('restore', app=a, restored=restored, timeout=30)
    assert spec == {'unit': 'uwsgi-app-shop.service', 'socket_unit': 'uwsgi-app-shop.socket',
                    'stats': '/run/uwsgi-app/shop/stats/stats.sock', 'current': '/srv/shop/current', 'timeout': 30,
                    'worker_glob': 'uwsgi-app-shop-worker-*.service',
                    'removed': ['uwsgi-app-shop-worker-beat.service'], 'socket_changed': False}
    assert uwsgi_app_files('restore', app=a, restored={a['socket_unit_path']: 'file'})['socket_changed']
