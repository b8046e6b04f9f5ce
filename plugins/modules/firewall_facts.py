#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: firewall_facts
short_description: What the firewall role must know of a host before it changes its packet filter
version_added: 0.1.0
description:
  - Reads, without changing anything, the C(SSH_CONNECTION) of the connection the controller came in by (from this
    process or the nearest of its parents that has it, so that C(become) does not hide it), whether the host may
    load a ruleset (C(CAP_NET_ADMIN) in the effective capabilities), whether C(nft) is installed, and whether the
    role's unit is enabled, so that a converged host needs no other task to tell.
  - The firewall role checks with them, before any change, that its new ruleset lets the controller in again and
    that the host can load it at all (a container started without C(NET_ADMIN) cannot).
options:
  unit:
    description:
      - Name of a systemd unit; RV(unit_enabled) says whether it is enabled (a link to it in a C(.wants)
        directory of C(/etc/systemd/system), as C(systemctl enable) makes for its C(WantedBy)).
    type: str
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: posix
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Read where the controller comes from
  webstack.nginx_uwsgi.firewall_facts:
  register: __firewall_host
"""

RETURN = r"""
ssh_connection:
  description: C(SSH_CONNECTION) (client address, client port, server address, server port); empty without SSH.
  returned: always
  type: str
  sample: 10.30.58.1 50412 10.30.58.21 22
net_admin:
  description: Whether the host may change its packet filter (C(CAP_NET_ADMIN) is effective).
  returned: always
  type: bool
nft:
  description: Path of C(nft), empty when it is not installed.
  returned: always
  type: str
unit_enabled:
  description: Whether O(unit) is enabled (false without O(unit)).
  returned: always
  type: bool
"""

import glob
import os

from ansible.module_utils.basic import AnsibleModule

CAP_NET_ADMIN = 12


def ssh_connection(pid=None, read=None):
    """SSH_CONNECTION of process ``pid`` or of the nearest parent that has it ('' when none has)."""
    read = read or _read
    pid = pid or os.getpid()
    for _depth in range(32):
        environ = read('/proc/%s/environ' % pid)
        for item in (environ or '').split('\0'):
            if item.startswith('SSH_CONNECTION='):
                return item.split('=', 1)[1]
        status = read('/proc/%s/status' % pid) or ''
        parent = [line.split()[1] for line in status.splitlines() if line.startswith('PPid:') and len(line.split()) > 1]
        if not parent or parent[0] in ('0', '1', str(pid)):
            return ''
        pid = parent[0]
    return ''


def net_admin(status_text):
    """Whether CAP_NET_ADMIN is in the CapEff of a /proc/<pid>/status text."""
    for line in (status_text or '').splitlines():
        if line.startswith('CapEff:'):
            try:
                return bool(int(line.split()[1], 16) >> CAP_NET_ADMIN & 1)
            except (IndexError, ValueError):
                return False
    return False


def unit_enabled(unit, find=glob.glob):
    """Whether ``unit`` is linked from a .wants directory of /etc/systemd/system (what ``systemctl enable`` makes)."""
    if not unit or '/' in unit:
        return False
    return bool(find('/etc/systemd/system/*.wants/' + glob.escape(unit)))


def _read(path):
    try:
        with open(path, 'rb') as handle:
            return handle.read().decode('utf-8', 'replace')
    except OSError:
        return None


def main():
    module = AnsibleModule(argument_spec={'unit': {'type': 'str'}}, supports_check_mode=True)
    module.exit_json(changed=False, ssh_connection=os.environ.get('SSH_CONNECTION') or ssh_connection(),
                     net_admin=net_admin(_read('/proc/self/status')),
                     nft=module.get_bin_path('nft', opt_dirs=['/usr/sbin', '/sbin']) or '',
                     unit_enabled=unit_enabled(module.params['unit']))


if __name__ == '__main__':
    main()
