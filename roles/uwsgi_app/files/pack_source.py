# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pack an app's source directory into a tar on the controller, once for every host.

python3 pack_source.py TAR SRC

Run by the uwsgi_app role (tasks/source/dir.yml) on the controller, with the
controller's Python, for each host that builds a release from the directory
SRC. TAR is named after the content id of SRC (the uwsgi_app_source_ids
filter), so the first host packs it and every other host, in this run or a
later one, finds it made: an exclusive lock beside it makes the others wait
for the first instead of packing the same files again. The tar is written
under another name and renamed once complete, so an interrupted run never
leaves half a tar under TAR. Symbolic links are followed (as `tar -h` and
ansible.builtin.copy do); `__pycache__` and `.pyc` files are left out, as
they are from the content id. The other tars of the same cache directory that
no run used for PRUNE_DAYS days are removed.

Prints "packed" or "kept" (the tar was there: its time is renewed).
"""

from __future__ import annotations

import fcntl
import os
import sys
import tarfile
import time

PRUNE_DAYS = 7


def _leave_out(info):
    parts = info.name.split('/')
    if '__pycache__' in parts or info.name.endswith('.pyc'):
        return None
    info.uid = info.gid = 0
    info.uname = info.gname = 'root'
    return info


def prune(directory, keep, days=PRUNE_DAYS, now=None):
    """Remove the tars (and leftover partial ones) of directory not used for days, except keep."""
    limit = (now or time.time()) - days * 86400
    removed = []
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if path == keep or not (name.endswith('.tar') or '.tar.part-' in name):
            continue
        try:
            if os.stat(path).st_mtime < limit:
                os.remove(path)
                removed.append(name)
                if name.endswith('.tar') and os.path.exists(path + '.lock'):
                    os.remove(path + '.lock')
        except FileNotFoundError:
            pass  # another run removed it
    return removed


def pack(tar_path, src):
    """Make tar_path from the files of src unless it exists; 'packed' or 'kept'."""
    src = os.path.expanduser(src)
    if not os.path.isdir(src):
        raise SystemExit('pack_source.py: %s is not a directory' % src)
    directory = os.path.dirname(tar_path) or '.'
    os.makedirs(directory, exist_ok=True)
    with open(tar_path + '.lock', 'a') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(tar_path):
            os.utime(tar_path)
            result = 'kept'
        else:
            part = '%s.part-%d' % (tar_path, os.getpid())
            try:
                with tarfile.open(part, 'w', dereference=True, format=tarfile.PAX_FORMAT) as tar:
                    tar.add(src, arcname='.', filter=_leave_out)
                os.replace(part, tar_path)
            except BaseException:
                if os.path.exists(part):
                    os.remove(part)
                raise
            result = 'packed'
        prune(directory, tar_path)
    return result


def main(argv):
    if len(argv) != 3:
        raise SystemExit('usage: pack_source.py TAR SRC')
    print(pack(argv[1], argv[2]))


if __name__ == '__main__':
    main(sys.argv)
