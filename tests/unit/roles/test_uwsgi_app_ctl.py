# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""roles/uwsgi_app/files/uwsgi_app_ctl.py: the environment byte for byte, hooks with secrets masked, import checks."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CTL = Path(__file__).resolve().parents[3] / 'roles/uwsgi_app/files/uwsgi_app_ctl.py'
SPEC = importlib.util.spec_from_file_location('uwsgi_app_ctl', CTL)
ctl = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(ctl)

TRICKY = "a $(HOME) %(_) @(/etc/hostname) ;'q' \"d\" \\n\nsecond line"


@pytest.fixture
def env_file(tmp_path):
    path = tmp_path / 'app.env'
    path.write_text(json.dumps({'env': {'GREETING': TRICKY}, 'secrets': {'KEY': 'p@ss-s3cret', 'EMPTY': ''}}))
    return str(path)


def run(*args, cwd=None):
    return subprocess.run([sys.executable, str(CTL)] + list(args), capture_output=True, text=True, cwd=cwd,
                          check=False)


def test_exec_passes_values_byte_for_byte_and_names_the_release(env_file, tmp_path):
    release = tmp_path / 'releases' / 'r7'
    release.mkdir(parents=True)
    (tmp_path / 'current').symlink_to(release)
    code = 'import json, os; print(json.dumps([os.environ[k] for k in ("GREETING", "KEY", "APP_RELEASE", "APP_NAME")]))'
    out = run('exec', '--env', env_file, '--chdir', str(tmp_path / 'current'), '--name', 'shop', '--',
              sys.executable, '-c', code)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [TRICKY, 'p@ss-s3cret', 'r7', 'shop']


def test_exec_puts_the_virtualenv_first(env_file, tmp_path):
    (tmp_path / 'venv' / 'bin').mkdir(parents=True)
    tool = tmp_path / 'venv' / 'bin' / 'webstack-probe'
    tool.write_text('#!/bin/sh\necho "from the venv $VIRTUAL_ENV"\n')
    tool.chmod(0o755)
    out = run('exec', '--env', env_file, '--venv', str(tmp_path / 'venv'), '--', 'webstack-probe')
    assert out.stdout.strip() == 'from the venv %s' % (tmp_path / 'venv')


def test_hook_masks_secrets_and_keeps_the_exit_code(env_file, tmp_path):
    out = run('hook', '--env', env_file, '--chdir', str(tmp_path), '--', 'sh', '-c', 'echo "key=$KEY"; exit 3')
    assert out.returncode == 3
    assert out.stdout == 'key=********\n'


def test_hook_timeout(env_file, tmp_path):
    out = run('hook', '--env', env_file, '--chdir', str(tmp_path), '--timeout', '0.5', '--', 'sleep', '5')
    assert out.returncode == 124 and 'stopped after 0.5s' in out.stdout


def test_hook_missing_program(env_file, tmp_path):
    out = run('hook', '--env', env_file, '--chdir', str(tmp_path), '--', 'no-such-program-x')
    assert out.returncode == 127 and 'no-such-program-x' in out.stdout


def test_check_import(env_file, tmp_path):
    (tmp_path / 'good.py').write_text('import os\nassert os.environ["KEY"]\napp = lambda e, s: []\n')
    (tmp_path / 'bad.py').write_text('import os\nraise RuntimeError("broken with " + os.environ["KEY"])\n')
    (tmp_path / 'notcallable.py').write_text('app = 3\n')
    assert run('check-import', '--env', env_file, '--module', 'good:app', cwd=tmp_path).returncode == 0
    bad = run('check-import', '--env', env_file, '--module', 'bad:app', cwd=tmp_path)
    assert bad.returncode == 1 and 'RuntimeError' in bad.stderr and 'p@ss-s3cret' not in bad.stderr
    assert 'broken with ********' in bad.stderr
    missing = run('check-import', '--env', env_file, '--module', 'good:nope', cwd=tmp_path)
    assert missing.returncode == 1 and 'cannot import good:nope' in missing.stderr
    assert run('check-import', '--env', env_file, '--module', 'notcallable:app', cwd=tmp_path).returncode == 1


