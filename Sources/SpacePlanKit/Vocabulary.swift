import Cartography
import Foundation
import Reports
import SpaceCore
import SpaceData
import StockHistory

// The values a front end exchanges with the workspace, named here one by one: what it opens
// (a district's source), what it gets back (artifacts, JSON documents, errors), and the few
// choices it passes on (a CRS, a map's theme and classes). Nothing that analyses, draws or
// writes is among them: that stays behind the workspace's questions.

/// A district's data folder (layers.json and the files it names).
public typealias DataFolder = SpaceData.DataFolder
/// A problem in the data or in a request, naming the file, the record and what is wrong.
public typealias DataError = SpaceData.DataError
/// Every problem found at once.
public typealias DataErrors = SpaceData.DataErrors
/// A file a question produces, written by the front end's own means (an output set, a response).
public typealias Artifact = SpaceCore.Artifact
/// A JSON document as the questions give their results.
public typealias JSONValue = SpaceCore.JSONValue
public typealias JSONObject = SpaceCore.JSONObject
/// A coordinate reference system by code: an EPSG code, WGS84, GCJ-02 or BD-09.
public typealias CRSCode = SpaceCore.CRSCode
/// A map's theme, its classification and its options, as `spaceplan map` and the page choose them.
public typealias MapTheme = Cartography.MapTheme
public typealias MapOptions = Cartography.MapOptions
public typealias ClassificationMethod = Cartography.ClassificationMethod
/// A body that is not JSON, and a map that cannot be drawn as asked: errors a front end maps to its own answers.
public typealias JSONParseError = SpaceCore.JSONParseError
public typealias MapError = Cartography.MapError
/// A WGS84 box (min/max lon and lat), as a bbox query gives it.
public typealias Envelope = SpaceCore.Envelope
/// A lock for a front end's own shared state.
public typealias Mutex = SpaceCore.Mutex

extension JSONValue {
    /// Parses JSON text (a request body, a posted scenario).
    public init(parsing data: Data) throws { self = try SpaceCore.parseJSON(data) }
    /// The value as compact JSON text.
    public var serialized: String { SpaceCore.serializedJSON(self) }
    /// A number rounded to `decimals`, as the files round it.
    public static func number(_ x: Double, decimals: Int) -> JSONValue { .number(SpaceCore.rounded(x, decimals: decimals)) }
}

/// How the reports word figures, for a front end's own messages.
public enum Wording {
    /// "1 file", "3 files".
    public static func counted(_ n: Int, _ singular: String) -> String { SpaceCore.counted(n, singular) }
    /// 1,234,567 (m², yuan…).
    public static func grouped(_ x: Double) -> String { SpaceCore.grouped(x) }
    /// A number with `decimals` decimals, trailing zeros dropped.
    public static func fixed(_ x: Double, _ decimals: Int) -> String { formatFixed(x, decimals) }
}

/// The output-set writers: a whole folder swapped in at once, or one file, never over an input.
public typealias OutputFolder = Reports.OutputFolder
public typealias OutputFile = Reports.OutputFile

/// How often `progress` reports the stock: month, quarter or year.
public typealias ReportingPeriod = StockHistory.ReportingPeriod
/// What `progress` found: the stock at each period end and every change of it.
public typealias StockProgress = StockHistory.StockProgress
