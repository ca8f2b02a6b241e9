package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"time"

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
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	var conn *pgx.Conn
	defer func() {
		if conn != nil {
			conn.Close(context.Background())
		}
	}()
	for {
		if conn == nil || conn.IsClosed() {
			c, err := pgx.Connect(ctx, postgresURL)
			if err != nil {
				logger.Debug("connecting for _id indexes", "error", err)
			} else {
				conn = c
			}
		}
		if conn != nil {
			if err := indexPgTables(ctx, conn); err != nil {
				logger.Debug("adding _id indexes", "error", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// indexPgTables indexes the collection tables that lack our index. FerretDB keeps a database as a schema with a
// `_ferretdb_database_metadata` table, one row per collection naming its table. Asked every time rather than
// remembered: a dropped and re-created collection gets a table without the index.
func indexPgTables(ctx context.Context, conn *pgx.Conn) error {
	rows, err := conn.Query(ctx, `SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relname = '_ferretdb_database_metadata' AND c.relkind = 'r'`)
	if err != nil {
		return err
	}
	schemas, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, schema := range schemas {
		q := fmt.Sprintf(`SELECT m._jsonb->>'table' FROM %s m WHERE NOT EXISTS
			(SELECT 1 FROM pg_indexes i WHERE i.schemaname = $1 AND i.indexname = 'clid_' || right(m._jsonb->>'table', 58))`,
			pgx.Identifier{schema, "_ferretdb_database_metadata"}.Sanitize())
		rows, err = conn.Query(ctx, q, schema)
		if err != nil {
			return fmt.Errorf("listing tables of %s: %w", schema, err)
		}
		tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		for _, table := range tables {
			index := "clid_" + table[max(0, len(table)-58):]
			create := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s ON %s USING gin ((_jsonb->'_id'))`,
				pgx.Identifier{index}.Sanitize(), pgx.Identifier{schema, table}.Sanitize())
			if _, err = conn.Exec(ctx, create); err != nil {
				return fmt.Errorf("indexing %s.%s: %w", schema, table, err)
			}
		}
	}
	return nil
}
