"""CLI commands that only read files: what a user sees."""

import json

from hub.cli import main


def test_models_verify_checks_packaged_files_and_our_model(capsys):
    assert main(["models", "verify"]) == 0
    out = capsys.readouterr().out
    assert "models/manifest.json" in out and "nlu" in out


def test_commands_lists_the_catalog(capsys):
    assert main(["commands", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert listing["count"] >= 200 and len(listing["commands"]) == listing["count"]


def test_parse_jsonl_keeps_one_object_per_line_in_order(capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("turn on the kitchen light\n\nmake me a sandwich\n"))
    assert main(["parse", "--config", "config.yaml", "--jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["text"] for r in rows] == ["turn on the kitchen light", "", "make me a sandwich"]
    assert rows[0]["commands"] == [{"device": "kitchen_light", "action": "turn_on"}]
    assert rows[1]["commands"] == rows[2]["commands"] == [] and rows[2]["response"]
