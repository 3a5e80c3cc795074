# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Validation and normalisation of play-triggered relay (RelaySourceV3) parameters.

Pure functions: no I/O, no Ansible imports. The documented rules of UpdateRelaySourceV3 are checked here, before
any request; a violation raises :class:`_core.rules.ValidationError` naming the option. The normalised group is what
``play_relay_source`` takes and returns::

    {'vhost': str, 'app': str or None, 'group': str,
     'servers': [{'address': str, 'protocol': 'rtmp' or 'flv', 'params': {str: str}}, ...]}

``app`` None is the configuration of the whole Vhost.
"""

from __future__ import annotations

import re

from ansible_collections.volcengine.live.plugins.module_utils._core.rules import (
    APP_MAX,
    HOST_RULE,
    ValidationError,
    is_host,
    require_printable,
    require_str,
    shown,
    validate_name,
    validate_vhost,
)

SERVERS_MAX = 10
PROTOCOLS = ('rtmp', 'flv')
SERVER_KEYS = ('address', 'protocol', 'params')
# A group name: no page gives a rule; these are what a name can be sent and compared as.
ORIGIN_GROUP_MAX = 64
_PORT_RE = re.compile(r'[0-9]{1,5}')


def validate_group(value, option='group'):
    value = require_str(option, value)
    if not value or value != value.strip() or any(ch.isspace() or not ch.isprintable() for ch in value):
        raise ValidationError(option, 'must be a name without white space, got %r' % value)
    if len(value) > ORIGIN_GROUP_MAX:
        raise ValidationError(option, 'must be at most %d characters, got %d' % (ORIGIN_GROUP_MAX, len(value)))
    return value


def _split_port(option, address):
    """``(host, port or None)`` of ``host``, ``host:port``, an IPv6 address or ``[IPv6]:port``."""
    if address.startswith('['):
        host, bracket, rest = address[1:].partition(']')
        if not bracket or (rest and not rest.startswith(':')):
            raise ValidationError(option, '%r: an IPv6 address with a port is written [address]:port' % address)
        return host, rest[1:] if rest else None
    if address.count(':') > 1:
        return address, None  # a bare IPv6 address
    host, colon, port = address.partition(':')
    return host, port if colon else None


def validate_address(value, option='servers.address'):
    """An origin server: a host name or an IP address, with an optional ``:port`` (1-65535); no scheme, no path."""
    value = require_str(option, value)
    if not value or value != value.strip() or any(ch.isspace() for ch in value):
        raise ValidationError(option, 'must be a host name or IP address without white space, got %s' % shown(value))
    if not (value.isascii() and value.isprintable()):
        raise ValidationError(
            option,
            '%s: a host must be ASCII (an internationalised name in its IDNA form), a port digits 0-9' % shown(value),
        )
    if '://' in value or '/' in value:
        raise ValidationError(
            option, '%r: give the host (and :port) only, such as "origin.example.com:1935"; no scheme or path' % value
        )
    host, port = _split_port(option, value)
    if port is not None and (not _PORT_RE.fullmatch(port) or not 0 < int(port) < 65536):
        raise ValidationError(option, '%r has an invalid port; use a port from 1 to 65535' % value)
    if not is_host(host):
        raise ValidationError(option, '%s: %s' % (shown(value), HOST_RULE))
    return value


def validate_params(value, option='servers.params'):
    """Query parameters for the origin: a dict of strings (whole numbers are taken as their digits)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError(option, 'must be a dictionary of strings, got %s' % type(value).__name__)
    params = {}
    for key, item in value.items():
        if not isinstance(key, str) or not key:
            raise ValidationError(option, 'keys must be non-empty strings, got %s' % shown(key))
        require_printable(option, key)
        whole = isinstance(item, int) and not isinstance(item, bool) and abs(item) < 10**18
        text = str(item) if whole else item
        if not isinstance(text, str):
            raise ValidationError(option, '%s must be a string, got %s' % (key, type(item).__name__))
        params[key] = require_printable('%s.%s' % (option, key), text)
    return params


def normalize_server(index, server):
    option = 'servers[%d]' % index
    if not isinstance(server, dict):
        raise ValidationError(option, 'must be a dictionary with address, protocol and params')
    unknown = sorted(str(key) for key in server if key not in SERVER_KEYS)
    if unknown:
        raise ValidationError(
            '%s.%s' % (option, unknown[0]), 'is not an option of a server (%s)' % ', '.join(SERVER_KEYS)
        )
    protocol = server.get('protocol')
    protocol = protocol.lower() if isinstance(protocol, str) else protocol
    if protocol not in PROTOCOLS:
        raise ValidationError('%s.protocol' % option, 'must be one of %s, got %r' % (', '.join(PROTOCOLS), protocol))
    return {
        'address': validate_address(server.get('address'), '%s.address' % option),
        'protocol': protocol,
        'params': validate_params(server.get('params'), '%s.params' % option),
    }


def validate_servers(value, option='servers'):
    """1 to 10 servers, each once (address and protocol), order kept."""
    if isinstance(value, (str, dict)) or not isinstance(value, (list, tuple)):
        raise ValidationError(option, 'must be a list of servers')
    if not value:
        raise ValidationError(option, 'must list at least one server')
    if len(value) > SERVERS_MAX:
        raise ValidationError(option, 'accepts at most %d servers, got %d' % (SERVERS_MAX, len(value)))
    servers = [normalize_server(index, server) for index, server in enumerate(value)]
    seen = set()
    for server in servers:
        key = (server['address'].lower(), server['protocol'])
        if key in seen:
            raise ValidationError(option, 'lists %s over %s more than once' % (server['address'], server['protocol']))
        seen.add(key)
    return servers


def normalize_group_key(params):
    """The Vhost, App (None for the whole Vhost) and group that identify one group of servers."""
    app = params.get('app')
    return {
        'vhost': validate_vhost(params.get('vhost')),
        'app': validate_name('app', app, APP_MAX) if app not in (None, '') else None,
        'group': validate_group(params.get('group')),
    }


def normalize_play_relay_source(params):
    """Validate ``vhost``, ``app``, ``group`` and ``servers``; return the normalised group."""
    group = normalize_group_key(params)
    group['servers'] = validate_servers(params.get('servers'))
    return group
