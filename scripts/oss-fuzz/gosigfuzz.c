// What base-builder-go's gosigfuzz.o does, which the image links into every
// Go target through $LIB_FUZZING_ENGINE: libFuzzer installs its signal
// handlers (the -timeout alarm, crashes, interrupts) without SA_ONSTACK, and
// the Go runtime aborts when such a handler runs on a goroutine's stack; so
// they are reinstalled with the flag.
#include <signal.h>
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
