# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Rules and normalization of the uwsgi_app role's ``uwsgi_app_apps`` and role-wide variables.

Types, required keys and choices come from the role's argument specs; the
rules here are what a spec cannot say. Each app rule yields messages that
name the entry (``uwsgi_app_apps[1].socket (...) must be ...``).

:func:`normalize` fills every default and computes every path, unit name and
option of an app once, so that tasks and templates only read them.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
from dataclasses import dataclass, field

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import rules

NAME_RE = re.compile(r'^[a-z][a-z0-9_-]{0,30}$')
ID_RE = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._-]*$')
MODULE_RE = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$')
REPO_RE = re.compile(r'^((https?|ssh|git|file)://\S+|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:\S+|/\S*)$')
REF_RE = re.compile(r'^[A-Za-z0-9_][A-Za-z0-9._/-]*$')
ENV_KEY_RE = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')
RELATIVE_RE = re.compile(r'^[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*$')
URL_PATH_RE = re.compile(r'^/([A-Za-z0-9._~-]+/)*$')
EXPIRES_RE = re.compile(r'^(off|epoch|max|-?[0-9]+(ms|s|m|h|d|w|M|y)?)$')
ARCHIVE_RE = re.compile(r'\.(tar\.gz|tgz|tar\.bz2|tbz2|tar\.xz|txz|tar|zip)$')
SIGNALS = ('SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGKILL')
HOOK_POINTS = ('before_switch', 'after_switch', 'before_rollback', 'after_rollback')
LOG_FORMATS = ('text', 'json')
# A once-hook runs on one host for the whole fleet, before any host switches.
ONCE_POINTS = ('before_switch', 'before_rollback')


@dataclass
class Context:
    """The role-wide variables the app rules read."""

    apps: list = field(default_factory=list)
    runtime_dir: str = '/run/uwsgi-app'
    rollback: bool = False
    rollback_to: dict = field(default_factory=dict)
    controller_files: bool = True


def _app(app, ctx):
    """The app as the role deploys it: uwsgi_app_rollback_to (app -> release) wins over its rollback_to."""
    app = dict(app)
    if app.get('name') in (ctx.rollback_to or {}):
        app['rollback_to'] = ctx.rollback_to[app['name']]
    return app


def _builds(app, ctx):
    """Whether a run builds a release of the app (a rollback builds nothing, so its source need not exist)."""
    return not ctx.rollback and not app.get('rollback_to')


def _command_problem(value):
    try:
        argv = shlex.split(str(value))
    except ValueError as exc:
        return 'cannot be split into words (%s)' % exc
    return None if argv else 'is empty'


# ---------------------------------------------------------------- app rules

def app_name(app, path, ctx):
    if not NAME_RE.match(str(app.get('name', ''))):
        yield '%s.name (%s) must be lower-case letters, digits, - and _, starting with a letter.' % (path, app.get('name'))


def app_module(app, path, ctx):
    module = app.get('module') or 'wsgi:app'
    if not MODULE_RE.match(str(module)):
        yield '%s.module (%s) must be module:callable, for example wsgi:app.' % (path, module)


def app_counts(app, path, ctx):
    for key in ('processes', 'threads'):
        if app.get(key) is not None and int(app[key]) < 1:
            yield '%s.%s (%s) must be at least 1.' % (path, key, app[key])


def app_socket(app, path, ctx):
    socket = app.get('socket')
    run_dir = '%s/%s' % (ctx.runtime_dir.rstrip('/'), app.get('name'))
    if socket is not None and (os.path.dirname(str(socket)) != run_dir or not rules.is_token(socket)):
        yield ('%s.socket (%s) must be directly in %s/, the runtime directory systemd creates for the app (which also '
               'keeps sockets of two apps apart), without spaces or quotes.' % (path, socket, run_dir))


