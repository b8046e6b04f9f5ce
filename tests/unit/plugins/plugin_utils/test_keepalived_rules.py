# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A good and a bad case per rule of plugins/plugin_utils/keepalived_rules.py, on the role's own defaults.

The fleet: lb1 and lb2 in webstack_loadbalancers, each with one address in
10.30.57.0/24 as nginx_facts reports it; lb1 holds the VIP too (a host that
holds it reports it), which its keepalived.conf names.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import keepalived_rules

DEFAULTS = yaml.safe_load((Path(__file__).resolve().parents[4] / 'roles/keepalived/defaults/main.yml').read_text())
VIP = '10.30.57.200/24'
ROUTES = (
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "eth0\t00000000\t01391E0A\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
    "eth0\t00391E0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
    "eth1\t0000A8C0\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
)
CURRENT_CONF = """vrrp_instance webstack {
    unicast_src_ip 10.30.57.11
    unicast_peer {
        10.30.57.12
    }
    virtual_ipaddress {
        10.30.57.200/24 dev eth0
    }
}
"""


def facts(*addresses):
    return {'ansible_facts': {'nginx': {'addresses': list(addresses)}}}


def fleet(lb1=None, lb2=None, **others):
    hostvars = {'lb1': dict(facts('10.30.57.11', '10.30.57.200', '192.168.0.5'),
                            **dict({'keepalived_current_conf': CURRENT_CONF}, **(lb1 or {}))),
                'lb2': dict(facts('10.30.57.12'), **(lb2 or {})),
                'app1': facts('10.30.57.21')}
    hostvars.update(others)
    return hostvars


GROUPS = {'webstack_loadbalancers': ['lb1', 'lb2'], 'webstack_appservers': ['app1']}


def variables(**changes):
    return dict(DEFAULTS, **dict({'keepalived_vip': [VIP]}, **changes))


def problems(changes=None, host='lb1', hostvars=None, groups=None, routes=ROUTES):
    return keepalived_rules.problems(variables(**(changes or {})), host, fleet() if hostvars is None else hostvars,
                                     GROUPS if groups is None else groups, routes)


def test_the_defaults_with_a_vip_have_no_problem():
    assert problems() == []
    assert problems(host='lb2') == []


