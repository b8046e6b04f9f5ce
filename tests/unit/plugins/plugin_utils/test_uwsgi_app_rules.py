# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""One good and at least one bad case per rule of plugins/plugin_utils/uwsgi_app_rules.py, the release ids,
the normalization and the plan."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess

import pytest

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import uwsgi_app_rules as ur

EXAMPLE = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'examples', 'flask_app')
ROLE = {
    'uwsgi_app_keep_releases': 3, 'uwsgi_app_runtime_dir': '/run/uwsgi-app', 'uwsgi_app_wheelhouse_dir': '~/w',
    'uwsgi_app_rollback': False, 'uwsgi_app_rollback_to': {}, 'uwsgi_app_apps': [],
}
SETTINGS = {'base_dir': '/srv', 'config_dir': '/etc/uwsgi-app', 'runtime_dir': '/run/uwsgi-app',
            'options': {'harakiri': 30, 'listen': 200}, 'wheelhouse': False, 'rollback': False, 'rollback_to': {},
            'state_dir': '/var/lib/uwsgi-app'}


def ctx(**kw):
    return ur.Context(**kw)


def run(rule, app, context=None):
    return list(rule(app, 'uwsgi_app_apps[0]', context or ctx()))


def test_a_good_app_has_no_problem():
    app = {'name': 'shop', 'src': EXAMPLE, 'module': 'pkg.web:create', 'processes': 2, 'threads': 4,
           'socket': '/run/uwsgi-app/shop/web.sock', 'release': 'v1.2_3', 'env': {'A_B': 1}, 'secrets': {'KEY': 'x'},
           'shared': ['instance', 'data/uploads/'], 'workers': [{'name': 'celery', 'command': 'celery -A app worker',
                                                                'stop_signal': 'SIGTERM', 'stop_timeout': 60}],
           'hooks': {'before_switch': [{'command': 'flask db upgrade', 'once': True}],
                     'after_switch': [{'command': 'true'}]},
           'static': [{'url': '/static/', 'dir': 'static', 'expires': '7d'}]}
    assert ur.problems(dict(ROLE, uwsgi_app_apps=[app])) == []


@pytest.mark.parametrize('name, bad', [('shop', False), ('a-b_1', False), ('Shop', True), ('1a', True), ('a' * 32, True)])
def test_app_name(name, bad):
    assert bool(run(ur.app_name, {'name': name})) is bad


@pytest.mark.parametrize('module, bad', [(None, False), ('wsgi:app', False), ('a.b:c', False), ('wsgi.app', True),
                                         ('wsgi:', True), ('a-b:c', True)])
def test_app_module(module, bad):
    assert bool(run(ur.app_module, {'name': 'a', 'module': module})) is bad


def test_app_counts():
    assert run(ur.app_counts, {'name': 'a', 'processes': 1, 'threads': None}) == []
    assert run(ur.app_counts, {'name': 'a', 'processes': 0, 'threads': 0}) == [
        'uwsgi_app_apps[0].processes (0) must be at least 1.', 'uwsgi_app_apps[0].threads (0) must be at least 1.']


@pytest.mark.parametrize('socket, bad', [(None, False), ('/run/uwsgi-app/a/x.sock', False),
                                         ('/run/uwsgi-app/b/x.sock', True), ('/tmp/x.sock', True),
                                         ('/run/uwsgi-app/a/x y.sock', True)])
def test_app_socket(socket, bad):
    assert bool(run(ur.app_socket, {'name': 'a', 'socket': socket})) is bad


def test_app_ids_including_the_role_wide_rollback_to():
    assert run(ur.app_ids, {'name': 'a', 'release': 'r1', 'rollback_to': 'r0'}) == []
    assert run(ur.app_ids, {'name': 'a', 'release': '../x'}) == [
        'uwsgi_app_apps[0].release (../x) must be letters, digits, ., _ and -.']
    assert run(ur.app_ids, {'name': 'a'}, ctx(rollback_to={'a': '-x'})) == [
        'uwsgi_app_apps[0].rollback_to (-x) must be letters, digits, ., _ and -.']


