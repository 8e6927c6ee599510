import Testing
@testable import DeconflictFormats
import DeconflictCore

/// An `aircraft.json` as readsb writes it (keys and spacing as in its output), with one
/// aircraft of each kind the decoder has to tell apart.
private let document = """
{ "now" : 1720255389.4,
  "messages" : 123456789,
  "aircraft" : [
    {"hex":"4ca2d6","type":"adsb_icao","flight":"RYR4GX  ","alt_baro":35000,"alt_geom":35675,"gs":451.3,"ias":280,"tas":462,"mach":0.784,"track":87.45,"track_rate":0.03,"roll":-0.2,"mag_heading":85.6,"baro_rate":-64,"geom_rate":-32,"squawk":"7000","emergency":"none","category":"A3","nav_qnh":1013.6,"nav_altitude_mcp":35008,"nav_modes":["autopilot","althold","tcas"],"lat":48.123456,"lon":2.543210,"nic":8,"rc":186,"seen_pos":0.8,"version":2,"nic_baro":1,"nac_p":9,"nac_v":1,"sil":3,"sil_type":"perhour","gva":2,"sda":2,"alert":0,"spi":0,"mlat":[],"tisb":[],"messages":512,"seen":0.2,"rssi":-12.3},
    {"hex":"3c6dd4","type":"adsb_icao","flight":"DLH9AB  ","alt_baro":"ground","gs":12.0,"track":271.4,"squawk":"1000","category":"A5","lat":50.032910,"lon":8.559870,"nic":8,"rc":186,"seen_pos":2.5,"mlat":[],"tisb":[],"messages":90,"seen":1.0,"rssi":-20.1},
    {"hex":"~2b9a41","type":"tisb_other","alt_baro":2500,"gs":140,"track":180,"geom_rate":640,"lat":47.5,"lon":8.5,"seen_pos":3.0,"mlat":[],"tisb":["lat","lon","altitude","gs","track","geom_rate"],"messages":7,"seen":3.0,"rssi":-25.0},
    {"hex":"a1b2c3","type":"mlat","alt_baro":12000,"lat":45.0,"lon":5.0,"seen_pos":75.2,"mlat":["lat","lon"],"tisb":[],"messages":40,"seen":0.5,"rssi":-28.0},
    {"type":"adsb_icao","flight":"NOHEX   ","alt_baro":10000,"seen":1.0},
    {"hex":"4d2407","type":"mode_s","alt_baro":37000,"squawk":"2000","flight":null,"mlat":[],"tisb":[],"messages":15,"seen":4.5,"rssi":-22.4}
  ]
}
"""

@Suite struct ReadsbJSONTests {
    let now = 1_720_255_389.4

    @Test func everyMappedField() throws {
        var d = ReadsbAircraftJSON()
        let r = try d.decode(Array(document.utf8))
        #expect(r.count == 4)
        #expect(d.documents == 1 && d.aircraft == 6 && d.accepted == 4)
        #expect(d.stale == 1)                              // a1b2c3: position 75.2 s old
        #expect(d.rejects == [.malformed: 1])               // the entry without hex
        #expect(d.lastNow == now && d.lastMessages == 123_456_789)

        let a = try #require(r.first { $0.address == 0x4CA2D6 })
        #expect(a.addressIsICAO && a.format == .readsbJSON)
        #expect(a.callsign == "RYR4GX")
        #expect(a.altFt == 35000 && a.geoAltFt == 35675)
        #expect(a.gsKt == 451.3 && a.trkDeg == 87.45)
        #expect(a.vsFpm == -64)                             // baro_rate preferred to geom_rate
        #expect(a.squawk == "7000")
        #expect(a.lat == 48.123456 && a.lon == 2.54321)
        #expect(a.onGround == nil)                          // a number says airborne or uncertain
        #expect(a.time == now - 0.8)                        // now − seen_pos, not now − seen

        let g = try #require(r.first { $0.address == 0x3C6DD4 })
        #expect(g.onGround == true && g.altFt == nil)
        #expect(g.callsign == "DLH9AB" && g.squawk == "1000")
        #expect(g.gsKt == 12 && g.trkDeg == 271.4)
        #expect(g.lat == 50.03291 && g.lon == 8.55987)
        #expect(g.time == now - 2.5)

        let t = try #require(r.first { $0.address == 0x2B9A41 })
        #expect(!t.addressIsICAO)                           // `~`: not an ICAO address
        #expect(feedAircraftID(address: t.address, isICAO: t.addressIsICAO) == "trk\(0x2B9A41)")
        #expect(t.vsFpm == 640)                             // geom_rate when no baro_rate
        #expect(t.altFt == 2500 && t.lat == 47.5 && t.lon == 8.5)
        #expect(t.callsign == nil && t.squawk == nil)
        #expect(t.time == now - 3.0)

        let s = try #require(r.first { $0.address == 0x4D2407 })
        #expect(s.lat == nil && s.lon == nil)
        #expect(s.altFt == 37000 && s.squawk == "2000" && s.callsign == nil)
        #expect(s.time == now - 4.5)                        // no position: now − seen

        #expect(!r.contains { $0.address == 0xA1B2C3 })
    }

