# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The tests' clients of the simulator: of its own API (``/_sim/...``: its state, counters, modes and faults), and
of its Live API, by requests the collection's signer signs and by the official SDK."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from volcengine.live.v20230101.live_service import LiveService

from ansible_collections.volcengine.live.plugins.module_utils import signer
from ansible_collections.volcengine.live.tools.live_simulator.server import ACTION_METHODS

# The account of a simulator started with ``accounts={AK: SK}``.
AK, SK = 'AKLTsimtest', 'sim-test-secret'
DROP = object()  # a key to leave out of a body


def admin(sim, path, body=None):
    """GET ``path`` of a running simulator, or POST ``body`` to it as JSON; return the decoded answer.

    An answer other than 2xx raises :class:`urllib.error.HTTPError`, as the simulator refuses a bad admin request.
    """
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(sim.endpoint + path, data=data, method='POST' if data is not None else 'GET')
    with urllib.request.urlopen(request, timeout=5) as answer:
        return json.loads(answer.read())


def admin_refused(sim, path, body):
    """The HTTP status of an admin request the simulator must refuse."""
    with pytest.raises(urllib.error.HTTPError) as info:
        admin(sim, path, body)
    return info.value.code


def signed_request(  # noqa: PLR0913 - a request's parts, each varied by a test
    sim,
    action,
    body=None,
    method=None,
    secret=SK,
    sent_query=None,
):
    """A request signed by the collection's signer, in the action's own method unless ``method`` says otherwise: a
    POST with a JSON body (``body`` may be raw bytes), or a GET with ``body`` as its query.

    ``sent_query`` sends another query than the one signed (a tampered request).
    """
    method = method or ACTION_METHODS.get(action, 'POST')
    query = {'Action': action, 'Version': '2023-01-01'}
    if method == 'GET':
        query.update((k, v if isinstance(v, list) else str(v)) for k, v in (body or {}).items())
        data, headers = b'', {}
    else:
        raw = body if isinstance(body, bytes) else json.dumps({} if body is None else body, ensure_ascii=False)
        data, headers = (raw if isinstance(raw, bytes) else raw.encode('utf-8')), {'Content-Type': 'application/json'}
    signed = signer.sign(method, '127.0.0.1:%d' % sim.port, '/', query, headers, data, AK, secret, 'cn-north-1', 'live')
    url = sim.endpoint + '/?' + signer.canonical_query(dict(query, **(sent_query or {})))
    return urllib.request.Request(url, data=data if method == 'POST' else None, headers=signed, method=method)


def call(sim, action, body=None, method=None, **kwargs):
    """``(HTTP status, answer)`` of one signed request."""
    try:
        with urllib.request.urlopen(signed_request(sim, action, body, method, **kwargs), timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def ok(sim, action, body=None, method=None):
    """The Result of a request that must succeed (None when the answer has none)."""
    status, answer = call(sim, action, body, method)
    assert status == 200 and 'Error' not in answer['ResponseMetadata'], answer
    assert answer['ResponseMetadata']['Action'] == action
    return answer.get('Result')


def refused(sim, action, body=None, method=None):
    """``(HTTP status, code, message)`` of a request that must fail."""
    status, answer = call(sim, action, body, method)
    error = answer['ResponseMetadata']['Error']
    assert 'Result' not in answer
    return status, error['Code'], error['Message']


def sdk(sim, secret=SK):
    """The official SDK's client of the simulator."""
    service = LiveService(host='127.0.0.1:%d' % sim.port, ak=AK, sk=secret)
    service.set_scheme('http')
    return service


def sdk_refused(func, *args):
    """The error envelope the official SDK raised (it raises the answer's text)."""
    with pytest.raises(Exception) as info:  # the SDK raises a bare Exception
        func(*args)
    text = info.value.args[0]
    return json.loads(text.decode('utf-8') if isinstance(text, bytes) else text)['ResponseMetadata']['Error']


def body_of(base, extra):
    """``base`` with ``extra`` over it, without the keys ``extra`` sets to :data:`DROP`."""
    body = dict(base, **extra)
    return {k: v for k, v in body.items() if v is not DROP}
