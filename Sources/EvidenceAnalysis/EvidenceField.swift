/// Which fact of an access an absent source column takes away.

/// A fact the analyzer needs from each access.
enum EvidenceField: String, Sendable, Hashable, Comparable {
    case perimeterClaim = "perimeter claim"
    case enterprisePolicyClaim = "enterprise-policy claim"
    case httpStatus = "HTTP status"
    case route = "network route"
    case objectId = "object id"
    case keyName = "key name"

    static func < (lhs: EvidenceField, rhs: EvidenceField) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The facts a column named `name` (source or projected spelling, any case) carries; empty for
    /// a name the analyzer does not know.
    static func fields(forColumn name: String) -> Set<EvidenceField> {
        let lowered = name.lowercased()
        switch lowered {
        case "perimeterclaim", "identity_claim_xms_az_nwperimid_s", "identity_claim_xms_az_nwperimid",
            "xms_az_nwperimid":
            return [.perimeterClaim]
        case "enterprisepolicyclaim", "identity_claim_xms_mirid_s", "identity_claim_xms_mirid", "xms_mirid":
            return [.enterprisePolicyClaim]
        case "identity":
            return [.perimeterClaim, .enterprisePolicyClaim, .objectId]
        case "httpstatus", "httpstatuscode", "httpstatuscode_d", "httpstatuscode_s":
            return [.httpStatus]
        case "objectid", "identity_claim_oid_g", "oid",
            "identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g":
            return [.objectId]
        case "addressauthorizationtype", "addrauthtype_s", "privateendpointid", "privateendpointid_s", "subnetid",
            "subnetid_s", "trustedservice", "trustedservice_s", "isaddressauthorized", "isaddressauthorized_b",
            "callerip", "calleripaddress", "properties":
            return [.route]
        case "requesturi", "requesturi_s", "keyid", "id", "id_s":
            return [.keyName]
        default:
            return []
        }
    }
}
