# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the fleet playbooks say when a rollout stops: which URL answered what, where every host stands, what to run.

A rolling release that fails on a host leaves the fleet on two releases
(the hosts of earlier batches on the new one, the others on the one
before): :func:`stop_message` names both sets and the two ways out, and says
whether the failed host serves again and is back in the load balancers.
"""

from __future__ import annotations


def health_message(result: dict, url: str, health_path: str) -> str:
    """What the health check of an app host saw (``result``: the ``uri`` result), and what the app must do."""
    result = result or {}
    status = result.get('status')
    body = str(result.get('content') or '').strip().splitlines()
    if status and status > 0:
        seen = 'GET %s answered %s%s' % (url, status, (' (%s)' % body[0][:200]) if body else '')
    else:
        seen = 'GET %s got no answer (%s)' % (url, str(result.get('msg') or 'no response').strip()[:300])
    return ('%s: the app must answer 200 at webstack_health_path (%s) through the host\'s own nginx'
            % (seen, health_path))


def stop_message(host: str, failure: str, hosts: dict, drain: bool, serves: bool, releases: str) -> str:
    """The message of the host whose change stopped the rollout.

    ``hosts``: every app host that rolls, to ``'new'`` (its batch passed),
    ``'failed'`` or ``'waiting'`` (not reached); ``drain``: the batch was
    taken out of the load balancers; ``serves``: the host passed its health
    check after it was put back on what it served; ``releases``: the
    releases it served before.
    """
    out = ['%s: the change failed and the rollout stopped. %s.' % (host, failure.rstrip('. '))]
    if serves:
        back = 'is back in the load balancers' if drain else 'stayed in the load balancers (its batch held every app host)'
        out.append('%s went back to the releases it served before (%s) and %s.' % (host, releases or 'none', back))
    elif drain:
        out.append('%s does not serve after going back to the releases it served before (%s), so it stays out of '
                   'the load balancers; the next run that makes it serve puts it back.' % (host, releases or 'none'))
    else:
        out.append('%s does not serve after going back to the releases it served before (%s).' % (host, releases or 'none'))
    new = sorted(h for h, state in hosts.items() if state == 'new')
    old = sorted(h for h, state in hosts.items() if state != 'new')
    if new:
        out.append('The fleet serves two releases now: %s the new one, %s the one before. Fix the cause and run the '
                   'same playbook again to finish the rollout, or run webstack.nginx_uwsgi.rollback with --limit %s '
                   'to go back.' % (', '.join(new), ', '.join(old), ','.join(new)))
    else:
        out.append('No host serves the new release; hosts not reached keep theirs.')
    return ' '.join(out)
