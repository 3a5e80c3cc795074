# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one fake Live API of the unit tests: an in-memory service behind a fake ``requests.Session``."""

from __future__ import annotations

import io
import json
import threading
from urllib.parse import parse_qsl, urlsplit


class FakeResponse:
    """An answer: an HTTP status and a body (a string as it is, anything else as JSON), read as the client reads
    a streamed ``requests`` answer (``raw``, ``headers``, ``close()``)."""

    def __init__(self, status, payload):
        self.status_code = status
        self.text = payload if isinstance(payload, str) else json.dumps(payload)
        self.headers = {}
        self.closed = False

    @property
    def raw(self):
        """The body as a stream, whole again each time: one answer may be given more than once."""
        return io.BytesIO(self.text.encode('utf-8'))

    def close(self):
        self.closed = True


def envelope_text(action='CreateRelaySourceV4', result=None, error=None, request_id='rid-ok'):
    """The JSON text of an answer: ``error`` is a code (with an "injected" message) or a whole Error object."""
    meta = {
        'RequestId': request_id,
        'Action': action,
        'Version': '2023-01-01',
        'Service': 'live',
        'Region': 'cn-north-1',
    }
    if isinstance(error, dict):
        meta['Error'] = error
    elif error:
        meta['Error'] = {'Code': error, 'Message': 'injected %s' % error}
    data = {'ResponseMetadata': meta}
    if result is not None:
        data['Result'] = result
    return json.dumps(data)


def envelope(action='CreateRelaySourceV4', result=None, error=None, request_id='rid-ok', status=200):
    """An answer with the envelope of :func:`envelope_text`."""
    return FakeResponse(status, envelope_text(action, result, error, request_id))


class FakeLive:
    """An in-memory stand-in for the API behind requests.Session: keeps configurations, records calls.

    ``FakeLive(*script)`` answers its first calls from ``script`` (FakeResponse or exception, whatever the
    action) before it carries anything out. ``answers`` (action -> list of FakeResponse or exception)
    overrides the next answers of an action without carrying it out; ``after_commit`` (action -> list of the
    same) carries the action out and then answers with (or raises) that instead; ``refuse`` ((action, stream)
    -> FakeResponse) answers every call of that action for that stream so, forever. ``spell_domain`` (a
    function of the stored item) rewrites the items List answers with, as a service that spells Domain its own
    way would. ``keep_window_on_update`` keeps a stored window when an update carries no times. Calls may come
    from several threads at once (relay_sources writes side by side): each is handled under a lock.
    """

    def __init__(self, *script):
        self.script = list(script)
        self.configs = []
        self.calls = []
        self.answers = {}
        self.after_commit = {}
        self.task_seq = 0
        self.sleeps = []
        self.spell_domain = None
        self.keep_window_on_update = False
        self.refuse = {}
        self.lock = threading.Lock()

    def post(self, url, **kwargs):
        with self.lock:
            return self._post(url, **kwargs)

    def _post(self, url, **kwargs):
        action = dict(parse_qsl(urlsplit(url).query))['Action']
        body = json.loads(kwargs['data'])
        self.calls.append(dict(url=url, action=action, body=body, **kwargs))
        if (action, body.get('Stream')) in self.refuse:
            return self.refuse[(action, body.get('Stream'))]
        if self.script:
            return self._answer(self.script.pop(0))
        if self.answers.get(action):
            return self._answer(self.answers[action].pop(0))
        answer = self._carry_out(action, body)
        if self.after_commit.get(action):
            return self._answer(self.after_commit[action].pop(0))
        return answer

    @staticmethod
    def _answer(answer):
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def _carry_out(self, action, body):
        key = (body.get('Domain'), body.get('App'), body.get('Stream'))
        found = [c for c in self.configs if (c['Domain'], c['App'], c['Stream']) == key]
        if action == 'ListRelaySourceV4':
            page, size = body['Page'], body['Size']
            items = [c for c in self.configs if c['Domain'] == body['Domain']]
            if self.spell_domain:
                items = [self.spell_domain(dict(c)) for c in items]
            first, last = (page - 1) * size, page * size
            return envelope(
                action,
                {
                    'List': items[first:last],
                    'Pagination': {
                        'PageCur': page,
                        'PageSize': size,
                        'PageTotal': -(-len(items) // size),
                        'TotalCount': len(items),
                    },
                },
            )
        if action == 'CreateRelaySourceV4':
            self.task_seq += 1
            self.configs.append(body)
            return envelope(action, {'TaskId': '16120000000%02d' % self.task_seq}, request_id='rid-create')
        if not found:
            return envelope(action, error='ResourceNotFound', status=404)
        if action == 'UpdateRelaySourceV4':
            if self.keep_window_on_update and 'StartTime' not in body and 'StartTime' in found[0]:
                body = dict(body, StartTime=found[0]['StartTime'], EndTime=found[0]['EndTime'])
            self.configs[self.configs.index(found[0])] = body
            return envelope(action, request_id='rid-update')
        self.configs.remove(found[0])
        return envelope(action, request_id='rid-delete')

    def actions(self):
        return [call['action'] for call in self.calls]

    def count(self, action):
        return sum(1 for call in self.calls if call['action'] == action)


def stored(stream='match-42', **extra):
    config = {
        'Domain': 'pull.example.com',
        'App': 'live',
        'Stream': stream,
        'SrcAddrS': ['rtmp://origin-a.example.com/live/match-42'],
    }
    config.update(extra)
    return config
