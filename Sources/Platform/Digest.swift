import CLibCrypto
import Foundation

/// SHA-256 from OpenSSL's libcrypto: session tokens and remembered passwords are kept only as it.
public enum Digest {
    /// The SHA-256 of the text's UTF-8, as 64 lowercase hex digits.
    public static func sha256(_ text: String) -> String {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { input in _ = SHA256(input.baseAddress, input.count, &digest) }
        return digest.map { String(format: "%02x", $0) }.joined()
    }
}
