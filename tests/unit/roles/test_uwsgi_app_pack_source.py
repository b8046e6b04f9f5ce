# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""roles/uwsgi_app/files/pack_source.py: one tar per source content, made once however many hosts ask."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import uwsgi_app_rules as ur

SCRIPT = Path(__file__).resolve().parents[3] / 'roles/uwsgi_app/files/pack_source.py'
SPEC = importlib.util.spec_from_file_location('pack_source', SCRIPT)
pack_source = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(pack_source)


@pytest.fixture
def src(tmp_path):
    root = tmp_path / 'app'
    (root / 'pkg' / '__pycache__').mkdir(parents=True)
    (root / 'wsgi.py').write_text('app = None\n')
    (root / 'pkg' / 'views.py').write_text('x = 1\n')
    (root / 'pkg' / '__pycache__' / 'views.cpython-311.pyc').write_bytes(b'\0')
    (root / 'old.pyc').write_bytes(b'\0')
    outside = tmp_path / 'config.py'
    outside.write_text('DEBUG = False\n')
    (root / 'config.py').symlink_to(outside)
    return root


def members(path):
    with tarfile.open(path) as tar:
        return {m.name: m for m in tar.getmembers()}


def test_packs_the_files_follows_links_and_leaves_out_bytecode(src, tmp_path):
    tar = tmp_path / 'cache' / 'sources' / 'cafe.tar'
    assert pack_source.pack(str(tar), str(src)) == 'packed'
    found = members(tar)
    assert set(found) == {'.', './wsgi.py', './pkg', './pkg/views.py', './config.py'}
    assert found['./config.py'].isfile() and found['./wsgi.py'].uid == 0 and found['./wsgi.py'].uname == 'root'
    assert not [p for p in tar.parent.iterdir() if '.part-' in p.name]


def test_the_tar_holds_the_files_the_release_id_covers(src, tmp_path):
    """pack_source.py (the controller's Python, outside the collection) and uwsgi_app_rules.source_files (the
    release id) apply the same rules: the same files under the same names, links followed, bytecode left out."""
    shared = tmp_path / 'shared'
    shared.mkdir()
    (shared / 'helpers.py').write_text('y = 2\n')
    (src / 'helpers').symlink_to(shared)
    tar = tmp_path / 'cafe.tar'
    assert pack_source.pack(str(tar), str(src)) == 'packed'
    with tarfile.open(tar) as archive:
        packed = {m.name: hashlib.sha256(archive.extractfile(m).read()).hexdigest()
                  for m in archive.getmembers() if m.isfile()}
    covered = {rel: hashlib.sha256(Path(full).read_bytes()).hexdigest() for rel, full in ur.source_files(str(src))}
    assert packed == covered and './helpers/helpers.py' in covered and './config.py' in covered


def test_a_second_host_reuses_the_tar(src, tmp_path):
    tar = tmp_path / 'cafe.tar'
    assert pack_source.pack(str(tar), str(src)) == 'packed'
    old = time.time() - 3600
    os.utime(tar, (old, old))
    (src / 'wsgi.py').write_text('changed, but the content id named this tar\n')
    assert pack_source.pack(str(tar), str(src)) == 'kept'
    assert tar.stat().st_mtime > old + 60  # used again: not pruned as unused
    with tarfile.open(tar) as t:
        assert t.extractfile('./wsgi.py').read() == b'app = None\n'


def test_hosts_asking_at_once_pack_once(src, tmp_path):
    tar = tmp_path / 'cafe.tar'
    runs = [subprocess.Popen([sys.executable, str(SCRIPT), str(tar), str(src)], stdout=subprocess.PIPE, text=True)
            for unused in range(4)]
    outputs = sorted(run.communicate()[0].strip() for run in runs)
    assert [run.returncode for run in runs] == [0] * 4
    assert outputs == ['kept', 'kept', 'kept', 'packed']
    assert set(members(tar)) == {'.', './wsgi.py', './pkg', './pkg/views.py', './config.py'}


def test_prunes_the_tars_no_run_used_for_a_week(tmp_path):
    now = time.time()
    for name, age_days in (('old.tar', 8), ('recent.tar', 1), ('keep.tar', 30), ('old.tar.part-12', 9), ('notes', 99)):
        path = tmp_path / name
        path.write_text('x')
        os.utime(path, (now - age_days * 86400, now - age_days * 86400))
    (tmp_path / 'old.tar.lock').write_text('')
    removed = pack_source.prune(str(tmp_path), str(tmp_path / 'keep.tar'), now=now)
    assert removed == ['old.tar', 'old.tar.part-12']
    assert sorted(p.name for p in tmp_path.iterdir()) == ['keep.tar', 'notes', 'recent.tar']


def test_a_source_that_is_not_a_directory_is_refused(tmp_path):
    with pytest.raises(SystemExit, match='is not a directory'):
        pack_source.pack(str(tmp_path / 'x.tar'), str(tmp_path / 'nope'))
