# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action of the ``managed_files`` module: the controller's part of an entry, then the module on the host.

An entry of ``files`` may name what only the controller has instead of its
``content``: ``template`` (a template of the role, rendered with the task's
variables and ``template_vars``, as the ``ansible.builtin.template`` lookup
does) or ``controller_src`` (a file of the controller, read as it is). So a
role computes its list of files in Python (a filter over ``module_utils``)
and the task only passes it on: no Jinja statement builds a list.
"""

from __future__ import annotations

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase
from ansible.plugins.loader import lookup_loader


class ActionModule(ActionBase):
    """Render the ``template`` and read the ``controller_src`` entries, then run the module."""

    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # unused
        task_vars = task_vars or {}
        args = dict(self._task.args)
        if isinstance(args.get('files'), list):
            args['files'] = [self._resolve(entry, task_vars) for entry in args['files']]
        result.update(self._execute_module(module_name='webstack.nginx_uwsgi.managed_files', module_args=args,
                                           task_vars=task_vars))
        return result

    def _resolve(self, entry, task_vars):
        if not isinstance(entry, dict) or not ('template' in entry or 'controller_src' in entry):
            return entry
        entry = dict(entry)
        template, source = entry.pop('template', None), entry.pop('controller_src', None)
        template_vars = entry.pop('template_vars', None) or {}
        if template and source:
            raise AnsibleActionFail('%s: template and controller_src are mutually exclusive' % entry.get('path'))
        if template:
            lookup = lookup_loader.get('ansible.builtin.template', loader=self._loader, templar=self._templar)
            entry['content'] = to_text(lookup.run([template], variables=task_vars, template_vars=template_vars)[0])
        else:
            try:
                with open(self._loader.path_dwim(source), 'rb') as handle:
                    entry['content'] = handle.read().decode('utf-8', 'surrogateescape')
            except OSError as exc:
                raise AnsibleActionFail('%s: cannot read %s on the controller: %s'
                                        % (entry.get('path'), source, exc.strerror or exc)) from exc
        return entry
