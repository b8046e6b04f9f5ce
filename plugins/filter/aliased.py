# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: aliased
short_description: Rename the variable that validation messages start with
version_added: 0.1.0
description:
  - For each message, replaces the longest prefix found in O(aliases) by its value, so that a message about a
    variable a playbook composed (C(site_sites[1].tls.cert ...)) names the variable the user set
    (C(webstack_lb_tls.cert ...)). A prefix matches only whole names (followed by C(.), C([), a space or C(:)).
options:
  _input:
    description: The messages.
    type: list
    elements: str
    required: true
  aliases:
    description: Prefix to name.
    type: dict
    required: true
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Name the user's variable
  ansible.builtin.debug:
    msg: "{{ ['site_sites[1].tls.cert (/x) does not exist'] | webstack.nginx_uwsgi.aliased({'site_sites[1].tls': 'webstack_lb_tls'}) }}"
  # ['webstack_lb_tls.cert (/x) does not exist']
"""

RETURN = r"""
_value:
  description: The messages, renamed.
  type: list
  elements: str
"""

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.rules import alias


def aliased(messages, aliases):
    """The messages with their leading variable renamed by ``aliases``."""
    return alias(list(messages or []), aliases or {})


class FilterModule(object):
    """Renaming of validation messages."""

    def filters(self):
        return {"aliased": aliased}
