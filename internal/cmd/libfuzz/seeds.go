package main

import (
	"archive/zip"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"

	seedtesting "github.com/netbuf-go/netbuf/internal/cmd/libfuzz/seedtesting"
)

// seedStats counts what went into one target's seed corpus.
type seedStats struct {
	added, testdata, written, skipped int
}

// writeSeedCorpora runs the seeds program that prepare wrote under dir
// and writes, for each target, out/<target>_seed_corpus.zip: the values of
// its f.Add calls and the files of testdata/<target>/ (go test -fuzz's
// seeds, both), in go-118-fuzz-build's input format, one file per input
// named by its SHA-1 as libFuzzer names corpus files.
func writeSeedCorpora(goCmd, pkgDir, dir, testdata, out string) (map[string]seedStats, error) {
	h, err := parseHarness(pkgDir)
	if err != nil {
		return nil, err
	}
	raw, err := os.MkdirTemp("", "libfuzz-seeds-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(raw)
	cmd := exec.Command(goCmd, "run", "./"+filepath.ToSlash(filepath.Join(dir, "seeds")), "-out", raw)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("recording the seeds: %w", err)
	}
	stats := map[string]seedStats{}
	for _, t := range h.targets {
		var st seedStats
		inputs := map[string][]byte{}
		for _, src := range []struct {
			dir   string
			count *int
		}{{filepath.Join(raw, t.Name), &st.added}, {filepath.Join(testdata, t.Name), &st.testdata}} {
			files, _ := filepath.Glob(filepath.Join(src.dir, "*"))
			sort.Strings(files)
			for _, file := range files {
				data, err := os.ReadFile(file)
				if err != nil {
					return nil, err
				}
				args, err := seedtesting.Unmarshal(data)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", file, err)
				}
				*src.count++
				in, err := encodeArgs(t.Kinds, args)
				if err != nil {
					st.skipped++ // an empty value: libFuzzer starts from empty inputs anyway
					continue
				}
				sum := sha1.Sum(in)
				inputs[hex.EncodeToString(sum[:])] = in
			}
		}
		st.written = len(inputs)
		if err := writeZip(filepath.Join(out, t.Name+"_seed_corpus.zip"), inputs); err != nil {
			return nil, err
		}
		stats[t.Name] = st
	}
	return stats, nil
}

func writeZip(path string, files map[string][]byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		w, err := zw.Create(name)
		if err == nil {
			_, err = w.Write(files[name])
		}
		if err != nil {
			f.Close()
			return err
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// unzipInto extracts the zip at path into dir (flat: corpus files only).
func unzipInto(path, dir string) (int, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	n := 0
	for _, zf := range zr.File {
		if zf.FileInfo().IsDir() {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return n, err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return n, err
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(zf.Name)), data, 0o644); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
