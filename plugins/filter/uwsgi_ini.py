# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: uwsgi_ini
short_description: Render uWSGI options as the lines of an ini file
version_added: 0.1.0
description:
  - Turns a dict or a list of options into the text of a uWSGI ini file (one C([section]) header, then
    C(key = value) lines), so a role renders its uWSGI configuration from data rather than from a template.
  - A list value repeats its key once per element, in order (several C(env) or C(plugin) lines).
  - C(true) renders as C(key = true); C(false) and C(null) leave the key out, so merging C(false) for C(vacuum) over
    the defaults removes that option.
  - Integers and floats render as text; strings are written as they are (uWSGI does not unquote values).
  - Raises an error for keys that are not option names, for values holding a line break, and for nested dicts.
options:
  _input:
    description:
      - The options. Either a dict (keys in insertion order), or a list whose items are dicts (their keys in
        order) or two-item C([key, value]) lists, for full control of the order and for a key that must appear
        again later (uWSGI config logic such as C(for-readline) ... C(endfor)).
    type: raw
    required: true
  section:
    description: Name of the ini section.
    type: str
    default: uwsgi
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Render an app's ini
  ansible.builtin.copy:
    dest: /etc/uwsgi-app/hello.ini
    content: "{{ options | webstack.nginx_uwsgi.uwsgi_ini }}"
    mode: "0644"
  vars:
    options:
      strict: true
      master: true
      processes: 4
      vacuum: false  # left out
      env: [APP_RELEASE=r1, LANG=C.UTF-8]
# [uwsgi]
# strict = true
# master = true
# processes = 4
# env = APP_RELEASE=r1
# env = LANG=C.UTF-8

- name: An ordered list, with a section of its own
  ansible.builtin.debug:
    msg: "{{ [['plugin', 'python3'], {'module': 'wsgi:app'}] | webstack.nginx_uwsgi.uwsgi_ini(section='app') }}"
"""

RETURN = r"""
_value:
  description: The ini text, ending with a line break.
  type: str
"""

import re

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _pairs(data):
    """Yield (key, value) from a dict or a list of dicts / [key, value] pairs."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield key, value
        return
    if isinstance(data, (list, tuple)):
        for index, item in enumerate(data):
            if isinstance(item, dict):
                yield from item.items()
            elif isinstance(item, (list, tuple)) and len(item) == 2:
                yield item[0], item[1]
            else:
                raise AnsibleFilterError(
                    "uwsgi_ini: list item %d must be a dict or a [key, value] pair, got %r" % (index, item))
        return
    raise AnsibleFilterError("uwsgi_ini: expected a dict or a list of options, got %s" % type(data).__name__)


def _scalar(key, value):
    """Return the text of one value, or None when the line is left out."""
    if value is None or value is False:
        return None
    if value is True:
        return "true"
    if isinstance(value, (int, float)):
        return to_text(value)
    if isinstance(value, str):
        text = to_text(value)
        if "\n" in text or "\r" in text:
            raise AnsibleFilterError("uwsgi_ini: the value of %r holds a line break" % key)
        return text
    raise AnsibleFilterError("uwsgi_ini: the value of %r must be a string, number, bool or list, got %s"
                             % (key, type(value).__name__))


def uwsgi_ini(data, section="uwsgi"):
    """Render uWSGI options as ini text."""
    if not isinstance(section, str) or not _KEY.match(section):
        raise AnsibleFilterError("uwsgi_ini: invalid section name %r" % (section,))
    lines = ["[%s]" % section]
    for key, value in _pairs(data):
        if not isinstance(key, str) or not _KEY.match(key):
            raise AnsibleFilterError("uwsgi_ini: %r is not a uWSGI option name" % (key,))
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            text = _scalar(key, item)
            if text is not None:
                lines.append("%s = %s" % (key, text))
    return "\n".join(lines) + "\n"


class FilterModule(object):
    """uWSGI ini filter."""

    def filters(self):
        return {"uwsgi_ini": uwsgi_ini}
