// C shim for SocketBase: what Swift cannot import from glibc directly.
// Macros (CMSG_*), structs hidden behind _GNU_SOURCE (mmsghdr) and a few flag constants.
#ifndef CSOCKETSHIMS_H
#define CSOCKETSHIMS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netdb.h>
#include <net/if.h>
#include <poll.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

/// The glibc `struct mmsghdr`, which needs _GNU_SOURCE to be visible.
typedef struct {
    struct msghdr msg_hdr;
    unsigned int msg_len;
} csb_mmsghdr;

/// `recvmmsg(2)`.
int csb_recvmmsg(int fd, csb_mmsghdr *vec, unsigned int vlen, int flags, struct timespec *timeout);
/// `sendmmsg(2)`.
int csb_sendmmsg(int fd, csb_mmsghdr *vec, unsigned int vlen, int flags);

/// `pipe2(2)`, which needs _GNU_SOURCE.
int csb_pipe2(int fds[2], int flags);

/// `accept4(2)`.
int csb_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);
/// The GNU `strerror_r`: the message for `errnum` (in `buffer` or a static string).
const char *csb_strerror(int errnum, char *buffer, size_t length);

/// `CMSG_FIRSTHDR`.
struct cmsghdr *csb_cmsg_firsthdr(const struct msghdr *msg);
/// `CMSG_NXTHDR`.
struct cmsghdr *csb_cmsg_nxthdr(const struct msghdr *msg, const struct cmsghdr *cmsg);
/// `CMSG_DATA`.
unsigned char *csb_cmsg_data(const struct cmsghdr *cmsg);
/// `CMSG_LEN`.
size_t csb_cmsg_len(size_t payload);
/// `CMSG_SPACE`.
size_t csb_cmsg_space(size_t payload);

/// `SOCK_NONBLOCK` and `SOCK_CLOEXEC`, which glibc declares as enum cases.
static const int CSB_SOCK_NONBLOCK = 04000;
static const int CSB_SOCK_CLOEXEC = 02000000;
/// `SCM_RIGHTS`, an enum case in glibc.
static const int CSB_SCM_RIGHTS = 0x01;
/// `MSG_CMSG_CLOEXEC`.
static const int CSB_MSG_CMSG_CLOEXEC = 0x40000000;

#endif
