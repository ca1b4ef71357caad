-- Records an import inserted, as runs of consecutive ids per table: one row
-- per run instead of one audit row per record (an import of a township's
-- whole ledger inserts about a million). Undo reads these beside the audit
-- rows of the same change.
CREATE TABLE inserted_ranges (
    change_id  INTEGER NOT NULL REFERENCES changes (id),
    table_name TEXT NOT NULL,
    first_id   INTEGER NOT NULL,
    last_id    INTEGER NOT NULL CHECK (last_id >= first_id)
);
CREATE INDEX inserted_ranges_change ON inserted_ranges (change_id);
