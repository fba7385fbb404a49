"""`hub bench orders`: how one recording is judged, the conditions argument, the noise mix, and
one run through the real full set on a benchmark-shaped folder (espeak-ng saying two orders:
the real recordings are fetched, not shipped)."""

from __future__ import annotations

import json
import subprocess
import wave

import numpy as np
import pytest

from hub.bench.orders import judge, parse_conditions, run_orders, table, with_noise

LABEL = {"intent": "orderDrink", "slots": {"coffeeDrink": "latte", "milkAmount": " soy milk"}}


def test_judge():
    order = {"coffeeDrink": "Latte", "milkAmount": "soy  milk"}
    assert judge(LABEL, "orderDrink", order, [], unsure=False) == "right"
    assert judge(LABEL, "orderDrink", order, [], unsure=True) == "confirm"
    assert judge(LABEL, "orderDrink", {"coffeeDrink": "latte"}, [], unsure=False) == "wrong"  # the milk lost
    assert judge(LABEL, "turn_on", None, [{"device": "coffee_maker", "action": "turn_on"}], unsure=False) == "wrong"
    assert judge(LABEL, None, None, [], unsure=False) == "refused"


def test_conditions():
    assert parse_conditions("clean, 10,5") == [None, 10.0, 5.0]
    with pytest.raises(ValueError, match="'loud' is neither"):
        parse_conditions("clean,loud")


def test_noise_is_added_at_the_snr_asked():
    rng = np.random.default_rng(1)
    speech = (8000 * np.sin(np.arange(16000) / 5)).astype(np.int16)
    noise = (3000 * rng.standard_normal(4000)).astype(np.int16)  # shorter than the speech: looped
    mixed = with_noise(speech, noise, 10.0, rng)
    added = mixed.astype(np.float64) - speech
    snr = 10 * np.log10(np.mean(speech.astype(np.float64) ** 2) / np.mean(added ** 2))
    assert mixed.dtype == np.int16 and mixed.shape == speech.shape and abs(snr - 10) < 0.5


@pytest.mark.slow
def test_a_run_on_a_benchmark_shaped_folder(tmp_path):
    speech = tmp_path / "data" / "speech" / "clean"
    speech.mkdir(parents=True)
    labels = {}
    for name, text, slots in (("a.wav", "can I get a large latte", {"size": "large", "coffeeDrink": "latte"}),
                              ("b.wav", "make me a small mocha", {"size": "small", "coffeeDrink": "mocha"})):
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(speech / name), text], check=True)
        labels[name] = {"intent": "orderDrink", "slots": slots}
    (tmp_path / "data" / "label").mkdir(parents=True)
    (tmp_path / "data" / "label" / "label.json").write_text(json.dumps(labels))
    (tmp_path / "data" / "noise").mkdir()
    with wave.open(str(tmp_path / "data" / "noise" / "kitchen.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes((500 * np.random.default_rng(0).standard_normal(16000 * 3)).astype(np.int16).tobytes())
    for snr in (None, 20.0):
        report = run_orders(tmp_path, snr)
        assert [r["file"] for r in report["rows"]] == ["a.wav", "b.wav"]
        summary = report["summary"]
        assert summary["recordings"] == 2 == sum(summary[k] for k in ("right", "confirm", "wrong", "refused"))
        assert summary["right"] >= 1, report["rows"]  # espeak-ng's voice is not always heard right
    text = table({"machine": {"cpu": "c", "cores": 2, "python": "3.11", "date": "d"}, "every": 1, "wall_s": 1.0, "method": "m", "conditions": {"clean": report}})
    assert "| clean | 2 |" in text


def test_benchmark_data_from_a_bare_git_directory(tmp_path):
    """What the fetch tool gives (a bare repository) is extracted once, whole, into the cache."""
    from hub.bench.gitdata import extract, is_bare_git
    from hub.bench.orders import orders_data
    from hub.errors import HubError

    work = tmp_path / "work"
    (work / "data" / "label").mkdir(parents=True)
    (work / "data" / "label" / "label.json").write_text("{}")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(work)]
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "data"], check=True)
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True)
    assert is_bare_git(bare) and not is_bare_git(work)
    cache = tmp_path / "cache"
    got = extract(bare, ("data/label",), cache, "bench", "data/label/label.json")
    assert (got / "data" / "label" / "label.json").read_text() == "{}"
    (got / "data" / "label" / "label.json").write_text("kept")  # a second call extracts nothing
    assert (extract(bare, ("data/label",), cache, "bench", "data/label/label.json") / "data" / "label"
            / "label.json").read_text() == "kept"
    with pytest.raises(HubError, match="git archive HEAD nowhere failed"):
        extract(bare, ("nowhere",), cache, "other", "nowhere")
    with pytest.raises(HubError, match="speech-to-intent-benchmark"):
        orders_data(work / "data", cache)
