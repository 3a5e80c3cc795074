# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Play-triggered relay (RelaySourceV3) on the wire: the calls, and the format both ways.

The calls go through a :class:`_core.transport.LiveClient`. The mapping between the normalised group
(``_play_relay_rules``) and the request bodies and Describe answers is pure.

A Describe answer lists configurations, one per Vhost+App, each with its groups. A configuration of the whole
Vhost may carry no ``App`` at all, or an empty one; every such item is the Vhost's, never an App's.
"""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._core.paging import invalid_answer, objects

ACTION_DESCRIBE = 'DescribeRelaySourceV3'
ACTION_UPDATE = 'UpdateRelaySourceV3'
ACTION_DELETE = 'DeleteRelaySourceV3'


def _scope(vhost, app):
    body = {'Vhost': vhost}
    if app is not None:
        body['App'] = app
    return body


def server_to_api(server):
    return {
        'RelaySourceDomain': server['address'],
        'RelaySourceProtocol': server['protocol'],
        'RelaySourceParams': dict(server['params']),
    }


def update_body(vhost, app, groups, as_found=None):
    """The UpdateRelaySourceV3 body that sends ``groups`` (normalised) for Vhost+App.

    ``as_found`` maps a group's name to its GroupDetails item as Describe answered it: a group sent unchanged is
    sent as it was found, with whatever fields the service keeps that the collection does not know.
    """
    as_found = as_found or {}
    body = _scope(vhost, app)
    body['GroupDetails'] = [
        as_found[group['group']]
        if group['group'] in as_found
        else {'Group': group['group'], 'Servers': [server_to_api(server) for server in group['servers']]}
        for group in groups
    ]
    return body


def delete_body(vhost, app, group):
    """The DeleteRelaySourceV3 body of one group. The App is always sent, empty for the whole Vhost, so that no
    reading of a missing App can take the Apps' groups of the same name with it."""
    return {'Vhost': vhost, 'App': app or '', 'Group': group}


def _text(value):
    return '' if value is None else str(value)


def _dicts(value):
    """The dicts of a list the answer gives (anything else in its place is no list: none)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def server_from_api(server):
    params = server.get('RelaySourceParams') if isinstance(server, dict) else None
    return {
        'address': _text(server.get('RelaySourceDomain')) if isinstance(server, dict) else '',
        'protocol': _text(server.get('RelaySourceProtocol')).lower() if isinstance(server, dict) else '',
        'params': {str(key): _text(item) for key, item in params.items()} if isinstance(params, dict) else {},
    }


def groups_from_api(config, vhost):
    """The normalised groups of one RelaySourceConfigList item, for the Vhost that was asked for."""
    app = config.get('App') or None
    return [
        {
            'vhost': vhost,
            'app': str(app) if app is not None else None,
            'group': _text(detail.get('Group')),
            'servers': [server_from_api(server) for server in _dicts(detail.get('Servers'))],
        }
        for detail in _dicts(config.get('GroupDetails'))
    ]


def describe(client, vhost, app=None):
    """Every normalised group DescribeRelaySourceV3 answers for Vhost (and App, when given), in answer order."""
    return [group for group, _detail in describe_as_found(client, vhost, app)]


def describe_as_found(client, vhost, app=None):
    """``(normalised group, its GroupDetails item as answered)`` for every group Describe answers, in order."""
    result, request_id = client.call(ACTION_DESCRIBE, _scope(vhost, app))
    configs = result.get('RelaySourceConfigList') or []
    if not objects(configs):
        raise invalid_answer(
            ACTION_DESCRIBE, 'the answer is not a list of play-triggered relay configurations', request_id
        )
    found = []
    for config in configs:
        details = _dicts(config.get('GroupDetails'))
        found.extend(zip(groups_from_api(config, vhost), details))
    return found


def update(client, vhost, app, groups, as_found=None):
    """UpdateRelaySourceV3 with ``groups`` (see :func:`update_body`); return the request id."""
    return client.call(ACTION_UPDATE, update_body(vhost, app, groups, as_found), write=True)[1]


def delete(client, vhost, app, group):
    """DeleteRelaySourceV3 of one group; return the request id."""
    return client.call(ACTION_DELETE, delete_body(vhost, app, group), write=True)[1]
