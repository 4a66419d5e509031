// libsocketcan (Debian: libsocketcan-dev): CAN interface control over netlink.
#include <linux/if_link.h>
#include <libsocketcan.h>