def test_app_env():
    assert run(ur.app_env, {'name': 'a', 'env': {'A': 'x', 'B_2': True}, 'secrets': {'S': 1}}) == []
    assert run(ur.app_env, {'name': 'a', 'env': {'1A': 'x', 'B': {'n': 1}}}) == [
        'uwsgi_app_apps[0].env: 1A is not an environment variable name.',
        'uwsgi_app_apps[0].env.B must be a string, a number or a boolean.']


def test_app_source(tmp_path):
    archive = tmp_path / 'app.tar.gz'
    archive.write_bytes(b'x')
    assert run(ur.app_source, {'name': 'a', 'src': str(archive)}) == []
    assert run(ur.app_source, {'name': 'a', 'git': {'repo': 'https://git.example/a.git', 'version': 'v1'}}) == []
    assert run(ur.app_source, {'name': 'a'}) == [
        'uwsgi_app_apps[0] (a) has no source: set src (a directory or an archive on the controller) or git.']
    assert run(ur.app_source, {'name': 'a', 'src': str(tmp_path / 'nope')})[0].startswith(
        'uwsgi_app_apps[0].src (%s) must be a directory or a .tar.gz' % (tmp_path / 'nope'))
    # a rollback builds nothing: the source need not exist
    assert run(ur.app_source, {'name': 'a', 'src': str(tmp_path / 'nope')}, ctx(rollback=True)) == []
    assert run(ur.app_source, {'name': 'a', 'git': {'version': 'x y'}}) == [
        'uwsgi_app_apps[0].git.repo is required: the URL of the git repository.',
        'uwsgi_app_apps[0].git.version (x y) must be a branch, tag or commit (letters, digits, ., _, / and -, not '
        'starting with - or .).']


@pytest.mark.parametrize('shared, message', [
    (['instance', 'a/b/'], None),
    (['/etc'], 'shared[0] (/etc) must be a path inside the release'),
    (['a/../b'], 'shared[0] (a/../b) must be a path inside the release'),
    (['data', 'data/uploads'], 'shared[1] (data/uploads) overlaps another shared path'),
])
def test_app_shared(shared, message):
    found = run(ur.app_shared, {'name': 'a', 'shared': shared})
    assert (found == []) if message is None else (len(found) == 1 and message in found[0]), found


def test_app_workers():
    assert run(ur.app_workers, {'name': 'a', 'workers': [{'name': 'w', 'command': 'rq worker'}]}) == []
    assert run(ur.app_workers, {'name': 'a', 'workers': [
        {'name': 'W', 'command': ''}, {'name': 'w', 'command': "x 'y", 'stop_signal': 'SIGSTOP', 'stop_timeout': 0},
        {'name': 'w', 'command': 'z'}]}) == [
        'uwsgi_app_apps[0].workers[0].name (W) must be lower-case letters, digits, - and _, starting with a letter.',
        'uwsgi_app_apps[0].workers[0].command is empty.',
        'uwsgi_app_apps[0].workers[1].command cannot be split into words (No closing quotation).',
        'uwsgi_app_apps[0].workers[1].stop_signal (SIGSTOP) must be one of SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, '
        'SIGUSR2, SIGKILL.',
        'uwsgi_app_apps[0].workers[1].stop_timeout (0) must be at least 1 second.',
        'uwsgi_app_apps[0].workers[2].name (w) is a duplicate: two workers with the same name.']


def test_app_hooks():
    assert run(ur.app_hooks, {'name': 'a', 'hooks': {'before_rollback': [{'command': 'down', 'once': True}]}}) == []
    assert run(ur.app_hooks, {'name': 'a', 'hooks': {'after_switch': [{'command': ' ', 'once': True}]}}) == [
        'uwsgi_app_apps[0].hooks.after_switch[0].command is empty.',
        'uwsgi_app_apps[0].hooks.after_switch[0].once only applies to before_switch and before_rollback (hooks that '
        'run before any host switches).']


