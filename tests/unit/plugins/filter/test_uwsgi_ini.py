# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.webstack.nginx_uwsgi.plugins.filter.uwsgi_ini import FilterModule, uwsgi_ini


def test_dict_in_order_with_types():
    text = uwsgi_ini({"strict": True, "master": True, "processes": 4, "harakiri": 30.5, "module": "wsgi:app"})
    assert text == "[uwsgi]\nstrict = true\nmaster = true\nprocesses = 4\nharakiri = 30.5\nmodule = wsgi:app\n"


def test_false_and_none_leave_the_key_out():
    assert uwsgi_ini({"vacuum": False, "threads": None, "master": True}) == "[uwsgi]\nmaster = true\n"


def test_list_value_repeats_the_key():
    text = uwsgi_ini({"env": ["A=1", "B=two words"], "plugin": ["python3"]})
    assert text == "[uwsgi]\nenv = A=1\nenv = B=two words\nplugin = python3\n"


def test_ordered_list_input_and_section():
    text = uwsgi_ini([["plugin", "python3"], {"env": "A=1"}, ("env", "B=2")], section="app")
    assert text == "[app]\nplugin = python3\nenv = A=1\nenv = B=2\n"


def test_list_of_dicts_keeps_order_and_repeats():
    text = uwsgi_ini([{"master": True, "env": "A=1"}, ["for-readline", "/etc/x.env"], {"env": "%(_)", "endfor": ""}])
    assert text == "[uwsgi]\nmaster = true\nenv = A=1\nfor-readline = /etc/x.env\nenv = %(_)\nendfor = \n"


def test_empty_input():
    assert uwsgi_ini({}) == "[uwsgi]\n"


def test_registered_as_filter():
    assert FilterModule().filters()["uwsgi_ini"] is uwsgi_ini


@pytest.mark.parametrize(
    "data, message",
    [
        ("master = true", "expected a dict or a list"),
        ({"bad key": 1}, "is not a uWSGI option name"),
        ({"": 1}, "is not a uWSGI option name"),
        ({"-x": 1}, "is not a uWSGI option name"),
        ({"env": "A=1\nstrict = false"}, "line break"),
        ({"env": ["A=1", "B=\r"]}, "line break"),
        ({"socket": {"path": "/run/x"}}, "must be a string, number, bool or list"),
        ([["only-one"]], "list item 0"),
        ([{"a": 1}, "b"], "list item 1"),
    ],
)
def test_bad_input_raises(data, message):
    with pytest.raises(AnsibleFilterError, match=message):
        uwsgi_ini(data)


def test_bad_section():
    with pytest.raises(AnsibleFilterError, match="section"):
        uwsgi_ini({"a": 1}, section="no]pe")
