/// The columns Log Analytics derives from an ARM resource id: subscription, group, provider, type, name.

/// The parts of an ARM resource id such as
/// `/SUBSCRIPTIONS/<sub>/RESOURCEGROUPS/<rg>/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/<name>`.
struct ResourceIdParts: Equatable {
    /// `ResourceId`: the id in upper case, as `AzureDiagnostics` holds it.
    var resourceId: String
    /// `_ResourceId`: the id in lower case.
    var lowerResourceId: String
    /// `SubscriptionId`, lower case (it is a GUID).
    var subscriptionId: String
    /// `ResourceGroup`, upper case.
    var resourceGroup: String
    /// `ResourceProvider`, upper case (`MICROSOFT.KEYVAULT`).
    var resourceProvider: String
    /// `ResourceType`, upper case (`VAULTS`, `MANAGEDHSMS`; nested types joined with `/`).
    var resourceType: String
    /// `Resource`: the resource name, upper case.
    var resource: String

    /// Splits `id`; parts the id does not have are empty. A text that is not an ARM id still gives
    /// `ResourceId`/`_ResourceId`, and its last segment as `Resource`.
    init(_ id: String) {
        resourceId = id.uppercased()
        lowerResourceId = id.lowercased()
        subscriptionId = ""
        resourceGroup = ""
        resourceProvider = ""
        resourceType = ""
        resource = ""
        let segments = id.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var index = 0
        var typeNames: [String] = []
        while index < segments.count {
            let keyword = segments[index].lowercased()
            let next = index + 1 < segments.count ? segments[index + 1] : nil
            switch keyword {
            case "subscriptions" where next != nil && resourceProvider.isEmpty:
                subscriptionId = next!.lowercased()
                index += 2
            case "resourcegroups" where next != nil && resourceProvider.isEmpty:
                resourceGroup = next!.uppercased()
                index += 2
            case "providers" where next != nil:
                resourceProvider = next!.uppercased()
                typeNames = []
                index += 2
                while index + 1 < segments.count {
                    typeNames.append(segments[index].uppercased())
                    resource = segments[index + 1].uppercased()
                    index += 2
                }
                index = segments.count
            default:
                index += 1
            }
        }
        resourceType = typeNames.joined(separator: "/")
        if resource.isEmpty, resourceProvider.isEmpty, let last = segments.last {
            resource = last.uppercased()
        }
    }
}
