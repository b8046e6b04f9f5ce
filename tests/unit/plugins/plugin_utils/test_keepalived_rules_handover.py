# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The planned hand-over (keepalived_rules.handover): who may take the address, who is expected to, and why not.

lb1 holds the VIP and is handed over; lb2 (and lb3 where a case adds it) are
the other peers, read by the keepalived_handover module.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import keepalived_rules

DEFAULTS = yaml.safe_load((Path(__file__).resolve().parents[4] / 'roles/keepalived/defaults/main.yml').read_text())
GROUPS = {'webstack_loadbalancers': ['lb1', 'lb2']}
HOSTVARS = {'lb1': {}, 'lb2': {}, 'lb3': {'keepalived_priority': 200}}
VIP = '10.30.57.200'


def state(**changes):
    """A host as the module reads it: keepalived runs with the hand-over file, nginx answers, BACKUP."""
    return dict({'running': True, 'declared': True, 'handover': 'back', 'healthy': True, 'vrrp_state': 'BACKUP',
                 'holds': []}, **changes)


def plan(value='away', here=None, states=None, groups=None, **changes):
    variables = dict(DEFAULTS, **dict({'keepalived_vip': [VIP + '/24'], 'keepalived_handover': value}, **changes))
    return keepalived_rules.handover(variables, 'lb1', HOSTVARS, GROUPS if groups is None else groups,
                                     state(holds=[VIP], vrrp_state='MASTER') if here is None else here,
                                     {'lb2': state()} if states is None else states)


def test_the_peers_and_their_checks_without_a_read():
    found = keepalived_rules.handover(dict(DEFAULTS, keepalived_vip=[VIP + '/24'], keepalived_handover='away'),
                                      'lb1', HOSTVARS, GROUPS)
    assert found['others'] == ['lb2']
    assert found['vip_addresses'] == [VIP]
    assert found['checks']['lb2'] == ['runuser', '-u', 'keepalived_script', '--', '/etc/keepalived/webstack-check-nginx',
                                      'http://127.0.0.1/nginx_status']
    assert found['problems'] == [] and found['taker'] is None


def test_a_peer_check_of_its_own_as_root():
    hostvars = dict(HOSTVARS, lb2={'keepalived_check_script': '/usr/bin/pidof nginx', 'keepalived_script_user': 'root'})
    found = keepalived_rules.handover(dict(DEFAULTS, keepalived_vip=[VIP + '/24'], keepalived_handover='away'),
                                      'lb1', hostvars, GROUPS)
    assert found['checks']['lb2'] == ['/usr/bin/pidof', 'nginx']


def test_away_to_a_healthy_peer():
    found = plan()
    assert found['problems'] == []
    assert found['taker'] == 'lb2'


def test_away_goes_to_the_eligible_peer_of_the_highest_priority():
    groups = {'webstack_loadbalancers': ['lb1', 'lb2', 'lb3']}
    assert plan(groups=groups, states={'lb2': state(), 'lb3': state()})['taker'] == 'lb3'
    assert plan(groups=groups, states={'lb2': state(), 'lb3': state(healthy=False)})['taker'] == 'lb2'


