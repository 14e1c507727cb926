import Allocation
import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry
import SpacePlanKit
import SpaceStore

/// The bureau's matching rounds: the allocation of `spaceplan allocate` run on the store as it is
/// and the queued applications, proposing placements with their reasons; the bureau approves
/// (the firm moves in: an edit set of the store) or rejects each, and the rest stay queued.
public struct Matching: Sendable {
    public let store: String
    let tables: any PlatformTables

    public init(store: String) throws {
        self.store = store
        tables = try StoreName.platform(store)
    }

    public struct Placement: Sendable {
        public let round: Int
        public let application: Int
        public let applicant: String
        public let name: String
        public let carrier: String?
        public let building: String?
        public let floorAreaM2: Double?
        public let reason: String
        /// pending, approved, rejected, or superseded (a later round was started before a decision).
        public let decision: String
        public let decidedBy: String?
        public let decisionReason: String?
        public let editSet: Int?
    }

    public struct Round: Sendable {
        public let id: Int
        public let startedAt: String
        public let startedBy: String
        public let storeChange: Int
        public let placements: [Placement]
        /// Applications the round did not place, with why.
        public let unplaced: [(application: Int, reason: String)]
    }

    /// Refusals of the bureau's requests that are not about permission: nothing queued, a
    /// placement already decided, a placement that no longer fits.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    // MARK: Running a round

    /// Runs a round on `workspace` (the store as published) for `person` (the bureau).
    public func run(on workspace: Workspace, by person: Person, reason: String) throws -> Round {
        guard person.role == .bureau else { throw Editing.Forbidden(description: "matching rounds are the bureau's") }
        let applications = try Applications(store: store)
        // Proposals of earlier rounds still undecided go back to the queue and give their space to this round.
        try tables.transaction { sql in
            for row in try sql.rows("SELECT round, application FROM platform_placements WHERE decision = 'pending'", []) {
                try sql.rows("UPDATE platform_placements SET decision = 'superseded' WHERE round = ? AND application = ?", row[0], row[1])
                try sql.rows(
                    "UPDATE platform_applications SET status = 'queued', carrier = NULL, reason = ?, version = version + 1 WHERE id = ? AND status = 'proposed'",
                    .text("round \(row[0].int ?? 0)'s proposal was not decided before a new round"), row[1])
                try PlatformLog.write(
                    sql, actor: person.name, action: "supersede placement", subject: "round \(row[0].int ?? 0), application \(row[1].int ?? 0)",
                    reason: "a new round was started: \(reason)")
            }
        }
        let queued = try applications.list(for: person).filter { $0.status == .queued }
        guard !queued.isEmpty else { throw Refusal(description: "no application is queued: nothing to match") }
        let zones = Set(workspace.data.zones.map(\.id))
        // Each application as a firm of the demand; one that no longer reads (a zone gone) stays queued, saying why.
        var firms: [FirmDemand] = [], unreadable: [(Int, String)] = []
        for a in queued {
            do {
                let f = try Applications.check(a.record, zoneIDs: zones)
                firms.append(
                    FirmDemand(
                        index: firms.count, id: a.firmID, name: f.name, sector: f.sector, stage: f.stage, flags: f.flags, minM2: f.minM2,
                        preferredM2: f.preferredM2, preferredZoneIDs: f.preferredZoneIDs, moveInYear: f.moveInYear, priority: nil,
                        maxRentYuanPerM2Month: f.maxRentYuanPerM2Month, employees: f.employees))
            } catch { unreadable.append((a.id, "the application no longer reads: \(error)")) }
        }
        let byFirm = Dictionary(uniqueKeysWithValues: queued.map { ($0.firmID, $0) })
        let result = try workspace.allocation(of: firms)
        let carriers = result.instance.carriers
        let lastChange = (workspace.source as? StoreSource)?.snapshot.lastChange ?? 0
        var proposals: [(Applications.Application, CarrierSupply, AllocationResult.Assignment)] = []
        for a in result.assignments { if let app = byFirm[firms[a.firm].id] { proposals.append((app, carriers[a.carrier], a)) } }
        var unplaced = unreadable
        for u in result.unplaced {
            if let app = byFirm[firms[u.firm].id] { unplaced.append((app.id, u.reason.label + (u.detail.isEmpty ? "" : ": \(u.detail)"))) }
        }
        let now = StoreClock.now
        let id = try tables.transaction { sql -> Int in
            let summary = "\(proposals.count) proposed, \(unplaced.count) not placed, of \(queued.count) queued"
            let id =
                try sql.rows(
                    "INSERT INTO platform_rounds (started_at, started_by, store_change, summary) VALUES (?, ?, ?, ?) RETURNING id",
                    .text(now), .text(person.name), .integer(Int64(lastChange)), .text(summary)
                ).first?.first?.int ?? 0
            for (app, carrier, a) in proposals {
                let why = Self.reason(carrier, a, firm: firms[a.firm])
                try sql.rows(
                    "INSERT INTO platform_placements (round, application, carrier, building, floor_area_m2, reason, decision) VALUES (?, ?, ?, NULL, ?, ?, 'pending')",
                    .integer(Int64(id)), .integer(Int64(app.id)), .text(carrier.id), .real(a.areaM2), .text(why))
                try sql.rows(
                    "UPDATE platform_applications SET status = 'proposed', reason = ?, carrier = ?, round = ?, version = version + 1 WHERE id = ?",
                    .text("round \(id) proposes \(carrier.id): \(why)"), .text(carrier.id), .integer(Int64(id)), .integer(Int64(app.id)))
            }
            for (app, why) in unplaced {
                try sql.rows(
                    "UPDATE platform_applications SET reason = ?, round = ?, version = version + 1 WHERE id = ?",
                    .text("round \(id) did not place it: \(why)"), .integer(Int64(id)), .integer(Int64(app)))
            }
            try PlatformLog.write(sql, actor: person.name, action: "run matching round", subject: "round \(id): \(summary)", reason: reason)
            return id
        }
        guard let round = try self.round(id) else { throw Refusal(description: "round \(id) was not kept") }
        return round
    }

