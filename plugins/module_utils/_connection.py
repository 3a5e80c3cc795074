# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""The connection options every module shares, their checks, and the Live client built from them.

The checks are pure, so they run (and are tested) before any request, in check mode too.
"""

from __future__ import annotations

import os

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.volcengine.live.plugins.module_utils._client import (
    DEFAULT_ENDPOINT,
    DEFAULT_REGION,
    DEFAULT_RETRIES,
    DEFAULT_RETRY_MAX_DELAY,
    DEFAULT_TIMEOUT,
    LiveClient,
    RetryPolicy,
    import_requests,
    parse_endpoint,
    plain_http_problem,
)
from ansible_collections.volcengine.live.plugins.module_utils._module import TaskFailed
from ansible_collections.volcengine.live.plugins.module_utils._pacing import Pacer
from ansible_collections.volcengine.live.plugins.module_utils._profile import DEFAULT_PROFILE_FILE

DEFAULT_RATE_LIMIT = 10.0


def connection_argument_spec():
    """The options of the ``volcengine.live.connection`` doc fragment."""
    return dict(
        access_key=dict(
            type='str',
            aliases=['ak'],
            no_log=False,
            fallback=(env_fallback, ['VOLCENGINE_ACCESS_KEY', 'VOLC_ACCESSKEY']),
        ),
        secret_key=dict(
            type='str',
            aliases=['sk'],
            no_log=True,
            fallback=(env_fallback, ['VOLCENGINE_SECRET_KEY', 'VOLC_SECRETKEY']),
        ),
        session_token=dict(type='str', no_log=True, fallback=(env_fallback, ['VOLCENGINE_SESSION_TOKEN'])),
        profile=dict(type='str', fallback=(env_fallback, ['VOLCENGINE_PROFILE'])),
        profile_file=dict(
            type='path', default=DEFAULT_PROFILE_FILE, fallback=(env_fallback, ['VOLCENGINE_PROFILE_FILE'])
        ),
        region=dict(type='str', default=DEFAULT_REGION, fallback=(env_fallback, ['VOLCENGINE_REGION'])),
        endpoint=dict(type='str', default=DEFAULT_ENDPOINT, fallback=(env_fallback, ['VOLCENGINE_ENDPOINT'])),
        validate_certs=dict(type='bool', default=True),
        ca_path=dict(type='path'),
        allow_insecure_http=dict(type='bool', default=False),
        timeout=dict(type='float', default=DEFAULT_TIMEOUT),
        retries=dict(type='int', default=DEFAULT_RETRIES),
        retry_max_delay=dict(type='float', default=DEFAULT_RETRY_MAX_DELAY),
        rate_limit=dict(type='float', default=DEFAULT_RATE_LIMIT),
    )


_CREDENTIAL_ENV = {'access_key': 'VOLCENGINE_ACCESS_KEY', 'secret_key': 'VOLCENGINE_SECRET_KEY'}


def missing_credentials(params):
    """A message naming the credential options that are not set, or None. Pure."""
    missing = [name for name in ('access_key', 'secret_key') if not params.get(name)]
    if not missing:
        return None
    return '; '.join(
        '%s is required to call the API: set %s or the environment variable %s' % (name, name, _CREDENTIAL_ENV[name])
        for name in missing
    )


def connection_option_error(params):
    """A message for an unusable endpoint, region or timeout, or None. Pure: checked even in check mode."""
    try:
        parse_endpoint(params.get('endpoint'), params.get('allow_insecure_http'), params.get('session_token'))
    except ValueError as exc:
        return str(exc)
    if not (params.get('region') or '').strip():
        return 'region must not be empty'
    ca_path = params.get('ca_path')
    if ca_path and params.get('validate_certs') is not False and not os.path.isfile(ca_path):
        return "ca_path %s is not a file: give a CA bundle (PEM) that signs the endpoint's certificate" % ca_path
    timeout = params.get('timeout')
    if timeout is None or not timeout > 0:
        return 'timeout must be a positive number of seconds, got %r' % (timeout,)
    for name in ('retries', 'retry_max_delay', 'rate_limit'):
        value = params.get(name)
        if value is not None and value < 0:
            return '%s must not be negative, got %r' % (name, value)
    return None


def connection_warnings(params):
    """Warnings about connection options that work but weaken security. Pure."""
    warnings = []
    if params.get('validate_certs') is False and params.get('ca_path'):
        warnings.append('ca_path is ignored: validate_certs is false, so no certificate is verified.')
    if params.get('validate_certs') is False:
        warnings.append(
            'validate_certs is false: the TLS certificate of %s is not verified, so anyone on the '
            'network path can read and change the signed requests and their answers. Use it only for '
            'a test endpoint you trust.' % params.get('endpoint')
        )
    if params.get('allow_insecure_http') and plain_http_problem(params.get('endpoint')):
        warnings.append(
            'allow_insecure_http is true and endpoint %s is plain http: signed requests cross the '
            'network unencrypted. Use it only for a test endpoint you trust.' % params.get('endpoint')
        )
    return warnings


def check_connection(params, warn):
    """Fail the task on an unusable connection option; ``warn`` about those that weaken security."""
    problem = connection_option_error(params)
    if problem:
        raise TaskFailed(problem)
    for warning in connection_warnings(params):
        warn(warning)


def lookup_impossible(params, check_mode, warn, checked='the parameters', lookup='look up the current state'):
    """Whether check mode has no credentials to look the state up with (then it warns, and reports a change).

    ``checked`` and ``lookup`` name, in the warning, what check mode validated and what it could not do.
    """
    missing = missing_credentials(params)
    if not (check_mode and missing):
        return False
    warn('Check mode validated %s but could not %s (%s); a real run may report no change.' % (checked, lookup, missing))
    return True


def retry_policy(params):
    """The retry policy of the options ``retries``, ``retry_max_delay`` and ``timeout``."""
    return RetryPolicy(
        retries=params['retries'], max_delay=params['retry_max_delay'], unanswered_write_wait=params['timeout']
    )


def connect(params, check_mode, warn, documented_rates=None):
    """The opening of a module that may write: check the connection options, then return ``(client, retry)``.

    ``None`` when check mode has no credentials to look the current state up with (:func:`lookup_impossible`
    has warned): the module then reports the change it would make without looking.
    """
    check_connection(params, warn)
    if lookup_impossible(params, check_mode, warn):
        return None
    retry = retry_policy(params)
    return client_from_params(params, retry, documented_rates), retry


def read_client(params, warn, documented_rates=None):
    """The opening of a module that only reads: check the connection options, then return a client for them."""
    check_connection(params, warn)
    return client_from_params(params, retry_policy(params), documented_rates)


def action_rates(rate_limit, documented):
    """The pacing rate of each action whose documented limit differs from the usual 10 requests/s. Pure.

    ``documented`` maps an action to its documented limit; ``rate_limit`` (the option) is the rate of the usual
    limit, and each of these actions is paced in proportion: with the default 10, at its documented limit.
    """
    return {action: rate_limit * limit / DEFAULT_RATE_LIMIT for action, limit in (documented or {}).items()}


def client_from_params(params, retry, documented_rates=None):
    """A LiveClient for the connection options in ``params`` that retries as ``retry`` says.

    ``documented_rates`` maps the actions whose documented rate limit is not 10 requests/s to theirs.

    Raise :class:`TaskFailed` when none can be made.
    """
    problem = missing_credentials(params)
    if problem:
        raise TaskFailed(problem)
    requests, error = import_requests()
    if requests is None:
        raise TaskFailed(missing_required_lib('requests'), exception=error)
    try:
        return LiveClient(
            access_key=params['access_key'],
            secret_key=params['secret_key'],
            session_token=params.get('session_token'),
            region=params['region'],
            endpoint=params['endpoint'],
            validate_certs=params['validate_certs'],
            ca_path=params.get('ca_path'),
            allow_insecure_http=params['allow_insecure_http'],
            timeout=params['timeout'],
            retry=retry,
            pacer=Pacer(
                params['rate_limit'],
                params['endpoint'],
                params['access_key'],
                action_rates=action_rates(params['rate_limit'], documented_rates),
            ),
        )
    except ValueError as exc:  # the endpoint (parse_endpoint); check_connection() has normally refused it already
        raise TaskFailed(str(exc)) from exc
