# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What each host of the fleet serves, the aliases of its messages, and the checks of the webstack_* variables."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import fleet, rules, site_rules

KNOWN = list(yaml.safe_load((Path(__file__).resolve().parents[4] / 'roles/webstack/meta/argument_specs.yml')
                            .read_text())['argument_specs']['main']['options'])
GROUPS = {'webstack_appservers': ['app1', 'app2'], 'webstack_loadbalancers': ['lb1', 'lb2']}
HOSTVARS = {
    'app1': {'webstack_app_port': 8080}, 'app2': {},
    'lb1': {'ansible_facts': {'nginx': {'addresses': ['10.0.0.1']}}},
    'lb2': {'webstack_lb_address': '10.0.0.2', 'ansible_facts': {'nginx': {'addresses': ['10.0.9.9']}}},
}
APPS = [{'name': 'shop', 'static': [{'url': '/static/', 'dir': 'static', 'expires': 'max'}]}, {'name': 'admin'}]


def test_app_host_site():
    out = fleet.compose('app1', {'uwsgi_app_apps': APPS, 'webstack_app_port': 8081}, GROUPS, HOSTVARS)
    assert out['app'] and not out['lb'] and out['upstreams'] == []
    site = out['sites'][0]
    assert site['listen'] == ['8081'] and site['default_server'] and site['server_names'] == ['app1']
    assert site['allow'] == ['10.0.0.1', '10.0.0.2', '127.0.0.1', '::1']
    # the load balancers, not loopback, say who the client is and which request it is
    assert site['real_ip_from'] == ['10.0.0.1', '10.0.0.2']
    assert site['request_id'] == 'keep'
    assert site['locations'] == [
        {'path': '^~ /static/', 'kind': 'static', 'alias': '/srv/shop/current/static/', 'expires': 'max',
         'try_files': '$uri =404'},
        {'path': '/', 'kind': 'uwsgi', 'socket': '/run/uwsgi-app/shop/uwsgi.sock'}]


def test_load_balancer_site_and_upstream():
    out = fleet.compose('lb1', {'webstack_lb_server_names': ['www.example.org'], 'webstack_lb_balance': 'least_conn'},
                        GROUPS, HOSTVARS)
    assert [s['name'] for s in out['sites']] == ['webstack-lb'] and out['sites'][0]['tls'] == {'mode': 'selfsigned'}
    assert out['upstreams'][0]['balance'] == 'least_conn'
    # the edge trusts nobody: a new id per request, no real_ip_from
    assert out['sites'][0]['request_id'] == 'generate' and 'real_ip_from' not in out['sites'][0]
    assert out['upstreams'][0]['servers_from_group']['group'] == 'webstack_appservers'


@pytest.mark.parametrize('allow, mode', [(['10.1.0.0/16'], 'keep'), ([], 'generate'), (['all'], 'generate')])
def test_app_hosts_keep_the_request_id_only_when_closed_to_the_rest(allow, mode):
    out = fleet.compose('app1', {'uwsgi_app_apps': APPS, 'webstack_app_allow': allow}, GROUPS, HOSTVARS)
    site = out['sites'][0]
    assert site['request_id'] == mode
    assert site['real_ip_from'] == ['10.0.0.1', '10.0.0.2']
    assert site_rules.problems(site_rules.Context(sites=out['sites'])) == []


def test_real_ip_from_problems_name_the_load_balancers():
    hostvars = dict(HOSTVARS, lb2={'webstack_lb_address': 'lb2.example'})
    out = fleet.compose('app1', {'uwsgi_app_apps': APPS}, GROUPS, hostvars)
    found = rules.alias(site_rules.problems(site_rules.Context(sites=out['sites'])), out['aliases'])
    assert ('the addresses of webstack_loadbalancers (webstack_lb_address)[1] (lb2.example) must be an IPv4 or '
            'IPv6 address or a CIDR range') in found


def test_a_host_in_both_groups_serves_both_sites():
    groups = {'webstack_appservers': ['app1'], 'webstack_loadbalancers': ['app1']}
    out = fleet.compose('app1', {'uwsgi_app_apps': APPS}, groups, {'app1': {}})
    assert [s['name'] for s in out['sites']] == ['webstack-app', 'webstack-lb']
    # the only app host: its load balancer site serves the app itself (no second nginx hop, no upstream)
    app_site, lb_site = out['sites']
    assert lb_site['locations'] == app_site['locations'] and out['upstreams'] == []
    assert lb_site['locations'][-1] == {'path': '/', 'kind': 'uwsgi', 'socket': '/run/uwsgi-app/shop/uwsgi.sock'}
    assert lb_site['request_id'] == 'generate' and 'real_ip_from' not in lb_site
    assert out['aliases']['site_sites[1].locations[1].socket'] == 'uwsgi_app_apps[0].socket'
    assert out['aliases']['site_sites[1].locations[0]'] == 'uwsgi_app_apps[0].static[0]'
    assert site_rules.problems(site_rules.Context(sites=out['sites'], upstreams=out['upstreams'])) == []


