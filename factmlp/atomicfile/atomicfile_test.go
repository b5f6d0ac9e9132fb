package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func names(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func TestWriteBytesCreatesFolderAndFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	p := filepath.Join(dir, "x.txt")
	if err := WriteBytes(p, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(p)
	if err != nil || string(got) != "hello" {
		t.Fatalf("read back %q, %v", got, err)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
	if n := names(t, dir); len(n) != 1 || n[0] != "x.txt" {
		t.Errorf("folder holds %v, want only x.txt", n)
	}
	// Replacing works too.
	if err := WriteBytes(p, []byte("bye")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); string(got) != "bye" {
		t.Errorf("after replace: %q", got)
	}
}

func TestWriteFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "new.bin")
	boom := errors.New("boom")
	err := Write(p, func(w io.Writer) error {
		if _, err := w.Write([]byte("partial")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
	if n := names(t, dir); len(n) != 0 {
		t.Errorf("failed write left %v behind", n)
	}
}

func TestWriteFailureKeepsExistingFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "keep.txt")
	if err := WriteBytes(p, []byte("original")); err != nil {
		t.Fatal(err)
	}
	err := Write(p, func(w io.Writer) error {
		w.Write([]byte("half a new"))
		return errors.New("disk full")
	})
	if err == nil {
		t.Fatal("failure not reported")
	}
	if got, _ := os.ReadFile(p); string(got) != "original" {
		t.Errorf("existing file changed to %q", got)
	}
	if n := names(t, dir); len(n) != 1 {
		t.Errorf("folder holds %v, want only keep.txt", n)
	}
}

func TestWriteUncreatableFolder(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := WriteBytes(file, nil); err != nil {
		t.Fatal(err)
	}
	// A regular file where a folder should be.
	if err := WriteBytes(filepath.Join(file, "x"), []byte("x")); err == nil {
		t.Error("write below a regular file succeeded")
	}
}
