import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry

/// Turns an edit set into row changes against the store's current rows, checking each field as
/// the loaders check the files' (types, vocabularies, areas). Every problem of the set is
/// collected; the whole set is refused if there is one.
struct EditPlan {
    let set: EditSet
    let reader: StoreReader
    let workingCRS: CRSCode
    var operations: [RowOperation] = []
    var errors: [DataError] = []
    /// Occupied area changes per carrier from firms moving, applied once per carrier.
    var occupiedChange: [String: Double] = [:]
    /// The records an edit of the set has changed (layer and id → the edit's place), so that a
    /// second edit of the same record is refused rather than made on a version the first replaced.
    var changed: [String: Int] = [:]
    /// Documents changed so far: their new text and where their update is in `operations`, so
    /// that several edits of one document (withdraw a proposal, add another) compose.
    var documents: [String: (json: JSONValue, version: Int, operation: Int)] = [:]

    init(_ set: EditSet, reader: StoreReader, workingCRS: CRSCode) {
        self.set = set
        self.reader = reader
        self.workingCRS = workingCRS
    }

    mutating func problem(_ k: Int, _ id: String?, _ text: String) {
        errors.append(DataError(file: set.file, record: k, recordID: id, problem: text))
    }

    /// Notes that edit `k` changes the record; false (and a problem) if an earlier edit did.
    mutating func claim(_ layer: StoreLayer, _ id: String, at k: Int) -> Bool {
        let key = layer.name + "\u{1}" + id
        if let earlier = changed[key] {
            problem(k, id, "\(layer.name) \(id) is changed by edit \(earlier) already: make them one edit")
            return false
        }
        changed[key] = k
        return true
    }

    static func make(_ set: EditSet, reader: StoreReader, workingCRS: CRSCode) throws -> [RowOperation] {
        var plan = EditPlan(set, reader: reader, workingCRS: workingCRS)
        for (k, edit) in set.edits.enumerated() { try plan.add(edit, at: k) }
        try plan.finishCarriers()
        if !plan.errors.isEmpty { throw DataErrors(errors: plan.errors) }
        return plan.operations
    }

    // MARK: Field values

    /// A field's value as the column wants it, or a problem.
    static func value(_ json: JSONValue, _ column: StoreLayer.Column) -> SQLiteValue? {
        if json.isNull { return .null }
        switch column.type {
        case .real: return json.numberValue.flatMap { $0.isFinite ? .real($0) : nil }
        case .integer: return json.numberValue.flatMap { $0 == $0.rounded() && abs($0) < 1e15 ? .integer(Int64($0)) : nil }
        case .text:
            if let list = json.arrayValue, list.allSatisfy({ $0.stringValue != nil }) { return .text(list.compactMap(\.stringValue).joined(separator: ";")) }
            return json.stringValue.map { .text($0) }
        }
    }

    mutating func fields(_ given: JSONObject, layer: StoreLayer, allowed: Set<String>, at k: Int, id: String) -> [String: SQLiteValue] {
        var out: [String: SQLiteValue] = [:]
        for (key, json) in given.members {
            guard allowed.contains(key), let column = layer.fields.first(where: { $0.name == key }) else {
                problem(k, id, "\(layer.name) field \"\(key)\" cannot be set here; the fields are \(allowed.sorted().joined(separator: ", "))")
                continue
            }
            guard let value = Self.value(json, column) else {
                problem(k, id, "\(key) must be \(column.type == .text ? "text" : column.type == .integer ? "a whole number" : "a number"), found \(json.displayText)")
                continue
            }
            out[key] = value
        }
        return out
    }

