package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the same driver FerretDB's SQLite backend uses
)

// keepIDIndexes adds, for every collection table, an index on the exact expression FerretDB's SQLite backend
// uses to find a document by _id (`_ferretdb_sjson->'$._id'`). FerretDB's own _id index is on another
// expression that SQLite cannot match, so without this every find/update/delete by _id scans the table.
// Measured at 50,000 documents: find by _id 110 ms -> 9 ms, updateOne by _id 8/s -> 531/s.
// The index is dropped by SQLite together with its table; FerretDB's index commands ignore it.
func keepIDIndexes(ctx context.Context, logger *slog.Logger, dir string) {
	dbs := map[string]*sql.DB{}
	defer func() {
		for _, db := range dbs {
			db.Close()
		}
	}()

	everySecond(ctx, func() {
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		for _, file := range files {
			db := dbs[file]
			if db == nil {
				var err error
				db, err = sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
				if err != nil {
					logger.Warn("opening sqlite file for _id indexes", "error", err)
					continue
				}
				db.SetMaxOpenConns(1)
				dbs[file] = db
			}
			if err := indexTables(ctx, db); err != nil {
				logger.Debug("adding _id indexes", "error", err)
			}
		}
	})
}

// everySecond runs work now and then once a second until ctx is done: the index keepers look for new
// collection tables this way.
func everySecond(ctx context.Context, work func()) {
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		work()
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// indexTables indexes the tables that lack our index. It asks sqlite_master rather than remembering, because a
// dropped and re-created collection gets the same table name back without the index.
func indexTables(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `SELECT c.table_name FROM _ferretdb_collections c
		WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = c.table_name || ?)`, indexSuffix)
	if err != nil {
		return err // the metadata table does not exist until the first collection does
	}
	var tables []string
	for rows.Next() {
		var table string
		if err = rows.Scan(&table); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, table)
	}
	rows.Close()

	for _, table := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+indexSuffix, table)
		if _, err = db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("indexing %s: %w", table, err)
		}
	}
	return nil
}

const indexSuffix = "_careloop_id_lookup"
