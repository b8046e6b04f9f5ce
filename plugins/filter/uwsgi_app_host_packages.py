# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: uwsgi_app_host_packages
short_description: Every package the uwsgi_app role installs on a host
version_added: 0.1.0
description:
  - O(packages), then the platform's O(dependencies), then C(git) and C(unzip) only when an app of the input needs
    them (a C(git) source, a C(.zip) archive). The role's C(uwsgi_app_host_packages) and the fleet's check (the
    packages the nginx play installs with nginx on a new app host) read the same rule (the collection's
    C(uwsgi_app_rules) plugin utils).
options:
  _input:
    description: The apps (C(uwsgi_app_apps)).
    type: list
    elements: dict
    required: true
  packages:
    description: The role's packages (C(uwsgi_app_packages)).
    type: list
    elements: str
    required: true
  dependencies:
    description: The packages the host's platform needs besides (its vars file's C(__uwsgi_app_dependencies)).
    type: list
    elements: str
    default: []
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Show the packages of the apps of this host
  ansible.builtin.debug:
    msg: "{{ uwsgi_app_apps | webstack.nginx_uwsgi.uwsgi_app_host_packages(uwsgi_app_packages, ['procps']) }}"
"""

RETURN = r"""
_value:
  description: Package names, in install order.
  type: list
  elements: str
"""

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import uwsgi_app_rules


def uwsgi_app_host_packages(apps, packages, dependencies=None):
    """Every package the uwsgi_app role installs on the host."""
    return uwsgi_app_rules.host_packages(list(packages or []), list(dependencies or []), list(apps or []))


class FilterModule(object):
    """Packages of the uwsgi_app role."""

    def filters(self):
        return {"uwsgi_app_host_packages": uwsgi_app_host_packages}
