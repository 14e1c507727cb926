import ArgumentParser
import Foundation
import SpacePlanKit

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Look at a folder of bureau files and write a draft layers.json to edit.",
        discussion: """
            Reads every file spaceplan can read in the folders and files given (GeoJSON, CSV, \
            Shapefile, GeoPackage, File Geodatabase, Excel…): each layer's geometry type, feature \
            count, CRS and text encoding (a Shapefile's .cpg or language byte; with neither, whether \
            its text is UTF-8 or GBK). It suggests the schema layer each one is and a mapping of the \
            schema's fields to the file's columns, by name (English, Chinese, pinyin initials such as \
            YDXZ or JZMJ) and by content (land-use codes, vocabulary words, coordinates), and writes \
            them as a draft manifest with what is left to do for each layer. The draft never replaces \
            a file: an existing layers.json is left alone unless --output names another file.

            Example:
              spaceplan inspect bureau-files/                 (writes bureau-files/layers.json)
              spaceplan inspect bureau-files/ --output draft.json
            """
    )

    @Argument(help: "Folders or files to inspect.")
    var paths: [String]

    @Option(name: .long, help: "Where to write the draft (default: layers.json in the first folder given).")
    var output: String?

    @Option(name: .long, help: "The district's name in the draft (default: the folder's name).")
    var name: String?

    func run() throws {
        let urls = try paths.map { try path($0, option: "PATH") }
        let first = urls[0]
        var isFolder: ObjCBool = false
        let firstIsFolder =
            FileManager.default.fileExists(atPath: first.path, isDirectory: &isFolder) && isFolder.boolValue
            && first.pathExtension.lowercased() != "gdb"
        let target =
            try output.map { try path($0, option: "--output") }
            ?? (firstIsFolder ? first : first.deletingLastPathComponent()).appendingPathComponent("layers.json")
        if output == nil, FileManager.default.fileExists(atPath: target.path) {
            throw ValidationError("\(target.path) exists: the draft never replaces a manifest; give --output FILE to write it elsewhere")
        }
        let folder = target.deletingLastPathComponent()
        let found = try BureauFiles.inspect(urls, name: name ?? (firstIsFolder ? first : folder).lastPathComponent, folder: folder)
        try OutputFile(target, inputs: found.files).commit(Artifact(target.lastPathComponent, text: found.draft))
        print(found.table)
        print("wrote the draft manifest to \(target.path): check it, then run spaceplan validate --data \(folder.path)")
    }
}
