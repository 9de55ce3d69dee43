/// Tests of the SQLite wrapper on real database files.

import Foundation
import Testing

@testable import SQLiteSupport

struct SQLiteDatabaseTests {
    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("sqlite-\(UUID().uuidString).db").path
    }

    @Test func `values of every storage class round-trip through a file`() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let database = try SQLiteDatabase(path: path)
            try database.execute("CREATE TABLE t(a, b, c, d, e)")
            let insert = try database.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)")
            try insert.bind([.integer(.max), .real(1.5), .text("héllo ✓ 'q'"), .blob([0, 1, 255]), .null])
            try insert.step()
        }
        let reopened = try SQLiteDatabase(path: path, mode: .readOnly)
        let rows = try reopened.rows("SELECT a, b, c, d, e FROM t")
        #expect(rows == [[.integer(.max), .real(1.5), .text("héllo ✓ 'q'"), .blob([0, 1, 255]), .null]])
        #expect(try reopened.integrityProblems().isEmpty)
    }

    @Test func `a transaction that throws leaves nothing behind`() throws {
        struct Boom: Error {}
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let database = try SQLiteDatabase(path: path)
        try database.execute("CREATE TABLE t(x)")
        #expect(throws: Boom.self) {
            try database.transaction {
                try database.execute("INSERT INTO t VALUES (1)")
                throw Boom()
            }
        }
        #expect(try database.rows("SELECT count(*) FROM t") == [[.integer(0)]])
    }

    @Test func `errors carry SQLite's code, message and the file`() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let database = try SQLiteDatabase(path: path)
        do {
            _ = try database.prepare("SELECT * FROM missing_table")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("no such table"))
            #expect(error.description.contains(path))
        }
        #expect(throws: SQLiteError.self) { try SQLiteDatabase(path: "/nonexistent/dir/x.db", mode: .readWrite) }
    }
}
