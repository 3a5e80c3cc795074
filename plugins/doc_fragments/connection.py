# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Connection and credential options shared by every module of the collection."""

    DOCUMENTATION = r'''
options:
  access_key:
    description:
      - Volcengine access key ID used to sign the request.
      - If not set, the value of the E(VOLCENGINE_ACCESS_KEY) environment variable is used,
        then E(VOLC_ACCESSKEY) (the variable of the official Volcengine SDK).
      - Required for every call to the API; check mode without it only validates the parameters.
    type: str
    aliases: [ak]
  secret_key:
    description:
      - Volcengine secret access key used to sign the request. It is never logged or returned.
      - If not set, the value of the E(VOLCENGINE_SECRET_KEY) environment variable is used,
        then E(VOLC_SECRETKEY).
    type: str
    aliases: [sk]
  session_token:
    description:
      - STS session token of temporary credentials, sent (and signed) as C(X-Security-Token).
      - If not set, the value of the E(VOLCENGINE_SESSION_TOKEN) environment variable is used.
    type: str
  region:
    description:
      - Region used in the request signature's credential scope.
      - If not set, the value of the E(VOLCENGINE_REGION) environment variable is used.
    type: str
    default: cn-north-1
  endpoint:
    description:
      - Base URL of the Volcengine Live OpenAPI.
      - C(http://) is accepted for a local test endpoint such as the project's API simulator.
      - If not set, the value of the E(VOLCENGINE_ENDPOINT) environment variable is used.
    type: str
    default: https://live.volcengineapi.com
  validate_certs:
    description:
      - Whether to verify the endpoint's TLS certificate. Turn it off only for a trusted test endpoint.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for the endpoint to connect and to answer each request.
    type: float
    default: 30
requirements:
  - requests
notes:
  - The modules sign every request with Volcengine's HMAC-SHA256 algorithm; the controller's clock must be
    accurate to within a few minutes, or the API answers C(InvalidTimestamp).
  - Every option of this group can be set once per play with
    C(module_defaults) and the action group C(group/volcengine.live.live).
'''
