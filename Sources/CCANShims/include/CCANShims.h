// C shim for CANSocket: the kernel's SocketCAN UAPI headers, so tests can check the Swift codecs
// against the real struct layouts. <linux/can/netlink.h> stays out (libsocketcan brings its own).
#ifndef CCANSHIMS_H
#define CCANSHIMS_H

#include <sys/socket.h>
#include <linux/can.h>
#include <linux/can/raw.h>
#include <linux/can/bcm.h>
#include <linux/can/isotp.h>
#include <linux/can/error.h>

#ifndef AF_CAN
#define AF_CAN 29
#endif
#ifndef PF_CAN
#define PF_CAN AF_CAN
#endif
#ifndef SOL_CAN_BASE
#define SOL_CAN_BASE 100
#endif

static const int CCAN_AF_CAN = AF_CAN;
static const int CCAN_SOL_CAN_RAW = SOL_CAN_RAW;
static const int CCAN_SOL_CAN_ISOTP = SOL_CAN_ISOTP;

#endif