def test_app_static():
    assert run(ur.app_static, {'name': 'a', 'static': [{'url': '/s/', 'dir': 'static/', 'expires': 'max'}]}) == []
    assert run(ur.app_static, {'name': 'a', 'static': [{'url': '/s', 'dir': '/abs', 'expires': 'soon'},
                                                       {'url': '/t/', 'dir': 'x'}, {'url': '/t/', 'dir': 'y'}]}) == [
        'uwsgi_app_apps[0].static[0].url (/s) must be a URL path that starts and ends with /, for example /static/.',
        'uwsgi_app_apps[0].static[0].dir (/abs) must be a directory inside the release, for example static.',
        'uwsgi_app_apps[0].static[0].expires (soon) must be an nginx time (1h, 7d, max) or off.',
        'uwsgi_app_apps[0].static[2].url (/t/) is declared twice.']


def test_app_log_format():
    assert run(ur.app_log_format, {'name': 'a', 'log_format': 'json'}) == []
    assert run(ur.app_log_format, {'name': 'a'}) == []
    assert run(ur.app_log_format, {'name': 'a', 'log_format': 'journald'}) == [
        'uwsgi_app_apps[0].log_format (journald) must be one of text, json.']


def test_role_wide_rules():
    assert ur.role_problems(ROLE) == []
    bad = dict(ROLE, uwsgi_app_keep_releases=1, uwsgi_app_runtime_dir='/var/run/x', uwsgi_app_wheelhouse_dir='rel',
               uwsgi_app_apps=[{'name': 'a'}, {'name': 'a'}], uwsgi_app_rollback_to={'z': 'ok', 'a': '../x'})
    assert ur.role_problems(bad) == [
        'uwsgi_app_keep_releases (1) must be at least 2, or there is nothing to roll back to.',
        'uwsgi_app_runtime_dir (/var/run/x) must be a directory under /run/.',
        "uwsgi_app_apps: app names must be unique, got ['a', 'a'].",
        'uwsgi_app_wheelhouse_dir (rel) must be an absolute path (or start with ~/) on the controller.',
        "uwsgi_app_rollback_to names apps that uwsgi_app_apps does not have: ['z'].",
        "uwsgi_app_rollback_to: release ids must be letters, digits, ., _ and -, got ['../x'].",
    ]


def test_source_id_of_a_directory_is_the_one_of_sha256sum(tmp_path):
    (tmp_path / 'sub').mkdir()
    (tmp_path / 'sub' / '__pycache__').mkdir()
    (tmp_path / 'a.py').write_text('a')
    (tmp_path / 'sub' / 'b.txt').write_text('b')
    (tmp_path / 'sub' / '__pycache__' / 'x.pyc').write_bytes(b'\0')
    (tmp_path / 'c.pyc').write_bytes(b'\0')
    shell = subprocess.run('cd %s && find . -type f ! -path "*/__pycache__/*" ! -name "*.pyc" -print0 | LC_ALL=C sort -z'
                           ' | xargs -0 sha256sum | sha256sum' % tmp_path, shell=True, capture_output=True, text=True,
                           check=True).stdout[:12]
    assert ur.source_id(str(tmp_path)) == shell


def test_source_id_follows_links_as_find_l_does(tmp_path):
    src, outside = tmp_path / 'app', tmp_path / 'outside'
    (src / 'pkg').mkdir(parents=True)
    (outside / 'lib').mkdir(parents=True)
    (src / 'wsgi.py').write_text('app = None')
    (outside / 'config.py').write_text('DEBUG = False')
    (outside / 'lib' / 'util.py').write_text('x = 1')
    (src / 'config.py').symlink_to(outside / 'config.py')
    (src / 'lib').symlink_to(outside / 'lib')
    (src / 'gone.py').symlink_to(tmp_path / 'nowhere.py')  # broken: left out
    (src / 'pkg' / 'loop').symlink_to(src)  # back to a directory on the way in: not entered
    assert sorted(rel for rel, full in ur.source_files(str(src))) == ['./config.py', './lib/util.py', './wsgi.py']
    shell = subprocess.run('cd %s && find -L . -type f -print0 2>/dev/null | LC_ALL=C sort -z | xargs -0 sha256sum'
                           ' | sha256sum' % src, shell=True, capture_output=True, text=True, check=True).stdout[:12]
    before = ur.source_id(str(src))
    assert before == shell
    (outside / 'lib' / 'util.py').write_text('x = 2')  # a change behind a link is a new release
    assert ur.source_id(str(src)) != before


