/* notify-send MESSAGE: sends MESSAGE to $NOTIFY_SOCKET as one datagram, as sd_notify(3) does.
   Linked statically so a test can hand it to a busybox pod through a volume. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char** argv) {
  const char* path = getenv("NOTIFY_SOCKET");
  struct sockaddr_un addr;
  if (argc != 2 || path == NULL || strlen(path) >= sizeof addr.sun_path) {
    fprintf(stderr, "usage: NOTIFY_SOCKET=PATH notify-send MESSAGE\n");
    return 2;
  }
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  strcpy(addr.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  if (fd < 0 ||
      sendto(fd, argv[1], strlen(argv[1]), 0, (struct sockaddr*)&addr,
             (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1)) < 0) {
    perror("notify-send");
    return 1;
  }
  return 0;
}