    mutating func check(_ values: [String: SQLiteValue], at k: Int, id: String) {
        for (key, value) in values {
            if key.hasSuffix("_m2") || key == "rent_yuan_m2_month", let x = value.double, x < 0 { problem(k, id, "\(key) must not be negative, found \(x)") }
        }
        if let x = values["floor_area_m2"]?.double, x <= 0 { problem(k, id, "floor_area_m2 must be positive") }
        if let x = values["unit_m2"]?.double, x <= 0 { problem(k, id, "unit_m2 must be positive (null when the carrier is not divided)") }
        if let type = values["type"]?.string, CarrierType(rawValue: type) == nil {
            problem(k, id, "type must be one of \(CarrierType.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(type)\"")
        }
        if let level = values["level"]?.string, !Vocabulary.carrierLevels.contains(level) {
            problem(k, id, "level must be one of \(Vocabulary.carrierLevels.sorted().joined(separator: ", ")), found \"\(level)\"")
        }
        if let status = values["status"]?.string, CarrierStatus(rawValue: status) == nil {
            problem(k, id, "status must be one of \(CarrierStatus.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(status)\"")
        }
        if let use = values["use"]?.string, !Vocabulary.buildingUses.contains(use) {
            problem(k, id, "use must be one of \(Vocabulary.buildingUses.sorted().joined(separator: ", ")), found \"\(use)\"")
        }
        if let condition = values["condition"]?.string, !Vocabulary.conditions.contains(condition) {
            problem(k, id, "condition must be one of \(Vocabulary.conditions.sorted().joined(separator: ", ")), found \"\(condition)\"")
        }
        if let floors = values["floors"], floors != .null, (floors.int ?? 0) < 1 { problem(k, id, "floors must be a whole number from 1") }
    }

    // MARK: Edits

    static let carrierFields: Set<String> = [
        "floor_area_m2", "vacant_m2", "occupied_m2", "rent_yuan_m2_month", "status", "name", "operator", "level", "unit_m2",
    ]
    static let buildingFields: Set<String> = ["floors", "height_m", "gfa_m2", "use", "year_built", "condition", "vacant_m2"]

