/// The Key Vault audit operation names a proof policy may put in scope.

/// Key Vault's `OperationName` values for keys and vault events (ObjectVerb form).
///
/// A policy naming anything else is refused at load: a wrong name (for example `KeyUnwrapKey`)
/// would silently match nothing and shrink the proof.
public enum KeyVaultOperation {
    /// The operations a customer-managed-key flow uses; the default scope.
    public static let defaultScope = ["KeyGet", "KeyWrap", "KeyUnwrap"]

    /// Every key operation name Key Vault and Managed HSM write to the audit log.
    public static let keyOperations: [String] = [
        "KeyBackup", "KeyCreate", "KeyDecrypt", "KeyDelete", "KeyEncrypt", "KeyGet", "KeyGetDeleted",
        "KeyImport", "KeyList", "KeyListDeleted", "KeyListVersions", "KeyPurge", "KeyRecover", "KeyRelease",
        "KeyRestore", "KeyRotate", "KeyRotateIfDue", "KeyRotationPolicyGet", "KeyRotationPolicySet", "KeySign",
        "KeyUnwrap", "KeyUpdate", "KeyVerify", "KeyWrap",
    ]

    /// The canonical spelling of `name` when it is a known key operation (case-insensitive).
    public static func canonical(_ name: String) -> String? {
        let lowered = name.lowercased()
        return keyOperations.first { $0.lowercased() == lowered }
    }

    /// A known operation a mistyped `name` probably meant, for the refusal message.
    public static func suggestion(for name: String) -> String? {
        let lowered = name.lowercased()
        let candidates = keyOperations.filter { operation in
            let known = operation.lowercased()
            return lowered.hasPrefix(known) || known.hasPrefix(lowered)
        }
        return candidates.max { $0.count < $1.count }
    }
}
