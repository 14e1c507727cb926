#if canImport(Glibc)
    import Glibc
#endif

/// Decodes text in a named encoding (GBK, GB18030, UTF-8…) to Swift strings, strictly: a byte
/// sequence the encoding does not define is an error, never a replacement character. Uses the
/// C library's iconv (glibc ships GBK and GB18030). One decoder per thread: iconv state is not
/// shared.
public final class TextDecoder {
    public let encoding: String
    private let isUTF8: Bool
    private let converter: iconv_t?

    public struct Failure: Error, CustomStringConvertible, Equatable {
        /// The byte offset where decoding stopped.
        public let offset: Int
        public let message: String
        public var description: String { message }
    }

    /// Encoding names as files and planners write them ("936", "CP936", "gbk", "utf8").
    public static func canonicalName(_ name: String) -> String {
        let upper = name.trimmingSpacesAndCase
        switch upper {
        case "UTF8", "UTF-8", "65001": return "UTF-8"
        case "936", "CP936", "GBK", "GB2312", "EUC-CN", "ANSI 936": return "GBK"
        case "54936", "GB18030": return "GB18030"
        case "950", "CP950", "BIG5": return "BIG5"
        case "1252", "CP1252", "WINDOWS-1252": return "CP1252"
        case "LATIN1", "ISO-8859-1", "ISO8859-1", "88591", "8859-1": return "ISO-8859-1"
        default: return upper
        }
    }

    /// Fails when iconv does not know the encoding.
    public init(encoding name: String) throws {
        encoding = TextDecoder.canonicalName(name)
        isUTF8 = encoding == "UTF-8"
        if isUTF8 { converter = nil; return }
        let handle = iconv_open("UTF-8", encoding)
        guard handle != iconv_t(bitPattern: -1) else {
            throw Failure(offset: 0, message: "unknown text encoding \"\(name)\": name one iconv knows, e.g. GBK, GB18030, UTF-8")
        }
        converter = handle
    }

    deinit { if let converter { iconv_close(converter) } }

    /// The text of `bytes`, or a failure naming the first bytes that are not text in this encoding.
    public func decode(_ bytes: UnsafeRawBufferPointer) throws -> String {
        let input = bytes.bindMemory(to: UInt8.self)
        // ASCII reads the same in every encoding offered: no conversion (most fields are codes and numbers).
        if isUTF8 || !input.contains(where: { $0 >= 0x80 }) {
            if let problem = TextEncoding.firstProblem(input, refusingNUL: true) {
                throw Failure(offset: problem.offset, message: problem.message)
            }
            return String(decoding: input, as: UTF8.self)
        }
        guard let converter else { return "" }
        _ = iconv(converter, nil, nil, nil, nil)  // reset shift state
        var out = [UInt8](repeating: 0, count: input.count * 4 + 4)
        var inLeft = input.count, outLeft = out.count
        let failedAt: Int? = out.withUnsafeMutableBufferPointer { outBuffer -> Int? in
            let start = UnsafeMutableRawPointer(mutating: input.baseAddress!).assumingMemoryBound(to: CChar.self)
            var inPointer: UnsafeMutablePointer<CChar>? = start
            var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            if iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) == -1 { return start.distance(to: inPointer!) }
            return nil
        }
        if let offset = failedAt {
            throw Failure(offset: offset, message: "the bytes \(TextEncoding.shownBytes(input, at: offset)) are not \(encoding) text")
        }
        out.removeLast(outLeft)
        if out.contains(0) { throw Failure(offset: 0, message: "a NUL byte: the text is binary, not \(encoding)") }
        return String(decoding: out, as: UTF8.self)
    }

    public func decode(_ bytes: [UInt8]) throws -> String {
        try bytes.withUnsafeBytes { try decode($0) }
    }
}

private extension String {
    var trimmingSpacesAndCase: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s.uppercased()
    }
}
