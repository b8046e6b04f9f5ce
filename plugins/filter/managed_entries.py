# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: managed_entries
short_description: Entries of the managed_files module for a list of paths that share a state
version_added: 0.1.0
description:
  - One entry of the O(webstack.nginx_uwsgi.managed_files#module:files) option per path, each with the same other
    keys (C(state), C(mode), ...), so that a task lists directories or paths to remove without a Jinja loop.
options:
  _input:
    description: The paths.
    type: list
    elements: str
    required: true
  state:
    description: The state of every entry (C(directory), C(absent), ...); omitted when not given.
    type: str
  mode:
    description: The mode of every entry; omitted when not given.
    type: str
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Directories and a file as one change
  webstack.nginx_uwsgi.managed_files:
    files: >-
      {{ (['/etc/nginx/conf.d', '/etc/nginx/snippets'] | webstack.nginx_uwsgi.managed_entries(state='directory', mode='0755'))
         + [{'path': '/etc/nginx/nginx.conf', 'template': 'nginx.conf.j2'}] }}
"""

RETURN = r"""
_value:
  description: C([{path, state, mode}, ...]) with the keys that were given.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError


def managed_entries(paths, state=None, mode=None):
    """One managed_files entry per path, with the given state and mode."""
    if not isinstance(paths, (list, tuple)):
        raise AnsibleFilterError('managed_entries expects a list of paths, got %s' % type(paths).__name__)
    extra = dict((k, v) for k, v in (('state', state), ('mode', mode)) if v is not None)
    return [dict(path=str(p), **extra) for p in paths]


class FilterModule(object):
    """Entries of managed_files."""

    def filters(self):
        return {"managed_entries": managed_entries}
