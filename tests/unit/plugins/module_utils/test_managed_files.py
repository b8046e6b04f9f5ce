# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils import managed_files
from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.managed_files import (
    Current,
    ManagedFilesError,
    Wanted,
    differences,
)

ME = __import__('pwd').getpwuid(os.getuid()).pw_name
MY_GROUP = __import__('grp').getgrgid(os.getgid()).gr_name
PY = sys.executable


def run(argv):
    """What the module's run_command gives: (rc, stdout, stderr) as text."""
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout, proc.stderr


def FileSet(*args, **kwargs):  # pylint: disable=invalid-name  # stands for the class, with a command runner
    kwargs.setdefault('run', run)
    return managed_files.FileSet(*args, **kwargs)


def wanted(path, **kw):
    kw.setdefault('owner', ME)
    kw.setdefault('group', MY_GROUP)
    return dict(path=str(path), **kw)


def mode_of(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_creates_files_links_and_directories(tmp_path):
    files = [
        wanted(tmp_path / 'd', state='directory', mode='0750'),
        wanted(tmp_path / 'd' / 'a.conf', content='a\n', mode='0640'),
        wanted(tmp_path / 'link', state='link', src=str(tmp_path / 'd' / 'a.conf')),
    ]
    fs = FileSet(files)
    assert [c.reasons for c in fs.plan()] == [['create']] * 3
    fs.apply()
    assert mode_of(tmp_path / 'd') == 0o750
    assert (tmp_path / 'd' / 'a.conf').read_text() == 'a\n' and mode_of(tmp_path / 'd' / 'a.conf') == 0o640
    assert os.readlink(tmp_path / 'link') == str(tmp_path / 'd' / 'a.conf')
    assert FileSet(files).plan() == []


def test_reports_each_difference(tmp_path):
    target = tmp_path / 'f'
    target.write_text('old\n')
    os.chmod(target, 0o600)
    reasons = FileSet([wanted(target, content='new\n', mode='0644')]).plan()[0].reasons
    assert reasons == ['content', 'mode 0600 -> 0644']


def test_owner_difference_for_an_unknown_user_in_check_mode():
    current = Current('file', data=b'x', mode=0o644, uid=0, gid=0)
    assert 'owner' in differences(Wanted(path='/x', content='x', mode=0o644, owner='no-such-user-x'), current,
                                  strict=False)
    with pytest.raises(ManagedFilesError, match='user no-such-user-x does not exist'):
        differences(Wanted(path='/x', content='x', owner='no-such-user-x'), current, strict=True)


def test_link_retargeted_atomically(tmp_path):
    (tmp_path / 'r1').mkdir()
    (tmp_path / 'r2').mkdir()
    os.symlink(str(tmp_path / 'r1'), str(tmp_path / 'current'))
    fs = FileSet([wanted(tmp_path / 'current', state='link', src=str(tmp_path / 'r2'))])
    assert fs.plan()[0].reasons == ['target']
    fs.apply()
    assert os.readlink(tmp_path / 'current') == str(tmp_path / 'r2')


def test_a_directory_never_becomes_a_file(tmp_path):
    (tmp_path / 'd').mkdir()
    with pytest.raises(ManagedFilesError, match='is a directory'):
        FileSet([wanted(tmp_path / 'd', content='x')]).plan()


def test_validate_rejects_before_anything_changes(tmp_path):
    good, bad = tmp_path / 'good', tmp_path / 'bad'
    good.write_text('1\n')
    fs = FileSet([wanted(good, content='2\n'), wanted(bad, content='broken\n', validate='grep -q ^ok %s')])
    fs.plan()
    with pytest.raises(ManagedFilesError, match='was rejected by "grep -q \\^ok %s"'):
        fs.apply()
    assert good.read_text() == '1\n' and not bad.exists()
    assert [p.name for p in tmp_path.iterdir()] == ['good']  # no staged file left


def test_validate_sees_the_new_content(tmp_path):
    fs = FileSet([wanted(tmp_path / 'f', content='ok\n', validate='grep -q ^ok %s')])
    fs.plan()
    fs.apply()
    assert (tmp_path / 'f').read_text() == 'ok\n'


def test_absent_and_purge_keep_what_is_wanted_or_unmarked(tmp_path):
    for name, text in [('a.conf', '# mine\n'), ('b.conf', '# mine\n'), ('c.conf', '# hand written\n'), ('d.txt', '# mine')]:
        (tmp_path / name).write_text(text)
    fs = FileSet([wanted(tmp_path / 'a.conf', content='# mine\n')],
                 purge=[{'path': str(tmp_path), 'patterns': ['*.conf'], 'contains': '# mine'}])
    assert [c.path for c in fs.plan()] == [str(tmp_path / 'b.conf')]
    fs.apply()
    assert sorted(p.name for p in tmp_path.iterdir()) == ['a.conf', 'c.conf', 'd.txt']


def test_failed_check_puts_everything_back(tmp_path):
    keep = tmp_path / 'keep'
    keep.write_text('v1\n')
    os.chmod(keep, 0o600)
    link = tmp_path / 'link'
    os.symlink('v1', str(link))
    fs = FileSet([wanted(keep, content='v2\n', mode='0644'), wanted(tmp_path / 'new', content='n\n'),
                  wanted(link, state='link', src='v2')], marker=str(tmp_path / 'pending'))
    fs.plan()
    fs.apply()
    assert keep.read_text() == 'v2\n' and (tmp_path / 'pending').exists()
    with pytest.raises(ManagedFilesError, match=r'false failed \(check, rc=1\); every changed file was put back'):
        fs.check_and_reload([{'argv': ['false']}], [['true']])
    assert keep.read_text() == 'v1\n' and mode_of(keep) == 0o600
    assert not (tmp_path / 'new').exists() and os.readlink(link) == 'v1'
    assert not (tmp_path / 'pending').exists()


def test_failed_reload_puts_everything_back_and_fail_regex(tmp_path):
    target = tmp_path / 'f'
    target.write_text('v1\n')
    fs = FileSet([wanted(target, content='v2\n')])
    fs.plan()
    fs.apply()
    with pytest.raises(ManagedFilesError, match=r'passed but warned \(check\): conflicting server name x; this warning '
                                                r'is treated as an error; every changed file was put back'):
        fs.check_and_reload([{'argv': [PY, '-c', 'print("conflicting server name x")'], 'fail_regex': 'conflicting'}])
    assert target.read_text() == 'v1\n'
    fs = FileSet([wanted(target, content='v2\n')])
    fs.plan()
    fs.apply()
    with pytest.raises(ManagedFilesError, match=r'\(reload, rc=1\)'):
        fs.check_and_reload([{'argv': ['true']}], [['false']])
    assert target.read_text() == 'v1\n'


def test_marker_stays_until_a_reload_succeeds(tmp_path):
    marker = tmp_path / 'state' / 'pending'
    target = tmp_path / 'f'
    fs = FileSet([wanted(target, content='v1\n')], marker=str(marker))
    fs.plan()
    fs.apply()
    assert fs.pending
    # the run dies before its reload: the next run has no file to change but is pending
    fs = FileSet([wanted(target, content='v1\n')], marker=str(marker))
    assert fs.plan() == [] and fs.pending
    with pytest.raises(ManagedFilesError, match='no file had changed'):
        fs.check_and_reload([], [['false']])
    assert marker.exists(), 'a pending reload that failed again stays pending'
    fs.check_and_reload([], [['true']])
    assert not marker.exists() and not fs.pending


def test_marker_without_reload_is_left_for_the_caller(tmp_path):
    marker = tmp_path / 'pending'
    fs = FileSet([wanted(tmp_path / 'f', content='x\n')], marker=str(marker))
    fs.plan()
    fs.apply()
    fs.check_and_reload([{'argv': ['true']}], [])
    assert marker.exists()


def test_diffs_show_content_unless_hidden(tmp_path):
    (tmp_path / 'f').write_text('old\n')
    fs = FileSet([wanted(tmp_path / 'f', content='new\n'), wanted(tmp_path / 'key', content='secret\n', diff=False)])
    fs.plan()
    diffs = {d['after_header']: d for d in fs.diffs()}
    assert diffs[str(tmp_path / 'f')]['before'] == 'old\n' and diffs[str(tmp_path / 'f')]['after'] == 'new\n'
    assert 'secret' not in repr(diffs[str(tmp_path / 'key')])


@pytest.mark.parametrize('data, message', [
    ({'path': '/x', 'content': 'x', 'mode': '644x'}, 'must be an octal string'),
    ({'path': '/x'}, 'state=file needs content or content_from'),
    ({'path': '/x', 'content': 'a', 'content_from': '/y'}, 'mutually exclusive'),
    ({'path': '/x', 'state': 'link'}, 'state=link needs src'),
])
def test_bad_entries(data, message):
    with pytest.raises(ManagedFilesError, match=message):
        Wanted.from_dict(data)


def test_same_path_twice_is_refused(tmp_path):
    with pytest.raises(ManagedFilesError, match='paths given twice'):
        FileSet([wanted(tmp_path / 'a', content='1'), wanted(tmp_path / 'a', content='2')])


def test_directory_removed_with_its_content(tmp_path):
    (tmp_path / 'r1').mkdir()
    (tmp_path / 'r1' / 'x').write_text('x')
    fs = FileSet([wanted(tmp_path / 'r1', state='absent')])
    assert fs.plan()[0].reasons == ['remove directory']
    fs.apply()
    assert not (tmp_path / 'r1').exists()


def test_backup_and_restore(tmp_path):
    from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.managed_files import restore_backup
    (tmp_path / 'ini').write_text('old\n')
    os.symlink('r1', str(tmp_path / 'current'))
    backup = str(tmp_path / 'state' / 'backup.json')
    fs = FileSet([wanted(tmp_path / 'ini', content='new\n'), wanted(tmp_path / 'current', state='link', src='r2'),
                  wanted(tmp_path / 'unit', content='u\n')])
    fs.plan()
    fs.apply(backup_file=backup)
    assert mode_of(backup) == 0o600
    assert (tmp_path / 'ini').read_text() == 'new\n' and os.readlink(tmp_path / 'current') == 'r2'
    assert sorted(restore_backup(backup)) == sorted(str(tmp_path / n) for n in ('ini', 'current', 'unit'))
    assert (tmp_path / 'ini').read_text() == 'old\n' and os.readlink(tmp_path / 'current') == 'r1'
    assert not (tmp_path / 'unit').exists() and not os.path.exists(backup)
    assert restore_backup(backup) == []


def test_restore_says_what_each_path_is_again(tmp_path):
    from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.managed_files import restore_backup
    (tmp_path / 'ini').write_text('old\n')
    backup = str(tmp_path / 'backup.json')
    fs = FileSet([wanted(tmp_path / 'ini', content='new\n'), wanted(tmp_path / 'worker.service', content='w\n')])
    fs.plan()
    fs.apply(backup_file=backup)
    kinds = {}
    restore_backup(backup, kinds=kinds)
    assert kinds == {str(tmp_path / 'ini'): 'file', str(tmp_path / 'worker.service'): 'absent'}


def test_content_from_a_file_of_the_host(tmp_path):
    (tmp_path / 'staged').write_text('new key\n')
    (tmp_path / 'key').write_text('old key\n')
    fs = FileSet([wanted(tmp_path / 'key', content_from=str(tmp_path / 'staged'), mode='0600')])
    os.chmod(tmp_path / 'key', 0o644)
    assert [c.reasons for c in fs.plan()] == [['content', 'mode 0644 -> 0600']]
    assert 'new key' not in repr(fs.diffs()), 'a staged key is never shown'
    fs.apply()
    assert (tmp_path / 'key').read_text() == 'new key\n' and mode_of(tmp_path / 'key') == 0o600
    assert FileSet([wanted(tmp_path / 'key', content_from=str(tmp_path / 'staged'), mode='0600')]).plan() == []
    with pytest.raises(ManagedFilesError, match=r'key: cannot read its content from .*missing'):
        FileSet([wanted(tmp_path / 'key', content_from=str(tmp_path / 'missing'))]).plan()


def test_journal_lives_while_a_change_is_unchecked(tmp_path):
    journal = tmp_path / 'journals' / 'site.journal'
    target = tmp_path / 'f'
    target.write_text('v1\n')
    fs = FileSet([wanted(target, content='v2\n')], journal=str(journal))
    fs.plan()
    fs.apply()
    assert journal.exists() and mode_of(journal) == 0o600 and target.read_text() == 'v2\n'
    fs.check_and_reload([{'argv': ['true']}], [['true']])
    assert not journal.exists()
    # a failed check puts the paths back and ends the journal too
    fs = FileSet([wanted(target, content='v3\n')], journal=str(journal))
    fs.plan()
    fs.apply()
    with pytest.raises(ManagedFilesError):
        fs.check_and_reload([{'argv': ['false']}])
    assert not journal.exists() and target.read_text() == 'v2\n'


def test_an_interrupted_change_is_put_back_by_any_call_of_the_directory(tmp_path):
    from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.managed_files import recover_journals
    journals = tmp_path / 'journals'
    site, conf = tmp_path / 'site.conf', tmp_path / 'nginx.conf'
    site.write_text('good\n')
    fs = FileSet([wanted(site, content='broken\n'), wanted(tmp_path / 'new.conf', content='n\n')],
                 journal=str(journals / 'site.journal'))
    fs.plan()
    fs.apply()  # the run dies here: neither checked nor put back
    assert site.read_text() == 'broken\n'
    # another role's call (another journal of the directory) puts it back first
    assert sorted(recover_journals(str(journals / 'nginx.journal'))) == [str(tmp_path / 'new.conf'), str(site)]
    assert site.read_text() == 'good\n' and not (tmp_path / 'new.conf').exists()
    assert list(journals.iterdir()) == [] and not conf.exists()
    assert recover_journals(str(tmp_path / 'nowhere' / 'x.journal')) == []


needs_namespaces = pytest.mark.skipif(
    os.geteuid() != 0 or subprocess.run(['unshare', '--mount', 'true'], capture_output=True, check=False).returncode,
    reason='a trial needs root and unshare --mount')


def _reads(*paths):
    """A check that prints what it finds at paths (inside the trial's namespace)."""
    return {'argv': ['/bin/sh', '-c', 'for p in "$@"; do if [ -e "$p" ]; then cat "$p"; else echo "no $p"; fi; done',
                     'sh'] + [str(p) for p in paths]}


@needs_namespaces
def test_a_trial_checks_the_result_and_changes_nothing(tmp_path):
    conf = tmp_path / 'etc' / 'conf.d'
    conf.mkdir(parents=True)
    (conf / 'a.conf').write_text('server a\n')
    (conf / 'gone.conf').write_text('gone\n')
    files = [wanted(conf / 'a.conf', content='server a2\n'), wanted(conf / 'b.conf', content='server b\n'),
             wanted(conf / 'gone.conf', state='absent'), wanted(tmp_path / 'etc' / 'new' / 'c.conf', content='c\n')]
    fs = FileSet(files)
    fs.plan()
    outputs = fs.trial([_reads(conf / 'a.conf', conf / 'b.conf', conf / 'gone.conf', tmp_path / 'etc/new/c.conf')])
    assert outputs[0]['stdout'].splitlines() == ['server a2', 'server b', 'no %s' % (conf / 'gone.conf'), 'c']
    # nothing changed on the host
    assert sorted(p.name for p in conf.iterdir()) == ['a.conf', 'gone.conf']
    assert (conf / 'a.conf').read_text() == 'server a\n' and not (tmp_path / 'etc' / 'new').exists()


@needs_namespaces
def test_a_failed_trial_names_the_files_a_warning_quotes(tmp_path):
    sites = tmp_path / 'sites'
    sites.mkdir()
    (sites / 'old.conf').write_text('server_name shop.test;\n')
    fs = FileSet([wanted(sites / 'new.conf', content='server_name shop.test;\n')])
    fs.plan()
    warn = {'argv': [PY, '-c', 'import sys; sys.stderr.write(\'[warn] conflicting server name "shop.test" on 0.0.0.0:80\')'],
            'fail_regex': 'conflicting server name'}
    with pytest.raises(ManagedFilesError, match=r'passed but warned \(trial\): \[warn\] conflicting server name '
                                                r'"shop.test" on 0.0.0.0:80; this warning is treated as an error '
                                                r'\("shop.test" in .*/sites/new.conf, .*/sites/old.conf\) on a copy '
                                                r'with the new files \(.*/sites/new.conf\), so nothing was changed'):
        fs.trial([warn])
    with pytest.raises(ManagedFilesError, match=r'false failed \(trial, rc=1\) on a copy'):
        fs.trial([{'argv': ['false']}])
    assert not (sites / 'new.conf').exists()


@needs_namespaces
def test_a_trial_validates_the_new_files(tmp_path):
    fs = FileSet([wanted(tmp_path / 'app.ini', content='bad\n', validate='grep -q good %s')])
    fs.plan()
    with pytest.raises(ManagedFilesError, match=r'app.ini was rejected by "grep -q good %s" \(rc=1\), nothing was changed'):
        fs.trial([{'argv': ['true']}])
    assert not (tmp_path / 'app.ini').exists()


def test_a_trial_without_change_or_check_runs_nothing(tmp_path):
    (tmp_path / 'f').write_text('same\n')
    fs = managed_files.FileSet([wanted(tmp_path / 'f', content='same\n')])  # no runner: nothing may run
    fs.plan()
    assert fs.trial([{'argv': ['false']}]) == []


def test_commands_need_a_runner(tmp_path):
    fs = managed_files.FileSet([wanted(tmp_path / 'f', content='ok\n', validate='true %s')])
    fs.plan()
    with pytest.raises(ManagedFilesError, match='no command runner'):
        fs.apply()