def test_split_command():
    assert ctl.split_command(['--env', 'f', '--', 'a', '--b']) == ({'env': 'f'}, ['a', '--b'])
    for args in (['--env', 'f'], ['--env', 'f', '--'], ['env', '--', 'x']):
        with pytest.raises(SystemExit):
            ctl.split_command(args)


def test_mask_longest_first():
    assert ctl.mask('ab abc', ['ab', 'abc']) == '******** ********'


def test_usage():
    out = run('nonsense')
    assert out.returncode == 2 and 'check-import' in out.stderr


def test_apply_stops_and_disables_a_removed_worker_before_systemd_forgets_it(monkeypatch):
    calls = []
    monkeypatch.setattr(ctl, 'systemctl', lambda *args, **kwargs: calls.append(args))
    monkeypatch.setattr(ctl, 'unit_state', lambda unit: ('active', 'running', 0))
    done = ctl.apply({'remove': ['uwsgi-app-shop-worker-old.service'], 'daemon_reload': True,
                      'unit': 'uwsgi-app-shop.service', 'socket_unit': 'uwsgi-app-shop.socket', 'action': 'none',
                      'workers': ['uwsgi-app-shop-worker-jobs.service'], 'restart_workers': False,
                      'stats': '/nonexistent', 'release_dir': '/nonexistent'})
    assert calls.index(('disable', '--now', 'uwsgi-app-shop-worker-old.service')) < calls.index(('daemon-reload',))
    assert 'stopped and disabled uwsgi-app-shop-worker-old.service' in done
    # the worker that stays is left running
    assert ('restart', 'uwsgi-app-shop-worker-jobs.service') not in calls


def _apply_that_fails_then_serves(monkeypatch, spec):
    """``apply`` of ``spec`` with units that answer: first the release does not come up (ctl.Failure), then the
    callable returned runs it again with a release that serves and gives what it did."""
    monkeypatch.setattr(ctl, 'systemctl', lambda *args, **kwargs: None)
    monkeypatch.setattr(ctl, 'unit_state', lambda unit: ('active', 'running', 0))

    def fail(*_args):
        raise ctl.Failure('release did not come up')
    monkeypatch.setattr(ctl, 'wait', fail)
    with pytest.raises(ctl.Failure):
        ctl.apply(spec)

    def serves(**changes):
        monkeypatch.setattr(ctl, 'wait', lambda *args: 'serving')
        return ctl.apply(dict(spec, **changes))
    return serves


def test_apply_removes_the_marker_once_the_app_serves_and_not_when_it_fails(monkeypatch, tmp_path):
    marker = tmp_path / 'shop.pending'
    marker.write_text('')
    spec = {'unit': 'uwsgi-app-shop.service', 'socket_unit': 'uwsgi-app-shop.socket', 'action': 'reload',
            'stats': '/nonexistent', 'release_dir': str(tmp_path), 'marker': str(marker)}
    serves = _apply_that_fails_then_serves(monkeypatch, spec)
    assert marker.exists()  # the rescue puts the files back; the marker stays for the next run
    assert serves()[-1] == 'what is on disk serves (%s removed)' % marker
    assert not marker.exists()
    # nothing to remove, nothing said
    assert serves(action='none') == []


def test_apply_prunes_old_releases_once_the_app_serves_never_the_one_that_serves(monkeypatch, tmp_path):
    releases = tmp_path / 'releases'
    for name in ('r1', 'r2', 'r3'):
        (releases / name / 'venv').mkdir(parents=True)
    (tmp_path / 'current').symlink_to(releases / 'r3')
    spec = {'unit': 'uwsgi-app-shop.service', 'socket_unit': 'uwsgi-app-shop.socket', 'action': 'reload',
            'stats': '/nonexistent', 'release_dir': str(tmp_path / 'current'),
            'prune': [str(releases / 'r1'), str(releases / 'r3'), str(releases / 'gone')]}
    serves = _apply_that_fails_then_serves(monkeypatch, spec)
    assert sorted(p.name for p in releases.iterdir()) == ['r1', 'r2', 'r3']  # nothing removed: the rescue serves r1 again
    assert serves()[-1] == 'removed release r1'
    assert sorted(p.name for p in releases.iterdir()) == ['r2', 'r3']  # r3 serves: kept whatever the list says


