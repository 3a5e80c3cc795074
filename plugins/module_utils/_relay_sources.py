# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""The ``relay_sources`` module: its argument spec and what it does, in one definition."""

from __future__ import annotations

import time

from ansible_collections.volcengine.live.plugins.module_utils._client import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._connection import (
    check_connection,
    client_from_params,
    connection_argument_spec,
    lookup_impossible,
    retry_policy,
)
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay_converge_domain import converge_domain
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay_plan import domain_diff
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay_rules import (
    item_labels_and_offsets,
    normalize_relay_source_list,
)
from ansible_collections.volcengine.live.plugins.module_utils._locks import converging, domain_key
from ansible_collections.volcengine.live.plugins.module_utils._module import ModuleDefinition, TaskFailed
from ansible_collections.volcengine.live.plugins.module_utils._rules import (
    APP_MAX,
    READABLE_SUFFIX,
    WINDOW_KEYS,
    ValidationError,
    validate_domain,
    validate_name,
)

ARGUMENT_SPEC = dict(
    connection_argument_spec(),
    domain=dict(type='str', required=True),
    relay_sources=dict(
        type='list',
        elements='dict',
        required=True,
        options=dict(
            app=dict(type='str'),
            stream=dict(type='str'),
            src_addrs=dict(type='list', elements='str'),
            start_time=dict(type='raw'),
            end_time=dict(type='raw'),
            domain=dict(type='str'),
            **{key + READABLE_SUFFIX: dict(type='raw') for key in WINDOW_KEYS},
        ),
    ),
    state=dict(type='str', default='present', choices=['present', 'absent']),
    purge=dict(type='bool', default=False),
    purge_apps=dict(type='list', elements='str'),
)
# How many failures the message names; the result's ``failed`` lists them all.
MESSAGE_FAILURES = 10


def _validate(params, warn):
    try:
        domain = validate_domain(params['domain'])
        purge_apps = [validate_name('purge_apps', app, APP_MAX) for app in params['purge_apps'] or []]
    except ValidationError as exc:
        raise TaskFailed(str(exc), option=exc.option) from exc
    present = params['state'] == 'present'
    if params['purge'] and not present:
        raise TaskFailed(
            'purge: deletes the configurations that are not listed, with state=present only', option='purge'
        )
    if purge_apps and not params['purge']:
        warn('purge_apps limits purge, which is off: nothing is purged.')
    desired, problems = normalize_relay_source_list(domain, params['relay_sources'], present)
    if problems:
        raise TaskFailed(
            '%d problem(s) in relay_sources, nothing was sent: %s' % (len(problems), '; '.join(problems)),
            option='relay_sources',
            problems=problems,
        )
    return domain, desired, purge_apps


def _once(warn):
    """``warn``, saying each message once."""
    said = set()

    def warn_once(message):
        if message not in said:
            said.add(message)
            warn(message)

    return warn_once


def _entries(relay_sources, with_task_id=False):
    entries = [{'app': item['app'], 'stream': item['stream']} for item in relay_sources]
    if with_task_id:
        for entry in entries:
            entry['task_id'] = None
    return entries


def run(params, check_mode, diff, warn):
    """Converge every relay source of a domain; return the module result."""
    domain, desired, purge_apps = _validate(params, warn)
    check_connection(params, warn)
    result = dict(changed=True, created=[], updated=[], deleted=[], unchanged=0)
    if lookup_impossible(params, check_mode, warn, checked='every relay source', lookup='read the domain'):
        return result

    retry = retry_policy(params)
    labels = item_labels_and_offsets(params['relay_sources'])
    offsets = {key: offset for key, (_label, offset) in labels.items()}
    client_warn = _once(warn)  # each writer thread makes its own client
    try:
        with converging(params, check_mode, warn, domain_key(domain, exclusive=True)):
            outcome = converge_domain(
                lambda: client_from_params(params, retry, warn=client_warn),
                domain,
                desired,
                params['state'],
                retry,
                purge=params['purge'],
                purge_apps=purge_apps,
                check_mode=check_mode,
                now=time.time(),
                offsets=offsets,
            )
    except LiveApiError as exc:  # the domain could not be read first: nothing was planned or written
        raise TaskFailed(str(exc), changed=False, **exc.to_result()) from exc
    domain_plan = outcome.plan
    if domain_plan.refused:  # a window that is over, not found as it is: nothing was written
        problems = ['%s: %s' % (labels[(item['app'], item['stream'])][0], error) for item, error in domain_plan.refused]
        raise TaskFailed(
            '%d problem(s) in relay_sources, nothing was sent: %s' % (len(problems), '; '.join(problems)),
            option='relay_sources',
            problems=problems,
            changed=False,
        )
    if check_mode:
        result.update(
            changed=domain_plan.changed,
            created=_entries(domain_plan.creates, with_task_id=True),
            updated=_entries(desired for _current, desired in domain_plan.updates),
            deleted=_entries(domain_plan.deletes),
        )
    else:
        result.update(
            changed=outcome.changed, created=outcome.created, updated=outcome.updated, deleted=outcome.deleted
        )
    result['unchanged'] = len(domain_plan.unchanged)
    if diff:
        result['diff'] = domain_diff(domain, domain_plan, offsets)
    if outcome.answers_lost:
        warn(
            'The answers to %d write(s) were lost, but reading the domain again showed them carried out; '
            'nothing was sent twice.' % outcome.answers_lost
        )
    if outcome.failed:
        named = ['%s/%s: %s' % (f['app'], f['stream'], f['msg']) for f in outcome.failed[:MESSAGE_FAILURES]]
        more = len(outcome.failed) - len(named)
        raise TaskFailed(
            '%d of %d write(s) failed: %s%s. Done anyway: created %d, updated %d, deleted %d.'
            % (
                len(outcome.failed),
                len(domain_plan.writes()),
                '; '.join(named),
                ' (and %d more, see failures)' % more if more > 0 else '',
                len(outcome.created),
                len(outcome.updated),
                len(outcome.deleted),
            ),
            failures=outcome.failed,
            **result,
        )
    return result


DEFINITION = ModuleDefinition('relay_sources', ARGUMENT_SPEC, run)
