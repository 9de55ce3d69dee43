/// Signing a JWT client assertion with a certificate's RSA key through OpenSSL (libcrypto).

import CCrypto
import Foundation

/// Builds the RS256-signed client assertion Microsoft Entra accepts for certificate credentials.
///
/// The header names the certificate by its SHA-256 thumbprint (`x5t#S256`); the claims are `aud`
/// (the token endpoint), `iss` and `sub` (the client id), `jti`, `nbf`, `iat` and a ten-minute `exp`.
final class CertificateAssertionSigner {
    private let key: OpaquePointer
    private let thumbprintSHA256: Data
    private let path: String

    /// Reads the private key and the certificate from one PEM file (as AZURE_CLIENT_CERTIFICATE_PATH holds).
    init(pemPath: String) throws(LogAnalyticsError) {
        path = pemPath
        // The file holds a private key: one every user of the machine can read is refused.
        var status = stat()
        if stat(pemPath, &status) == 0, status.st_mode & 0o004 != 0 {
            throw .credentialUnavailable(
                kind: .clientCertificate,
                reason:
                    "\(pemPath) holds a private key and every user can read it (mode "
                    + "\(String(status.st_mode & 0o777, radix: 8))); make it private with chmod 600 (in Kubernetes, "
                    + "mount the secret with defaultMode 0400)")
        }
        guard let pem = FileManager.default.contents(atPath: pemPath) else {
            throw .credentialUnavailable(
                kind: .clientCertificate, reason: "cannot read the certificate file \(pemPath)")
        }
        guard let key = Self.withBIO(pem, { PEM_read_bio_PrivateKey($0, nil, nil, nil) }) else {
            throw .credentialUnavailable(
                kind: .clientCertificate,
                reason: "\(pemPath) holds no unencrypted private key (\(Self.opensslError()))")
        }
        guard EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA else {
            EVP_PKEY_free(key)
            throw .credentialUnavailable(
                kind: .clientCertificate,
                reason: "the key in \(pemPath) is not RSA; Entra certificate assertions need RS256")
        }
        guard let certificate = Self.withBIO(pem, { PEM_read_bio_X509($0, nil, nil, nil) }) else {
            EVP_PKEY_free(key)
            throw .credentialUnavailable(kind: .clientCertificate, reason: "\(pemPath) holds no certificate")
        }
        defer { X509_free(certificate) }
        let length = i2d_X509(certificate, nil)
        var der = [UInt8](repeating: 0, count: Int(max(length, 0)))
        der.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            _ = i2d_X509(certificate, &cursor)
        }
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        SHA256(der, der.count, &digest)
        self.key = key
        self.thumbprintSHA256 = Data(digest)
    }

    deinit { EVP_PKEY_free(key) }

    /// The signed assertion, `header.claims.signature` in base64url.
    func assertion(audience: String, clientID: String, now: Date) throws(LogAnalyticsError) -> String {
        let issued = Int(now.timeIntervalSince1970)
        let header: [String: Any] = ["alg": "RS256", "typ": "JWT", "x5t#S256": Base64URL.encode(thumbprintSHA256)]
        let claims: [String: Any] = [
            "aud": audience, "iss": clientID, "sub": clientID, "jti": UUID().uuidString.lowercased(),
            "nbf": issued, "iat": issued, "exp": issued + 600,
        ]
        let signingInput = Base64URL.encode(Self.json(header)) + "." + Base64URL.encode(Self.json(claims))
        let signature = try sign(Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    private func sign(_ message: [UInt8]) throws(LogAnalyticsError) -> Data {
        guard let context = EVP_MD_CTX_new() else { throw failure("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else { throw failure("EVP_DigestSignInit") }
        var length = 0
        guard EVP_DigestSign(context, nil, &length, message, message.count) == 1 else {
            throw failure("EVP_DigestSign")
        }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1 else {
            throw failure("EVP_DigestSign")
        }
        return Data(signature.prefix(length))
    }

    private func failure(_ call: String) -> LogAnalyticsError {
        .credentialUnavailable(
            kind: .clientCertificate, reason: "signing with the key in \(path) failed: \(call): \(Self.opensslError())")
    }

    /// Runs `body` over a read-only memory BIO holding `pem`.
    private static func withBIO(_ pem: Data, _ body: (OpaquePointer) -> OpaquePointer?) -> OpaquePointer? {
        pem.withUnsafeBytes { raw -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }

    private static func json(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    /// The last OpenSSL error, with its code, cleared from the queue.
    private static func opensslError() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "no OpenSSL error" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
