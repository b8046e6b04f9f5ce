#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: patch_facts
short_description: What a package upgrade of a Debian host would install, and what it leaves to restart or reboot
version_added: 0.1.0
description:
  - One run reads what the C(webstack.nginx_uwsgi.patch) role needs of a host, before and after its upgrade.
  - The upgrades - what C(apt-get --simulate) would install for O(packages) (C(install --only-upgrade)), or for
    every upgradable package without removing any (C(upgrade --with-new-pkgs)) when O(packages) is empty; with
    O(update) the package lists are refreshed first (C(apt-get update)), which changes no installed package.
  - The packages of O(packages) that are not installed (the role refuses them before any change), and those dpkg
    left unconfigured (C(dpkg --audit) - a maintainer script that failed).
  - The services to restart - those whose processes still map or run a file that was deleted (replaced by an
    upgrade), as Debian's needrestart finds them; PID 1 (systemd) is reported apart (C(reexec)), and services
    matching O(exclude) are listed as skipped.
  - Whether the host asks for a reboot (C(/run/reboot-required), written by packages such as a new kernel's) and
    for which packages, and whether it runs an older kernel than the newest in C(/boot).
  - What the planned upgrade would leave to restart - the services whose processes use files of the packages it
    replaces (RV(predicted)).
options:
  packages:
    description: The packages to upgrade; empty for every upgradable package.
    type: list
    elements: str
    default: []
  simulate:
    description: Work out the upgrades (RV(upgrades)); false after the upgrade, to read only what it left.
    type: bool
    default: true
  update:
    description: Refresh the package lists (C(apt-get update)) before reading the upgrades.
    type: bool
    default: false
  exclude:
    description: fnmatch patterns of services never restarted (listed as skipped).
    type: list
    elements: str
    default: []
  reboot_file:
    description: The file whose presence says that the host needs a reboot.
    type: path
    default: /run/reboot-required
attributes:
  check_mode:
    support: full
    description: Reads only (a refresh of the package lists changes no installed package, and is made in check mode too).
  diff_mode:
    support: none
    description: Reads only.
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Read what an upgrade of every package would install
  webstack.nginx_uwsgi.patch_facts:
    update: true
  register: plan

- name: Read what is left to restart after the upgrade
  webstack.nginx_uwsgi.patch_facts:
    exclude: [dbus.service]
  register: after
"""

RETURN = r"""
upgrades:
  description: The packages the upgrade would install - C(name), C(from) (null for a new package), C(to), C(origin).
  returned: always
  type: list
  elements: dict
unknown:
  description: The packages of O(packages) that are not installed.
  returned: always
  type: list
  elements: str
unconfigured:
  description: Whether dpkg reports packages left unconfigured or half-installed (C(dpkg --audit)).
  returned: always
  type: bool
audit:
  description: What C(dpkg --audit) said, when it said anything.
  returned: always
  type: str
restart:
  description: The services whose processes use replaced files, to restart.
  returned: always
  type: list
  elements: str
skipped:
  description: The services that use replaced files and match O(exclude).
  returned: always
  type: list
  elements: str
reexec:
  description: Whether systemd (PID 1) uses replaced files (C(systemctl daemon-reexec)).
  returned: always
  type: bool
files:
  description: Each service of RV(restart) and RV(skipped) with the replaced files it uses.
  returned: always
  type: dict
predicted:
  description:
    - What the upgrade of RV(upgrades) would leave to restart - C(restart), C(skipped) and C(reexec) as above, for
      the processes that use files of the packages it replaces now.
  returned: always
  type: dict
kernel:
  description: The newest kernel release in C(/boot) when the host runs another one (a reboot is due), else null.
  returned: always
  type: str
reboot_required:
  description: Whether O(reboot_file) exists.
  returned: always
  type: bool
reboot_packages:
  description: The packages that asked for the reboot (C(<reboot_file>.pkgs)).
  returned: always
  type: list
  elements: str
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.patch import (
    kernel_outdated, mapped_files, not_installed, parse_simulation, predicted_restarts, reboot_packages, restart_plan,
    unit_of)

APT_ENV = {'DEBIAN_FRONTEND': 'noninteractive', 'LC_ALL': 'C.UTF-8', 'LANG': 'C.UTF-8'}


def read(path):
    try:
        with open(path, errors='replace') as handle:
            return handle.read()
    except (IOError, OSError):
        return None


def processes():
    """Every process of a service (or PID 1) with the files it maps or runs and those of them deleted."""
    found = []
    for name in os.listdir('/proc'):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        base = '/proc/' + name
        unit = unit_of(read(base + '/cgroup') or '')
        if unit is None and name != '1':
            continue  # a session's process (a shell, this connection) or a kernel thread: nothing to restart
        try:
            exe = os.readlink(base + '/exe')
        except (IOError, OSError):
            exe = None  # gone meanwhile
        mapped, deleted = mapped_files(read(base + '/maps') or '', exe)
        found.append({'pid': int(name), 'unit': unit, 'mapped': mapped, 'files': deleted})
    return found


def package_files(module, dpkg_query, names):
    """The files of the installed packages ``names`` (``dpkg-query -L``)."""
    if not names:
        return []
    dummy, out, dummy = module.run_command([dpkg_query, '-L', '--'] + list(names))
    return [line.strip() for line in out.splitlines() if line.startswith('/')]


def main():
    module = AnsibleModule(
        argument_spec=dict(
            packages=dict(type='list', elements='str', default=[]),
            update=dict(type='bool', default=False),
            simulate=dict(type='bool', default=True),
            exclude=dict(type='list', elements='str', default=[]),
            reboot_file=dict(type='path', default='/run/reboot-required'),
        ),
        supports_check_mode=True,
    )
    params = module.params
    apt_get = module.get_bin_path('apt-get', required=True)
    dpkg = module.get_bin_path('dpkg', required=True)
    dpkg_query = module.get_bin_path('dpkg-query', required=True)
    module.run_command_environ_update = APT_ENV

    if params['update']:
        rc, out, err = module.run_command([apt_get, 'update', '-q'])
        if rc != 0:
            module.fail_json(msg='apt-get update failed on this host: %s' % (err or out).strip()[-2000:])

    unknown = []
    if params['packages']:
        dummy, out, dummy = module.run_command([dpkg_query, '-W', '-f', '${Package} ${db:Status-Abbrev}\n', '--']
                                               + params['packages'])
        unknown = not_installed(params['packages'], out)

    upgrades = []
    wanted = [name for name in params['packages'] if name not in unknown]
    if params['simulate'] and (wanted or not params['packages']):
        simulate = [apt_get, '--simulate', '-q', '-o', 'Debug::NoLocking=true']
        simulate += (['install', '--only-upgrade', '--'] + wanted) if wanted else ['upgrade', '--with-new-pkgs']
        rc, out, err = module.run_command(simulate)
        if rc != 0:
            module.fail_json(msg='apt-get could not work out the upgrade (%s): %s'
                             % (' '.join(simulate[4:]), (err or out).strip()[-2000:]))
        upgrades = parse_simulation(out)

    dummy, audit, dummy = module.run_command([dpkg, '--audit'])
    running = processes()
    plan = restart_plan(running, params['exclude'])
    replaced = package_files(module, dpkg_query, [item['name'] for item in upgrades if item['from']])
    predicted = predicted_restarts(running, replaced, params['exclude'])
    reboot = os.path.exists(params['reboot_file'])
    try:
        boot = os.listdir('/boot')
    except (IOError, OSError):
        boot = []
    module.exit_json(
        changed=False,
        upgrades=upgrades,
        unknown=unknown,
        unconfigured=bool(audit.strip()),
        audit=audit.strip(),
        restart=plan['restart'],
        skipped=plan['skipped'],
        reexec=plan['reexec'],
        files=plan['files'],
        predicted=dict((key, predicted[key]) for key in ('restart', 'skipped', 'reexec')),
        reboot_required=reboot,
        kernel=kernel_outdated(os.uname()[2], boot),
        reboot_packages=reboot_packages(read(params['reboot_file'] + '.pkgs')) if reboot else [],
    )


if __name__ == '__main__':
    main()