def test_source_id_of_an_archive(tmp_path):
    archive = tmp_path / 'a.tgz'
    archive.write_bytes(b'content')
    assert ur.source_id(str(archive)) == hashlib.sha256(b'content').hexdigest()[:12]


def normalized(**app):
    app.setdefault('name', 'shop')
    app.setdefault('src', EXAMPLE)
    return ur.normalize(app, 0, SETTINGS)


def test_normalize_computes_paths_units_and_options_once():
    app = normalized(secrets={'K': 's'}, env={'FLAG': True, 'N': 3}, options={'harakiri': 5},
                     workers=[{'name': 'rq', 'command': 'rq worker --url "redis://x"'}],
                     hooks={'before_switch': [{'command': 'flask db upgrade', 'once': True}]})
    assert app['path'] == '/srv/shop' and app['current'] == '/srv/shop/current'
    assert app['socket'] == '/run/uwsgi-app/shop/uwsgi.sock' and app['stats'] == '/run/uwsgi-app/shop/stats/stats.sock'
    assert app['runtime_directory'] == 'uwsgi-app/shop/stats'
    assert (app['unit'], app['socket_unit']) == ('uwsgi-app-shop.service', 'uwsgi-app-shop.socket')
    assert app['options'] == {'harakiri': 5, 'listen': 200} and app['socket_backlog'] == 200
    assert app['env'] == {'FLAG': 'true', 'N': '3'} and app['secrets'] == {'K': 's'}
    assert app['kind'] == 'dir' and app['release_from'] == 'source' and len(app['release']) == 12
    assert app['workers'][0]['command'] == ['rq', 'worker', '--url', 'redis://x']
    assert app['workers'][0]['unit'] == 'uwsgi-app-shop-worker-rq.service'
    assert app['hooks']['before_switch'] == [{'command': ['flask', 'db', 'upgrade'], 'once': True, 'timeout': 600}]
    assert app['hooks']['after_switch'] == []
    assert app['facts']['units'] == ['uwsgi-app-shop.service', 'uwsgi-app-shop.socket', 'uwsgi-app-shop-worker-rq.service']


def test_normalize_json_logs():
    """json: a request logger whose lines uWSGI's json encoder escapes whole (the URI may hold quotes); the app's
    own options and log_format win over the role's."""
    assert normalized()['log_format'] == 'text' and 'log-req-encoder' not in normalized()['options']
    app = ur.normalize({'name': 'shop', 'src': EXAMPLE}, 0, dict(SETTINGS, log_format='json'))
    assert app['log_format'] == 'json' and app['options']['req-logger'] == 'stdio'
    assert app['options']['plugins'] == 'logfile'  # Debian's uwsgi-core has its stdio logger there
    encoder, newline = app['options']['log-req-encoder']
    assert newline == 'nl'
    assert encoder == ('json {"time":"${strftime:%%Y-%%m-%%dT%%H:%%M:%%S%%z}","app":"shop","source":"uwsgi",'
                       '"message":"${msg}"}')
    # what uWSGI writes (the ini's %% is a %; ${msg} escaped) parses as JSON
    line = encoder[len('json '):].replace('%%', '%').replace('${strftime:%Y-%m-%dT%H:%M:%S%z}', '2026-12-06T20:00:00+0000')
    assert json.loads(line.replace('${msg}', json.dumps('GET /a"b\\c 404')[1:-1]))['message'] == 'GET /a"b\\c 404'
    assert normalized(log_format='json', options={'req-logger': False})['options']['req-logger'] is False
    assert 'req-logger' not in ur.normalize({'name': 'shop', 'src': EXAMPLE, 'log_format': 'text'}, 0,
                                            dict(SETTINGS, log_format='json'))['options']


def test_normalize_release_sources():
    assert normalized(release='r1')['release_from'] == 'explicit'
    assert normalized(git={'repo': '/r'}, src=None)['release'] is None
    rolled = ur.normalize({'name': 'shop', 'src': EXAMPLE}, 0, dict(SETTINGS, rollback_to={'shop': 'r0'}))
    assert (rolled['release'], rolled['rolling_back']) == ('r0', True)
    assert ur.normalize({'name': 'shop', 'src': EXAMPLE}, 0, dict(SETTINGS, rollback=True))['release'] is None
    # a source id worked out once for the play is not computed again
    assert ur.normalize({'name': 'shop', 'src': EXAMPLE}, 0, dict(SETTINGS, source_ids={EXAMPLE: 'cafe'}))['release'] == 'cafe'


