# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the simulator: ``python -m live_simulator --port 0 --state state.json --ready-file port.txt``."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from . import play_relay, streams
from .server import (
    DEFAULT_ACCOUNTS,
    DEFAULT_DOMAINS,
    DUPLICATE_CREATE_MODES,
    LIST_DOMAIN_MODES,
    UPDATE_WITHOUT_TIMES_MODES,
    Simulator,
)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog='live_simulator', description=__doc__)
    parser.add_argument('--host', default='127.0.0.1', help='address to bind (default 127.0.0.1)')
    parser.add_argument('--port', type=int, default=0, help='port to bind; 0 picks a free one (default)')
    parser.add_argument('--state', help='JSON file that keeps the configurations between runs')
    parser.add_argument(
        '--account',
        action='append',
        metavar='AK:SK',
        help='an access key and its secret (repeatable); default: %s'
        % ', '.join('%s:%s' % kv for kv in DEFAULT_ACCOUNTS.items()),
    )
    parser.add_argument(
        '--domain',
        action='append',
        help='a pull domain the account owns (repeatable); default: %s' % ', '.join(DEFAULT_DOMAINS),
    )
    parser.add_argument('--region', default='cn-north-1')
    parser.add_argument(
        '--rate-limit',
        type=float,
        default=10.0,
        help='requests per second per access key and action; 0 = unlimited (default 10)',
    )
    parser.add_argument('--max-skew', type=int, default=900, help='seconds X-Date may be off (default 900)')
    parser.add_argument(
        '--list-domain', choices=LIST_DOMAIN_MODES, default='exact', help='how List items spell Domain (default exact)'
    )
    parser.add_argument(
        '--duplicate-create',
        choices=DUPLICATE_CREATE_MODES,
        default='add',
        help='what a second create of an existing stream does (default add)',
    )
    parser.add_argument(
        '--update-without-times',
        choices=UPDATE_WITHOUT_TIMES_MODES,
        default='clear',
        help='what an update without StartTime/EndTime does to a stored window (default clear)',
    )
    parser.add_argument(
        '--play-relay-update',
        choices=play_relay.UPDATE_MODES,
        default='upsert',
        help='whether UpdateRelaySourceV3 upserts the groups it is sent or replaces every group (default upsert)',
    )
    parser.add_argument(
        '--stream-online-delay',
        type=float,
        default=streams.DEFAULT_ONLINE_DELAY,
        help='seconds from a relay window opening (or a task starting) to its stream being online; 0 allowed '
        '(default %g)' % streams.DEFAULT_ONLINE_DELAY,
    )
    parser.add_argument(
        '--relay-stream-domain',
        choices=streams.RELAY_STREAM_DOMAIN_MODES,
        default='push',
        help='the Domain a fixed relay stream is listed under: its push domain or the first play domain of its '
        'domain space (default push)',
    )
    parser.add_argument(
        '--never-seen-state',
        choices=streams.NEVER_SEEN_STATE_MODES,
        default='offline',
        help='what DescribeLiveStreamState answers for a stream never online: offline or an error (default offline)',
    )
    parser.add_argument('--ready-file', help='write the bound port here once listening')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    accounts = dict(item.split(':', 1) for item in args.account) if args.account else None
    sim = Simulator(
        state_path=args.state,
        accounts=accounts,
        domains=args.domain or DEFAULT_DOMAINS,
        region=args.region,
        rate_limit=args.rate_limit,
        max_skew=args.max_skew,
        list_domain=args.list_domain,
        duplicate_create=args.duplicate_create,
        update_without_times=args.update_without_times,
        play_relay_update=args.play_relay_update,
        relay_stream_domain=args.relay_stream_domain,
        never_seen_state=args.never_seen_state,
        stream_online_delay=args.stream_online_delay,
    )
    sim.start(args.host, args.port)
    print('live simulator listening on http://%s:%d' % (args.host, sim.port), flush=True)
    if args.ready_file:
        tmp = args.ready_file + '.tmp'
        with open(tmp, 'w', encoding='utf-8') as handle:
            handle.write('%d\n' % sim.port)
        os.replace(tmp, args.ready_file)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    sim.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
