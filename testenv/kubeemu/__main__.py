"""python -m kubeemu --port P --cert C --key K --token-file F"""
import argparse

from .server import serve


def main() -> None:
    parser = argparse.ArgumentParser(prog="kubeemu", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--token-file", required=True)
    args = parser.parse_args()
    if args.host != "127.0.0.1":
        parser.error("the emulator only listens on 127.0.0.1")
    server = serve(args.host, args.port, args.cert, args.key, args.token_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