    mutating func add(_ edit: EditSet.Edit, at k: Int) throws {
        switch edit {
        case let .carrier(id, version, given):
            guard let row = try reader.row(.carriers, id: id) else { return problem(k, id, "carriers has no record \(id)") }
            guard claim(.carriers, id, at: k) else { return }
            var values = fields(given, layer: .carriers, allowed: Self.carrierFields, at: k, id: id)
            check(values, at: k, id: id)
            // Vacancy and occupancy are one fact: the one given sets the other against the capacity.
            let area = values["floor_area_m2"]?.double ?? row["floor_area_m2"].double ?? 0
            if values["vacant_m2"] != nil, values["occupied_m2"] != nil {
                return problem(k, id, "give vacant_m2 or occupied_m2, not both: each follows from the other and floor_area_m2")
            }
            if let vacant = values["vacant_m2"]?.double {
                values["occupied_m2"] = .real(area - vacant)
            } else {
                let occupied = values["occupied_m2"]?.double ?? row["occupied_m2"].double ?? 0
                values["occupied_m2"] = .real(occupied)
                values["vacant_m2"] = .real(area - occupied)
            }
            // Said in the words of the field the editor gave.
            if let vacant = given["vacant_m2"]?.numberValue, vacant > area * (1 + 1e-9) || vacant < 0 {
                problem(k, id, "vacant_m2 \(formatFixed(vacant, 1)) is outside 0…floor_area_m2 \(formatFixed(area, 1))")
            } else if let occupied = values["occupied_m2"]?.double, occupied > area * (1 + 1e-9) || occupied < 0 {
                problem(k, id, "occupied_m2 \(formatFixed(occupied, 1)) would fall outside 0…floor_area_m2 \(formatFixed(area, 1))")
            }
            operations.append(.update(layer: .carriers, id: id, expected: version, set: values))
        case let .addCarrier(record):
            let id = record["id"]?.stringValue ?? ""
            if id.isEmpty { return problem(k, nil, "add_carrier needs record.id") }
            var values = fields(
                record.filtering { $0 != "id" && $0 != "building_ids" && $0 != "type" }, layer: .carriers,
                allowed: Self.carrierFields, at: k, id: id)
            for key in ["type", "building_ids"] {
                guard let json = record[key], let value = Self.value(json, .init(name: key, type: .text)), value != .null else {
                    problem(k, id, "add_carrier needs record.\(key)")
                    continue
                }
                values[key] = value
            }
            check(values, at: k, id: id)
            guard let area = values["floor_area_m2"]?.double else { return problem(k, id, "add_carrier needs record.floor_area_m2") }
            let occupied = values["occupied_m2"]?.double ?? (values["vacant_m2"]?.double).map { area - $0 } ?? 0
            values["occupied_m2"] = .real(occupied)
            values["vacant_m2"] = .real(area - occupied)
            if occupied > area || occupied < 0 { problem(k, id, "occupied_m2 must lie within 0…floor_area_m2") }
            for building in StoreRecords.list(values["building_ids"] ?? .null) where try reader.row(.buildings, id: building) == nil {
                problem(k, id, "building_ids names \(building), which the buildings layer does not have")
            }
            if values["status"] == nil { values["status"] = .text(CarrierStatus.open.rawValue) }
            if values["level"] == nil { values["level"] = .text("none") }
            values["id"] = .text(id)
            operations.append(.insert(layer: .carriers, row: StoreRow(values: values)))
        case let .retireCarrier(id, version):
            guard try reader.row(.carriers, id: id) != nil else { return problem(k, id, "carriers has no record \(id)") }
            guard claim(.carriers, id, at: k) else { return }
            // Tenants moving out in the same set are gone by then; any other would name a carrier that is not there.
            let staying = try reader.ids(.enterprises, where: "carrier_id", is: id).filter { changed[StoreLayer.enterprises.name + "\u{1}" + $0] == nil }
            if !staying.isEmpty {
                return problem(
                    k, id,
                    "carrier \(id) still has \(staying.count) tenant\(staying.count == 1 ? "" : "s") (\(staying.prefix(5).joined(separator: ", "))\(staying.count > 5 ? ", …" : "")): move them out or elsewhere first (earlier in this edit set, or in an earlier one)"
                )
            }
            operations.append(.delete(layer: .carriers, id: id, expected: version))
        case let .moveIn(firm, version, record, carrierID, building):
            try moveIn(firm: firm, version: version, record: record, carrierID: carrierID, building: building, at: k)
        case let .moveOut(firm, version):
            guard let row = try reader.row(.enterprises, id: firm) else { return problem(k, firm, "enterprises has no record \(firm)") }
            guard claim(.enterprises, firm, at: k) else { return }
            if let carrier = row["carrier_id"].string, !carrier.isEmpty {
                occupiedChange[carrier, default: 0] -= row["floor_area_m2"].double ?? 0
            }
            operations.append(.delete(layer: .enterprises, id: firm, expected: version))
        case let .building(id, version, given, footprint):
            try building(id: id, version: version, given: given, footprint: footprint, at: k)
        case let .addProposal(version, features):
            try document("proposals.geojson", version: version, at: k) { json in
                guard var object = json.objectValue, let list = object["features"]?.arrayValue else { throw EditSet.EditProblem(text: "is not a GeoJSON FeatureCollection") }
                object["features"] = .array(list + features)
                return .object(object)
            }
        case let .withdrawProposal(proposal, version):
            try document("proposals.geojson", version: version, at: k) { json in
                guard var object = json.objectValue, let list = object["features"]?.arrayValue else { throw EditSet.EditProblem(text: "is not a GeoJSON FeatureCollection") }
                let kept = list.filter { ($0["properties"]?["proposal"]?.stringValue ?? $0["properties"]?["id"]?.stringValue) != proposal }
                if kept.count == list.count { throw EditSet.EditProblem(text: "has no proposal \(proposal)") }
                object["features"] = .array(kept)
                return .object(object)
            }
        case let .config(name, version, key, value):
            try document(name, version: version, at: k) { json in try Self.setting(json, path: key.split(separator: ".").map(String.init), to: value) }
        }
    }

