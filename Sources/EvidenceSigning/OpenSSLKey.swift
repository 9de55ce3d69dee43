/// The owner of one OpenSSL `EVP_PKEY` handle and the few libcrypto calls made on it.

import CCrypto

/// OpenSSL's error queue as text, emptied; falls back to `fallback` when the queue is empty.
func openSSLErrorText(_ fallback: String = "no detail from OpenSSL") -> String {
    var messages: [String] = []
    while true {
        let code = ERR_get_error()
        if code == 0 { break }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        messages.append(
            String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        )
    }
    return messages.isEmpty ? fallback : messages.joined(separator: "; ")
}

/// The key algorithms PathProof signs and verifies with.
public enum KeyAlgorithm: String, Sendable, CaseIterable {
    /// ECDSA over NIST P-256 with SHA-256; signatures are ASN.1 DER (what cosign and securesystemslib expect).
    case ecdsaP256 = "ecdsa-p256"
    /// Pure Ed25519 (RFC 8032), 64-byte signatures.
    case ed25519 = "ed25519"
}

/// One `EVP_PKEY`, freed when the last reference goes.
///
/// The handle is never changed after creation; OpenSSL 3 allows concurrent signing and
/// verification with one key, which is why this class is `@unchecked Sendable`.
final class OpenSSLKey: @unchecked Sendable {
    let handle: OpaquePointer
    let algorithm: KeyAlgorithm
    let hasPrivateKey: Bool

    /// Takes ownership of `handle`; refuses any key that is not P-256 or Ed25519.
    init(taking handle: OpaquePointer, hasPrivateKey: Bool, source: String) throws(SigningError) {
        switch EVP_PKEY_get_base_id(handle) {
        case EVP_PKEY_ED25519:
            algorithm = .ed25519
        case EVP_PKEY_EC:
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            let group =
                EVP_PKEY_get_group_name(handle, &name, name.count, &length) == 1
                ? String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                : "unknown"
            guard group == "prime256v1" || group == "P-256" else {
                EVP_PKEY_free(handle)
                throw .unsupportedKey(source: source, reason: "an EC key on curve \(group)")
            }
            algorithm = .ecdsaP256
        default:
            let type = EVP_PKEY_get0_type_name(handle).map { String(cString: $0) } ?? "unknown"
            EVP_PKEY_free(handle)
            throw .unsupportedKey(source: source, reason: "a \(type) key")
        }
        self.handle = handle
        self.hasPrivateKey = hasPrivateKey
    }

    deinit {
        EVP_PKEY_free(handle)
    }

