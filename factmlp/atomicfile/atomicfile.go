package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrNotRegular is returned (wrapped) when what stands at the destination
// is not a regular file: Write never replaces a directory, device, named
// pipe, socket or a symbolic link that leads to one of them or to nothing.
var ErrNotRegular = errors.New("not a regular file")

// Write creates or replaces path with what write writes. write receives the
// temporary file; if it returns an error, nothing is renamed into place and
// that error is returned. A symbolic link at path is followed: the regular
// file it leads to is replaced and the link kept (see the package doc).
func Write(path string, write func(w io.Writer) error) (err error) {
	path, err = destination(path)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Chmod(tmp, 0o644); err != nil {
		return err
	}
	// Check again just before the rename: the write may have taken long.
	if _, err = destination(path); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// destination returns the file Write replaces for path: path itself when
// nothing or a regular file stands there, the resolved target when path is
// a symbolic link to a regular file, and an error wrapping ErrNotRegular
// otherwise.
func destination(path string) (string, error) {
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return path, nil
	case err != nil:
		return "", err
	case st.Mode().IsRegular():
		return path, nil
	case st.Mode()&fs.ModeSymlink != 0:
		target, err := filepath.EvalSymlinks(path)
		if err != nil {
			return "", fmt.Errorf("atomicfile: %s is a symbolic link that leads nowhere (%v); refusing to write through it: %w", path, err, ErrNotRegular)
		}
		tst, err := os.Stat(target)
		if err != nil {
			return "", err
		}
		if !tst.Mode().IsRegular() {
			return "", fmt.Errorf("atomicfile: %s is a symbolic link to %s, which is %s; only regular files are replaced: %w", path, target, Kind(tst.Mode()), ErrNotRegular)
		}
		return target, nil
	}
	return "", fmt.Errorf("atomicfile: %s is %s; only regular files are replaced (give a file path): %w", path, Kind(st.Mode()), ErrNotRegular)
}

// Kind names a file mode's type for error messages ("a directory", "a
// named pipe (FIFO)"); readers use it too, so every message says it alike.
func Kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "not a regular file (mode " + m.String() + ")"
}

// WriteBytes creates or replaces path with data.
func WriteBytes(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := io.Copy(w, bytes.NewReader(data))
		return err
	})
}

// Check reports, before any work is done, the error Write would give
// because of what stands at path (a directory, device, FIFO, socket or a
// bad symbolic link); nil when nothing or a regular file is there.
func Check(path string) error {
	_, err := destination(path)
	return err
}
