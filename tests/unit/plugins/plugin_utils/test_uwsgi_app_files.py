# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.webstack.nginx_uwsgi.plugins.filter.uwsgi_app_files import uwsgi_app_files
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import uwsgi_app_rules

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
        '/etc/uwsgi-app/shop.env.next', '/etc/uwsgi-app/shop.ini', '/etc/systemd/system/uwsgi-app-shop.service',
        '/etc/systemd/system/uwsgi-app-shop.socket', '/etc/systemd/system/uwsgi-app-shop-worker-beat.service',
        '/srv/shop/current', '/srv/shop/previous', '/etc/systemd/system/uwsgi-app-shop-worker-old.service']
    assert out[1]['validate'] == CHECK and 'validate' not in out[2]
    assert out[-2] == {'path': '/srv/shop/previous', 'state': 'link', 'src': '/srv/shop/releases/r1'}
    assert out[-1]['state'] == 'absent'
    # a rollback keeps previous
    back = uwsgi_app_files('switch', app=a, item=dict(item, rolling_back=True), files=files_of(a), ctl='/ctl',
                           binary='/usr/bin/uwsgi-core')
    assert '/srv/shop/previous' not in [e['path'] for e in back]


def test_a_switch_writes_the_env_file_only_when_it_changes_never_shown_and_its_staged_copy_goes():
    a = app()
    files = files_of(a)
    out = uwsgi_app_files('switch', app=a, item={'stage_env': True}, files=files, ctl='/ctl',
                          binary='/usr/bin/uwsgi-core', backup='/var/lib/uwsgi-app/shop')
    # the text as secret_content (not shown in --diff, kept out of the module's arguments), in the same change
    assert out[:2] == [{'path': '/etc/uwsgi-app/shop.env', 'secret_content': '{}'},
                       {'path': '/etc/uwsgi-app/shop.env.next', 'state': 'absent'}]
    assert [e['path'] for e in out[2:]] == [
        '/etc/uwsgi-app/shop.ini', '/etc/systemd/system/uwsgi-app-shop.service',
        '/etc/systemd/system/uwsgi-app-shop.socket', '/srv/shop/current',
        # the env file's own record, which earlier versions kept, goes
        '/var/lib/uwsgi-app/shop.env-backup']
    assert out[-1] == {'path': '/var/lib/uwsgi-app/shop.env-backup', 'state': 'absent'}
    same = uwsgi_app_files('switch', app=a, item={'stage_env': False}, files=files_of(a), ctl='/ctl',
                           binary='/usr/bin/uwsgi-core')
    assert [e['path'] for e in same][:2] == ['/etc/uwsgi-app/shop.env.next', '/etc/uwsgi-app/shop.ini']
    assert not any('secret_content' in e or 'content' in e and e['content'] == '{}' for e in same)
    assert files[1] == {'path': a['env_file'], 'content': '{}', 'diff': False}  # the caller's entries stay


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


def _hooked(**extra):
    return app(hooks={'before_switch': [{'command': 'flask db upgrade', 'once': True}, {'command': 'true'}],
                      'before_rollback': [{'command': 'flask db downgrade', 'once': True}]}, **extra)


def test_once_hooks_run_on_the_first_host_where_the_app_switches():
    a = _hooked()
    plan = [{'name': 'shop', 'index': 0, 'change': True, 'switch': True, 'release': 'r2', 'serving': 'r1',
             'check_env': '/srv/shop/env.next'}]
    hostvars = {'app1': {'__uwsgi_app_plan': [dict(plan[0], change=False)], '__uwsgi_app_apps': [a]},
                'app2': {'__uwsgi_app_plan': plan, '__uwsgi_app_apps': [a]},
                'app3': {'__uwsgi_app_plan': plan, '__uwsgi_app_apps': [a]},
                'lb1': {}}
    out = uwsgi_app_files('once_hooks', hosts=['lb1', 'app1', 'app2', 'app3'], hostvars=hostvars, ctl='/ctl')
    d = a['releases_dir'] + '/r2'
    assert out == [{'host': 'app2', 'app': 'shop', 'point': 'before_switch', 'release': 'r2',
                    'command': ['flask', 'db', 'upgrade'],
                    'argv': ['runuser', '-u', a['user'], '--', '/usr/bin/python3', '/ctl', 'hook',
                             '--env', '/srv/shop/env.next', '--venv', d + '/venv', '--chdir', d, '--name', 'shop',
                             '--timeout', str(a['hooks']['before_switch'][0]['timeout']), '--',
                             'flask', 'db', 'upgrade']}]


