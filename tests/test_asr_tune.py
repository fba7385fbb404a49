"""Fine-tuning whisper on home commands (hub.asr.tune) and the CTranslate2 files it reads and
writes (hub.asr.ct2), with the real packaged tiny.en and the committed tiny.en-home."""

from __future__ import annotations

import filecmp
import json

import numpy as np
import pytest

from hub.asr import cases as C
from hub.asr import ct2, tune
from hub.errors import HubError


@pytest.fixture(scope="module")
def tiny():
    from hub.asr.whisper import model_dir_for

    return model_dir_for("tiny.en") / "model.bin"


def test_ct2_model_round_trips_byte_for_byte(tiny, tmp_path):
    model = ct2.read_model(tiny)
    assert model.spec == "WhisperSpec" and model.aliases == {"decoder/projection/weight": "decoder/embeddings/weight"}
    state = ct2.to_transformers(model.variables)
    # transformers' names: 4 + 4 layers, q/k/v unfused, the output projection tied to the embedding
    assert state["model.encoder.layers.3.self_attn.k_proj.weight"].shape == (384, 384)
    assert "model.encoder.layers.0.self_attn.k_proj.bias" not in state
    assert state["proj_out.weight"] is state["model.decoder.embed_tokens.weight"]
    ct2.write_model(ct2.from_transformers(state, model), tmp_path / "model.bin")
    assert filecmp.cmp(tiny, tmp_path / "model.bin", shallow=False)


def test_ct2_weights_land_where_they_came_from(tiny):
    model = ct2.read_model(tiny)
    state = ct2.to_transformers(model.variables)
    state["model.decoder.layers.1.encoder_attn.v_proj.bias"] = np.full(384, 0.5, np.float32)
    state["model.encoder.layers.2.self_attn.k_proj.weight"] = np.ones((384, 384), np.float32)
    back = ct2.from_transformers(state, model).variables
    cross = back["decoder/layer_1/attention/linear_1/bias"]
    assert cross.dtype == np.float16 and np.all(cross[384:] == 0.5) and np.all(cross[:384] == 0)
    fused = back["encoder/layer_2/self_attention/linear_0/weight"]
    assert np.all(fused[384:768] == 1) and np.array_equal(fused[:384],
                                                          model.variables["encoder/layer_2/self_attention/linear_0/weight"][:384])


def test_ct2_refuses_what_is_not_a_model(tmp_path):
    bad = tmp_path / "model.bin"
    bad.write_bytes(b"\x06\x00\x00\x00\x05\x00spec")
    with pytest.raises(HubError, match="model.bin"):
        ct2.read_model(bad)
    bad.write_bytes(b"\x02\x00\x00\x00")
    with pytest.raises(HubError, match="binary version 2"):
        ct2.read_model(bad)
    state = ct2.to_transformers(ct2.read_model(C.REPO / "models" / "whisper_tiny_home" / "model.bin").variables)
    state["model.encoder.conv1.bias"] = np.zeros(10, np.float32)
    with pytest.raises(HubError, match="encoder/conv1/bias: shape"):
        ct2.from_transformers(state, ct2.read_model(C.REPO / "models" / "whisper_tiny_home" / "model.bin"))


def test_training_never_hears_a_test_text_or_voice():
    texts = {t.lower() for _, t in tune.training_texts()}
    assert len(texts) > 1500
    for name in C.CASE_SETS:
        for _, _, cases in C.read_sets(C.HELD_OUT_SETS[name][1]):
            assert not texts & {c["text"].lower() for c in cases}, name
    assert not texts & {c["text"].lower() for _, cs in C.dev_texts() for c in cs}
    voices = set(tune.training_voices())
    assert tune.test_voices() and not voices & tune.test_voices()
    assert "en-gb-scotland+f3" in tune.test_voices() and "en-gb-scotland+f2" in voices


def test_special_tokens_are_tiny_en_s(tiny):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tiny.parent / "tokenizer.json"))
    assert [tok.token_to_id(t) for t in ("<|startofprev|>", "<|startoftranscript|>", "<|notimestamps|>",
                                         "<|endoftext|>")] == [tune.SOT_PREV, tune.SOT, tune.NO_TIMESTAMPS, tune.EOT]


def test_targets_are_written_as_whisper_writes():
    assert tune.target_text("turn on the hall light") == "Turn on the hall light."
    assert tune.target_text("is the garage door open") == "Is the garage door open?"
    assert tune.target_text("Dim the lamp!") == "Dim the lamp!"


def test_the_tuned_model_is_pinned_and_hears_a_command():
    from hub.asr.whisper import WhisperTranscriber, model_dir_for

    directory = model_dir_for("tiny.en-home")  # every file checked against models/manifest.json
    assert directory == C.REPO / "models" / "whisper_tiny_home"
    asr = WhisperTranscriber(["kitchen light", "bedroom light"], model="tiny.en-home")
    heard = asr.decode(C.read_wav(C.REPO / "samples" / "01_kitchen_light_on.wav").astype(np.float32) / 32768.0)
    assert "kitchen light" in heard[0].text.lower()


def test_regional_training_homes_are_valid_and_never_a_test_text():
    """training/asr: every home loads and every case names one of its devices and an action of its
    type; a text that is also a held-out set's or a development clip's ("close the gate and put on
    the security lights") is never trained on (hub.asr.tune.further trains on the rest)."""
    from hub.config_load import load_config
    from hub.devices.catalog import default_catalog

    catalog, held = default_catalog(), tune._test_texts()
    sets = C.read_sets(tune.REGIONAL_SOURCE)
    assert len(sets) >= 10
    for cases_path, home, cases in sets:
        devices = {d.id: d for d in load_config(home).devices}
        for case in cases:
            for cmd in case["commands"]:
                assert cmd["device"] in devices, (cases_path.name, case["text"])
                assert catalog.get(devices[cmd["device"]].type, cmd["action"]) or cmd["action"] == "query", (
                    cases_path.name, case["text"], cmd)
    texts = tune.training_texts(tune.REGIONAL_SOURCE)
    assert len(texts) > 700 and not {t.lower() for _, t in texts} & held


def test_regional_homes_name_their_pass(tmp_path):
    """Each training/asr entry says which further pass it was written for; one without is refused by name."""
    by_pass = tune.regional_sets()
    assert min(by_pass) == tune.PASSES + 1 and all(len(v) >= 2 for v in by_pass.values())
    shipped = len(json.loads((tune.OUT_DIR / "manifest.json").read_text())["passes"])
    assert all(p <= shipped + 1 for p in by_pass), "homes for a pass after the next one"
    sets = tmp_path / "sets.yaml"
    (tmp_path / "a.jsonl").write_text('{"kind": "direct", "text": "turn on the lamp", "commands": []}\n')
    sets.write_text("- {cases: a.jsonl, home: a.yaml}\n", encoding="utf-8")
    with pytest.raises(HubError, match="a.jsonl needs `pass: N`"):
        tune.regional_sets(sets)


def test_a_further_pass_needs_regional_texts(tmp_path, monkeypatch):
    empty = tmp_path / "sets.yaml"
    empty.write_text("[]\n", encoding="utf-8")
    monkeypatch.setattr(tune, "REGIONAL_SOURCE", empty)
    with pytest.raises(HubError, match="no regional training text"):
        tune.further(tmp_path / "out", work=tmp_path / "work")
