# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: rollout_stop_message
short_description: The message of the host whose change stopped a rolling release
version_added: 0.1.0
description:
  - Says why the host failed, whether it serves again what it served before and is back in the load balancers (or
    stays out, and why), and, when earlier batches went through, that the fleet serves two releases, which hosts
    serve which, and the two ways out (run the playbook again to finish, or the rollback playbook on the hosts that
    moved).
options:
  _input:
    description: The host (C(inventory_hostname)).
    type: str
    required: true
  failure:
    description: Why its change failed.
    type: str
    required: true
  hosts:
    description: Every app host that rolls, to C(new) (its batch passed), C(failed) or C(waiting).
    type: dict
    required: true
  drain:
    description: Whether its batch was taken out of the load balancers.
    type: bool
    required: true
  serves:
    description: Whether it passed its health check after going back.
    type: bool
    required: true
  releases:
    description: The releases it served before.
    type: str
    default: ""
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Stop the rollout
  ansible.builtin.fail:
    msg: >-
      {{ inventory_hostname | webstack.nginx_uwsgi.rollout_stop_message(__failure, __hosts, true, true, 'a1b2c3') }}
"""

RETURN = r"""
_value:
  description: The message.
  type: str
"""

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.rollout import stop_message


def rollout_stop_message(host, failure, hosts, drain, serves, releases=''):
    """The message of the host whose change stopped the rollout."""
    return stop_message(host, failure, dict(hosts or {}), bool(drain), bool(serves), releases or '')


class FilterModule(object):
    """Messages of the fleet playbooks."""

    def filters(self):
        return {"rollout_stop_message": rollout_stop_message}
