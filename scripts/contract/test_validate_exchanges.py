#!/usr/bin/env python3
"""The exchange validator against the real docs/openapi.yaml: correct responses and stream
messages pass; deliberately broken ones (short position, date-time "tomorrow", a oneOf matched
twice, undocumented status / content type / path, unknown stream type) fail.

    python3 scripts/contract/test_validate_exchanges.py      # or: python3 -m pytest scripts/contract
(makes /tmp/venv-contract and re-runs there when openapi-schema-validator or pytest is missing)
"""
import copy
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import validate_exchanges as ve  # noqa: E402  (first: it re-runs us in the venv if needed)
import pytest  # noqa: E402

DOC_PATH = os.path.join(HERE, "..", "..", "docs", "openapi.yaml")
with open(DOC_PATH, encoding="utf-8") as f:
    DOC = json.load(f)
T0, T1 = "2026-06-01T10:00:00Z", "2026-06-01T11:00:00.250+02:00"



# A ledger receipt as the service writes it (docs/ledger.md).
RECEIPT = {"index": 0, "entry_b64": "ZW50cnk=", "checkpoint": "o\n1\nAAAA\n\n\u2014 o sig\n",
           "proof": [], "tlog_proof": "c2sp.org/tlog-proof@v1\nindex 0\n\no\n"}

def volume(**over):
    v = {"outline": {"type": "polygon", "coordinates": [[2.35, 48.85], [2.36, 48.85], [2.36, 48.86]]},
         "alt_lower_ft": 0, "alt_upper_ft": 400, "start": T0, "end": T1}
    return {**v, **over}


def intent(**over):
    i = {"id": "i-1", "own": True, "owner": "alpha", "version": 1, "ovn": "ovn-1",
         "state": "accepted", "priority": 0, "volumes": [volume()]}
    return {**i, **over}


def http(path, body, status=200, method="get", ct="application/json"):
    return {"method": method, "path": path, "status": status, "content_type": ct,
            "body": body if isinstance(body, str) else json.dumps(body)}


def stream(message):
    return {"stream": True, "body": json.dumps(message)}


def check(ex, doc=DOC):
    return ve.Contract(doc).check(ex)


def doc_with_path(template, schema):
    """The real document plus one GET path answering `schema` (which may $ref its components)."""
    doc = copy.deepcopy(DOC)
    doc["paths"][template] = {"get": {"responses": {"200": {
        "description": "x", "content": {"application/json": {"schema": schema}}}}}}
    return doc


TRAFFIC = {"id": "x-1", "own": False, "time": 1.5e9, "lat": 48.8, "lon": 2.3, "alt_ft": 300,
           "gs_kt": 80, "trk_deg": 90, "vs_fpm": 0}
CONFLICT = {"own": "a1", "intruder": "x-1", "level": 2, "state": "new", "kind": "tactical",
            "tin_s": 30, "tcpa_s": 40, "dcpa_nm": 0.2, "distance_nm": 1.5, "vertical_ft": 100,
            "los": False, "report_time": 1.5e9}
STREAM_OK = {
    "hello": {"type": "hello", "cursor": 0, "party": "alpha"},
    "gap": {"type": "gap", "cursor": 9, "from": 1, "to": 8, "detail": "dropped"},
    "conflict": {**CONFLICT, "type": "conflict", "cursor": 3, "trigger": "report"},
    "alert": {"type": "alert", "cursor": 4, "trigger": "cycle", "previous_level": 1,
              **{k: CONFLICT[k] for k in ("own", "intruder", "level", "state", "tin_s", "los", "report_time")}},
    "track": {"type": "track", "cursor": 5, "tracks": [TRAFFIC]},
    "intent": {"type": "intent", "cursor": 6, "change": "created", "intent": intent(), "conflicts": []},
}


def test_correct_responses_pass():
    assert check(http("/v1/intents/i-1?x=1", intent())) == []
    assert check(http("/v1/intents/i-1", intent(volumes=[volume(outline={
        "type": "circle", "center": [2.35, 48.85], "radius_m": 500})]))) == []
    written = {**intent(), "conflicts": [], "receipt": RECEIPT}
    assert check(http("/v1/intents/i-1", written, status=201, method="put")) == []
    problem = {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "no such intent"}
    assert check(http("/v1/intents/zz", problem, status=404, ct="application/problem+json; charset=utf-8")) == []
    assert check(http("/v1/intents/i-1?ovn=o", "", status=204, method="delete", ct="")) == []
    assert check(http("/v1/traffic", {"aircraft": [TRAFFIC], "vicinity_nm": 40, "vicinity_ft": 5000})) == []


