/// A public key that checks signatures, and its key ID.

/// A public key (ECDSA P-256 or Ed25519) that verifies evidence signatures.
public struct PublicKey: Sendable {
    private let key: OpenSSLKey
    /// Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo; the DSSE `keyid`.
    public let keyID: String
    /// The SubjectPublicKeyInfo PEM text.
    public let pem: String
    /// The DER SubjectPublicKeyInfo bytes.
    public let spkiDER: [UInt8]

    init(_ key: OpenSSLKey) throws(SigningError) {
        self.key = key
        self.spkiDER = try key.spkiDER()
        self.keyID = sha256Hex(spkiDER)
        self.pem = try key.publicPEM()
    }

    /// Parses SPKI PEM text ("-----BEGIN PUBLIC KEY-----"); `source` names it in error messages.
    public init(pem text: String, source: String = "public key text") throws(SigningError) {
        try self.init(OpenSSLKey.publicKey(pem: text, source: source))
    }

    /// Parses DER SubjectPublicKeyInfo bytes.
    public init(spkiDER bytes: [UInt8], source: String = "public key bytes") throws(SigningError) {
        try self.init(OpenSSLKey.publicKey(spkiDER: bytes, source: source))
    }

    /// Loads an SPKI PEM public key file.
    public static func load(pemAt path: String) throws(SigningError) -> PublicKey {
        try PublicKey(pem: try KeyFiles.read(path, privateKey: false), source: path)
    }

    /// The key's algorithm.
    public var algorithm: KeyAlgorithm { key.algorithm }

    /// Whether `signature` is a valid signature of `message` by this key.
    ///
    /// ECDSA signatures must be ASN.1 DER (OpenSSL rejects other encodings); Ed25519 is pure.
    public func verify(message: [UInt8], signature: [UInt8]) -> Bool {
        key.verify(message, signature: signature)
    }
}
