# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Connection and credential options shared by every module of the collection."""

    DOCUMENTATION = r"""
options:
  access_key:
    description:
      - Volcengine access key ID used to sign the request.
      - If not set, the value of the E(VOLCENGINE_ACCESS_KEY) environment variable is used,
        then E(VOLC_ACCESSKEY) (the variable of the official Volcengine SDK).
      - Required for every call to the API; check mode without it only validates the parameters.
      - Credentials are printable ASCII without white space. One that holds anything else (a newline a YAML block
        scalar or a file added, a control or non-ASCII character) fails the task before any request, with a
        message that names the option and never shows the value.
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
  profile:
    description:
      - A profile of the profile file of Volcengine's C(ve) CLI (O(profile_file)), whose C(access-key),
        C(secret-key) and C(session-token) are the credentials. Options come first, then environment variables,
        then the profile, and credentials are one unit. When an option or an environment variable gives
        O(access_key) or O(secret_key), no profile is used (a named one with a warning); otherwise the profile gives
        all three, and a O(session_token) given without keys is not used (with a warning).
      - If not set, the value of the E(VOLCENGINE_PROFILE) environment variable is used. With neither, the file's
        C(current) profile is used when the file exists.
      - Only credentials are taken, and only from profiles of mode C(ak). The CLI's region names (such as
        C(cn-beijing)) are not Live's signing region (O(region)), so the profile's region is not used.
      - A missing file, an unknown profile, a malformed file or another mode fails the task before any request;
        the message names the file and the profile, never a secret.
    type: str
    version_added: 0.2.0
  profile_file:
    description:
      - 'The C(ve) CLI''s profile file, JSON of the form C({"current": NAME, "profiles": {NAME: {"mode": "ak",
        "access-key": ..., "secret-key": ..., ...}}}).'
      - If not set, the value of the E(VOLCENGINE_PROFILE_FILE) environment variable is used.
      - On a local connection the file is read on the controller; on any other connection, on the target.
    type: path
    default: ~/.volcengine/config.json
    version_added: 0.2.0
  region:
    description:
      - Region used in the request signature's credential scope.
      - If not set, the value of the E(VOLCENGINE_REGION) environment variable is used.
    type: str
    default: cn-north-1
  endpoint:
    description:
      - Base URL of the Volcengine Live OpenAPI.
      - C(http://) is accepted for this machine only (V(localhost), 127.0.0.0/8 or V(::1)), such as the
        collection's local API simulator. Any other C(http://) endpoint fails the task before anything is sent,
        unless O(allow_insecure_http=true).
      - If not set, the value of the E(VOLCENGINE_ENDPOINT) environment variable is used.
    type: str
    default: https://live.volcengineapi.com
  validate_certs:
    description:
      - Whether to verify the endpoint's TLS certificate. Turn it off only for a trusted test endpoint; the task
        warns when it is off.
    type: bool
    default: true
  ca_path:
    description:
      - A CA bundle (PEM) to verify the endpoint's certificate with, for example the certificate authority of a
        TLS-inspecting proxy. A path that is not a file fails the task before any request.
      - If not set, the bundle in the E(REQUESTS_CA_BUNDLE) environment variable is used, else the bundle that
        comes with C(requests) (certifi).
      - A certificate that does not verify fails the task with a message that says so (C(TLSError)); it is never
        retried.
    type: path
    version_added: 0.2.0
  allow_insecure_http:
    description:
      - B(Insecure.) Allow an C(http://) endpoint on another host. Requests and their signatures then cross the
        network in clear text, and anyone who sees a signed request can replay it while its signature is valid
        (15 minutes).
      - Meant for a test endpoint on a network you trust; the task warns when it is used.
      - Even with this option, O(session_token) is never sent over plain http; a task that has one fails.
      - Not needed for C(https://) endpoints or for C(http://) on this machine.
    type: bool
    default: false
    version_added: 0.2.0
  timeout:
    description:
      - Seconds each request waits to connect and for its answer. The answer's body must arrive whole within this
        time of the request, however slowly it trickles (its status line and headers are read with this time as
        the longest pause between two bytes); an answer larger than any Volcengine answer (32 MB) is refused
        without being read whole.
      - O(connect_timeout) and O(answer_timeout) bound the whole task's waits; a request waits at most what they
        have left.
      - Greater than 0 and at most 3600.
    type: float
    default: 30
  connect_timeout:
    description:
      - The most seconds the whole task spends failing to reach the endpoint (connection refused, a host name that
        does not resolve, no TCP connection), across all its requests, retries and threads, the waits between the
        attempts included. When it is spent the task fails, naming the endpoint and how long it tried.
      - Each attempt waits at most what is left of it to connect (the host name's resolution included), and a wait
        before a retry takes at most half of what is left.
      - If not set, the value of the E(VOLCENGINE_CONNECT_TIMEOUT) environment variable is used.
      - Greater than 0 and at most 3600.
    type: float
    default: 15
    version_added: 0.2.0
  answer_timeout:
    description:
      - The most seconds the whole task spends on requests that got no answer (the endpoint accepted the connection
        but never answered, or not whole, within O(timeout)), across all its requests, retries and threads, the
        waits between the attempts included, and the wait before the look that follows a write whose answer was
        lost. When it is spent the task fails, naming the endpoint and how long it waited.
      - Each request waits for its answer at most O(timeout), and at most what is left of this. A write whose
        answer was lost is looked up again only while some of it is left (the wait before the look takes at most
        half of what is left); otherwise it fails as when O(retries) have run out, and a create is never sent
        again either way.
      - Throttling and answers that are errors do not count against it, nor against O(connect_timeout).
      - If not set, the value of the E(VOLCENGINE_ANSWER_TIMEOUT) environment variable is used.
      - Greater than 0 and at most 3600.
    type: float
    default: 90
    version_added: 0.2.0
  retries:
    description:
      - How many times to retry a request that failed transiently (throttling, HTTP 500, 502, 503 or 504,
        C(CommonErr), C(InternalError), C(InternalServiceError*), C(InternalServiceTimeout), connection errors and
        read timeouts), with exponential backoff and full jitter. Errors such as C(InvalidParam*),
        C(RequestForbidden*), authentication errors and C(ResourceNotFound) are never retried.
      - A write whose outcome is unknown (no answer, a dropped connection, HTTP 504 or a C(*Timeout) code, or
        an answer that is not the API's, such as a cut-off body or a proxy's 5xx page) is never sent again
        blindly; the resource is looked up first. An update or delete is repeated only if it was not carried out.
        A create whose outcome is unknown is never sent again in the same run; when the looks after it do not find
        it, the task fails (changed) and a rerun, which looks first, converges.
      - The final failure says how many attempts were made and the last C(RequestId).
      - From 0 to 100.
    type: int
    default: 8
  retry_max_delay:
    description:
      - The longest wait, in seconds, between two attempts. The wait before attempt N is a random time up to
        min(O(retry_max_delay), 0.5 * 2^(N-1)). From 0 to 3600.
      - When pacing is on (O(rate_limit) above 0), the first retry of a throttled request waits only for the
        pacing's next slot, which that answer has already pushed out; later retries back off as above.
    type: float
    default: 20
  rate_limit:
    description:
      - Requests per second per action that all module runs on this controller, with the same endpoint and
        access key, send together (the API allows 10). The runs share a small lock file in a folder private to the
        user, C($TMPDIR/volcengine-live-<uid>) or else C(~/.ansible/tmp/volcengine-live-<uid>); without one,
        pacing is off and the task warns. Requests are spaced from the moment each one is actually sent, and an
        answer that comes back unusually late (a stalled network or machine) moves the spacing to when the API may
        have counted that request.
      - This rate is a ceiling. When the API throttles anyway (another controller, such as a second AWX node or
        CI runner, or another tool uses the same account), the runs of this controller cut their rate to 90 % of
        what the API had just accepted from them in the last second, then raise it again along a cubic curve
        (CUBIC, as botocore's adaptive retry mode does), in whole requests per second, back to this rate. In
        their first second of sending, when that second cannot yet tell their share, they cut to half of their
        rate instead. So controllers that share no lock file find their shares of the account's limit from the
        throttled answers each gets. A controller that is never throttled keeps this rate exactly. V(0) turns
        pacing off; any other value is from 0.1 to 1000.
      - The few actions the API allows more often are paced in proportion. The List actions of pull-to-push tasks
        (15 requests/s) run at 1.5 times O(rate_limit).
    type: float
    default: 10
requirements:
  - requests
notes:
  - Proxies come from the environment, as for every C(requests) client. E(HTTPS_PROXY) (or E(https_proxy)) carries
    the requests to an C(https://) endpoint through a proxy, E(HTTP_PROXY) those to an C(http://) one, and the
    hosts of E(NO_PROXY) are reached directly. A task that sets them with the C(environment) keyword runs as a
    module process, which sees them. An endpoint on this machine (C(localhost), 127.0.0.0/8, C(::1)) is always
    reached directly, since a proxy would carry its signed requests, and over plain http its session token, to
    another host.
  - The modules sign every request with Volcengine's HMAC-SHA256 algorithm; the controller's clock must be
    accurate to within a few minutes, or the API answers C(InvalidTimestamp).
  - Every option of this group can be set once per play with
    C(module_defaults) and the action group C(group/volcengine.live.live).
"""
