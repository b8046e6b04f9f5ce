# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The packages of the uwsgi_app role and the per-platform values it reads without a task."""

from __future__ import annotations

from pathlib import Path

import yaml

from ansible_collections.webstack.nginx_uwsgi.plugins.filter.platform_values import platform_values
from ansible_collections.webstack.nginx_uwsgi.plugins.filter.uwsgi_app_host_packages import uwsgi_app_host_packages

ROLE = Path(__file__).resolve().parents[4] / 'roles' / 'uwsgi_app'


def test_git_and_unzip_only_when_an_app_needs_them():
    assert uwsgi_app_host_packages([{'name': 'a', 'src': '/srv/a'}], ['uwsgi'], ['procps']) == ['uwsgi', 'procps']
    apps = [{'name': 'a', 'src': '/srv/a.zip'}, {'name': 'b', 'git': {'repo': 'x'}}, {'name': 'c', 'git': None}]
    assert uwsgi_app_host_packages(apps, ['uwsgi']) == ['uwsgi', 'git', 'unzip']
    assert uwsgi_app_host_packages([{'src': '/srv/a.zip.d'}], []) == []


def test_the_roles_platform_values_are_its_vars_files():
    for name, release in (('Debian-12', '12'), ('Debian-13', '13')):
        expected = yaml.safe_load((ROLE / 'vars' / (name + '.yml')).read_text())
        values = platform_values(str(ROLE), {'distribution': 'Debian', 'distribution_major_version': release})
        assert values == expected and values['__uwsgi_app_binary'].startswith('/usr/bin/')
