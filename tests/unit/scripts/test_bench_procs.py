# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""scripts/bench/procs.py: /proc stat lines, process trees, SSH masters, CPU ticks and kB fields."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ansible_collections.webstack.nginx_uwsgi.scripts.bench import playbooks, procs

# /proc/<pid>/stat of an ansible-playbook worker: pid (comm) state ppid ... utime(14) stime(15) ... starttime(22)
# vsize(23) rss(24) ...
STAT = ('4242 (ansible-playboo) S 4200 4200 2233 0 -1 4194560 5210 0 0 0 130 27 0 0 20 0 1 0 6071268 '
        '312066048 21504 18446744073709551615 1 1 0 0 0 0 0 16781312 17642 0 0 0 17 1 0 0 0 0 0')


def test_parse_stat():
    assert procs.parse_stat(STAT) == procs.Stat(pid=4242, comm='ansible-playboo', ppid=4200, ticks=157,
                                                start=6071268, rss_pages=21504)


def test_parse_stat_with_spaces_and_parentheses_in_the_command_name():
    stat = procs.parse_stat(STAT.replace('(ansible-playboo)', '(a) b (c)'))
    assert (stat.comm, stat.ppid, stat.ticks, stat.rss_pages) == ('a) b (c', 4200, 157, 21504)


def test_parse_stat_of_this_process():
    with open('/proc/self/stat', encoding='utf-8') as handle:
        stat = procs.parse_stat(handle.read())
    assert (stat.pid, stat.ppid) == (os.getpid(), os.getppid())
    assert stat.rss_pages > 0


def test_tree_total_sums_the_root_and_all_its_descendants_only():
    processes = {1: (0, 5), 100: (1, 10), 101: (100, 20), 102: (101, 40), 103: (100, 80), 200: (1, 1000),
                 201: (200, 2000)}
    assert procs.tree_total(processes, 100) == (150, {100, 101, 102, 103})
    assert procs.tree_total(processes, 102) == (40, {102})
    assert procs.tree_total(processes, 999) == (0, set())


def test_tree_total_survives_a_loop():
    assert procs.tree_total({10: (11, 1), 11: (10, 2)}, 10) == (3, {10, 11})


@pytest.mark.parametrize('cmdline, expected', [
    (b'ssh: /tmp/bench/cp-50/5e2f0c1a9b [mux]', True),
    (b'ssh: /tmp/bench/cp-50/5e2f0c1a9b [mux]\0\0\0', True),  # the rest of the old argv area
    (b'ssh: /tmp/bench/cp-5/5e2f0c1a9b [mux]', False),  # another run's directory
    (b'ssh: /tmp/bench/cp-50/sub/5e2f0c1a9b [mux]', False),
    (b'ssh\0-o\0ControlPath=/tmp/bench/cp-50/5e2f0c1a9b\0172.30.0.3\0', False),  # a client, not a master
    (b'', False),
])
def test_is_master(cmdline, expected):
    assert procs.is_master(cmdline, '/tmp/bench/cp-50') is expected
    assert procs.is_master(cmdline, '/tmp/bench/cp-50/') is expected


def test_ticks_used_counts_growth_and_new_processes_not_the_ones_that_ended():
    before = {(10, 500): 100, (11, 510): 7, (12, 520): 3}
    after = {(10, 500): 130, (12, 520): 3, (13, 900): 25, (11, 990): 4}  # (11, 990): pid 11 reused
    assert procs.ticks_used(before, after) == 30 + 0 + 25 + 4
    assert procs.ticks_used({}, {}) == 0


def test_handed_out_between_two_last_pids_also_around_the_wrap():
    assert procs.handed_out(1005, 1000, 1010)
    assert not procs.handed_out(1000, 1000, 1010)
    assert not procs.handed_out(999, 1000, 1010)
    assert not procs.handed_out(1005, 1000, 1000)
    # 32760 -> wrapped at pid_max 32768 -> 400
    assert procs.handed_out(32767, 32760, 400)
    assert procs.handed_out(301, 32760, 400)
    assert not procs.handed_out(401, 32760, 400)
    assert not procs.handed_out(20000, 32760, 400)


def test_parse_kib():
    text = 'Rss:                1676 kB\nPss:                 289 kB\nPss_Dirty:           112 kB\n'
    assert procs.parse_kib(text, 'Pss') == 289
    assert procs.parse_kib(text, 'Rss') == 1676
    assert procs.parse_kib(text, 'VmRSS') == 0


def test_watch_sees_a_child_process_tree():
    # a parent that forks a child holding 64 MiB for a moment; the watch samples every 0.05 s
    code = ('import os, time\n'
            'if os.fork() == 0:\n'
            '    block = bytearray(64 * 1048576)\n'
            '    time.sleep(0.6)\n'
            '    os._exit(0)\n'
            'os.wait()\n')
    with subprocess.Popen([sys.executable, '-c', code]) as proc:
        watch = procs.Watch(proc.pid, interval=0.05)
        watch.start()
        proc.wait()
        watch.stop()
    assert watch.peak_processes == 2
    assert watch.peak_rss > 64 * 1048576
    assert watch.peak_pss > 0
    assert watch.masters_seen == {}


def test_format_cpu_and_bytes():
    run = playbooks.PlaybookRun(10.0, {}, 'log', cpu=31.94, masters_cpu=2.06)
    assert playbooks.format_cpu(run) == '31.9 s (masters 2.1 s)'
    assert playbooks.format_cpu(playbooks.PlaybookRun(10.0, {}, 'log', cpu=7.2)) == '7.2 s'
    assert playbooks.format_bytes(0) == '-'
    assert playbooks.format_bytes(812 * 1048576) == '812 MiB'
    assert playbooks.format_bytes(3.21 * 1073741824) == '3.21 GiB'
