# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge times: wall time and PLAY RECAP of a fresh converge and of a no-op re-run.

Sections:
  nginx_role  the nginx role alone on a new Debian 12 container;
  single      site.yml on one new Debian 12 container in both groups (the
              example inventory's group_vars); the throughput section runs
              on that converged host;
  fleet       site.yml on lb1 (Debian 12), app1 (12) and app2 (13); the
              rollout section runs on that converged fleet.
"""

from __future__ import annotations

import os

from . import common

NGINX_ROLE_PLAY = '''---
- name: Benchmark - nginx role
  hosts: all
  gather_facts: false
  roles:
    - role: webstack.nginx_uwsgi.nginx
'''

FLEET_HOSTS = '3 (lb1 Debian 12, app1 Debian 12, app2 Debian 13)'
FLEET_INVENTORY = os.path.join(common.REPO, 'inventories', 'example', 'bench.ini')  # git-ignored; group_vars beside it


def _what(state, containers):
    return 'fresh converge' if state == 'fresh' else 're-converge (reused %s)' % containers


def nginx_role(bench):
    prefix = bench.settings.prefix + '-nginxrole'
    work = os.path.join(common.WORK, 'nginx_role')
    inventory, play = os.path.join(work, 'hosts.ini'), os.path.join(work, 'play.yml')
    common.say('>> nginx role alone on %s-nginx (Debian 12)' % prefix)
    state = bench.fleet_up(prefix, inventory, 'nginx:12')
    with open(play, 'w', encoding='utf-8') as handle:
        handle.write(NGINX_ROLE_PLAY)
    bench.time_playbook('nginx role, ' + _what(state, 'container'), '1 (Debian 12)', inventory, play)
    bench.time_playbook('nginx role, no-op re-run', '1 (Debian 12)', inventory, play)


def single(bench):
    prefix = bench.settings.prefix
    container = prefix + '-single'
    work = os.path.join(common.WORK, 'single')
    inventory = os.path.join(work, 'hosts.ini')
    hosts = '1 (Debian 12, both groups)'
    common.say('>> site.yml on %s (Debian 12, in webstack_appservers and webstack_loadbalancers)' % container)
    state = bench.fleet_up(prefix, os.path.join(work, 'fleet.ini'), 'single:12')
    # One host in both groups; the example inventory's group_vars beside it.
    group_vars = os.path.join(work, 'group_vars')
    if os.path.lexists(group_vars):
        os.unlink(group_vars)
    os.symlink(os.path.join(common.REPO, 'inventories', 'example', 'group_vars'), group_vars)
    with open(inventory, 'w', encoding='utf-8') as handle:
        handle.write('[webstack_appservers]\nsingle ansible_connection=community.docker.docker ansible_host=%s\n\n'
                     '[webstack_loadbalancers]\nsingle\n' % container)
    site = os.path.join(common.REPO, 'site.yml')
    bench.time_playbook('site.yml, ' + _what(state, 'container'), hosts, inventory, site)
    bench.time_playbook('site.yml, no-op re-run', hosts, inventory, site)
    bench.state['single'] = {'container': container, 'inventory': inventory}


def fleet(bench):
    prefix = bench.settings.fleet_prefix
    common.say('>> site.yml on the fleet %s: lb1 (Debian 12), app1 (Debian 12), app2 (Debian 13)' % prefix)
    state = bench.fleet_up(prefix, FLEET_INVENTORY, 'lb1:12', 'app1:12', 'app2:13')
    site = os.path.join(common.REPO, 'site.yml')
    bench.time_playbook('site.yml, ' + _what(state, 'containers'), FLEET_HOSTS, FLEET_INVENTORY, site)
    bench.time_playbook('site.yml, no-op re-run', FLEET_HOSTS, FLEET_INVENTORY, site)
    bench.state['fleet'] = {'prefix': prefix, 'inventory': FLEET_INVENTORY, 'lb': prefix + '-lb1'}
