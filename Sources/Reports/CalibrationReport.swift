import Foundation
import Ladder
import SpaceCore
import SpaceData

/// simulation.json as calibrated, and calibration.md: each estimate with its events,
/// firm-years at risk and standard error, beside the value it replaces.
public enum CalibrationReport {
    public static func artifacts(_ c: Calibration, settings: SimulationSettings, document: JSONValue, store: String) -> [Artifact] {
        [Artifact("simulation.json", text: prettyJSON(document) + "\n"), Artifact("calibration.md", text: markdown(c, settings: settings, store: store))]
    }

    public static func markdown(_ c: Calibration, settings: SimulationSettings, store: String) -> String {
        var md = "# Rates estimated from the history of \(store)\n\n"
        md += "\(formatFixed(c.observedYears, 2)) years recorded. A rate is the events over the months firms were at risk, as a yearly chance; "
        md += "graduation months are weighted by the configured residence and sector factors, closures by the sector factors. "
        md += "The standard error (SE) is that of a count (√events) carried to the yearly chance; an estimate is within about 2 SE of the true rate 19 times in 20.\n\n"
        md += "| stage | outcome | events | firm-years at risk | estimate | SE | configured |\n|---|---|---:|---:|---:|---:|---:|\n"
        for stage in SimulationSettings.ladder {
            let configured = settings.rates[stage]
            for (name, estimate, before) in [
                ("graduate", c.graduate[stage], configured?.graduate), ("fail", c.fail[stage], configured?.fail), ("leave", c.leave[stage], configured?.leave),
            ] {
                guard let e = estimate else { continue }
                md += "| \(stage.rawValue) | \(name) | \(e.events) | \(formatFixed(e.exposureYears, 1)) | \(formatFixed(e.rate, 4)) | \(formatFixed(e.standardError, 4)) | \(before.map { formatFixed($0, 4) } ?? "–") |\n"
            }
        }
        md += "\n| stage | new firms | per year | SE | configured |\n|---|---:|---:|---:|---:|\n"
        for stage in SimulationSettings.ladder {
            guard let a = c.arrivals[stage] else { continue }
            md += "| \(stage.rawValue) | \(a.events) | \(formatFixed(a.rate, 2)) | \(formatFixed(a.standardError, 2)) | \(settings.arrivalsPerYear[stage].map { formatFixed($0, 2) } ?? "–") |\n"
        }
        md += "\nNot estimated (the history records neither): growth in place and national high-tech status, kept as configured. "
        md += "A stay still open at the last recorded change counts its months at risk and no event.\n"
        return md
    }
}