    /// Why a placement: the carrier, the space, the fit.
    static func reason(_ carrier: CarrierSupply, _ a: AllocationResult.Assignment, firm: FirmDemand) -> String {
        "\(formatFixed(a.areaM2, 0)) m² of the \(formatFixed(carrier.vacantM2, 0)) m² vacant in \(carrier.name) (\(carrier.type.rawValue)), "
            + "fitting a \(firm.stage.rawValue) firm" + (a.inPreferredZone ? ", in a zone it prefers" : "")
            + (carrier.rentYuanPerM2Month.map { ", rent \(formatFixed($0, 0)) yuan/m²/month" } ?? "")
    }

    // MARK: Reading rounds

    public func rounds() throws -> [Round] {
        let ids = try tables.reading { sql in try sql.rows("SELECT id FROM platform_rounds ORDER BY id DESC", []).compactMap { $0[0].int } }
        return try ids.compactMap { try round($0) }
    }

    public func round(_ id: Int) throws -> Round? {
        try tables.reading { sql in
            guard let row = try sql.rows("SELECT id, started_at, started_by, store_change FROM platform_rounds WHERE id = ?", .integer(Int64(id))).first
            else { return nil }
            let placements = try sql.rows(
                """
                SELECT p.round, p.application, a.applicant, a.record, p.carrier, p.building, p.floor_area_m2, p.reason, p.decision,
                       p.decided_by, p.decision_reason, p.edit_set
                FROM platform_placements p JOIN platform_applications a ON a.id = p.application WHERE p.round = ? ORDER BY p.application
                """, .integer(Int64(id))
            ).map { r in
                Placement(
                    round: r[0].int ?? 0, application: r[1].int ?? 0, applicant: r[2].string ?? "",
                    name: (try? parseJSON(r[3].string ?? "{}"))?["name"]?.stringValue ?? "", carrier: r[4].string, building: r[5].string,
                    floorAreaM2: r[6].double, reason: r[7].string ?? "", decision: r[8].string ?? "", decidedBy: r[9].string,
                    decisionReason: r[10].string, editSet: r[11].int)
            }
            let placed = Set(placements.map(\.application))
            let unplaced = try sql.rows("SELECT id, reason FROM platform_applications WHERE round = ? ORDER BY id", .integer(Int64(id)))
                .compactMap { r -> (Int, String)? in
                    guard let app = r[0].int, !placed.contains(app) else { return nil }
                    return (app, r[1].string ?? "")
                }
            return Round(
                id: row[0].int ?? 0, startedAt: row[1].string ?? "", startedBy: row[2].string ?? "", storeChange: row[3].int ?? 0,
                placements: placements, unplaced: unplaced)
        }
    }

    // MARK: Deciding

