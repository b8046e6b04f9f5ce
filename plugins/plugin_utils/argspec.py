# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Check role variables against the options of a role's ``meta/argument_specs.yml``.

Ansible's own check (``validate_argument_spec``) stops at the first level
that fails and names a nested problem only as ``found in site_sites ->
locations``. This walker reports every problem of every variable at once,
each named by its full path (``site_sites[2].locations[0].kind``), with the
value that is wrong (never the value of a ``no_log`` option) and, for an
unknown key, the option that was probably meant. Type conversions are
Ansible's own (``"8080"`` is an int, ``"yes"`` a bool), so a value this
accepts is one the role's argument spec accepts too.
"""

from __future__ import annotations

import difflib

from ansible.module_utils.common.validation import (
    check_type_bool,
    check_type_dict,
    check_type_float,
    check_type_int,
    check_type_list,
    check_type_path,
    check_type_str,
)

_CHECKERS = {
    'str': lambda value: check_type_str(value, allow_conversion=True),
    'int': check_type_int,
    'float': check_type_float,
    'bool': check_type_bool,
    'list': check_type_list,
    'dict': check_type_dict,
    'path': check_type_path,
    'raw': lambda value: value,
}

_WORDS = {
    'str': 'a string',
    'int': 'an integer',
    'float': 'a number',
    'bool': 'a boolean (true or false)',
    'list': 'a list',
    'dict': 'a mapping',
    'path': 'a path',
    'raw': 'a value',
}

HIDDEN = '(hidden)'


def shown(value, spec=None) -> str:
    """How a value appears in a message: short, and never the value of a no_log option."""
    if spec is not None and spec.get('no_log'):
        return HIDDEN
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + '...'


def convert(value, kind: str):
    """(True, converted value) when ``value`` is of ``kind`` as Ansible converts it, else (False, None)."""
    checker = _CHECKERS.get(kind or 'str', _CHECKERS['raw'])
    try:
        return True, checker(value)
    except (TypeError, ValueError):
        return False, None


def _check_value(name: str, value, kind: str, spec: dict, problems: list[str]):
    """Type and choices of one value; returns the converted value, or None when it is wrong."""
    ok, converted = convert(value, kind)
    if not ok:
        problems.append('%s (%s) must be %s.' % (name, shown(value, spec), _WORDS.get(kind, 'a ' + kind)))
        return None
    choices = spec.get('choices')
    if choices and kind not in ('list', 'dict') and converted not in choices:
        problems.append('%s (%s) must be one of %s.' % (name, shown(value, spec), ', '.join(str(c) for c in choices)))
        return None
    return converted


def check_option(name: str, value, spec: dict, problems: list[str]) -> None:
    """Check one given (not None) value against its option spec, recursing into suboptions."""
    kind = spec.get('type', 'str')
    converted = _check_value(name, value, kind, spec, problems)
    if converted is None:
        return
    options = spec.get('options')
    if kind == 'dict' and options:
        check_options(name, converted, options, problems)
    elif kind == 'list':
        elements = spec.get('elements')
        if not elements:
            return
        element_spec = {'choices': spec.get('choices'), 'no_log': spec.get('no_log')}
        for index, item in enumerate(converted):
            item_name = '%s[%d]' % (name, index)
            if item is None:
                problems.append('%s is empty; remove it or give it a value.' % item_name)
                continue
            element = _check_value(item_name, item, elements, element_spec, problems)
            if element is not None and elements == 'dict' and options:
                check_options(item_name, element, options, problems)


def check_options(name: str, mapping: dict, options: dict, problems: list[str]) -> None:
    """Check the keys of ``mapping`` (the value of ``name``) against ``options``."""
    for key in mapping:
        if key not in options:
            guess = difflib.get_close_matches(str(key), list(options), n=1)
            hint = (' (did you mean %s?)' % guess[0]) if guess else ''
            problems.append('%s.%s is not an option%s; the options are %s.'
                            % (name, key, hint, ', '.join(sorted(options))))
    for key, spec in options.items():
        value = mapping.get(key)
        if value is None:
            if spec.get('required'):
                problems.append('%s.%s is required.' % (name, key))
            continue
        check_option('%s.%s' % (name, key), value, spec, problems)


def check_variables(variables: dict, options: dict) -> list[str]:
    """Every problem of the role variables in ``variables`` (name to value) against ``options``.

    Only the variables present in ``variables`` are checked; a required option
    that is missing or None is reported.
    """
    problems: list[str] = []
    for name, spec in options.items():
        value = variables.get(name)
        if value is None:
            if spec.get('required'):
                problems.append('%s is required.' % name)
            continue
        check_option(name, value, spec, problems)
    return problems
