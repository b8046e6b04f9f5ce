# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: uwsgi_app_normalize
short_description: The uwsgi_app role's apps with every default filled and every derived value computed
version_added: 0.1.0
description:
  - Returns the apps of C(uwsgi_app_apps) as the C(webstack.nginx_uwsgi.uwsgi_app) role deploys them, computed once
    per run so that its tasks and templates only read values. Each app has its user and group, its paths
    (C(path), C(releases_dir), C(shared_dir), C(current), C(ini), C(env_file), C(socket), C(stats)), its unit names,
    its source kind, its release id when the controller can tell it (an explicit C(release), C(rollback_to), or a
    SHA-256 of a directory or an archive), its uWSGI options merged over the role's, its environment, workers
    (unit names, commands as word lists), hooks and static files.
  - Only for input without problems (see the C(uwsgi_app_problems) filter).
options:
  _input:
    description: The apps (C(uwsgi_app_apps)).
    type: list
    elements: dict
    required: true
  settings:
    description:
      - Role-wide values, C(base_dir), C(config_dir), C(runtime_dir), C(socket_group), C(options), C(wheelhouse),
        C(rollback), C(rollback_to), C(state_dir) and optionally C(source_ids) (source to release id, worked out
        once for every host of a play).
    type: dict
    required: true
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Work out the apps once
  ansible.builtin.set_fact:
    __uwsgi_app_apps: "{{ uwsgi_app_apps | webstack.nginx_uwsgi.uwsgi_app_normalize(__uwsgi_app_settings) }}"
  no_log: true  # the apps carry their secrets
"""

RETURN = r"""
_value:
  description: The apps, normalized, in the order of the input.
  type: list
  elements: dict
"""

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import uwsgi_app_rules


def uwsgi_app_normalize(apps, settings):
    """The apps with defaults filled and derived values computed."""
    settings = dict(settings or {})
    return [uwsgi_app_rules.normalize(dict(app), index, settings) for index, app in enumerate(apps or [])]


class FilterModule(object):
    """Normalization of the uwsgi_app role's apps."""

    def filters(self):
        return {"uwsgi_app_normalize": uwsgi_app_normalize}
