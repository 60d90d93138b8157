package persistence

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
)

// The service's local files — the SQLite database, which holds password hashes and the dev JWT
// secrets, and the first admin's password file — are for its own user only. The modes are set
// with chmod after creating, because the umask (process-wide, and 000 under some service
// managers) could otherwise widen or narrow them.
const (
	privateDirMode  fs.FileMode = 0o700
	privateFileMode fs.FileMode = 0o600
	// othersMask is the part of a mode that grants something to the group or to others.
	othersMask fs.FileMode = 0o077
)

// warnedDirs are the folders already warned about, so that a folder holding both the database
// and the password file is named once per process, like the umask it makes up for.
var warnedDirs sync.Map

// PrivateDir makes sure dir exists for files only this service's user may read. A missing dir
// is created 0700. One that exists and grants access to others is left as the operator made it
// (it may be a shared mount point or the working directory), with a warning, once per process.
func PrivateDir(dir string, log *slog.Logger) error {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, privateDirMode); err != nil {
			return fmt.Errorf("create the folder %s: %w", dir, err)
		}
		if err := os.Chmod(dir, privateDirMode); err != nil {
			return fmt.Errorf("make the folder %s private: %w", dir, err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("folder %s: %w", dir, err)
	case !info.IsDir():
		return fmt.Errorf("%s is not a folder", dir)
	}
	if perm := info.Mode().Perm(); perm&othersMask != 0 {
		key, _ := filepath.Abs(dir)
		if _, warned := warnedDirs.LoadOrStore(key, true); !warned {
			log.Warn("the data folder is accessible to other users; its files are private, but make the folder private too",
				"folder", dir, "mode", fmt.Sprintf("%04o", perm), "fix", "chmod 700 "+dir)
		}
	}
	return nil
}

// CreatePrivate creates the file at path, mode 0600 whatever the umask, for its caller to write;
// fs.ErrExist when there is one already, which it leaves alone.
func CreatePrivate(path string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Clean(path), os.O_RDWR|os.O_CREATE|os.O_EXCL, privateFileMode)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(privateFileMode); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("make %s private: %w", path, err)
	}
	return f, nil
}

// createPrivate creates the file at path empty and private unless it exists; an existing one is
// tightened (TightenFile).
func createPrivate(path string, log *slog.Logger) error {
	f, err := CreatePrivate(path)
	if errors.Is(err, fs.ErrExist) {
		TightenFile(path, log)
		return nil
	}
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	return f.Close()
}

// TightenFile makes the file at path, if there is one, readable by its owner only, as files
// written by versions before 0600 was enforced are not; when that is impossible (the file
// belongs to another user) it warns and goes on.
func TightenFile(path string, log *slog.Logger) {
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm()&othersMask == 0 {
		return
	}
	if err := os.Chmod(path, info.Mode().Perm()&^othersMask); err != nil {
		log.Warn("could not make a file private; other users can read it", "file", path,
			"mode", fmt.Sprintf("%04o", info.Mode().Perm()), "err", err)
		return
	}
	log.Info("made a file private", "file", path, "mode", fmt.Sprintf("%04o", info.Mode().Perm()&^othersMask))
}
