# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.webstack.nginx_uwsgi.plugins.filter.managed_entries import managed_entries
from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils.rollout import health_message, stop_message

URL = 'http://127.0.0.1:8080/healthz'


def test_health_message_names_the_url_the_answer_and_what_to_change():
    assert health_message({'status': 404, 'content': 'NOT FOUND\nmore'}, URL, '/healthz') == (
        "GET http://127.0.0.1:8080/healthz answered 404 (NOT FOUND): the app must answer 200 at "
        "webstack_health_path (/healthz) through the host's own nginx")
    assert health_message({'status': -1, 'msg': 'Connection refused'}, URL, '/up').startswith(
        'GET http://127.0.0.1:8080/healthz got no answer (Connection refused): the app must answer 200 at '
        'webstack_health_path (/up)')


def test_stop_message_names_both_releases_and_the_ways_out():
    hosts = {'app1': 'new', 'app2': 'before', 'app3': 'before'}
    text = stop_message('app2', 'Switch the apps: it broke.', hosts, True, True, 'r1')
    assert text == (
        'app2: the change failed and the rollout stopped. Switch the apps: it broke. app2 went back to the releases '
        'it served before (r1) and is back in the load balancers. The fleet serves two releases now: app1 the new '
        'one, app2, app3 the one before. Fix the cause and run the same playbook again to finish the rollout, or run '
        'webstack.nginx_uwsgi.rollback with --limit app1 to go back.')


def test_stop_message_of_a_host_that_does_not_serve_and_of_a_first_batch():
    text = stop_message('app1', 'Check the health', {'app1': 'before', 'app2': 'before'}, True, False, 'r1')
    assert 'so it stays out of the load balancers; the next run that makes it serve puts it back' in text
    assert text.endswith('No host serves the new release; hosts not reached keep theirs.')
    single = stop_message('app1', 'x', {'app1': 'before'}, False, True, 'r1')
    assert 'stayed in the load balancers (its batch held every app host)' in single


def test_managed_entries():
    assert managed_entries(['/a', '/b'], state='directory', mode='0755') == [
        {'path': '/a', 'state': 'directory', 'mode': '0755'}, {'path': '/b', 'state': 'directory', 'mode': '0755'}]
    assert managed_entries(['/c'], state='absent') == [{'path': '/c', 'state': 'absent'}]