def test_normalize_names_the_tar_of_a_directory_after_its_content():
    ids = dict(SETTINGS, source_ids={EXAMPLE: 'cafe'})
    # an explicit release id does not name the tar: another content under the same id is another tar
    assert ur.normalize({'name': 'shop', 'src': EXAMPLE, 'release': 'v1'}, 0, ids)['source_id'] == 'cafe'
    assert ur.normalize({'name': 'shop', 'src': EXAMPLE}, 0, SETTINGS)['source_id'] is None
    assert ur.normalize({'name': 'shop', 'src': '/x.tar.gz'}, 0, dict(SETTINGS, source_ids={'/x.tar.gz': 'beef'}))[
        'source_id'] is None


def host(current='r1', running='r1', releases=('r1',), pending=False, active=True, previous='', workers=None):
    units = {'uwsgi-app-shop.service': {'running': active}}
    return {'shop': {'current': current, 'running': running, 'releases': list(releases), 'pending': pending,
                     'previous': previous, 'units': units, 'stale_units': [], 'workers_running': workers or {}}}


def plan_of(app, state, differ=None, commits=None):
    return ur.plan([app], state, differ or {}, commits)[0]


def test_plan_nothing_to_do():
    p = plan_of(normalized(release='r1'), host())
    assert (p['action'], p['change'], p['rolling'], p['switch']) == ('none', False, False, False)


def test_plan_first_deployment_is_not_rolling():
    p = plan_of(normalized(release='r1'), host(current='', running='', releases=(), active=False),
                {'/etc/uwsgi-app/shop.ini': ['create']})
    assert p['first'] and p['change'] and not p['rolling'] and not p['built'] and p['action'] == 'restart'


def test_plan_new_release_is_a_rolling_reload():
    p = plan_of(normalized(release='r2'), host(), {'/etc/uwsgi-app/shop.ini': ['content']})
    assert (p['switch'], p['action'], p['rolling'], p['built']) == (True, 'reload', True, False)
    assert p['release_dir'] == normalized(release='r2')['releases_dir'] + '/r2'
    assert p['venv'] == p['release_dir'] + '/venv'
    assert not p['unfinished']
    state = host()
    state['shop']['unfinished'] = ['r2']
    assert plan_of(normalized(release='r2'), state, {'/etc/uwsgi-app/shop.ini': ['content']})['unfinished']


def test_plan_same_release_new_module_reloads_and_rolls():
    p = plan_of(normalized(release='r1', module='wsgi:other'), host(), {'/etc/uwsgi-app/shop.ini': ['content']})
    assert (p['switch'], p['action'], p['rolling']) == (False, 'reload', True)


def test_plan_new_environment_or_unit_restarts():
    p = plan_of(normalized(release='r1'), host(), {'/etc/uwsgi-app/shop.env': ['content']})
    assert (p['action'], p['stage_env'], p['check_env']) == ('restart', True, '/etc/uwsgi-app/shop.env.next')
    assert plan_of(normalized(release='r1'), host(), {'/etc/systemd/system/uwsgi-app-shop.socket': ['content']})[
        'action'] == 'restart'


def listening(state, listen='/run/uwsgi-app/shop/uwsgi.sock', backlog=200, active=True):  # SETTINGS: listen 200
    state['shop']['units']['uwsgi-app-shop.socket'] = {'active': active, 'listen': listen, 'backlog': backlog}
    return state


def test_plan_new_socket_owner_or_mode_reowns_the_live_socket_without_restart():
    differ = {'/etc/systemd/system/uwsgi-app-shop.socket': ['content']}
    p = plan_of(normalized(release='r1'), listening(host()), differ)
    assert (p['action'], p['socket_recreate'], p['socket_reown'], p['change'], p['rolling']) == (
        'none', False, True, True, True)
    assert plan_of(normalized(release='r1'), listening(host()))['socket_reown'] is False


