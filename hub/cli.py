"""`hub` command line: argument parsing only; each command calls into the packages."""

from __future__ import annotations

import argparse
import json
import sys

from hub.errors import HubError


def _add_config(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", default="config.yaml", help="config file (default: config.yaml)")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="hub", description="Offline voice smart-home hub.")
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("check-config", help="validate a config file and print a summary or every error")
    p.add_argument("file", nargs="?", default="config.yaml")

    p = sub.add_parser("parse", help="text in, understanding out (no audio, no broker)")
    _add_config(p)
    p.add_argument("--jsonl", action="store_true", help="one utterance per stdin line, one JSON object per output line")
    p.add_argument("--area", help="area id of the speaker (room context); default hub.area")
    p.add_argument("text", nargs="*", help="utterance (without --jsonl)")

    return ap


def cmd_check_config(args: argparse.Namespace) -> int:
    from hub.config import load_config, summary

    print(summary(load_config(args.file)))
    return 0


def cmd_parse(args: argparse.Namespace) -> int:
    from hub.config import load_config
    from hub.nlu import load_parser

    cfg = load_config(args.config)
    if args.area is not None and args.area not in cfg.area_by_id:
        raise HubError(f"--area {args.area!r}: not an area of {cfg.source} (known: {', '.join(cfg.area_by_id)})")
    parser = load_parser(cfg)
    area = args.area or cfg.hub.area
    lines = sys.stdin if args.jsonl else [" ".join(args.text)]
    for line in lines:
        u = parser.parse(line.rstrip("\n"), area=area)
        if args.jsonl:
            sys.stdout.write(json.dumps(u.to_json()) + "\n")
            sys.stdout.flush()
        else:
            print(json.dumps(u.to_json(), indent=2))
    return 0


COMMANDS = {
    "check-config": cmd_check_config,
    "parse": cmd_parse,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.cmd](args)
    except HubError as e:
        print(f"hub {args.cmd}: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