@pytest.mark.parametrize('groups, values', [
    # other app hosts: the load balancer site spreads the requests over all of them
    ({'webstack_appservers': ['app1', 'app2'], 'webstack_loadbalancers': ['app1']}, {}),
    # sites or upstreams of the user's own: they say where requests go
    ({'webstack_appservers': ['app1'], 'webstack_loadbalancers': ['app1']}, {'webstack_app_sites': []}),
    ({'webstack_appservers': ['app1'], 'webstack_loadbalancers': ['app1']},
     {'webstack_lb_upstreams': [{'name': 'webstack-app', 'servers': [{'address': '127.0.0.1:8080'}]}]}),
    # no app: nothing to send the requests to on this host
    ({'webstack_appservers': ['app1'], 'webstack_loadbalancers': ['app1']}, {'uwsgi_app_apps': []}),
])
def test_a_host_in_both_groups_goes_through_the_upstream_otherwise(groups, values):
    out = fleet.compose('app1', dict({'uwsgi_app_apps': APPS}, **values), groups, {'app1': {}, 'app2': {}})
    lb_site = out['sites'][-1]
    assert lb_site['name'] == 'webstack-lb'
    assert lb_site['locations'] == [{'path': '/', 'kind': 'upstream', 'upstream': 'webstack-app', 'connect_timeout': 2,
                                     'read_timeout': 30}]
    assert [up['name'] for up in out['upstreams']] == ['webstack-app']


def test_messages_about_composed_entries_name_the_variables_the_user_set():
    out = fleet.compose('app1', {'uwsgi_app_apps': APPS, 'webstack_app_port': 70000}, {
        'webstack_appservers': ['app1'], 'webstack_loadbalancers': ['app1']}, {'app1': {}})
    out['sites'][1]['tls'] = {'mode': 'files', 'cert_src': '/nonexistent.pem', 'key_src': '/nonexistent.key'}
    context = site_rules.Context(sites=out['sites'], upstreams=out['upstreams'],
                                 groups={'webstack_appservers': ['app1']}, hostvars={'app1': {}})
    found = site_rules.problems(context)
    found = rules.alias(found, out['aliases'])
    assert 'webstack_app_port[0] (70000) must be a port (1-65535) or address:port' in found
    assert 'webstack_lb_tls.cert_src (/nonexistent.pem) is not a file on the controller' in found


def test_given_sites_are_named_by_their_variable():
    out = fleet.compose('lb1', {'webstack_lb_sites': [{'name': 'x'}], 'webstack_lb_upstreams': [{'name': 'u'}]},
                        GROUPS, HOSTVARS)
    assert out['aliases'] == {'site_sites[0]': 'webstack_lb_sites[0]', 'site_upstreams[0]': 'webstack_lb_upstreams[0]'}


def test_no_problem_with_the_defaults():
    assert fleet.problems('app1', {}, GROUPS, HOSTVARS, KNOWN) == []
    assert fleet.problems('lb1', {}, GROUPS, HOSTVARS, KNOWN) == []


def test_problems_name_the_webstack_variables():
    values = {'webstack_app_port': 70000, 'webstack_serial': '200%', 'webstack_max_fail_percentage': 101,
              'webstack_health_path': 'healthz', 'webstack_health_retries': 'many', 'webstack_app_allow': ['lb1'],
              'webstack_lb_server_name': ['typo']}
    assert fleet.problems('app1', values, GROUPS, HOSTVARS, KNOWN) == [
        'webstack_lb_server_name is not a variable of the fleet (did you mean webstack_lb_server_names?).',
        'webstack_app_port (70000) must be a port (1-65535).',
        'webstack_app_allow[0] (lb1) must be an IPv4 or IPv6 address or a CIDR range.',
        'webstack_serial (200%) must be a number of hosts, a percentage (25%) or a list of them.',
        'webstack_max_fail_percentage (101) must be a number from 0 to 100.',
        'webstack_health_path (healthz) must be a URL path starting with / (no spaces or quotes).',
        'webstack_health_retries (many) must be a number (0 or more).',
    ]


