# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Bring a set of files, symlinks and directories to a wanted state in one pass, as one change.

The logic of the ``managed_files`` module, kept here so it can be tested
without Ansible. A :class:`FileSet` reads what is on disk, works out what
differs (content, mode, owner, group, link target), and on :meth:`apply`
first stages and validates every new file next to its target, then renames
them into place, runs the check commands on the whole result and, when a
check or a reload fails, puts every changed path back as it was.

A *marker* file records that the running service has not yet loaded the
files on disk: it is written before the change and removed only after the
reload succeeded, so a run that failed between the two (or a reload that
failed) leaves it behind and the next run reloads even when no file differs.

A *journal* records what every changed path was while a change is neither
checked nor put back (between the first rename and the end of the checks and
reloads). A call that finds journals left in its journal's directory (a run
killed there: the controller, the connection, the host) puts their paths back
first, so the files of a service are always the last ones that passed its
checks, whichever call of whichever role changed them.

:meth:`FileSet.trial` checks a change without making it: the changed paths
are written into a copy of the directories that hold them, and the checks run
in a private mount namespace where the copies are mounted over the live
directories (``unshare``), so ``nginx -t`` or ``systemd-analyze verify`` see
the result while nothing on the host changes.
"""

from __future__ import annotations

import base64
import errno
import fnmatch
import grp
import hashlib
import json
import os
import pwd
import re
import shlex
import shutil
import stat
import tempfile
from dataclasses import dataclass, field


class ManagedFilesError(Exception):
    """A change that could not be made; the message says which path and why."""

    def __init__(self, msg, **details):
        super().__init__(msg)
        self.details = details


@dataclass
class Wanted:
    """One path and the state it should be in."""

    path: str
    state: str = 'file'
    content: str | None = None
    src: str | None = None
    mode: int | None = None
    owner: str = 'root'
    group: str = 'root'
    validate: str | None = None
    diff: bool = True
    sha1: str | None = None  # compare only: the SHA-1 of the wanted content (which stays on the controller)
    content_from: str | None = None  # a file of the host whose content this file gets (read by plan())

    @classmethod
    def from_dict(cls, data: dict) -> 'Wanted':
        mode = data.get('mode')
        if mode is not None and not isinstance(mode, int):
            text = str(mode)
            if not re.match(r'^0?[0-7]{3,4}$', text):
                raise ManagedFilesError('%s: mode %r must be an octal string such as 0644' % (data.get('path'), mode))
            mode = int(text, 8)
        state = data.get('state') or 'file'
        secret = data.get('secret_content')
        if secret is not None:
            if data.get('content') is not None:
                raise ManagedFilesError('%s: content and secret_content are mutually exclusive' % data.get('path'))
            data = dict(data, content=secret, diff=False)
        if state == 'file' and data.get('content') is None and not data.get('sha1') and not data.get('content_from'):
            raise ManagedFilesError('%s: state=file needs content or content_from' % data.get('path'))
        if data.get('content_from') and data.get('content') is not None:
            raise ManagedFilesError('%s: content and content_from are mutually exclusive' % data.get('path'))
        if state == 'link' and not data.get('src'):
            raise ManagedFilesError('%s: state=link needs src' % data.get('path'))
        return cls(path=os.path.normpath(data['path']), state=state, content=data.get('content'), src=data.get('src'),
                   mode=mode, owner=data.get('owner') or 'root', group=data.get('group') or 'root',
                   validate=data.get('validate'), diff=data.get('diff', True) is not False and not data.get('content_from'),
                   sha1=data.get('sha1'), content_from=data.get('content_from'))

    def read_content_from(self, strict=True):
        """Take the content of ``content_from`` (a staged key or certificate of the host).

        Not ``strict`` (check mode), a file that is not there yet (an earlier
        task that check mode skipped would have written it) leaves the
        content unknown: a change.
        """
        if not self.content_from or self.state != 'file':
            return
        try:
            with open(self.content_from, 'rb') as handle:
                self.content = handle.read().decode('utf-8', 'surrogateescape')
        except OSError as exc:
            if not strict and exc.errno == errno.ENOENT:
                return
            raise ManagedFilesError('%s: cannot read its content from %s: %s'
                                    % (self.path, self.content_from, exc.strerror or exc))

    @property
    def data(self) -> bytes:
        return self.content.encode('utf-8', 'surrogateescape')


@dataclass
class Current:
    """What is at a path now (what a restore puts back)."""

    kind: str  # absent, file, link, directory, other
    data: bytes | None = None
    target: str | None = None
    mode: int | None = None
    uid: int | None = None
    gid: int | None = None

    @classmethod
    def read(cls, path: str) -> 'Current':
        try:
            st = os.lstat(path)
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                return cls('absent')
            raise
        meta = dict(mode=stat.S_IMODE(st.st_mode), uid=st.st_uid, gid=st.st_gid)
        if stat.S_ISLNK(st.st_mode):
            return cls('link', target=os.readlink(path), **meta)
        if stat.S_ISDIR(st.st_mode):
            return cls('directory', **meta)
        if stat.S_ISREG(st.st_mode):
            with open(path, 'rb') as handle:
                return cls('file', data=handle.read(), **meta)
        return cls('other', **meta)


@dataclass
class Change:
    """What will happen to one path."""

    wanted: Wanted
    current: Current
    reasons: list = field(default_factory=list)
    staged: str | None = None

    @property
    def path(self):
        return self.wanted.path


def _uid(name: str, strict: bool) -> int | None:
    try:
        return pwd.getpwnam(name).pw_uid
    except KeyError:
        if strict:
            raise ManagedFilesError('user %s does not exist' % name)
        return None


def _gid(name: str, strict: bool) -> int | None:
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        if strict:
            raise ManagedFilesError('group %s does not exist' % name)
        return None


def sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def differences(wanted: Wanted, current: Current, strict: bool = True) -> list[str]:
    """Why ``current`` is not ``wanted`` (empty when it is)."""
    if wanted.state == 'absent':
        return [] if current.kind == 'absent' else ['remove %s' % current.kind]
    kind = 'directory' if wanted.state == 'directory' else wanted.state
    if current.kind != kind:
        return ['create' if current.kind == 'absent' else 'replace %s' % current.kind]
    reasons = []
    if kind == 'file':
        if wanted.content is not None and current.data != wanted.data:
            reasons.append('content')
        elif wanted.content is None and (wanted.sha1 is None or sha1(current.data) != wanted.sha1):
            reasons.append('content')  # (no sha1: the content is not known yet)
    if kind == 'link':
        if current.target != wanted.src:
            reasons.append('target')
        return reasons  # the mode and owner of a symlink do not matter
    if wanted.mode is not None and current.mode != wanted.mode:
        reasons.append('mode %04o -> %04o' % (current.mode, wanted.mode))
    uid, gid = _uid(wanted.owner, strict), _gid(wanted.group, strict)
    if uid is None or current.uid != uid:
        reasons.append('owner')
    if gid is None or current.gid != gid:
        reasons.append('group')
    return reasons


@dataclass
class Purge:
    """Files in ``path`` matching ``patterns`` whose first lines hold ``contains``, to remove unless wanted."""

    path: str
    patterns: list
    contains: str = ''

    def matches(self) -> list[str]:
        try:
            names = sorted(os.listdir(self.path))
        except OSError:
            return []
        found = []
        for name in names:
            full = os.path.join(self.path, name)
            if not any(fnmatch.fnmatch(name, p) for p in self.patterns) or not os.path.isfile(full):
                continue
            if self.contains:
                with open(full, 'rb') as handle:
                    head = handle.read(4096).decode('utf-8', 'replace')
                if self.contains not in head:
                    continue
            found.append(full)
        return found


class FileSet:
    """Compare, apply, check, reload and, on failure, put back a set of paths."""

    def __init__(self, wanted, purge=(), marker=None, run=None, journal=None):
        self.wanted = [w if isinstance(w, Wanted) else Wanted.from_dict(w) for w in wanted]
        paths = [w.path for w in self.wanted]
        duplicates = sorted({p for p in paths if paths.count(p) > 1})
        if duplicates:
            raise ManagedFilesError('paths given twice: %s' % ', '.join(duplicates))
        for rule in purge or ():
            if not isinstance(rule, Purge):
                rule = Purge(rule['path'], list(rule.get('patterns') or ['*']), rule.get('contains') or '')
            for path in rule.matches():
                if path not in paths:
                    self.wanted.append(Wanted(path=path, state='absent'))
                    paths.append(path)
        self.marker = marker
        self.marker_before = bool(marker) and os.path.lexists(marker)
        self.run = run or _no_run
        self.journal = journal
        self.changes: list[Change] = []

    # ------------------------------------------------------------ compare

    def plan(self, strict=True) -> list[Change]:
        """The paths that differ from what is wanted, directories first."""
        order = {'directory': 0, 'file': 1, 'link': 2, 'absent': 3}
        changes = []
        for wanted in sorted(self.wanted, key=lambda w: (order[w.state], w.path.count('/') if w.state == 'directory' else 0)):
            wanted.read_content_from(strict)
            current = Current.read(wanted.path)
            if current.kind == 'directory' and wanted.state in ('file', 'link'):
                raise ManagedFilesError('%s is a directory; it cannot become a %s' % (wanted.path, wanted.state))
            reasons = differences(wanted, current, strict)
            if reasons:
                changes.append(Change(wanted, current, reasons))
        self.changes = changes
        return changes

    @property
    def pending(self) -> bool:
        return bool(self.marker) and os.path.lexists(self.marker)

    def diffs(self) -> list[dict]:
        out = []
        for change in self.changes:
            wanted, current = change.wanted, change.current
            if not wanted.diff:
                out.append({'before_header': wanted.path, 'after_header': wanted.path,
                            'before': '(not shown)\n', 'after': '(not shown, %s)\n' % ', '.join(change.reasons)})
                continue
            out.append({
                'before_header': wanted.path, 'after_header': wanted.path,
                'before': _describe(current), 'after': _describe_wanted(wanted),
            })
        return out

    # ------------------------------------------------------------ apply

    def save_backup(self, path: str):
        """Write what every changed path is now to ``path`` (JSON, mode 0600), for :func:`restore_backup`."""
        entries = []
        for change in self.changes:
            cur = change.current
            data = base64.b64encode(cur.data).decode('ascii') if cur.data is not None else None
            entries.append({'path': change.path, 'wanted': change.wanted.state, 'kind': cur.kind, 'data': data,
                            'target': cur.target, 'mode': cur.mode, 'uid': cur.uid, 'gid': cur.gid})
        _makedirs(os.path.dirname(path))
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
        with os.fdopen(fd, 'w') as handle:
            json.dump(entries, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.rename(tmp, path)

    def apply(self, backup_file=None) -> list[Change]:
        """Stage and validate every new file, then put every change in place (directories first)."""
        try:
            for change in self.changes:
                if change.wanted.state == 'file':
                    self._stage(change)
        except ManagedFilesError:
            self._unstage()
            raise
        if backup_file:
            if self.changes:
                self.save_backup(backup_file)
            else:
                _remove(backup_file)  # it holds what this call replaced: nothing
        if self.changes and self.marker:
            _touch(self.marker)
        if self.changes and self.journal:
            self.save_backup(self.journal)  # until the checks and reloads passed, or the paths were put back
        done = []
        try:
            for change in self.changes:
                self._commit(change)
                done.append(change)
        except OSError as exc:
            self.restore(done)
            self._unstage()
            self.finish()
            raise ManagedFilesError('%s: %s' % (change.path, exc))
        return done

    def finish(self):
        """The change is over (checked and loaded, or put back): its journal goes."""
        if self.journal:
            _remove(self.journal)

    def _stage(self, change: Change):
        wanted = change.wanted
        directory = os.path.dirname(wanted.path)
        _makedirs(directory)
        fd, tmp = tempfile.mkstemp(prefix='.%s.' % os.path.basename(wanted.path), suffix='.tmp', dir=directory)
        change.staged = tmp
        with os.fdopen(fd, 'wb') as handle:
            handle.write(wanted.data)
        os.chmod(tmp, wanted.mode if wanted.mode is not None else 0o644)
        os.chown(tmp, _uid(wanted.owner, True), _gid(wanted.group, True))
        self._validate(wanted, tmp)

    def _validate(self, wanted: Wanted, staged: str):
        """Run the ``validate`` command of ``wanted`` on its staged copy ``staged``; raise when it rejects it."""
        if not wanted.validate:
            return
        if '%s' not in wanted.validate:
            raise ManagedFilesError('%s: validate must contain %%s: %s' % (wanted.path, wanted.validate))
        rc, out, err = self.run(shlex.split(wanted.validate.replace('%s', shlex.quote(staged))))
        if rc != 0:
            text = (err or out or '').replace(staged, wanted.path).strip()
            raise ManagedFilesError('%s was rejected by "%s" (rc=%d), nothing was changed: %s'
                                    % (wanted.path, wanted.validate, rc, text), rc=rc, stdout=out, stderr=err)

    def _unstage(self):
        for change in self.changes:
            if change.staged and os.path.lexists(change.staged):
                os.unlink(change.staged)
            change.staged = None

    def _commit(self, change: Change):
        wanted = change.wanted
        if wanted.state == 'file':
            os.rename(change.staged, wanted.path)
            change.staged = None
        elif wanted.state == 'link':
            _makedirs(os.path.dirname(wanted.path))
            tmp = '%s.%d.tmp' % (wanted.path, os.getpid())
            if os.path.lexists(tmp):
                os.unlink(tmp)
            os.symlink(wanted.src, tmp)
            os.rename(tmp, wanted.path)
        elif wanted.state == 'directory':
            if change.current.kind not in ('absent', 'directory'):
                os.unlink(wanted.path)
            _makedirs(os.path.dirname(wanted.path))
            if not os.path.isdir(wanted.path):
                os.mkdir(wanted.path)
            if wanted.mode is not None:
                os.chmod(wanted.path, wanted.mode)
            os.chown(wanted.path, _uid(wanted.owner, True), _gid(wanted.group, True))
        elif wanted.state == 'absent':
            if change.current.kind == 'directory':
                shutil.rmtree(wanted.path)
            else:
                os.unlink(wanted.path)

    def restore(self, changes=None):
        """Put the paths of ``changes`` (default: every change) back as they were, newest first."""
        for change in reversed(list(self.changes if changes is None else changes)):
            current, path = change.current, change.path
            if current.kind == 'directory' and change.wanted.state == 'directory':
                if current.mode is not None:
                    os.chmod(path, current.mode)
                os.chown(path, current.uid, current.gid)
                continue
            if change.wanted.state == 'directory' and current.kind == 'absent':
                try:
                    os.rmdir(path)
                except OSError:
                    pass
                continue
            if current.kind == 'directory':
                continue  # a removed directory cannot be put back
            if os.path.lexists(path) and not os.path.isdir(path) or os.path.islink(path):
                os.unlink(path)
            if current.kind == 'file':
                fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
                with os.fdopen(fd, 'wb') as handle:
                    handle.write(current.data)
                os.chmod(tmp, current.mode)
                os.chown(tmp, current.uid, current.gid)
                os.rename(tmp, path)
            elif current.kind == 'link':
                os.symlink(current.target, path)

    # ------------------------------------------------------------ commands

    def check_and_reload(self, checks=(), reloads=()):
        """Run the checks, then the reloads; on a failure put every change back and raise.

        Returns the output of the commands. The marker is removed after the
        reloads succeeded (only when there are reloads: without them the
        caller reloads and removes it), the journal once the change is over
        either way.
        """
        outputs = []
        for index, command in enumerate(list(checks) + [{'argv': r} for r in reloads]):
            argv = command['argv']
            rc, out, err = self.run(argv)
            outputs.append({'argv': argv, 'rc': rc, 'stdout': out, 'stderr': err})
            what = 'check' if index < len(checks) else 'reload'
            problem = command_problem(command, rc, out, err, self._texts, what)
            if problem:
                self.restore()
                if self.marker and not self.marker_before:
                    _remove(self.marker)  # what runs is what is on disk again
                self.finish()
                raise ManagedFilesError(
                    '%s; %s: %s' % (
                        problem,
                        'every changed file was put back and nothing was reloaded' if self.changes
                        else 'no file had changed', _output(out, err)),
                    rc=rc, stdout=out, stderr=err, commands=outputs)
        if reloads and self.marker:
            _remove(self.marker)
        self.finish()
        return outputs

    def _texts(self, root=''):
        """Path to text of the wanted files and of the other files in their directories (under ``root``)."""
        texts = {}
        for directory in sorted({os.path.dirname(w.path) for w in self.wanted}):
            try:
                names = os.listdir(root + directory)
            except OSError:
                continue
            for name in names:
                full = os.path.join(directory, name)
                if os.path.isfile(root + full):
                    try:
                        with open(root + full, 'rb') as handle:
                            texts[full] = handle.read(1 << 20).decode('utf-8', 'replace')
                    except OSError:
                        pass
        for wanted in self.wanted:
            if wanted.state == 'file' and wanted.content is not None and wanted.diff:
                texts[wanted.path] = wanted.content
            elif wanted.state == 'absent':
                texts.pop(wanted.path, None)
        return texts

    # ------------------------------------------------------------ trial

    def trial(self, checks=()) -> list[dict]:
        """Run ``checks`` on the result of the change without making it; raise when one fails.

        The directories that hold the changed paths are copied, the changes
        made in the copies, and each check runs in a private mount namespace
        (``unshare --mount``) where the copies are mounted over the live
        directories. New files are staged and validated in the copies.
        Nothing on the host changes.
        """
        changes = [c for c in self.changes if not (c.wanted.state == 'directory' and c.current.kind == 'directory')]
        if not changes or not checks:
            return []
        work = tempfile.mkdtemp(prefix='managed-files-trial.')
        try:
            roots = _trial_roots([c.path for c in changes])
            for root in roots:
                shutil.copytree(root, work + root, symlinks=True)
            for change in changes:
                self._trial_commit(change, work)
            script = ' && '.join('mount --bind %s %s' % (shlex.quote(work + root), shlex.quote(root)) for root in roots)
            outputs = []
            for command in checks:
                argv = ['unshare', '--mount', '--propagation', 'private', '--', '/bin/sh', '-c',
                        script + ' && exec "$@"', 'sh'] + list(command['argv'])
                rc, out, err = self.run(argv)
                outputs.append({'argv': command['argv'], 'rc': rc, 'stdout': out, 'stderr': err})
                problem = command_problem(command, rc, out, err, lambda: self._texts(work), 'trial')
                if problem:
                    raise ManagedFilesError('%s on a copy with the new files (%s), so nothing was changed: %s'
                                            % (problem, ', '.join(c.path for c in changes), _output(out, err)),
                                            rc=rc, stdout=out, stderr=err, commands=outputs)
            return outputs
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _trial_commit(self, change: Change, work: str):
        wanted = change.wanted
        path = work + wanted.path
        _makedirs(os.path.dirname(path))
        if os.path.lexists(path) and not os.path.isdir(path) or os.path.islink(path):
            os.unlink(path)
        if wanted.state == 'file':
            with open(path, 'wb') as handle:
                handle.write(wanted.data)
            os.chmod(path, wanted.mode if wanted.mode is not None else 0o644)
            uid, gid = _uid(wanted.owner, False), _gid(wanted.group, False)
            os.chown(path, 0 if uid is None else uid, 0 if gid is None else gid)
            self._validate(wanted, path)
        elif wanted.state == 'link':
            os.symlink(wanted.src, path)
        elif wanted.state == 'directory':
            if not os.path.isdir(path):
                os.mkdir(path)
        elif wanted.state == 'absent' and os.path.isdir(path):
            shutil.rmtree(path)


def command_problem(command: dict, rc: int, out: str, err: str, texts=None, what: str = 'check') -> str | None:
    """What is wrong with the result of a check or reload command, or None.

    A command fails when it exits non-zero, or when its output matches
    ``fail_regex``: a warning treated as an error (``nginx -t`` passes with a
    conflicting server name, then ignores one of the two servers). Then the
    message quotes the warning and names the files that mention what it
    quotes, so that the sites involved are named: ``texts`` returns them (path
    to text) and is called only then, as it reads the files' directories.
    """
    argv = ' '.join(command['argv'])
    if rc != 0:
        return '%s failed (%s, rc=%d)' % (argv, what, rc)
    bad = command.get('fail_regex')
    lines = [line.strip() for line in '\n'.join(x for x in (out, err) if x).splitlines()
             if bad and re.search(bad, line)]
    if not lines:
        return None
    quoted = sorted({q for line in lines for q in re.findall(r'"([^"]+)"', line)})
    involved = sorted(path for path, text in (texts() if texts else {}).items() if any(q in text for q in quoted))
    return '%s passed but warned (%s): %s; this warning is treated as an error%s' % (
        argv, what, ' '.join(lines),
        ' (%s in %s)' % (', '.join('"%s"' % q for q in quoted), ', '.join(involved)) if involved else '')


def _output(out: str, err: str) -> str:
    return '\n'.join(x for x in (out, err) if x).strip() or '(no output)'


def _trial_roots(paths) -> list[str]:
    """The existing directories to copy for a trial of ``paths``: the nearest existing one above each."""
    found = set()
    for path in paths:
        directory = os.path.dirname(path)
        while not os.path.isdir(directory):
            directory = os.path.dirname(directory)
        if directory == '/':
            raise ManagedFilesError('%s: cannot try the change in a copy: no directory above it but / exists' % path)
        found.add(directory)
    roots = sorted(found)
    return [r for r in roots if not any(r != o and r.startswith(o.rstrip('/') + '/') for o in roots)]


def recover_journals(journal: str) -> list[str]:
    """Put back the paths of every journal left in the directory of ``journal`` (changes that were cut short)."""
    directory, out = os.path.dirname(journal), []
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return out
    for name in names:
        if name.endswith('.journal'):
            out.extend(restore_backup(os.path.join(directory, name)))
    return out


def restore_backup(path: str, kinds: dict | None = None) -> list[str]:
    """Put back what :meth:`FileSet.save_backup` recorded in ``path``, then remove it; the paths restored.

    ``kinds``, when given, receives what each path is again (C(absent) for a
    path the change had created: a unit file it added, say).
    """
    try:
        with open(path) as handle:
            entries = json.load(handle)
    except IOError as exc:
        if exc.errno == errno.ENOENT:
            return []
        raise
    changes = []
    for entry in entries:
        data = base64.b64decode(entry['data']) if entry.get('data') is not None else None
        current = Current(entry['kind'], data=data, target=entry.get('target'), mode=entry.get('mode'),
                          uid=entry.get('uid'), gid=entry.get('gid'))
        wanted = Wanted(path=entry['path'], state=entry['wanted'], content='', src='-')
        changes.append(Change(wanted, current))
    FileSet([]).restore(changes)
    os.unlink(path)
    if kinds is not None:
        kinds.update((c.path, c.current.kind) for c in changes)
    return [c.path for c in changes]


def _describe(current: Current) -> str:
    if current.kind == 'file':
        text = current.data.decode('utf-8', 'replace')
        return text if text.endswith('\n') or not text else text + '\n'
    if current.kind == 'link':
        return 'symlink to %s\n' % current.target
    if current.kind == 'directory':
        return 'directory (mode %04o)\n' % current.mode
    return '(absent)\n' if current.kind == 'absent' else '(%s)\n' % current.kind


def _describe_wanted(wanted: Wanted) -> str:
    if wanted.state == 'file':
        text = wanted.content
        return text if text.endswith('\n') or not text else text + '\n'
    if wanted.state == 'link':
        return 'symlink to %s\n' % wanted.src
    if wanted.state == 'directory':
        return 'directory (mode %s)\n' % ('%04o' % wanted.mode if wanted.mode is not None else 'unchanged')
    return '(absent)\n'


def _makedirs(directory: str):
    if directory and not os.path.isdir(directory):
        os.makedirs(directory, 0o755)


def _touch(path: str):
    _makedirs(os.path.dirname(path))
    with open(path, 'a'):
        pass


def _remove(path: str):
    try:
        os.unlink(path)
    except OSError as exc:
        if exc.errno != errno.ENOENT:
            raise


def _no_run(argv):
    raise ManagedFilesError('cannot run %s: no command runner given (FileSet(run=...), the module passes its '
                            'run_command)' % ' '.join(argv))
