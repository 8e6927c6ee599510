/// The OpenAPI 3.1 document served at `/openapi.yaml`: a copy of docs/openapi.yaml
/// (a test keeps the two equal and checks real responses against it).
/// Regenerate with `scripts/openapi-swift.sh` after editing docs/openapi.yaml.
enum OpenAPIDocument {
    static let yaml = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Deconflict API",
    "version": "1.0.0",
    "description": "A deconfliction channel between independent air operators. Written in YAML's JSON-compatible flow style so any JSON parser reads it. See docs/server.md."
  },
  "servers": [{"url": "http://127.0.0.1:8080"}],
  "components": {
    "securitySchemes": {
      "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT (EdDSA/Ed25519; claims sub, aud, exp, iat, jti, scope)"}
    },
    "responses": {
      "Problem400": {"description": "Malformed JSON, unknown field, wrong type, out-of-range value, bad query", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
      "Problem401": {"description": "Missing, malformed, expired, revoked or otherwise invalid token", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
      "Problem403": {"description": "The token lacks the scope, or the resource belongs to another party", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
      "Problem404": {"description": "No such resource", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
      "Problem409": {"description": "Conflict with the current state (an aircraft reported first by another party)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
      "Problem413": {"description": "Body or batch too large", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
      "Problem426": {"description": "Not a WebSocket upgrade", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    },
    "schemas": {
      "Problem": {
        "type": "object",
        "required": ["type", "title", "status", "detail"],
        "properties": {
          "type": {"type": "string"},
          "title": {"type": "string"},
          "status": {"type": "integer"},
          "detail": {"type": "string"},
          "aircraft": {"type": "array", "items": {"type": "string"}}
        }
      },
      "TrackReport": {
        "type": "object",
        "additionalProperties": false,
        "required": ["aircraft", "time", "lat", "lon", "alt_ft", "gs_kt", "trk_deg", "vs_fpm"],
        "properties": {
          "aircraft": {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,32}$", "description": "The reporting party's own id; belongs to the party that first reports it"},
          "time": {"type": "number", "description": "Epoch seconds; at most 60 s ahead and 3600 s behind the server clock"},
          "lat": {"type": "number", "minimum": -90, "maximum": 90},
          "lon": {"type": "number", "minimum": -180, "maximum": 180},
          "alt_ft": {"type": "number", "minimum": -2000, "maximum": 100000},
          "gs_kt": {"type": "number", "minimum": 0, "maximum": 2000},
          "trk_deg": {"type": "number", "minimum": 0, "exclusiveMaximum": 360},
          "vs_fpm": {"type": "number", "minimum": -30000, "maximum": 30000}
        }
      },
      "TrackBatch": {
        "type": "object",
        "additionalProperties": false,
        "required": ["reports"],
        "properties": {"reports": {"type": "array", "minItems": 1, "maxItems": 20000, "items": {"$ref": "#/components/schemas/TrackReport"}}}
      },
      "IngestResult": {
        "type": "object",
        "required": ["accepted", "applied", "duplicates"],
        "properties": {
          "accepted": {"type": "integer", "description": "Valid reports in the batch (replays included)"},
          "applied": {"type": "integer", "description": "Reports that changed the live picture"},
          "duplicates": {"type": "integer", "description": "Reports already known for (aircraft, time) or older"}
        }
      },
      "TrafficView": {
        "type": "object",
        "required": ["id", "own", "time", "lat", "lon", "alt_ft", "gs_kt", "trk_deg", "vs_fpm"],
        "additionalProperties": false,
        "properties": {
          "id": {"type": "string", "description": "Own aircraft: its id. Others': a stable opaque id (x-…)"},
          "own": {"type": "boolean"},
          "time": {"type": "number"},
          "lat": {"type": "number"}, "lon": {"type": "number"}, "alt_ft": {"type": "number"},
          "gs_kt": {"type": "number"}, "trk_deg": {"type": "number"}, "vs_fpm": {"type": "number"}
        }
      },
      "Traffic": {
        "type": "object",
        "required": ["aircraft", "vicinity_nm", "vicinity_ft"],
        "properties": {
          "aircraft": {"type": "array", "items": {"$ref": "#/components/schemas/TrafficView"}},
          "vicinity_nm": {"type": "number"},
          "vicinity_ft": {"type": "number"}
        }
      },
      "ConflictView": {
        "type": "object",
        "required": ["own", "intruder", "level", "state", "kind", "tin_s", "tcpa_s", "dcpa_nm", "distance_nm", "vertical_ft", "los", "report_time"],
        "properties": {
          "own": {"type": "string"},
          "intruder": {"type": "string", "description": "Opaque id of the other party's aircraft"},
          "level": {"type": "integer", "minimum": 0, "maximum": 3, "description": "1 preventive, 2 corrective, 3 warning, 0 resolved"},
          "state": {"type": "string", "enum": ["new", "update", "resolved", "active"]},
          "kind": {"type": "string", "enum": ["tactical", "strategic"]},
          "tin_s": {"type": "number"}, "tcpa_s": {"type": "number"}, "dcpa_nm": {"type": "number"},
          "distance_nm": {"type": "number"}, "vertical_ft": {"type": "number"},
          "los": {"type": "boolean"}, "report_time": {"type": "number"}
        }
      },
      "Conflicts": {
        "type": "object",
        "required": ["conflicts"],
        "properties": {"conflicts": {"type": "array", "items": {"$ref": "#/components/schemas/ConflictView"}}}
      },
      "AlertEvent": {
        "type": "object",
        "required": ["type", "cursor", "trigger", "previous_level", "own", "intruder", "level", "state", "tin_s", "los", "report_time"],
        "properties": {
          "type": {"type": "string", "enum": ["alert"]},
          "cursor": {"type": "integer"},
          "previous_level": {"type": "integer"},
          "own": {"type": "string"}, "intruder": {"type": "string"}, "level": {"type": "integer"},
          "state": {"type": "string"}, "tin_s": {"type": "number"}, "los": {"type": "boolean"}, "report_time": {"type": "number"},
          "trigger": {"type": "string", "enum": ["report", "cycle"], "description": "report: raised at once by the report itself; cycle: by the periodic full cycle"}
        }
      },
      "Gap": {
        "type": "object",
        "required": ["from", "to"],
        "properties": {"from": {"type": "integer"}, "to": {"type": "integer"}}
      },
      "Alerts": {
        "type": "object",
        "required": ["alerts", "gap", "next"],
        "properties": {
          "alerts": {"type": "array", "items": {"$ref": "#/components/schemas/AlertEvent"}},
          "gap": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Gap"}], "description": "Set when events after `since` were dropped (log full or restart)"},
          "next": {"type": "integer", "description": "Pass as `since` next time"}
        }
      },
      "Health": {
        "type": "object",
        "required": ["status", "aircraft"],
        "properties": {"status": {"type": "string"}, "aircraft": {"type": "integer"}}
      }
    }
  },
  "paths": {
    "/health": {
      "get": {"summary": "Liveness", "responses": {"200": {"description": "Up", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}}}}
    },
    "/metrics": {
      "get": {"summary": "Prometheus metrics (text exposition format)", "responses": {"200": {"description": "Metrics", "content": {"text/plain": {"schema": {"type": "string"}}}}}}
    },
    "/openapi.yaml": {
      "get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/yaml": {"schema": {"type": "string"}}}}}}
    },
    "/v1/tracks": {
      "post": {
        "summary": "Report the caller's own aircraft (scope tracks.write). A bad batch stores nothing; idempotent per (aircraft, time).",
        "security": [{"bearer": []}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TrackBatch"}}}},
        "responses": {
          "202": {"description": "Accepted", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/IngestResult"}}}},
          "400": {"$ref": "#/components/responses/Problem400"},
          "401": {"$ref": "#/components/responses/Problem401"},
          "403": {"$ref": "#/components/responses/Problem403"},
          "409": {"$ref": "#/components/responses/Problem409"},
          "413": {"$ref": "#/components/responses/Problem413"}
        }
      }
    },
    "/v1/traffic": {
      "get": {
        "summary": "Own aircraft in full; other parties' aircraft within the vicinity of one's own, by opaque id (scope traffic.read)",
        "security": [{"bearer": []}],
        "responses": {
          "200": {"description": "Traffic", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Traffic"}}}},
          "401": {"$ref": "#/components/responses/Problem401"},
          "403": {"$ref": "#/components/responses/Problem403"}
        }
      }
    },
    "/v1/conflicts": {
      "get": {
        "summary": "Cross-party conflicts in force that involve the caller (scope traffic.read)",
        "security": [{"bearer": []}],
        "responses": {
          "200": {"description": "Conflicts", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Conflicts"}}}},
          "401": {"$ref": "#/components/responses/Problem401"},
          "403": {"$ref": "#/components/responses/Problem403"}
        }
      }
    },
    "/v1/alerts": {
      "get": {
        "summary": "Alert events after a cursor (scope traffic.read)",
        "security": [{"bearer": []}],
        "parameters": [
          {"name": "since", "in": "query", "schema": {"type": "integer", "minimum": 0}},
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10000}}
        ],
        "responses": {
          "200": {"description": "Alerts", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Alerts"}}}},
          "400": {"$ref": "#/components/responses/Problem400"},
          "401": {"$ref": "#/components/responses/Problem401"}
        }
      }
    },
    "/v1/stream": {
      "get": {
        "summary": "WebSocket of events (hello, gap, alert, conflict, track), each with a cursor; resume with ?since=CURSOR (scope traffic.read)",
        "security": [{"bearer": []}],
        "parameters": [
          {"name": "since", "in": "query", "schema": {"type": "integer", "minimum": 0}},
          {"name": "access_token", "in": "query", "schema": {"type": "string"}, "description": "For browsers, which cannot set Authorization on a WebSocket"}
        ],
        "responses": {
          "101": {"description": "Switching to WebSocket"},
          "401": {"$ref": "#/components/responses/Problem401"},
          "403": {"$ref": "#/components/responses/Problem403"},
          "426": {"$ref": "#/components/responses/Problem426"}
        }
      }
    }
  }
}
"""#
}
