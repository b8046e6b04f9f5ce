# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The firewall role's rules, its ruleset lines, and the lock-out check; the fleet's composition of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import firewall_rules, fleet

ROOT = Path(__file__).resolve().parents[4]
DEFAULTS = yaml.safe_load((ROOT / 'roles/firewall/defaults/main.yml').read_text())
KNOWN = list(yaml.safe_load((ROOT / 'roles/webstack/meta/argument_specs.yml')
                            .read_text())['argument_specs']['main']['options'])
GROUPS = {'webstack_appservers': ['app1'], 'webstack_loadbalancers': ['lb1', 'lb2']}
HOSTVARS = {
    'app1': {},
    'lb1': {'keepalived_vip': ['10.0.0.200/24'], 'ansible_facts': {'nginx': {'addresses': ['10.0.0.1', '10.0.0.200']}}},
    'lb2': {'keepalived_vip': ['10.0.0.200/24'], 'webstack_lb_address': '10.0.0.2'},
}


def values(**changes):
    out = dict(DEFAULTS)
    out.update(changes)
    return out


def test_the_defaults_pass_and_let_ssh_in_from_anywhere_only():
    assert firewall_rules.problems(values()) == []
    assert firewall_rules.normalize(values())['accept'] == ['tcp dport 22 accept comment "ssh (firewall_ssh_from)"']


@pytest.mark.parametrize('changes, message', [
    ({'firewall_ssh_from': ['10.0.0.0/8', '10.0.0.300/8']},
     r'^firewall_ssh_from\[1\] \(10\.0\.0\.300/8\) is not an IPv4/IPv6 address or network\.$'),
    ({'firewall_ssh_from': []}, r'^firewall_ssh_from is empty: nobody could reach'),
    ({'firewall_ssh_from': '10.0.0.0/8'}, r'^firewall_ssh_from must be a list'),
    ({'firewall_table': 'web stack'}, r'^firewall_table \(web stack\) must be a name'),
    ({'firewall_ssh_port': 0}, r'^firewall_ssh_port \(0\) must be a port'),
    ({'firewall_rollback_timeout': 5}, r'^firewall_rollback_timeout \(5\) must be a number of seconds from 10'),
    ({'firewall_vrrp_from': ['lb2']}, r'^firewall_vrrp_from\[0\] \(lb2\) is not an IPv4/IPv6'),
    ({'firewall_rules': [{'port': 70000, 'from': ['10.0.0.1']}]}, r'^firewall_rules\[0\]\.port \(70000\) must be a port'),
    ({'firewall_rules': [{'port': 53, 'proto': 'icmp', 'from': ['10.0.0.1']}]},
     r'^firewall_rules\[0\]\.proto \(icmp\) must be one of tcp, udp'),
    ({'firewall_rules': [{'port': 53}]}, r'^firewall_rules\[0\]\.from is missing'),
    ({'firewall_rules': [{'port': 53, 'from': ['10.0.0.1'], 'to': 'x'}]}, r'^firewall_rules\[0\]\.to is not a key'),
    ({'firewall_rules': [{'port': 53, 'from': ['10.0.0.1'], 'comment': 'a"b'}]}, r'^firewall_rules\[0\]\.comment'),
    ({'firewall_rules': ['53/tcp']}, r'^firewall_rules\[0\] must be a mapping'),
])
def test_each_bad_value_is_named(changes, message):
    found = firewall_rules.problems(values(**changes))
    assert len(found) == 1 and re.search(message, found[0]), found


def test_the_ruleset_lines_split_the_families_merge_networks_and_keep_whole_families_open():
    out = firewall_rules.normalize(values(
        firewall_ssh_from=['10.0.0.0/8', '10.1.2.3', 'fd00::/64'],
        firewall_rules=[{'port': 8080, 'proto': 'tcp', 'from': ['10.0.0.11', '10.0.0.12/32']},
                        {'port': 443, 'proto': 'udp', 'from': ['0.0.0.0/0'], 'comment': 'quic'}],
        firewall_vrrp_from=['10.0.0.12'], firewall_rollback_timeout=40))
    assert out['accept'] == [
        'ip saddr { 10.0.0.0/8 } tcp dport 22 accept comment "ssh (firewall_ssh_from)"',
        'ip6 saddr { fd00::/64 } tcp dport 22 accept comment "ssh (firewall_ssh_from)"',
        'ip saddr { 10.0.0.11, 10.0.0.12 } tcp dport 8080 accept comment "firewall_rules[0]"',
        'meta nfproto ipv4 udp dport 443 accept comment "quic"',
        'ip saddr { 10.0.0.12 } meta l4proto 112 accept comment "vrrp (firewall_vrrp_from)"']
    assert (out['rollback_timeout'], out['confirm_timeout']) == (40, 20)