def app_ids(app, path, ctx):
    app = _app(app, ctx)
    for key in ('release', 'rollback_to'):
        if app.get(key) is not None and not ID_RE.match(str(app[key])):
            yield '%s.%s (%s) must be letters, digits, ., _ and -.' % (path, key, app[key])


def app_env(app, path, ctx):
    for section in ('env', 'secrets'):
        for key, value in (app.get(section) or {}).items():
            if not ENV_KEY_RE.match(str(key)):
                yield '%s.%s: %s is not an environment variable name.' % (path, section, key)
            elif isinstance(value, (dict, list)):
                yield '%s.%s.%s must be a string, a number or a boolean.' % (path, section, key)


def app_source(app, path, ctx):
    app = _app(app, ctx)
    src, git = app.get('src'), app.get('git')
    if src is None and git is None:
        yield ('%s (%s) has no source: set src (a directory or an archive on the controller) or git.'
               % (path, app.get('name')))
    elif src is not None and git is not None:
        yield '%s (%s) has two sources: set src or git, not both.' % (path, app.get('name'))
    elif src is not None and _builds(app, ctx) and ctx.controller_files:
        text = os.path.expanduser(str(src))
        if not (os.path.isdir(text) or (os.path.isfile(text) and ARCHIVE_RE.search(text))):
            yield ('%s.src (%s) must be a directory or a .tar.gz, .tgz, .tar.bz2, .tbz2, .tar.xz, .txz, .tar or .zip '
                   'archive on the controller.' % (path, src))
    if git is not None:
        repo, version = git.get('repo'), git.get('version')
        if repo is None:
            yield '%s.git.repo is required: the URL of the git repository.' % path
        elif not REPO_RE.match(str(repo)):
            yield ('%s.git.repo (%s) must be a URL (https://, ssh://, git://, file://), user@host:path or an absolute '
                   'path on the host.' % (path, repo))
        if version is not None and not REF_RE.match(str(version)):
            yield ('%s.git.version (%s) must be a branch, tag or commit (letters, digits, ., _, / and -, not starting '
                   'with - or .).' % (path, version))


def app_shared(app, path, ctx):
    seen = []
    for index, value in enumerate(app.get('shared') or []):
        text = str(value).rstrip('/')
        if not RELATIVE_RE.match(text) or '..' in text.split('/'):
            yield ('%s.shared[%d] (%s) must be a path inside the release (letters, digits, ., _, - and /, no ..).'
                   % (path, index, value))
        elif any(text == s or text.startswith(s + '/') or s.startswith(text + '/') for s in seen):
            yield '%s.shared[%d] (%s) overlaps another shared path.' % (path, index, value)
        seen.append(text)


def app_workers(app, path, ctx):
    names = []
    for index, worker in enumerate(app.get('workers') or []):
        where = '%s.workers[%d]' % (path, index)
        name = str(worker.get('name', ''))
        if not NAME_RE.match(name):
            yield '%s.name (%s) must be lower-case letters, digits, - and _, starting with a letter.' % (where, name)
        elif name in names:
            yield '%s.name (%s) is a duplicate: two workers with the same name.' % (where, name)
        names.append(name)
        problem = _command_problem(worker.get('command', ''))
        if problem:
            yield '%s.command %s.' % (where, problem)
        if worker.get('stop_signal') is not None and worker['stop_signal'] not in SIGNALS:
            yield '%s.stop_signal (%s) must be one of %s.' % (where, worker['stop_signal'], ', '.join(SIGNALS))
        if worker.get('stop_timeout') is not None and int(worker['stop_timeout']) < 1:
            yield '%s.stop_timeout (%s) must be at least 1 second.' % (where, worker['stop_timeout'])


def app_hooks(app, path, ctx):
    for point, hooks in (app.get('hooks') or {}).items():
        for index, hook in enumerate(hooks or []):
            where = '%s.hooks.%s[%d]' % (path, point, index)
            problem = _command_problem(hook.get('command', ''))
            if problem:
                yield '%s.command %s.' % (where, problem)
            if hook.get('once') and point not in ONCE_POINTS:
                yield '%s.once only applies to %s (hooks that run before any host switches).' % (
                    where, ' and '.join(ONCE_POINTS))


