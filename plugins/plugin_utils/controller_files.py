# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller's part of a wanted file: a template rendered, a controller file read, a digest instead of a text.

A role computes its wanted files in Python (``managed_files`` entries); an
entry may name what only the controller has instead of its ``content``:
``template`` (a template of the role, rendered with the task's variables and
``template_vars``, as the ``ansible.builtin.template`` lookup does) or
``controller_src`` (a file of the controller, read as it is). The action
plugins of ``managed_files`` and ``uwsgi_app_facts`` resolve them before the
module runs, so that no Jinja statement builds a list and templates render
once per task.
"""

from __future__ import annotations

import hashlib

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase
from ansible.plugins.loader import lookup_loader


class TemplateVars(dict):
    """The task's variables as the ``ansible.builtin.template`` lookup is given them: its copy of them is shallow.

    The lookup deep-copies the variables it is given before it adds the template's own (``template_path``,
    ``ansible_managed``, ``template_vars``); of a task's variables that is some thousands of objects per template,
    about as much CPU as compiling the template. The ``ansible.builtin.template`` action copies them shallowly
    (``task_vars.copy()``) for the same purpose, and a template does not change the variables it reads.
    """

    def __deepcopy__(self, memo):
        return dict(self)


def resolve(entry, loader, templar, task_vars):
    """``entry`` with ``content`` in place of its ``template`` or ``controller_src`` (other entries as they are)."""
    if not isinstance(entry, dict) or not ('template' in entry or 'controller_src' in entry):
        return entry
    if not isinstance(task_vars, TemplateVars):
        task_vars = TemplateVars(task_vars or {})
    entry = dict(entry)
    template, source = entry.pop('template', None), entry.pop('controller_src', None)
    template_vars = entry.pop('template_vars', None) or {}
    if template and source:
        raise AnsibleActionFail('%s: template and controller_src are mutually exclusive' % entry.get('path'))
    if template:
        lookup = lookup_loader.get('ansible.builtin.template', loader=loader, templar=templar)
        entry['content'] = to_text(lookup.run([template], variables=task_vars, template_vars=template_vars)[0])
    else:
        try:
            with open(loader.path_dwim(source), 'rb') as handle:
                entry['content'] = handle.read().decode('utf-8', 'surrogateescape')
        except OSError as exc:
            raise AnsibleActionFail('%s: cannot read %s on the controller: %s'
                                    % (entry.get('path'), source, exc.strerror or exc)) from exc
    return entry


def digests(files):
    """The wanted files with each ``content`` replaced by ``sha1``, the SHA-1 of its UTF-8 text (``validate`` gone):
    what a module compares with the host without the contents (and the secrets some hold) leaving the controller."""
    out = []
    for entry in files or []:
        entry = dict(entry)
        if entry.get('content') is not None:
            entry['sha1'] = hashlib.sha1(str(entry.pop('content')).encode('utf-8')).hexdigest()  # nosec B324 - not for security
        entry.pop('validate', None)
        out.append(entry)
    return out


def split_secrets(files):
    """The wanted files without their ``secret_content``, and path to that content.

    The content goes to the module as a top-level ``no_log`` option: the
    module logs its arguments on the host (journald) as the text of each
    option, where a ``no_log`` value nested in a list of entries shows up
    escaped (``\\n``) and is not masked.
    """
    out, secrets = [], {}
    for entry in files or []:
        if isinstance(entry, dict) and entry.get('secret_content') is not None:
            entry = dict(entry)
            secrets[entry['path']] = entry.pop('secret_content')
        out.append(entry)
    return out, secrets


class ResolvingAction(ActionBase):
    """An action that resolves the wanted files of its ``KEYS`` arguments (and replaces their contents by digests
    when ``DIGESTS``), then runs ``MODULE`` on the host with them."""

    TRANSFERS_FILES = False
    MODULE = ''
    KEYS: tuple = ()
    DIGESTS = False
    SECRETS = ''  # the option that takes the secret_content of the files (split_secrets), if any

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # unused
        task_vars = task_vars or {}
        args = dict(self._task.args)
        for key in self.KEYS:
            if isinstance(args.get(key), list):
                variables = TemplateVars(task_vars)  # one shallow copy for every template of the task
                args[key] = [resolve(entry, self._loader, self._templar, variables) for entry in args[key]]
                if self.DIGESTS:
                    args[key] = digests(args[key])
                if self.SECRETS:
                    args[key], secrets = split_secrets(args[key])
                    if secrets:
                        args[self.SECRETS] = dict(args.get(self.SECRETS) or {}, **secrets)
        result.update(self._execute_module(module_name=self.MODULE, module_args=args, task_vars=task_vars))
        return result
