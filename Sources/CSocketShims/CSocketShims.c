#define _GNU_SOURCE 1
#include "CSocketShims.h"
#include <sys/socket.h>
#include <assert.h>
#include <string.h>

_Static_assert(sizeof(csb_mmsghdr) == sizeof(struct mmsghdr), "mmsghdr layout");
_Static_assert(offsetof(csb_mmsghdr, msg_len) == offsetof(struct mmsghdr, msg_len), "mmsghdr layout");
_Static_assert(CSB_SOCK_NONBLOCK == SOCK_NONBLOCK, "SOCK_NONBLOCK");
_Static_assert(CSB_SOCK_CLOEXEC == SOCK_CLOEXEC, "SOCK_CLOEXEC");
_Static_assert(CSB_SCM_RIGHTS == SCM_RIGHTS, "SCM_RIGHTS");
_Static_assert(CSB_MSG_CMSG_CLOEXEC == MSG_CMSG_CLOEXEC, "MSG_CMSG_CLOEXEC");

int csb_recvmmsg(int fd, csb_mmsghdr *vec, unsigned int vlen, int flags, struct timespec *timeout) {
    return recvmmsg(fd, (struct mmsghdr *)vec, vlen, flags, timeout);
}

int csb_sendmmsg(int fd, csb_mmsghdr *vec, unsigned int vlen, int flags) {
    return sendmmsg(fd, (struct mmsghdr *)vec, vlen, flags);
}

struct cmsghdr *csb_cmsg_firsthdr(const struct msghdr *msg) { return CMSG_FIRSTHDR(msg); }
struct cmsghdr *csb_cmsg_nxthdr(const struct msghdr *msg, const struct cmsghdr *cmsg) {
    return CMSG_NXTHDR((struct msghdr *)msg, (struct cmsghdr *)cmsg);
}
unsigned char *csb_cmsg_data(const struct cmsghdr *cmsg) { return (unsigned char *)CMSG_DATA(cmsg); }
size_t csb_cmsg_len(size_t payload) { return CMSG_LEN(payload); }
size_t csb_cmsg_space(size_t payload) { return CMSG_SPACE(payload); }

int csb_pipe2(int fds[2], int flags) { return pipe2(fds, flags); }

int csb_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) {
    return accept4(fd, address, length, flags);
}

const char *csb_strerror(int errnum, char *buffer, size_t length) {
    return strerror_r(errnum, buffer, length);
}