def test_a_rollback_runs_its_once_hooks_in_the_release_it_leaves():
    a = _hooked()
    item = {'name': 'shop', 'index': 0, 'change': True, 'switch': True, 'rolling_back': True, 'release': 'r1',
            'serving': 'r2'}
    out = uwsgi_app_files('once_hooks', hosts=['app1'], hostvars={'app1': {'__uwsgi_app_plan': [item],
                                                                           '__uwsgi_app_apps': [a]}}, ctl='/ctl')
    assert [(h['point'], h['release'], h['command']) for h in out] == [('before_rollback', 'r2', ['flask', 'db', 'downgrade'])]


def test_no_once_hook_without_a_change_or_a_release():
    a = _hooked()
    items = [{'name': 'shop', 'index': 0, 'change': True, 'switch': False, 'first': False, 'release': 'r2'},
             {'name': 'shop', 'index': 0, 'change': True, 'first': True, 'release': None}]
    for item in items:
        assert uwsgi_app_files('once_hooks', hosts=['h'], hostvars={'h': {'__uwsgi_app_plan': [item],
                                                                          '__uwsgi_app_apps': [a]}}, ctl='/ctl') == []


def test_prune_keeps_the_newest_the_served_and_previous():
    a = app()
    item = {'release': 'r9', 'serving': 'r2', 'previous': 'r1'}
    out = uwsgi_app_files('prune', app=a, item=item, releases=['r8', 'r7', 'r9', 'r2', 'r1', 'r0'], keep=2)
    assert out == [a['releases_dir'] + '/r7', a['releases_dir'] + '/r0']
    assert uwsgi_app_files('prune', app=a, item=item, releases=['r8', 'r2'], keep=5) == []


def test_prepare_makes_the_directories_stages_the_environment_and_makes_the_release_directory():
    a = app(shared=['uploads'])
    files = uwsgi_app_files('wanted', apps=[a], releases={'shop': 'r2'})['shop']
    directories = [e['path'] for e in files if e.get('state') == 'directory']
    item = {'release': 'r2', 'built': False, 'rolling_back': False, 'stage_env': True,
            'differing_files': [a['shared_dir'] + '/uploads', a['env_file']]}
    out = uwsgi_app_files('prepare', app=a, item=item, files=files)
    assert [e['path'] for e in out] == directories + [a['env_file'] + '.next', a['releases_dir'] + '/r2']
    env = [e for e in files if e['path'] == a['env_file']][0]
    assert out[-2] == dict(env, path=a['env_file'] + '.next')  # its group, 0640, never shown
    assert out[-1] == {'path': a['releases_dir'] + '/r2', 'state': 'directory', 'owner': 'root', 'group': 'root',
                       'mode': '0755'}
    # directories in place, the same environment staged already this run: only the release's directory
    item.update(differing_files=[a['env_file']])
    assert [e['path'] for e in uwsgi_app_files('prepare', app=a, item=item, files=files, staged=True)] == [
        a['releases_dir'] + '/r2']
    # a release built before, or a rollback: no release directory; nothing at all to do
    for other in ({'built': True}, {'rolling_back': True}, {'release': None}):
        assert uwsgi_app_files('prepare', app=a, item=dict(item, **other), files=files, staged=True) == []


