# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: site_maintenance_files
short_description: The files of the site role's maintenance state, as managed_files entries
version_added: 0.1.0
description:
  - On - the http-level file that marks the clients that get the maintenance page, the snippet every served server
    block of the site role includes, and the page (a file of the controller, or the role's plain one). Off - the
    first two absent; the page stays (nginx reads it at every request until its reload has gone through).
options:
  _input:
    description: The site role's paths (C(maintenance_conf), C(maintenance_dir)).
    type: dict
    required: true
  state:
    description: The maintenance state (true - on).
    type: bool
    required: true
  page:
    description: An HTML file on the controller; empty for the role's page.
    type: path
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Switch maintenance on
  webstack.nginx_uwsgi.managed_files:
    files: "{{ __site_paths | webstack.nginx_uwsgi.site_maintenance_files(true, '/srv/pages/503.html') }}"
"""

RETURN = r"""
_value:
  description: The entries (C(path), C(state), C(mode), C(template) or C(controller_src)).
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import site_maintenance


def site_maintenance_files(paths, state, page=None):
    """The managed_files entries of the maintenance state."""
    if not isinstance(paths, dict) or 'maintenance_dir' not in paths or 'maintenance_conf' not in paths:
        raise AnsibleFilterError('site_maintenance_files: expects the site role paths (maintenance_dir, maintenance_conf)')
    return site_maintenance.files(paths, bool(state), page or None)


class FilterModule(object):
    """The site role's maintenance files."""

    def filters(self):
        return {"site_maintenance_files": site_maintenance_files}
