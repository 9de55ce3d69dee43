/// The SQLite schema of the evidence archive, with guard triggers that keep it append-only.

/// SQL text of the archive schema, version 2 (version 1 lacked the `results` table).
enum ArchiveSchema {
    /// `PRAGMA application_id` of a PathProof archive ("PPRF").
    static let applicationID: Int64 = 0x5050_5246
    /// `PRAGMA user_version` written by this code.
    static let version: Int64 = 2
    /// The schema version before raw results were stored; such archives are read and upgraded
    /// (the `results` table added) on their first append.
    static let versionWithoutResults: Int64 = 1
    /// Triggers of version 1 whose absence means someone removed the append-only guards.
    static let leafGuardTriggers = [
        "leaves_append_in_order", "leaves_no_update", "leaves_no_delete",
        "checkpoints_follow_leaves", "checkpoints_no_update", "checkpoints_no_delete",
        "meta_no_update", "meta_no_delete",
    ]
    /// Triggers guarding the `results` table (version 2).
    static let resultGuardTriggers = ["results_follow_newest_leaf", "results_no_update", "results_no_delete"]
    /// Every guard trigger of the current version.
    static let guardTriggers = leafGuardTriggers + resultGuardTriggers

    /// Version 2's addition: the raw query results of each leaf, keyed by the subject name the
    /// leaf's signed Statement gives them. Results are written in the append's transaction, after
    /// their leaf and before its checkpoint, and never changed.
    static let createResults = """
        CREATE TABLE results(
            leaf_idx INTEGER NOT NULL REFERENCES leaves(idx),
            name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            content BLOB NOT NULL,
            PRIMARY KEY (leaf_idx, name)
        ) STRICT;
        CREATE TRIGGER results_follow_newest_leaf BEFORE INSERT ON results
            WHEN NEW.leaf_idx IS NOT (SELECT count(*) - 1 FROM leaves)
                OR (SELECT coalesce(max(size), 0) FROM checkpoints) IS NOT NEW.leaf_idx
            BEGIN SELECT RAISE(ABORT, 'evidence archive: results are stored with their leaf only'); END;
        CREATE TRIGGER results_no_update BEFORE UPDATE ON results
            BEGIN SELECT RAISE(ABORT, 'evidence archive: results cannot be changed'); END;
        CREATE TRIGGER results_no_delete BEFORE DELETE ON results
            BEGIN SELECT RAISE(ABORT, 'evidence archive: results cannot be deleted'); END;
        """

    // The triggers stop mistakes, not an attacker with write access to the file (who can drop
    // them). Tamper evidence comes from the signed checkpoints kept outside the archive.
    static let create = """
        PRAGMA application_id = \(applicationID);
        PRAGMA user_version = \(version);
        CREATE TABLE meta(
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) STRICT;
        CREATE TABLE leaves(
            idx INTEGER PRIMARY KEY,
            leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32),
            envelope BLOB NOT NULL,
            report BLOB NOT NULL,
            kind TEXT NOT NULL,
            run_id TEXT,
            verdict TEXT,
            window_start TEXT,
            window_end TEXT,
            appended_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE checkpoints(
            size INTEGER PRIMARY KEY,
            root BLOB NOT NULL CHECK (length(root) = 32),
            body TEXT NOT NULL,
            envelope BLOB NOT NULL,
            note TEXT,
            key_id TEXT NOT NULL,
            public_key TEXT NOT NULL,
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE TRIGGER leaves_append_in_order BEFORE INSERT ON leaves
            WHEN NEW.idx IS NOT (SELECT count(*) FROM leaves)
            BEGIN SELECT RAISE(ABORT, 'evidence archive: leaves are appended in order only'); END;
        CREATE TRIGGER leaves_no_update BEFORE UPDATE ON leaves
            BEGIN SELECT RAISE(ABORT, 'evidence archive: leaves cannot be changed'); END;
        CREATE TRIGGER leaves_no_delete BEFORE DELETE ON leaves
            BEGIN SELECT RAISE(ABORT, 'evidence archive: leaves cannot be deleted'); END;
        CREATE TRIGGER checkpoints_follow_leaves BEFORE INSERT ON checkpoints
            WHEN NEW.size IS NOT (SELECT count(*) FROM leaves)
            BEGIN SELECT RAISE(ABORT, 'evidence archive: a checkpoint must cover every leaf'); END;
        CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
            BEGIN SELECT RAISE(ABORT, 'evidence archive: checkpoints cannot be changed'); END;
        CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
            BEGIN SELECT RAISE(ABORT, 'evidence archive: checkpoints cannot be deleted'); END;
        CREATE TRIGGER meta_no_update BEFORE UPDATE ON meta
            BEGIN SELECT RAISE(ABORT, 'evidence archive: metadata cannot be changed'); END;
        CREATE TRIGGER meta_no_delete BEFORE DELETE ON meta
            BEGIN SELECT RAISE(ABORT, 'evidence archive: metadata cannot be deleted'); END;
        \(createResults)
        """

    /// Upgrades a version 1 archive in place: adds the `results` table and its guards.
    static let upgradeFromVersion1 = """
        \(createResults)
        PRAGMA user_version = \(version);
        """
}
