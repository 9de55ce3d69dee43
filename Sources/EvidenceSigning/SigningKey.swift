/// The signer interface and the local signing key (ECDSA P-256 or Ed25519 held in a PEM file).

/// Anything that can sign evidence: a local key today, a Key Vault-held key later.
///
/// Callers depend only on this protocol, so a remote signer can be added without changing them.
public protocol EvidenceSigner: Sendable {
    /// The DSSE `keyid`: lowercase hex SHA-256 of the public key's DER SubjectPublicKeyInfo.
    var keyID: String { get }
    /// The public key as SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----").
    var publicKeyPEM: String { get }
    /// The algorithm the signatures are made with.
    var algorithm: KeyAlgorithm { get }
    /// Signs `message` as is: ECDSA P-256 over SHA-256(message) with an ASN.1 DER signature,
    /// or pure Ed25519 over the message (a 64-byte signature).
    func sign(_ message: [UInt8]) throws -> [UInt8]
}

/// A signing key held by this process, loaded from or written to PEM files.
public final class SigningKey: EvidenceSigner {
    /// The algorithms a signing key can use.
    public typealias Algorithm = KeyAlgorithm

    /// File name of the private key inside a key directory.
    public static let privateKeyFileName = "signing-key.pem"
    /// File name of the public key inside a key directory.
    public static let publicKeyFileName = "signing-key.pub.pem"

    private let key: OpenSSLKey
    public let keyID: String
    public let publicKeyPEM: String
    /// The public half, for verifying what this key signed.
    public let publicKey: PublicKey

    private init(_ key: OpenSSLKey) throws(SigningError) {
        self.key = key
        self.publicKey = try PublicKey(key)
        self.keyID = publicKey.keyID
        self.publicKeyPEM = publicKey.pem
    }

    /// The algorithm of this key.
    public var algorithm: KeyAlgorithm { key.algorithm }

    /// The key's fingerprint, the same value as `keyID`.
    public var fingerprint: String { keyID }

    /// Generates a new key pair with OpenSSL.
    public static func generate(_ algorithm: Algorithm = .ecdsaP256) throws(SigningError)
        -> SigningKey
    {
        try SigningKey(OpenSSLKey.generate(algorithm))
    }

    /// Loads a private key from a PEM file (PKCS#8 or traditional, unencrypted).
    ///
    /// Refuses a file that its group or other users can read (mode & 0o077 ≠ 0), naming the
    /// `chmod` that fixes it.
    public static func load(privateKeyPEMAt path: String) throws(SigningError) -> SigningKey {
        let text = try KeyFiles.read(path, privateKey: true)
        return try SigningKey(OpenSSLKey.privateKey(pem: text, source: path))
    }

    /// Loads a private key from PEM text, for example from a CI secret in an environment variable;
    /// `source` names where the text came from in error messages.
    public static func load(privateKeyPEM text: String, source: String = "private key text")
        throws(SigningError)
        -> SigningKey
    {
        try SigningKey(OpenSSLKey.privateKey(pem: text, source: source))
    }

    /// The private key as unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----").
    public func privateKeyPEM() throws(SigningError) -> String {
        try key.privatePEM()
    }

    /// Writes `DIR/signing-key.pem` (PKCS#8, created with mode 0600) and `DIR/signing-key.pub.pem`
    /// (SPKI, mode 0644), creating `directory` with mode 0700 if it is missing.
    ///
    /// Never overwrites: an existing key file is an error. Returns the two paths written.
    @discardableResult
    public func write(to directory: String) throws(SigningError) -> (
        privateKey: String, publicKey: String
    ) {
        try KeyFiles.ensureDirectory(directory)
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        let privatePath = base + Self.privateKeyFileName
        let publicPath = base + Self.publicKeyFileName
        for path in [privatePath, publicPath] where KeyFiles.exists(path) {
            throw .keyFileExists(path: path)
        }
        try KeyFiles.create(privatePath, text: try key.privatePEM(), mode: 0o600)
        do {
            try KeyFiles.create(publicPath, text: publicKeyPEM, mode: 0o644)
        } catch {
            // Leave no private key without its public half.
            KeyFiles.remove(privatePath)
            throw error
        }
        return (privatePath, publicPath)
    }

    /// Signs `message` with this key (see `EvidenceSigner.sign`).
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        try key.sign(message)
    }
}
