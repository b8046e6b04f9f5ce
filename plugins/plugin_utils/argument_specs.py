# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options of a role's ``meta/argument_specs.yml`` and its platforms, parsed once per file and process.

The roles' checks read their argument specs on every host and run; parsed
with ``lookup('file') | from_yaml`` that was a YAML parse of a few hundred
lines per host and task (a tenth of the controller's work on a no-op run of the
fleet). Here each file is parsed once per process (and again only when it
changes), and ``warm()`` parses every role's file of the collection in
ansible-core's main process (the ``preload_plugins`` filter), so that the
processes it forks for each task of each host start with them parsed.
"""

from __future__ import annotations

import copy
import glob
import os

import yaml

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml
    _Loader = yaml.SafeLoader

_CACHE: dict = {}


class ArgumentSpecError(ValueError):
    """The file or the entry point is missing or malformed."""


def _load(path: str, what: str, key_name) -> dict:
    """The mapping ``key_name`` of the YAML file at ``path`` (the whole file for None; ``what`` names it in
    errors), parsed once per change."""
    path = os.path.realpath(path)  # one entry however the collection is reached (symbolic links)
    try:
        stat = os.stat(path)
    except OSError as exc:
        raise ArgumentSpecError('cannot read the %s %s: %s' % (what, path, exc.strerror or exc)) from exc
    key = (path, stat.st_mtime_ns, stat.st_size, key_name)
    found = _CACHE.get(key)
    if found is None:
        with open(path, 'rb') as handle:
            try:
                data = yaml.load(handle, Loader=_Loader)  # nosec B506 - a safe loader
            except yaml.YAMLError as exc:
                raise ArgumentSpecError('%s is not valid YAML: %s' % (path, exc)) from exc
        if key_name is None:
            found = {} if data is None else data
            if not isinstance(found, dict):
                raise ArgumentSpecError('%s is not a mapping' % path)
        else:
            found = (data or {}).get(key_name) if isinstance(data, dict) else None
        if not isinstance(found, dict):
            raise ArgumentSpecError('%s has no %s mapping' % (path, key_name))
        _CACHE[key] = found
    return found


def _mapping(path: str, what: str) -> dict:
    """The whole mapping of the YAML file at ``path`` (empty for an empty file), parsed once per change."""
    return _load(path, what, None)


def _specs(path: str) -> dict:
    return _load(path, 'argument specs', 'argument_specs')


def options(role_path: str, entry_point: str = 'main') -> dict:
    """A copy of the ``options`` of ``entry_point`` in ``<role_path>/meta/argument_specs.yml``."""
    path = os.path.join(str(role_path), 'meta', 'argument_specs.yml')
    specs = _specs(path)
    entry = specs.get(entry_point)
    if not isinstance(entry, dict):
        raise ArgumentSpecError('%s has no entry point %r (it has %s)' % (path, entry_point, ', '.join(sorted(specs))))
    return copy.deepcopy(entry.get('options') or {})


def platforms(role_path: str) -> list:
    """The ``(name, version)`` pairs of ``galaxy_info.platforms`` in ``<role_path>/meta/main.yml``.

    The one list of the systems a role supports: Galaxy shows it, and the
    role's input check names it to a host that runs another one.
    """
    path = os.path.join(str(role_path), 'meta', 'main.yml')
    out = []
    for platform in _load(path, 'role metadata', 'galaxy_info').get('platforms') or []:
        if not isinstance(platform, dict) or not platform.get('name'):
            raise ArgumentSpecError('%s: every entry of galaxy_info.platforms needs a name' % path)
        for version in platform.get('versions') or ['all']:
            out.append((str(platform['name']), str(version)))
    return out


def defaults(role_path: str) -> dict:
    """A copy of the role's ``defaults/main.yml`` (its values are plain data: no role default is a template)."""
    return copy.deepcopy(_mapping(os.path.join(str(role_path), 'defaults', 'main.yml'), 'role defaults'))


def role_vars(role_path: str) -> dict:
    """A copy of the role's ``vars/main.yml`` as written (templates unrendered)."""
    return copy.deepcopy(_mapping(os.path.join(str(role_path), 'vars', 'main.yml'), 'role variables'))


def warm(collection_root: str) -> list:
    """Parse the argument specs and the metadata of every role under ``collection_root``; the files parsed."""
    paths = sorted(glob.glob(os.path.join(collection_root, 'roles', '*', 'meta', 'argument_specs.yml')))
    for path in paths:
        _specs(path)
        role = os.path.dirname(os.path.dirname(path))
        platforms(role)
        if os.path.isfile(os.path.join(role, 'defaults', 'main.yml')):
            defaults(role)
    return paths
