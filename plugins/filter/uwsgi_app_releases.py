# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: uwsgi_app_releases
short_description: The release each app of a host serves after a run of the uwsgi_app role
version_added: 0.1.0
description:
  - App name to release id - C(rollback_to), the host's C(previous) release for a rollback, the resolved commit of a
    git version (null when it was never resolved on the host), else the release worked out on the controller.
options:
  _input:
    description: The normalized apps (C(uwsgi_app_normalize)).
    type: list
    elements: dict
    required: true
  state:
    description: The C(apps) result of the C(uwsgi_app_facts) module.
    type: dict
    required: true
  commits:
    description: App name to the commit its git version resolved to on the host.
    type: dict
    default: {}
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Releases of the apps
  ansible.builtin.debug:
    msg: "{{ __apps | webstack.nginx_uwsgi.uwsgi_app_releases(__facts.apps) }}"
"""

RETURN = r"""
_value:
  description: App name to release id (or null).
  type: dict
"""

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import uwsgi_app_rules


def uwsgi_app_releases(apps, state, commits=None):
    """App name to the release it serves after a run."""
    return uwsgi_app_rules.releases(list(apps or []), dict(state or {}), dict(commits or {}))


class FilterModule(object):
    """Releases of the uwsgi_app role's apps."""

    def filters(self):
        return {"uwsgi_app_releases": uwsgi_app_releases}
