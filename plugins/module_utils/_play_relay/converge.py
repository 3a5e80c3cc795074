# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Bring one group of a Vhost's (or an App's) play-triggered relay to its desired state.

The shared loop (``_core.converge.converge``) owns the fault handling. What is particular here is that no page says
what UpdateRelaySourceV3 does to the groups it is not sent, nor what DeleteRelaySourceV3 without an App does to
the Apps' groups, so every write is checked by a look after it:

- a create or an update sends the Vhost+App's whole list as found, with the one group changed; afterwards the
  desired group must be there and every other group as it was;
- a delete sends the one group; afterwards every other group of the Vhost, in any App the Describe answer shows,
  must be as it was. A group that a delete took with it is sent again (its whole Vhost+App list as found, minus
  the deleted group), and the task says so.
"""

from __future__ import annotations

import re

from ansible_collections.volcengine.live.plugins.module_utils._core.converge import converge
from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._core.planning import DELETE
from ansible_collections.volcengine.live.plugins.module_utils._play_relay.api import (
    delete,
    describe,
    describe_as_found,
    update,
)
from ansible_collections.volcengine.live.plugins.module_utils._play_relay.plan import (
    find_group,
    groups_to_send,
    in_scope,
    other_groups_changed,
    planned_action,
    same_servers,
)

# What a refusal because the App has a fixed relay source may say: no page gives the words.
_CONFLICT_RE = re.compile(r'RelaySourceV4|fixed relay|固定|conflict|冲突', re.IGNORECASE)
CONFLICT_HINT = (
    'one revision of the API docs says an App cannot have both a fixed relay source (volcengine.live.relay_source) '
    'and a play-triggered relay: remove the fixed relay sources of this App first, or relay the whole Vhost'
)


class WriteNotAsPlanned(Exception):
    """The look after a write found the groups other than planned; ``groups`` names those affected."""

    def __init__(self, msg, groups, request_id=None):
        super().__init__(msg)
        self.groups = groups
        self.request_id = request_id


def _request(request_id):
    return ' (RequestId: %s)' % request_id if request_id else ''


def conflict_hint(error):
    """The hint for a refused UpdateRelaySourceV3 whose message says the App also has a fixed relay, or None."""
    if error.transient or not _CONFLICT_RE.search(error.service_message or ''):
        return None
    return CONFLICT_HINT


def read_scope(client, vhost, app, as_found=None):
    """The groups of exactly Vhost+``app``, as DescribeRelaySourceV3 answers them.

    ``as_found`` (a dict), when given, is filled with each group's GroupDetails item as answered.
    """
    found = [(group, detail) for group, detail in describe_as_found(client, vhost, app) if group['app'] == app]
    if as_found is not None:
        as_found.clear()
        as_found.update((group['group'], detail) for group, detail in found)
    return [group for group, _detail in found]


def _by_scope(groups):
    scopes = {}
    for group in groups:
        scopes.setdefault(group['app'], []).append(group)
    return scopes


def converge_play_relay_source(client, desired, state, retry, check_mode=False):
    """Converge the group ``desired`` (normalised; for ``absent`` its key is enough).

    Returns the Convergence (its ``answer`` is the request id of the write) and the groups a delete took with it
    and that were sent again (``'<group> (<app or whole Vhost>)'``). Raise :class:`WriteNotAsPlanned` when the
    look after a write finds the desired group missing, or another group lost or changed that could not be put
    back.
    """
    vhost, app, name = desired['vhost'], desired['app'], desired['group']
    seen = {}
    as_found = {}  # the scope's groups as the last look found them: the others are sent back so

    def look():
        if state != 'absent':
            return read_scope(client, vhost, app, as_found)
        whole = describe(client, vhost)
        # The Vhost as it was before the first write (a later look may follow a delete whose answer was lost).
        seen.setdefault('vhost', whole)
        return in_scope(whole, None) if app is None else read_scope(client, vhost, app)

    def write(action, scope):
        if action == DELETE:
            return delete(client, vhost, app, name)
        others = {group: detail for group, detail in as_found.items() if group != name}
        return update(client, vhost, app, groups_to_send(scope, desired), others)

    # A "create" here is an UpdateRelaySourceV3 of the whole list, an upsert by Vhost, App and group: sending it
    # again cannot make a second group, so it is planned anew from each look as an update is.
    outcome = converge(
        look,
        lambda scope: planned_action(find_group(scope, name), desired, state),
        write,
        retry,
        check_mode,
        unrepeatable=(),
    )
    if outcome.written is None:
        return outcome, []
    try:
        if outcome.written_action == DELETE:
            return outcome, _check_after_delete(client, vhost, app, name, outcome, seen['vhost'])
        _check_after_update(client, vhost, app, desired, outcome)
    except LiveApiError as error:  # the write was carried out; the look after it failed
        error.after_write = True
        raise
    return outcome, []


def _check_after_update(client, vhost, app, desired, outcome):
    after = read_scope(client, vhost, app)
    found = find_group(after, desired['group'])
    problems = []
    if found is None or not same_servers(found['servers'], desired['servers']):
        problems.append(desired['group'])
    changed = other_groups_changed(outcome.written, after, desired['group'])
    if problems or changed:
        raise WriteNotAsPlanned(
            'UpdateRelaySourceV3 was carried out%s, but looking again found %s. Nothing else was '
            'sent; check the play-triggered relay of %s%s in the console.'
            % (
                _request(outcome.answer),
                '; '.join(
                    (['group %s not as sent' % problems[0]] if problems else [])
                    + (['other groups lost or changed: %s' % ', '.join(changed)] if changed else [])
                ),
                vhost,
                ' app %s' % app if app else '',
            ),
            problems + changed,
            outcome.answer,
        )


def _check_after_delete(  # noqa: PLR0913 - what the look after a delete compares: the group, the outcome and the Vhost before it
    client,
    vhost,
    app,
    name,
    outcome,
    vhost_before,
):
    """Every group but the deleted one is still there; a group the delete took with it is sent again."""
    before = _by_scope(vhost_before)
    before[app] = outcome.written
    after = _by_scope(describe(client, vhost))
    after[app] = read_scope(client, vhost, app)
    restored, failed = [], []
    for scope_app, groups in before.items():
        lost = other_groups_changed(groups, after.get(scope_app, []), name if scope_app == app else None)
        if not lost:
            continue
        kept = [group for group in groups if not (scope_app == app and group['group'] == name)]
        try:
            update(client, vhost, scope_app, kept)
        except LiveApiError:  # reported below, with what was lost
            failed.extend('%s (%s)' % (group, scope_app or 'whole Vhost') for group in lost)
            continue
        restored.extend('%s (%s)' % (group, scope_app or 'whole Vhost') for group in lost)
    if failed:
        raise WriteNotAsPlanned(
            'DeleteRelaySourceV3 of group %s%s also removed or changed other groups, and sending '
            'them again failed: %s. Check the play-triggered relay of %s in the console.'
            % (name, _request(outcome.answer), ', '.join(failed), vhost),
            failed,
            outcome.answer,
        )
    return restored
