/* isolator-probe SYSCALL: makes one harmless system call and prints `ok` or `errno=N`, for
 * the seccomp tests (busybox has no tool that makes a chosen call and reports its errno). A
 * call the filter kills never returns: the app dies with SIGSYS. Static: the pods have no
 * libraries. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(int argc, char** argv) {
  long rc;
  struct utsname u;
  if (argc != 2) {
    fprintf(stderr, "usage: isolator-probe uname|acct|keyctl|getpid\n");
    return 2;
  }
  if (strcmp(argv[1], "uname") == 0) {
    rc = syscall(SYS_uname, &u);
  } else if (strcmp(argv[1], "acct") == 0) {
    rc = syscall(SYS_acct, NULL); /* turning accounting off: EPERM without CAP_SYS_PACCT */
  } else if (strcmp(argv[1], "keyctl") == 0) {
    rc = syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -1, 0);
  } else if (strcmp(argv[1], "getpid") == 0) {
    rc = syscall(SYS_getpid);
  } else {
    fprintf(stderr, "isolator-probe: unknown call %s\n", argv[1]);
    return 2;
  }
  if (rc < 0) {
    printf("errno=%d\n", errno);
  } else {
    printf("ok\n");
  }
  return 0;
}
