"""python -m kubeemu --port P --cert C --key K --token-file F --admin-token-file A [--client-ca CA]"""
import argparse
import signal
import sys
import threading
from pathlib import Path

from .server import DEFAULT_USER, serve


def main() -> None:
    parser = argparse.ArgumentParser(prog="kubeemu", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cert", required=True, help="server certificate (PEM)")
    parser.add_argument("--key", required=True, help="server key (PEM)")
    parser.add_argument("--token-file", required=True, help="bearer tokens, one a line, re-read when it changes")
    parser.add_argument("--admin-token-file", help="the control API's token (default: the control API is closed)")
    parser.add_argument("--client-ca", help="CA whose client certificates authenticate (CN = user, O = groups)")
    parser.add_argument("--default-user", default=DEFAULT_USER, help="who the token file's tokens are")
    args = parser.parse_args()
    if args.host != "127.0.0.1":
        parser.error("the emulator only listens on 127.0.0.1")
    admin = Path(args.admin_token_file).read_text().strip() if args.admin_token_file else ""
    if args.admin_token_file and not admin:
        parser.error("the admin token file is empty")
    server = serve(args.host, args.port, args.cert, args.key, args.token_file,
                   admin or "\0closed", args.client_ca, args.default_user)

    def stop(signum, frame) -> None:
        server.emulator.stop()  # ends watches and followed logs at once
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    sys.exit(0)


if __name__ == "__main__":
    main()
