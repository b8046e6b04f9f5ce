# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: uwsgi_app_source_ids
short_description: Default release ids of app sources on the controller, each worked out once
version_added: 0.1.0
description:
  - For every distinct C(src) of the given lists of apps (directories and archives on the controller; git sources
    are resolved on the hosts), the first 12 hex digits of a SHA-256 of the archive, or of the files of the
    directory (C(__pycache__) and C(.pyc) left out), so an unchanged source never makes a new release.
  - The C(webstack.nginx_uwsgi.uwsgi_app) role calls it once per play (C(run_once)) over the apps of every host,
    so the controller reads each source once however many hosts deploy it.
options:
  _input:
    description: Lists of apps (C(uwsgi_app_apps) of each host); apps without C(src) are skipped.
    type: list
    elements: list
    required: true
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Release ids of the sources of every host, once
  ansible.builtin.set_fact:
    __ids: "{{ ansible_play_hosts | map('extract', hostvars, 'uwsgi_app_apps') | list | webstack.nginx_uwsgi.uwsgi_app_source_ids }}"
  run_once: true
"""

RETURN = r"""
_value:
  description: Source path to release id.
  type: dict
"""

import os

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.uwsgi_app_rules import source_id


def uwsgi_app_source_ids(app_lists):
    """``{src: release id}`` for every existing directory or archive source of the apps."""
    ids = {}
    for apps in app_lists or []:
        for app in apps or []:
            src = app.get('src') if isinstance(app, dict) else None
            if src and not app.get('git') and str(src) not in ids and os.path.exists(os.path.expanduser(str(src))):
                ids[str(src)] = source_id(str(src))
    return ids


class FilterModule(object):
    """Release ids of app sources."""

    def filters(self):
        return {"uwsgi_app_source_ids": uwsgi_app_source_ids}