def test_load_balancer_checks():
    hostvars = dict(HOSTVARS, app2={'webstack_app_port': 70000}, lb1={})
    assert fleet.problems('lb2', {'webstack_lb_balance': 'random', 'webstack_lb_tls': 'yes'}, GROUPS, hostvars,
                          KNOWN) == [
        'webstack_app_port (70000) of app2 must be a port (1-65535).',
        'webstack_lb_balance (random) must be one of round_robin, least_conn, ip_hash, hash.',
        "webstack_lb_tls must be a mapping (the tls of a site: mode, ...), got 'yes'.",
    ]
    # an app host cannot let in a load balancer whose address nobody knows
    assert fleet.problems('app1', {}, GROUPS, hostvars, KNOWN) == [
        'the address of load balancer lb1 is unknown, so the app hosts cannot let it in: set its webstack_lb_address '
        '(or webstack_app_allow).']


def test_serial_forms():
    for serial in (1, '25%', [1, '50%', '100%']):
        assert fleet.problems('app1', {'webstack_serial': serial}, GROUPS, HOSTVARS, KNOWN) == []


def test_floating_addresses_of_the_load_balancers_are_not_theirs():
    hostvars = {
        # holds the VIP now: nginx_facts reads it among its addresses
        'lb1': {'keepalived_vip': ['10.0.0.100/24'], 'ansible_facts': {'nginx': {'addresses': ['10.0.0.1', '10.0.0.100']}}},
        # a VIP of an earlier inventory that its keepalived.conf still holds
        'lb2': {'keepalived_vip': '10.0.0.100/24', 'ansible_facts': {'nginx': {'addresses': ['10.0.0.2', '10.0.0.99']}},
                'keepalived_current_conf': 'vrrp_instance x {\n  virtual_ipaddress {\n    10.0.0.99/24 dev eth0\n  }\n}\n'},
    }
    assert fleet.lb_addresses(GROUPS, hostvars) == (['10.0.0.1', '10.0.0.2'], [])
    # the same list whether or not the address is held when the app hosts are configured
    hostvars['lb1']['ansible_facts']['nginx']['addresses'] = ['10.0.0.1']
    assert fleet.lb_addresses(GROUPS, hostvars) == (['10.0.0.1', '10.0.0.2'], [])


def test_floating_addresses_are_the_vips_and_those_keepalived_holds():
    # rules.floating_addresses, which the fleet reads without the keepalived role's rules
    assert rules.floating_addresses(None) == set()
    assert rules.floating_addresses('10.0.0.100/24') == {'10.0.0.100'}
    # a value that is not an address with its prefix length (its own rule reports it) is left out as it is written
    assert rules.floating_addresses(['10.0.0.100', 'nope/24']) == {'10.0.0.100', 'nope'}
    current = 'vrrp_instance x {\n  unicast_src_ip 10.0.0.1\n  virtual_ipaddress {\n    10.0.0.99/24 dev eth0\n  }\n}\n'
    assert rules.floating_addresses(['10.0.0.100/24'], current) == {'10.0.0.100', '10.0.0.99'}
    assert rules.keepalived_conf(current) == {'src': '10.0.0.1', 'vips': ['10.0.0.99']}


# ---------------------------------------------------------------- metrics

def test_metrics_of_an_app_host_and_a_load_balancer():
    hostvars = {'app1': {'ansible_host': '10.0.1.1'}, 'lb1': {'ansible_host': 'lb1.example'}}
    values = {'webstack_metrics_allow': ['10.0.0.9'],
              'uwsgi_app_apps': [{'name': 'shop', 'src': '/x', 'secrets': {'KEY': 'v'}, 'socket': '/run/a/s.sock'}],
              'uwsgi_app_runtime_dir': '/run/a'}
    app = fleet.compose('app1', values, GROUPS, hostvars)['metrics']
    assert app == {'metrics_address': '10.0.1.1', 'metrics_port': 9180, 'metrics_allow': ['10.0.0.9'],
                   'metrics_uwsgi_apps': [{'name': 'shop', 'socket': '/run/a/s.sock'}],
                   'metrics_uwsgi_runtime_dir': '/run/a', 'metrics_uwsgi_base_dir': '/srv'}
    lb = fleet.metrics('lb1', dict(values, webstack_metrics_address='10.0.0.1', webstack_metrics_port=9999), GROUPS,
                       hostvars)
    assert lb['metrics_address'] == '10.0.0.1' and lb['metrics_port'] == 9999 and lb['metrics_uwsgi_apps'] == []
    assert fleet.metrics('lb1', {}, GROUPS, hostvars)['metrics_allow'] == []