def _restore_spec(tmp_path, **kw):
    spec = {'unit': 'uwsgi-app-shop.service', 'socket_unit': 'uwsgi-app-shop.socket', 'stats': '/nonexistent',
            'current': str(tmp_path / 'current'), 'timeout': 5, 'units_dir': str(tmp_path / 'units'),
            'worker_glob': 'uwsgi-app-shop-worker-*.service', 'removed': []}
    spec.update(kw)
    return spec


def test_restore_serves_what_the_files_put_back_name(monkeypatch, tmp_path):
    """A switch that added a worker failed: the worker's unit went with the files, the old workers come back."""
    (tmp_path / 'releases' / 'r1').mkdir(parents=True)
    (tmp_path / 'current').symlink_to(tmp_path / 'releases' / 'r1')
    (tmp_path / 'units').mkdir()
    (tmp_path / 'units' / 'uwsgi-app-shop-worker-jobs.service').write_text('[Service]\n')
    calls, waited = [], []
    monkeypatch.setattr(ctl, 'systemctl', lambda *args, **kwargs: calls.append(args))
    monkeypatch.setattr(ctl, 'unit_state', lambda unit: ('active', 'running', 0))
    monkeypatch.setattr(ctl, 'wait', lambda stats, directory, timeout, unit: waited.append(directory) or 'serving')
    monkeypatch.setattr(ctl, '_wait_worker', lambda unit: None)
    done = ctl.restore(_restore_spec(tmp_path, removed=['uwsgi-app-shop-worker-beat.service']))
    assert calls.index(('disable', '--now', 'uwsgi-app-shop-worker-beat.service')) < calls.index(('daemon-reload',))
    assert ('restart', 'uwsgi-app-shop.service') in calls and waited == [str(tmp_path / 'releases' / 'r1')]
    assert ('restart', 'uwsgi-app-shop-worker-jobs.service') in calls
    assert not [c for c in calls if 'uwsgi-app-shop-worker-beat.service' in c and c[0] != 'disable']
    assert 'stopped and disabled uwsgi-app-shop-worker-beat.service' in done
    assert not [c for c in calls if c[0] == 'restart' and c[1].endswith('.socket')]


def test_restore_makes_the_socket_again_when_its_unit_was_put_back(monkeypatch, tmp_path):
    (tmp_path / 'current').mkdir()
    calls = []
    monkeypatch.setattr(ctl, 'systemctl', lambda *args, **kwargs: calls.append(args))
    monkeypatch.setattr(ctl, 'unit_state', lambda unit: ('active', 'running', 0))
    monkeypatch.setattr(ctl, 'wait', lambda *args: 'serving')
    ctl.restore(_restore_spec(tmp_path, socket_changed=True))
    assert calls.index(('stop', 'uwsgi-app-shop.service')) < calls.index(('restart', 'uwsgi-app-shop.socket')) \
        < calls.index(('restart', 'uwsgi-app-shop.service'))


def test_restore_of_an_app_that_served_nothing_stops_it(monkeypatch, tmp_path):
    (tmp_path / 'units').mkdir()
    (tmp_path / 'units' / 'uwsgi-app-shop-worker-jobs.service').write_text('')
    calls = []
    monkeypatch.setattr(ctl, 'systemctl', lambda *args, **kwargs: calls.append(args))
    done = ctl.restore(_restore_spec(tmp_path))
    assert ('disable', '--now', 'uwsgi-app-shop.service') in calls
    assert ('disable', '--now', 'uwsgi-app-shop-worker-jobs.service') in calls
    assert not [c for c in calls if c[0] == 'restart'] and 'stopped and disabled uwsgi-app-shop.service' in done


