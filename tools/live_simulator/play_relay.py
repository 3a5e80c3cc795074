# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Play-triggered relay (RelaySourceV3) in the simulator: its request rules, its store and its behaviours.

Written apart from the collection's own code on purpose, as ``rules.py`` is. The store keeps, per Vhost and App
(``''`` for the whole Vhost), the ordered list of server groups.

No page says what some requests do, so each of these is a mode (``POST /_sim/config``) and the collection is
tested against every one:

- ``play_relay_update``: whether ``UpdateRelaySourceV3`` **upserts** only the groups it is sent (``upsert``) or
  **replaces** every group of that Vhost+App with the list it is sent (``replace``);
- ``play_relay_describe``: whether ``DescribeRelaySourceV3`` without ``App`` answers **every** App's configuration
  of the Vhost, each with its App (``every_app``), or only the Vhost-wide one (``vhost_only``);
- ``play_relay_delete``: whether ``DeleteRelaySourceV3`` with a ``Group`` and no ``App`` (absent or empty) removes
  that group from the Vhost-wide configuration only (``vhost_only``) or from every App of the Vhost too
  (``every_app``);
- ``play_relay_conflict``: whether an App that has a fixed relay source (RelaySourceV4) is refused a
  play-triggered relay (``refuse``, as one revision of the docs says) or not (``allow``).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading

from . import rules

UPDATE_MODES = ('upsert', 'replace')
DESCRIBE_MODES = ('every_app', 'vhost_only')
DELETE_MODES = ('vhost_only', 'every_app')
CONFLICT_MODES = ('allow', 'refuse')
PROTOCOLS = ('rtmp', 'flv')
MAX_SERVERS = 10
_HOST_PORT_RE = re.compile(r'(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-]+)(:([0-9]{1,5}))?')


def _vhost(body):
    vhost = body.get('Vhost')
    if not isinstance(vhost, str) or not vhost:
        raise rules.invalid('Vhost is required')
    return vhost


def _app(body):
    app = body.get('App', '')
    if app is None:
        return ''
    if not isinstance(app, str) or (app and not rules.NAME_RE.fullmatch(app)):
        raise rules.invalid('App is invalid: %r' % (app,))
    return app


def check_server(server):
    if not isinstance(server, dict):
        raise rules.bind_error('each server must be an object')
    domain = server.get('RelaySourceDomain')
    if not isinstance(domain, str):
        raise rules.invalid('RelaySourceDomain is required')
    match = _HOST_PORT_RE.fullmatch(domain)
    if not match or (match.group(3) and not 0 < int(match.group(3)) < 65536):
        raise rules.invalid('RelaySourceDomain is not a host with an optional port: %r' % domain)
    if server.get('RelaySourceProtocol') not in PROTOCOLS:
        raise rules.invalid('RelaySourceProtocol must be rtmp or flv')
    params = server.get('RelaySourceParams', {})
    if params is None:
        params = {}
    if not isinstance(params, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in params.items()):
        raise rules.bind_error('RelaySourceParams must map strings to strings')
    return {
        'RelaySourceDomain': domain,
        'RelaySourceProtocol': server['RelaySourceProtocol'],
        'RelaySourceParams': dict(params),
    }


def check_update(body):
    """``(vhost, app, [group, ...])`` of an UpdateRelaySourceV3 body."""
    if not isinstance(body, dict):
        raise rules.bind_error('the body must be a JSON object')
    details = body.get('GroupDetails')
    if not isinstance(details, list) or not details:
        raise rules.invalid('GroupDetails is required')
    groups, names = [], set()
    for detail in details:
        if not isinstance(detail, dict) or not isinstance(detail.get('Group'), str) or not detail['Group']:
            raise rules.invalid('each GroupDetails item needs a Group')
        if detail['Group'] in names:
            raise rules.invalid('Group %s is listed twice' % detail['Group'])
        names.add(detail['Group'])
        servers = detail.get('Servers')
        if not isinstance(servers, list) or not 0 < len(servers) <= MAX_SERVERS:
            raise rules.invalid('Servers must list 1 to %d servers' % MAX_SERVERS)
        groups.append({'Group': detail['Group'], 'Servers': [check_server(server) for server in servers]})
    return _vhost(body), _app(body), groups


class PlayRelayStore:
    """Vhost -> App ('' for the whole Vhost) -> ordered groups, kept in a JSON file of its own."""

    def __init__(self, path=None):
        self.path = path
        self.lock = threading.Lock()
        self.vhosts = {}
        if path and os.path.exists(path):
            with open(path, encoding='utf-8') as handle:
                self.vhosts = json.load(handle)

    def _save(self):
        if not self.path:
            return
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(self.path)), prefix='.state-')
        with os.fdopen(fd, 'w', encoding='utf-8') as handle:
            json.dump(self.vhosts, handle, indent=1, sort_keys=True)
        os.replace(tmp, self.path)

    def update(self, vhost, app, groups, mode):
        with self.lock:
            apps = self.vhosts.setdefault(vhost, {})
            if mode == 'replace':
                apps[app] = [dict(group) for group in groups]
            else:
                stored = apps.setdefault(app, [])
                for group in groups:
                    for index, existing in enumerate(stored):
                        if existing['Group'] == group['Group']:
                            stored[index] = dict(group)
                            break
                    else:
                        stored.append(dict(group))
            self._save()

    def describe(self, vhost, app, group, mode):
        """The RelaySourceConfigList for a Describe with ``app`` (None: not given) and ``group`` (None: all)."""
        with self.lock:
            apps = self.vhosts.get(vhost, {})
            if app is not None:
                chosen = [app] if app in apps else []
            elif mode == 'every_app':
                chosen = sorted(apps)
            else:
                chosen = [''] if '' in apps else []
            answer = []
            for name in chosen:
                groups = [g for g in apps[name] if group is None or g['Group'] == group]
                if not groups:
                    continue
                item = {'Vhost': vhost, 'GroupDetails': json.loads(json.dumps(groups))}
                if name:
                    item['App'] = name  # a Vhost-wide item carries no App at all
                answer.append(item)
            return answer

    def delete(self, vhost, app, group, mode):
        """Remove a group (or every group) of Vhost+App; return whether anything was removed."""
        with self.lock:
            apps = self.vhosts.get(vhost, {})
            every_app = not app and group is not None and mode == 'every_app'
            targets = list(apps) if every_app else [app or '']
            removed = False
            for name in targets:
                if name not in apps:
                    continue
                kept = [g for g in apps[name] if group is not None and g['Group'] != group]
                removed = removed or len(kept) != len(apps[name])
                if kept:
                    apps[name] = kept
                else:
                    del apps[name]
            if not apps:
                self.vhosts.pop(vhost, None)
            self._save()
            return removed

    def snapshot(self):
        with self.lock:
            return json.loads(json.dumps(self.vhosts))

    def clear(self):
        with self.lock:
            self.vhosts = {}
            self._save()
