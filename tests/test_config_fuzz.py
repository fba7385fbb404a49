"""Seeded mutations of the demo config.yaml: each one loads as a valid config or gives a clean
ConfigError naming the file; never another exception. Known-bad mutations (hub.bench.config's
list: aliases naming other devices, NaN, wildcard topics, alias bombs, binary files...) must give
the error. `hub bench config` runs the same mutations with a timeout per input."""

import re
from pathlib import Path

import pytest

from hub.bench.config import check_config_file, mutations
from hub.cli import main

ROOT = Path(__file__).resolve().parent.parent
CASES = mutations(ROOT / "config.yaml", 300, seed=13)


@pytest.mark.parametrize("m", CASES, ids=[f"{i}-{re.sub(r'[^A-Za-z0-9_.:-]', '_', m.kind)[:40]}"
                                          for i, m in enumerate(CASES)])
def test_mutation_is_a_clean_error_or_a_valid_config(tmp_path, m):
    path = tmp_path / "config.yaml"
    path.write_bytes(m.data)
    outcome = check_config_file(path)
    if m.must_fail:
        assert outcome == "error", f"{m.kind} was accepted"


@pytest.mark.parametrize("kind", ["alias_bomb_top", "recursive_anchor_list", "utf16_bom", "binary_random",
                                  "deep_flow_nesting", "huge_comment"])
def test_check_config_reports_hostile_files_without_a_traceback(tmp_path, capsys, kind):
    m = next(m for m in CASES if m.kind == kind)
    path = tmp_path / "config.yaml"
    path.write_bytes(m.data)
    assert main(["check-config", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:" in err and "Traceback" not in err


@pytest.mark.parametrize("argv,message", [
    (["bench", "satellites", "--satellites", "1,two"], "argument --satellites: '1,two': expected whole numbers above 0"),
    (["bench", "pipeline", "--rounds", "0"], "argument --rounds: '0': must be above 0"),
    (["bench", "wake", "--tv-minutes", "nan"], "argument --tv-minutes: 'nan': must be above 0"),
    (["bench", "asr", "--models", "tiny"], "argument --models: unknown whisper model 'tiny'"),
    (["bench", "nlu", "--cases", "no/such.jsonl", "home.yaml"], "argument --cases: 'no/such.jsonl': no such file"),
    (["serve", "--http", "127.0.0.1:99999"], "argument --http: --http '127.0.0.1:99999': port '99999'"),
    (["run", "--speak", "--reply-wav", "/no/such/folder/out.wav"], "argument --reply-wav: '/no/such/folder/out.wav': cannot write"),
    (["say", "--broker", "mqtt://h:0", "hi"], "argument --broker: broker 'mqtt://h:0': port '0' is not a number from 1 to 65535"),
])
def test_command_line_values_are_checked_when_parsed(capsys, argv, message):
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("kind", ["latin1", "utf16_bom", "alias_bomb_top", "recursive_anchor_map"])
def test_a_hostile_custom_sentence_file_is_a_clean_error(tmp_path, kind):
    (tmp_path / "config.yaml").write_bytes((ROOT / "config.yaml").read_bytes())
    folder = tmp_path / "custom_sentences" / "en"
    folder.mkdir(parents=True)
    text = 'language: en\nintents:\n  OrderDrink:\n    data:\n      - sentences: ["make me a café"]\n'
    data = {"latin1": text.encode("latin-1"), "utf16_bom": text.encode("utf-16"),
            "alias_bomb_top": next(m for m in CASES if m.kind == "alias_bomb_top").data[:2000].rsplit(b"\n", 1)[0] + b"\n" + text.encode(),
            "recursive_anchor_map": text.encode() + b"extra: &m {a: *m}\n"}[kind]
    (folder / "drinks.yaml").write_bytes(data)
    assert check_config_file(tmp_path / "config.yaml") == "error"
