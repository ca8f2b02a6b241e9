// Command ferretdb starts FerretDB v1.24 embedded, for CareLoop's development, tests and the embedded default.
//
// Why our own main: upstream cmd/ferretdb panics under `go install` (missing version.txt); an embedding
// module does not. It also fixes a measured cost problem of both backends: FerretDB's own `_id` index cannot
// serve the query it makes to find a document by _id, so every lookup, update and delete by _id scans the table.
// We add an index that can, for every collection table, at start and as collections appear (idindex.go for
// SQLite; pgidindex.go for PostgreSQL, which also needs custom query plans).
//
// Protocol with the Node process that starts it: once listening it prints one line `READY <mongodb uri>` on
// stdout and writes the same URI (with its pid) to --state-file; it stops cleanly on SIGTERM/SIGINT, or when
// its stdin closes (--stdin-eof-exit), so a parent that dies never leaves it running.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	handler := flag.String("handler", "sqlite", "backend: sqlite or postgresql")
	sqliteDir := flag.String("sqlite-dir", "./data/db", "directory for the SQLite backend's files")
	postgresURL := flag.String("postgresql-url", "", "PostgreSQL URL for the postgresql backend")
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free port)")
	stateFile := flag.String("state-file", "", "where to write {pid, uri} once ready; removed on exit")
	stdinEOFExit := flag.Bool("stdin-eof-exit", false, "stop when stdin closes (the parent is gone)")
	logLevel := flag.String("log-level", "error", "debug, info, warn or error")
	idIndex := flag.Bool("id-index", true, "add the _id lookup index to collection tables (false only to measure its effect)")
	flag.Parse()

	if err := run(*handler, *sqliteDir, *postgresURL, *listen, *stateFile, *stdinEOFExit, *idIndex, *logLevel); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}

func run(handler, sqliteDir, postgresURL, listen, stateFile string, stdinEOFExit, idIndex bool, logLevel string) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("bad --log-level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	conf := &ferretdb.Config{Listener: ferretdb.ListenerConfig{TCP: listen}, Logger: logger, Handler: handler}
	switch handler {
	case "sqlite":
		abs, err := filepath.Abs(sqliteDir)
		if err != nil {
			return err
		}
		if err = os.MkdirAll(abs, 0o700); err != nil {
			return fmt.Errorf("creating data directory: %w", err)
		}
		unlock, err := lockDir(abs)
		if err != nil {
			return err
		}
		defer unlock()
		conf.SQLiteURL = "file:" + abs + "/"
	case "postgresql":
		if postgresURL == "" {
			return fmt.Errorf("--postgresql-url is required with --handler postgresql")
		}
		withPlans, err := withCustomPlans(postgresURL)
		if err != nil {
			return err
		}
		conf.PostgreSQLURL = withPlans
	default:
		return fmt.Errorf("unknown --handler %q (sqlite or postgresql)", handler)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if stdinEOFExit {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	f, err := ferretdb.New(conf)
	if err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	uri := f.MongoDBURI()
	if stateFile != "" {
		if err = writeState(stateFile, uri); err != nil {
			stop()
			<-done
			return err
		}
		defer os.Remove(stateFile)
	}
	if handler == "sqlite" && idIndex {
		go keepIDIndexes(ctx, logger, filepath.Clean(conf.SQLiteURL[len("file:"):]))
	}
	if handler == "postgresql" && idIndex {
		go keepPgIDIndexes(ctx, logger, conf.PostgreSQLURL)
	}
	fmt.Printf("READY %s\n", uri)

	return <-done
}

// writeState writes the file atomically, so a reader never sees half of it.
func writeState(path, uri string) error {
	body, err := json.Marshal(map[string]any{"pid": os.Getpid(), "uri": uri})
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err = os.WriteFile(tmp, body, 0o600); err != nil {
		return fmt.Errorf("writing state file: %w", err)
	}
	return os.Rename(tmp, path)
}

// lockDir takes an exclusive lock on the data directory: two FerretDB processes on the same SQLite files
// would each keep their own metadata cache and corrupt each other's view.
func lockDir(dir string) (func(), error) {
	lock, err := os.OpenFile(filepath.Join(dir, ".ferretdb.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening lock file: %w", err)
	}
	if err = syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		return nil, fmt.Errorf("data directory %s is in use by another FerretDB process", dir)
	}
	return func() { lock.Close() }, nil
}