def app_static(app, path, ctx):
    urls = []
    for index, entry in enumerate(app.get('static') or []):
        where = '%s.static[%d]' % (path, index)
        url, directory = str(entry.get('url', '')), str(entry.get('dir', '')).rstrip('/')
        if not URL_PATH_RE.match(url):
            yield '%s.url (%s) must be a URL path that starts and ends with /, for example /static/.' % (where, url)
        elif url in urls:
            yield '%s.url (%s) is declared twice.' % (where, url)
        urls.append(url)
        if not RELATIVE_RE.match(directory) or '..' in directory.split('/'):
            yield '%s.dir (%s) must be a directory inside the release, for example static.' % (where, entry.get('dir'))
        if entry.get('expires') is not None and not EXPIRES_RE.match(str(entry['expires'])):
            yield '%s.expires (%s) must be an nginx time (1h, 7d, max) or off.' % (where, entry['expires'])


def app_log_format(app, path, ctx):
    value = app.get('log_format')
    if value is not None and value not in LOG_FORMATS:
        yield '%s.log_format (%s) must be one of %s.' % (path, value, ', '.join(LOG_FORMATS))


APP_RULES = (app_name, app_module, app_counts, app_socket, app_ids, app_env, app_source, app_shared, app_workers,
             app_hooks, app_static, app_log_format)


# ---------------------------------------------------------------- role-wide rules

def role_problems(v: dict) -> list[str]:
    """Rules of the role-wide variables (name to value)."""
    out = []
    if int(v['uwsgi_app_keep_releases']) < 2:
        out.append('uwsgi_app_keep_releases (%s) must be at least 2, or there is nothing to roll back to.'
                   % v['uwsgi_app_keep_releases'])
    if not re.match(r'^/run/[A-Za-z0-9._/-]+$', str(v['uwsgi_app_runtime_dir'])):
        out.append('uwsgi_app_runtime_dir (%s) must be a directory under /run/.' % v['uwsgi_app_runtime_dir'])
    names = [a.get('name') for a in v['uwsgi_app_apps']]
    if len(set(names)) != len(names):
        out.append('uwsgi_app_apps: app names must be unique, got %s.' % names)
    wheels = str(v['uwsgi_app_wheelhouse_dir'])
    if not (wheels.startswith('/') or wheels.startswith('~/')):
        out.append('uwsgi_app_wheelhouse_dir (%s) must be an absolute path (or start with ~/) on the controller.' % wheels)
    unknown = sorted(set(v['uwsgi_app_rollback_to']) - set(names))
    if unknown:
        out.append('uwsgi_app_rollback_to names apps that uwsgi_app_apps does not have: %s.' % unknown)
    bad = [r for r in v['uwsgi_app_rollback_to'].values() if not ID_RE.match(str(r))]
    if bad:
        out.append('uwsgi_app_rollback_to: release ids must be letters, digits, ., _ and -, got %s.' % bad)
    return out


def problems(variables: dict, controller_files=True) -> list[str]:
    """Every problem of the role's variables: the role-wide rules, then every rule for every app."""
    ctx = Context(apps=list(variables['uwsgi_app_apps']), runtime_dir=str(variables['uwsgi_app_runtime_dir']),
                  rollback=bool(variables['uwsgi_app_rollback']), rollback_to=dict(variables['uwsgi_app_rollback_to']),
                  controller_files=controller_files)
    return role_problems(variables) + rules.run(ctx.apps, APP_RULES, 'uwsgi_app_apps', ctx)


# ---------------------------------------------------------------- source ids