@pytest.mark.parametrize('peer, why', [
    (state(healthy=False), 'keepalived-lb2: its nginx check fails'),
    (state(running=False), 'keepalived does not run there'),
    (state(declared=False), "its keepalived.conf has no hand-over file"),
    (state(handover='away', vrrp_state='FAULT'), 'it is handed over itself (run back there first), its VRRP instance '
                                                 'is in FAULT'),
    (state(healthy=False, vrrp_state='FAULT'), 'its nginx check fails, its VRRP instance is in FAULT'),
    (state(vrrp_state='FAULT'), 'its VRRP instance is in FAULT'),
    ({'failed': True, 'msg': 'Data could not be sent'}, 'it could not be read (Data could not be sent)'),
    (None, 'it could not be read (unreachable)'),
])
def test_away_without_a_peer_that_can_take_the_address(peer, why):
    groups = {'webstack_loadbalancers': ['lb1', 'keepalived-lb2']}
    found = keepalived_rules.handover(dict(DEFAULTS, keepalived_vip=[VIP + '/24'], keepalived_handover='away'),
                                      'lb1', dict(HOSTVARS, **{'keepalived-lb2': {}}), groups,
                                      state(holds=[VIP], vrrp_state='MASTER'),
                                      {} if peer is None else {'keepalived-lb2': peer})
    assert len(found['problems']) == 1, found['problems']
    assert found['problems'][0].startswith('no other host of keepalived_peers can take the address over from lb1: '
                                           'keepalived-lb2: ')
    assert why.replace('keepalived-lb2: ', '') in found['problems'][0]
    assert found['taker'] is None


def test_away_with_no_other_peer_names_the_variable():
    found = plan(keepalived_peers=['lb1'], states={})
    assert found['problems'] == ['keepalived_peers (lb1) names no other host to hand the address of lb1 over to.']


def test_away_twice_needs_no_healthy_peer_and_waits_for_the_holder():
    found = plan(here=state(handover='away', vrrp_state='FAULT'), states={'lb2': state(healthy=False, holds=[VIP])})
    assert found['problems'] == []
    assert found['taker'] == 'lb2'


@pytest.mark.parametrize('changes, message', [
    ({'keepalived_handover': 'sideways'}, 'keepalived_handover (sideways) must be away'),
    ({'keepalived_handover': None}, 'keepalived_handover (None) must be away'),
    ({'keepalived_handover_timeout': 0}, 'keepalived_handover_timeout (0) must be between 1 and 3600 seconds.'),
    ({'keepalived_handover_linger': 601}, 'keepalived_handover_linger (601) must be between 0 and 600 seconds.'),
    ({'keepalived_vip': []}, 'keepalived_vip names no floating address to hand over.'),
    ({'keepalived_peers': ['lb2', 'lb3']}, 'lb1 is not one of keepalived_peers (lb2, lb3)'),
])
def test_bad_values_are_named_before_any_read(changes, message):
    variables = dict(DEFAULTS, **dict({'keepalived_vip': [VIP + '/24'], 'keepalived_handover': 'away'}, **changes))
    found = keepalived_rules.handover(variables, 'lb1', HOSTVARS, GROUPS, state(), {'lb2': state()})
    assert any(problem.startswith(message) for problem in found['problems']), found['problems']


@pytest.mark.parametrize('here, message', [
    (state(running=False), 'keepalived does not run on lb1: nothing to hand over.'),
    (state(declared=False), 'the keepalived.conf of lb1 has no hand-over file: run the keepalived role'),
])
def test_this_host_must_run_keepalived_with_the_file(here, message):
    assert any(problem.startswith(message) for problem in plan(here=here)['problems'])


def test_back_needs_the_host_s_own_nginx():
    found = plan('back', here=state(handover='away', vrrp_state='FAULT', healthy=False))
    assert found['problems'] == ['the nginx check of lb1 fails: start nginx there before back (keepalived keeps the '
                                 'instance in FAULT while it fails).']


def test_back_needs_no_peer_and_reclaims_only_with_preemption_and_the_highest_priority():
    here = state(handover='away', vrrp_state='FAULT')
    assert plan('back', here=here, states={})['problems'] == []
    assert plan('back', here=here)['reclaims'] is False  # nopreempt, the default
    assert plan('back', here=here, keepalived_nopreempt=False)['reclaims'] is True  # 150 > 140
    groups = {'webstack_loadbalancers': ['lb1', 'lb2', 'lb3']}
    assert plan('back', here=here, groups=groups, keepalived_nopreempt=False,
                states={'lb2': state(), 'lb3': state()})['reclaims'] is False  # lb3 has 200
