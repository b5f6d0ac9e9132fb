package atomicfile

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Nothing at the destination is replaced by something of another kind.
func TestWriteRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	dangling := filepath.Join(dir, "dangling")
	if err := os.Symlink(filepath.Join(dir, "nothing"), dangling); err != nil {
		t.Fatal(err)
	}
	toDir := filepath.Join(dir, "todir")
	if err := os.Symlink(sub, toDir); err != nil {
		t.Fatal(err)
	}
	targets := []string{fifo, sub, sock, dangling, toDir, "/dev/null", "/dev/full"}
	for _, p := range targets {
		before, lerr := os.Lstat(p)
		if lerr != nil {
			t.Fatalf("%s: %v", p, lerr)
		}
		err := WriteBytes(p, []byte("data"))
		if !errors.Is(err, ErrNotRegular) {
			t.Errorf("WriteBytes(%s): got %v, want ErrNotRegular", p, err)
		}
		after, lerr := os.Lstat(p)
		if lerr != nil || after.Mode() != before.Mode() {
			t.Errorf("%s changed from %v to %v (%v)", p, before.Mode(), after.Mode(), lerr)
		}
	}
	if n := names(t, dir); len(n) != 5 {
		t.Errorf("folder holds %v; a temporary file was left behind", n)
	}
}

// A link to a regular file is kept and the file it leads to replaced.
func TestWriteFollowsLinkToRegularFile(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real", "x.txt")
	if err := WriteBytes(real, []byte("old")); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", st.Mode(), err)
	}
	if b, _ := os.ReadFile(real); string(b) != "new" {
		t.Fatalf("target holds %q, want new", b)
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	if err := Check(filepath.Join(dir, "new.txt")); err != nil {
		t.Errorf("new file: %v", err)
	}
	if err := Check(dir); !errors.Is(err, ErrNotRegular) {
		t.Errorf("directory: %v", err)
	}
	if err := Check("/dev/null"); !errors.Is(err, ErrNotRegular) {
		t.Errorf("device: %v", err)
	}
}