def host_packages(packages: list, dependencies: list, apps: list) -> list[str]:
    """Every package the role installs on a host: ``packages`` (uwsgi_app_packages), the platform's
    ``dependencies``, then git and unzip only when an app needs them (a git source, a zip archive)."""
    out = list(packages or []) + list(dependencies or [])
    apps = [app for app in apps or [] if isinstance(app, dict)]
    if any(app.get('git') for app in apps):
        out.append('git')
    if any(re.search(r'\.zip$', str(app.get('src') or '')) for app in apps):
        out.append('unzip')
    return out


def role_host_packages(values: dict, platform: dict) -> list[str]:
    """:func:`host_packages` of the role's variables ``values`` and its ``platform`` values (the vars file)."""
    if not isinstance(values.get('uwsgi_app_apps'), list) or not isinstance(values.get('uwsgi_app_packages'), list):
        return []  # not reached: the check of the same values failed first
    return host_packages(values['uwsgi_app_packages'], platform.get('__uwsgi_app_dependencies') or [],
                         values['uwsgi_app_apps'])


def source_id(src: str) -> str:
    """The default release id of a source on the controller: 12 hex digits of a SHA-256.

    An archive: of the file. A directory: of the ``sha256sum`` lines of its
    files (``<hash>  ./<path>``, sorted as bytes, without ``__pycache__`` and
    ``.pyc``), symbolic links followed as the tar of the source follows them
    (roles/uwsgi_app/files/pack_source.py): the same as ``find -L . -type f |
    sort | xargs sha256sum | sha256sum``, so an unchanged source never makes a
    new release and a change behind a link makes one.
    """
    path = os.path.expanduser(src)
    if os.path.isfile(path):
        return _sha256_file(path)[:12]
    entries = [(rel.encode('utf-8', 'surrogateescape'), full) for rel, full in source_files(path)]
    lines = b''.join(('%s  ' % _sha256_file(full)).encode('ascii') + rel + b'\n' for rel, full in sorted(entries))
    return hashlib.sha256(lines).hexdigest()[:12]


def source_files(path: str) -> list:
    """[("./<path>", full path)] of the files of a source directory that make its release: regular files and
    links to them, inside links to directories too (not a link back to a directory on the way in: a loop, which
    ``find -L`` skips), without ``__pycache__`` directories, ``.pyc`` files and broken links."""
    out = []
    way_in = {}  # directory -> the real paths of the directories above it (os.walk goes top-down)
    for root, dirs, files in os.walk(path, followlinks=True):
        real, above = os.path.realpath(root), way_in.pop(root, frozenset())
        if real in above:
            dirs[:] = []
            continue
        dirs[:] = [d for d in dirs if d != '__pycache__']
        way_in.update((os.path.join(root, d), above | {real}) for d in dirs)
        for name in files:
            full = os.path.join(root, name)
            if name.endswith('.pyc') or not os.path.isfile(full):
                continue  # bytecode; a broken link (find -L -type f leaves it out too)
            out.append(('./' + os.path.relpath(full, path), full))
    return out


def _sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b''):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------- normalization