    mutating func moveIn(firm: String?, version: Int?, record: JSONObject?, carrierID: String, building: String?, at k: Int) throws {
        let id = firm ?? record?["id"]?.stringValue ?? ""
        guard let carrier = try reader.row(.carriers, id: carrierID) else { return problem(k, id, "carriers has no record \(carrierID)") }
        let buildings = StoreRecords.list(carrier["building_ids"])
        let target = building ?? buildings.first ?? ""
        if !buildings.contains(target) {
            return problem(k, id, "carrier \(carrierID) is in \(buildings.joined(separator: ", ")), not in building \(target)")
        }
        if carrier["status"].string == CarrierStatus.closedForWorks.rawValue { problem(k, id, "carrier \(carrierID) is closed for works") }
        let placing: [String: SQLiteValue] = ["carrier_id": .text(carrierID), "building_id": .text(target)]
        var area = 0.0
        if let record {
            guard !id.isEmpty else { return problem(k, nil, "move_in of a new firm needs record.id") }
            var values = fields(
                record.filtering { $0 != "id" }, layer: .enterprises, allowed: ["name", "sector", "flags", "employees", "floor_area_m2"], at: k, id: id)
            guard let floor = values["floor_area_m2"]?.double, floor > 0 else { return problem(k, id, "move_in needs record.floor_area_m2, positive") }
            if let sector = values["sector"]?.string, !Vocabulary.sectors.contains(sector) { problem(k, id, "sector \"\(sector)\" is not in the vocabulary") }
            area = floor
            values.merge(placing) { _, new in new }
            values["id"] = .text(id)
            operations.append(.insert(layer: .enterprises, row: StoreRow(values: values)))
        } else {
            guard let row = try reader.row(.enterprises, id: id) else { return problem(k, id, "enterprises has no record \(id)") }
            guard claim(.enterprises, id, at: k) else { return }
            area = row["floor_area_m2"].double ?? 0
            if let previous = row["carrier_id"].string, !previous.isEmpty {
                if previous == carrierID { return problem(k, id, "firm \(id) is already a tenant of \(carrierID)") }
                occupiedChange[previous, default: 0] -= area
            }
            // The firm is now where its carrier is: its building, not its old address.
            operations.append(.update(layer: .enterprises, id: id, expected: version, set: placing, geometry: .some(nil)))
        }
        occupiedChange[carrierID, default: 0] += area
    }

    /// Moves change the carriers' occupied area by the firms' areas, one update per carrier; on
    /// top of a `carrier` edit of the same set, when there is one (its capacity and occupancy).
    mutating func finishCarriers() throws {
        for (id, change) in occupiedChange.sorted(by: { $0.key < $1.key }) where change != 0 {
            guard let row = try reader.row(.carriers, id: id) else { continue }
            // A carrier retired in this set after its tenants moved out has no occupancy left to keep.
            let retired = operations.contains {
                if case let .delete(layer, other, _) = $0 { return layer.name == StoreLayer.carriers.name && other == id }
                return false
            }
            if retired { continue }
            let pending = operations.firstIndex {
                if case let .update(layer, other, _, _, _) = $0 { return layer.name == StoreLayer.carriers.name && other == id }
                return false
            }
            var base: [String: SQLiteValue] = [:]
            var expected: Int?
            if let pending, case let .update(_, _, version, set, _) = operations[pending] {
                base = set
                expected = version
                operations.remove(at: pending)
            }
            let area = base["floor_area_m2"]?.double ?? row["floor_area_m2"].double ?? 0
            let occupied = (base["occupied_m2"]?.double ?? row["occupied_m2"].double ?? 0) + change
            if occupied > area * (1 + 1e-9) {
                errors.append(
                    DataError(
                        file: set.file, recordID: id,
                        problem:
                            "carrier \(id) has \(formatFixed(area - (row["occupied_m2"].double ?? 0), 1)) m² vacant; the firms moving in need \(formatFixed(change, 1)) m²"
                    ))
                continue
            }
            base["occupied_m2"] = .real(max(0, occupied))
            base["vacant_m2"] = .real(area - max(0, occupied))
            operations.append(.update(layer: .carriers, id: id, expected: expected, set: base))
        }
    }

