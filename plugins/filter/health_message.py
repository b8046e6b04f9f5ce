# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: health_message
short_description: What the health check of an app host saw, and what the app must answer
version_added: 0.1.0
description:
  - From the result of the C(ansible.builtin.uri) task that checks an app host through its own nginx, a sentence
    that names the URL, what it answered (status and the first line of the body) or why there was no answer, and
    that the app must answer 200 at C(webstack_health_path).
options:
  _input:
    description: The registered result of the C(uri) task.
    type: dict
    required: true
  url:
    description: The URL that was asked.
    type: str
    required: true
  health_path:
    description: The value of C(webstack_health_path).
    type: str
    required: true
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Say why the host is not healthy
  ansible.builtin.fail:
    msg: "{{ __health | webstack.nginx_uwsgi.health_message('http://127.0.0.1:8080/healthz', '/healthz') }}"
  when: __health.status != 200
"""

RETURN = r"""
_value:
  description: The sentence.
  type: str
  sample: "GET http://127.0.0.1:8080/healthz answered 404 (NOT FOUND): the app must answer 200 at webstack_health_path (/healthz) through the host's own nginx"
"""

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.rollout import health_message


class FilterModule(object):
    """Health checks of the fleet playbooks."""

    def filters(self):
        return {"health_message": health_message}
