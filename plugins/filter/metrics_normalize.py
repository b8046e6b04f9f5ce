# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
name: metrics_normalize
short_description: What the metrics role installs, worked out once from its variables
version_added: 0.1.0
description:
  - Returns, for the C(webstack.nginx_uwsgi.metrics) role, whether there is a scraper to serve (C(enabled)), the
    nginx server's C(listen) and C(allow), the loopback addresses of the exporters, the groups the collector joins
    (C(adm) and each app's group) and the collector's configuration (C(config) - each uWSGI app with its stats
    socket, sockets, releases directory and C(current) link; the 5xx log; the certificates' patterns).
  - Only for input without problems (see the C(role_problems) filter). The logic lives in
    C(plugins/plugin_utils/metrics_rules.py).
options:
  _input:
    description: The role's C(metrics_*) variables, name to value.
    type: dict
    required: true
  paths:
    description: The role's fixed paths; C(status_log) and C(certificates_file) are read.
    type: dict
    required: true
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Work out what the role installs
  ansible.builtin.set_fact:
    __metrics: "{{ {'metrics_address': '10.0.0.5', 'metrics_port': 9180, 'metrics_allow': ['10.0.0.9'],
                    'metrics_nginx_exporter_port': 9113, 'metrics_collector_port': 9181}
                   | webstack.nginx_uwsgi.metrics_normalize({'status_log': '/var/log/nginx/5xx.log',
                                                             'certificates_file': '/var/lib/m/c.json'}) }}"
"""

RETURN = r"""
_value:
  description: C(enabled), C(listen), C(allow), C(exporter_listen), C(collector_listen), C(groups), C(apps), C(config).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import metrics_rules


def metrics_normalize(values, paths):
    """What the metrics role installs."""
    if not isinstance(values, dict) or not isinstance(paths, dict):
        raise AnsibleFilterError('metrics_normalize: expects the metrics_* variables and the paths as dicts')
    return metrics_rules.normalize(values, paths)


class FilterModule(object):
    """The metrics role's values."""

    def filters(self):
        return {"metrics_normalize": metrics_normalize}
