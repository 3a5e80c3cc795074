# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What each module does, given its validated parameters.

One implementation, two ways to run it:

* the module (``plugins/modules``) builds an ``AnsibleModule`` from the spec
  here and hands its parameters to ``run_*`` in the module process, wherever
  the task runs;
* the action plugin of the same name (``plugins/action``) validates the same
  spec and calls the same ``run_*`` in Ansible's worker process when the task
  would run the module on the controller anyway (a local connection), which
  saves starting a Python process and importing ``requests`` for every task.

``run_*`` never exits: it returns the result, reports warnings through
``warn`` and raises :class:`TaskFailed` with the fields of a failed result.
"""

from __future__ import annotations

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError

from ansible_collections.volcengine.live.plugins.module_utils.client import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils.common import (
    TaskFailed, client_from_params, connection_argument_spec, connection_option_error, connection_warnings,
    missing_credentials,
)
from ansible_collections.volcengine.live.plugins.module_utils.converge import WindowKept, converge
from ansible_collections.volcengine.live.plugins.module_utils.state import CREATE, NOTHING, diff_view, from_api_item
from ansible_collections.volcengine.live.plugins.module_utils.validation import (
    APP_MAX, STREAM_MAX, ValidationError, normalize_relay_source, normalize_stream_key, validate_domain,
    validate_name,
)


def relay_source_spec():
    """Keyword arguments of ``AnsibleModule`` for ``relay_source``."""
    spec = connection_argument_spec()
    spec.update(
        state=dict(type='str', default='present', choices=['present', 'absent']),
        domain=dict(type='str', required=True),
        app=dict(type='str', required=True),
        stream=dict(type='str', required=True),
        src_addrs=dict(type='list', elements='str'),
        start_time=dict(type='raw'),
        end_time=dict(type='raw'),
    )
    return dict(argument_spec=spec, supports_check_mode=True, required_if=[('state', 'present', ('src_addrs',))])


def relay_source_info_spec():
    """Keyword arguments of ``AnsibleModule`` for ``relay_source_info``."""
    spec = connection_argument_spec()
    spec.update(
        domain=dict(type='str', required=True),
        app=dict(type='str'),
        stream=dict(type='str'),
    )
    return dict(argument_spec=spec, supports_check_mode=True)


def _check_connection(params, warn):
    problem = connection_option_error(params)
    if problem:
        raise TaskFailed(problem)
    for warning in connection_warnings(params):
        warn(warning)


def run_relay_source(params, check_mode, diff, warn):
    """Converge one relay source; return the module result."""
    present = params['state'] == 'present'
    try:
        desired = normalize_relay_source(params) if present else normalize_stream_key(params)
    except ValidationError as exc:
        raise TaskFailed(str(exc), option=exc.option)
    _check_connection(params, warn)

    result = dict(changed=True, task_id=None, request_id=None, relay_source=desired if present else None)
    missing = missing_credentials(params)
    if check_mode and missing:
        warn('Check mode validated the parameters but could not look up the current state (%s); '
             'a real run may report no change.' % missing)
        return result

    client = client_from_params(params)
    try:
        outcome = converge(client, desired, params['state'], check_mode=check_mode)
    except LiveApiError as exc:
        raise TaskFailed(str(exc), relay_source=result['relay_source'], **exc.to_result())
    except WindowKept as exc:
        raise TaskFailed(str(exc), changed=True, relay_source=exc.current, request_id=exc.request_id)
    result.update(changed=outcome.changed, task_id=outcome.task_id, request_id=outcome.request_id)
    if present and outcome.action == NOTHING:
        result['relay_source'] = outcome.current
    if diff:
        result['diff'] = diff_view(outcome.current, desired, outcome.action)
    if outcome.answer_lost:
        warn('The answer to a write was lost, but looking the stream up again showed it was carried out; '
             'nothing was sent twice.%s' % (' The task id of the create is unknown.'
                                            if outcome.action == CREATE else ''))
    return result


def run_relay_source_info(params, check_mode, diff, warn):
    """List the relay sources of a domain, optionally of one app or stream; return the module result."""
    try:
        domain = validate_domain(params['domain'])
        app = validate_name('app', params['app'], APP_MAX) if params['app'] is not None else None
        stream = validate_name('stream', params['stream'], STREAM_MAX) if params['stream'] is not None else None
    except ValidationError as exc:
        raise TaskFailed(str(exc), option=exc.option)
    _check_connection(params, warn)

    client = client_from_params(params)
    try:
        items = [from_api_item(item, domain) for item in client.iter_relay_sources(domain)]
    except LiveApiError as exc:
        raise TaskFailed(str(exc), **exc.to_result())
    return dict(changed=False, relay_sources=[
        item for item in items
        if (app is None or item['app'] == app) and (stream is None or item['stream'] == stream)])


def run_module(module, run):
    """Run ``run`` with an ``AnsibleModule``'s parameters and exit the module with its result."""
    try:
        result = run(module.params, module.check_mode, module._diff, module.warn)
    except TaskFailed as exc:
        module.fail_json(msg=exc.msg, **exc.fields)
    module.exit_json(**result)


def validation_error(result, name):
    """The message AnsibleModule would fail with for an argument-spec ValidationResult, or None."""
    errors = result.errors.errors
    if not errors:
        return None
    msg = result.errors.msg
    if isinstance(errors[0], UnsupportedError):
        msg = 'Unsupported parameters for (%s) module: %s' % (name, msg)
    return msg


def run_task(spec, run, args, check_mode, diff, name):
    """Validate ``args`` against ``spec`` and call ``run``; return the result a module process would return.

    No-log values (the secret key, the session token) are masked everywhere in the result.
    """
    spec = dict(spec)
    spec.pop('supports_check_mode', None)
    validator = ArgumentSpecValidator(spec.pop('argument_spec'), **spec)
    validated = validator.validate(args)
    params = validated.validated_parameters
    warnings = ['Both option %s and its alias %s are set.' % (item['option'], item['alias'])
                for item in validated._warnings]
    error = validation_error(validated, name)
    if error:
        result = dict(failed=True, msg=error)
    else:
        try:
            result = run(params, check_mode, diff, warnings.append)
        except TaskFailed as exc:
            result = dict(exc.fields, failed=True, msg=exc.msg)
    if not result.get('failed'):
        result.setdefault('changed', False)
    result['invocation'] = {'module_args': params}
    if warnings:
        result['warnings'] = warnings
    return remove_values(result, validated._no_log_values)
