import Testing
import DeconflictCore
@testable import DeconflictFormats

@Suite struct AlerterConfigTests {
    @Test func nativeFormatReproducesPhaseOne() throws {
        let text = """
        # DO-365 Phase I, written out
        name = phase1
        lookahead_time = 3 [min]
        alerting_m = 2
        alerting_n = 4
        hysteresis_time = 5 [s]
        persistence_time = 4 [s]
        alert_1_name = preventive
        alert_1_detector = WCV_TAUMOD
        alert_1_alerting_time = 55 [s]
        alert_1_early_alerting_time = 75 [s]
        alert_1_WCV_DTHR = 0.66 [nmi]
        alert_1_WCV_ZTHR = 700 [ft]
        alert_1_WCV_TTHR = 35 [s]
        alert_1_WCV_TCOA = 0 [s]
        alert_2_name = corrective
        alert_2_alerting_time = 55 [s]
        alert_2_early_alerting_time = 75 [s]
        alert_2_DTHR = 0.66 [NM]
        alert_2_ZTHR = 450 [ft]
        alert_2_TTHR = 35
        alert_3_name = warning
        alert_3_alerting_time = 25 [s]
        alert_3_early_alerting_time = 55 [s]
        alert_3_DTHR = 0.66 [nmi]
        alert_3_ZTHR = 450 [ft]
        alert_3_TTHR = 35 [s]
        """
        let a = try AlerterConfig.parse(text)
        #expect(a == Alerter.phase1)
    }

    @Test func baseWithOverrides() throws {
        let a = try AlerterConfig.parse("""
        base = cylinder
        name = tight-cylinder
        alert_1_D = 3 [nmi]
        alert_1_alerting_time = 120 [s]
        alerting_m = 1
        """)
        #expect(a.name == "tight-cylinder")
        #expect(a.levels.count == 2)
        #expect(a.levels[0].volume == .cylinder(radius: 3 * 1852, halfHeight: 1000 * 0.3048))
        #expect(a.levels[0].alertingTime == 120)
        #expect(a.levels[1] == Alerter.cylinder.levels[1])
        #expect(a.filter.m == 1 && a.filter.n == 4)
    }

    @Test func readsDaidalusStyleMultiAlerterFile() throws {
        // The shape of a DAIDALUS .conf (values written here for the test).
        let text = """
        lookahead_time = 180.0 [s]
        hysteresis_time = 5.0 [s]
        persistence_time = 4.0 [s]
        alerting_m = 2
        alerting_n = 4
        min_hs = 10.0 [knot]
        alerters = Enroute,Terminal
        Enroute_alert_1_region = NONE
        Enroute_alert_1_alerting_time = 55.0 [s]
        Enroute_alert_1_early_alerting_time = 75.0 [s]
        Enroute_alert_1_detector = det_1
        Enroute_det_1_WCV_DTHR = 0.66 [nmi]
        Enroute_det_1_WCV_ZTHR = 450.0 [ft]
        Enroute_det_1_WCV_TTHR = 35.0 [s]
        Enroute_det_1_WCV_TCOA = 0.0 [s]
        Enroute_load_core_detection_det_1 = gov.nasa.larcfm.ACCoRD.WCV_TAUMOD
        Terminal_alert_1_alerting_time = 45.0 [s]
        Terminal_alert_1_early_alerting_time = 75.0 [s]
        Terminal_alert_1_detector = det_1
        Terminal_det_1_D = 1500.0 [ft]
        Terminal_det_1_H = 450.0 [ft]
        Terminal_load_core_detection_det_1 = gov.nasa.larcfm.ACCoRD.CDCylinder
        """
        let e = try AlerterConfig.parse(text)
        #expect(e.name == "enroute" && e.levels.count == 1 && e.lookahead == 180)
        #expect(e.levels[0].volume == .wellClear(WellClearThresholds(dthr: 0.66 * 1852, zthr: 450 * 0.3048, tthr: 35, tcoa: 0)))
        let t = try AlerterConfig.parse(text, selecting: "Terminal")
        #expect(t.levels[0].volume == .cylinder(radius: 1500 * 0.3048, halfHeight: 450 * 0.3048))
        #expect(t.levels[0].alertingTime == 45 && t.levels[0].earlyAlertingTime == 75)
    }

    @Test func errorsNameLineAndKey() {
        func err(_ text: String) -> AlerterConfig.ParseError? {
            do { _ = try AlerterConfig.parse(text); return nil } catch { return error as? AlerterConfig.ParseError }
        }
        let e1 = err("base = phase1\nalert_1_WCV_DTHR = 0.66 [knot]\n")
        #expect(e1?.line == 2 && e1?.key == "alert_1_wcv_dthr")
        let e2 = err("base = phase1\n\nalert_2_alerting_time = soon\n")
        #expect(e2?.line == 3)
        let e3 = err("base = phase1\nalert_1_colour = red\n")
        #expect(e3?.line == 2 && e3!.message.contains("unknown"))
        let e4 = err("just words\n")
        #expect(e4?.line == 1)
        let e5 = err("base = phase9\n")
        #expect(e5?.line == 1 && e5?.key == "base")
        #expect(err("name = empty\n") != nil)
    }
}
