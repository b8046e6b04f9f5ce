# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""roles/patch/files/nginx-binary-upgrade against a stand-in nginx master that answers USR2 as nginx does: the PID
file renamed to .oldbin at once, the new master's PID file written only once that master runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[3] / 'roles/patch/files/nginx-binary-upgrade'

MASTER = textwrap.dedent('''
    import os, signal, subprocess, sys, time
    pidfile, delay = sys.argv[1], float(sys.argv[2])
    def usr2(signum, frame):
        os.rename(pidfile, pidfile + '.oldbin')
        time.sleep(delay)  # the new master reads its configuration before it writes its PID file
        new = subprocess.Popen(['sleep', '30'], start_new_session=True)
        with open(pidfile, 'w') as handle:
            handle.write('%d\\n' % new.pid)
    signal.signal(signal.SIGUSR2, usr2)
    signal.signal(signal.SIGQUIT, lambda *a: sys.exit(0))
    with open(pidfile, 'w') as handle:
        handle.write('%d\\n' % os.getpid())
    while True:
        time.sleep(0.05)
''')


def _tools(tmp_path, master_pid):
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    (bin_dir / 'systemctl').write_text('#!/bin/sh\necho %d\n' % master_pid)
    (bin_dir / 'nginx').write_text('#!/bin/sh\nexit 0\n')
    for tool in ('systemctl', 'nginx'):
        (bin_dir / tool).chmod(0o755)
    return dict(os.environ, PATH='%s:%s' % (bin_dir, os.environ['PATH']))


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_waits_for_the_new_master_to_write_its_pid_file(tmp_path):
    """With the old master's QUIT sent only once the new one wrote its PID file (it used to read the file in
    between and fail on "No such file")."""
    pidfile = tmp_path / 'nginx.pid'
    # started by a shell that exits at once, as a daemon: reaped by init once it exits, as nginx's master is
    subprocess.run(['sh', '-c', '"$0" -c "$1" "$2" 0.5 >/dev/null 2>&1 &', sys.executable, MASTER, str(pidfile)],
                   check=True)
    for _attempt in range(200):
        if pidfile.exists() and pidfile.read_text().strip():
            break
        time.sleep(0.05)
    old = int(pidfile.read_text())
    new = None
    try:
        out = subprocess.run(['sh', str(SCRIPT), str(pidfile)], env=_tools(tmp_path, old),
                             capture_output=True, text=True, timeout=30, check=False)
        assert out.returncode == 0, out.stderr
        new = int(pidfile.read_text())
        assert out.stdout.strip() == 'nginx: master %d -> %d' % (old, new)
        assert not _alive(old) and _alive(new)
    finally:
        for pid in (old, new):
            if pid and _alive(pid):
                os.kill(pid, signal.SIGKILL)