def normalize(app: dict, index: int, s: dict) -> dict:
    """One app with every default filled and every derived value computed.

    ``s`` holds the role-wide values: ``base_dir``, ``config_dir``,
    ``runtime_dir``, ``socket_group``, ``options`` (uwsgi_app_options),
    ``wheelhouse``, ``rollback``, ``rollback_to``, ``source_ids`` (src to
    release id), ``state_dir``, ``log_format`` (uwsgi_app_log_format).
    """
    name = app['name']
    rollback_to = (s.get('rollback_to') or {}).get(name) or app.get('rollback_to')
    path = (app.get('path') or '%s/%s' % (s['base_dir'].rstrip('/'), name)).rstrip('/') or '/'
    run_dir = '%s/%s' % (s['runtime_dir'].rstrip('/'), name)
    unit = 'uwsgi-app-%s' % name
    kind = 'git' if app.get('git') else ('dir' if os.path.isdir(os.path.expanduser(str(app.get('src')))) else 'archive')
    git = dict(app['git']) if app.get('git') else None
    if git is not None:
        git['version'] = git.get('version') or 'HEAD'
    if rollback_to:
        release, how = str(rollback_to), 'rollback_to'
    elif s.get('rollback'):
        release, how = None, 'rollback'  # the host's `previous`, known once its facts are read
    elif app.get('release'):
        release, how = str(app['release']), 'explicit'
    elif kind == 'git':
        release, how = None, 'git'  # the commit, resolved on the host
    else:
        src = str(app['src'])
        release, how = (s.get('source_ids') or {}).get(src) or source_id(src), 'source'
    log_format = app.get('log_format') or s.get('log_format') or 'text'
    options = dict(s.get('options') or {})
    if log_format == 'json':
        options.update(json_log_options(name))
    options.update(app.get('options') or {})
    env = dict((k, _env_text(v)) for k, v in sorted((app.get('env') or {}).items()))
    secrets = dict((k, _env_text(v)) for k, v in sorted((app.get('secrets') or {}).items()))
    shared = [str(p).rstrip('/') for p in app.get('shared') or []]
    state_dir = s.get('state_dir') or '/var/lib/uwsgi-app'
    out = {
        'index': index,
        'name': name,
        'user': app.get('user') or name,
        'group': app.get('group') or name,
        'path': path,
        'releases_dir': path + '/releases',
        'shared_dir': path + '/shared',
        'repo_dir': path + '/repo',
        'current': path + '/current',
        'previous': path + '/previous',
        'kind': kind,
        'src': app.get('src'),
        # the content id of a directory source (the name of its tar on the controller)
        'source_id': (s.get('source_ids') or {}).get(str(app['src'])) if kind == 'dir' else None,
        'git': git,
        'release': release,
        'release_from': how,
        'rolling_back': how in ('rollback_to', 'rollback'),
        'module': app.get('module') or 'wsgi:app',
        'processes': app.get('processes'),
        'threads': app.get('threads'),
        'log_format': log_format,
        'options': options,
        'requirements': app.get('requirements') or 'requirements.txt',
        'pip_args': app.get('pip_args') or '',
        'wheelhouse': bool(app['wheelhouse'] if app.get('wheelhouse') is not None else s.get('wheelhouse')),
        'env': env,
        'secrets': secrets,
        'shared': shared,
        'run_dir': run_dir,
        # systemd listens on `listen` for every app; another `socket` is a symlink to it (a drop-in's Symlinks=),
        # so that a new socket path is a new link and an nginx reload, never a restart of the listening socket
        'socket': app.get('socket') or run_dir + '/uwsgi.sock',
        'listen': run_dir + '/uwsgi.sock',
        'socket_dropin_path': '/etc/systemd/system/%s.socket.d/socket-path.conf' % unit,
        'stats_dir': run_dir + '/stats',
        'stats': run_dir + '/stats/stats.sock',
        'runtime_directory': (run_dir + '/stats')[len('/run/'):],
        'ini': '%s/%s.ini' % (s['config_dir'], name),
        'env_file': '%s/%s.env' % (s['config_dir'], name),
        'unit': unit + '.service',
        'socket_unit': unit + '.socket',
        'unit_path': '/etc/systemd/system/%s.service' % unit,
        'socket_unit_path': '/etc/systemd/system/%s.socket' % unit,
        'marker': '%s/%s.pending' % (state_dir, name),
        'workers': [_worker(w, unit) for w in app.get('workers') or []],
        'worker_glob': '%s-worker-*.service' % unit,
        'hooks': dict((point, [_hook(h) for h in (app.get('hooks') or {}).get(point) or []]) for point in HOOK_POINTS),
        'static': [{'url': e['url'], 'dir': str(e['dir']).rstrip('/'), 'expires': e.get('expires') or '1h'}
                   for e in app.get('static') or []],
        'socket_backlog': int(options.get('listen') or 100),
    }
    # what the uwsgi_app_facts module reads of the app
    out['facts'] = {
        'name': name, 'path': path, 'user': out['user'], 'group': out['group'], 'unit': out['unit'],
        'stats': out['stats'],
        'units': [out['unit'], out['socket_unit']] + [w['unit'] for w in out['workers']],
        'worker_units': [w['unit'] for w in out['workers']], 'worker_glob': out['worker_glob'],
        'marker': out['marker'], 'socket_dir': run_dir, 'listen': out['listen'],
    }
    return out


