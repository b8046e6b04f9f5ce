# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action of the ``webstack_check`` module: the fleet's check of one host in one task.

It reads the host where the fleet loads a packet filter (the
``firewall_facts`` module) and runs every rule on the controller, in this
one process, on the facts the ``nginx_facts`` module read in the task before
(the composition of an app host reads those of the load balancers): the checks and what they decide live in
``plugins/plugin_utils/webstack_check.py``. A problem fails the task with
every message of its stage, named by the variable the user set.
"""

from __future__ import annotations

import os

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import argument_specs, firewall_rules, fleet, role_input
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import webstack_check as check

FIREWALL_FACTS = 'webstack.nginx_uwsgi.firewall_facts'


class ActionModule(ActionBase):
    """Check every role's input for the host and work out what it serves (one firewall_facts read)."""

    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset()

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # the modules make their own
        task_vars = task_vars or {}
        try:
            return self._check(result, task_vars)
        except (argument_specs.ArgumentSpecError, check.CheckError) as exc:
            raise AnsibleActionFail('webstack_check: %s' % exc) from exc
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)

    def _lookup(self, task_vars):
        templar = self._templar.copy_with_new_env(available_variables=task_vars)

        def lookup(name):
            if name not in task_vars:
                return check.MISSING
            return templar.template(task_vars[name])
        return lookup

    def _module(self, name, args, task_vars):
        read = self._execute_module(module_name=name, module_args=args, task_vars=task_vars)
        if read.get('failed') or read.get('unreachable'):
            raise _ModuleFailed(read)
        return read

    def _check(self, result, task_vars):
        host = task_vars['inventory_hostname']
        groups = task_vars.get('groups') or {}
        hostvars = task_vars.get('hostvars') or {}
        lookup = self._lookup(task_vars)
        roles = check.roles_dir()
        manager = self._task.get_variable_manager()
        extra = frozenset(getattr(manager, 'extra_vars', None) or ()) if manager is not None else frozenset()
        try:
            facts = dict(lookup('ansible_facts') if 'ansible_facts' in task_vars else {})
            if 'nginx' not in facts or not facts.get('distribution'):
                raise check.CheckError('the nginx facts and the distribution of %s were not read: run the '
                                       'webstack.nginx_uwsgi.nginx_facts module (distribution=true) first' % host)

            # 1. the nginx_* and webstack_* variables
            webstack = {name: lookup(name) for name in task_vars if name.startswith('webstack_')}
            problems = (check.nginx_problems(check.role_values(os.path.join(roles, 'nginx'), lookup), facts, host, roles)
                        + check.webstack_problems(webstack, host, groups, hostvars, roles))
            if problems:
                return self._failed(result, problems)

            # 2. what the host serves, and the input of the roles that serve it
            # (the webstack_* values as templated above)
            apps = {name: lookup(name) for name in task_vars if name.startswith('uwsgi_app_')}
            plan = fleet.compose(host, dict(webstack, **apps), groups, hostvars)
            site = {'site_sites': plan['sites'], 'site_upstreams': plan['upstreams'], 'site_aliases': plan['aliases']}
            reads_host = check.site_reads_host(plan['sites'], plan['upstreams'])
            problems, warnings = [], []
            if not reads_host:
                values = check.role_values(os.path.join(roles, 'site'), lookup, site, extra)
                problems, warnings = check.site_problems(values, facts, host, groups, hostvars, roles)
            packages = []
            if plan['app']:
                role = os.path.join(roles, 'uwsgi_app')
                values = check.role_values(role, lookup)
                problems += role_input.problems(values, role, facts, host)
                packages = check.app_host_packages(values, role, facts)
            role = os.path.join(roles, 'metrics')
            problems += role_input.problems(check.role_values(role, lookup, plan['metrics'], extra), role, facts, host)
            if problems:
                return self._failed(result, problems)

            # 3. the packet filter lets the controller in again, and the host can load one
            firewall_host = {}
            if plan['firewall']['firewall_enabled']:
                firewall_host = self._module(FIREWALL_FACTS, {'unit': firewall_rules.UNIT}, task_vars)
                problems = check.lockout_problems(plan['firewall'], firewall_host, host, lookup)
                if problems:
                    return self._failed(result, problems)
        except _ModuleFailed as exc:
            return dict(result, **exc.result)

        if warnings:
            result.setdefault('warnings', []).extend(warnings)
        result.update(changed=False, webstack={
            'site_sites': plan['sites'], 'site_upstreams': plan['upstreams'], 'site_aliases': plan['aliases'],
            'metrics': plan['metrics'], 'firewall_vars': plan['firewall'], 'firewall_host': firewall_host,
            'sites_checked': not reads_host, 'nginx_packages': packages})
        return result

    @staticmethod
    def _failed(result, problems):
        result.update(failed=True, msg='\n'.join(problems))
        return result


class _ModuleFailed(Exception):
    """A read of the host failed: its result is the task's."""

    def __init__(self, result):
        super().__init__(result.get('msg'))
        self.result = result
