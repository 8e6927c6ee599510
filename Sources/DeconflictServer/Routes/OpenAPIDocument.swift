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
  "servers": [
    {
      "url": "http://127.0.0.1:8080"
    }
  ],
  "components": {
    "securitySchemes": {
      "bearer": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT (EdDSA/Ed25519; claims sub, aud, exp, iat, jti, scope)"
      }
    },
    "responses": {
      "Problem400": {
        "description": "Malformed JSON, unknown field, wrong type, out-of-range value, bad query",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Problem401": {
        "description": "Missing, malformed, expired, revoked or otherwise invalid token",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Problem403": {
        "description": "The token lacks the scope, or the resource belongs to another party",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Problem404": {
        "description": "No such resource",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Problem409": {
        "description": "Conflict with the current state: an aircraft reported first by another party; an intent whose key lacks OVNs (`missing`), a stale OVN (`ovn`: the current one), an existing id, or a priority / activated-only-reduce refusal (`conflicting`)",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Problem413": {
        "description": "Body or batch too large",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Problem426": {
        "description": "Not a WebSocket upgrade",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Problem503": {
        "description": "A dependency (the intent store or the ledger) is unavailable: retry later",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "LedgerHashTile": {
        "description": "Hashes, 32 bytes each; full tiles are immutable",
        "content": {
          "application/octet-stream": {
            "schema": {
              "type": "string",
              "format": "binary"
            }
          }
        }
      },
      "LedgerEntryBundle": {
        "description": "An entry bundle: uint16 big-endian length ‖ entry, per entry; full tiles are immutable",
        "content": {
          "application/octet-stream": {
            "schema": {
              "type": "string",
              "format": "binary"
            }
          }
        }
      }
    },
    "schemas": {
      "Problem": {
        "type": "object",
        "required": [
          "type",
          "title",
          "status",
          "detail"
        ],
        "properties": {
          "type": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "status": {
            "type": "integer"
          },
          "detail": {
            "type": "string"
          },
          "aircraft": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "missing": {
            "type": "array",
            "description": "409 missing-keys: the current intents of other parties that overlap the proposal and whose OVNs the key lacks",
            "items": {
              "$ref": "#/components/schemas/IntentKey"
            }
          },
          "ovn": {
            "type": "string",
            "description": "409 ovn-mismatch (owner only): the intent's current OVN"
          },
          "conflicting": {
            "type": "array",
            "description": "409 priority-conflict / conflict-not-reduced: the other intents",
            "items": {
              "$ref": "#/components/schemas/IntentRef"
            }
          }
        }
      },
      "IntentKey": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "ovn"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "ovn": {
            "type": "string"
          }
        }
      },
      "IntentRef": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "priority",
          "state"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "priority": {
            "type": "integer"
          },
          "state": {
            "$ref": "#/components/schemas/IntentState"
          }
        }
      },
      "IntentState": {
        "type": "string",
        "enum": [
          "accepted",
          "activated",
          "nonconforming",
          "contingent",
          "ended"
        ]
      },
      "Position": {
        "type": "array",
        "minItems": 2,
        "maxItems": 2,
        "items": {
          "type": "number"
        },
        "description": "[longitude, latitude], degrees (GeoJSON order)"
      },
      "Circle": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "type",
          "center",
          "radius_m"
        ],
        "properties": {
          "type": {
            "type": "string",
            "enum": [
              "circle"
            ]
          },
          "center": {
            "$ref": "#/components/schemas/Position"
          },
          "radius_m": {
            "type": "number",
            "minimum": 1,
            "maximum": 28209,
            "description": "Great-circle radius, metres"
          }
        }
      },
      "Polygon": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "type",
          "coordinates"
        ],
        "properties": {
          "type": {
            "type": "string",
            "enum": [
              "polygon"
            ]
          },
          "coordinates": {
            "type": "array",
            "minItems": 3,
            "maxItems": 1001,
            "items": {
              "$ref": "#/components/schemas/Position"
            },
            "description": "One simple ring, open or closed, 3…1000 vertices; edges are great-circle arcs; area ≤ 2,500 km², every vertex within 100 km of the centre"
          }
        }
      },
      "Volume": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "outline",
          "alt_lower_ft",
          "alt_upper_ft",
          "start",
          "end"
        ],
        "properties": {
          "outline": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/Circle"
              },
              {
                "$ref": "#/components/schemas/Polygon"
              }
            ]
          },
          "alt_lower_ft": {
            "type": "number",
            "minimum": -1640.419948,
            "maximum": 98425.19685,
            "description": "Pressure altitude (ISA, 1013.25 hPa), feet (−500 m … 30,000 m), kept to 1e-6 ft"
          },
          "alt_upper_ft": {
            "type": "number",
            "minimum": -1640.419948,
            "maximum": 98425.19685,
            "description": "Pressure altitude, feet, above alt_lower_ft"
          },
          "start": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339 with a time zone; kept to the millisecond"
          },
          "end": {
            "type": "string",
            "format": "date-time",
            "description": "After start"
          }
        }
      },
      "IntentPut": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "state",
          "volumes"
        ],
        "properties": {
          "state": {
            "$ref": "#/components/schemas/IntentState"
          },
          "priority": {
            "type": "integer",
            "minimum": -1000000,
            "maximum": 1000000,
            "description": "Higher wins; default 0"
          },
          "volumes": {
            "type": "array",
            "minItems": 1,
            "maxItems": 100,
            "items": {
              "$ref": "#/components/schemas/Volume"
            }
          },
          "key": {
            "type": "array",
            "maxItems": 1000,
            "items": {
              "type": "string",
              "minLength": 1,
              "maxLength": 128
            },
            "description": "OVNs of the other parties' current intents that overlap the new volumes (the 409 `missing` list names them)"
          },
          "ovn": {
            "type": "string",
            "description": "The intent's current OVN: present to update, absent to create",
            "minLength": 1,
            "maxLength": 128
          }
        }
      },
      "Intent": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "own",
          "ovn",
          "state",
          "priority",
          "volumes"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "own": {
            "type": "boolean",
            "description": "The caller's own intent"
          },
          "owner": {
            "type": "string",
            "description": "Own intents only"
          },
          "version": {
            "type": "integer",
            "description": "Own intents only: 1 on creation, +1 per update",
            "minimum": 1
          },
          "ovn": {
            "type": "string",
            "description": "Opaque version number, new on every change; needed in others' keys and to update/delete"
          },
          "state": {
            "$ref": "#/components/schemas/IntentState"
          },
          "priority": {
            "type": "integer"
          },
          "volumes": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Volume"
            }
          }
        }
      },
      "Overlap": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "volume",
          "other_volume",
          "start",
          "end",
          "alt_lower_ft",
          "alt_upper_ft"
        ],
        "properties": {
          "volume": {
            "type": "integer",
            "description": "Index in the subject intent's volumes"
          },
          "other_volume": {
            "type": "integer",
            "description": "Index in the other intent's volumes"
          },
          "start": {
            "type": "string",
            "format": "date-time"
          },
          "end": {
            "type": "string",
            "format": "date-time"
          },
          "alt_lower_ft": {
            "type": "number",
            "description": "Pressure altitude (ISA), feet"
          },
          "alt_upper_ft": {
            "type": "number",
            "description": "Pressure altitude (ISA), feet"
          }
        }
      },
      "IntentConflict": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "state",
          "priority",
          "pairs"
        ],
        "properties": {
          "id": {
            "type": "string",
            "description": "The other party's intent (never its owner)"
          },
          "state": {
            "$ref": "#/components/schemas/IntentState"
          },
          "priority": {
            "type": "integer"
          },
          "pairs": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Overlap"
            }
          }
        }
      },
      "IntentWritten": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "own",
          "owner",
          "version",
          "ovn",
          "state",
          "priority",
          "volumes",
          "conflicts",
          "receipt"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "own": {
            "type": "boolean"
          },
          "owner": {
            "type": "string"
          },
          "version": {
            "type": "integer"
          },
          "ovn": {
            "type": "string"
          },
          "state": {
            "$ref": "#/components/schemas/IntentState"
          },
          "priority": {
            "type": "integer"
          },
          "volumes": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Volume"
            }
          },
          "conflicts": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/IntentConflict"
            },
            "description": "Conflicts the rules allowed it to keep (lower or equal priority, or pre-existing and reduced)"
          },
          "receipt": {
            "$ref": "#/components/schemas/Receipt"
          }
        }
      },
      "IntentList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "intents",
          "truncated"
        ],
        "properties": {
          "intents": {
            "type": "array",
            "maxItems": 1000,
            "items": {
              "$ref": "#/components/schemas/Intent"
            }
          },
          "truncated": {
            "type": "boolean",
            "description": "More than 1,000 matched (sorted by id; narrow the query)"
          }
        }
      },
      "IntentEvent": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "type",
          "cursor",
          "change",
          "intent",
          "conflicts"
        ],
        "description": "Stream message: an intent was created, updated or deleted. Sent to its owner and to every party whose current intents conflict with it (or did with its previous version).",
        "properties": {
          "type": {
            "type": "string",
            "enum": [
              "intent"
            ]
          },
          "cursor": {
            "type": "integer",
            "minimum": 0
          },
          "change": {
            "type": "string",
            "enum": [
              "created",
              "updated",
              "deleted"
            ]
          },
          "intent": {
            "$ref": "#/components/schemas/Intent"
          },
          "conflicts": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/IntentConflict"
            },
            "description": "Owner: all its conflicts. Others: those with the receiver's own intents (empty: none left). Empty for deleted."
          }
        }
      },
      "TrackReport": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "aircraft",
          "time",
          "lat",
          "lon",
          "alt_ft",
          "gs_kt",
          "trk_deg",
          "vs_fpm"
        ],
        "properties": {
          "aircraft": {
            "type": "string",
            "pattern": "^[A-Za-z0-9._-]{1,32}$",
            "description": "The reporting party's own id; belongs to the party that first reports it"
          },
          "time": {
            "type": "number",
            "description": "Epoch seconds; at most 60 s ahead and 3600 s behind the server clock"
          },
          "lat": {
            "type": "number",
            "minimum": -90,
            "maximum": 90
          },
          "lon": {
            "type": "number",
            "minimum": -180,
            "maximum": 180
          },
          "alt_ft": {
            "type": "number",
            "minimum": -2000,
            "maximum": 100000,
            "description": "Pressure altitude (barometric, ISA 1013.25 hPa), feet"
          },
          "gs_kt": {
            "type": "number",
            "minimum": 0,
            "maximum": 2000
          },
          "trk_deg": {
            "type": "number",
            "minimum": 0,
            "exclusiveMaximum": 360
          },
          "vs_fpm": {
            "type": "number",
            "minimum": -30000,
            "maximum": 30000
          }
        }
      },
      "TrackBatch": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "reports"
        ],
        "properties": {
          "reports": {
            "type": "array",
            "minItems": 1,
            "maxItems": 20000,
            "items": {
              "$ref": "#/components/schemas/TrackReport"
            }
          }
        }
      },
      "IngestResult": {
        "type": "object",
        "required": [
          "accepted",
          "applied",
          "duplicates",
          "receipt"
        ],
        "properties": {
          "accepted": {
            "type": "integer",
            "description": "Valid reports in the batch (replays included)"
          },
          "applied": {
            "type": "integer",
            "description": "Reports that changed the live picture"
          },
          "duplicates": {
            "type": "integer",
            "description": "Reports already known for (aircraft, time) or older"
          },
          "receipt": {
            "$ref": "#/components/schemas/Receipt"
          }
        },
        "additionalProperties": false
      },
      "TrafficView": {
        "type": "object",
        "required": [
          "id",
          "own",
          "time",
          "lat",
          "lon",
          "alt_ft",
          "gs_kt",
          "trk_deg",
          "vs_fpm"
        ],
        "additionalProperties": false,
        "properties": {
          "id": {
            "type": "string",
            "description": "Own aircraft: its id. Others': a stable opaque id (x-…)"
          },
          "own": {
            "type": "boolean"
          },
          "time": {
            "type": "number"
          },
          "lat": {
            "type": "number"
          },
          "lon": {
            "type": "number"
          },
          "alt_ft": {
            "type": "number",
            "description": "Pressure altitude (barometric, ISA 1013.25 hPa), feet"
          },
          "gs_kt": {
            "type": "number"
          },
          "trk_deg": {
            "type": "number"
          },
          "vs_fpm": {
            "type": "number"
          }
        }
      },
      "Traffic": {
        "type": "object",
        "required": [
          "aircraft",
          "vicinity_nm",
          "vicinity_ft"
        ],
        "properties": {
          "aircraft": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/TrafficView"
            }
          },
          "vicinity_nm": {
            "type": "number"
          },
          "vicinity_ft": {
            "type": "number"
          }
        },
        "additionalProperties": false
      },
      "ConflictView": {
        "type": "object",
        "required": [
          "own",
          "intruder",
          "level",
          "state",
          "kind",
          "tin_s",
          "tcpa_s",
          "dcpa_nm",
          "distance_nm",
          "vertical_ft",
          "los",
          "report_time"
        ],
        "properties": {
          "own": {
            "type": "string"
          },
          "intruder": {
            "type": "string",
            "description": "Opaque id of the other party's aircraft"
          },
          "level": {
            "type": "integer",
            "minimum": 0,
            "maximum": 3,
            "description": "DO-365 level (Phase I by default): 1 preventive, 2 corrective, 3 warning; 0 a conflict with no level yet, or resolved"
          },
          "time_to_violation_s": {
            "type": "number",
            "description": "Seconds to the violation of the level's protected volume (DO-365 well clear) at the last assessment; absent at level 0"
          },
          "state": {
            "type": "string",
            "enum": [
              "new",
              "update",
              "resolved",
              "active"
            ]
          },
          "kind": {
            "type": "string",
            "enum": [
              "tactical",
              "strategic"
            ]
          },
          "tin_s": {
            "type": "number"
          },
          "tcpa_s": {
            "type": "number"
          },
          "dcpa_nm": {
            "type": "number"
          },
          "distance_nm": {
            "type": "number"
          },
          "vertical_ft": {
            "type": "number"
          },
          "los": {
            "type": "boolean"
          },
          "report_time": {
            "type": "number"
          }
        }
      },
      "StrategicConflictView": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "kind",
          "state",
          "own",
          "priority",
          "intruder",
          "intruder_priority",
          "intruder_state",
          "pairs"
        ],
        "properties": {
          "kind": {
            "type": "string",
            "enum": [
              "strategic"
            ]
          },
          "state": {
            "type": "string",
            "enum": [
              "active"
            ]
          },
          "own": {
            "type": "string",
            "description": "The caller's intent"
          },
          "priority": {
            "type": "integer"
          },
          "intruder": {
            "type": "string",
            "description": "The other party's intent id"
          },
          "intruder_priority": {
            "type": "integer"
          },
          "intruder_state": {
            "$ref": "#/components/schemas/IntentState"
          },
          "pairs": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Overlap"
            },
            "description": "Overlapping volume pairs not yet over"
          }
        }
      },
      "Conflicts": {
        "type": "object",
        "required": [
          "conflicts"
        ],
        "properties": {
          "conflicts": {
            "type": "array",
            "items": {
              "oneOf": [
                {
                  "$ref": "#/components/schemas/ConflictView"
                },
                {
                  "$ref": "#/components/schemas/StrategicConflictView"
                }
              ]
            },
            "description": "Tactical (aircraft, kind tactical) first, then strategic (intents, kind strategic; with scope intents.read)"
          },
          "strategic_truncated": {
            "type": "boolean",
            "description": "Only the caller's 100 soonest-ending current intents were examined"
          }
        },
        "additionalProperties": false
      },
      "AlertEvent": {
        "type": "object",
        "required": [
          "type",
          "cursor",
          "trigger",
          "previous_level",
          "own",
          "intruder",
          "level",
          "state",
          "tin_s",
          "los",
          "report_time"
        ],
        "properties": {
          "type": {
            "type": "string",
            "enum": [
              "alert"
            ]
          },
          "cursor": {
            "type": "integer",
            "minimum": 0
          },
          "previous_level": {
            "type": "integer"
          },
          "own": {
            "type": "string"
          },
          "intruder": {
            "type": "string"
          },
          "level": {
            "type": "integer",
            "minimum": 0,
            "maximum": 3
          },
          "state": {
            "type": "string",
            "enum": [
              "new",
              "update",
              "resolved"
            ]
          },
          "tin_s": {
            "type": "number"
          },
          "los": {
            "type": "boolean"
          },
          "report_time": {
            "type": "number"
          },
          "time_to_violation_s": {
            "type": "number"
          },
          "trigger": {
            "type": "string",
            "enum": [
              "report",
              "cycle"
            ],
            "description": "report: raised at once by the report itself; cycle: by the periodic full cycle"
          }
        }
      },
      "Gap": {
        "type": "object",
        "required": [
          "from",
          "to"
        ],
        "properties": {
          "from": {
            "type": "integer"
          },
          "to": {
            "type": "integer"
          }
        }
      },
      "Alerts": {
        "type": "object",
        "required": [
          "alerts",
          "gap",
          "next"
        ],
        "properties": {
          "alerts": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/AlertEvent"
            }
          },
          "gap": {
            "oneOf": [
              {
                "type": "null"
              },
              {
                "$ref": "#/components/schemas/Gap"
              }
            ],
            "description": "Set when events after `since` were dropped (log full or restart)"
          },
          "next": {
            "type": "integer",
            "description": "Pass as `since` next time"
          }
        },
        "additionalProperties": false
      },
      "Health": {
        "type": "object",
        "required": [
          "status",
          "aircraft"
        ],
        "properties": {
          "status": {
            "type": "string"
          },
          "aircraft": {
            "type": "integer"
          }
        },
        "additionalProperties": false
      },
      "HelloEvent": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "type",
          "cursor",
          "party"
        ],
        "description": "Stream message: the first one on every connection; `cursor` is where this stream starts.",
        "properties": {
          "type": {
            "type": "string",
            "enum": [
              "hello"
            ]
          },
          "cursor": {
            "type": "integer",
            "minimum": 0
          },
          "party": {
            "type": "string"
          }
        }
      },
      "GapEvent": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "type",
          "cursor",
          "from",
          "to",
          "detail"
        ],
        "description": "Stream message: events after `from` up to `to` are no longer kept; re-read GET /v1/conflicts and continue.",
        "properties": {
          "type": {
            "type": "string",
            "enum": [
              "gap"
            ]
          },
          "cursor": {
            "type": "integer",
            "minimum": 0
          },
          "from": {
            "type": "integer",
            "minimum": 0
          },
          "to": {
            "type": "integer",
            "minimum": 0
          },
          "detail": {
            "type": "string"
          }
        }
      },
      "ConflictEvent": {
        "description": "Stream message: a tactical conflict opened (`new`), changed level (`update`) or was resolved, from the receiver's side.",
        "allOf": [
          {
            "$ref": "#/components/schemas/ConflictView"
          },
          {
            "type": "object",
            "required": [
              "type",
              "cursor",
              "trigger"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "conflict"
                ]
              },
              "cursor": {
                "type": "integer",
                "minimum": 0
              },
              "trigger": {
                "type": "string",
                "enum": [
                  "report",
                  "cycle"
                ]
              }
            }
          }
        ]
      },
      "TrackEvent": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "type",
          "cursor",
          "tracks"
        ],
        "description": "Stream message (not resumable): every cycle, the other parties' aircraft in the receiver's vicinity, by opaque id.",
        "properties": {
          "type": {
            "type": "string",
            "enum": [
              "track"
            ]
          },
          "cursor": {
            "type": "integer",
            "minimum": 0
          },
          "tracks": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/TrafficView"
            }
          }
        }
      },
      "StreamMessage": {
        "description": "Every message of GET /v1/stream (WebSocket text frames, one JSON object each).",
        "oneOf": [
          {
            "$ref": "#/components/schemas/HelloEvent"
          },
          {
            "$ref": "#/components/schemas/GapEvent"
          },
          {
            "$ref": "#/components/schemas/ConflictEvent"
          },
          {
            "$ref": "#/components/schemas/AlertEvent"
          },
          {
            "$ref": "#/components/schemas/TrackEvent"
          },
          {
            "$ref": "#/components/schemas/IntentEvent"
          }
        ]
      },
      "JWKSet": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "keys"
        ],
        "description": "RFC 7517 JWK Set: the Ed25519 key (RFC 8037) that signs the service's tokens; kid is its RFC 7638 thumbprint",
        "properties": {
          "keys": {
            "type": "array",
            "minItems": 1,
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "kty",
                "crv",
                "x",
                "use",
                "alg",
                "kid"
              ],
              "properties": {
                "kty": {
                  "type": "string",
                  "enum": [
                    "OKP"
                  ]
                },
                "crv": {
                  "type": "string",
                  "enum": [
                    "Ed25519"
                  ]
                },
                "x": {
                  "type": "string",
                  "pattern": "^[A-Za-z0-9_-]{43}$"
                },
                "use": {
                  "type": "string",
                  "enum": [
                    "sig"
                  ]
                },
                "alg": {
                  "type": "string",
                  "enum": [
                    "EdDSA"
                  ]
                },
                "kid": {
                  "type": "string",
                  "pattern": "^[A-Za-z0-9_-]{43}$"
                }
              }
            }
          }
        }
      },
      "IntentFeature": {
        "type": "object",
        "description": "One single-volume intent as a GeoJSON Feature (RFC 7946), the shape `deconflict intents check` reads (docs/strategic.md): a Polygon (one ring) or a Point with properties.radius_m; altitudes are pressure altitudes. As a PUT body, `party` (if given) must be the caller and `id` (if given) the path's; `state` defaults to accepted; `key` and `ovn` as in IntentPut. Other properties are ignored, as GeoJSON allows.",
        "required": [
          "type",
          "geometry",
          "properties"
        ],
        "properties": {
          "type": {
            "const": "Feature"
          },
          "id": {
            "$ref": "#/components/schemas/FeatureID"
          },
          "geometry": {
            "oneOf": [
              {
                "type": "object",
                "required": [
                  "type",
                  "coordinates"
                ],
                "properties": {
                  "type": {
                    "const": "Polygon"
                  },
                  "coordinates": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1,
                    "items": {
                      "type": "array",
                      "minItems": 3,
                      "maxItems": 1001,
                      "items": {
                        "type": "array",
                        "minItems": 2,
                        "maxItems": 3,
                        "items": {
                          "type": "number"
                        }
                      }
                    }
                  }
                }
              },
              {
                "type": "object",
                "required": [
                  "type",
                  "coordinates"
                ],
                "properties": {
                  "type": {
                    "const": "Point"
                  },
                  "coordinates": {
                    "type": "array",
                    "minItems": 2,
                    "maxItems": 3,
                    "items": {
                      "type": "number"
                    }
                  }
                }
              }
            ]
          },
          "properties": {
            "type": "object",
            "required": [
              "start",
              "end"
            ],
            "properties": {
              "party": {
                "type": "string",
                "minLength": 1,
                "maxLength": 128
              },
              "id": {
                "$ref": "#/components/schemas/FeatureID"
              },
              "priority": {
                "type": "integer",
                "minimum": -1000000,
                "maximum": 1000000
              },
              "start": {
                "oneOf": [
                  {
                    "type": "string",
                    "format": "date-time"
                  },
                  {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 8520000000
                  }
                ]
              },
              "end": {
                "oneOf": [
                  {
                    "type": "string",
                    "format": "date-time"
                  },
                  {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 8520000000
                  }
                ]
              },
              "alt_lower_ft": {
                "type": "number",
                "minimum": -1640.419948,
                "maximum": 98425.19685,
                "description": "Pressure altitude, feet"
              },
              "alt_upper_ft": {
                "type": "number",
                "minimum": -1640.419948,
                "maximum": 98425.19685,
                "description": "Pressure altitude, feet"
              },
              "alt_lower_m": {
                "type": "number",
                "minimum": -500,
                "maximum": 30000,
                "description": "Pressure altitude, metres"
              },
              "alt_upper_m": {
                "type": "number",
                "minimum": -500,
                "maximum": 30000,
                "description": "Pressure altitude, metres"
              },
              "radius_m": {
                "type": "number",
                "exclusiveMinimum": 0,
                "maximum": 200000,
                "description": "A Point's radius"
              },
              "state": {
                "$ref": "#/components/schemas/IntentState"
              },
              "key": {
                "type": "array",
                "maxItems": 1000,
                "items": {
                  "type": "string",
                  "minLength": 1,
                  "maxLength": 128
                }
              },
              "ovn": {
                "type": "string",
                "minLength": 1,
                "maxLength": 128
              },
              "version": {
                "type": "integer",
                "description": "Own intents only (GET)"
              },
              "volume": {
                "type": "integer",
                "minimum": 0,
                "description": "GET of a multi-volume intent: the volume's index"
              }
            },
            "allOf": [
              {
                "anyOf": [
                  {
                    "required": [
                      "alt_lower_ft"
                    ]
                  },
                  {
                    "required": [
                      "alt_lower_m"
                    ]
                  }
                ]
              },
              {
                "anyOf": [
                  {
                    "required": [
                      "alt_upper_ft"
                    ]
                  },
                  {
                    "required": [
                      "alt_upper_m"
                    ]
                  }
                ]
              }
            ]
          }
        }
      },
      "IntentGeoJSON": {
        "description": "GET as GeoJSON: a Feature for a one-volume intent (a valid PUT body again), a FeatureCollection of one Feature per volume otherwise",
        "oneOf": [
          {
            "$ref": "#/components/schemas/IntentFeature"
          },
          {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "type",
              "features"
            ],
            "properties": {
              "type": {
                "const": "FeatureCollection"
              },
              "features": {
                "type": "array",
                "minItems": 2,
                "items": {
                  "$ref": "#/components/schemas/IntentFeature"
                }
              }
            }
          }
        ]
      },
      "F3548Volume4D": {
        "description": "ASTM F3548-21 Volume4D (InterUSS): exactly one of outline_polygon, outline_circle",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "volume",
          "time_start",
          "time_end"
        ],
        "properties": {
          "volume": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "altitude_lower",
              "altitude_upper"
            ],
            "properties": {
              "outline_polygon": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "vertices"
                ],
                "properties": {
                  "vertices": {
                    "type": "array",
                    "minItems": 3,
                    "maxItems": 1001,
                    "items": {
                      "$ref": "#/components/schemas/F3548LatLng"
                    }
                  }
                }
              },
              "outline_circle": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "center",
                  "radius"
                ],
                "properties": {
                  "center": {
                    "$ref": "#/components/schemas/F3548LatLng"
                  },
                  "radius": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "value",
                      "units"
                    ],
                    "properties": {
                      "value": {
                        "type": "number",
                        "exclusiveMinimum": 0,
                        "maximum": 200000
                      },
                      "units": {
                        "const": "M"
                      }
                    }
                  }
                }
              },
              "altitude_lower": {
                "$ref": "#/components/schemas/F3548Height"
              },
              "altitude_upper": {
                "$ref": "#/components/schemas/F3548Height"
              }
            },
            "oneOf": [
              {
                "required": [
                  "outline_polygon"
                ]
              },
              {
                "required": [
                  "outline_circle"
                ]
              }
            ]
          },
          "time_start": {
            "$ref": "#/components/schemas/F3548Time"
          },
          "time_end": {
            "$ref": "#/components/schemas/F3548Time"
          }
        }
      },
      "F3548IntentPut": {
        "description": "ASTM F3548 PutOperationalIntentReferenceParameters, the members this service uses (uss_base_url accepted and ignored: it calls no USS), plus this API's priority and ovn",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "extents",
          "state"
        ],
        "properties": {
          "extents": {
            "type": "array",
            "minItems": 1,
            "maxItems": 100,
            "items": {
              "$ref": "#/components/schemas/F3548Volume4D"
            }
          },
          "state": {
            "enum": [
              "Accepted",
              "Activated",
              "Nonconforming",
              "Contingent"
            ]
          },
          "key": {
            "type": "array",
            "maxItems": 1000,
            "items": {
              "type": "string",
              "minLength": 1,
              "maxLength": 128
            },
            "description": "OVNs of the other parties' current intents that overlap the new volumes (the 409 `missing` list names them)"
          },
          "uss_base_url": {
            "type": "string"
          },
          "priority": {
            "type": "integer",
            "minimum": -1000000,
            "maximum": 1000000,
            "description": "Higher wins; default 0"
          },
          "ovn": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128
          }
        }
      },
      "F3548OperationalIntent": {
        "description": "GET ?format=f3548: F3548's operational intent (reference and details); manager and version to the owner only",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "operational_intent"
        ],
        "properties": {
          "operational_intent": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "reference",
              "details"
            ],
            "properties": {
              "reference": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "id",
                  "ovn",
                  "state",
                  "time_start",
                  "time_end"
                ],
                "properties": {
                  "id": {
                    "type": "string"
                  },
                  "ovn": {
                    "type": "string"
                  },
                  "state": {
                    "enum": [
                      "Accepted",
                      "Activated",
                      "Nonconforming",
                      "Contingent",
                      "Ended"
                    ]
                  },
                  "time_start": {
                    "$ref": "#/components/schemas/F3548Time"
                  },
                  "time_end": {
                    "$ref": "#/components/schemas/F3548Time"
                  },
                  "manager": {
                    "type": "string"
                  },
                  "version": {
                    "type": "integer"
                  }
                }
              },
              "details": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "volumes",
                  "priority"
                ],
                "properties": {
                  "volumes": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/F3548Volume4D"
                    }
                  },
                  "priority": {
                    "type": "integer"
                  }
                }
              }
            }
          }
        }
      },
      "F3548LatLng": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "lat",
          "lng"
        ],
        "properties": {
          "lat": {
            "type": "number",
            "minimum": -90,
            "maximum": 90
          },
          "lng": {
            "type": "number",
            "minimum": -180,
            "maximum": 180
          }
        }
      },
      "F3548Height": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "value",
          "reference",
          "units"
        ],
        "properties": {
          "value": {
            "type": "number"
          },
          "reference": {
            "const": "W84"
          },
          "units": {
            "const": "M"
          }
        },
        "description": "Height above the WGS-84 ellipsoid, metres; converted to the pressure altitude intents are kept in with the deployment's `serve --w84-offset-m` (W84 = pressure + offset; default 0)"
      },
      "F3548Time": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "value",
          "format"
        ],
        "properties": {
          "value": {
            "type": "string",
            "format": "date-time"
          },
          "format": {
            "const": "RFC3339"
          }
        }
      },
      "FeatureID": {
        "oneOf": [
          {
            "type": "string",
            "minLength": 1,
            "maxLength": 128
          },
          {
            "type": "integer"
          }
        ]
      },
      "Receipt": {
        "type": "object",
        "additionalProperties": false,
        "description": "A ledger receipt (docs/ledger.md): the entry, its index, the signed checkpoint (c2sp.org/tlog-checkpoint note) that first held it, and the RFC 6962 inclusion proof in that checkpoint, leaf sibling first. tlog_proof is the same as c2sp.org/tlog-proof@v1 text.",
        "required": [
          "index",
          "entry_b64",
          "checkpoint",
          "proof",
          "tlog_proof"
        ],
        "properties": {
          "index": {
            "type": "integer",
            "minimum": 0
          },
          "entry_b64": {
            "type": "string",
            "contentEncoding": "base64",
            "description": "The canonical entry (deconflict.entry/v1), base64"
          },
          "checkpoint": {
            "type": "string",
            "description": "The signed checkpoint note, verbatim"
          },
          "proof": {
            "type": "array",
            "items": {
              "type": "string",
              "contentEncoding": "base64",
              "minLength": 44,
              "maxLength": 44
            },
            "maxItems": 64
          },
          "tlog_proof": {
            "type": "string",
            "pattern": "^c2sp\\.org/tlog-proof@v1\\n"
          }
        }
      },
      "LedgerEntry": {
        "type": "object",
        "additionalProperties": false,
        "description": "One ledger entry with its full event and the salt of its commitment: SHA-256(\"deconflict.event/v1\\n\" ‖ salt ‖ event) is the entry's commitment line. Only for the parties the entry concerns.",
        "required": [
          "index",
          "kind",
          "entry_b64",
          "event_b64",
          "salt_b64",
          "receipt"
        ],
        "properties": {
          "index": {
            "type": "integer",
            "minimum": 0
          },
          "kind": {
            "type": "string"
          },
          "entry_b64": {
            "type": "string",
            "contentEncoding": "base64"
          },
          "event_b64": {
            "type": "string",
            "contentEncoding": "base64"
          },
          "salt_b64": {
            "type": "string",
            "contentEncoding": "base64"
          },
          "receipt": {
            "$ref": "#/components/schemas/Receipt"
          }
        }
      }
    },
    "parameters": {
      "TileLevel": {
        "name": "level",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "pattern": "^(0|[1-9][0-9]?)$"
        },
        "description": "Tile level 0–63"
      },
      "TileIndex": {
        "name": "n",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "pattern": "^[0-9]{3}$"
        },
        "description": "Tile index, 3 digits (indices ≥ 1000 take more path elements: x001/234, as c2sp.org/tlog-tiles says; served at the same prefix)"
      },
      "TileWidth": {
        "name": "width",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "pattern": "^[1-9][0-9]{0,2}$"
        },
        "description": "Width of a partial tile, 1–255"
      }
    }
  },
  "paths": {
    "/health": {
      "get": {
        "summary": "Liveness",
        "responses": {
          "200": {
            "description": "Up",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            }
          }
        },
        "operationId": "getHealth"
      }
    },
    "/metrics": {
      "get": {
        "summary": "Prometheus metrics (text exposition format)",
        "responses": {
          "200": {
            "description": "Metrics",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          }
        },
        "operationId": "getMetrics"
      }
    },
    "/openapi.yaml": {
      "get": {
        "summary": "This document",
        "responses": {
          "200": {
            "description": "OpenAPI 3.1",
            "content": {
              "application/yaml": {
                "schema": {}
              }
            }
          }
        },
        "operationId": "getOpenAPIYAML"
      }
    },
    "/v1/tracks": {
      "post": {
        "summary": "Report the caller's own aircraft (scope tracks.write). A bad batch stores nothing; idempotent per (aircraft, time).",
        "security": [
          {
            "bearer": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/TrackBatch"
              }
            }
          }
        },
        "responses": {
          "202": {
            "description": "Accepted",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/IngestResult"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem400"
          },
          "401": {
            "$ref": "#/components/responses/Problem401"
          },
          "403": {
            "$ref": "#/components/responses/Problem403"
          },
          "409": {
            "$ref": "#/components/responses/Problem409"
          },
          "413": {
            "$ref": "#/components/responses/Problem413"
          },
          "503": {
            "$ref": "#/components/responses/Problem503"
          }
        },
        "operationId": "postTracks"
      }
    },
    "/v1/traffic": {
      "get": {
        "summary": "Own aircraft in full; other parties' aircraft within the vicinity of one's own, by opaque id (scope traffic.read)",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "bbox",
            "in": "query",
            "required": false,
            "description": "Only aircraft inside this viewport: west,south,east,north in degrees (west > east crosses the antimeridian)",
            "schema": {
              "type": "string",
              "pattern": "^-?[0-9]+(\\.[0-9]+)?,-?[0-9]+(\\.[0-9]+)?,-?[0-9]+(\\.[0-9]+)?,-?[0-9]+(\\.[0-9]+)?$"
            },
            "example": "2,48,3,49"
          }
        ],
        "responses": {
          "200": {
            "description": "Traffic",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Traffic"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem400"
          },
          "401": {
            "$ref": "#/components/responses/Problem401"
          },
          "403": {
            "$ref": "#/components/responses/Problem403"
          }
        },
        "operationId": "getTraffic"
      }
    },
    "/v1/conflicts": {
      "get": {
        "summary": "Cross-party conflicts in force that involve the caller (scope traffic.read): tactical (aircraft) and, with scope intents.read, strategic (the caller's current intents against other parties')",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "description": "Conflicts",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Conflicts"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem401"
          },
          "403": {
            "$ref": "#/components/responses/Problem403"
          }
        },
        "operationId": "getConflicts"
      }
    },
    "/v1/alerts": {
      "get": {
        "summary": "Alert events after a cursor (scope traffic.read)",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "since",
            "in": "query",
            "schema": {
              "type": "integer",
              "minimum": 0,
              "maximum": 18446744073709551615
            }
          },
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 10000
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Alerts",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Alerts"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem400"
          },
          "401": {
            "$ref": "#/components/responses/Problem401"
          }
        },
        "operationId": "getAlerts"
      }
    },
    "/v1/stream": {
      "get": {
        "summary": "WebSocket of events, each a StreamMessage with a cursor (hello, gap, conflict, alert, track, intent); resume with ?since=CURSOR (scope traffic.read)",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "since",
            "in": "query",
            "schema": {
              "type": "integer",
              "minimum": 0,
              "maximum": 18446744073709551615
            }
          },
          {
            "name": "access_token",
            "in": "query",
            "schema": {
              "type": "string"
            },
            "description": "For browsers, which cannot set Authorization on a WebSocket"
          }
        ],
        "responses": {
          "101": {
            "description": "Switching to WebSocket"
          },
          "400": {
            "description": "The upgrade was refused before the stream started (e.g. a token both in the Authorization header and in access_token): no body (the WebSocket upgrade handler writes a bare 400; see docs/security.md)"
          },
          "401": {
            "$ref": "#/components/responses/Problem401"
          },
          "403": {
            "$ref": "#/components/responses/Problem403"
          },
          "426": {
            "$ref": "#/components/responses/Problem426"
          }
        },
        "operationId": "openStream"
      }
    },
    "/v1/intents/{id}": {
      "parameters": [
        {
          "name": "id",
          "in": "path",
          "required": true,
          "schema": {
            "type": "string",
            "pattern": "^[A-Za-z0-9._-]{1,128}$"
          },
          "example": "ex-1"
        }
      ],
      "put": {
        "summary": "Create (no ovn) or update (ovn = the current one) the caller's intent (scope intents.write). The key must hold the OVNs of every other party's current intent that overlaps it (in a ~1 km cell, altitude and time); a bad body stores nothing. The body is this API's IntentPut, a GeoJSON Feature (as `intents check` reads it; also as application/geo+json) or F3548 parameters (`extents` of Volume4D), told apart by their members.",
        "security": [
          {
            "bearer": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "oneOf": [
                  {
                    "$ref": "#/components/schemas/IntentPut"
                  },
                  {
                    "$ref": "#/components/schemas/F3548IntentPut"
                  },
                  {
                    "$ref": "#/components/schemas/IntentFeature"
                  }
                ]
              },
              "example": {
                "state": "accepted",
                "priority": 0,
                "key": [],
                "volumes": [
                  {
                    "outline": {
                      "type": "circle",
                      "center": [
                        2.35,
                        48.85
                      ],
                      "radius_m": 5000
                    },
                    "alt_lower_ft": 10000,
                    "alt_upper_ft": 12000,
                    "start": "2030-01-01T10:00:00Z",
                    "end": "2030-01-01T11:00:00Z"
                  }
                ]
              }
            },
            "application/geo+json": {
              "schema": {
                "$ref": "#/components/schemas/IntentFeature"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Updated",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/IntentWritten"
                }
              }
            }
          },
          "201": {
            "description": "Created",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/IntentWritten"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem400"
          },
          "401": {
            "$ref": "#/components/responses/Problem401"
          },
          "403": {
            "$ref": "#/components/responses/Problem403"
          },
          "404": {
            "$ref": "#/components/responses/Problem404"
          },
          "409": {
            "$ref": "#/components/responses/Problem409"
          },
          "413": {
            "$ref": "#/components/responses/Problem413"
          },
          "503": {
            "$ref": "#/components/responses/Problem503"
          }
        },
        "operationId": "putIntent"
      },
      "get": {
        "summary": "One intent (scope intents.read): the caller's own in full; another party's as id, ovn, state, priority and volumes only. `?format=geojson` (or Accept: application/geo+json) answers GeoJSON, `?format=f3548` F3548's operational intent.",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "description": "The intent",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/Intent"
                    },
                    {
                      "$ref": "#/components/schemas/F3548OperationalIntent"
                    }
                  ]
                }
              },
              "application/geo+json": {
                "schema": {
                  "$ref": "#/components/schemas/IntentGeoJSON"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem400"
          },
          "401": {
            "$ref": "#/components/responses/Problem401"
          },
          "403": {
            "$ref": "#/components/responses/Problem403"
          },
          "404": {
            "$ref": "#/components/responses/Problem404"
          }
        },
        "operationId": "getIntent",
        "parameters": [
          {
            "name": "format",
            "in": "query",
            "required": false,
            "schema": {
              "enum": [
                "native",
                "geojson",
                "f3548"
              ]
            },
            "description": "Shape of the answer (default native; Accept: application/geo+json also selects geojson)"
          }
        ]
      },
      "delete": {
        "summary": "Delete the caller's intent (scope intents.write); ovn must be the current one",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "ovn",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 128
            }
          }
        ],
        "responses": {
          "204": {
            "description": "Deleted; the ledger receipt in the Deconflict-Receipt header",
            "headers": {
              "Deconflict-Receipt": {
                "description": "base64 of the write's Receipt as JSON",
                "required": true,
                "schema": {
                  "type": "string",
                  "contentEncoding": "base64"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem400"
          },
          "401": {
            "$ref": "#/components/responses/Problem401"
          },
          "403": {
            "$ref": "#/components/responses/Problem403"
          },
          "404": {
            "$ref": "#/components/responses/Problem404"
          },
          "409": {
            "$ref": "#/components/responses/Problem409"
          },
          "503": {
            "$ref": "#/components/responses/Problem503"
          }
        },
        "operationId": "deleteIntent"
      }
    },
    "/v1/intents": {
      "get": {
        "summary": "Current intents with a volume meeting the box (scope intents.read); others' redacted as in GET /v1/intents/{id}. Time and altitude exact, horizontal conservative by ~200 m.",
        "security": [
          {
            "bearer": []
          }
        ],
        "parameters": [
          {
            "name": "bbox",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^-?[0-9]+(\\.[0-9]+)?,-?[0-9]+(\\.[0-9]+)?,-?[0-9]+(\\.[0-9]+)?,-?[0-9]+(\\.[0-9]+)?$"
            },
            "description": "minLon,minLat,maxLon,maxLat (degrees; min ≤ max, no antimeridian crossing; at most 10,000 km²)",
            "example": "2.3,48.8,2.4,48.9"
          },
          {
            "name": "from",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "format": "date-time"
            },
            "example": "2030-01-01T09:00:00Z"
          },
          {
            "name": "to",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "format": "date-time"
            },
            "description": "Not before from; at most 31 days after it",
            "example": "2030-01-01T12:00:00Z"
          },
          {
            "name": "alt_lower_ft",
            "in": "query",
            "schema": {
              "type": "number"
            }
          },
          {
            "name": "alt_upper_ft",
            "in": "query",
            "schema": {
              "type": "number"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Intents, sorted by id",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/IntentList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem400"
          },
          "401": {
            "$ref": "#/components/responses/Problem401"
          },
          "403": {
            "$ref": "#/components/responses/Problem403"
          }
        },
        "operationId": "queryIntents"
      }
    },
    "/openapi.json": {
      "get": {
        "summary": "This document as JSON",
        "operationId": "getOpenAPIJSON",
        "responses": {
          "200": {
            "description": "The OpenAPI document",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          }
        }
      }
    },
    "/.well-known/jwks.json": {
      "get": {
        "summary": "The token-signing public key as a JWK Set (no token needed)",
        "operationId": "getJWKS",
        "responses": {
          "200": {
            "description": "The key set",
            "content": {
              "application/jwk-set+json": {
                "schema": {
                  "$ref": "#/components/schemas/JWKSet"
                }
              }
            }
          }
        }
      }
    },
    "/v1/ledger/checkpoint": {
      "get": {
        "summary": "The ledger's latest signed checkpoint (c2sp.org/tlog-checkpoint as a c2sp.org/signed-note); any valid token",
        "operationId": "getLedgerCheckpoint",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "description": "origin, tree size, base64 root; a blank line; the log's Ed25519 signature line",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem401"
          }
        }
      }
    },
    "/v1/ledger/tile/{level}/{n}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/TileLevel"
        },
        {
          "$ref": "#/components/parameters/TileIndex"
        }
      ],
      "get": {
        "summary": "A full hash tile (c2sp.org/tlog-tiles)",
        "operationId": "getLedgerTile",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "$ref": "#/components/responses/LedgerHashTile"
          },
          "401": {
            "$ref": "#/components/responses/Problem401"
          },
          "404": {
            "$ref": "#/components/responses/Problem404"
          }
        }
      }
    },
    "/v1/ledger/tile/{level}/{n}.p/{width}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/TileLevel"
        },
        {
          "$ref": "#/components/parameters/TileIndex"
        },
        {
          "$ref": "#/components/parameters/TileWidth"
        }
      ],
      "get": {
        "summary": "A partial hash tile for the published size",
        "operationId": "getLedgerPartialTile",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "$ref": "#/components/responses/LedgerHashTile"
          },
          "401": {
            "$ref": "#/components/responses/Problem401"
          },
          "404": {
            "$ref": "#/components/responses/Problem404"
          }
        }
      }
    },
    "/v1/ledger/tile/entries/{n}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/TileIndex"
        }
      ],
      "get": {
        "summary": "A full entry bundle (c2sp.org/tlog-tiles)",
        "operationId": "getLedgerEntryBundle",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "$ref": "#/components/responses/LedgerEntryBundle"
          },
          "401": {
            "$ref": "#/components/responses/Problem401"
          },
          "404": {
            "$ref": "#/components/responses/Problem404"
          },
          "503": {
            "$ref": "#/components/responses/Problem503"
          }
        }
      }
    },
    "/v1/ledger/tile/entries/{n}.p/{width}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/TileIndex"
        },
        {
          "$ref": "#/components/parameters/TileWidth"
        }
      ],
      "get": {
        "summary": "A partial entry bundle for the published size",
        "operationId": "getLedgerPartialEntryBundle",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "$ref": "#/components/responses/LedgerEntryBundle"
          },
          "401": {
            "$ref": "#/components/responses/Problem401"
          },
          "404": {
            "$ref": "#/components/responses/Problem404"
          },
          "503": {
            "$ref": "#/components/responses/Problem503"
          }
        }
      }
    },
    "/v1/ledger/entries/{index}": {
      "parameters": [
        {
          "name": "index",
          "in": "path",
          "required": true,
          "schema": {
            "type": "string",
            "pattern": "^(0|[1-9][0-9]{0,18})$"
          }
        }
      ],
      "get": {
        "summary": "One entry with its full event and salt, for a party the entry concerns (anyone else: the same 404 as for no entry)",
        "operationId": "getLedgerEntry",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "description": "The entry, its event and salt, and a receipt in the current checkpoint",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/LedgerEntry"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem400"
          },
          "401": {
            "$ref": "#/components/responses/Problem401"
          },
          "404": {
            "$ref": "#/components/responses/Problem404"
          },
          "503": {
            "$ref": "#/components/responses/Problem503"
          }
        }
      }
    }
  }
}
"""#
}
