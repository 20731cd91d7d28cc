package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"

	duckdbdrv "github.com/duckdb/duckdb-go/v2"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// config is how every database of a server is opened.
type config struct {
	roots    []string // empty: DuckDB may read and write any file
	readOnly bool
}

// databases owns the open databases: one in-memory database per MCP
// session and the database files, each opened once for the whole process
// (two DuckDB instances on one file in one process would corrupt it) and
// closed when the last session using it ends. Safe for concurrent use.
type databases struct {
	cfg config

	mu       sync.Mutex
	sessions map[*mcp.ServerSession]*session
	files    map[string]*shared
}

type session struct {
	mem   *sql.DB         // nil until the first in-memory query
	files map[string]bool // database files this session holds a reference to
}

type shared struct {
	db   *sql.DB
	refs int
}

func newDatabases(cfg config) *databases {
	return &databases{cfg: cfg, sessions: make(map[*mcp.ServerSession]*session), files: make(map[string]*shared)}
}

// get returns the database at path for ss, opening it on first use; an
// empty path is the session's in-memory database.
func (d *databases) get(ctx context.Context, ss *mcp.ServerSession, path string) (*sql.DB, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, ok := d.sessions[ss]
	if !ok {
		s = &session{files: make(map[string]bool)}
		d.sessions[ss] = s
		if ss != nil {
			go func() {
				ss.Wait()
				d.release(ss)
			}()
		}
	}
	if path == "" {
		if s.mem == nil {
			db, err := open(ctx, "", d.cfg)
			if err != nil {
				return nil, err
			}
			// One connection, so that temporary tables and SET values
			// last from one call to the next, as the session's do.
			db.SetMaxOpenConns(1)
			s.mem = db
		}
		return s.mem, nil
	}
	f, ok := d.files[path]
	if !ok {
		db, err := open(ctx, path, d.cfg)
		if err != nil {
			return nil, err
		}
		f = &shared{db: db}
		d.files[path] = f
	}
	if !s.files[path] {
		s.files[path] = true
		f.refs++
	}
	return f.db, nil
}

// release closes what session ss holds.
func (d *databases) release(ss *mcp.ServerSession) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, ok := d.sessions[ss]
	if !ok {
		return
	}
	delete(d.sessions, ss)
	if s.mem != nil {
		s.mem.Close()
	}
	for path := range s.files {
		if f := d.files[path]; f != nil {
			if f.refs--; f.refs == 0 {
				f.db.Close()
				delete(d.files, path)
			}
		}
	}
}

// closeAll closes every database.
func (d *databases) closeAll() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	var errs []error
	for _, s := range d.sessions {
		if s.mem != nil {
			errs = append(errs, s.mem.Close())
		}
	}
	for _, f := range d.files {
		errs = append(errs, f.db.Close())
	}
	clear(d.sessions)
	clear(d.files)
	return errors.Join(errs...)
}

// open opens the database at path ("" for in-memory) with cfg applied by
// DuckDB itself: read-only files are opened with access_mode=read_only,
// and roots become allowed_directories with external access disabled and
// the configuration locked, so that no SQL can lift them.
func open(ctx context.Context, path string, cfg config) (*sql.DB, error) {
	dsn := path
	if cfg.readOnly && path != "" {
		dsn += "?access_mode=read_only"
	}
	var (
		mu   sync.Mutex
		done bool
	)
	// The settings are global to the instance: apply them on its first
	// connection only, since the lock refuses them afterwards.
	initConn := func(ex driver.ExecerContext) error {
		mu.Lock()
		defer mu.Unlock()
		if done || len(cfg.roots) == 0 {
			return nil
		}
		for _, stmt := range confine(cfg.roots) {
			if _, err := ex.ExecContext(context.Background(), stmt, nil); err != nil {
				return fmt.Errorf("configuring DuckDB (%s): %w", stmt, err)
			}
		}
		done = true
		return nil
	}
	c, err := duckdbdrv.NewConnector(dsn, initConn)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", displayName(path), err)
	}
	db := sql.OpenDB(c)
	// Open the instance now, so a bad file is reported on this call.
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening %s: %w", displayName(path), err)
	}
	return db, nil
}

// confine lists the statements that confine DuckDB's file access to roots.
func confine(roots []string) []string {
	quoted := make([]string, len(roots))
	for i, r := range roots {
		quoted[i] = "'" + strings.ReplaceAll(r, "'", "''") + "'"
	}
	return []string{
		"SET GLOBAL allowed_directories = [" + strings.Join(quoted, ", ") + "]",
		"SET GLOBAL enable_external_access = false",
		"SET GLOBAL lock_configuration = true",
	}
}