@pytest.mark.parametrize('socket_state', [
    {'listen': '/run/uwsgi-app/shop/old.sock'}, {'backlog': 128}, {'active': False}, None])
def test_plan_new_socket_path_or_backlog_makes_the_socket_again(socket_state):
    state = listening(host(), **socket_state) if socket_state else host()
    p = plan_of(normalized(release='r1'), state, {'/etc/systemd/system/uwsgi-app-shop.socket': ['content']})
    assert (p['action'], p['socket_recreate'], p['socket_reown']) == ('restart', True, False)
    # a new backlog in the options is a new socket unit too
    app = normalized(release='r1', options={'listen': 128})
    assert plan_of(app, listening(host(), backlog=128))['socket_recreate'] is False


def test_normalize_listens_on_one_path_whatever_the_socket():
    default, custom = normalized(), normalized(socket='/run/uwsgi-app/shop/web.sock')
    assert default['listen'] == default['socket'] == custom['listen'] == '/run/uwsgi-app/shop/uwsgi.sock'
    assert custom['socket'] == '/run/uwsgi-app/shop/web.sock'
    assert custom['socket_dropin_path'] == '/etc/systemd/system/uwsgi-app-shop.socket.d/socket-path.conf'
    assert (custom['facts']['socket_dir'], custom['facts']['listen']) == ('/run/uwsgi-app/shop', custom['listen'])


def test_plan_new_socket_path_is_a_link_without_restart():
    app = normalized(release='r1', socket='/run/uwsgi-app/shop/b.sock')
    state = host()
    state['shop']['socket_links'] = ['/run/uwsgi-app/shop/a.sock', '/run/uwsgi-app/shop/b.sock']
    p = plan_of(app, state, {'/etc/systemd/system/uwsgi-app-shop.socket.d/socket-path.conf': ['content'],
                             '/run/uwsgi-app/shop/b.sock': ['create']})
    # the listening socket, the ini and the units stay: nothing restarts, the host still rolls (its site changes)
    assert (p['action'], p['change'], p['rolling']) == ('none', True, True)
    assert p['differing_files'] == ['/etc/systemd/system/uwsgi-app-shop.socket.d/socket-path.conf',
                                    '/run/uwsgi-app/shop/b.sock']
    assert p['old_socket_links'] == ['/run/uwsgi-app/shop/a.sock']
    # back to the default path: the old link goes too, the listening socket is the socket
    p = plan_of(normalized(release='r1'), state)
    assert p['old_socket_links'] == ['/run/uwsgi-app/shop/a.sock', '/run/uwsgi-app/shop/b.sock']
    assert plan_of(normalized(release='r1'), host())['old_socket_links'] == []


def test_plan_converges_what_runs_not_only_what_is_on_disk():
    assert plan_of(normalized(release='r1'), host(pending=True))['action'] == 'reload'
    assert plan_of(normalized(release='r1'), host(running='r0'))['action'] == 'reload'
    assert plan_of(normalized(release='r1'), host(active=False, running=''))['action'] == 'restart'


def test_plan_rollback_goes_to_previous_and_workers_follow():
    app = ur.normalize({'name': 'shop', 'src': EXAMPLE, 'workers': [{'name': 'rq', 'command': 'rq worker'}]}, 0,
                       dict(SETTINGS, rollback=True))
    p = plan_of(app, host(current='r2', running='r2', previous='r1', releases=('r2', 'r1'),
                          workers={'uwsgi-app-shop-worker-rq.service': 'r2'}))
    assert (p['release'], p['switch'], p['rolling_back'], p['restart_workers']) == ('r1', True, True, True)
    p = plan_of(app, host(current='r1', running='r1', previous='r1', releases=('r2', 'r1'),
                          workers={'uwsgi-app-shop-worker-rq.service': 'r1'}))
    assert (p['switch'], p['change'], p['restart_workers']) == (False, False, False)


def test_plan_git_release_is_the_commit():
    app = normalized(git={'repo': '/r'}, src=None)
    assert plan_of(app, host(), commits={'shop': 'r1' + '0' * 38})['release'] == 'r10000000000'
    assert plan_of(app, host())['release'] is None
