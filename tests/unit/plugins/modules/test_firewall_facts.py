# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""firewall_facts: SSH_CONNECTION from the nearest process that has it, and CAP_NET_ADMIN."""

from __future__ import annotations

from ansible_collections.webstack.nginx_uwsgi.plugins.modules import firewall_facts

PROC = {
    '/proc/300/environ': 'PATH=/usr/bin\0HOME=/root\0',
    '/proc/300/status': 'Name:\tpython3\nPPid:\t200\n',
    '/proc/200/environ': 'SUDO_USER=deploy\0',
    '/proc/200/status': 'Name:\tsudo\nPPid:\t100\n',
    '/proc/100/environ': 'USER=deploy\0SSH_CONNECTION=10.30.58.1 50412 10.30.58.21 22\0',
    '/proc/100/status': 'Name:\tsh\nPPid:\t1\n',
}


def test_the_connection_is_found_in_a_parent_when_become_hid_it():
    assert firewall_facts.ssh_connection(300, PROC.get) == '10.30.58.1 50412 10.30.58.21 22'


def test_no_connection_without_ssh():
    proc = dict(PROC)
    proc['/proc/100/environ'] = 'USER=root\0'
    assert firewall_facts.ssh_connection(300, proc.get) == ''
    assert firewall_facts.ssh_connection(999, {}.get) == ''


def test_net_admin_is_bit_12_of_the_effective_capabilities():
    assert firewall_facts.net_admin('CapInh:\t0\nCapEff:\t00000000a80425fb\n') is False
    assert firewall_facts.net_admin('CapEff:\t00000000a80435fb\n') is True
    assert firewall_facts.net_admin('CapEff:\t000001ffffffffff\n') is True
    assert firewall_facts.net_admin('') is False


def test_unit_enabled_looks_for_a_link_in_a_wants_directory():
    links = {'/etc/systemd/system/*.wants/webstack-firewall.service':
             ['/etc/systemd/system/sysinit.target.wants/webstack-firewall.service']}
    assert firewall_facts.unit_enabled('webstack-firewall.service', lambda pattern: links.get(pattern, [])) is True
    assert firewall_facts.unit_enabled('other.service', lambda pattern: links.get(pattern, [])) is False
    assert firewall_facts.unit_enabled(None, lambda pattern: ['x']) is False
    assert firewall_facts.unit_enabled('../x.service', lambda pattern: ['x']) is False