def json_log_options(name: str) -> dict:
    """The uWSGI options that write the app's request log as one JSON object a line.

    uWSGI's logformat does not escape the values it prints (a quote in the
    URI would break a line built as JSON), so the request line (log-format, with
    its request_id=) goes whole, escaped by uWSGI's json encoder, into
    ``message``, beside ``time`` (ISO 8601), ``app`` and ``source``; the encoders
    act on a request logger only (req-logger: stdio, the unit's journal), which
    Debian's uwsgi-core has in its logfile plugin (``plugins``, beside the
    ``plugin`` of the language). ``%%`` is a ``%`` in the ini (uWSGI's magic
    variables use ``%``).
    """
    template = ('{"time":"${strftime:%%Y-%%m-%%dT%%H:%%M:%%S%%z}","app":"' + name
                + '","source":"uwsgi","message":"${msg}"}')
    return {'plugins': 'logfile', 'req-logger': 'stdio', 'log-req-encoder': ['json ' + template, 'nl']}


def _env_text(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return str(value)


def _worker(worker, unit):
    return {
        'name': worker['name'],
        'unit': '%s-worker-%s.service' % (unit, worker['name']),
        'unit_path': '/etc/systemd/system/%s-worker-%s.service' % (unit, worker['name']),
        'command': shlex.split(str(worker['command'])),
        'stop_signal': worker.get('stop_signal') or 'SIGTERM',
        'stop_timeout': int(worker.get('stop_timeout') or 30),
    }


def _hook(hook):
    return {'command': shlex.split(str(hook['command'])), 'once': bool(hook.get('once')),
            'timeout': int(hook.get('timeout') or 600)}


# ---------------------------------------------------------------- plan

def release_of(app: dict, host: dict, commits: dict | None = None):
    """The release a run serves for ``app`` on a host (``host``: its uwsgi_app_facts state), None if unknown."""
    if app['release_from'] == 'rollback':
        return host.get('previous') or host.get('current') or None
    if app['release_from'] == 'git':
        commit = (commits or {}).get(app['name'])
        return commit[:12] if commit else None
    return app['release']


def releases(apps: list, state: dict, commits: dict | None = None) -> dict:
    """App name to :func:`release_of`."""
    return dict((app['name'], release_of(app, state.get(app['name']) or {}, commits)) for app in apps)


def release_dir(app: dict, release: str) -> str:
    """The directory of one release of an app (its code, and its virtualenv in ``venv/``)."""
    return '%s/%s' % (app['releases_dir'], release)


def plan(apps: list, state: dict, differ: dict, commits: dict | None = None) -> list[dict]:
    """What a run does to each app, from the normalized apps and what the host has.

    ``state`` is the ``apps`` result of the uwsgi_app_facts module, ``differ``
    its ``differ`` result for the files the role wants (path to reasons),
    ``commits`` app name to the commit a git version resolved to on the host.
    Each item: ``name``, ``release`` (None when a git version was never
    resolved on the host), ``serving`` (what ``current`` names, "" if none),
    ``running`` (what the master serves), ``previous``, ``built`` (the release
    exists on the host), ``switch`` (it serves another release now),
    ``first`` (nothing served yet), ``differing_files``, ``action`` (none,
    reload or restart the uWSGI service), ``restart_workers``, ``change``
    (anything at all to do), ``rolling`` (a change of a release that
    serves, which a fleet rolls out batch by batch), ``socket_recreate`` and
    ``socket_reown`` (the socket unit differs: a new path or backlog makes
    the listening socket again, anything else only re-owns the live one) and
    ``old_socket_links`` (earlier socket paths of the app, links to its
    listening socket).
    """
    out = []
    for app in apps:
        host = state.get(app['name']) or {}
        serving, running, previous = host.get('current', ''), host.get('running', ''), host.get('previous', '')
        release = release_of(app, host, commits)
        paths = [app['env_file'], app['ini'], app['unit_path'], app['socket_unit_path'], app['current'],
                 app['previous'], app['path'], app['releases_dir'], app['shared_dir'], app['socket_dropin_path']]
        if app['socket'] != app['listen']:
            paths.append(app['socket'])
        paths += [w['unit_path'] for w in app['workers']] + ['%s/%s' % (app['shared_dir'], s) for s in app['shared']]
        changed = [p for p in paths if p in differ] + sorted(host.get('stale_units') or [])
        units = [app['unit_path'], app['socket_unit_path']] + [w['unit_path'] for w in app['workers']]
        switch = bool(serving) and release != serving
        unit_state = (host.get('units') or {}).get(app['unit']) or {}
        is_running = bool(unit_state.get('running'))
        # A new socket unit re-creates the listening socket (uWSGI restarts, requests meanwhile fail) only when
        # what the socket was made with changes: its path or backlog (the template's other lines are fixed).
        # Its owner, group or mode alone are applied to the live socket: no restart at all.
        socket_state = (host.get('units') or {}).get(app['socket_unit']) or {}
        socket_recreate = app['socket_unit_path'] in differ and not (
            socket_state.get('active') and socket_state.get('listen') == app['listen']
            and socket_state.get('backlog') == app['socket_backlog'])
        restart = (not is_running or app['env_file'] in differ or app['unit_path'] in differ or socket_recreate)
        reload = (switch or release is None or app['ini'] in differ or bool(host.get('pending'))
                  or (is_running and running != release))
        action = 'restart' if restart else ('reload' if reload else 'none')
        workers_running = host.get('workers_running') or {}
        restart_workers = (switch or not serving or app['env_file'] in differ
                           or any(w['unit_path'] in differ for w in app['workers'])
                           or any(workers_running.get(w['unit']) != release for w in app['workers']))
        out.append({
            'index': app['index'],
            'name': app['name'],
            'path': app['path'],
            'release': release,
            # the release's directory, where its virtualenv (venv/) and its code live
            'release_dir': release_dir(app, release) if release else None,
            'venv': release_dir(app, release) + '/venv' if release else None,
            'serving': serving,
            'running': running,
            'previous': previous,
            'built': release in (host.get('releases') or []),
            # a build of this release that failed before its marker: removed before it is built again
            'unfinished': release in (host.get('unfinished') or []),
            'switch': switch,
            'first': not serving,
            'rolling_back': app['rolling_back'],
            'differing_files': changed,
            'units_changed': any(p in differ for p in units) or bool(host.get('stale_units')),
            # the app's earlier socket paths (links to its listening socket), which nginx may still use: the
            # fleet playbook removes them once the host's nginx uses `socket`
            'old_socket_links': [p for p in host.get('socket_links') or [] if p != app['socket']],
            'action': action,
            # the socket unit differs: make the listening socket again, or give the live one its new owner/mode
            'socket_recreate': socket_recreate,
            'socket_reown': app['socket_unit_path'] in differ and not socket_recreate,
            'restart_workers': bool(app['workers']) and restart_workers,
            'change': switch or not serving or bool(changed) or action != 'none' or (
                bool(app['workers']) and restart_workers),
            'rolling': bool(serving) and (switch or action != 'none' or bool(changed)),
            # a new environment is staged next to the live one for the import check and the hooks of the
            # release to come, and replaces it at the switch
            'stage_env': app['env_file'] in differ and not app['rolling_back'],
            'check_env': app['env_file'] + ('.next' if app['env_file'] in differ and not app['rolling_back'] else ''),
        })
    return out