def test_link_shared_replaces_what_the_source_had_by_links(tmp_path):
    release, shared = tmp_path / 'releases' / 'r2', tmp_path / 'shared'
    (release / 'uploads').mkdir(parents=True)
    (release / 'uploads' / 'from-the-source.txt').write_text('x')
    (release / 'instance.cfg').write_text('from the source')
    (release / 'old-link').symlink_to(tmp_path)
    result = run('link-shared', str(release), str(shared), 'uploads', 'instance.cfg', 'old-link', 'data/deep/cache')
    assert result.returncode == 0, result.stderr
    for path in ('uploads', 'instance.cfg', 'old-link', 'data/deep/cache'):
        assert (release / path).is_symlink() and os.readlink(release / path) == str(shared / path)
    assert (release / 'data' / 'deep').is_dir() and not (release / 'data' / 'deep').is_symlink()
    assert run('link-shared', str(release)).returncode == 2


def _fake_pip_wheel(directory, version, text):
    """A wheel-shaped zip whose pip/__main__.py prints text, the interpreter's prefix and its arguments."""
    import zipfile
    path = directory / ('pip-%s-py3-none-any.whl' % version)
    with zipfile.ZipFile(path, 'w') as whl:
        whl.writestr('pip/__init__.py', '')
        whl.writestr('pip/__main__.py', 'import sys; print(%r, sys.prefix, sys.argv[1:])' % text)
    return path


def test_pip_wheel_takes_the_newest_version(tmp_path):
    for version in ('9.0.1', '23.0.1', '25.1.1', '25.0'):
        _fake_pip_wheel(tmp_path, version, version)
    (tmp_path / 'setuptools-80.0-py3-none-any.whl').write_text('')
    assert ctl.pip_wheel(str(tmp_path)) == str(tmp_path / 'pip-25.1.1-py3-none-any.whl')
    assert ctl.pip_wheel(str(tmp_path / 'absent')) is None
    (tmp_path / 'empty').mkdir()
    assert ctl.pip_wheel(str(tmp_path / 'empty')) is None


