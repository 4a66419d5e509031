// C shim for PacketSocket: AF_PACKET, TPACKET_V3 ring and classic BPF headers.
#ifndef CPACKETSHIMS_H
#define CPACKETSHIMS_H

#include <stdint.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <linux/filter.h>

/// Reads a ring block's or frame's status word with acquire ordering: the kernel filled what it guards first.
static inline uint32_t cps_load_acquire_u32(const void *address) {
    return __atomic_load_n((const uint32_t *)address, __ATOMIC_ACQUIRE);
}

/// Hands a ring block back to the kernel (`TP_STATUS_KERNEL`) with release ordering: our reads are done first.
static inline void cps_store_release_u32(void *address, uint32_t value) {
    __atomic_store_n((uint32_t *)address, value, __ATOMIC_RELEASE);
}

/// The status word of a TPACKET_V3 block (`tpacket_block_desc.hdr.bh1.block_status`), read and written atomically.
static inline void *cps_block_status_address(void *block) {
    return &((struct tpacket_block_desc *)block)->hdr.bh1.block_status;
}

/// Where the `sockaddr_ll` of a ring packet starts: `TPACKET_ALIGN(sizeof(struct tpacket3_hdr))`.
static inline unsigned int cps_tpacket3_address_offset(void) {
    return TPACKET_ALIGN(sizeof(struct tpacket3_hdr));
}

/// `TPACKET_V3` (an enum case in <linux/if_packet.h>).
static const int CPS_TPACKET_V3 = TPACKET_V3;

#endif
