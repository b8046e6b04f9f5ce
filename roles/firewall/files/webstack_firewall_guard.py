# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The firewall role's guard (webstack.nginx_uwsgi): a new ruleset stays only if the controller comes back.

Installed as /usr/local/lib/webstack-firewall/webstack_firewall_guard.py, run with python3 (GUARD below):

    GUARD arm SECONDS TABLE   save the live table, and in SECONDS put it back (live, and the
                                                files the change replaced, from the change's backup) unless
                                                disarmed
    GUARD disarm                                keep what is live: cancel the timer
    GUARD revert TABLE                          (run by the timer) put the saved table and files back

The role's managed_files task records what its change replaced (backup.json) before the new files go live, then
runs `arm` and loads the new table; the controller runs `disarm` once it has come in over a new connection.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys

STATE = '/var/lib/webstack-firewall'
PREVIOUS = STATE + '/previous.nft'
BACKUP = STATE + '/backup.json'
UNIT = 'webstack-firewall-revert'
SELF = '/usr/local/lib/webstack-firewall/webstack_firewall_guard.py'


def previous_ruleset(table: str, listed: str | None) -> str:
    """An nft script that makes the table what ``listed`` (``nft list table``) says, or removes it (None)."""
    # `table {}` then `delete table`: one transaction that works whether the table exists or not
    return 'table inet %s {}\ndelete table inet %s\n%s' % (table, table, listed or '')


def restore_files(entries: list, keep=(SELF,)) -> list[str]:
    """Put back each file of a managed_files backup (a file's content, mode and owner; a path that did not exist
    removed), except those of ``keep`` (this script, which is running). The paths put back."""
    out = []
    for entry in entries:
        path = entry.get('path')
        if not path or path in keep:
            continue
        if entry.get('kind') == 'file' and entry.get('data') is not None:
            tmp = path + '.webstack-revert'
            with open(tmp, 'wb') as handle:
                handle.write(base64.b64decode(entry['data']))
            if isinstance(entry.get('mode'), int):
                os.chmod(tmp, entry['mode'] & 0o7777)
            if isinstance(entry.get('uid'), int) and isinstance(entry.get('gid'), int):
                os.chown(tmp, entry['uid'], entry['gid'])
            os.rename(tmp, path)
            out.append(path)
        elif entry.get('kind') == 'absent' and os.path.lexists(path):
            os.unlink(path)
            out.append(path)
    return out


def _run(*argv, check=True):
    return subprocess.run(list(argv), check=check, capture_output=True, text=True)


def arm(seconds: str, table: str):
    os.makedirs(STATE, mode=0o700, exist_ok=True)
    _run('systemctl', 'stop', UNIT + '.timer', check=False)
    listed = _run('nft', 'list', 'table', 'inet', table, check=False)
    fd = os.open(PREVIOUS, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as handle:
        handle.write(previous_ruleset(table, listed.stdout if listed.returncode == 0 else None))
    # AccuracySec: a timer may fire up to a minute late by default
    _run('systemd-run', '--quiet', '--collect', '--unit=' + UNIT, '--on-active=%ss' % int(seconds),
         '--timer-property=AccuracySec=1s',
         '--description=Put back the ruleset webstack-firewall had before its last change', '/usr/bin/python3', SELF,
         'revert', table)


def disarm():
    _run('systemctl', 'stop', UNIT + '.timer', check=False)
    for path in (PREVIOUS, BACKUP):
        if os.path.exists(path):
            os.unlink(path)


def revert(table: str):
    _run('nft', '-f', PREVIOUS)
    try:
        with open(BACKUP) as handle:
            restored = restore_files(json.load(handle))
    except FileNotFoundError:
        restored = []
    for path in (PREVIOUS, BACKUP):
        if os.path.exists(path):
            os.unlink(path)
    print('webstack-firewall: the controller did not come back: table inet %s put back as it was (%s)'
          % (table, ', '.join(restored) or 'no file'), file=sys.stderr)


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == 'arm':
        arm(argv[1], argv[2])
    elif argv == ['disarm']:
        disarm()
    elif len(argv) == 2 and argv[0] == 'revert':
        revert(argv[1])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