    /// Generates a fresh key pair (`EVP_PKEY_keygen` through a named context).
    static func generate(_ algorithm: KeyAlgorithm) throws(SigningError) -> OpenSSLKey {
        ERR_clear_error()
        let name = algorithm == .ed25519 ? "ED25519" : "EC"
        guard let context = EVP_PKEY_CTX_new_from_name(nil, name, nil) else {
            throw .openSSL(operation: "create a \(name) key context", detail: openSSLErrorText())
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else {
            throw .openSSL(operation: "start key generation", detail: openSSLErrorText())
        }
        if algorithm == .ecdsaP256, EVP_PKEY_CTX_set_group_name(context, "P-256") != 1 {
            throw .openSSL(operation: "select curve P-256", detail: openSSLErrorText())
        }
        var key: OpaquePointer?
        guard EVP_PKEY_generate(context, &key) == 1, let key else {
            throw .openSSL(
                operation: "generate a \(algorithm.rawValue) key", detail: openSSLErrorText())
        }
        return try OpenSSLKey(taking: key, hasPrivateKey: true, source: "generated key")
    }

    /// Reads a private key from PEM text (`PEM_read_bio_PrivateKey`); PKCS#8 and traditional forms.
    static func privateKey(pem: String, source: String) throws(SigningError) -> OpenSSLKey {
        ERR_clear_error()
        let handle = try withMemoryBIO(pem, source: source) { bio in
            PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let handle else {
            throw .invalidPEM(
                source: source, reason: "no unencrypted private key found (\(openSSLErrorText()))")
        }
        return try OpenSSLKey(taking: handle, hasPrivateKey: true, source: source)
    }

    /// Reads a SubjectPublicKeyInfo public key from PEM text (`PEM_read_bio_PUBKEY`).
    static func publicKey(pem: String, source: String) throws(SigningError) -> OpenSSLKey {
        ERR_clear_error()
        let handle = try withMemoryBIO(pem, source: source) { bio in
            PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        guard let handle else {
            throw .invalidPEM(source: source, reason: "no public key found (\(openSSLErrorText()))")
        }
        return try OpenSSLKey(taking: handle, hasPrivateKey: false, source: source)
    }

    /// Reads a public key from its DER SubjectPublicKeyInfo bytes (`d2i_PUBKEY`).
    static func publicKey(spkiDER: [UInt8], source: String) throws(SigningError) -> OpenSSLKey {
        ERR_clear_error()
        let handle: OpaquePointer? = spkiDER.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let handle else {
            throw .invalidPEM(
                source: source, reason: "not a DER SubjectPublicKeyInfo (\(openSSLErrorText()))")
        }
        return try OpenSSLKey(taking: handle, hasPrivateKey: false, source: source)
    }

    private static func withMemoryBIO(
        _ text: String, source: String, _ body: (OpaquePointer) -> OpaquePointer?
    ) throws(SigningError) -> OpaquePointer? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .invalidPEM(source: source, reason: "the text is empty") }
        return bytes.withUnsafeBytes { buffer -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else {
                return nil
            }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }

    /// The public key as DER SubjectPublicKeyInfo (`i2d_PUBKEY`).
    func spkiDER() throws(SigningError) -> [UInt8] {
        ERR_clear_error()
        let length = i2d_PUBKEY(handle, nil)
        guard length > 0 else {
            throw .openSSL(operation: "encode the public key", detail: openSSLErrorText())
        }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_PUBKEY(handle, &cursor)
        }
        guard written == length else {
            throw .openSSL(operation: "encode the public key", detail: openSSLErrorText())
        }
        return der
    }

    /// The public key as SPKI PEM ("BEGIN PUBLIC KEY").
    func publicPEM() throws(SigningError) -> String {
        try writePEM("encode the public key as PEM") { bio in PEM_write_bio_PUBKEY(bio, handle) }
    }

    /// The private key as unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY").
    func privatePEM() throws(SigningError) -> String {
        try writePEM("encode the private key as PKCS#8 PEM") { bio in
            PEM_write_bio_PKCS8PrivateKey(bio, handle, nil, nil, 0, nil, nil)
        }
    }

    private func writePEM(_ operation: String, _ body: (OpaquePointer) -> Int32)
        throws(SigningError) -> String
    {
        ERR_clear_error()
        guard let bio = BIO_new(BIO_s_mem()) else {
            throw .openSSL(operation: operation, detail: openSSLErrorText())
        }
        defer { BIO_free(bio) }
        guard body(bio) == 1 else {
            throw .openSSL(operation: operation, detail: openSSLErrorText())
        }
        var data: UnsafeMutablePointer<CChar>?
        let length = ccrypto_bio_get_mem_data(bio, &data)
        guard length > 0, let data else {
            throw .openSSL(operation: operation, detail: "empty output")
        }
        return UnsafeBufferPointer(start: data, count: Int(length)).withMemoryRebound(
            to: UInt8.self
        ) {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// Signs `message` in one shot (`EVP_DigestSign`): SHA-256 + DER for P-256, pure for Ed25519.
    func sign(_ message: [UInt8]) throws(SigningError) -> [UInt8] {
        guard hasPrivateKey else {
            throw .unsupportedKey(source: "public key", reason: "a public key cannot sign")
        }
        ERR_clear_error()
        guard let context = EVP_MD_CTX_new() else {
            throw .openSSL(operation: "create a signing context", detail: openSSLErrorText())
        }
        defer { EVP_MD_CTX_free(context) }
        let digest = algorithm == .ecdsaP256 ? EVP_sha256() : nil
        guard EVP_DigestSignInit(context, nil, digest, nil, handle) == 1 else {
            throw .openSSL(operation: "start signing", detail: openSSLErrorText())
        }
        var length = 0
        guard EVP_DigestSign(context, nil, &length, message, message.count) == 1 else {
            throw .openSSL(operation: "size the signature", detail: openSSLErrorText())
        }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1 else {
            throw .openSSL(operation: "sign", detail: openSSLErrorText())
        }
        return Array(signature.prefix(length))
    }

    /// Whether `signature` is valid for `message` (`EVP_DigestVerify`); never throws for a bad signature.
    func verify(_ message: [UInt8], signature: [UInt8]) -> Bool {
        ERR_clear_error()
        defer { ERR_clear_error() }
        guard !signature.isEmpty, let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        let digest = algorithm == .ecdsaP256 ? EVP_sha256() : nil
        guard EVP_DigestVerifyInit(context, nil, digest, nil, handle) == 1 else { return false }
        return EVP_DigestVerify(context, signature, signature.count, message, message.count) == 1
    }
}

/// SHA-256 of `bytes` (`EVP_Digest`).
public func sha256(_ bytes: [UInt8]) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: 32)
    var length: UInt32 = 0
    let status = EVP_Digest(bytes, bytes.count, &digest, &length, EVP_sha256(), nil)
    // SHA-256 in the default provider cannot fail short of memory exhaustion.
    precondition(status == 1 && length == 32, "OpenSSL SHA-256 failed: \(openSSLErrorText())")
    return digest
}

/// Lowercase hexadecimal SHA-256 of `bytes`.
public func sha256Hex(_ bytes: [UInt8]) -> String {
    hexString(sha256(bytes))
}

/// Lowercase hexadecimal text of `bytes`.
public func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var output = [UInt8]()
    output.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        output.append(digits[Int(byte >> 4)])
        output.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: output, as: UTF8.self)
}