def test_pip_runs_the_wheel_with_the_virtualenv_python(tmp_path):
    wheels = tmp_path / 'wheels'
    wheels.mkdir()
    _fake_pip_wheel(wheels, '23.0.1', 'old')
    _fake_pip_wheel(wheels, '24.2', 'new')
    venv = tmp_path / 'venv'
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', str(venv)], check=True)
    # cmd_pip execs: run it in a child so that the test process survives
    code = ('import sys; sys.path.insert(0, %r); import importlib.util as u; s = u.spec_from_file_location("c", %r); '
            'c = u.module_from_spec(s); s.loader.exec_module(c); c.cmd_pip(sys.argv[1:], wheels=%r)'
            % (str(CTL.parent), str(CTL), str(wheels)))
    out = subprocess.run([sys.executable, '-c', code, str(venv), 'install', '-r', 'requirements.txt'],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split(None, 2) == ['new', str(venv), "['install', '-r', 'requirements.txt']\n"]


def test_pip_without_a_wheel_says_what_to_install(tmp_path, capsys):
    assert ctl.cmd_pip([str(tmp_path / 'venv'), 'install'], wheels=str(tmp_path)) == 1
    assert 'python3-pip-whl' in capsys.readouterr().err
    assert ctl.cmd_pip([]) == 2


@pytest.mark.skipif(not ctl.pip_wheel(), reason='no pip wheel of Debian on this machine')
def test_pip_of_debian_installs_into_a_virtualenv_without_pip(tmp_path):
    """The real thing: Debian's pip wheel installs a local wheel into a --without-pip virtualenv."""
    import zipfile
    wheel = tmp_path / 'webstack_probe-1.0-py3-none-any.whl'
    with zipfile.ZipFile(wheel, 'w') as whl:
        whl.writestr('webstack_probe.py', 'ANSWER = 42\n')
        whl.writestr('webstack_probe-1.0.dist-info/METADATA', 'Metadata-Version: 2.1\nName: webstack-probe\nVersion: 1.0\n')
        whl.writestr('webstack_probe-1.0.dist-info/WHEEL', 'Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n')
        whl.writestr('webstack_probe-1.0.dist-info/RECORD', '')
    venv = tmp_path / 'venv'
    subprocess.run(['/usr/bin/python3', '-m', 'venv', '--without-pip', str(venv)], check=True)
    out = run('pip', str(venv), 'install', '--disable-pip-version-check', '--no-input', '--no-index',
              '--find-links', str(tmp_path), 'webstack-probe')
    assert out.returncode == 0, out.stdout + out.stderr
    probe = subprocess.run([str(venv / 'bin' / 'python'), '-c', 'import webstack_probe; print(webstack_probe.ANSWER)'],
                           capture_output=True, text=True, check=False)
    assert probe.stdout.strip() == '42'
    assert not list((venv / 'lib').glob('python3*/site-packages/pip'))


def test_apply_gives_the_live_socket_its_new_owner_without_a_restart(monkeypatch, tmp_path):
    sock = tmp_path / 'uwsgi.sock'
    sock.write_text('')
    calls, owned = [], []

    def systemctl(*args, **kwargs):
        calls.append(args)
        out = ('Listen=%s (Stream)\nSocketUser=shop\nSocketGroup=webapps\nSocketMode=0660\n' % sock
               if args[0] == 'show' else '')
        return subprocess.CompletedProcess(args, 0, stdout=out)

    monkeypatch.setattr(ctl, 'systemctl', systemctl)
    monkeypatch.setattr(ctl, 'unit_state', lambda unit: ('active', 'running', 0))
    monkeypatch.setattr(ctl.pwd, 'getpwnam', lambda name: type('pw', (), {'pw_uid': 1001}))
    monkeypatch.setattr(ctl.grp, 'getgrnam', lambda name: type('gr', (), {'gr_gid': 1002}))
    monkeypatch.setattr(ctl.os, 'chown', lambda path, uid, gid: owned.append((str(path), uid, gid)))
    done = ctl.apply({'daemon_reload': True, 'unit': 'uwsgi-app-shop.service', 'socket_unit': 'uwsgi-app-shop.socket',
                      'socket_changed': False, 'socket_reown': True, 'action': 'none', 'workers': [],
                      'stats': '/nonexistent', 'release_dir': '/nonexistent'})
    assert owned == [(str(sock), 1001, 1002)] and oct(sock.stat().st_mode & 0o777) == '0o660'
    assert 'socket %s owned by shop:webapps, mode 0660' % sock in done
    assert not [c for c in calls if c[0] in ('restart', 'stop')]
    assert calls.index(('daemon-reload',)) < calls.index(
        ('show', '--property=Listen,SocketUser,SocketGroup,SocketMode', 'uwsgi-app-shop.socket'))


def test_reown_names_what_it_could_not_do(monkeypatch):
    monkeypatch.setattr(ctl, 'systemctl', lambda *args, **kwargs: subprocess.CompletedProcess(
        args, 0, stdout='Listen=/nonexistent/uwsgi.sock (Stream)\nSocketUser=\nSocketGroup=\nSocketMode=0660\n'))
    with pytest.raises(ctl.Failure, match='could not give /nonexistent/uwsgi.sock the owner and mode of x.socket'):
        ctl.reown_socket('x.socket')
    monkeypatch.setattr(ctl, 'systemctl', lambda *args, **kwargs: subprocess.CompletedProcess(
        args, 0, stdout='Listen=127.0.0.1:80 (Stream)\n'))
    with pytest.raises(ctl.Failure, match='x.socket listens on no path'):
        ctl.reown_socket('x.socket')


def _build_spec(tmp_path, env_file, **extra):
    release = tmp_path / 'releases' / 'r3'
    release.mkdir(parents=True)
    (release / 'wsgi.py').write_text('import os\nGREETING = os.environ["GREETING"]\n\ndef app(environ, start):\n    pass\n')
    spec = {'release_dir': str(release), 'venv': str(release / 'venv'), 'requirements': str(release / 'requirements.txt'),
            'find_links': '', 'pip_args': [], 'shared_dir': str(tmp_path / 'shared'), 'shared': [],
            'user': __import__('pwd').getpwuid(os.geteuid()).pw_name, 'env': env_file, 'module': 'wsgi:app',
            'marker': str(release / '.uwsgi-app-release'), 'release': 'r3'}
    spec.update(extra)
    return spec


def _recording_pip_wheel(directory, code=0):
    """A pip wheel whose pip/__main__.py writes its interpreter's prefix and arguments to pip-args.json (in the
    directory it runs in) and exits with code."""
    import zipfile
    directory.mkdir(exist_ok=True)
    with zipfile.ZipFile(directory / 'pip-24.2-py3-none-any.whl', 'w') as whl:
        whl.writestr('pip/__init__.py', '')
        whl.writestr('pip/__main__.py', 'import json, sys\njson.dump([sys.prefix] + sys.argv[1:], open("pip-args.json", "w"))\n'
                                        'print("pip says no")\nsys.exit(%d)\n' % code)
    return str(directory)


def test_build_makes_the_virtualenv_links_the_shared_paths_imports_and_marks(env_file, tmp_path):
    spec = _build_spec(tmp_path, env_file, shared=['uploads'])
    (Path(spec['release_dir']) / 'uploads').mkdir()
    assert ctl.build(spec, wheels=str(tmp_path / 'no-wheels')) == ['virtualenv', 'shared paths', 'imported', 'marked']
    release = Path(spec['release_dir'])
    assert (release / 'venv' / 'bin' / 'python').exists()
    assert os.readlink(release / 'uploads') == str(tmp_path / 'shared' / 'uploads')
    assert (release / '.uwsgi-app-release').read_text() == 'r3\n'
    assert oct((release / '.uwsgi-app-release').stat().st_mode & 0o777) == '0o644'
    # a virtualenv that is there (the wheelhouse's builder made it) is kept
    assert ctl.build(spec, wheels=str(tmp_path / 'no-wheels')) == ['shared paths', 'imported', 'marked']


def test_build_installs_the_requirements_from_the_wheelhouse_or_with_the_pip_args(env_file, tmp_path):
    wheels = _recording_pip_wheel(tmp_path / 'wheels')
    spec = _build_spec(tmp_path, env_file, find_links='/srv/r3/.wheelhouse', pip_args=['--index-url', 'http://x'])
    Path(spec['requirements']).write_text('flask\n')
    assert ctl.build(spec, wheels=wheels) == ['virtualenv', 'requirements', 'imported', 'marked']
    args = json.loads((Path(spec['release_dir']) / 'pip-args.json').read_text())
    assert args[0] == spec['venv']
    assert args[1:] == ['install', '--disable-pip-version-check', '--no-input', '--log',
                        spec['release_dir'] + '/.uwsgi-app-pip.log', '--requirement', spec['requirements'],
                        '--no-index', '--find-links', '/srv/r3/.wheelhouse']
    spec['find_links'] = ''
    ctl.build(spec, wheels=wheels)
    assert json.loads((Path(spec['release_dir']) / 'pip-args.json').read_text())[-2:] == ['--index-url', 'http://x']


def test_build_names_the_step_that_failed_and_leaves_the_release_unmarked(env_file, tmp_path, capsys):
    spec = _build_spec(tmp_path, env_file, module='wsgi:nope')
    assert ctl.cmd_build([json.dumps(spec)], wheels=str(tmp_path / 'no-wheels')) == 1
    err = capsys.readouterr().err
    assert 'importing wsgi:nope as %s failed (exit 1)' % spec['user'] in err and "no attribute 'nope'" in err
    assert not os.path.exists(spec['marker'])
    Path(spec['requirements']).write_text('flask\n')
    assert ctl.cmd_build([json.dumps(spec)], wheels=_recording_pip_wheel(tmp_path / 'wheels', code=3)) == 1
    assert 'installing the requirements failed (exit 3): pip says no' in capsys.readouterr().err
    assert ctl.cmd_build([json.dumps(spec)], wheels=str(tmp_path / 'no-wheels')) == 1
    assert 'no pip wheel in' in capsys.readouterr().err
    assert not os.path.exists(spec['marker'])


def test_build_through_the_command_line_prints_what_it_did(env_file, tmp_path):
    spec = _build_spec(tmp_path, env_file, requirements=str(tmp_path / 'none.txt'))
    out = run('build', json.dumps(spec))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {'changed': True, 'done': ['virtualenv', 'imported', 'marked']}