@pytest.mark.parametrize('changes, message', [
    ({'keepalived_vip': []}, 'keepalived_vip must name at least one address with its prefix length'),
    ({'keepalived_vip': ['10.30.57.200']}, 'keepalived_vip[0] (10.30.57.200) must be an IPv4 address with its prefix'),
    ({'keepalived_vip': ['10.30.57.300/24']}, 'keepalived_vip[0] (10.30.57.300/24) must be an IPv4 address'),
    ({'keepalived_vip': ['2001:db8::1/64']}, 'keepalived_vip[0] (2001:db8::1/64) must be an IPv4 address'),
    ({'keepalived_vip': ['10.30.57.0/24'], 'keepalived_address': '10.30.57.11'},
     'keepalived_vip[0] (10.30.57.0/24) is the network or broadcast address'),
    ({'keepalived_vip': ['10.30.57.255/24'], 'keepalived_address': '10.30.57.11'},
     'keepalived_vip[0] (10.30.57.255/24) is the network or broadcast'),
    ({'keepalived_vip': [VIP, '10.30.57.200/24']}, 'keepalived_vip[1] (10.30.57.200/24) is listed twice.'),
    ({'keepalived_router_id': 0}, 'keepalived_router_id (0) must be between 1 and 255'),
    ({'keepalived_router_id': 256}, 'keepalived_router_id (256) must be between 1 and 255'),
    ({'keepalived_priority': 255}, 'keepalived_priority (255) must be between 1 and 254'),
    ({'keepalived_advert_int': 0}, 'keepalived_advert_int (0) must be between 1 and 255.'),
    ({'keepalived_check_interval': 0}, 'keepalived_check_interval (0) must be between 1 and 3600.'),
    ({'keepalived_check_timeout': 0}, 'keepalived_check_timeout (0) must be between 1 and 3600.'),
    ({'keepalived_check_fall': 0}, 'keepalived_check_fall (0) must be between 1 and 255.'),
    ({'keepalived_check_rise': 300}, 'keepalived_check_rise (300) must be between 1 and 255.'),
    ({'keepalived_auth_pass': 'longer-than-8'}, 'keepalived_auth_pass must be 1 to 8 characters'),
    ({'keepalived_auth_pass': 'a b'}, 'keepalived_auth_pass must be 1 to 8 characters'),
    ({'keepalived_auth_pass': 'pass#1'}, 'keepalived_auth_pass must be 1 to 8 characters'),
    ({'keepalived_auth_pass': ''}, 'keepalived_auth_pass must be 1 to 8 characters'),
    ({'keepalived_interface': 'eth0 eth1'}, 'keepalived_interface (eth0 eth1) must be an interface name'),
    ({'keepalived_interface': 'a-very-long-interface'}, 'keepalived_interface (a-very-long-interface) must be an'),
    ({'keepalived_script_user': 'Bad User'}, 'keepalived_script_user (Bad User) must be a user name'),
    ({'keepalived_check_script': '/bin/sh -c "pidof nginx"'}, 'keepalived_check_script (/bin/sh -c "pidof nginx") must'),
    ({'keepalived_check_script': ' '}, 'keepalived_check_script ( ) must be a command line'),
    ({'keepalived_check_url': 'https://127.0.0.1/'}, 'keepalived_check_url (https://127.0.0.1/) must be http://'),
    ({'keepalived_check_url': 'http://127.0.0.1:99999/'}, 'keepalived_check_url (http://127.0.0.1:99999/) must be'),
    ({'keepalived_extra_global_defs': ['a\nb']}, 'keepalived_extra_global_defs[0] (a\nb) must be one line'),
    ({'keepalived_extra_instance_directives': ['']}, 'keepalived_extra_instance_directives[0] () must be one line'),
    ({'keepalived_peers': ['lb1']}, 'keepalived_peers (lb1) must name at least two hosts'),
    ({'keepalived_peers': ['lb1', 'lb2', 'lb1']}, 'keepalived_peers[2] (lb1) is listed twice.'),
    ({'keepalived_peers': ['lb1', 'lb9']}, 'keepalived_peers[1] (lb9) is not a host of the inventory.'),
    ({'keepalived_peers': ['lb2', 'app1']}, 'lb1 is not one of keepalived_peers (lb2, app1)'),
    ({'keepalived_address': '10.30.57.99'}, 'keepalived_address (10.30.57.99) is not an address of lb1'),
    ({'keepalived_address': 'lb1.example.org'}, 'keepalived_address (lb1.example.org) of lb1 must be an IPv4 address.'),
    ({'keepalived_vip': ['10.30.57.12/24'], 'keepalived_address': '10.30.57.11'},
     'keepalived_vip[0] (10.30.57.12/24) is an address of lb2 already'),
    ({'keepalived_priority': 140}, 'keepalived_priority (140) of lb2 is also that of lb1'),
])
def test_each_rule(changes, message):
    found = problems(changes)
    assert len(found) == 1 and found[0].startswith(message), found


def test_an_address_of_another_peer():
    assert problems({'keepalived_address': '10.30.57.12'}) == [
        'keepalived_address (10.30.57.12) of lb2 is also the address of lb1: each peer needs its own.',
        'keepalived_address (10.30.57.12) is not an address of lb1 (its addresses: 10.30.57.11, 10.30.57.200, '
        '192.168.0.5).']


def test_a_vip_that_is_the_given_address_of_a_peer():
    hostvars = fleet(lb2={'keepalived_address': '10.30.57.12'})
    assert problems({'keepalived_vip': ['10.30.57.12/24'], 'keepalived_address': '10.30.57.11'}, hostvars=hostvars) == [
        'keepalived_vip[0] (10.30.57.12/24) is an address of lb2 already (not one its keepalived holds): the floating '
        'address must be one no host has.',
        'keepalived_vip[0] (10.30.57.12/24) is the address of lb2 itself: the floating address must be one no host '
        'has.']


