# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Callback of the benchmark (not of the collection): the controller's CPU seconds per task, written as JSON.

Enabled by scripts/bench with ANSIBLE_CALLBACK_PLUGINS=<this directory> and
ANSIBLE_CALLBACKS_ENABLED=controller_cpu; BENCH_CPU_OUT names the file. At
each play and task start it reads os.times() of ansible-playbook (its own CPU
and that of the children it has waited for: the workers, and their ssh) and
gives the difference to the step before. A worker is waited for when its slot
is used again, so part of a task's CPU lands on the next task of the same
play; summed per play the figures hold (scripts/bench/cpu_profile.py).
"""

from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
name: controller_cpu
type: aggregate
short_description: The controller's CPU seconds per task (scripts/bench)
description:
  - Writes [[play, task, cpu seconds], ...] to the file BENCH_CPU_OUT names at the end of the run.
requirements:
  - enable in configuration
'''


def _cpu():
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'controller_cpu'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._play = ''
        self._task = None
        self._since = _cpu()
        self._rows = []

    def _close(self):
        now = _cpu()
        self._rows.append([self._play, self._task or '', round(now - self._since, 4)])
        self._since = now

    def v2_playbook_on_play_start(self, play):
        self._close()
        self._play, self._task = play.get_name(), None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._close()
        self._task = task.get_name()

    v2_playbook_on_handler_task_start = v2_playbook_on_task_start

    def v2_playbook_on_stats(self, stats):
        self._close()
        out = os.environ.get('BENCH_CPU_OUT')
        if out:
            with open(out, 'w', encoding='utf-8') as handle:
                json.dump(self._rows, handle)
