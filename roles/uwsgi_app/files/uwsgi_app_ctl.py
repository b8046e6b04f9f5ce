# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the webstack.nginx_uwsgi.uwsgi_app role, installed on every app host.

python3 uwsgi_app_ctl.py exec --env FILE [--venv DIR] [--chdir DIR] [--name APP] -- COMMAND...
    Load the app's environment from FILE (JSON written by the role, values
    byte for byte: no shell, systemd or uWSGI expansion of $(, %(, @( or
    quotes) and exec COMMAND with it, in DIR (a release, or `current`:
    APP_RELEASE is the release it resolves to) with the virtualenv's bin first
    in PATH. ExecStart of the uWSGI and worker units, so both run with the
    same environment.

python3 uwsgi_app_ctl.py hook --env FILE --venv DIR --chdir DIR [--name APP] [--timeout S] -- COMMAND...
    Run COMMAND like `exec` does, wait for it and print its output with
    every secret value of FILE masked; exit with its exit code (124 after
    the timeout).

VENV/bin/python uwsgi_app_ctl.py check-import --env FILE --module MODULE:CALLABLE
    Import the app the way uWSGI will (from the current directory, with the
    environment of FILE) and exit 1 with the error when that fails.

python3 uwsgi_app_ctl.py link-shared RELEASE SHARED PATH...
    Replace each PATH of the release directory RELEASE (whatever the source
    had there) by a symbolic link to SHARED/PATH, creating its parent
    directories: the shared paths every release sees.

python3 uwsgi_app_ctl.py pip VENV PIP_ARGUMENTS...
    Run pip for the virtualenv VENV (made with --without-pip) from the pip
    wheel Debian ships for ensurepip (python3-pip-whl, newest first):
    a release's virtualenv gets its requirements without pip and setuptools
    installed into it, which took about 8 s of CPU per release.

python3 uwsgi_app_ctl.py build SPEC_JSON
    Build a release whose code is in place, in one run (see build()): its
    virtualenv (without pip), the requirements installed into it, the shared
    paths linked, the app imported as its user with the environment it will
    serve with, and the release marked complete. Exits 1 naming the step that
    failed, with its output; the release stays unmarked. Prints a JSON summary.

python3 uwsgi_app_ctl.py check-ini UWSGI_BINARY INI
    Parse INI the way uWSGI will (strict mode rejects unknown options, a
    missing plugin fails) and exit, without binding anything.

python3 uwsgi_app_ctl.py wait STATS_SOCKET DIRECTORY TIMEOUT_SECONDS [UNIT]
    Wait until the master behind STATS_SOCKET serves from DIRECTORY (its
    `cwd`, the `chdir` of the ini, re-read on every graceful reload) with every
    worker idle or busy. With UNIT, give up as soon as the unit failed or
    restarted. Exits 1 with the last state seen and the unit's last log lines.

python3 uwsgi_app_ctl.py apply SPEC_JSON
    Bring the app's units to what SPEC says (see apply()), wait for the
    release to serve, and print a JSON summary of what was done.

python3 uwsgi_app_ctl.py restore SPEC_JSON
    After the role put back the files a switch replaced: bring the app's
    units to what those files say (see restore()): units the switch added
    stopped and disabled, the release `current` names served again, the
    workers whose units are there restarted. Prints a JSON summary.
"""

import glob
import grp
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

MASK = '********'


# ---------------------------------------------------------------- environment

def load_env(path):
    """The variables of the env file: ``{"env": {...}, "secrets": {...}}`` -> (all, secret values)."""
    with open(path) as handle:
        data = json.load(handle)
    env = dict(data.get('env') or {})
    secrets = dict(data.get('secrets') or {})
    env.update(secrets)
    return env, [v for v in secrets.values() if v]


def environment(env_file, venv=None, name=None, release_dir=None):
    """The environment of a command of the app: the env file, APP_NAME, APP_RELEASE (the release directory's name)."""
    variables, secrets = load_env(env_file)
    environ = dict(os.environ)
    environ.update(variables)
    if name:
        environ['APP_NAME'] = name
    if release_dir:
        environ['APP_RELEASE'] = os.path.basename(os.path.realpath(release_dir))
    if venv:
        environ['VIRTUAL_ENV'] = venv
        environ['PATH'] = '%s/bin:%s' % (venv, environ.get('PATH', '/usr/local/bin:/usr/bin:/bin'))
        environ.pop('PYTHONHOME', None)
    return environ, secrets


def mask(text, secrets):
    for value in sorted(secrets, key=len, reverse=True):
        text = text.replace(value, MASK)
    return text


def split_command(args):
    """Options before ``--``, the command after it."""
    if '--' not in args:
        raise SystemExit('missing -- before the command')
    cut = args.index('--')
    options, command = args[:cut], args[cut + 1:]
    if not command:
        raise SystemExit('missing command after --')
    values = {}
    it = iter(options)
    for key in it:
        if not key.startswith('--'):
            raise SystemExit('unexpected argument %r' % key)
        values[key[2:]] = next(it, None)
    return values, command


def cmd_exec(args):
    options, command = split_command(args)
    environ, _secrets = environment(options['env'], options.get('venv'), options.get('name'), options.get('chdir'))
    if options.get('chdir'):
        os.chdir(options['chdir'])
    os.execvpe(command[0], command, environ)


def cmd_hook(args):
    options, command = split_command(args)
    environ, secrets = environment(options['env'], options.get('venv'), options.get('name'), options.get('chdir'))
    timeout = float(options.get('timeout') or 600)
    try:
        proc = subprocess.run(command, cwd=options.get('chdir'), env=environ, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout, check=False)
        output, code = proc.stdout.decode('utf-8', 'replace'), proc.returncode
    except subprocess.TimeoutExpired as exc:
        output = (exc.stdout or b'').decode('utf-8', 'replace') + '\n(stopped after %ss)\n' % timeout
        code = 124
    except OSError as exc:
        output, code = '%s: %s\n' % (command[0], exc), 127
    sys.stdout.write(mask(output, secrets))
    return code


def cmd_link_shared(args):
    if len(args) < 2:
        sys.stderr.write('usage: link-shared RELEASE SHARED PATH...\n')
        return 2
    release, shared = args[0], args[1]
    for path in args[2:]:
        target = os.path.join(release, path)
        if os.path.islink(target) or os.path.isfile(target):
            os.remove(target)
        elif os.path.isdir(target):
            shutil.rmtree(target)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.symlink(os.path.join(shared, path), target)
    return 0


def cmd_check_import(args):
    options = dict(zip([a[2:] for a in args[0::2]], args[1::2]))
    variables, secrets = load_env(options['env'])
    os.environ.update(variables)
    sys.path.insert(0, os.getcwd())
    module, _sep, name = options['module'].partition(':')
    try:
        import importlib
        app = getattr(importlib.import_module(module), name)
    except BaseException as exc:  # pylint: disable=broad-except  # any failure of the app's import
        import traceback
        sys.stderr.write(mask(traceback.format_exc(), secrets))
        sys.stderr.write('cannot import %s: %s\n' % (options['module'], mask(repr(exc), secrets)))
        return 1
    if not callable(app):
        sys.stderr.write('%s is not callable\n' % options['module'])
        return 1
    return 0


# ---------------------------------------------------------------- pip

PIP_WHEELS = '/usr/share/python-wheels'


def _version_key(name):
    """Sort key of a wheel file name by its version (pip-25.1.1-py3-none-any.whl -> (25, 1, 1))."""
    parts = name.split('-')
    version = parts[1] if len(parts) > 1 else ''
    return tuple(int(p) if p.isdigit() else -1 for p in re.split(r'[.+]', version))


def pip_wheel(directory=PIP_WHEELS):
    """The newest pip wheel of directory, or None."""
    try:
        names = [n for n in os.listdir(directory) if n.startswith('pip-') and n.endswith('.whl')]
    except OSError:
        return None
    return os.path.join(directory, max(names, key=_version_key)) if names else None


class NoPip(Exception):
    """No pip wheel of Debian on the host."""


def pip_argv(venv, wheels=PIP_WHEELS):
    """The command that runs pip for the virtualenv venv from Debian's pip wheel: pip runs from its wheel
    (pip/__main__.py supports it) inside the virtualenv's interpreter, so it installs into the virtualenv.
    Raises NoPip without a wheel."""
    wheel = pip_wheel(wheels)
    if wheel is None:
        raise NoPip('no pip wheel in %s: install python3-pip-whl (python3-venv depends on it)' % wheels)
    return [os.path.join(venv, 'bin', 'python'), os.path.join(wheel, 'pip')]


def cmd_pip(args, wheels=PIP_WHEELS):
    if not args:
        sys.stderr.write('usage: pip VENV PIP_ARGUMENTS...\n')
        return 2
    try:
        argv = pip_argv(args[0], wheels)
    except NoPip as exc:
        sys.stderr.write('%s\n' % exc)
        return 1
    os.execv(argv[0], argv + args[1:])
    return 1  # not reached


# ---------------------------------------------------------------- build

class BuildFailed(Exception):
    """A step of build() failed: its name and its output."""


def _step(name, argv, **kwargs):
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False, **kwargs)
    if proc.returncode != 0:
        raise BuildFailed('%s failed (exit %d): %s' % (name, proc.returncode,
                                                       proc.stdout.decode('utf-8', 'replace').strip()))


def build(spec, wheels=PIP_WHEELS):
    """Build the release of spec, whose code is in spec['release_dir'] already; the steps done.

    spec: ``release_dir``, ``venv``, ``requirements`` (a path; installed when
    the file exists), ``find_links`` (a directory: install from it alone, no
    index) or ``pip_args`` (list), ``shared_dir`` and ``shared`` (paths
    linked into the release), ``user``, ``env`` (the env file the import
    reads), ``module`` (MODULE:CALLABLE), ``marker`` (the file that says the
    release is complete) and ``release`` (its content). Each step is the one
    the role ran as a task of its own before: ``python3 -m venv
    --without-pip``, ``pip`` (as cmd_pip), ``link-shared``, ``check-import``
    under ``runuser`` (directly when already that user).
    """
    release_dir, venv = spec['release_dir'], spec['venv']
    python = os.path.join(venv, 'bin', 'python')
    done = []
    if not os.path.exists(python):
        _step('creating the virtualenv', [sys.executable, '-m', 'venv', '--without-pip', venv])
        done.append('virtualenv')
    requirements = spec.get('requirements')
    if requirements and os.path.isfile(requirements):
        try:
            argv = pip_argv(venv, wheels)
        except NoPip as exc:
            raise BuildFailed(str(exc)) from exc
        argv += ['install', '--disable-pip-version-check', '--no-input',
                 '--log', os.path.join(release_dir, '.uwsgi-app-pip.log'), '--requirement', requirements]
        if spec.get('find_links'):
            argv += ['--no-index', '--find-links', spec['find_links']]
        else:
            argv += list(spec.get('pip_args') or [])
        _step('installing the requirements', argv, cwd=release_dir)
        done.append('requirements')
    if spec.get('shared'):
        cmd_link_shared([release_dir, spec['shared_dir']] + list(spec['shared']))
        done.append('shared paths')
    check = [python, os.path.abspath(__file__), 'check-import', '--env', spec['env'], '--module', spec['module']]
    if spec.get('user') and spec['user'] != pwd.getpwuid(os.geteuid()).pw_name:
        check = ['runuser', '-u', spec['user'], '--'] + check
    _step('importing %s as %s' % (spec['module'], spec.get('user') or 'this user'), check, cwd=release_dir)
    done.append('imported')
    with open(spec['marker'] + '.part', 'w') as handle:
        handle.write(spec['release'] + '\n')
    os.chmod(spec['marker'] + '.part', 0o644)
    os.replace(spec['marker'] + '.part', spec['marker'])
    done.append('marked')
    return done


def cmd_build(args, wheels=PIP_WHEELS):
    try:
        done = build(json.loads(args[0]), wheels)
    except BuildFailed as exc:
        sys.stderr.write('%s\n' % exc)
        return 1
    print(json.dumps({'changed': True, 'done': done}))
    return 0


# ---------------------------------------------------------------- uWSGI ini

def check_ini(binary, path):
    with open(path) as handle:
        lines = [line for line in handle if not re.match(r'^\s*vacuum\s*=', line)]
    fd, copy = tempfile.mkstemp(suffix='.ini')
    try:
        with os.fdopen(fd, 'w') as handle:
            handle.writelines(lines)
        proc = subprocess.run([binary, '--ini', copy, '--get', 'socket'], cwd='/', stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, universal_newlines=True, check=False)
    finally:
        os.unlink(copy)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout.replace(copy, path))
    return proc.returncode


# ---------------------------------------------------------------- systemd

def systemctl(*args, check=True):
    proc = subprocess.run(['systemctl'] + list(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, check=False)
    if check and proc.returncode != 0:
        raise Failure('systemctl %s failed: %s' % (' '.join(args), proc.stdout.strip()))
    return proc


def reown_socket(unit):
    """Give the socket a running socket unit listens on the SocketUser, SocketGroup and SocketMode systemd
    loaded for it: systemd applies them only when it makes the socket, which would stop the app's service."""
    props = dict(line.partition('=')[::2] for line in systemctl(
        'show', '--property=Listen,SocketUser,SocketGroup,SocketMode', unit).stdout.splitlines())
    path = (props.get('Listen') or '').rsplit(' (', 1)[0]
    if not path.startswith('/'):
        raise Failure('%s listens on no path (Listen=%s)' % (unit, props.get('Listen')))
    try:
        uid = pwd.getpwnam(props['SocketUser']).pw_uid if props.get('SocketUser') else 0
        gid = grp.getgrnam(props['SocketGroup']).gr_gid if props.get('SocketGroup') else 0
        mode = int(props.get('SocketMode') or '0666', 8)
        os.chown(path, uid, gid)
        os.chmod(path, mode)
    except (KeyError, ValueError, OSError) as exc:
        raise Failure('could not give %s the owner and mode of %s: %s' % (path, unit, exc)) from exc
    owner = '%s:%s' % (props.get('SocketUser') or 'root', props.get('SocketGroup') or 'root')
    return 'socket %s owned by %s, mode %04o' % (path, owner, mode)


def unit_state(unit):
    out = systemctl('show', '--property=ActiveState,SubState,NRestarts,MainPID', unit, check=False).stdout
    props = dict(line.split('=', 1) for line in out.splitlines() if '=' in line)
    return props.get('ActiveState', ''), props.get('SubState', ''), int(props.get('NRestarts') or 0)


def journal(unit, lines=25):
    proc = subprocess.run(['journalctl', '--no-pager', '--output=cat', '-n', str(lines), '-u', unit],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, check=False)
    return proc.stdout.strip()


class Failure(Exception):
    """An action failed; the message says which and why."""


# ---------------------------------------------------------------- waiting

def read_stats(path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(5)
    try:
        sock.connect(path)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        sock.close()
    return json.loads(b''.join(chunks).decode('utf-8', 'replace'))


def wait(path, directory, timeout, unit=None):
    """None once the master serves from ``directory``; else raise Failure with the last state seen."""
    directory = directory.rstrip('/')
    deadline = time.monotonic() + float(timeout)
    last = 'no answer'
    restarts = unit_state(unit)[2] if unit else 0
    while True:
        try:
            stats = read_stats(path)
            workers = stats.get('workers', [])
            states = [w.get('status') for w in workers]
            if stats.get('cwd', '').rstrip('/') == directory and workers and all(s in ('idle', 'busy') for s in states):
                return 'serving %s with %d workers (master pid %s)' % (directory, len(workers), stats.get('pid'))
            last = 'cwd=%s workers=%s' % (stats.get('cwd'), states)
        except (OSError, ValueError) as exc:
            last = '%s: %s' % (path, exc)
        if unit:
            active, sub, count = unit_state(unit)
            if active == 'failed' or count > restarts or sub == 'auto-restart':
                raise Failure('%s does not start (%s/%s): %s\n%s' % (unit, active, sub, last, journal(unit)))
        if time.monotonic() >= deadline:
            raise Failure('not serving %s after %ss; last state: %s\n%s'
                          % (directory, timeout, last, journal(unit) if unit else ''))
        time.sleep(0.2)


def cmd_wait(args):
    try:
        print(wait(*args[:3], unit=args[3] if len(args) > 3 else None))
    except Failure as exc:
        sys.stderr.write('%s\n' % exc)
        return 1
    return 0


# ---------------------------------------------------------------- apply

def apply(spec):
    """Units of one app to the state ``spec`` asks for.

    spec keys: daemon_reload (bool), remove (units to stop and disable, whose
    files the role removed), socket_unit, socket_changed (bool: make the
    listening socket again), socket_reown (bool: give the live socket the
    owner, group and mode of the socket unit systemd loaded), unit,
    action (none, reload or restart: what the change needs), stats,
    release_dir, timeout, workers (units), restart_workers (bool), marker
    (the file managed_files wrote before the change: removed once the app
    and its workers serve what is on disk, for the next run to trust it),
    prune (directories of old releases, removed once the app and its
    workers serve; never the one that serves now).
    """
    done = []
    for unit in spec.get('remove') or []:
        systemctl('disable', '--now', unit, check=False)
        done.append('stopped and disabled %s' % unit)
    if spec.get('daemon_reload'):
        systemctl('daemon-reload')
        done.append('daemon-reload')
    unit, socket_unit = spec['unit'], spec['socket_unit']
    active, sub, _count = unit_state(unit)
    running = active == 'active' and sub == 'running'
    action = spec.get('action') or 'none'
    sock_active = unit_state(socket_unit)[0] == 'active'
    if spec.get('socket_changed') and sock_active:
        # a socket unit cannot change while its service holds the old socket
        systemctl('stop', unit)
        systemctl('restart', socket_unit)
        done.append('restarted %s' % socket_unit)
        running, action = False, 'restart'
    elif not sock_active:
        systemctl('start', socket_unit)
        done.append('started %s' % socket_unit)
    elif spec.get('socket_reown'):
        done.append(reown_socket(socket_unit))
    systemctl('enable', '--quiet', socket_unit, unit)
    if not running or action == 'restart':
        systemctl('reset-failed', unit, check=False)
        systemctl('restart', unit)
        done.append('restarted %s' % unit if running else 'started %s' % unit)
    elif action == 'reload':
        systemctl('reload', unit)
        done.append('reloaded %s' % unit)
    if not running or action != 'none':
        done.append(wait(spec['stats'], spec['release_dir'], spec.get('timeout') or 60, unit))
    for worker in spec.get('workers') or []:
        w_active, w_sub, _c = unit_state(worker)
        if spec.get('restart_workers') or not (w_active == 'active' and w_sub == 'running'):
            systemctl('reset-failed', worker, check=False)
            # a graceful stop (the worker's KillSignal and TimeoutStopSec), then the new release
            systemctl('restart', worker)
            done.append('restarted %s' % worker)
            _wait_worker(worker)
        systemctl('enable', '--quiet', worker)
    marker = spec.get('marker')
    if marker and os.path.lexists(marker):
        os.remove(marker)
        done.append('what is on disk serves (%s removed)' % marker)
    serving = os.path.realpath(spec['release_dir'])
    for path in spec.get('prune') or []:
        if os.path.isdir(path) and not os.path.islink(path) and os.path.realpath(path) != serving:
            shutil.rmtree(path)
            done.append('removed release %s' % os.path.basename(path))
    return done


def _wait_worker(unit, seconds=3.0):
    """A worker that dies at once (a wrong command) fails the run with its log."""
    deadline = time.monotonic() + seconds
    restarts = unit_state(unit)[2]
    while time.monotonic() < deadline:
        active, sub, count = unit_state(unit)
        if active == 'failed' or sub == 'auto-restart' or count > restarts:
            raise Failure('%s does not start (%s/%s):\n%s' % (unit, active, sub, journal(unit)))
        time.sleep(0.25)


def restore(spec):
    """Units of one app back to the files a restore put back.

    spec keys: unit, socket_unit, stats, current (the path of the app's
    `current` link, as restored), timeout, worker_glob (the app's worker unit
    files in units_dir, /etc/systemd/system by default), removed (units whose files the
    restore removed: added by the switch that failed), socket_changed (the
    socket unit file was put back: make the listening socket again).
    """
    done = []
    for unit in spec.get('removed') or []:
        systemctl('disable', '--now', unit, check=False)
        done.append('stopped and disabled %s' % unit)
    systemctl('daemon-reload')
    done.append('daemon-reload')
    unit, socket_unit = spec['unit'], spec['socket_unit']
    units_dir = spec.get('units_dir') or '/etc/systemd/system'
    workers = sorted(os.path.basename(p) for p in glob.glob(os.path.join(units_dir, spec['worker_glob'])))
    if not os.path.isdir(spec['current']):
        # nothing served before the switch: nothing serves again
        for name in workers + [unit]:
            systemctl('disable', '--now', name, check=False)
            done.append('stopped and disabled %s' % name)
        return done
    release_dir = os.path.realpath(spec['current'])
    if spec.get('socket_changed') and unit_state(socket_unit)[0] == 'active':
        systemctl('stop', unit)
        systemctl('restart', socket_unit)
        done.append('restarted %s' % socket_unit)
    elif unit_state(socket_unit)[0] != 'active':
        systemctl('start', socket_unit)
        done.append('started %s' % socket_unit)
    systemctl('reset-failed', unit, check=False)
    systemctl('restart', unit)
    done.append('restarted %s' % unit)
    done.append(wait(spec['stats'], release_dir, spec.get('timeout') or 60, unit))
    for worker in workers:
        systemctl('reset-failed', worker, check=False)
        systemctl('restart', worker)
        done.append('restarted %s' % worker)
        _wait_worker(worker)
        systemctl('enable', '--quiet', worker)
    return done


def cmd_apply(args, action=None):
    spec = json.loads(args[0])
    try:
        done = (action or apply)(spec)
    except Failure as exc:
        sys.stderr.write('%s\n' % exc)
        return 1
    print(json.dumps({'changed': bool(done), 'done': done}))
    return 0


def main(argv):
    commands = {
        'exec': cmd_exec,
        'hook': cmd_hook,
        'check-import': cmd_check_import,
        'link-shared': cmd_link_shared,
        'pip': cmd_pip,
        'build': cmd_build,
        'wait': cmd_wait,
        'apply': cmd_apply,
        'restore': lambda args: cmd_apply(args, restore),
    }
    if len(argv) == 4 and argv[1] == 'check-ini':
        return check_ini(argv[2], argv[3])
    if len(argv) >= 2 and argv[1] in commands:
        return commands[argv[1]](argv[2:])
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main(sys.argv))
