import Foundation
import SpaceCore

/// A carrier's tenants as its operator lists them: a CSV file or a spreadsheet with the
/// enterprise layer's columns (`id`, `name`, `sector`, `flags`, `employees`, `floor_area_m2`,
/// optionally `building_id`), read by that layer's own rules, every problem named by row. A firm
/// is placed in `building` (the carrier's) unless its row names another.
public enum TenantList {
    public static let extensions: Set<String> = ["csv", "xlsx", "xls", "ods"]

    public static func read(_ url: URL, building: String, policy: Policy) throws -> [Enterprise] {
        guard extensions.contains(url.pathExtension.lowercased()), let format = LayerFormat(fileName: url.lastPathComponent) else {
            throw DataError(file: url.path, problem: "a tenant list is a CSV file or a spreadsheet (.xlsx, .xls, .ods)")
        }
        var layer = Manifest.Layer(name: "enterprises", file: url, crs: nil, format: format)
        layer.defaults["building_id"] = .string(building)
        return try LayerLoaders.enterprises(layer, policy: policy).0
    }
}
