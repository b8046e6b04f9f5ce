#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: keepalived_handover
short_description: Read or set the planned hand-over of a load balancer's floating address (keepalived track file)
version_added: 0.1.0
description:
  - The C(webstack.nginx_uwsgi.keepalived) role's C(keepalived.conf) always declares a C(track_file) (O(path))
    that its instance tracks with weight 0 - a non-zero number in the file puts the instance in C(FAULT), which
    gives the floating address up at once (a priority 0 advertisement - the peer with the highest priority takes it
    over), and keeps it from taking the address again while the file says so, across restarts and reboots. C(0)
    (or no file) makes the host eligible again. keepalived watches the file (inotify) - no reload is needed.
  - With O(handover) C(away) the module writes C(1) to the file, with C(back) C(0); without it, it only reads.
    Either way it reports the state of the host - whether the file asks for a hand-over, whether the running
    C(keepalived.conf) declares the file at all, whether keepalived runs and its VRRP state (the last
    C(Entering ... STATE) of its journal), the floating addresses of O(floating_addresses) the host holds (from
    C(/proc/net/fib_trie)) and whether the nginx check O(check) succeeds now.
options:
  handover:
    description: C(away) (write C(1)), C(back) (write C(0)), or unset to read only.
    type: str
    choices: [away, back]
  path:
    description: The track file.
    type: path
    default: /etc/keepalived/webstack-handover
  conf:
    description: keepalived.conf, read to tell whether it declares the track file.
    type: path
    default: /etc/keepalived/keepalived.conf
  track_name:
    description: The name of the C(track_file) in O(conf).
    type: str
    default: webstack_handover
  instance:
    description: The name of the C(vrrp_instance), whose state the journal tells.
    type: str
    default: webstack
  floating_addresses:
    description: The floating addresses (with or without a prefix length).
    type: list
    elements: str
    default: []
  check:
    description: A command line whose exit status 0 means nginx serves here (the role's check); unset to skip.
    type: list
    elements: str
  linger:
    description:
      - With O(handover=away) - seconds the host keeps the floating addresses it holds as local addresses on C(lo)
        once keepalived has given them up, so that the answers to the requests in flight still leave it (a client's
        next packet goes to the new holder). Before the write, each address it holds is added to C(lo) (C(/32) or
        C(/128)), and a transient systemd timer removes them after O(linger) seconds and a minute, should nobody
        release them (a controller killed meanwhile). 0 - nothing of the kind.
      - The host answers ARP for those addresses meanwhile, unless C(arp_ignore) says otherwise; the new holder's
        gratuitous ARP has moved the clients already.
    type: int
    default: 0
  release:
    description:
      - Remove the local copies of O(floating_addresses) from C(lo) (and the timer that would), after O(wait) seconds.
        C(back) releases them too.
    type: bool
    default: false
  wait:
    description: Seconds to wait before O(release) (the requests in flight finish meanwhile).
    type: int
    default: 0
attributes:
  check_mode:
    support: full
    description: Reports what C(away) or C(back) would write, and writes nothing.
  diff_mode:
    support: full
    description: The track file's content before and after.
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Hand the floating address away from this host
  webstack.nginx_uwsgi.keepalived_handover:
    handover: away
    floating_addresses: [10.0.0.100/24]

- name: Read the state of a peer
  webstack.nginx_uwsgi.keepalived_handover:
    floating_addresses: [10.0.0.100/24]
    check: [runuser, -u, keepalived_script, --, /etc/keepalived/webstack-check-nginx]
  delegate_to: lb2
"""

RETURN = r"""
handover:
  description: What the track file asks for now - C(away) (a non-zero number) or C(back).
  returned: always
  type: str
declared:
  description: Whether O(conf) declares the track file (a host converged by an older role does not).
  returned: always
  type: bool
running:
  description: Whether keepalived runs.
  returned: always
  type: bool
vrrp_state:
  description: The last state the journal shows for the instance (C(MASTER), C(BACKUP), C(FAULT)), null when unknown.
  returned: always
  type: str
holds:
  description: The floating addresses this host holds now (on an interface other than C(lo)).
  returned: always
  type: list
  elements: str
healthy:
  description: Whether O(check) succeeded (null when not run).
  returned: always
  type: bool
lingering:
  description: The floating addresses the host keeps on C(lo) (see O(linger)).
  returned: always
  type: list
  elements: str
"""

import os
import re
import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.host_addresses import (
    parse_fib_trie, parse_ip_addresses)

AWAY = '1\n'
BACK = '0\n'


def read(path):
    try:
        with open(path) as handle:
            return handle.read()
    except (IOError, OSError):
        return None


def file_value(text):
    """'away' when the track file holds a non-zero number, else 'back' (no file, empty, 0)."""
    try:
        return 'away' if int((text or '0').strip() or '0') != 0 else 'back'
    except ValueError:
        return 'away'  # not a number: never taken for "back"


def declared(conf, name, path):
    """Whether keepalived.conf declares the track file ``name`` on ``path`` and an instance tracks it."""
    conf = conf or ''
    block = re.search(r'(?ms)^\s*(?:vrrp_)?track_file\s+%s\s*\{(.*?)\}' % re.escape(name), conf)
    return bool(block and re.search(r'(?m)^\s*file\s+"?%s"?\s*$' % re.escape(path), block.group(1))
                and re.search(r'(?ms)^\s*track_file\s*\{[^}]*^\s*%s\b' % re.escape(name), conf))


def vrrp_state(journal, instance):
    """The last state the journal names for the instance since keepalived last started its VRRP process.

    keepalived writes "(name) Entering MASTER STATE" on a change and "(name) entering FAULT state" when it starts
    in FAULT (a tracked file or script that fails at start).
    """
    since = (journal or '').split('Starting VRRP child process')[-1]
    found = re.findall(r'\(%s\):? entering (MASTER|BACKUP|FAULT) state' % re.escape(instance), since, re.IGNORECASE)
    return found[-1].upper() if found else None


LINGER_UNIT = 'webstack-handover-linger'


def held(addresses, floating):
    wanted = [value.split('/')[0] for value in floating]
    return [address for address in wanted if address in addresses]


def split_addresses(pairs, floating):
    """The floating addresses held on an interface (not lo), and those kept on lo, from (interface, address) pairs."""
    on_lo = [address for interface, address in pairs if interface == 'lo']
    elsewhere = [address for interface, address in pairs if interface != 'lo']
    return held(elsewhere, floating), held(on_lo, floating)


def host_length(address):
    return '/128' if ':' in address else '/32'


def read_addresses(module, floating):
    """(held, lingering): from `ip` when there is one (keepalived's package depends on iproute2), else /proc."""
    ip = module.get_bin_path('ip')
    if ip:
        rc, out, dummy = module.run_command([ip, '-o', 'address', 'show'])
        if rc == 0:
            return split_addresses(parse_ip_addresses(out), floating)
    return held(parse_fib_trie(read('/proc/net/fib_trie') or ''), floating), []


def keep_local(module, addresses, linger):
    """Add ``addresses`` to lo, and a timer that removes them should nobody release them."""
    ip = module.get_bin_path('ip', required=True)
    for address in addresses:
        module.run_command([ip, 'address', 'add', address + host_length(address), 'dev', 'lo'], check_rc=True)
    systemd_run = module.get_bin_path('systemd-run')
    if systemd_run and addresses:
        module.run_command(['systemctl', 'stop', LINGER_UNIT + '.timer'])
        script = '; '.join('%s address del %s%s dev lo' % (ip, address, host_length(address)) for address in addresses)
        module.run_command([systemd_run, '--unit=' + LINGER_UNIT, '--on-active=%ds' % (linger + 60),
                            '--timer-property=AccuracySec=1s', '/bin/sh', '-c', script + '; true'])


def release_local(module, addresses):
    ip = module.get_bin_path('ip', required=True)
    for address in addresses:
        module.run_command([ip, 'address', 'del', address + host_length(address), 'dev', 'lo'], check_rc=True)
    module.run_command(['systemctl', 'stop', LINGER_UNIT + '.timer'])


def main():
    module = AnsibleModule(
        argument_spec=dict(
            handover=dict(type='str', choices=['away', 'back']),
            path=dict(type='path', default='/etc/keepalived/webstack-handover'),
            conf=dict(type='path', default='/etc/keepalived/keepalived.conf'),
            track_name=dict(type='str', default='webstack_handover'),
            instance=dict(type='str', default='webstack'),
            floating_addresses=dict(type='list', elements='str', default=[]),
            check=dict(type='list', elements='str'),
            linger=dict(type='int', default=0),
            release=dict(type='bool', default=False),
            wait=dict(type='int', default=0),
        ),
        supports_check_mode=True,
    )
    params = module.params
    before = read(params['path'])
    result = dict(changed=False)
    holds, lingering = read_addresses(module, params['floating_addresses'])
    if params['release'] or params['handover'] == 'back':
        if lingering and params['wait'] > 0 and not module.check_mode:
            time.sleep(params['wait'])
        if lingering:
            result['changed'] = True
            if not module.check_mode:
                release_local(module, lingering)
    elif params['handover'] == 'away' and params['linger'] > 0 and file_value(before) != 'away':
        if holds and not module.check_mode:
            keep_local(module, [address for address in holds if address not in lingering], params['linger'])
    if params['handover'] is not None:
        wanted = AWAY if params['handover'] == 'away' else BACK
        # what the file means counts, not its bytes ("0" as keepalived's init_file writes it is back already)
        if file_value(before) != params['handover']:
            result['changed'] = True
            result['diff'] = dict(before=before or '', after=wanted, before_header=params['path'],
                                  after_header=params['path'])
            if not module.check_mode:
                tmp = params['path'] + '.tmp'
                with open(tmp, 'w') as handle:
                    handle.write(wanted)
                # keepalived's init_file makes it 0600; keep whatever mode it has
                os.chmod(tmp, os.stat(params['path']).st_mode & 0o7777 if before is not None else 0o644)
                os.rename(tmp, params['path'])
    writes = params['handover'] is not None and file_value(before) != params['handover']
    now = read(params['path']) if not module.check_mode else (wanted if writes else before)
    systemctl = module.get_bin_path('systemctl')
    running = False
    state = None
    if systemctl:
        rc, dummy, dummy = module.run_command([systemctl, 'is-active', '--quiet', 'keepalived'])
        running = rc == 0
    journalctl = module.get_bin_path('journalctl')
    if running and journalctl:
        rc, out, dummy = module.run_command([journalctl, '--unit=keepalived', '--output=cat', '--no-pager',
                                             '--lines=500'])
        state = vrrp_state(out, params['instance']) if rc == 0 else None
    healthy = None
    if params['check']:
        rc, dummy, dummy = module.run_command(params['check'])
        healthy = rc == 0
    holds_now, lingering_now = read_addresses(module, params['floating_addresses'])
    result.update(
        handover=file_value(now),
        declared=bool(declared(read(params['conf']), params['track_name'], params['path'])),
        running=running,
        vrrp_state=state if running else None,
        holds=holds_now,
        lingering=lingering_now,
        healthy=healthy,
    )
    module.exit_json(**result)


if __name__ == '__main__':
    main()
