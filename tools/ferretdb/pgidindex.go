package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"slices"

	"github.com/jackc/pgx/v5"
)

// FerretDB's PostgreSQL backend finds a document by _id with `_jsonb->$1 @> $2` (the key as a parameter), which
// its own unique index on `(_jsonb->'_id')` cannot serve: every find/update/delete by _id scans the table.
// Two fixes, both needed (measured at 20,000 documents: find by _id 13 -> 1.7 ms, updateOne by _id 11 -> 2 ms,
// bulkWrite of 25 deletes by _id 280 -> 16 ms; at 100,000 documents a lookup took 50 ms):
//   - a GIN index on `(_jsonb->'_id')`, which serves `@>` once the key is known to the planner;
//   - plan_cache_mode=force_custom_plan on FerretDB's connections: FerretDB prepares and caches its statements,
//     and PostgreSQL's generic plan (built without the key) is a scan. A custom plan costs ~0.1 ms to make.

// withCustomPlans sets plan_cache_mode=force_custom_plan on the PostgreSQL URL (pgx sends unknown URL parameters
// as run-time settings), unless the URL sets it already.
func withCustomPlans(postgresURL string) (string, error) {
	u, err := url.Parse(postgresURL)
	if err != nil {
		return "", fmt.Errorf("bad --postgresql-url: %w", err)
	}
	q := u.Query()
	if q.Get("plan_cache_mode") == "" {
		q.Set("plan_cache_mode", "force_custom_plan")
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// keepPgIDIndexes adds our GIN index to every FerretDB collection table, at start and as collections appear.
func keepPgIDIndexes(ctx context.Context, logger *slog.Logger, postgresURL string) {
	var conn *pgx.Conn
	defer func() {
		if conn != nil {
			conn.Close(context.Background())
		}
	}()
	everySecond(ctx, func() {
		if conn == nil || conn.IsClosed() {
			c, err := pgx.Connect(ctx, postgresURL)
			if err != nil {
				logger.Debug("connecting for _id indexes", "error", err)
				return
			}
			conn = c
		}
		if err := indexPgTables(ctx, conn); err != nil {
			logger.Debug("adding _id indexes", "error", err)
		}
	})
}

// pgIndexName is our index's name on a table: within PostgreSQL's 63 bytes, keeping the table name's end (FerretDB
// ends it with a hash of the collection name, so two tables of one schema never share it).
func pgIndexName(table string) string {
	return "clid_" + table[max(0, len(table)-58):]
}

// indexPgTables indexes the collection tables that lack our index. FerretDB keeps a database as a schema with a
// `_ferretdb_database_metadata` table, one row per collection naming its table. Asked every time rather than
// remembered: a dropped and re-created collection gets a table without the index.
func indexPgTables(ctx context.Context, conn *pgx.Conn) error {
	schemas, err := queryStrings(ctx, conn, `SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relname = '_ferretdb_database_metadata' AND c.relkind = 'r'`)
	if err != nil {
		return err
	}
	for _, schema := range schemas {
		tables, err := queryStrings(ctx, conn, fmt.Sprintf(`SELECT _jsonb->>'table' FROM %s`, pgx.Identifier{schema, "_ferretdb_database_metadata"}.Sanitize()))
		if err != nil {
			return fmt.Errorf("listing tables of %s: %w", schema, err)
		}
		indexes, err := queryStrings(ctx, conn, `SELECT indexname FROM pg_indexes WHERE schemaname = $1`, schema)
		if err != nil {
			return fmt.Errorf("listing indexes of %s: %w", schema, err)
		}
		for _, table := range tables {
			index := pgIndexName(table)
			if slices.Contains(indexes, index) {
				continue
			}
			create := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s ON %s USING gin ((_jsonb->'_id'))`,
				pgx.Identifier{index}.Sanitize(), pgx.Identifier{schema, table}.Sanitize())
			if _, err = conn.Exec(ctx, create); err != nil {
				return fmt.Errorf("indexing %s.%s: %w", schema, table, err)
			}
		}
	}
	return nil
}

// queryStrings runs a query whose rows are one string each.
func queryStrings(ctx context.Context, conn *pgx.Conn, query string, args ...any) ([]string, error) {
	rows, err := conn.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
