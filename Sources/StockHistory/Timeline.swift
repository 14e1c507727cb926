import SpaceData

/// A change as the store's log keeps it, with the supply mode its edit named (if any).
public struct LoggedChange: Sendable, Equatable {
    public let seq: Int
    /// ISO 8601, UTC.
    public let at: String
    /// The same instant as a day of the district's calendar (YYYY-MM-DD).
    public let day: String
    public let author: String
    public let reason: String?
    public let editSet: Int?
    public let layer: String
    public let recordID: String
    public let change: String
    /// `mode` of the edit that made it (docs/store.md), when it named one.
    public let mode: String?

    public init(
        seq: Int, at: String, day: String, author: String, reason: String?, editSet: Int?, layer: String, recordID: String, change: String,
        mode: String?
    ) {
        self.seq = seq; self.at = at; self.day = day; self.author = author; self.reason = reason; self.editSet = editSet
        self.layer = layer; self.recordID = recordID; self.change = change; self.mode = mode
    }
}

/// One version of a record and when it was current: from the change that made it (nil: since
/// the import) until the change that replaced or removed it (nil: still current).
public struct Dated<Record: Sendable>: Sendable {
    public let record: Record
    /// The record's row number: records are summed in this order, as a snapshot sums them.
    public let fid: Int
    public let madeBy: LoggedChange?
    public let endedBy: LoggedChange?

    public init(record: Record, fid: Int, madeBy: LoggedChange?, endedBy: LoggedChange?) {
        self.record = record; self.fid = fid; self.madeBy = madeBy; self.endedBy = endedBy
    }

    /// Current at the instant `cutoff` (UTC): made before it and not ended before it.
    func current(before cutoff: String) -> Bool {
        (madeBy.map { $0.at < cutoff } ?? true) && (endedBy.map { $0.at >= cutoff } ?? true)
    }
}

/// A firm's tenancy: the carrier it rents in (nil: none), as the store's enterprises layer keeps it.
public struct Tenancy: Sendable {
    public let firmID: String
    public let carrierID: String?
    public let sector: String
    public let flags: [String]
    public let floorAreaM2: Double

    public init(firmID: String, carrierID: String?, sector: String, flags: [String], floorAreaM2: Double) {
        self.firmID = firmID; self.carrierID = carrierID; self.sector = sector; self.flags = flags; self.floorAreaM2 = floorAreaM2
    }
}
