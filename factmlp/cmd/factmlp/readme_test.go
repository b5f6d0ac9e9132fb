package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeSmall are the flags each README example gets at test sizes (the
// README's own sizes take minutes); a flag the line already has gets the
// value here, one it lacks is appended.
var readmeSmall = map[string][][2]string{
	"rho":       {{"facts", "64"}, {"dim", "16"}},
	"construct": {{"facts", "64"}, {"dim", "16"}},
	"capacity":  {{"facts", "48"}, {"dim", "16"}},
	"ssfr":      {{"facts", "64"}, {"dim", "32"}, {"steps", "20"}, {"eval", "200"}},
	"edit": {{"max-facts", "30"}, {"dim", "32"}, {"hidden", "16"}, {"mlp-epochs", "2000"},
		{"adaptive-maps", "2"}, {"steps", "400"}, {"grid", "small"}},
}

// readmeCLIBlock returns the commands of the ```sh block under "## The CLI"
// in README.md: comments dropped, continuation lines joined.
func readmeCLIBlock(t *testing.T, readme []byte) []string {
	t.Helper()
	_, section, ok := strings.Cut(string(readme), "\n## The CLI\n")
	if !ok {
		t.Fatal(`README.md has no "## The CLI" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	_, block, ok := strings.Cut(section, "```sh\n")
	if ok {
		block, _, ok = strings.Cut(block, "\n```")
	}
	if !ok {
		t.Fatal("README.md: no ```sh ... ``` block under \"## The CLI\"")
	}
	block = regexp.MustCompile(`\\\n\s*`).ReplaceAllString(block, "")
	comment := regexp.MustCompile(`(^|\s)#.*$`)
	var cmds []string
	for _, line := range strings.Split(block, "\n") {
		if line = strings.TrimSpace(comment.ReplaceAllString(line, "")); line != "" {
			cmds = append(cmds, line)
		}
	}
	return cmds
}

// smallSizes rewrites one README command line to test sizes.
func smallSizes(line string) string {
	f := strings.Fields(line)
	if len(f) < 2 || f[0] != "bin/factmlp" {
		return line
	}
	for _, kv := range readmeSmall[f[1]] {
		re := regexp.MustCompile(`(\s--?` + regexp.QuoteMeta(kv[0]) + `[ =])\S+`)
		if re.MatchString(line) {
			line = re.ReplaceAllString(line, "${1}"+kv[1])
		} else {
			line += " -" + kv[0] + " " + kv[1]
		}
	}
	return line
}

// Every command of the README's CLI block runs and exits 0: the build line
// in the repository (into a temporary bin/), every other line with bash in a
// temporary folder holding that bin/ and the repository files the line names
// (so the examples write nothing into the repository).
func TestREADMECLIExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the CLI and trains small models (about 30 s)")
	}
	repo, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(repo, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	cmds := readmeCLIBlock(t, readme)
	if len(cmds) < 5 {
		t.Fatalf("README.md CLI block has %d commands, want the build line and the examples:\n%s", len(cmds), strings.Join(cmds, "\n"))
	}
	build := regexp.MustCompile(`^(GOEXPERIMENT=simd )?go build -o bin/factmlp (\./factmlp/cmd/factmlp)$`)
	m := build.FindStringSubmatch(cmds[0])
	if m == nil {
		t.Fatalf("README.md CLI block: first line %q, want %q", cmds[0], "GOEXPERIMENT=simd go build -o bin/factmlp ./factmlp/cmd/factmlp")
	}
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "bin", "factmlp"), m[2])
	cmd.Dir = repo
	cmd.Env = append(os.Environ(), "GOEXPERIMENT=simd", "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmds[0], err, out)
	}
	before := snapshotRepoRoot(t, repo)
	seen := map[string]bool{}
	for _, line := range cmds[1:] {
		line := smallSizes(line)
		if f := strings.Fields(line); len(f) > 1 && f[0] == "bin/factmlp" {
			seen[f[1]] = true
		}
		// Repository files the line reads (e.g. the sweep config) are copied in.
		for _, w := range strings.Fields(line) {
			if src := filepath.Join(repo, w); !strings.HasPrefix(w, "-") && !filepath.IsAbs(w) && isFile(src) {
				copyFile(t, src, filepath.Join(dir, w))
			}
		}
		sh := exec.Command("bash", "-euo", "pipefail", "-c", line)
		sh.Dir = dir
		var out bytes.Buffer
		sh.Stdout, sh.Stderr = &out, &out
		if err := sh.Run(); err != nil {
			t.Errorf("README example %q: %v\n%s", line, err, out.String())
		} else {
			t.Logf("%s\n%s", line, firstLine(out.String()))
		}
	}
	for _, c := range []string{"backend", "rho", "construct", "verify", "capacity", "sweep", "ssfr", "edit"} {
		if !seen[c] {
			t.Errorf("README.md CLI block has no bin/factmlp %s example", c)
		}
	}
	if after := snapshotRepoRoot(t, repo); after != before {
		t.Errorf("the README examples changed the repository root: before %s, after %s", before, after)
	}
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err == nil {
		err = os.MkdirAll(filepath.Dir(dst), 0o755)
	}
	if err == nil {
		err = os.WriteFile(dst, b, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// snapshotRepoRoot lists the names in the repository root (what the old
// examples littered with f.safetensors, fs/, results/).
func snapshotRepoRoot(t *testing.T, repo string) string {
	t.Helper()
	ents, err := os.ReadDir(repo)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return strings.Join(names, " ")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

func TestSmallSizes(t *testing.T) {
	for in, want := range map[string]string{
		"bin/factmlp rho -facts 1024 -dim 64 -family conditioned -json": "bin/factmlp rho -facts 64 -dim 16 -family conditioned -json",
		"bin/factmlp ssfr -method encdec -facts 1024 -dim 64 -json":     "bin/factmlp ssfr -method encdec -facts 64 -dim 32 -json -steps 20 -eval 200",
		"bin/factmlp backend": "bin/factmlp backend",
		"mkdir -p out/cli":    "mkdir -p out/cli",
	} {
		if got := smallSizes(in); got != want {
			t.Errorf("smallSizes(%q) = %q, want %q", in, got, want)
		}
	}
	cmds := readmeCLIBlock(t, []byte("# x\n\n## The CLI\n\n```sh\nbin/factmlp a -x 1 \\\n    -y 2   # c\n# only a comment\nbin/factmlp b\n```\n\n## Next\n"))
	if want := []string{"bin/factmlp a -x 1 -y 2", "bin/factmlp b"}; strings.Join(cmds, "|") != strings.Join(want, "|") {
		t.Errorf("readmeCLIBlock = %q, want %q", cmds, want)
	}
}