def test_wanted_files_of_an_app_with_a_release():
    a = app(shared=['uploads'], workers=[{'name': 'beat', 'command': 'python beat.py'}], env={'B': '2', 'A': 'é'},
            secrets={'KEY': 's3cret'})
    files = uwsgi_app_files('wanted', apps=[a], releases={'shop': 'r2'})['shop']
    by_path = {f['path']: f for f in files}
    assert [f['path'] for f in files][:5] == [
        a['path'], a['releases_dir'], a['env_file'], a['socket_unit_path'], a['unit_path']]
    env = by_path[a['env_file']]
    assert env['mode'] == '0640' and env['diff'] is False and env['group'] == a['group']
    assert env['content'] == '{\n    "env": {\n        "A": "\\u00e9",\n        "B": "2"\n    },\n' \
                             '    "secrets": {\n        "KEY": "s3cret"\n    }\n}\n'
    assert by_path[a['unit_path']]['template'] == 'etc/systemd/system/uwsgi-app.service.j2'
    assert by_path[a['unit_path']]['template_vars'] == {'app': a}
    assert by_path[a['shared_dir'] + '/uploads'] == {'path': a['shared_dir'] + '/uploads', 'state': 'directory',
                                                     'mode': '0750', 'owner': a['user'], 'group': a['group']}
    worker = a['workers'][0]
    assert by_path[worker['unit_path']]['template_vars'] == {'app': a, 'worker': worker}
    assert by_path[a['ini']]['template_vars'] == {'app': a, 'release': 'r2'}
    assert by_path[a['current']] == {'path': a['current'], 'state': 'link', 'src': a['releases_dir'] + '/r2'}
    assert by_path[a['socket_dropin_path']] == {'path': a['socket_dropin_path'], 'state': 'absent'}


def test_wanted_files_without_a_release_yet_have_no_ini_nor_current():
    a = app()
    paths = [f['path'] for f in uwsgi_app_files('wanted', apps=[a], releases={'shop': None})['shop']]
    assert a['ini'] not in paths and a['current'] not in paths and a['unit_path'] in paths


def test_another_socket_path_is_a_link_declared_by_a_drop_in():
    a = app(socket='/run/shop.sock')
    assert a['socket'] != a['listen']
    by_path = {f['path']: f for f in uwsgi_app_files('wanted', apps=[a], releases={'shop': 'r2'})['shop']}
    assert by_path[a['socket_dropin_path']]['template'] == 'etc/systemd/system/uwsgi-app-socket-path.conf.j2'
    assert by_path[a['socket']] == {'path': a['socket'], 'state': 'link', 'src': a['listen']}


def test_the_hooks_around_a_switch_skip_the_once_hooks():
    a = app(hooks={'before_switch': [{'command': 'flask db upgrade', 'once': True}, {'command': 'true'}],
                   'after_switch': [{'command': 'curl -s localhost'}]})
    item = {'release': 'r2', 'serving': 'r1', 'check_env': a['env_file'] + '.next', 'rolling_back': False}
    before = uwsgi_app_files('hooks', app=a, item=item, moment='before', ctl='/ctl')
    assert [(h['point'], h['release'], h['command']) for h in before] == [('before_switch', 'r2', ['true'])]
    assert before[0]['argv'][before[0]['argv'].index('--env') + 1] == a['env_file'] + '.next'
    after = uwsgi_app_files('hooks', app=a, item=item, moment='after', ctl='/ctl')
    assert [(h['point'], h['release']) for h in after] == [('after_switch', 'r2')]
    assert after[0]['argv'][after[0]['argv'].index('--env') + 1] == a['env_file']


def test_a_rollback_runs_its_hooks_in_the_release_it_leaves_then_in_the_one_it_serves():
    a = app(hooks={'before_rollback': [{'command': 'flask db downgrade'}], 'after_rollback': [{'command': 'true'}]})
    item = {'release': 'r1', 'serving': 'r2', 'check_env': a['env_file'], 'rolling_back': True}
    before = uwsgi_app_files('hooks', app=a, item=item, moment='before', ctl='/ctl')
    assert [(h['point'], h['release']) for h in before] == [('before_rollback', 'r2')]
    assert before[0]['argv'][before[0]['argv'].index('--chdir') + 1] == a['releases_dir'] + '/r2'
    after = uwsgi_app_files('hooks', app=a, item=item, moment='after', ctl='/ctl')
    assert [(h['point'], h['release']) for h in after] == [('after_rollback', 'r1')]
