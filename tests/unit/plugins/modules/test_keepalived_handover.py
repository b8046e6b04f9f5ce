# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""keepalived_handover: what the track file means, whether keepalived.conf declares it, the VRRP state."""

from __future__ import annotations

from pathlib import Path

import pytest

from ansible_collections.webstack.nginx_uwsgi.plugins.modules import keepalived_handover as module

ROOT = Path(__file__).resolve().parents[4]


@pytest.mark.parametrize('text, value', [
    (None, 'back'), ('', 'back'), ('0', 'back'), ('0\n', 'back'), ('1\n', 'away'), ('-5\n', 'away'),
    ('junk', 'away'),
])
def test_file_value(text, value):
    assert module.file_value(text) == value


CONF = """track_file webstack_handover {
    file "/etc/keepalived/webstack-handover"
    weight 0
    init_file 0
}

vrrp_instance webstack {
    track_script {
        webstack_check_nginx
    }
    track_file {
        webstack_handover weight 0
    }
}
"""


def test_declared():
    assert module.declared(CONF, 'webstack_handover', '/etc/keepalived/webstack-handover')
    assert not module.declared(CONF, 'webstack_handover', '/tmp/other')
    # declared but not tracked by the instance: writing it would do nothing
    assert not module.declared(CONF.split('vrrp_instance', maxsplit=1)[0], 'webstack_handover', '/etc/keepalived/webstack-handover')
    assert not module.declared('', 'webstack_handover', '/etc/keepalived/webstack-handover')


def test_the_role_template_declares_what_the_module_looks_for():
    template = (ROOT / 'roles/keepalived/templates/etc/keepalived/keepalived.conf.j2').read_text()
    rendered = (template.replace('{{ __keepalived_handover_track }}', 'webstack_handover')
                .replace('{{ __keepalived_paths.handover }}', '/etc/keepalived/webstack-handover'))
    assert module.declared(rendered, 'webstack_handover', '/etc/keepalived/webstack-handover')


def test_vrrp_state_is_the_last_one_of_the_instance():
    journal = ('(webstack) Entering BACKUP STATE (init)\n(webstack) Entering MASTER STATE\n'
               '(other) Entering BACKUP STATE\n(webstack) Entering FAULT STATE\n')
    assert module.vrrp_state(journal, 'webstack') == 'FAULT'
    assert module.vrrp_state('', 'webstack') is None
    # a restart: what came before it no longer counts; a start in FAULT is written in lower case
    restarted = journal + ('Starting VRRP child process, pid=2478\n(webstack): entering FAULT state (tracked file '
                           'webstack_handover has status -254)\n(webstack) entering FAULT state\n')
    assert module.vrrp_state(restarted, 'webstack') == 'FAULT'
    assert module.vrrp_state(journal + 'Starting VRRP child process, pid=9\n', 'webstack') is None


def test_held():
    assert module.held(['10.0.0.5', '10.0.0.100'], ['10.0.0.100/24', '10.0.0.101']) == ['10.0.0.100']


def test_split_addresses_tells_the_interface_from_the_copy_on_lo():
    pairs = [('lo', '127.0.0.1'), ('lo', '10.0.0.100'), ('eth0', '10.0.0.11'), ('eth0', '10.0.0.101')]
    assert module.split_addresses(pairs, ['10.0.0.100/24', '10.0.0.101/24']) == (['10.0.0.101'], ['10.0.0.100'])
    assert module.split_addresses([], ['10.0.0.100/24']) == ([], [])
    assert module.host_length('10.0.0.100') == '/32' and module.host_length('fd00::100') == '/128'
