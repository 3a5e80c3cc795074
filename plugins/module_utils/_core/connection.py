# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""The connection options every module shares, their checks, and the Live client built from them.

The checks are pure, so they run (and are tested) before any request, in check mode too.
"""

from __future__ import annotations

import math
import os
import re

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.volcengine.live.plugins.module_utils._core.errors import DEFAULT_REGION
from ansible_collections.volcengine.live.plugins.module_utils._core.module import TaskFailed
from ansible_collections.volcengine.live.plugins.module_utils._core.pacing import Pacer
from ansible_collections.volcengine.live.plugins.module_utils._core.profile import DEFAULT_PROFILE_FILE
from ansible_collections.volcengine.live.plugins.module_utils._core.retry import (
    DEFAULT_ANSWER_TIMEOUT,
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_RETRIES,
    DEFAULT_RETRY_MAX_DELAY,
    RetryPolicy,
)
from ansible_collections.volcengine.live.plugins.module_utils._core.rules import shown
from ansible_collections.volcengine.live.plugins.module_utils._core.transport import (
    DEFAULT_ENDPOINT,
    DEFAULT_TIMEOUT,
    LiveClient,
    canonical_endpoint,
    import_requests,
    parse_endpoint,
    plain_http_problem,
)

DEFAULT_RATE_LIMIT = 10.0
# The bounds of the numeric options: beyond them a value is a mistake, and some (infinity, NaN, 1e300 seconds)
# would break the HTTP stack or the pacing's arithmetic instead of failing cleanly.
NUMERIC_BOUNDS = {
    'timeout': (0.0, 3600.0, 'a positive number of seconds, at most 3600'),
    'connect_timeout': (0.0, 3600.0, 'a positive number of seconds, at most 3600'),
    'answer_timeout': (0.0, 3600.0, 'a positive number of seconds, at most 3600'),
    'retry_max_delay': (0.0, 3600.0, 'a number of seconds from 0 to 3600'),
    'retries': (0, 100, 'a whole number from 0 to 100'),
    'rate_limit': (0.0, 1000.0, '0 (no pacing) or a number of requests per second from 0.1 to 1000'),
}
RATE_LIMIT_MIN = 0.1
# The numeric options that must be greater than 0 (the others may be 0).
POSITIVE_OPTIONS = ('timeout', 'connect_timeout', 'answer_timeout')
# What a credential may hold: it travels in HTTP headers (access key, session token) or keys the HMAC (secret key),
# and every real one is printable ASCII without white space.
CREDENTIAL_OPTIONS = ('access_key', 'secret_key', 'session_token')
_REGION_RE = re.compile(r'[a-z0-9][a-z0-9\-]{0,62}')


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
        connect_timeout=dict(
            type='float', default=DEFAULT_CONNECT_TIMEOUT, fallback=(env_fallback, ['VOLCENGINE_CONNECT_TIMEOUT'])
        ),
        answer_timeout=dict(
            type='float', default=DEFAULT_ANSWER_TIMEOUT, fallback=(env_fallback, ['VOLCENGINE_ANSWER_TIMEOUT'])
        ),
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
    ) + (
        ', or name a profile of the ve CLI (profile or VOLCENGINE_PROFILE) in %s, which gives both'
        % (params.get('profile_file') or DEFAULT_PROFILE_FILE)
    )


def credential_problem(option, value):
    """Why ``value`` cannot be the credential ``option``, or None. Pure.

    The message names the option and what is wrong, never the value: a secret with a stray newline (a YAML block
    scalar, a profile file) must not be printed by the error that refuses it.
    """
    if value is None or value == '':
        return None
    if not isinstance(value, str):
        return '%s must be a string' % option
    if value != value.strip():
        kind = 'a line break' if value[-1:] in '\r\n' or value[:1] in '\r\n' else 'white space'
        return (
            '%s has %s at its start or end: a credential never does (check where it comes from: a YAML block '
            'scalar or a file can add a newline); its value is not shown' % (option, kind)
        )
    if not all('!' <= ch <= '~' for ch in value):
        return (
            '%s holds characters no credential has (white space, control or non-ASCII characters); its value is '
            'not shown' % option
        )
    return None


def number_problem(option, value):
    """Why ``value`` cannot be the numeric connection option ``option``, or None. Pure."""
    if value is None:
        return None
    low, high, what = NUMERIC_BOUNDS[option]
    finite = isinstance(value, int) or math.isfinite(value)
    if finite and value < 0:
        return '%s must not be negative, got %s' % (option, shown(value))
    if option in POSITIVE_OPTIONS:
        fits = finite and low < value <= high
    elif option == 'rate_limit':
        fits = finite and (value == 0 or RATE_LIMIT_MIN <= value <= high)
    else:
        fits = finite and low <= value <= high
    return None if fits else '%s must be %s, got %s' % (option, what, shown(value))


def connection_option_error(  # noqa: PLR0911 - one return per connection option checked, in the order the docs list them
    params,
):
    """A message for an unusable credential, endpoint, region or number, or None. Pure: checked even in check
    mode, and before any request."""
    for option in CREDENTIAL_OPTIONS:
        problem = credential_problem(option, params.get(option))
        if problem:
            return problem
    try:
        parse_endpoint(params.get('endpoint'), params.get('allow_insecure_http'), params.get('session_token'))
    except ValueError as exc:
        return str(exc)
    region = params.get('region') or ''
    if not region.strip():
        return 'region must not be empty'
    if not _REGION_RE.fullmatch(region):
        return 'region must be a region name such as cn-north-1 (lower-case letters, digits and "-"), got %s' % shown(
            region
        )
    ca_path = params.get('ca_path')
    if ca_path and params.get('validate_certs') is not False and not os.path.isfile(ca_path):
        return "ca_path %s is not a file: give a CA bundle (PEM) that signs the endpoint's certificate" % ca_path
    for name in POSITIVE_OPTIONS:
        if name in params and params[name] is None:
            return '%s must be %s, got None' % (name, NUMERIC_BOUNDS[name][2])
    for name in NUMERIC_BOUNDS:
        problem = number_problem(name, params.get(name))
        if problem:
            return problem
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
    """The retry policy of the options ``retries``, ``retry_max_delay``, ``timeout``, ``connect_timeout`` and
    ``answer_timeout``: one per task, shared by its clients (one per thread in ``relay_sources``) and its
    convergence, so the two budgets hold for the whole task."""
    return RetryPolicy(
        retries=params['retries'],
        max_delay=params['retry_max_delay'],
        unanswered_write_wait=params['timeout'],
        connect_timeout=params.get('connect_timeout', DEFAULT_CONNECT_TIMEOUT),
        answer_timeout=params.get('answer_timeout', DEFAULT_ANSWER_TIMEOUT),
        timeout=params['timeout'],
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
    return client_from_params(params, retry, documented_rates, warn=warn), retry


def read_client(params, warn, documented_rates=None):
    """The opening of a module that only reads: check the connection options, then return a client for them."""
    check_connection(params, warn)
    return client_from_params(params, retry_policy(params), documented_rates, warn=warn)


def action_rates(rate_limit, documented):
    """The pacing rate of each action whose documented limit differs from the usual 10 requests/s. Pure.

    ``documented`` maps an action to its documented limit; ``rate_limit`` (the option) is the rate of the usual
    limit, and each of these actions is paced in proportion: with the default 10, at its documented limit.
    """
    return {action: rate_limit * limit / DEFAULT_RATE_LIMIT for action, limit in (documented or {}).items()}


def client_from_params(params, retry, documented_rates=None, warn=None):
    """A LiveClient for the connection options in ``params`` that retries as ``retry`` says.

    ``documented_rates`` maps the actions whose documented rate limit is not 10 requests/s to theirs; ``warn``
    is told when the pacing cannot use its state folder or file (it is then off for the task).

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
            credentials_from=params.get('_credentials_from'),
            timeout=params['timeout'],
            retry=retry,
            pacer=Pacer(
                params['rate_limit'],
                canonical_endpoint(params['endpoint']),
                params['access_key'],
                action_rates=action_rates(params['rate_limit'], documented_rates),
                warn=warn,
            ),
        )
    except ValueError as exc:  # the endpoint (parse_endpoint); check_connection() has normally refused it already
        raise TaskFailed(str(exc)) from exc
