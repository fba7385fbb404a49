"""`hub` command line: argument parsing only; each command calls into the packages."""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import sys
from collections.abc import Callable
from typing import Any

from hub.errors import HubError


def _add_config(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", default="config.yaml", help="config file (default: config.yaml)")


BENCHES = {
    "pipeline": "the audio loop on samples/, stage by stage",
    "nlu": "our understanding vs Home Assistant's hassil on held-out homes",
    "router": "text to broker PUBACK latency and routing/publishing throughput",
    "power": "full vs low-power model sets: RSS, CPU, latency, accuracy",
    "switch": "NLU model hot-swap time",
    "asr": "speech recognition per model and step: command accuracy, WER, speed (held-out, samples, human speech)",
    "wake": "wake word detection against false accepts per hour, both engines (needs --data and '.[bench]')",
    "orders": "the full set on real people's spoken coffee orders (Picovoice speech-to-intent benchmark; needs --data)",
    "wyoming": "Wyoming speech recognition round trip of the sample commands over TCP",
    "satellites": "latency and CPU for 1, 2, 4, 8 simulated Wyoming satellites streaming at real time",
    "mqtt": "hostile MQTT payloads and a reload-button flood against a running hub: crashes, RSS, lag",
    "restart": "the broker killed and restarted under a 1,000-command burst: lost and duplicated commands",
    "timers": "parse cost of the timer layer, agenda tick cost with many pending timers and commands",
    "http": "requests per second and latency of hub serve's POST /api/v1/understand, 1 to 50 concurrent clients",
    "config": "seeded mutations of the config (--mutations N): clean errors, tracebacks, hangs, wrongly accepted",
    "audio": "hostile WAV headers (absurd rate, channels, sizes, lengths) through hub run's and the API's readers: time, peak memory",
}


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="hub", description="Offline voice smart-home hub.")
    ap.add_argument("-v", "--verbose", action="store_true", help="log what each part does (to stderr)")
    ap.add_argument("--version", action="version", version=f"hub {_version()}")
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("check-config", help="validate a config file and print a summary or every error")
    p.add_argument("file", nargs="?", default="config.yaml")

    p = sub.add_parser("parse", help="text in, understanding out (no audio, no broker)")
    _add_config(p)
    p.add_argument("--jsonl", action="store_true", help="one utterance per stdin line, one JSON object per output line")
    p.add_argument("--area", help="area id of the speaker (room context); default hub.area")
    p.add_argument("text", nargs="*", help="utterance (without --jsonl)")

    p = sub.add_parser("run", help="the audio loop: wake word -> ASR -> understanding -> MQTT")
    _add_config(p)
    src = p.add_mutually_exclusive_group()
    src.add_argument("--wav", nargs="+", metavar="FILE", help="play WAV files through the streaming path")
    src.add_argument("--mic", action="store_true", help="listen to the microphone (default when no --wav)")
    p.add_argument("--realtime", action="store_true",
                   help="with --wav: play the files in real time, as a microphone would (the end of an "
                        "utterance then depends on how fast the recogniser runs, as it does live)")
    p.add_argument("--device", help="input device name for --mic")
    _add_broker(p)
    p.add_argument("--speak", action="store_true", help="speak replies with Piper")
    p.add_argument("--reply-wav", metavar="FILE", type=_output_file,
                   help="with --speak: write the replies to this WAV instead of the speaker")
    p.add_argument("--json", action="store_true", help="one JSON object per utterance")
    p.add_argument("--area", help="area id of the speaker (default hub.area)")
    p.add_argument("--model-set", choices=["auto", "full", "low-power"],
                   help="auto: the scheduler decides from battery, load and the HA switch (default: power.model_set)")

    p = sub.add_parser("serve", help="the long-running hub: its HTTP API and status page, Wyoming services and satellites")
    _add_config(p)
    _add_broker(p)
    p.add_argument("--mic", action="store_true", help="also listen to the microphone (wake word -> command)")
    p.add_argument("--device", help="input device name for --mic")
    p.add_argument("--http", metavar="HOST:PORT", type=_http_arg, help="where the API and page listen (default http.host and "
                                                       "http.port of the config: 127.0.0.1:12101)")
    p.add_argument("--wyoming", metavar="HOST:PORT", type=_listen_arg,
                   help="Wyoming server address (default wyoming.host and wyoming.port of the config: 127.0.0.1:10300)")
    p.add_argument("--area", help="area id of the hub's microphone and of requests that name none (default hub.area)")
    p.add_argument("--model-set", choices=["auto", "full", "low-power"],
                   help="auto: the scheduler decides from battery, load and the HA switch (default: power.model_set)")

    p = sub.add_parser("say", help="one text command, executed over MQTT")
    _add_config(p)
    _add_broker(p)
    p.add_argument("--area", help="area id of the speaker (default hub.area)")
    p.add_argument("--yes", action="store_true", help="confirm a security-sensitive command (unlock, open a gate)")
    p.add_argument("text", nargs="+")

    p = sub.add_parser("import", help="build a devices section from zigbee2mqtt's or Home Assistant's retained topics")
    p.add_argument("source", choices=["zigbee2mqtt", "homeassistant"])
    _add_config(p)
    p.add_argument("--broker", metavar="[mqtt[s]://]HOST[:PORT]", type=_broker_arg,
                   help="MQTT broker (default hub.broker)")
    p.add_argument("-o", "--output", metavar="FILE", type=_output_file,
                   help="write the whole merged config here (atomically; may be the config itself)")
    p.add_argument("--dry-run", action="store_true", help="show what the merge would change in the config")

    sub.add_parser("mics", help="list the microphones (input devices) that --mic --device NAME can pick")

    p = sub.add_parser("commands", help="list the device command catalog (devices/*.yaml) and its count")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("models", help="model files: verify hashes, list/install/activate/rollback NLU versions")
    p.add_argument("action", choices=["verify", "manifest", "list", "install", "activate", "rollback"],
                   help="verify: check every pinned file against models/manifest.json; manifest: rewrite it "
                        "from the installed files; list/install PATH/activate VERSION/rollback: the NLU registry")
    p.add_argument("arg", nargs="?", help="install: a version folder; activate: a version")
    _add_config(p)
    p.add_argument("--key-file", help="key for encrypted model versions (else env HUB_MODEL_KEY)")

    p = sub.add_parser("train", help="train the intent model into models/nlu/<version>/, or (asr) fine-tune whisper "
                                     "tiny.en into models/whisper_tiny_home/ (needs the train extra)")
    p.add_argument("what", nargs="?", default="nlu", choices=["nlu", "asr"],
                   help="nlu: the intent model (default); asr: whisper tiny.en on spoken home commands (hub.asr.tune)")
    p.add_argument("--out", help="folder to write (default: models/nlu/<VERSION of hub.nlu.train>; asr: "
                                 "models/whisper_tiny_home)")
    p.add_argument("--seed", type=int, help="training seed (nlu: 1234, the same seed gives the same model; "
                                            "asr: hub.asr.tune.SEED, the same texts and voices)")
    p.add_argument("--further", action="store_true",
                   help="asr only: one more pass from the shipped tiny.en-home on the regional homes of "
                        "training/asr written for it and earlier texts (hub.asr.tune.further)")

    p = sub.add_parser("bench", help="measure speed and memory; writes a table and JSON")
    p.add_argument("what", nargs="?", default="pipeline", choices=list(BENCHES),
                   help="; ".join(f"{k}: {v}" for k, v in BENCHES.items()))
    _add_config(p)
    p.add_argument("--samples", default="samples", help="folder with samples.yaml and the WAVs")
    p.add_argument("--rounds", type=_positive(int), default=None, help="repetitions (default per benchmark)")
    p.add_argument("--cases", nargs=2, action="append", metavar=("CASES_JSONL", "HOME_YAML"), type=_input_file,
                   help="nlu: a case file and its home (repeatable; default the held-out sets in tests/nlu_cases)")
    p.add_argument("--previous", default="v1", metavar="VERSION",
                   help="nlu: also run this earlier model version of models/nlu/ side by side ('' for none)")
    p.add_argument("--out", default="bench-out", help="folder for <what>.json and <what>.md")
    p.add_argument("--quick", action="store_true", help="asr: every fourth held-out clip and LibriVox only")
    p.add_argument("--models", default="tiny.en,base", type=_asr_models, help="asr: whisper models to compare (comma-separated)")
    p.add_argument("--data", help="wake: the Picovoice wake-word-benchmark (a checkout, its audio/ folder, "
                                  "or a bare git directory of it); orders: the Picovoice speech-to-intent-benchmark")
    p.add_argument("--conditions", default="clean", type=_conditions,
                   help="orders: 'clean' and/or kitchen-noise SNRs in dB, comma-separated (default clean)")
    p.add_argument("--every", type=_positive(int), default=1, help="orders: judge every N-th recording only")
    p.add_argument("--limit", type=_positive(int), help="wake: recordings per benchmark keyword (a seeded subset; default all)")
    p.add_argument("--satellites", default="1,2,4,8", type=_counts, help="satellites: the counts to run (comma-separated)")
    p.add_argument("--tv-minutes", type=_positive(float), default=15.0, help="wake: minutes of synthetic TV (default 15)")
    p.add_argument("--noise-suppression", type=int, choices=range(5), metavar="0..4",
                   help="wake: put every stream through WebRTC noise suppression at this level first")
    p.add_argument("--auto-gain-dbfs", type=int, default=0, choices=range(32), metavar="0..31",
                   help="wake: with --noise-suppression, WebRTC auto gain to this level (0: off)")
    p.add_argument("--mutations", type=_positive(int), default=300, help="config: how many mutations (default 300)")
    p.add_argument("--seed", type=int, default=13, help="config: the mutations' seed (default 13, as the tests)")
    p.add_argument("--against", metavar="DIR", help="config, audio: also run another checkout's config loader or "
                                                    "WAV readers (e.g. the main branch's) for a before/after")

    return ap