def test_non_json_is_counted_not_validated():
    c = ve.Contract(DOC)
    assert c.check(http("/metrics", "not json {", ct="text/plain; version=0.0.4")) == []
    assert c.skipped["text/plain"] == 1


@pytest.mark.parametrize("kind", sorted(STREAM_OK))
def test_each_stream_type_passes(kind):
    assert check(stream(STREAM_OK[kind])) == []


def test_short_position_fails():
    bad = intent(volumes=[volume(outline={"type": "polygon", "coordinates": [[2.35], [2.36, 48.85], [2.36, 48.86]]})])
    found = check(http("/v1/intents/i-1", bad))
    assert len(found) == 1 and "$.volumes[0].outline" in found[0]
    assert "$.volumes[0].outline.coordinates[0]: [2.35] is too short" in found[0]


def test_date_time_format_is_checked():
    assert DOC["components"]["schemas"]["Volume"]["properties"]["start"].get("format") == "date-time"
    # The PUT answer (IntentWritten) has one schema; GET's is a oneOf (native or F3548), whose
    # message names the closest branch.
    written = {**intent(volumes=[volume(start="tomorrow")]), "conflicts": [], "receipt": RECEIPT}
    found = check(http("/v1/intents/i-1", written, status=201, method="put"))
    assert found == ["PUT /v1/intents/i-1 -> 201: $.volumes[0].start: 'tomorrow' is not a 'date-time'"]
    found = check(http("/v1/intents/i-1", intent(volumes=[volume(start="tomorrow")])))
    assert len(found) == 1 and "$.volumes[0].start: 'tomorrow' is not a 'date-time'" in found[0]
    # the format checker itself, independent of the document's schemas
    doc = doc_with_path("/when", {"type": "string", "format": "date-time"})
    assert check(http("/when", '"tomorrow"'), doc) and check(http("/when", json.dumps(T1)), doc) == []


def test_one_of_matching_two_branches_fails():
    doc = doc_with_path("/pos", {"oneOf": [{"$ref": "#/components/schemas/Position"},
                                           {"type": "array", "items": {"type": "number"}}]})
    found = check(http("/pos", [2.35, 48.85]), doc)
    assert len(found) == 1 and "is valid under each of" in found[0]
    assert check(http("/pos", [1, 2, 3]), doc) == []  # only the second branch


def test_undocumented_status_content_type_and_path_fail():
    assert "status 418 is not documented" in check(http("/v1/intents/i-1", intent(), status=418))[0]
    assert "status 500 is not documented" in check(http("/health", {}, status=500))[0]
    assert "content type 'text/html' is not documented" in check(http("/v1/intents/i-1", "<p>", ct="text/html"))[0]
    assert "no path template matches" in check(http("/v2/nothing", {}))[0]
    assert "POST is not documented" in check(http("/health", {}, method="post"))[0]


def test_unknown_stream_type_fails():
    found = check(stream({"type": "weather", "cursor": 1}))
    assert len(found) == 1 and "stream 'weather' message" in found[0]
    assert check(stream({**STREAM_OK["hello"], "extra": 1}))  # additionalProperties: false


def test_literal_segment_wins_over_parameter():
    doc = doc_with_path("/v1/intents/special", {"type": "string"})
    assert check(http("/v1/intents/special", '"x"'), doc) == []
    assert check(http("/v1/intents/other", '"x"'), doc)  # {id}: an Intent was expected


def test_command_line_exit_codes(tmp_path):
    def run(*lines):
        (tmp_path / "exchanges.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
        return subprocess.run([sys.executable, os.path.join(HERE, "validate_exchanges.py"), DOC_PATH,
                               str(tmp_path)], capture_output=True, text=True)
    assert run().returncode == 2
    ok = run(http("/v1/intents/i-1", intent()), stream(STREAM_OK["hello"]))
    assert ok.returncode == 0 and "GET /v1/intents/{id} (getIntent): 1 (200×1)" in ok.stdout
    assert "hello×1" in ok.stdout
    bad = run(http("/v1/intents/i-1", intent(volumes=[volume(start="tomorrow")])), stream({"type": "x"}))
    assert bad.returncode == 1 and bad.stdout.count("VIOLATION ") == 2


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q", "-p", "no:cacheprovider"]))
