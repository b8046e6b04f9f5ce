# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: file_digests
short_description: Replace the content of wanted files by its SHA-1, to compare them without sending them
version_added: 0.1.0
description:
  - Takes a list of wanted paths in the format of the C(managed_files) module and returns it with every C(content)
    replaced by C(sha1), the SHA-1 of its UTF-8 text, which the C(uwsgi_app_facts) module compares with the file on
    the host. The contents (and the secrets some hold) stay on the controller; the comparison costs a few bytes per
    file.
options:
  _input:
    description: Wanted paths (C(path), C(state), C(content), C(src), C(mode), C(owner), C(group)).
    type: list
    elements: dict
    required: true
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Which files differ, without sending their content
  webstack.nginx_uwsgi.uwsgi_app_facts:
    files: "{{ [{'path': '/etc/app.env', 'content': secret_text, 'mode': '0640'}] | webstack.nginx_uwsgi.file_digests }}"
"""

RETURN = r"""
_value:
  description: The same entries, with C(sha1) instead of C(content).
  type: list
  elements: dict
"""

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.controller_files import digests


def file_digests(files):
    """The wanted files with their content replaced by its SHA-1."""
    return digests(files)


class FilterModule(object):
    """Digests of wanted files."""

    def filters(self):
        return {"file_digests": file_digests}