def test_numbers_given_as_strings_pass():
    # -e key=value gives strings; the argument spec accepts them as ints
    assert problems({'keepalived_router_id': '57', 'keepalived_priority': '200'}) == []


def test_a_password_is_never_shown():
    found = problems({'keepalived_auth_pass': 'Secret-Pass-1'})
    assert found and not any('Secret' in message for message in found)
    other = fleet(lb2={'keepalived_auth_pass': 'other1'})
    found = problems({'keepalived_auth_pass': 'mine1'}, hostvars=other)
    assert found == ['keepalived_auth_pass of lb1 differs from that of lb2: every host of keepalived_peers needs '
                     'the same.']


def test_no_peers_without_the_group():
    found = problems(groups={})
    assert found == ['keepalived_peers is not set and the group webstack_loadbalancers has no hosts: name the '
                     'hosts that share the address.']


def test_a_peer_without_facts_is_named():
    hostvars = fleet()
    hostvars['lb2'] = {}
    found = problems(hostvars=hostvars)
    assert len(found) == 1 and found[0].startswith('the address of lb2 is unknown: set keepalived_address for it'), found


def test_a_peer_with_no_address_in_the_network():
    found = problems(hostvars=fleet(lb2=facts('192.168.0.6')))
    assert len(found) == 1 and found[0].startswith(
        'the address of lb2 is unknown: none of its addresses (192.168.0.6) is in the network of keepalived_vip '
        '(10.30.57.0/24)'), found


def test_a_peer_with_two_addresses_in_the_network():
    found = problems(hostvars=fleet(lb2=facts('10.30.57.12', '10.30.57.13')))
    assert len(found) == 1 and found[0].startswith(
        'the address of lb2 is ambiguous: 10.30.57.12, 10.30.57.13 are all in the network'), found
    # its keepalived_address settles it
    assert problems(hostvars=fleet(lb2=dict(facts('10.30.57.12', '10.30.57.13'), keepalived_address='10.30.57.13'))) == []


def test_a_new_vip_while_the_old_one_is_held():
    # lb1 holds 10.30.57.200, the VIP of its keepalived.conf, and the VIP moves to .201
    changes = {'keepalived_vip': ['10.30.57.201/24']}
    assert problems(changes) == []
    assert keepalived_rules.instance(variables(**changes), 'lb1', fleet(), GROUPS, ROUTES)['address'] == '10.30.57.11'
    # without its keepalived.conf the old VIP cannot be told from the host's own address
    found = problems(changes, hostvars=fleet(lb1={'keepalived_current_conf': ''}))
    assert found[0].startswith('the address of lb1 is ambiguous: 10.30.57.11, 10.30.57.200'), found


def test_the_address_chosen_before_wins_among_several():
    conf = CURRENT_CONF.replace('10.30.57.200/24', '10.30.57.250/24')
    hostvars = fleet(lb2=dict(facts('10.30.57.12', '10.30.57.13'), keepalived_current_conf=conf.replace(
        'unicast_src_ip 10.30.57.11', 'unicast_src_ip 10.30.57.13')))
    assert keepalived_rules.instance(variables(), 'lb1', hostvars, GROUPS, ROUTES)['peers'] == ['10.30.57.13']


def test_parse_conf():
    assert keepalived_rules.parse_conf(CURRENT_CONF) == {'src': '10.30.57.11', 'vips': ['10.30.57.200']}
    assert keepalived_rules.parse_conf('') == {'src': None, 'vips': []}


