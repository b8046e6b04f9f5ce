# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: uwsgi_app_files
short_description: Which files of an app each step of the uwsgi_app role writes, checks or puts back
version_added: 0.1.0
description:
  - The steps of the C(webstack.nginx_uwsgi.uwsgi_app) role that write an app's files, as entries of the
    C(managed_files) module (the rules are in the collection's C(uwsgi_app_files) plugin utils).
  - C(wanted) every file each app wants (app name to entries; units and ini as C(template) entries, which the
    action plugins of C(managed_files) and C(uwsgi_app_facts) render); C(prepare) what an app needs before its
    release is built (its directories where one is missing or differs, the environment of the coming release
    staged, the directory of the release it builds); C(switch) the files of a switch as one change, the env file
    (as C(secret_content), never shown) and the removal of its staged copy, the ini (checked by uWSGI in strict
    mode), units, drop-in, links and stale worker units; C(trial) what the build phase checks on a copy before any host is drained;
    C(units) the unit files of every app that changes; C(restore) the arguments of C(uwsgi_app_ctl.py restore)
    after the files of a switch were put back; C(once_hooks) the once-hooks of the rollout, each app on the first
    host of the batch where it changes, and C(hooks) the other hooks of an app before or after its switch (each
    with its C(argv)); C(prune) the directories of the releases of an app beyond the newest O(keep) that nothing serves or names.
options:
  _input:
    description: The step, C(wanted), C(prepare), C(switch), C(trial), C(units), C(restore), C(once_hooks),
      C(hooks) or C(prune).
    type: str
    required: true
  app:
    description: The normalized app (C(prepare), C(switch), C(restore), C(prune), C(hooks)).
    type: dict
  item:
    description: Its item of the role's plan (C(prepare), C(switch), C(prune), C(hooks)).
    type: dict
  files:
    description: The files the app wants (C(prepare), C(switch)).
    type: list
    elements: dict
  apps:
    description: Every normalized app of the host (C(wanted), C(trial), C(units)).
    type: list
    elements: dict
  plan:
    description: The role's plan of the host (C(trial), C(units)).
    type: list
    elements: dict
  files_by_app:
    description: App name to the files it wants (C(trial)).
    type: dict
  ctl:
    description: The path of the role's helper on the host (C(switch), C(trial), C(once_hooks), C(hooks)).
    type: str
  binary:
    description: The uWSGI binary (C(switch), C(trial)).
    type: str
  stale_units:
    description: Worker units of the app that no worker names any more (C(switch)).
    type: list
    elements: str
  backup:
    description: The path of the switch's record (its O(webstack.nginx_uwsgi.managed_files#module:backup_file)) without
      its C(.backup) suffix; the switch removes the C(.env-backup) beside it that earlier versions kept (C(switch)).
    type: str
  restored:
    description: Path to what it is again, from C(managed_files) with C(restore_from) (C(restore)).
    type: dict
  timeout:
    description: Seconds to wait for the release to serve (C(restore)).
    type: int
  hosts:
    description: The hosts of the play batch, in order (C(once_hooks)).
    type: list
    elements: str
  hostvars:
    description: C(hostvars), for the plan and apps each host of O(hosts) worked out (C(once_hooks)).
    type: dict
  releases:
    description: The app's releases on the host, newest first (C(prune)); app name to the release it serves (C(wanted)).
    type: raw
  moment:
    description: C(before) or C(after) the switch (C(hooks)).
    type: str
    choices: [before, after]
  keep:
    description: How many releases to keep (C(prune), O(webstack.nginx_uwsgi.uwsgi_app#role:main:uwsgi_app_keep_releases)).
    type: int
  staged:
    description: This run staged the same environment of the coming release already (C(prepare)).
    type: bool
    default: false
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Check the files to come on a copy
  webstack.nginx_uwsgi.managed_files:
    files: "{{ 'trial' | webstack.nginx_uwsgi.uwsgi_app_files(apps=__apps, plan=__plan, files_by_app=__files,
                                                              ctl=__ctl, binary='/usr/bin/uwsgi-core') }}"
    trial: true
"""

RETURN = r"""
_value:
  description: Entries of the C(managed_files) module's O(webstack.nginx_uwsgi.managed_files#module:files), paths
    (C(units), C(prune)) or a dict (C(restore)).
  type: raw
"""

from ansible.errors import AnsibleFilterError
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import uwsgi_app_files as rules


def uwsgi_app_files(step, app=None, item=None, files=None, apps=None, plan=None, files_by_app=None, ctl=None,
                    binary=None, stale_units=None, restored=None, timeout=60, hosts=None, hostvars=None,
                    releases=None, keep=None, moment=None, staged=False, backup=None):
    """One step of the uwsgi_app role's files (see DOCUMENTATION)."""
    if step == 'wanted':
        return rules.wanted_files(list(apps or []), dict(releases or {}))
    if step == 'once_hooks':
        batch = []
        for host in hosts or []:
            host_vars = hostvars[host]
            batch.append((host, host_vars.get('__uwsgi_app_plan') or [], host_vars.get('__uwsgi_app_apps') or []))
        return rules.once_hooks(batch, ctl)
    if step == 'hooks':
        return rules.hooks(app, item, moment, ctl)
    if step == 'prune':
        return rules.prune_paths(app, item, list(releases or []), int(keep))
    if step == 'prepare':
        return rules.prepare_files(app, item, list(files or []), bool(staged))
    if step == 'switch':
        return rules.switch_files(app, item, list(files or []), rules.check_ini_command(ctl, binary),
                                  stale_units or [], backup)
    if step == 'trial':
        return rules.trial_files(list(apps or []), list(plan or []), dict(files_by_app or {}),
                                 rules.check_ini_command(ctl, binary))
    if step == 'units':
        return rules.unit_paths(list(apps or []), list(plan or []))
    if step == 'restore':
        return rules.restore_spec(app, dict(restored or {}), timeout)
    raise AnsibleFilterError('uwsgi_app_files: unknown step %r' % (step,))


class FilterModule(object):
    """Files of the uwsgi_app role."""

    def filters(self):
        return {"uwsgi_app_files": uwsgi_app_files}
