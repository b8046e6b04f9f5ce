# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""roles/firewall/files/webstack_firewall_guard.py: the saved table and the files put back by the revert."""

from __future__ import annotations

import base64
import importlib.util
import os
from pathlib import Path

GUARD = Path(__file__).resolve().parents[3] / 'roles/firewall/files/webstack_firewall_guard.py'
_SPEC = importlib.util.spec_from_file_location('webstack_firewall_guard', GUARD)
guard = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(guard)


def test_the_saved_ruleset_replaces_the_table_or_removes_it_in_one_transaction():
    listed = 'table inet webstack {\n\tchain input {\n\t}\n}\n'
    assert guard.previous_ruleset('webstack', listed) == (
        'table inet webstack {}\ndelete table inet webstack\n' + listed)
    assert guard.previous_ruleset('webstack', None) == 'table inet webstack {}\ndelete table inet webstack\n'


def test_the_files_the_change_replaced_are_put_back_and_the_new_ones_removed_but_not_the_guard(tmp_path):
    ruleset, unit, me = tmp_path / 'webstack.nft', tmp_path / 'new.service', tmp_path / 'guard'
    ruleset.write_text('new\n')
    unit.write_text('[Unit]\n')
    me.write_text('new guard\n')
    entries = [
        {'path': str(ruleset), 'kind': 'file', 'data': base64.b64encode(b'old\n').decode(), 'mode': 0o100600,
         'uid': os.getuid(), 'gid': os.getgid()},
        {'path': str(unit), 'kind': 'absent', 'data': None},
        {'path': str(me), 'kind': 'absent', 'data': None},
    ]
    assert guard.restore_files(entries, keep=(str(me),)) == [str(ruleset), str(unit)]
    assert ruleset.read_text() == 'old\n' and ruleset.stat().st_mode & 0o7777 == 0o600
    assert not unit.exists() and me.read_text() == 'new guard\n'


def test_a_wrong_call_says_how_to_call_it(capsys):
    assert guard.main(['arm', '30']) == 2
    assert 'disarm' in capsys.readouterr().err