    mutating func building(id: String, version: Int, given: JSONObject, footprint: JSONValue?, at k: Int) throws {
        guard let row = try reader.row(.buildings, id: id) else { return problem(k, id, "buildings has no record \(id)") }
        guard claim(.buildings, id, at: k) else { return }
        var values = fields(given, layer: .buildings, allowed: Self.buildingFields, at: k, id: id)
        check(values, at: k, id: id)
        var geometry: [UInt8]??
        var footprintM2 = row["footprint_m2"].double ?? 0
        if let footprint {
            do {
                let shape = try CoordinateTransformer(from: .wgs84, to: workingCRS).transform(try GeoJSON.shape(footprint))
                let polygon = try Geometry(shape, crs: workingCRS)
                guard polygon.isPolygonal, polygon.isValid, polygon.planarArea > 0 else {
                    return problem(k, id, "the footprint must be a valid polygon with an area (GeoJSON, WGS84 lon/lat)")
                }
                footprintM2 = polygon.planarArea
                geometry = .some(GeoPackageBlob.encode(shape, srs: workingCRS.projCode, multiPolygon: true))
                values["footprint_m2"] = .real(footprintM2)
            } catch { return problem(k, id, "the footprint cannot be read: \(error)") }
        }
        if values["gfa_m2"] != nil, values["gfa_m2"] != .null {
            values["gfa_derived"] = .integer(0)
        } else if row["gfa_derived"].int == 1 || values["gfa_m2"] == .null {
            // A derived floor area follows the floors and the footprint, as the loader derives it.
            let floors = values["floors"]?.int ?? row["floors"].int ?? 1
            values["gfa_m2"] = .real(Double(floors) * footprintM2)
            values["gfa_derived"] = .integer(1)
        }
        let gfa = values["gfa_m2"]?.double ?? row["gfa_m2"].double ?? 0
        let vacant = values["vacant_m2"]?.double ?? row["vacant_m2"].double ?? 0
        if vacant > gfa * (1 + 1e-9) { problem(k, id, "vacant_m2 \(formatFixed(vacant, 1)) exceeds the gross floor area \(formatFixed(gfa, 1))") }
        operations.append(.update(layer: .buildings, id: id, expected: version, set: values, geometry: geometry))
    }

    /// A change to a whole document (proposals, configuration): the new text replaces the old.
    /// Several edits of one document in a set compose, in order; each names the version it was read at.
    mutating func document(_ name: String, version: Int, at k: Int, _ change: (JSONValue) throws -> JSONValue) throws {
        let json: JSONValue
        if let pending = documents[name] {
            guard pending.version == version else {
                return problem(k, name, "names version \(version) of \(name), and an earlier edit of the set version \(pending.version)")
            }
            json = pending.json
        } else {
            guard let row = try reader.row(.documents, id: name) else { return problem(k, name, "the store holds no document \(name)") }
            do { json = try parseJSON(Data(row["body"].bytes ?? [])) } catch { return problem(k, name, "\(name) is not JSON: \(error)") }
        }
        do {
            let changed = try change(json)
            let update = RowOperation.update(
                layer: .documents, id: name, expected: version, set: ["body": .blob(Array((serializedJSON(changed) + "\n").utf8))])
            if let pending = documents[name] {
                operations[pending.operation] = update
                documents[name] = (changed, version, pending.operation)
            } else {
                documents[name] = (changed, version, operations.count)
                operations.append(update)
            }
        } catch let error as EditSet.EditProblem {
            problem(k, name, "\(name) \(error.text)")
        }
    }

    /// The document with the value at `path` (object keys and array positions) replaced.
    static func setting(_ json: JSONValue, path: [String], to value: JSONValue) throws -> JSONValue {
        guard let key = path.first else { return value }
        let rest = Array(path.dropFirst())
        if var object = json.objectValue {
            guard let inner = object[key] else {
                throw EditSet.EditProblem(text: "has no \"\(key)\" here; its keys are \(object.keys.joined(separator: ", "))")
            }
            object[key] = try setting(inner, path: rest, to: value)
            return .object(object)
        }
        if var array = json.arrayValue, let i = Int(key), array.indices.contains(i) {
            array[i] = try setting(array[i], path: rest, to: value)
            return .array(array)
        }
        throw EditSet.EditProblem(text: "has no \"\(key)\" under the key given")
    }
}

extension JSONObject {
    /// The members whose keys pass `keep`, in order.
    func filtering(_ keep: (String) -> Bool) -> JSONObject {
        JSONObject(members.filter { keep($0.key) }.map { ($0.key, $0.value) })
    }
}
