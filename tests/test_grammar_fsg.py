"""The compact FSG (hub.asr.fsg): fewer states, the same sentences with the same best path weight."""

import tempfile
from collections import defaultdict
from pathlib import Path

import pytest
from pocketsphinx import Decoder

from hub.asr.fsg import minimise, read_fsg, without_nulls
from hub.asr.grammar import _acoustic_model, build_grammar
from hub.config_load import load_config

ROOT = Path(__file__).resolve().parent.parent


def best_weight(start, final, arcs, words) -> float:
    """Best path probability of ``words`` from start to final (null arcs followed), 0 if none."""
    out = defaultdict(list)
    for s, d, p, w in arcs:
        out[s].append((d, p, w))

    def closed(dist):
        todo = list(dist)
        while todo:
            s = todo.pop()
            for d, p, w in out[s]:
                if w is None and dist[s] * p > dist.get(d, 0.0):
                    dist[d] = dist[s] * p
                    todo.append(d)
        return dist

    dist = closed({start: 1.0})
    for word in words:
        step = {}
        for s, v in dist.items():
            for d, p, w in out[s]:
                if w == word and v * p > step.get(d, 0.0):
                    step[d] = v * p
        dist = closed(step)
    return dist.get(final, 0.0)


def test_copies_merge_and_weights_stay():
    # "turn (on | off) <name>" with the name rule copied per reference, as pocketsphinx compiles it
    arcs = [(0, 1, 1.0, "turn"), (1, 2, 0.5, "on"), (1, 3, 0.5, "off"),
            (2, 4, 1.0, None), (3, 6, 1.0, None),
            (4, 5, 0.5, "lamp"), (4, 5, 0.5, "fan"), (6, 7, 0.5, "lamp"), (6, 7, 0.5, "fan"),
            (5, 8, 1.0, None), (7, 8, 1.0, None)]
    start, final, small = minimise(0, 8, without_nulls(8, arcs))
    assert len({x for a in small for x in a[:2]}) < 9
    for sentence in ("turn on lamp", "turn off fan", "turn on fan"):
        assert best_weight(start, final, small, sentence.split()) == pytest.approx(
            best_weight(0, 8, arcs, sentence.split()))
    assert best_weight(start, final, small, ["turn", "lamp"]) == 0.0


def test_home_grammar_sentences_keep_their_weight():
    cfg = load_config(ROOT / "config.yaml")
    grammar = build_grammar(cfg)
    decoder = Decoder(hmm=str(_acoustic_model()), lm=None, dict=None, loglevel="FATAL")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "g.fsg"
        decoder.parse_jsgf(grammar.jsgf).writefile(str(path))
        start, final, arcs = read_fsg(path.read_text())
    s2, f2, small = minimise(start, final, without_nulls(final, arcs))
    assert len({x for a in small for x in a[:2]}) < len({x for a in arcs for x in a[:2]}) / 4
    for sentence in ("turn on the kitchen light", "switch the bedroom light off", "is the back door locked",
                     "set the thermostat to twenty one degrees", "open the living room blinds halfway"):
        assert grammar.accepts(sentence)
        assert best_weight(s2, f2, small, sentence.split()) == pytest.approx(
            best_weight(start, final, arcs, sentence.split()), rel=1e-4)
    for outside in ("turn on the", "lock the kitchen light", "turn on the kitchen light please"):
        assert best_weight(s2, f2, small, outside.split()) == 0.0
