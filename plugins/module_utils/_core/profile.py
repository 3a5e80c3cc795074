# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Credentials from the profile file of Volcengine's ``ve`` CLI (``~/.volcengine/config.json``).

The file is ``{"current": NAME, "profiles": {NAME: {"mode": "ak", "access-key": ..., "secret-key": ...,
"session-token": ..., "region": ..., ...}}}``. Only the credentials are taken from it: the CLI's region names
(``cn-beijing``) are not Live's signing region (``cn-north-1``).

:func:`profile_credentials` is pure (it takes the file's text); :func:`read_profile` reads the file. Every
failure raises :class:`ProfileError`, whose message names the file and the profile and never a secret.
"""

from __future__ import annotations

import json
import os

DEFAULT_PROFILE_FILE = '~/.volcengine/config.json'
# The keys of a profile and the connection options they fill.
PROFILE_KEYS = (('access-key', 'access_key'), ('secret-key', 'secret_key'), ('session-token', 'session_token'))


class ProfileError(ValueError):
    """The profile file cannot give credentials: missing, malformed, no such profile, or another mode."""


def profile_credentials(text, path, name=None):
    """``(profile name, {option: value})`` of profile ``name`` (None: the file's ``current``) in ``text``. Pure."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ProfileError(
            "the profile file %s is not valid JSON (line %s): it should be the ve CLI's config.json"
            % (path, getattr(exc, 'lineno', '?'))
        ) from None
    profiles = data.get('profiles') if isinstance(data, dict) else None
    if not isinstance(profiles, dict):
        raise ProfileError(
            'the profile file %s has no "profiles" object: it should be the ve CLI\'s config.json' % path
        )
    chosen = name if name else data.get('current')
    if not chosen:
        raise ProfileError(
            'the profile file %s names no "current" profile: set profile (or VOLCENGINE_PROFILE) to one of %s'
            % (path, ', '.join(sorted(map(str, profiles))) or 'its profiles (it has none)')
        )
    profile = profiles.get(chosen)
    if not isinstance(profile, dict):
        raise ProfileError(
            'the profile file %s has no profile %r; it has %s'
            % (path, chosen, ', '.join(sorted(map(str, profiles))) or 'none')
        )
    mode = profile.get('mode', 'ak')
    if mode != 'ak':
        raise ProfileError(
            'profile %r of %s uses mode %r; the collection takes access keys only (mode "ak")' % (chosen, path, mode)
        )
    found = {}
    for key, option in PROFILE_KEYS:
        value = profile.get(key)
        if value is not None and not isinstance(value, str):
            raise ProfileError('profile %r of %s: %s must be text' % (chosen, path, key))
        if value:
            found[option] = value
    missing = [key for key, option in PROFILE_KEYS[:2] if option not in found]
    if missing:
        raise ProfileError('profile %r of %s has no %s' % (chosen, path, ' and no '.join(missing)))
    return chosen, found


def read_profile(path, name=None):
    """:func:`profile_credentials` of the file at ``path`` (``~`` expanded)."""
    full = os.path.expanduser(path or DEFAULT_PROFILE_FILE)
    try:
        with open(full, encoding='utf-8') as handle:
            text = handle.read()
    except FileNotFoundError:
        raise ProfileError(
            'the profile file %s does not exist%s' % (full, ' (profile %r was asked for)' % name if name else '')
        ) from None
    except OSError as exc:
        raise ProfileError('the profile file %s cannot be read: %s' % (full, exc.strerror or exc)) from None
    return profile_credentials(text, full, name)


def apply_profile(params):
    """The connection options with the credentials a profile gives; ``params`` is left as it was.

    Credentials are one unit: an access key, its secret and its session token must belong together. Options and
    environment variables (already in ``params``) come first: when they give ``access_key`` or ``secret_key``, no
    profile is read. Otherwise the profile named (``profile``), or the file's ``current`` one when the file exists,
    gives all three (a ``session_token`` given without keys is replaced: it cannot belong to the profile's keys).

    Returns ``(params, profile name or None, notes)``; ``notes`` says what was given but not used.
    """
    name = params.get('profile') or None
    path = params.get('profile_file') or DEFAULT_PROFILE_FILE
    if params.get('access_key') or params.get('secret_key'):
        notes = []
        if name:
            notes.append(
                'profile %s was not used: access_key or secret_key is given (by an option or an environment '
                'variable), and credentials are never mixed from two places' % name
            )
        return params, None, notes
    if name is None and not os.path.exists(os.path.expanduser(path)):
        return params, None, []
    chosen, found = read_profile(path, name)
    notes = []
    if params.get('session_token') and found.get('session_token') != params['session_token']:
        notes.append(
            'session_token (given without access_key and secret_key) was not used: the credentials of profile %s '
            'are used as a whole' % chosen
        )
    merged = dict(params, session_token=None)
    merged.update(found)
    return merged, chosen, notes


def credentials_origin(params, given, profile=None, environ=None):
    """Where the credentials of ``params`` came from, as a hint names it: the profile (and its file), the task's
    options (``given``: the options the task set, module_defaults included), or an environment variable. Pure
    given ``environ``."""
    if profile:
        return 'profile %s of %s' % (profile, params.get('profile_file') or DEFAULT_PROFILE_FILE)
    if {'access_key', 'ak'} & set(given):
        return 'the options access_key and secret_key'
    environ = os.environ if environ is None else environ
    for access, secret in (('VOLCENGINE_ACCESS_KEY', 'VOLCENGINE_SECRET_KEY'), ('VOLC_ACCESSKEY', 'VOLC_SECRETKEY')):
        if params.get('access_key') and environ.get(access) == params.get('access_key'):
            return 'the environment variables %s and %s' % (access, secret)
    return None