    @Test func positionAgeIsConfigurable() throws {
        var d = ReadsbAircraftJSON(maxPositionAge: 2.0)
        let r = try d.decode(Array(document.utf8))
        // Only 4ca2d6 (0.8 s) is fresh enough; 4d2407 has no position and was seen 4.5 s ago.
        #expect(r.map(\.address) == [0x4CA2D6])
        #expect(d.stale == 4)
        var e = ReadsbAircraftJSON(maxPositionAge: 100)
        #expect(try e.decode(Array(document.utf8)).count == 5)
        // The static form: defaults, counters discarded.
        #expect(try ReadsbAircraftJSON.decode(Array(document.utf8)).count == 4)
        // Counters add up over documents.
        _ = try e.decode(Array(document.utf8))
        #expect(e.documents == 2 && e.aircraft == 12 && e.accepted == 10)
        #expect(e.aircraft == e.accepted + e.stale + e.rejected)
    }

    @Test func badEntriesSkippedOthersDecoded() throws {
        let json = """
        {"now":1720255389.0,"aircraft":[
          {"hex":"zz1234","alt_baro":1000,"seen":1},
          {"hex":"4ca2d","alt_baro":1000,"seen":1},
          {"hex":4,"alt_baro":1000,"seen":1},
          {"hex":"4ca2d6","gs":"fast","seen":1},
          {"hex":"4ca2d6","alt_baro":"high","seen":1},
          {"hex":"4ca2d6","squawk":"7800","seen":1},
          {"hex":"4ca2d6","squawk":7000,"seen":1},
          {"hex":"4ca2d6","lat":48.1,"seen_pos":1,"seen":1},
          {"hex":"4ca2d6","seen":-1},
          "4ca2d6",
          {"hex":"4ca2d6","lat":95.0,"lon":2.5,"seen_pos":1,"seen":1},
          {"hex":"4ca2d6","lat":48.1,"lon":-180.5,"seen_pos":1,"seen":1},
          {"hex":"4CA2D6","alt_baro":null,"gs":null,"lat":48.1,"lon":2.5,"seen":1,"future_field":{"x":[1,2]}}
        ]}
        """
        var d = ReadsbAircraftJSON()
        let r = try d.decode(Array(json.utf8))
        #expect(r.count == 1)
        #expect(r.first?.address == 0x4CA2D6 && r.first?.altFt == nil && r.first?.lat == 48.1)
        #expect(r.first?.time == 1_720_255_389.0 - 1)        // no seen_pos: the age is `seen`
        #expect(d.rejects[.malformed] == 10)
        #expect(d.rejects[.implausible] == 2)
        #expect(d.aircraft == 13 && d.accepted == 1)
    }

    @Test func badDocumentsThrow() {
        func decode(_ s: String) throws(ReadsbAircraftJSON.DecodeError) {
            _ = try ReadsbAircraftJSON.decode(Array(s.utf8))
        }
        // Truncated: a syntax error with its position.
        do {
            try decode(String(document.prefix(200)))
            Issue.record("a truncated document decoded")
        } catch {
            guard case .syntax = error else { Issue.record("\(error)"); return }
            #expect(error.description.hasPrefix("aircraft.json: JSON syntax error at line"))
        }
        #expect(throws: ReadsbAircraftJSON.DecodeError.topLevelNotObject(found: "array")) { try decode("[]") }
        #expect(throws: ReadsbAircraftJSON.DecodeError.missingKey("now")) { try decode(#"{"aircraft":[]}"#) }
        #expect(throws: ReadsbAircraftJSON.DecodeError.missingKey("aircraft")) { try decode(#"{"now":1720255389}"#) }
        #expect(throws: ReadsbAircraftJSON.DecodeError.wrongType(key: "now", expected: "number", found: "string")) {
            try decode(#"{"now":"1720255389","aircraft":[]}"#)
        }
        #expect(throws: ReadsbAircraftJSON.DecodeError.wrongType(key: "aircraft", expected: "array", found: "object")) {
            try decode(#"{"now":1720255389,"aircraft":{}}"#)
        }
        #expect(throws: ReadsbAircraftJSON.DecodeError.self) { try decode(#"{"now":0,"aircraft":[]}"#) }
        #expect(throws: ReadsbAircraftJSON.DecodeError.self) { try decode("") }
        #expect(ReadsbAircraftJSON.DecodeError.missingKey("now").description == #"aircraft.json: no "now" key at the top level"#)
        #expect(ReadsbAircraftJSON.DecodeError.wrongType(key: "aircraft", expected: "array", found: "object").description
                == #"aircraft.json: "aircraft" is an object, expected an array"#)
        // A document that throws is not counted.
        var d = ReadsbAircraftJSON()
        _ = try? d.decode(Array("{".utf8))
        #expect(d.documents == 0)
        // An empty aircraft list is fine.
        #expect((try? d.decode(Array(#"{"now":1720255389,"messages":0,"aircraft":[]}"#.utf8)))?.isEmpty == true)
        #expect(d.documents == 1)
    }
}
