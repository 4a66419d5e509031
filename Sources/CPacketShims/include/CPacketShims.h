// C shim for PacketSocket: AF_PACKET, TPACKET_V3 ring and classic BPF headers.
#ifndef CPACKETSHIMS_H
#define CPACKETSHIMS_H

#include <sys/socket.h>
#include <sys/mman.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <linux/if_arp.h>
#include <linux/filter.h>
#include <net/if.h>

#endif
