// A paced UDP flood for bench-capture: `send IFNAME COUNT RATE SIZE FLOWS` sends COUNT frames of SIZE bytes
// (IPv4/UDP, FLOWS flows by port and address) at RATE frames/s (0: as fast as it can), 64 per sendmmsg,
// straight to the driver (PACKET_QDISC_BYPASS). Prints the rate it reached.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#define BATCH 64
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static uint16_t checksum(const uint8_t *p, int n) {
    uint32_t sum = 0;
    for (int i = 0; i < n; i += 2) sum += (p[i] << 8) | p[i + 1];
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return ~sum;
}
int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: send IFNAME COUNT RATE SIZE FLOWS\n"); return 2; }
    long count = atol(argv[2]), size = atol(argv[4]), flows = atol(argv[5]);
    double rate = atof(argv[3]);
    if (size < 60) size = 60;
    int s = socket(AF_PACKET, SOCK_RAW, 0);
    int one = 1;
    setsockopt(s, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
    struct sockaddr_ll ll = {.sll_family = AF_PACKET, .sll_ifindex = if_nametoindex(argv[1])};
    if (s < 0 || bind(s, (struct sockaddr *)&ll, sizeof ll) < 0) { perror("send: socket/bind"); return 1; }
    static uint8_t frames[BATCH][1514];
    struct mmsghdr messages[BATCH];
    struct iovec vectors[BATCH];
    memset(messages, 0, sizeof messages);
    for (int i = 0; i < BATCH; i++) {
        uint8_t *f = frames[i];
        memcpy(f, "\x02\xc7\x00\x00\xbe\x01\x02\xc7\x00\x00\xbe\x02\x08\x00", 14);
        vectors[i] = (struct iovec){f, (size_t)size};
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
    }
    double start = now();
    long sent = 0;
    while (sent < count) {
        int n = count - sent < BATCH ? (int)(count - sent) : BATCH;
        for (int i = 0; i < n; i++) {
            long k = sent + i, flow = k % flows;
            uint8_t *ip = frames[i] + 14;
            memset(ip, 0, 28);
            ip[0] = 0x45; ip[8] = 64; ip[9] = 17;
            *(uint16_t *)(ip + 2) = htons(size - 14);
            *(uint16_t *)(ip + 4) = htons(k & 0xffff);
            memcpy(ip + 12, "\x0a\x00\x00\x01", 4);
            ip[16] = 10; ip[17] = 1; ip[18] = flow >> 8; ip[19] = flow;
            *(uint16_t *)(ip + 10) = htons(checksum(ip, 20));
            *(uint16_t *)(ip + 20) = htons(1024 + flow % 4096);
            *(uint16_t *)(ip + 22) = htons(9);
            *(uint16_t *)(ip + 24) = htons(size - 34);
            *(uint32_t *)(ip + 28) = htonl(k);
        }
        int done = sendmmsg(s, messages, n, 0);
        if (done < 0) { perror("send: sendmmsg"); return 1; }
        sent += done;
        if (rate > 0) {
            double ahead = start + sent / rate - now();
            if (ahead > 0) {
                struct timespec t = {(time_t)ahead, (long)((ahead - (time_t)ahead) * 1e9)};
                nanosleep(&t, NULL);
            }
        }
    }
    double seconds = now() - start;
    printf("%ld %.3f %.0f\n", sent, seconds, sent / seconds);
    return 0;
}
