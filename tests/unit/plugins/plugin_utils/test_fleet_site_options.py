# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""webstack_lb_site_options, webstack_lb_locations and webstack_app_site_options: the default sites with the user's keys."""

from __future__ import annotations

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import fleet, rules, site_rules

GROUPS = {'webstack_appservers': ['app1', 'app2'], 'webstack_loadbalancers': ['lb1']}
HOSTVARS = {'app1': {}, 'app2': {}, 'lb1': {'webstack_lb_address': '10.0.0.1'}}
APPS = [{'name': 'shop'}]


def messages(out):
    return rules.alias(site_rules.problems(site_rules.Context(sites=out['sites'], upstreams=out['upstreams'],
                                                              groups=GROUPS, hostvars=HOSTVARS)), out['aliases'])


def test_load_balancer_site_options_and_locations():
    out = fleet.compose('lb1', {
        'webstack_lb_site_options': {'logs': 'own', 'headers': {'X-Env': 'prod'}, 'name': 'ignored'},
        'webstack_lb_locations': [{'path': '/static/', 'kind': 'upstream', 'upstream': 'webstack-app'}],
    }, GROUPS, HOSTVARS)
    site = out['sites'][0]
    assert site['name'] == 'webstack-lb' and site['logs'] == 'own' and site['headers'] == {'X-Env': 'prod'}
    assert [loc['path'] for loc in site['locations']] == ['/static/', '/']
    assert messages(out) == []


def test_messages_name_the_fleet_variables():
    out = fleet.compose('lb1', {
        'webstack_lb_site_options': {'logs': 'everywhere'},
        'webstack_lb_locations': [{'path': '/x/', 'kind': 'upstream', 'upstream': 'nope'}],
    }, GROUPS, HOSTVARS)
    found = messages(out)
    assert 'webstack_lb_site_options.logs (everywhere) must be one of shared, own, none' in found
    assert 'webstack_lb_locations[0].upstream (nope) must name an entry of site_upstreams' in found


def test_app_site_options_keep_what_the_fleet_sets():
    out = fleet.compose('app1', {'uwsgi_app_apps': APPS, 'webstack_app_site_options': {'logs': 'own'}},
                        GROUPS, HOSTVARS)
    site = out['sites'][0]
    assert site['logs'] == 'own' and site['real_ip_from'] == ['10.0.0.1'] and site['default_server']
    found = rules.alias(['site_sites[0].logs (x) must be one of shared'], out['aliases'])
    assert found == ['webstack_app_site_options.logs (x) must be one of shared']


def test_the_direct_site_puts_the_user_locations_first():
    groups = {'webstack_appservers': ['lb1'], 'webstack_loadbalancers': ['lb1']}
    out = fleet.compose('lb1', {'uwsgi_app_apps': [{'name': 'shop', 'static': [{'url': '/s/', 'dir': 's'}]}],
                                'webstack_lb_locations': [{'path': '= /login', 'kind': 'redirect', 'target': '/'}]},
                        groups, {'lb1': {}})
    site = [s for s in out['sites'] if s['name'] == 'webstack-lb'][0]
    assert [loc['path'] for loc in site['locations']] == ['= /login', '^~ /s/', '/']
    assert out['aliases']['site_sites[1].locations[1]'] == 'uwsgi_app_apps[0].static[0]'
    assert out['aliases']['site_sites[1].locations[0]'] == 'webstack_lb_locations[0]'


def test_site_options_problems():
    assert fleet.site_options_problems({}) == []
    found = fleet.site_options_problems({
        'webstack_lb_site_options': {'tls': {}, 'locations': []},
        'webstack_app_site_options': 'limit',
        'webstack_lb_locations': [{'path': '/'}],
    })
    assert found == [
        'webstack_lb_site_options.locations is set by the fleet itself (name, server_names, tls, locations, '
        'request_id are): to choose it, write the whole site with webstack_lb_sites.',
        'webstack_lb_site_options.tls is set by the fleet itself (name, server_names, tls, locations, request_id '
        'are): to choose it, write the whole site with webstack_lb_sites.',
        "webstack_app_site_options must be a mapping (keys of a site_sites entry), got 'limit'.",
        'webstack_lb_locations[0].path (/) is the default location of the site: use another path or write the '
        'whole site with webstack_lb_sites.',
    ]
    assert fleet.site_options_problems({'webstack_lb_locations': 'x'}) == [
        "webstack_lb_locations must be a list of locations (site_sites[].locations entries), got 'x'."]
