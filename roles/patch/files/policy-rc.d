#!/bin/sh
# Written by webstack.nginx_uwsgi's patch role for the time of an upgrade of
# a host that serves meanwhile: maintainer scripts start, stop or restart no
# service (invoke-rc.d and deb-systemd-invoke ask this file; 101 = action
# forbidden by policy). The role restarts what uses replaced files itself,
# gracefully, and removes this file.
exit 101
