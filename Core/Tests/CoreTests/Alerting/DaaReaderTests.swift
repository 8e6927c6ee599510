import Testing
import DeconflictCore
@testable import DeconflictFormats

@Suite struct DaaReaderTests {
    @Test func readsNasaH1WithVectorVelocities() throws {
        let s = try DaaReader.parse(try Fixture.text("daidalus/H1.daa"))
        #expect(s.steps.count == 230)
        #expect(s.steps.allSatisfy { $0.aircraft.count == 2 && $0.aircraft[0].id == "Ownship" })
        let own = s.steps[0].aircraft[0], intr = s.steps[0].aircraft[1]
        // vx, vy, vz = east, north, up in knot, knot, fpm.
        #expect(abs(own.gs - 200 * 1852 / 3600) < 1e-9)
        #expect(abs(own.trk - 0) < 1e-9)
        #expect(abs(intr.gs - 600 * 1852 / 3600) < 1e-9)
        #expect(abs(intr.trk - 180) < 1e-9)
        #expect(own.altFt == 17000)
        #expect(s.steps[229].time == 229)
    }

    @Test func readsTrackSpeedSpaceSeparatedWithCommentsParametersAndUnits() throws {
        let text = """
        # a comment line
        lookahead_time = 120 [s]
        NAME lat lon alt trk gs vs time   # trailing comment
        [none] [deg] [deg] [m] [deg] [m/s] [m/s] [s]
        own  40.0  -75.0  3000  90  100  0    10
        intA 40.1  -75.0  3100  270 120  -5   10

        own  40.0  -74.99 3000  90  100  0    11
        """
        let s = try DaaReader.parse(text)
        #expect(s.parameters["lookahead_time"] == "120 [s]")
        #expect(s.steps.count == 2)
        #expect(s.steps[0].time == 10 && s.steps[0].aircraft.count == 2)
        let a = s.steps[0].aircraft[1]
        #expect(a.id == "intA" && a.alt == 3100 && a.gs == 120 && a.vs == -5 && a.trk == 270)
        #expect(abs(a.altFt! - 3100 / 0.3048) < 1e-9)
    }

    @Test func defaultUnitsAndMissingOptionalColumns() throws {
        // No units row (deg, ft, knot, fpm, s), no vs column, no time column.
        let text = """
        name, lat, lon, alt, trk, gs
        A, 10, 20, 5000, 45, 300
        B, 10.1, 20, 5500, 225, 250
        A, 10.01, 20.01, 5000, 45, 300
        B, 10.09, 20, 5500, 225, 250
        """
        let s = try DaaReader.parse(text)
        #expect(s.steps.count == 2)
        #expect(s.steps.map(\.time) == [0, 1])
        let b = s.steps[0].aircraft[1]
        #expect(b.vs == 0)
        #expect(abs(b.gs - 250 * 1852.0 / 3600) < 1e-12)
        #expect(b.alt == 5500 * 0.3048 && b.altFt == 5500)
    }

    @Test func errorsNameLineAndField() {
        let bad = """
        NAME lat lon alt trk gs vs time
        [none] [deg] [deg] [ft] [deg] [knot] [fpm] [s]
        own 40 -75 3000 90 100 0 0
        int 40 -75 3x00 90 100 0 0
        """
        #expect(throws: DaaReader.ParseError(line: 4, field: "alt", message: "`3x00` is not a number")) {
            try DaaReader.parse(bad)
        }
        let short = "NAME lat lon alt trk gs vs time\nown 40 -75 3000 90 100 0\n"
        do { _ = try DaaReader.parse(short); Issue.record("expected an error") } catch let e as DaaReader.ParseError {
            #expect(e.line == 2 && e.field == "row")
        } catch { Issue.record("wrong error \(error)") }
        let unit = "NAME lat lon alt trk gs vs time\n[none] [deg] [deg] [furlong] [deg] [knot] [fpm] [s]\n"
        do { _ = try DaaReader.parse(unit); Issue.record("expected an error") } catch let e as DaaReader.ParseError {
            #expect(e.line == 2 && e.field == "alt")
        } catch { Issue.record("wrong error \(error)") }
        let noVelocity = "NAME lat lon alt time\n"
        #expect(throws: DaaReader.ParseError.self) { try DaaReader.parse(noVelocity) }
        let lat = "NAME lat lon alt trk gs vs time\nown 95 -75 3000 90 100 0 0\n"
        do { _ = try DaaReader.parse(lat); Issue.record("expected an error") } catch let e as DaaReader.ParseError {
            #expect(e.line == 2 && e.field == "lat")
        } catch { Issue.record("wrong error \(error)") }
    }
}
