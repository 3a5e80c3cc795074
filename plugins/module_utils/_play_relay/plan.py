# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Compare the groups of one Vhost+App with the desired group, and plan the write. Pure functions: no I/O.

No page says whether UpdateRelaySourceV3 upserts only the groups it is sent or replaces every group of the
Vhost+App with them. So a change always sends the whole list as it was found, with only the one group changed
(:func:`groups_to_send`): under either meaning the other groups stay as they are. :func:`other_groups_changed`
then checks it, from a look after the write.
"""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._core.planning import (
    CREATE,
    DELETE,
    NO_CHANGE,
    UPDATE,
    planned_diff,
)


def in_scope(groups, app):
    """The groups that belong to exactly Vhost+``app`` (``app`` None: the whole Vhost's, never an App's)."""
    return [group for group in groups if group['app'] == app]


def find_group(groups, name):
    """The group called ``name`` (group names are compared exactly), or None."""
    for group in groups:
        if group['group'] == name:
            return group
    return None


def planned_action(current, desired, state):
    """CREATE, UPDATE, DELETE or NO_CHANGE for the group found (``current``, or None) and the desired one.

    Servers are compared in order (the CDN tries them in order), each with its address (host names in any
    case), protocol and parameters.
    """
    if state == 'absent':
        return DELETE if current is not None else NO_CHANGE
    if current is None:
        return CREATE
    return NO_CHANGE if same_servers(current['servers'], desired['servers']) else UPDATE


def _server_key(server):
    return (server['address'].lower(), server['protocol'], sorted(server['params'].items()))


def same_servers(one, other):
    return [_server_key(server) for server in one] == [_server_key(server) for server in other]


def groups_to_send(scope, desired):
    """Every group of the Vhost+App as found, in order, with ``desired`` in place of its namesake (or last)."""
    sent = []
    replaced = False
    for group in scope:
        if group['group'] == desired['group']:
            sent.append(desired)
            replaced = True
        else:
            sent.append(group)
    if not replaced:
        sent.append(desired)
    return sent


def other_groups_changed(before, after, name):
    """The names of the groups other than ``name`` that ``before`` had and ``after`` lost or holds changed."""
    changed = []
    for group in before:
        if group['group'] == name:
            continue
        now = find_group(after, group['group'])
        if now is None or not same_servers(now['servers'], group['servers']):
            changed.append(group['group'])
    return changed


def diff_view(current, desired, action):
    """``{'before': ..., 'after': ...}`` for Ansible's --diff, with a header naming the group."""
    subject = current or desired
    header = 'play-triggered relay %s%s, group %s' % (
        subject['vhost'],
        ' app %s' % subject['app'] if subject['app'] else ' (whole Vhost)',
        subject['group'],
    )
    return planned_diff(current, desired, action, header)
