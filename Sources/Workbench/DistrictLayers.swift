import Foundation
import SpacePlanKit

/// The district's layers as the OGC API serves them: the published layer models of the space
/// map (and the shipped renewal units), each indexed by feature id and WGS84 envelope.
struct DistrictLayers: Sendable {
    let all: [FeatureLayer]

    subscript(id: String) -> FeatureLayer? { all.first { $0.id == id } }

    init(_ published: [PublishedLayer], progress: (String) -> Void) throws {
        all = try published.map { layer in
            progress("publishing \(layer.id)")
            return try FeatureLayer(layer)
        }
    }
}