def test_metrics_problems_name_the_fleet_variables():
    hostvars = {'app1': {'ansible_host': '10.0.1.1'}, 'lb1': {'ansible_host': 'lb1.example'}}
    bad = {'webstack_metrics_allow': ['0.0.0.0/0'], 'webstack_metrics_address': '0.0.0.0',
           'webstack_metrics_port': 70000}
    assert fleet.problems('app1', bad, GROUPS, HOSTVARS, KNOWN) == [
        'webstack_metrics_allow[0] (0.0.0.0/0) lets every address in: name the scrapers (their addresses or networks).',
        'webstack_metrics_address (0.0.0.0) listens on every address: give the one address the scrapers reach.',
        'webstack_metrics_port (70000) must be a port (1-65535).',
    ]
    assert fleet.metrics_problems('lb1', {'webstack_metrics_allow': ['10.0.0.9']}, hostvars) == [
        'webstack_metrics_address is not set and the ansible_host of lb1 is not an IP address: give the address the '
        'scrapers of webstack_metrics_allow reach.']
    assert fleet.metrics_problems('app1', {'webstack_metrics_allow': ['10.0.0.9']}, hostvars) == []
    assert fleet.metrics_problems('lb1', {}, hostvars) == []
    assert fleet.metrics_problems('lb1', {'webstack_metrics_allow': '10.0.0.9'}, hostvars) == [
        "webstack_metrics_allow must be a list of addresses or CIDR ranges, got '10.0.0.9'."]


def test_play_hosts_by_the_check_plays_facts():
    groups = {'webstack_appservers': ['app1', 'app2', 'both'], 'webstack_loadbalancers': ['lb1', 'both']}
    hostvars = {'app1': {'webstack_firewall_vars': {'firewall_enabled': False}, 'webstack_metrics': {'metrics_allow': []}},
                'app2': {'webstack_firewall_vars': {'firewall_enabled': True}, 'webstack_metrics': {'metrics_allow': ['10.0.0.9']}},
                'both': {'webstack_firewall_vars': {'firewall_enabled': True}, 'webstack_metrics': {'metrics_allow': []}},
                'lb1': {}}  # not checked: kept, its play fails for it as before
    assert fleet.play_hosts(groups, hostvars, 'firewall') == ['app2', 'both', 'lb1']
    assert fleet.play_hosts(groups, hostvars, 'metrics') == ['app2', 'lb1']
    assert fleet.play_hosts({}, {}, 'metrics') == []
    hostvars = {'app1': {'uwsgi_app_plan': [{'name': 'a', 'rolling': False}, {'name': 'b', 'rolling': True}]},
                'app2': {'uwsgi_app_plan': [{'name': 'a', 'rolling': False}]}, 'both': {},
                'lb1': {'uwsgi_app_plan': [{'name': 'a', 'rolling': True}]}}  # not an app host
    assert fleet.play_hosts(groups, hostvars, 'rolling') == ['app1']
    hostvars = {'app1': {'webstack_validated': True}, 'app2': {'webstack_validated': False}, 'lb1': {'webstack_validated': True}}
    assert fleet.play_hosts(groups, hostvars, 'unchecked') == ['app2', 'both']
    assert fleet.play_hosts(groups, {}, 'unchecked') == ['app1', 'app2', 'both', 'lb1']
    with pytest.raises(ValueError, match="no play of role 'nginx'"):
        fleet.play_hosts(groups, hostvars, 'nginx')


def test_left_out_app_hosts_are_those_a_load_balancer_marks_down():
    groups = {'webstack_appservers': ['app1', 'app2', 'app3'], 'webstack_loadbalancers': ['lb1', 'lb2', 'lb3']}
    hostvars = {'lb1': {'site_member_down': ['app3']},
                'lb2': {'site_member_down': ['app1', 'app3', 'gone']},  # a server no longer in the inventory
                'lb3': {}}  # not read (no inventory host in its upstreams)
    assert fleet.play_hosts(groups, hostvars, 'left_out') == ['app1', 'app3']
    assert fleet.play_hosts(groups, {'lb1': {'site_member_down': []}}, 'left_out') == []
    assert fleet.play_hosts({}, {}, 'left_out') == []
