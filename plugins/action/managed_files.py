# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action of the ``managed_files`` module: the controller's part of an entry, then the module on the host.

An entry of ``files`` may name what only the controller has instead of its
``content``: ``template`` (a template of the role, rendered with the task's
variables and ``template_vars``, as the ``ansible.builtin.template`` lookup
does) or ``controller_src`` (a file of the controller, read as it is):
``plugin_utils/controller_files.py``. The ``secret_content`` of the entries
goes to the module as ``secret_contents`` (path to text), a ``no_log``
option that the host's log of the module's arguments masks too. So a role computes its list of files in
Python (a filter over ``plugin_utils``) and the task only passes it on: no
Jinja statement builds a list.
"""

from __future__ import annotations

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.controller_files import ResolvingAction


class ActionModule(ResolvingAction):
    """Render the ``template`` and read the ``controller_src`` entries of ``files``, then run the module."""

    MODULE = 'webstack.nginx_uwsgi.managed_files'
    KEYS = ('files',)
    SECRETS = 'secret_contents'