@pytest.mark.parametrize('connection, locked', [
    ('10.0.0.5 50000 10.0.0.21 22', False),     # in firewall_ssh_from
    ('10.9.0.5 50000 10.0.0.21 22', True),      # not in it
    ('10.9.0.5 50000 10.0.0.21 2222', False),   # another port, let in by firewall_rules
    ('::ffff:10.0.0.5 50000 ::ffff:10.0.0.21 22', False),  # an IPv4 client on an IPv6 socket
    ('127.0.0.1 50000 127.0.0.1 22', False),     # loopback is always let in
    ('', False),                                 # no SSH (a local or container connection): nothing to check
])
def test_the_lockout_check_reads_the_controllers_address_and_port(connection, locked):
    given = values(firewall_ssh_from=['10.0.0.0/24'], firewall_rules=[{'port': 2222, 'from': ['10.9.0.0/16']}])
    found = firewall_rules.lockout_problems(given, connection, 'app1', 'webstack_firewall_ssh_from')
    assert bool(found) == locked
    if locked:
        assert found[0].startswith('webstack_firewall_ssh_from (10.0.0.0/24) does not let in the controller, which '
                                   'reaches app1 from 10.9.0.5 on port 22')


def test_the_lockout_check_can_be_turned_off_and_a_host_without_net_admin_is_named():
    given = values(firewall_ssh_from=['10.0.0.0/24'], firewall_lockout_check=False)
    assert firewall_rules.lockout_problems(given, '10.9.0.5 1 10.0.0.21 22', 'app1') == []
    found = firewall_rules.host_problems(values(), {'net_admin': False, 'ssh_connection': ''}, 'app1')
    assert len(found) == 1 and found[0].startswith('app1 may not change its packet filter (no CAP_NET_ADMIN')
    assert firewall_rules.host_problems(values(firewall_enabled=False), {}, 'app1') == []


def test_the_fleet_lets_the_app_port_in_from_the_load_balancers_own_addresses_only():
    out = fleet.compose('app1', {'webstack_metrics_allow': ['10.0.0.1', '10.0.0.2']}, GROUPS, HOSTVARS)['firewall']
    assert out['firewall_enabled'] is True
    assert out['firewall_ssh_from'] == ['0.0.0.0/0', '::/0']
    assert out['firewall_vrrp_from'] == []
    assert out['firewall_rules'] == [
        {'port': 8080, 'proto': 'tcp', 'from': ['10.0.0.1', '10.0.0.2'], 'comment': 'webstack_app_port'},
        {'port': 9180, 'proto': 'tcp', 'from': ['10.0.0.1', '10.0.0.2'], 'comment': 'webstack_metrics_port'}]
    assert firewall_rules.problems(values(**out)) == []


def test_the_fleet_opens_the_sites_and_vrrp_on_a_load_balancer_and_appends_the_users_rules():
    given = {'webstack_firewall_ssh_from': ['10.0.0.0/25'], 'webstack_lb_tls': {'mode': 'selfsigned', 'http3': True},
             'webstack_firewall_rules': [{'port': 9100, 'from': ['10.0.5.0/24']}]}
    out = fleet.compose('lb1', given, GROUPS, HOSTVARS)['firewall']
    assert out['firewall_ssh_from'] == ['10.0.0.0/25']
    assert [(r['port'], r['proto'], r['from']) for r in out['firewall_rules']] == [
        (80, 'tcp', ['0.0.0.0/0', '::/0']), (443, 'tcp', ['0.0.0.0/0', '::/0']), (443, 'udp', ['0.0.0.0/0', '::/0']),
        (9100, 'tcp', ['10.0.5.0/24'])]
    # the floating address is not a peer's own
    assert out['firewall_vrrp_from'] == ['10.0.0.1', '10.0.0.2']


def test_the_fleet_names_its_own_variables():
    found = fleet.problems('app1', {'webstack_firewall_ssh_from': ['10.0.0.0/8', '10.0.0.300/8'],
                                    'webstack_firewall_rules': [{'port': 0, 'from': ['x']}]}, GROUPS, HOSTVARS, KNOWN)
    assert 'webstack_firewall_ssh_from[1] (10.0.0.300/8) is not an IPv4/IPv6 address or network.' in found
    assert 'webstack_firewall_rules[0].port (0) must be a port (1-65535).' in found
    assert 'webstack_firewall_rules[0].from[0] (x) is not an IPv4/IPv6 address or network.' in found


def test_the_fleet_can_turn_the_firewall_off():
    assert fleet.compose('app1', {'webstack_firewall': False}, GROUPS, HOSTVARS)['firewall']['firewall_enabled'] is False
