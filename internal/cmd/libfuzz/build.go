package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// The clang that stands in for OSS-Fuzz's: Debian's, at a pinned major
// version, with its libFuzzer (compiler-rt).
const clangVersion = "19"

var clangPackages = []string{"clang-" + clangVersion, "libclang-rt-" + clangVersion + "-dev"}

// baseCFLAGS are base-clang's CFLAGS; the compile step of base-builder
// adds the sanitizer's flags and the coverage flags to them.
const baseCFLAGS = "-O1 -fno-omit-frame-pointer -gline-tables-only " +
	"-Wno-error=incompatible-function-pointer-types -Wno-error=int-conversion " +
	"-Wno-error=deprecated-declarations -Wno-error=implicit-function-declaration " +
	"-Wno-error=implicit-int -Wno-error=unknown-warning-option -Wno-error=vla-cxx-extension " +
	"-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"

const (
	addressFlags  = "-fsanitize=address -fsanitize-address-use-after-scope"
	coverageFlags = "-fsanitize=fuzzer-no-link"
)

// sigOnStackC does what base-builder-go's gosigfuzz.o does, which the image
// links into every Go target through $LIB_FUZZING_ENGINE: libFuzzer
// installs its signal handlers (the -timeout alarm, crashes, interrupts)
// without SA_ONSTACK, and the Go runtime aborts when such a handler runs on
// a goroutine's stack; so they are reinstalled with the flag.
const sigOnStackC = `#include <signal.h>
#include <stddef.h>

static void onstack(int sig) {
  struct sigaction sa;
  if (sigaction(sig, NULL, &sa) == 0) {
    sa.sa_flags |= SA_ONSTACK;
    sigaction(sig, &sa, NULL);
  }
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  int sigs[] = {SIGSEGV, SIGABRT, SIGALRM, SIGINT, SIGTERM, SIGBUS, SIGFPE, SIGXFSZ, SIGUSR1, SIGUSR2};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) onstack(sigs[i]);
  return 0;
}
`

// buildLocal emulates the build of OSS-Fuzz's base-builder-go image on this
// machine and runs .clusterfuzzlite/build.sh in it: the module's files are
// copied to $SRC/netbuf (as the Dockerfile's COPY does; go-118-fuzz-build
// edits the tree it builds), build.sh to $SRC/build.sh, and the script runs
// from $SRC/netbuf with the environment the image's compile step gives it.
// The binaries and seed corpora land in $OUT = work/out.
func buildLocal(root, work string) (out string, err error) {
	if err := ensureClang(); err != nil {
		return "", err
	}
	src, out, wrk := filepath.Join(work, "src"), filepath.Join(work, "out"), filepath.Join(work, "work")
	for _, d := range []string{src, out, wrk} {
		if err := os.RemoveAll(d); err != nil {
			return "", err
		}
		if err := os.MkdirAll(d, 0o755); err != nil {
			return "", err
		}
	}
	proj := filepath.Join(src, "netbuf")
	if err := copyTree(root, proj); err != nil {
		return "", fmt.Errorf("copying the tree: %w", err)
	}
	if err := copyFile(filepath.Join(root, ".clusterfuzzlite", "build.sh"), filepath.Join(src, "build.sh")); err != nil {
		return "", err
	}
	sigC, sigO := filepath.Join(wrk, "sigonstack.c"), filepath.Join(wrk, "sigonstack.o")
	if err := os.WriteFile(sigC, []byte(sigOnStackC), 0o644); err != nil {
		return "", err
	}
	if err := run("", nil, "clang-"+clangVersion, "-c", sigC, "-o", sigO); err != nil {
		return "", err
	}
	cflags := baseCFLAGS + " " + addressFlags + " " + coverageFlags
	env := []string{
		"SRC=" + src, "OUT=" + out, "WORK=" + wrk,
		"CC=clang-" + clangVersion,
		"CXX=clang++-" + clangVersion + " -lresolv", // compile adds -lresolv for Go
		"CFLAGS=" + cflags,
		// The image adds -stdlib=libc++, for its own clang's libFuzzer;
		// Debian's libFuzzer is built against libstdc++, clang's default.
		"CXXFLAGS=" + cflags,
		"LIB_FUZZING_ENGINE=-fsanitize=fuzzer " + sigO,
		"SANITIZER=address", "FUZZING_ENGINE=libfuzzer", "FUZZING_LANGUAGE=go", "ARCHITECTURE=x86_64",
	}
	fmt.Printf("== build: bash -eu $SRC/build.sh in %s (SRC=%s OUT=%s WORK=%s)\n", proj, src, out, wrk)
	if err := run(proj, env, "bash", "-eu", filepath.Join(src, "build.sh")); err != nil {
		return "", fmt.Errorf(".clusterfuzzlite/build.sh: %w", err)
	}
	return out, nil
}

// ensureClang installs the pinned clang from Debian's packages if any of
// them is missing.
func ensureClang() error {
	var missing []string
	for _, p := range clangPackages {
		st, err := exec.Command("dpkg-query", "-W", "-f=${Status}", p).Output()
		if err != nil || !strings.Contains(string(st), "install ok installed") {
			missing = append(missing, p)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return fmt.Errorf("missing %s and no apt-get to install them", strings.Join(missing, " "))
	}
	sudo := []string{}
	if os.Geteuid() != 0 {
		sudo = []string{"sudo"}
	}
	fmt.Printf("== installing %s (apt-get)\n", strings.Join(missing, " "))
	aptEnv := []string{"DEBIAN_FRONTEND=noninteractive"}
	if err := run("", aptEnv, append(sudo, "apt-get", "update", "-qq")...); err != nil {
		return err
	}
	return run("", aptEnv, append(append(sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends"), missing...)...)
}

// copyTree copies the files git knows in root (tracked, and untracked but
// not ignored: the work in progress that `go test` would see) to dst.
func copyTree(root, dst string) error {
	list, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		return fmt.Errorf("git ls-files: %w", err)
	}
	for _, name := range bytes.Split(list, []byte{0}) {
		if len(name) == 0 {
			continue
		}
		from := filepath.Join(root, string(name))
		fi, err := os.Lstat(from)
		if os.IsNotExist(err) {
			continue // deleted in the work tree
		}
		if err != nil {
			return err
		}
		to := filepath.Join(dst, string(name))
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		switch {
		case fi.Mode()&os.ModeSymlink != 0:
			target, err := os.Readlink(from)
			if err == nil {
				err = os.Symlink(target, to)
			}
			if err != nil && !os.IsExist(err) {
				return err
			}
		case fi.Mode().IsRegular():
			if err := copyFile(from, to); err != nil {
				return err
			}
		}
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, fi.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// run runs a command in dir with env added, its output on ours.
func run(dir string, env []string, args ...string) error {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", strings.Join(args, " "), err)
	}
	return nil
}