    /// Approves (the firm moves in: one edit set of the store) or rejects a proposed placement.
    public func decide(round: Int, application: Int, approve: Bool, reason: String, by person: Person) throws -> (Placement, editSet: Int?) {
        guard person.role == .bureau else { throw Editing.Forbidden(description: "placements are decided by the bureau") }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw Refusal(description: "give the reason for the decision") }
        guard let placement = try self.round(round)?.placements.first(where: { $0.application == application }) else {
            throw Refusal(description: "round \(round) proposes no placement for application \(application)")
        }
        guard placement.decision == "pending" else {
            throw Refusal(description: "round \(round)'s placement of application \(application) is \(placement.decision) already")
        }
        var editSet: Int?
        if approve, let carrier = placement.carrier {
            guard let app = try tables.reading({ sql in try Applications.application(application, sql) }) else {
                throw Refusal(description: "no application \(application)")
            }
            // The store and the platform's tables are two transactions: an approval cut short after
            // the firm moved in is finished here without moving it in twice.
            if let placed = try StoreName.open(store).rows(.enterprises, ids: [app.firmID]).first {
                guard placed["carrier_id"].string == carrier else {
                    throw Refusal(description: "firm \(app.firmID) is in \(placed["carrier_id"].string ?? "no carrier") already")
                }
                editSet = try StoreName.open(store).changes(since: nil, record: app.firmID).last?.editSet
            } else {
                editSet = try moveIn(app, carrier: carrier, placement: placement, round: round, by: person, reason: reason)
            }
        }
        let decided = try tables.transaction { sql -> Bool in
            let changed = try sql.rows(
                "UPDATE platform_placements SET decision = ?, decided_by = ?, decided_at = ?, decision_reason = ?, edit_set = ? WHERE round = ? AND application = ? AND decision = 'pending' RETURNING application",
                .text(approve ? "approved" : "rejected"), .text(person.name), .text(StoreClock.now), .text(reason),
                editSet.map { .integer(Int64($0)) } ?? .null, .integer(Int64(round)), .integer(Int64(application)))
            guard !changed.isEmpty else { return false }
            if approve {
                try sql.rows(
                    "UPDATE platform_applications SET status = 'placed', reason = ?, version = version + 1 WHERE id = ?",
                    .text("placed in \(placement.carrier ?? "") (round \(round)): \(reason)"), .integer(Int64(application)))
            } else {
                try sql.rows(
                    "UPDATE platform_applications SET status = 'queued', carrier = NULL, reason = ?, version = version + 1 WHERE id = ?",
                    .text("round \(round)'s placement in \(placement.carrier ?? "") was rejected: \(reason)"), .integer(Int64(application)))
            }
            try PlatformLog.write(
                sql, actor: person.name, action: approve ? "approve placement" : "reject placement",
                subject: "round \(round), application \(application), carrier \(placement.carrier ?? "")", reason: reason)
            return true
        }
        guard decided else { throw Refusal(description: "round \(round)'s placement of application \(application) was decided meanwhile") }
        guard let now = try self.round(round)?.placements.first(where: { $0.application == application }) else {
            throw Refusal(description: "the placement was not kept")
        }
        return (now, editSet)
    }

    /// The approved firm moves in: one edit set of the store, checked like any other.
    func moveIn(_ app: Applications.Application, carrier: String, placement: Placement, round: Int, by person: Person, reason: String) throws -> Int {
        var record = JSONObject([("id", .string(app.firmID))])
        for key in ["name", "sector", "flags", "employees"] { if let v = app.record[key] { record[key] = v } }
        if case let .array(flags)? = record["flags"] { record["flags"] = .string(flags.compactMap(\.stringValue).joined(separator: ";")) }
        record["floor_area_m2"] = .number(placement.floorAreaM2 ?? 0)
        let edit = JSONValue.object(JSONObject([("edit", .string("move_in")), ("record", .object(record)), ("carrier", .string(carrier))]))
        let text = JSONValue.object(JSONObject([("edits", .array([edit]))])).serialized
        let set = try EditSet.parse(Data(text.utf8), file: "round \(round), application \(app.id)")
        do {
            return try Editing(store: store).apply(set, by: person, reason: "application \(app.id) placed (round \(round)): \(reason)").editSet
        } catch let errors as DataErrors {
            throw Refusal(description: "the placement no longer fits, nothing was written: " + errors.errors.map(\.problem).joined(separator: "; "))
        }
    }

    public static func json(_ p: Placement) -> JSONValue {
        .object(
            JSONObject([
                ("round", .number(Double(p.round))), ("application", .number(Double(p.application))), ("applicant", .string(p.applicant)),
                ("name", .string(p.name)), ("carrier", p.carrier.map(JSONValue.string) ?? .null), ("building", p.building.map(JSONValue.string) ?? .null),
                ("floor_area_m2", p.floorAreaM2.map(JSONValue.number) ?? .null), ("reason", .string(p.reason)), ("decision", .string(p.decision)),
                ("decided_by", p.decidedBy.map(JSONValue.string) ?? .null), ("decision_reason", p.decisionReason.map(JSONValue.string) ?? .null),
                ("edit_set", p.editSet.map { .number(Double($0)) } ?? .null),
            ]))
    }

    public static func json(_ r: Round) -> JSONValue {
        .object(
            JSONObject([
                ("id", .number(Double(r.id))), ("started_at", .string(r.startedAt)), ("started_by", .string(r.startedBy)),
                ("store_change", .number(Double(r.storeChange))), ("placements", .array(r.placements.map(json))),
                ("unplaced", .array(r.unplaced.map { .object(JSONObject([("application", .number(Double($0.application))), ("reason", .string($0.reason))])) })),
            ]))
    }
}
