#!/usr/bin/env python3
"""Check recorded HTTP responses and stream messages against the OpenAPI document.

    scripts/contract/validate_exchanges.py docs/openapi.yaml DIR_OR_FILE

DIR_OR_FILE is a JSON-lines file, or a directory whose *.jsonl files are read (the Swift tests
write DIR/exchanges.jsonl when DECONFLICT_CONTRACT_LOG=DIR). One line per exchange:
    {"method":"get","path":"/v1/intents/abc?x=1","status":200,"content_type":"application/json","body":"..."}
    {"stream":true,"body":"<one WebSocket message>"}
A response is matched to its path template (literal segments win over {parameters}), operation,
documented status (exact, 2XX, then default) and media type (parameters such as charset ignored),
and its JSON body is validated with openapi_schema_validator.OAS31Validator and its format checker,
$refs resolved against the whole document. Stream messages are validated against
#/components/schemas/StreamMessage. Non-JSON media types are counted, not validated; 101/204
bodies are skipped. Exit 0: all conform; 1: violations (each printed); 2: no exchanges found.
The document is JSON-compatible YAML (json.load reads it). Needs openapi-schema-validator: when it
is missing, /tmp/venv-contract is made (pip install openapi-schema-validator schemathesis pytest)
and the command re-runs in it.
"""
import glob
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from urllib.parse import quote, urlsplit

VENV = os.environ.get("CONTRACT_VENV", "/tmp/venv-contract")


def ensure_venv():
    """Re-run this very command line in VENV (made on first use) when the packages are missing."""
    try:
        import openapi_schema_validator, referencing, rfc3339_validator  # noqa: F401 (rfc3339: date-time)
        return
    except ImportError:
        pass
    python = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        sys.exit(f"openapi-schema-validator is missing from {VENV}: pip install it there")
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    subprocess.check_call([python, "-m", "pip", "install", "-q",
                           "openapi-schema-validator", "schemathesis", "pytest"])
    os.execv(python, [python] + sys.orig_argv[1:])


ensure_venv()
from openapi_schema_validator import OAS31Validator  # noqa: E402
from referencing import Registry, Resource  # noqa: E402
from referencing.jsonschema import DRAFT202012  # noqa: E402

DOC_URI = "urn:deconflict:openapi"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def pointer(*parts):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def is_json(media):
    return media == "application/json" or media.endswith("+json")


