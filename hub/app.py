"""The running hub: connect to the broker, load the stages once, feed audio, show each turn.

`hub run` and `hub say` call in here; the order of the stages themselves lives in hub.pipeline.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import re
import sys
import threading
import time
import uuid
from collections.abc import Callable
from typing import Iterator

from hub.coalesce import CoalescingWorker
from hub.config import BrokerConfig, Config
from hub.errors import HubError
from hub.memory import release_when_freed
from hub.mqtt.say import SayListener, SayRequest, SayResponse, hand_over
from hub.nlu.timing.data import SCHEDULE_INTENTS, TIMER_INTENTS
from hub.pipeline import Pipeline, Turn
from hub.stages import key_file_of, load_audio_stages, load_stages
from hub.timers.executor import new_agenda, wrap
from hub.types import MqttMessage

log = logging.getLogger(__name__)


@contextlib.contextmanager
def broker_for(cfg: Config, override: str | None) -> Iterator[tuple[BrokerConfig, bool]]:
    """The broker to use: ``--broker``, else hub.broker, else a private mosquitto on 127.0.0.1
    started for this run and stopped after it. Yields (settings, is_private)."""
    if override:
        yield (cfg.hub.broker or BrokerConfig()).overridden(override), False
    elif cfg.hub.broker is not None:
        yield cfg.hub.broker, False
    else:
        from hub.mqtt.broker import PrivateBroker

        with PrivateBroker() as b:
            yield BrokerConfig(host=b.host, port=b.port), True


class DeviceMonitor:
    """Subscribes to every topic and keeps what each device received, for the demo summary."""

    def __init__(self, cfg: Config, link):
        self.cfg = cfg
        self.received: list[tuple[str, str, str]] = []
        self._lock = threading.Lock()
        link.subscribe("#", self._on_message)

    def device_for(self, topic: str) -> str | None:
        for d in self.cfg.devices:
            t = d.topic
            if topic.startswith(t + "/") or topic.startswith(f"cmnd/{t}/"):
                return d.id
        return None

    def _on_message(self, topic: str, payload: bytes) -> None:
        device = self.device_for(topic)
        is_state = topic.startswith(("stat/", "tele/")) or topic.endswith("/state")
        if device and not is_state and topic != self.cfg.device_by_id[device].topic:
            with self._lock:
                self.received.append((device, topic, payload.decode("utf-8", "replace")))

    def summary(self) -> str:
        with self._lock:
            rows = list(self.received)
        if not rows:
            return "No device received a command."
        width = max(len(d) for d, _, _ in rows)
        lines = ["What each device received (seen by a subscriber on the broker):"]
        lines += [f"  {d:<{width}}  {t}  {p}" for d, t, p in rows]
        return "\n".join(lines)


def format_turn(turn: Turn) -> str:
    """Human-readable lines for one utterance."""
    u, o, t = turn.understanding, turn.outcome, turn.times
    lines = [f"{turn.source}  [wake word {turn.wake.name} {turn.wake.score:.2f} at {turn.wake.timestamp_ms / 1000:.2f} s]"]
    ended = f"  (ended by {turn.utterance.reason}{', read during a pause' if turn.read_ahead else ''})"
    lines.append(f"  heard      {turn.transcript.text!r}{ended}" if turn.transcript.text else
                 f"  heard      nothing ({turn.utterance.reason})")
    if u.commands:
        cmds = ", ".join(f"{c.action}({c.device}{'' if c.value is None else ', ' + str(c.value)})" for c in u.commands)
        lines.append(f"  understood {u.intent}: {cmds}  (confidence {u.confidence:.2f})")
    for m in o.published:
        lines.append(f"  published  {m.topic}  {m.payload.decode('utf-8', 'replace')}")
    for m in o.waiting:
        lines.append(f"  waiting    {m.topic}  {m.payload.decode('utf-8', 'replace')}")
    for m in o.dropped:
        lines.append(f"  dropped    {m.topic}  {m.payload.decode('utf-8', 'replace')}")
    for c, reason in o.refused:
        lines.append(f"  refused    {c.action} {c.device}: {reason}")
    lines.append(f"  reply      {o.reply}")
    after_voice = "" if turn.after_last_voice_ms is None else f", after last word {turn.after_last_voice_ms:.0f} ms"
    lines.append(f"  ms         asr {t.asr:.0f}, nlu {t.nlu:.1f}, route {t.route:.1f}, publish {t.publish:.1f}; "
                 f"after endpoint {turn.after_endpoint_ms:.0f}{after_voice}")
    return "\n".join(lines)


def open_sources(wav: list[str] | None, device: str | None,
                 realtime: bool = False) -> list[tuple[str, object, bool]]:
    """The audio inputs as (name, frames factory, live), checked now so bad input fails before the
    broker starts and the models load: every WAV header, or the microphone's presence. A
    microphone is live; WAV files are live only with ``realtime`` (played at real time)."""
    from hub.audio.wav import check_wav, paced, wav_frames

    if wav:
        for path in wav:
            check_wav(path)
        if realtime:
            return [(path, lambda p=path: paced(wav_frames(p)), True) for path in wav]
        return [(path, lambda p=path: wav_frames(p), False) for path in wav]
    from hub.audio.mic import Microphone

    mic = Microphone(device)
    return [(f"mic:{device or 'default'}", mic.frames, True)]


class Notices:
    """Sentences the hub says outside a turn (what became of a command that waited for the
    broker), handed over from link threads and shown by one worker: ``show(sentence)``."""

    def __init__(self, show: Callable[[str], None]):
        self.show = show
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._worker = threading.Thread(target=self._run, name="notices", daemon=True)
        self._worker.start()

    def put(self, sentence: str) -> None:
        self._queue.put(sentence)

    def _run(self) -> None:
        while (sentence := self._queue.get()) is not None:
            try:
                self.show(sentence)
            except Exception:
                log.exception("notice not shown: %s", sentence)

    def close(self, timeout: float = 30.0) -> None:
        """Show what is queued, then stop the worker."""
        self._queue.put(None)
        self._worker.join(timeout)


class Session:
    """A hub connected to its broker, with its stages loaded, its state subscribed and its Home
    Assistant entities published. ``reload()`` (HA's reload button) re-reads the config file and
    swaps the understanding and routing stages between utterances; a bad file keeps the old ones.
    ``on_notice(sentence)`` hears what became of commands that waited for the broker (called
    from a link thread: it must only hand the sentence over).

    ``one_shot`` (`hub say`, implies ``nlu_only``): a command beside the running hub, which owns
    the Home Assistant entities: none of them is published or followed. A session that is not
    one-shot executes the texts `hub say` hands over on ``<base_topic>/say/set`` (hub/mqtt/say.py).

    Reloads and model-set switches (from Home Assistant, the power scheduler) run one at a time
    on the session's worker (:class:`CoalescingWorker`), never on paho's network thread; a
    flood of them coalesces into a few runs of the last one."""

    def __init__(self, cfg: Config, link, area: str | None, *, nlu_only: bool = False, one_shot: bool = False,
                 model_set: str | None = None, on_notice: Callable[[str], None] | None = None, clock=None):
        from hub.devices.catalog import default_catalog
        from hub.mqtt.discovery import Discovery
        from hub.nlu.language import load_language
        from hub.power.monitor import PowerMonitor
        from hub.registry.metrics import UsageMetrics

        self.cfg, self.link, self.area = cfg, link, area
        nlu_only = nlu_only or one_shot
        self.on_notice = on_notice
        self.worker = CoalescingWorker("session")
        self._state_topics: set[str] = set()
        # the scheduler picks the starting set; "auto" leaves it to battery, load and the HA switch
        rules = cfg.power.model_copy(update={"model_set": model_set}) if model_set else cfg.power
        self.pipeline = None
        self.power = None if nlu_only else PowerMonitor(rules, self._on_switch)
        self.model_set = "full"
        if self.power is not None:
            self.power.start()
            self.model_set = self.power.model_set
        self.stages = load_stages(cfg, link, model_set=self.model_set, nlu_only=nlu_only)
        # timers and commands in time (hub/timers; ``clock`` for tests); `hub say` keeps none
        self.agenda = None if one_shot else new_agenda(cfg, link, clock)
        self.stages.executor = wrap(cfg, self.stages.executor, self.agenda)
        self.stages.executor.on_notice = on_notice
        if self.agenda is not None:
            self.agenda.announce = on_notice
            self.agenda.start()
        self._follow_state_topics(self.stages.state.topics())
        self.pipeline = None if nlu_only else Pipeline(
            self.stages.wake, self.stages.endpointer, self.stages.transcriber,
            self.stages.parser, self.stages.executor, area, language=cfg.hub.language)
        # event types: every action a command can carry (Understanding.intent is the first command's)
        actions = {c.action for t in default_catalog().types.values() for c in t.commands.values()}
        self.discovery = None if one_shot else Discovery(
            cfg, link, sorted(actions | set(load_language(cfg.hub.language).intents) | set(TIMER_INTENTS + SCHEDULE_INTENTS)
                              | set(cfg.sentences.intent_names if cfg.sentences else ())), on_reload=self.reload,
            on_low_power=self._on_low_power_switch, on_model_set=self._on_model_set_select,
            low_power=self.model_set == "low-power", model_set=rules.model_set,
            worker=self.worker)  # publishes on (re)connect
        if self.power is not None:
            self._announce(self.model_set, self.power.scheduler.reason, self.power.scheduler.override)
        self.usage = UsageMetrics(keep_transcripts=cfg.sync.share_transcripts)
        self._start_model_updates(cfg)
        # last: `hub say` beside this hub hands its text over (hub/mqtt/say.py) to a ready session
        self.say_listener = None if one_shot else SayListener(link, cfg.hub.options.base_topic, self._say_remote)

    def _start_model_updates(self, cfg: Config) -> None:
        """Follow `hub models activate|rollback` (hot swap with self-test) and, if enabled, sync."""
        from hub.nlu import load_parser
        from hub.registry.swap import HotSwapper, self_test_cases

        self.swapper = self.sync = None
        if self.pipeline is not None:
            self.swapper = HotSwapper(self._new_model_parser, lambda d: load_parser(cfg, d), self.stages.registry,
                                      self_test_cases(cfg), current=self.stages.model_parser,
                                      current_version=self.stages.nlu_version,
                                      key_file=key_file_of(cfg), min_pass=cfg.models.self_test_min_pass)
            self.swapper.start_watching(cfg.models.watch_interval_s)
        if cfg.sync.enabled:
            from hub.registry.sync import SyncClient

            s = cfg.sync
            self.sync = SyncClient(
                s.endpoint, s.public_key, self.stages.registry, metrics=self.usage,
                share_transcripts=s.share_transcripts,
                on_installed=self.swapper.switch if (self.swapper and s.auto_activate) else None,
                interval_s=s.interval_s, max_attempts=s.max_attempts, backoff_s=s.backoff_s,
                max_backoff_s=s.max_backoff_s, timeout_s=s.timeout_s, max_download_bytes=s.max_download_mb * 2**20)
            self.sync.start()

    def _on_switch(self, switch) -> None:
        """The scheduler chose another model set (on its thread, or on the worker for HA's select)."""
        self.worker.submit("switch", lambda: self._switch(switch))

    def _switch(self, switch) -> None:
        """Load the chosen set beside the running one, swap between utterances, then let the old
        one go (so low-power really frees the full set's memory). On the worker."""
        if self.pipeline is None or switch.model_set == self.model_set:  # e.g. the first poll's choice
            return
        t0 = time.perf_counter()
        try:
            stages = load_audio_stages(self.cfg, switch.model_set, parser=self.stages.model_parser)
        except HubError as e:
            log.error("model set %s not loaded, staying on %s: %s", switch.model_set, self.model_set, e)
            return
        load_ms = (time.perf_counter() - t0) * 1000
        stages = {"parser": self.stages.model_parser, **stages.by_name()}
        previous, self.model_set = self.model_set, switch.model_set
        # holding the old set here would keep its models in memory
        release_when_freed(self.stages.swap(stages), self.worker.submit)
        self.pipeline.replace(**stages)
        log.info("model set -> %s (%s); loaded in %.0f ms", switch.model_set, switch.reason, load_ms)
        self._announce(switch.model_set, switch.reason, self.power.scheduler.override)
        wake_word = self._wake_word(switch.model_set)
        if wake_word != self._wake_word(previous) and self.on_notice is not None:
            from hub.nlu.language import load_language

            # a speaker who says the old wake word would otherwise get no answer, and no reason
            key = "wake_word_low_power" if switch.model_set == "low-power" else "wake_word_full"
            self.on_notice(load_language(self.cfg.hub.language).say(key, wake_word=wake_word.replace("_", " ")))

    def _wake_word(self, model_set: str) -> str:
        """The wake word model the set listens for (``power.wake_word`` under low power)."""
        return self.cfg.power.wake_word if model_set == "low-power" else self.cfg.hub.wake_word.model

    def _new_model_parser(self, parser) -> None:
        """A new trained-model version passed its self-test: it serves the full set from the next
        utterance (the low-power set keeps its template parser until the full set is back)."""
        self.stages.model_parser = parser
        if self.model_set == "full":
            self.pipeline.replace(parser=parser)

    def _announce(self, model_set: str, reason: str, override: str) -> None:
        """Publish the active set, why, and the wake word it listens for, retained, on
        ``<base_topic>/model_set/active`` (Home Assistant's "Wake word" sensor)."""
        self.discovery.set_low_power(model_set == "low-power")
        payload = json.dumps({"model_set": model_set, "reason": reason, "override": override,
                              "wake_word": self._wake_word(model_set)}).encode()
        self.link.publish(MqttMessage(f"{self.cfg.hub.options.base_topic}/model_set/active", payload, retain=True))

    def _on_model_set_select(self, name: str) -> None:
        self.power.set_override(name)
        self.discovery.set_model_set(name)

    def _on_low_power_switch(self, on: bool) -> None:
        self._on_model_set_select("low-power" if on else "auto")

    def close(self) -> None:
        if self.say_listener is not None:
            self.say_listener.close()
        self.worker.close()
        if self.agenda is not None:
            self.agenda.close()
        if self.power is not None:
            self.power.stop()
        if self.swapper is not None:
            self.swapper.stop_watching()
        if self.sync is not None:
            self.sync.stop()

    def _on_state(self, topic: str, payload: bytes) -> None:
        self.stages.state.handle(topic, payload)

    def _follow_state_topics(self, topics: list[str]) -> None:
        """Subscribe to the state topics of the config, once each; drop those it no longer has."""
        for topic in set(topics) - self._state_topics:
            self.link.subscribe(topic, self._on_state)
        for topic in self._state_topics - set(topics):
            self.link.unsubscribe(topic, self._on_state)
        self._state_topics = set(topics)

    def reload(self) -> None:
        """Re-read the config file; an unchanged one changes nothing, a bad one is refused (logged)."""
        from hub.config_load import load_config
        from hub.nlu import load_parser
        from hub.registry.swap import self_test_cases

        try:
            cfg = load_config(self.cfg.source)
            if cfg.model_dump() == self.cfg.model_dump():
                log.info("reload: %s is unchanged", cfg.source)
                return
            fresh = load_stages(cfg, self.link, nlu_only=True)
            # the ASR prompt or grammar and the wake word come from the config too
            audio = (load_audio_stages(cfg, self.model_set, parser=fresh.model_parser).by_name()
                     if self.pipeline is not None else {})
        except HubError as e:
            log.error("reload refused, keeping the running config: %s", e)
            return
        fresh.executor = wrap(cfg, fresh.executor, self.agenda)
        fresh.executor.on_notice = self.on_notice
        old_state = self.stages.state
        release_when_freed([getattr(self.stages, k) for k in ("parser", "model_parser", "executor", *audio)],
                           self.worker.submit)
        self.cfg = cfg
        self.stages.swap({k: getattr(fresh, k) for k in ("parser", "model_parser", "state", "executor")})
        self.stages.swap(audio)
        fresh.state.carry_over(old_state)
        self._follow_state_topics(fresh.state.topics())
        if self.swapper is not None:
            self.swapper.load = lambda d: load_parser(cfg, d)
            self.swapper.cases = self_test_cases(cfg)
        if self.pipeline is not None:
            self.pipeline.replace(**{k: getattr(self.stages, k) for k in ("parser", "executor", *audio)})
        log.info("config reloaded from %s", cfg.source)

    def _say_remote(self, request: SayRequest) -> SayResponse | None:
        """A text from `hub say` on ``<base>/say/set``, executed as if spoken in its area (None:
        the hub's), never confirmed: what needs a yes waits for one said at a speaker, and a yes
        sent this way confirms nothing. An unknown area is logged and ignored (None)."""
        if request.area is not None and request.area not in self.cfg.area_by_id:
            log.warning("say/set: %r is no area of %s; ignored", request.area[:40], self.cfg.source)
            return None
        executor = self.stages.executor
        at_speaker = executor.timing.tl.say("yes_at_speaker")
        if " ".join(re.findall(r"[\w']+", request.text.lower())) in executor.lang.grammar.confirm_words:
            return SayResponse(request.id, request.text, at_speaker, None, [], [], False)
        u = self.stages.parser.parse(request.text, area=request.area or self.area)
        outcome = executor.execute(u, confirmed=False)
        self.publish_turn(u, request.text)
        reply = f"{outcome.reply} {at_speaker}" if outcome.awaiting_confirmation else outcome.reply
        published = [{"topic": m.topic, "payload": m.payload.decode("utf-8", "replace")} for m in outcome.published]
        return SayResponse(request.id, request.text, reply, u.intent, [c.to_json() for c in u.commands], published,
                           outcome.awaiting_confirmation)

    def publish_turn(self, understanding, transcript: str, nlu_ms: float = 0.0) -> None:
        """Tell Home Assistant what was heard and understood; count it for the model's figures."""
        if self.swapper is not None:
            self.usage.record(self.swapper.version or "", understanding, nlu_ms)
        if self.discovery is None:
            if understanding.slots is not None:  # a custom intent is an event for HA, from `hub say` too
                from hub.mqtt.discovery import intent_event

                self.link.publish(MqttMessage(f"{self.cfg.hub.options.base_topic}/intent", intent_event(understanding)))
            return
        self.discovery.publish_transcript(transcript)
        self.discovery.publish_intent(understanding)


def run_session(cfg: Config, *, area: str | None, wav: list[str] | None, device: str | None,
                broker: str | None, speak: bool, reply_wav: str | None, as_json: bool,
                model_set: str | None = None, realtime: bool = False) -> int:
    """`hub run`: every utterance after a wake word is understood and executed over MQTT.
    ``model_set``: auto, full or low-power (None: ``power.model_set`` from the config);
    ``realtime``: play WAV files at real time (see :func:`open_sources`)."""
    from hub.mqtt.link import MqttLink

    out = sys.stdout
    sources = open_sources(wav, device, realtime)
    speaker = None
    if speak:
        from hub.reply.tts import PiperSpeaker

        speaker = PiperSpeaker()
    replies = []
    speaking = threading.Lock()

    def say_aloud(text: str) -> None:
        if speaker is None:
            return
        if reply_wav:
            replies.append(text)
        else:
            with speaking:
                speaker.play(text)

    def show_notice(text: str) -> None:
        print(json.dumps({"notice": text}) if as_json else f"notice     {text}", file=out, flush=True)
        say_aloud(text)

    notices = Notices(show_notice)
    with broker_for(cfg, broker) as (bcfg, private):
        if private and not as_json:
            print(f"No broker configured: started a private mosquitto on {bcfg.host}:{bcfg.port} for this run.", file=out)
        link = MqttLink(bcfg, cfg.hub.options, client_id=f"hub-{cfg.hub.name}")
        session = None
        try:
            if not link.wait_connected(5.0):
                print(f"warning: no MQTT broker answering at {bcfg.host}:{bcfg.port}; commands wait in a queue "
                      f"for {cfg.hub.options.command_expiry_s:g} s each until it comes", file=sys.stderr)
            session = Session(cfg, link, area, model_set=model_set, on_notice=notices.put)
            monitor = DeviceMonitor(cfg, link) if wav else None
            if not as_json:
                loads = ", ".join(f"{k} {v:.0f} ms" for k, v in session.stages.load_ms.items())
                print(f"Model set {session.model_set}, loaded ({loads}).", file=out)
            for source, frames, live in sources:
                heard = False
                for turn in session.pipeline.run(frames(), source=source, live=live):
                    heard = True
                    session.publish_turn(turn.understanding, turn.transcript.text, turn.times.nlu)
                    print(json.dumps(turn.to_json()) if as_json else format_turn(turn), file=out, flush=True)
                    if turn.outcome.reply:
                        say_aloud(turn.outcome.reply)
                if not heard and not as_json:
                    print(f"{source}  no wake word", file=out, flush=True)
            if monitor is not None and not as_json:
                link.flush(timeout=2.0)
                print(monitor.summary(), file=out)
        finally:
            if session is not None:
                session.close()
            link.close()
            notices.close()
    if speaker is not None and reply_wav and replies:
        speaker.to_wav(" ".join(replies), reply_wav)
    return 0


def say(cfg: Config, text: str, *, area: str | None, broker: str | None, confirmed: bool) -> int:
    """`hub say`: one text command, understood and executed over MQTT. Exit 1 if nothing was done.

    A hub online on the same broker (``<base_topic>/status`` retained ``online``) gets the text
    on ``<base_topic>/say/set`` and executes it as spoken there (its timers, schedule and state
    file; ``confirmed`` is not passed on: a yes over MQTT confirms nothing), and its reply is
    printed. With none, or no answer in time, the text is executed here, alone: its own client id
    every time, no birth or will, and none of the hub's Home Assistant topics; only the commands
    are published."""
    from hub.mqtt.link import MqttLink

    with broker_for(cfg, broker) as (bcfg, private):
        if private:
            print(f"No broker configured (hub.broker or --broker): sending to a private mosquitto on "
                  f"{bcfg.host}:{bcfg.port}, which no device listens to.", file=sys.stderr)
        # its own client id and no birth or will: the running hub's connection and status stay
        link = MqttLink(bcfg, cfg.hub.options, client_id=f"hub-say-{uuid.uuid4().hex[:12]}", status_topic=None)
        session = None
        try:
            link.connect(timeout=5.0)
            handed = None if private else hand_over(link, cfg.hub.options.base_topic, text, area,
                                                    cfg.hub.options.ack_wait_s)
            if handed is not None:
                for m in handed.published:
                    print(f"published  {m['topic']}  {m['payload']}")
                print(handed.reply)
                if confirmed and handed.awaiting_confirmation:
                    print("(--yes is not passed to the running hub: say yes at one of its speakers)")
                return 0 if (handed.published or not handed.commands
                             or any(c["action"] == "query" for c in handed.commands)) else 1
            session = Session(cfg, link, area, one_shot=True)
            time.sleep(0.2)  # retained state messages arrive just after the subscription
            u = session.stages.parser.parse(text, area=area)
            outcome = session.stages.executor.execute(u, confirmed=confirmed)
            session.publish_turn(u, text)
            for m in outcome.published:
                print(f"published  {m.topic}  {m.payload.decode('utf-8', 'replace')}")
            print(outcome.reply)
            if outcome.awaiting_confirmation:
                print("(hub say asks no question: repeat the command with --yes to confirm it)")
        finally:
            if session is not None:
                session.close()
            link.close()
    return 0 if (outcome.published or not u.commands or any(c.action == "query" for c in u.commands)) else 1
