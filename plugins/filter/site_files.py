# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: site_files
short_description: The files of the site role on a host, as entries of the managed_files module
version_added: 0.1.0
description:
  - From the normalized sites (C(site_normalize)), every path the C(webstack.nginx_uwsgi.site) role keeps on a host,
    directories, upstreams, the catch-all TLS server, each site's configuration, headers and link, and the keys and
    certificates the run staged, which go live in the same change (one C(nginx -t), one reload, all put back on a
    failure). Templates are named (C(template), C(template_vars)); the action plugin of C(managed_files) renders
    them. The rules are in the collection's C(site_plan) plugin utils.
options:
  _input:
    description: The result of C(site_normalize).
    type: dict
    required: true
  settings:
    description:
      - The role's paths and settings, C(available_dir), C(enabled_dir), C(snippets_dir), C(upstreams_file),
        C(default_tls_file), C(reject_unknown_names), C(acme_challenge_dir), C(tls_dir), C(key_mode).
    type: dict
    required: true
  part:
    description:
      - C(all) (every path), C(tls) (only the keys and certificates the run staged), C(controller) (the staged
        copies of tls.mode=files sites, read from the controller), C(staging) (the staging directories of the sites
        O(names)).
    type: str
    default: all
    choices: [all, tls, controller, staging]
  staged:
    description: Site name to what the run staged of it (C(site_tls_plan) step C(staged)).
    type: dict
    default: {}
  names:
    description: With O(part=staging), the sites.
    type: list
    elements: str
  secrets:
    description:
      - The role's input (C(site_sites)), whose C(basic_auth) passwords are hashed (SHA-512-crypt) into the
        password files; the normalized sites carry none. Needed when a site has C(basic_auth). The files' content
        goes as C(secret_content), which the module never shows.
    type: list
    elements: dict
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Apply the sites and reload nginx
  webstack.nginx_uwsgi.managed_files:
    files: "{{ __site | webstack.nginx_uwsgi.site_files(__site_paths, staged=__site_tls.staged) }}"
    check:
      - argv: [nginx, -t]
"""

RETURN = r"""
_value:
  description: Entries of the O(webstack.nginx_uwsgi.managed_files#module:files) option.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import site_plan


def site_files(site, settings, part='all', staged=None, names=None, secrets=None):
    """The managed_files entries of the site role (see DOCUMENTATION)."""
    if part == 'all':
        try:
            return site_plan.files(site, settings, staged or {}, secrets=secrets)
        except site_plan.PlanError as exc:
            raise AnsibleFilterError(str(exc)) from exc
    if part == 'tls':
        return site_plan.tls_files(site['sites'], staged or {}, settings['key_mode'])
    if part == 'controller':
        return site_plan.controller_files(site['sites'], settings['tls_dir'], settings['key_mode'])
    if part == 'staging':
        return site_plan.staging_directories(site['sites'], settings['tls_dir'], names or [])
    raise AnsibleFilterError('site_files: unknown part %r' % (part,))


class FilterModule(object):
    """Files of the site role."""

    def filters(self):
        return {"site_files": site_files}
