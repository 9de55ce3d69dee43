/// Conversion between the two ECDSA P-256 signature encodings: JWS r‖s (Key Vault) and ASN.1 DER (DSSE).

import CCrypto

/// ECDSA P-256 signature encodings.
///
/// Azure Key Vault (ES256, RFC 7518) returns the 64-byte concatenation r‖s, while cosign,
/// securesystemslib and `openssl dgst -verify` expect ASN.1 DER. A Key Vault-backed
/// `EvidenceSigner` converts with `der(fromRaw:)` so callers always receive DER.
public enum ECDSASignature {
    /// Byte length of each of r and s for P-256.
    public static let scalarLength = 32

    /// DER `SEQUENCE { INTEGER r, INTEGER s }` from the 64-byte r‖s form (`i2d_ECDSA_SIG`).
    public static func der(fromRaw raw: [UInt8]) throws(SigningError) -> [UInt8] {
        guard raw.count == 2 * scalarLength else {
            throw .signatureInvalid(reason: "an r‖s P-256 signature has 64 bytes, not \(raw.count)")
        }
        ERR_clear_error()
        guard let signature = ECDSA_SIG_new() else {
            throw .openSSL(operation: "allocate an ECDSA signature", detail: openSSLErrorText())
        }
        defer { ECDSA_SIG_free(signature) }
        let r = BN_bin2bn(raw, Int32(scalarLength), nil)
        let s = Array(raw[scalarLength...]).withUnsafeBufferPointer {
            BN_bin2bn($0.baseAddress, Int32(scalarLength), nil)
        }
        guard let r, let s, ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            throw .openSSL(operation: "build an ECDSA signature", detail: openSSLErrorText())
        }
        let length = i2d_ECDSA_SIG(signature, nil)
        guard length > 0 else {
            throw .openSSL(operation: "encode an ECDSA signature", detail: openSSLErrorText())
        }
        var der = [UInt8](repeating: 0, count: Int(length))
        _ = der.withUnsafeMutableBufferPointer { buffer in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_ECDSA_SIG(signature, &cursor)
        }
        return der
    }

    /// The 64-byte r‖s form of a DER signature (`d2i_ECDSA_SIG`); refuses trailing bytes.
    public static func raw(fromDER der: [UInt8]) throws(SigningError) -> [UInt8] {
        ERR_clear_error()
        var consumed = 0
        let signature: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            let parsed = d2i_ECDSA_SIG(nil, &cursor, buffer.count)
            if let cursor, let base = buffer.baseAddress { consumed = cursor - base }
            return parsed
        }
        guard let signature else { throw .signatureInvalid(reason: "not a DER ECDSA signature") }
        defer { ECDSA_SIG_free(signature) }
        guard consumed == der.count else {
            throw .signatureInvalid(reason: "bytes after the DER ECDSA signature")
        }
        var r: OpaquePointer?
        var s: OpaquePointer?
        ECDSA_SIG_get0(signature, &r, &s)
        var raw = [UInt8](repeating: 0, count: 2 * scalarLength)
        let written = raw.withUnsafeMutableBufferPointer { buffer in
            (
                BN_bn2binpad(r, buffer.baseAddress, Int32(scalarLength)),
                BN_bn2binpad(s, buffer.baseAddress! + scalarLength, Int32(scalarLength))
            )
        }
        guard written.0 == Int32(scalarLength), written.1 == Int32(scalarLength) else {
            throw .signatureInvalid(reason: "r or s is longer than 32 bytes")
        }
        return raw
    }
}