class Contract:
    def __init__(self, doc):
        self.doc = doc
        self.registry = Registry().with_resource(
            DOC_URI, Resource.from_contents(doc, default_specification=DRAFT202012))
        self.validators = {}
        self.templates = []  # (literal-first sort key, regex, template)
        for template in doc.get("paths", {}):
            segs = template.strip("/").split("/")
            regex = "/".join(re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(s)) for s in segs)
            self.templates.append(([("{" in s) for s in segs], re.compile("/?" + regex + "/?"), template))
        self.templates.sort(key=lambda t: t[0])
        self.per_operation = defaultdict(Counter)  # "GET /path (opId)" -> Counter(status)
        self.stream_types = Counter()
        self.skipped = Counter()  # media type or status -> count

    def resolve(self, obj, ptr):
        """Follow local $refs (Reference Objects such as #/components/responses/X)."""
        while isinstance(obj, dict) and "$ref" in obj:
            ptr = obj["$ref"].lstrip("#")
            obj = self.doc
            for part in ptr.strip("/").split("/"):
                obj = obj[part.replace("~1", "/").replace("~0", "~")]
        return obj, ptr

    def validate(self, instance, schema_ptr):
        """Violation strings for instance against the schema at schema_ptr in the document."""
        if schema_ptr not in self.validators:
            ref = {"$ref": DOC_URI + "#" + quote(schema_ptr, safe="/~")}
            self.validators[schema_ptr] = OAS31Validator(
                ref, registry=self.registry, format_checker=OAS31Validator.FORMAT_CHECKER)
        out = []
        for e in self.validators[schema_ptr].iter_errors(instance):
            msg = f"{e.json_path}: {short(e.message)}"
            if e.context:
                leaf = closest(e)
                msg += f" (closest branch: {leaf.json_path}: {short(leaf.message)})"
            out.append(msg)
        return out

    def match_path(self, path):
        for _, regex, template in self.templates:
            if regex.fullmatch(path):
                return template
        return None

    def check(self, ex):
        """Violations (strings) for one exchange; counts it in the summary."""
        if ex.get("stream"):
            return self.check_stream(ex.get("body", ""))
        method, status = str(ex.get("method", "")).lower(), int(ex.get("status", 0))
        path = urlsplit(ex.get("path", "")).path
        where = f"{method.upper()} {ex.get('path')} -> {status}"
        template = self.match_path(path)
        if template is None:
            return [f"{where}: no path template matches {path}"]
        item_ptr = pointer("paths", template)
        item, item_ptr = self.resolve(self.doc["paths"][template], item_ptr)
        if method not in item:
            return [f"{where}: {method.upper()} is not documented for {template}"]
        op = item[method]
        self.per_operation[f"{method.upper()} {template} ({op.get('operationId', '-')})"][status] += 1
        responses = op.get("responses", {})
        code = next((c for c in (str(status), f"{str(status)[0]}XX", "default") if c in responses), None)
        if code is None:
            return [f"{where}: status {status} is not documented (documented: {', '.join(responses)})"]
        response, resp_ptr = self.resolve(responses[code], item_ptr + pointer(method, "responses", code))
        content = response.get("content", {})
        body = ex.get("body") or ""
        if status in (101, 204):
            self.skipped[f"status {status}"] += 1
            return []
        media = (ex.get("content_type") or "").split(";")[0].strip().lower()
        if not media and not body and not content:
            return []
        key = next((k for k in (media, media.split("/")[0] + "/*", "*/*") if k in content), None)
        if key is None:
            return [f"{where}: content type {media or '(none)'!r} is not documented "
                    f"(documented: {', '.join(content) or 'no body'})"]
        if not is_json(media):
            self.skipped[media] += 1
            return []
        try:
            instance = json.loads(body)
        except ValueError as e:
            return [f"{where}: body is not JSON ({e}): {short(body)}"]
        schema = content[key].get("schema")
        if schema is None:
            return []
        return [f"{where}: {v}" for v in self.validate(instance, resp_ptr + pointer("content", key, "schema"))]

    def check_stream(self, body):
        try:
            message = json.loads(body)
        except ValueError as e:
            self.stream_types["(not JSON)"] += 1
            return [f"stream message is not JSON ({e}): {short(body)}"]
        kind = message.get("type") if isinstance(message, dict) else None
        self.stream_types[str(kind)] += 1
        if "StreamMessage" not in self.doc.get("components", {}).get("schemas", {}):
            return ["stream message: the document has no #/components/schemas/StreamMessage"]
        return [f"stream {kind!r} message: {v}"
                for v in self.validate(message, "/components/schemas/StreamMessage")]

    def summary(self):
        lines = ["exchanges checked per operation:"]
        for op, statuses in sorted(self.per_operation.items()):
            detail = ", ".join(f"{s}×{n}" for s, n in sorted(statuses.items()))
            lines.append(f"  {op}: {sum(statuses.values())} ({detail})")
        seen = {op.split(" (")[0] for op in self.per_operation}
        unseen = [f"{m.upper()} {p}" for p, item in self.doc.get("paths", {}).items()
                  for m in item if m in METHODS and f"{m.upper()} {p}" not in seen]
        if unseen:
            lines.append("  not seen: " + ", ".join(unseen))
        lines.append("stream messages per type: " + (", ".join(
            f"{t}×{n}" for t, n in sorted(self.stream_types.items())) or "none"))
        if self.skipped:
            lines.append("not validated (counted): " + ", ".join(f"{k}×{n}" for k, n in sorted(self.skipped.items())))
        return "\n".join(lines)


def closest(error):
    """For a failed oneOf/anyOf: the deepest error of the branch with the fewest errors."""
    branches = defaultdict(list)
    for e in error.context:
        branches[e.relative_schema_path[0]].append(e)
    errors = min(branches.values(), key=lambda es: (len(es), -max(len(e.absolute_path) for e in es)))
    leaf = max(errors, key=lambda e: len(e.absolute_path))
    return closest(leaf) if leaf.context else leaf


def short(text, limit=240):
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


def read_exchanges(target):
    files = sorted(glob.glob(os.path.join(target, "*.jsonl"))) if os.path.isdir(target) else [target]
    for name in files:
        if not os.path.exists(name):
            continue
        with open(name, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    yield f"{os.path.basename(name)}:{n}", line


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    with open(argv[0], encoding="utf-8") as f:
        contract = Contract(json.load(f))
    violations, total = [], 0
    for where, line in read_exchanges(argv[1]):
        total += 1
        try:
            found = contract.check(json.loads(line))
        except (ValueError, TypeError, AttributeError) as e:
            found = [f"unreadable exchange ({e}): {short(line)}"]
        violations += [f"{where}: {v}" for v in found]
    print(contract.summary())
    if total == 0:
        print(f"no exchanges found in {argv[1]}", file=sys.stderr)
        return 2
    for v in violations:
        print("VIOLATION " + v)
    print(f"{total} exchanges, {len(violations)} violations")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
