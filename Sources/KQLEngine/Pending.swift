/// Operators recognised by the parser whose execution is not implemented yet; they refuse by name.

import TableModel

enum Join {
    static func plan(_ left: Plan, _ kind: String, _ right: Plan, _ keys: [JoinKey], isLookup: Bool) throws -> Plan {
        throw KQLError.unsupported(isLookup ? "the 'lookup' operator" : "the 'join' operator")
    }
}

enum Union {
    static func plan(_ spec: UnionSpec, _ inputs: [Plan], _ environment: Environment, _ compiler: Compiler) throws
        -> Plan
    {
        throw KQLError.unsupported("the 'union' operator")
    }
}

enum MvExpand {
    static func plan(
        _ input: Plan, _ columns: [(name: String, expr: Expr, type: ColumnType?)], _ itemIndex: String?,
        _ limit: Expr?, _ scope: Scope, _ compiler: Compiler
    ) throws -> Plan {
        throw KQLError.unsupported("the 'mv-expand' operator")
    }
}

enum ParseOperator {
    static func plan(
        _ input: Plan, _ kind: String, _ expr: Expr, _ pattern: [ParseElement], _ flags: String, _ scope: Scope,
        _ compiler: Compiler
    ) throws -> Plan {
        throw KQLError.unsupported("the 'parse' operator")
    }
}

enum BagUnpack {
    static func plan(_ input: Plan, _ column: Expr, _ prefix: String?, _ scope: Scope, _ compiler: Compiler) throws
        -> Plan
    {
        throw KQLError.unsupported("evaluate bag_unpack")
    }
}