def test_priorities_of_the_inventory_must_differ():
    hostvars = fleet(lb1={'keepalived_priority': 100}, lb2={'keepalived_priority': 100})
    found = problems({'keepalived_priority': 100}, hostvars=hostvars)
    assert found == ['keepalived_priority (100) of lb2 is also that of lb1: each peer needs its own (set it per host '
                     'in the inventory, or leave it unset on every peer: 150, 140, ... in the order of '
                     'keepalived_peers).']


def test_derived_priorities_run_out_after_15_peers():
    hosts = ['lb%d' % index for index in range(1, 17)]
    hostvars = {host: facts('10.30.57.%d' % (10 + index)) for index, host in enumerate(hosts)}
    found = problems({'keepalived_peers': hosts}, hostvars=hostvars)
    assert found == ['keepalived_priority of lb16 (0) must be between 1 and 254: set keepalived_priority for it in '
                     'the inventory.']


@pytest.mark.parametrize('name, theirs, message', [
    ('keepalived_router_id', 52, 'keepalived_router_id (51) differs from that of lb2 (52)'),
    ('keepalived_vip', ['10.30.57.201/24'], "keepalived_vip (['10.30.57.200/24']) differs from that of lb2"),
    ('keepalived_advert_int', 3, 'keepalived_advert_int (1) differs from that of lb2 (3)'),
])
def test_shared_values_must_match_the_peers(name, theirs, message):
    found = problems(hostvars=fleet(lb2={name: theirs}))
    assert len(found) == 1 and found[0].startswith(message), found


def test_shared_values_that_match_pass():
    assert problems(hostvars=fleet(lb2={'keepalived_vip': VIP, 'keepalived_router_id': '51'})) == []


def test_an_interface_is_needed_when_no_route_holds_the_address():
    found = problems(routes=ROUTES.splitlines()[0] + '\n')
    assert found == ['keepalived_interface is not set and no interface of lb1 has a route to the network of its '
                     'address 10.30.57.11 (/proc/net/route); set keepalived_interface.']
    assert problems({'keepalived_interface': 'eth0'}, routes='') == []


def test_parse_routes_keeps_connected_routes_most_specific_first():
    routes = keepalived_rules.parse_routes(ROUTES + "eth2\t00391E0A\t00000000\t0001\t0\t0\t0\t80FFFFFF\t0\t0\t0\n")
    assert [(iface, str(net)) for iface, net in routes] == [
        ('eth2', '10.30.57.0/25'), ('eth0', '10.30.57.0/24'), ('eth1', '192.168.0.0/16')]
    assert keepalived_rules.route_interface('10.30.57.11', routes) == 'eth2'
    assert keepalived_rules.route_interface('10.30.57.200', routes) == 'eth0'
    assert keepalived_rules.route_interface('172.16.0.1', routes) is None


def test_instance_of_each_peer():
    lb1 = keepalived_rules.instance(variables(), 'lb1', fleet(), GROUPS, ROUTES)
    assert lb1 == {'address': '10.30.57.11', 'interface': 'eth0', 'peers': ['10.30.57.12'], 'priority': 150,
                   'vips': [VIP], 'vip_addresses': ['10.30.57.200']}
    lb2 = keepalived_rules.instance(variables(), 'lb2', fleet(), GROUPS, ROUTES)
    assert (lb2['address'], lb2['peers'], lb2['priority']) == ('10.30.57.12', ['10.30.57.11'], 140)


def test_instance_from_the_inventory():
    hostvars = fleet(lb2={'keepalived_address': '192.168.0.6', 'keepalived_priority': 200})
    changes = {'keepalived_peers': ['lb2', 'lb1'], 'keepalived_vip': '10.30.57.200/24', 'keepalived_interface': 'br0',
               'keepalived_address': '10.30.57.11'}
    lb1 = keepalived_rules.instance(variables(**changes), 'lb1', hostvars, GROUPS, ROUTES)
    assert lb1 == {'address': '10.30.57.11', 'interface': 'br0', 'peers': ['192.168.0.6'], 'priority': 140,
                   'vips': [VIP], 'vip_addresses': ['10.30.57.200']}