def _version() -> str:
    """The installed package's version (pyproject.toml), or where it runs from uninstalled."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("hub")
    except PackageNotFoundError:
        return "(not installed)"


def _argument(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """An argument type from ``parse(text)``, which checks a value with one of the config's own
    parsers (imported when the argument is read) and raises ValueError: the message is the config's."""
    @functools.wraps(parse)
    def check(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as e:
            raise argparse.ArgumentTypeError(str(e)) from None
    return check


@_argument
def _broker_arg(text: str) -> str:
    """--broker, kept as given: the session reads it over hub.broker's login and TLS files."""
    from hub.config import parse_host_port

    parse_host_port(text)
    return text


@_argument
def _http_arg(text: str) -> str:
    from hub.settings.http import parse_http_address

    parse_http_address(text)
    return text


@_argument
def _listen_arg(text: str) -> tuple[str, int]:
    from hub.settings.wyoming import parse_listen

    return parse_listen(text)


def _positive(kind: type):
    """An argument type: a finite ``kind`` (int or float) above 0."""
    def check(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {'whole ' if kind is int else ''}number") from None
        if not 0 < value < float("inf"):
            raise argparse.ArgumentTypeError(f"{text!r}: must be above 0")
        return value
    check.__name__ = kind.__name__  # argparse names the type in its messages
    return check


def _counts(text: str) -> tuple[int, ...]:
    """``1,2,4,8`` -> (1, 2, 4, 8), each a whole number above 0."""
    try:
        counts = tuple(int(n) for n in text.split(","))
    except ValueError:
        counts = ()
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected whole numbers above 0, comma-separated (e.g. 1,2,4)")
    return counts


def _conditions(text: str) -> list[float | None]:
    """orders: ``clean,10`` -> [None, 10.0] (hub.bench.orders.parse_conditions)."""
    from hub.bench.orders import parse_conditions

    try:
        return parse_conditions(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"{text!r}: {e}") from None


def _asr_models(text: str) -> tuple[str, ...]:
    from typing import get_args

    from hub.config import AsrConfig

    known = get_args(AsrConfig.model_fields["model"].annotation)
    models = tuple(text.split(","))
    if unknown := [m for m in models if m not in known]:
        raise argparse.ArgumentTypeError(f"unknown whisper model {unknown[0]!r} (known: {', '.join(known)})")
    return models


def _input_file(text: str) -> str:
    if not os.path.isfile(text):
        raise argparse.ArgumentTypeError(f"{text!r}: no such file")
    return text


def _output_file(text: str) -> str:
    """A file to write: its folder must exist, and it must not be a folder."""
    if os.path.isdir(text) or not os.path.isdir(os.path.dirname(text) or "."):
        raise argparse.ArgumentTypeError(f"{text!r}: cannot write a file there (a folder, or in a folder that does not exist)")
    return text


def _add_broker(p: argparse.ArgumentParser) -> None:
    p.add_argument("--broker", metavar="[mqtt[s]://]HOST[:PORT]", type=_broker_arg,
                   help="MQTT broker (default hub.broker; if none, a private mosquitto on 127.0.0.1 is started)")


def cmd_check_config(args: argparse.Namespace) -> int:
    from hub.config_load import load_config, summary
    from hub.stages import check_warnings

    cfg = load_config(args.file)
    print(summary(cfg))
    for w in check_warnings(cfg):
        print(f"warning: {w}", file=sys.stderr)
    return 0


def cmd_parse(args: argparse.Namespace) -> int:
    from hub.config_load import load_config
    from hub.nlu import load_parser

    cfg = load_config(args.config)
    area = _area(cfg, args.area)
    parser = load_parser(cfg)
    lines = sys.stdin if args.jsonl else [" ".join(args.text)]
    for line in lines:
        u = parser.parse(line.rstrip("\n"), area=area)
        if args.jsonl:
            sys.stdout.write(json.dumps(u.to_json()) + "\n")
            sys.stdout.flush()
        else:
            print(json.dumps(u.to_json(), indent=2))
    return 0


def _area(cfg, area: str | None) -> str | None:
    if area is not None and area not in cfg.area_by_id:
        raise HubError(f"--area {area!r}: not an area of {cfg.source} (known: {', '.join(cfg.area_by_id)})")
    return area or cfg.hub.area


def cmd_run(args: argparse.Namespace) -> int:
    from hub.app import run_session
    from hub.config_load import load_config

    cfg = load_config(args.config)
    return run_session(cfg, area=_area(cfg, args.area), wav=args.wav, device=args.device,
                       broker=args.broker, speak=args.speak, reply_wav=args.reply_wav, as_json=args.json,
                       model_set=args.model_set, realtime=args.realtime)


def cmd_serve(args: argparse.Namespace) -> int:
    from hub.config_load import load_config
    from hub.serve.run import serve

    cfg = load_config(args.config)
    return serve(cfg, broker=args.broker, mic=args.mic, device=args.device, http=args.http, wyoming=args.wyoming,
                 area=_area(cfg, args.area), model_set=args.model_set)


def cmd_say(args: argparse.Namespace) -> int:
    from hub.app import say
    from hub.config_load import load_config

    cfg = load_config(args.config)
    return say(cfg, " ".join(args.text), area=_area(cfg, args.area), broker=args.broker, confirmed=args.yes)


def cmd_bench(args: argparse.Namespace) -> int:
    from pathlib import Path

    import yaml

    from hub.config_load import load_config
    from hub.figures import write

    cfg = load_config(args.config)
    samples = Path(args.samples)
    if args.what == "pipeline":
        from hub.bench import pipeline as b

        result = b.bench_pipeline(cfg, samples, rounds=args.rounds or 3)
        text = b.table(result)
    elif args.what == "router":
        from hub.bench import router as b

        result = b.bench_router(cfg, rounds=args.rounds or 20)
        text = b.table(result)
    elif args.what == "power":
        from hub.bench import power as b

        result = b.bench_power(args.config, samples, cfg.power)
        text = b.table(result)
    elif args.what == "wyoming":
        from hub.wyoming import bench as b

        result = b.bench_wyoming(cfg, samples, rounds=args.rounds or 3)
        text = b.table(result)
    elif args.what == "satellites":
        from hub.wyoming import bench as b

        result = b.bench_satellites(cfg, samples, args.satellites, clips_per_satellite=args.rounds or 3)
        text = b.satellites_table(result)
    elif args.what == "mqtt":
        from hub.bench import mqtt as b

        result = b.bench_mqtt(cfg)
        text = b.table(result)
    elif args.what == "restart":
        from hub.bench import restart as b

        result = b.bench_restart(commands=args.rounds or 1000)
        text = b.table(result)
    elif args.what == "timers":
        from hub.timers import bench as b

        result = b.bench_timers(cfg, rounds=args.rounds or 20)
        text = b.table(result)
    elif args.what == "http":
        from hub.serve import bench as b

        result = b.bench_http(cfg, args.config, requests=args.rounds or 300)
        text = b.table(result)
    elif args.what == "config":
        from hub.bench import config as b

        result = b.bench_config(Path(args.config), n=args.mutations, seed=args.seed,
                                against=Path(args.against) if args.against else None)
        text = b.table(result)
    elif args.what == "audio":
        from hub.audio import bench as b

        result = b.bench_audio(Path(args.against) if args.against else None)
        text = b.table(result)
    elif args.what == "switch":
        from hub.bench.switch import bench_switch, table

        result = bench_switch(cfg, rounds=args.rounds or 100)
        text = table(result)
    elif args.what == "nlu":
        from hub import modelset
        from hub.nlu.bench import bench_nlu, format_report

        sets = Path("tests/nlu_cases")
        pairs = args.cases or [(str(sets / e["cases"]), str(sets / e["home"]))
                               for e in yaml.safe_load((sets / "sets.yaml").read_text())]
        result, parts = {}, []
        for cases_path, home_path in pairs:
            cases = [json.loads(x) for x in Path(cases_path).read_text().splitlines() if x.strip()]
            previous = modelset.MODELS_DIR / "nlu" / args.previous if args.previous else None
            result[cases_path] = bench_nlu(cases, load_config(home_path), previous if previous and previous.is_dir() else None)
            parts.append(f"== {cases_path} on {home_path}\n{format_report(result[cases_path])}")
        text = "\n\n".join(parts)
    elif args.what == "wake":
        from hub.wake import bench as b

        if not args.data:
            raise HubError("hub bench wake needs --data: the Picovoice wake-word-benchmark "
                           "(git clone https://github.com/Picovoice/wake-word-benchmark)")
        front_end = None if args.noise_suppression is None else (args.noise_suppression, args.auto_gain_dbfs)
        result = b.bench_wake(Path(args.data), limit=args.limit, tv_minutes=args.tv_minutes,
                              progress=lambda m: print(m, file=sys.stderr, flush=True), front_end=front_end)
        text = b.table(result)
        print(text)
        for path in b.write(result, Path(args.out), text):
            print(f"wrote {path}")
        return 0
    elif args.what == "orders":
        from hub.bench import orders

        if not args.data:
            raise HubError("hub bench orders needs --data: the Picovoice speech-to-intent-benchmark "
                           "(git clone https://github.com/Picovoice/speech-to-intent-benchmark)")
        result = orders.bench_orders(Path(args.data), args.conditions, args.every)
        text = orders.table(result)
    else:
        from hub.asr.bench import bench_asr, table

        result = bench_asr(cfg, samples, args.models, quick=args.quick)
        text = table(result)
    print(text)
    for path in write(result, Path(args.out), args.what, text):
        print(f"wrote {path}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    import difflib
    from pathlib import Path

    from hub.config import BrokerConfig
    from hub.config_load import load_config
    from hub.mqtt.importer import import_devices, write_atomically

    cfg = load_config(args.config)
    if args.broker:  # the configured login and TLS files stay
        bcfg = (cfg.hub.broker or BrokerConfig()).overridden(args.broker)
    elif cfg.hub.broker is not None:
        bcfg = cfg.hub.broker
    else:
        raise HubError("no broker: pass --broker HOST:PORT or set hub.broker in the config")
    result = import_devices(args.source, bcfg, cfg)
    if not (args.output or args.dry_run):
        sys.stdout.write(result.to_yaml())
        return 0
    before = Path(args.config).read_text(encoding="utf-8")
    after = result.merged(before, args.config)
    if args.dry_run:
        sys.stdout.writelines(difflib.unified_diff(before.splitlines(True), after.splitlines(True),
                                                   args.config, f"{args.config} (merged)"))
        return 0
    write_atomically(args.output, after)
    print(f"wrote {args.output}: {len(result.devices)} new, {len(result.updated)} updated, "
          f"{len(result.areas)} new areas (comments of {args.config} are not kept)")
    return 0


def cmd_mics(args: argparse.Namespace) -> int:
    from hub.audio.mic import default_input_index, list_input_devices

    devices = list_input_devices()
    if not devices:
        print("no microphone: PortAudio found no input device (is the user in the group audio?)")
        return 1
    default = default_input_index()
    for d in devices:
        mark = "*" if d.index == default else " "
        print(f"{mark} {d.index:>3}  {d.name}  ({d.channels} ch, {d.default_samplerate:g} Hz, {d.hostapi})")
    print("* the default input; pick another with --mic --device NAME (a part of its name) or its number")
    return 0


def cmd_commands(args: argparse.Namespace) -> int:
    from hub.devices.catalog import default_catalog

    c = default_catalog()
    print(json.dumps({"count": c.count(), "commands": c.table()}, indent=1) if args.json else c.render_table())
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    from pathlib import Path

    from hub import modelset
    from hub.config_load import load_config
    from hub.nlu.model import registry_root

    # the registry the hub of that config runs from (models.dir: a service keeps it in /var/lib/hub)
    root = registry_root(load_config(args.config)) if Path(args.config).is_file() else modelset.MODELS_DIR / "nlu"
    if args.action in ("list", "install", "activate", "rollback"):
        from hub.nlu import load_parser
        from hub.registry.cli import cli_models

        return cli_models(args.action, args.arg, root=root, load=load_parser, config=args.config,
                          key_file=args.key_file)
    if args.action == "manifest":
        entries = modelset.write_manifest()
        print(f"wrote {modelset.MANIFEST_PATH} ({len(entries)} files)")
        return 0
    from hub.errors import ModelIntegrityError
    from hub.nlu.model import latest_model_dir, verify_manifest

    problems = modelset.verify_all()
    try:
        nlu = latest_model_dir(root)
        verify_manifest(nlu)  # our own model: every file against its version's manifest
    except ModelIntegrityError as e:
        nlu, problems = None, problems + [str(e)]
    for p in problems:
        print(p)
    if not problems:
        print(f"all model files match their manifests (models/manifest.json and {nlu}/manifest.json)")
    else:
        print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


def cmd_train(args: argparse.Namespace) -> int:
    from pathlib import Path

    if args.further and args.what != "asr":
        print("hub train: --further is for asr (hub train asr --further)", file=sys.stderr)
        return 2
    if args.what == "asr":
        from hub.asr import tune

        if args.further:
            out = tune.further(Path(args.out) if args.out else tune.OUT_DIR, seed=args.seed)
        else:
            out = tune.main(Path(args.out) if args.out else tune.OUT_DIR, seed=tune.SEED if args.seed is None else args.seed)
        print(f"wrote {out}; `hub models manifest` pins its files, `asr: {{model: tiny.en-home}}` uses it")
        return 0
    from hub.nlu.train import train

    out = train(Path(args.out) if args.out else None, seed=1234 if args.seed is None else args.seed)
    print(f"wrote {out}; `hub models activate {out.name}` switches a running hub to it")
    return 0


COMMANDS = {
    "train": cmd_train,
    "import": cmd_import,
    "commands": cmd_commands,
    "mics": cmd_mics,
    "models": cmd_models,
    "bench": cmd_bench,
    "run": cmd_run,
    "serve": cmd_serve,
    "say": cmd_say,
    "check-config": cmd_check_config,
    "parse": cmd_parse,
}


def main(argv: list[str] | None = None) -> int:
    from hub.memory import limit_arenas

    limit_arenas()
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return COMMANDS[args.cmd](args)
    except HubError as e:
        print(f"hub {args.cmd}: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `hub parse ... | head`); nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
