/// Vault configuration context: the network settings that VaultGet, VaultPut and VaultPatch events
/// showed, and the policy's optional demand that public network access be disabled.

import TableModel

/// One configuration event of a vault in scope, with the settings its response showed.
struct ConfigurationEvent {
    let record: EvidenceRecord
    let values: [String: String]
}

extension AnalysisRun {
    /// The settings read from configuration events: the projected column, then the raw
    /// AzureDiagnostics column (the vault's own `properties` flattened, as Log Analytics names it).
    static let configurationSettings: [(setting: String, columns: [String])] = [
        ("publicNetworkAccess", ["PublicNetworkAccess", "properties_publicNetworkAccess_s"]),
        ("networkAcls.defaultAction", ["NetworkAclsDefaultAction", "properties_networkAcls_defaultAction_s"]),
        ("networkAcls.bypass", ["NetworkAclsBypass", "properties_networkAcls_bypass_s"]),
        ("tenantId", ["VaultTenantId", "properties_tenantId_g"]),
    ]

    /// Builds the configuration section: per vault in scope, every value each setting showed.
    ///
    /// Only answered events count (a refused `VaultPatch` changed nothing); an event with no HTTP
    /// status is kept when it shows settings. With `requirePublicNetworkAccessDisabled`, see
    /// `enforcePublicNetworkAccess`.
    mutating func describeConfiguration(
        sources: [EvidenceSource], window: (from: DateTime, to: DateTime)
    ) -> [VaultConfiguration] {
        var events: [String: [ConfigurationEvent]] = [:]
        var silentEvents: [String: Int] = [:]
        for source in sources where source.role == .vaultConfiguration {
            let table = source.rows
            let reader = EvidenceRowReader(table, sourceName: source.table)
            let columns = Self.configurationSettings.map { entry in
                (
                    entry.setting,
                    entry.columns.compactMap { name in
                        table.columnIndex(name)
                            ?? table.columns.firstIndex { $0.name.lowercased() == name.lowercased() }
                    }
                )
            }
            for row in table.rows {
                guard let record = reader.record(row), window.from <= record.time, record.time < window.to else {
                    continue
                }
                let vault = Identifiers.normalizedVault(record.vault)
                guard vaults.contains(vault) else { continue }
                if let status = record.httpStatus, !(200...299).contains(status) { continue }
                var values: [String: String] = [:]
                for (setting, indexes) in columns {
                    let texts = indexes.lazy.map { row[$0].kqlString.trimmed }
                    guard let text = texts.first(where: { !$0.isEmpty }) else { continue }
                    values[setting] = setting == "tenantId" ? (Identifiers.normalizedGUID(text) ?? text) : text
                }
                if !values.isEmpty {
                    events[vault, default: []].append(ConfigurationEvent(record: record, values: values))
                } else {
                    silentEvents[vault, default: 0] += 1
                }
            }
        }

        var sections: [VaultConfiguration] = []
        for vault in vaults.sorted() {
            let seen = (events[vault] ?? []).sorted {
                ($0.record.time, $0.record.operation, $0.record.correlationId, $0.values.description)
                    < ($1.record.time, $1.record.operation, $1.record.correlationId, $1.values.description)
            }
            var settings: [String: ObservedSetting] = [:]
            for event in seen {
                for (setting, value) in event.values {
                    let time = event.record.time.apiText
                    var entry =
                        settings[setting + "\u{0}" + value]
                        ?? ObservedSetting(
                            setting: setting, value: value, firstSeen: time, lastSeen: time, events: 0, operations: [])
                    entry.lastSeen = time
                    entry.events += 1
                    if !entry.operations.contains(event.record.operation) {
                        entry.operations = (entry.operations + [event.record.operation]).sorted()
                    }
                    settings[setting + "\u{0}" + value] = entry
                }
            }
            let ordered = settings.values.sorted {
                ($0.setting, $0.firstSeen, $0.value) < ($1.setting, $1.firstSeen, $1.value)
            }
            sections.append(
                VaultConfiguration(
                    vault: vault, status: seen.isEmpty ? "not observed" : "observed", settings: ordered,
                    eventsWithoutSettings: silentEvents[vault] ?? 0))
            if let expected = policy.tenantId {
                for entry in ordered where entry.setting == "tenantId" && entry.value != expected {
                    notes.append(
                        "vault \(vault): \(entry.operations.joined(separator: ", ")) showed tenant \(entry.value), "
                            + "not the policy's tenantId \(expected)")
                }
            }
            if policy.requirePublicNetworkAccessDisabled {
                enforcePublicNetworkAccess(vault: vault, events: seen)
            }
        }
        return sections
    }

    /// Requires every event of `vault` that showed `publicNetworkAccess` to show it disabled.
    ///
    /// `Enabled` is a violation with the event as its record: the setting is a fact on columns that
    /// exist, and it means the private path was observed, not enforced. Not seeing the setting at
    /// all is UNPROVEN. So is a first sighting that is a change (`VaultPut`/`VaultPatch`): the
    /// setting before it is unknown. A first sighting by `VaultGet` held since the window's start,
    /// because any earlier change in the window would be a logged `VaultPut`/`VaultPatch`, and
    /// such a response carries the vault's properties. That rests on the configuration events
    /// being complete, which the coverage check and the sources' completeness stand for.
    private mutating func enforcePublicNetworkAccess(vault: String, events: [ConfigurationEvent]) {
        let sightings = events.filter { $0.values["publicNetworkAccess"] != nil }
        guard let first = sightings.first else {
            reasons.append(
                "vault \(vault): no VaultGet, VaultPut or VaultPatch event in the window showed "
                    + "publicNetworkAccess, so the policy's requirePublicNetworkAccessDisabled is not confirmed")
            return
        }
        for event in sightings {
            let value = event.values["publicNetworkAccess"] ?? ""
            let said = "\(event.record.operation) at \(event.record.time.apiText) showed publicNetworkAccess \(value)"
            switch value.lowercased() {
            case "disabled", "securedbyperimeter":
                continue
            case "enabled":
                violations.append(
                    Violation(
                        rule: .publicNetworkAccessEnabled,
                        detail: "vault \(vault): \(said): the private path was not enforced",
                        record: eventFields(event.record, route: classifyRoute(event.record)), waiver: nil))
                violationOwners.append(-1)
            default:
                reasons.append("vault \(vault): \(said), a value the analyzer cannot judge")
            }
        }
        if first.record.operation.lowercased() != "vaultget" {
            reasons.append(
                "vault \(vault): the first event in the window that showed publicNetworkAccess is a change "
                    + "(\(first.record.operation) at \(first.record.time.apiText)); the setting before it is unknown")
        }
    }
}
