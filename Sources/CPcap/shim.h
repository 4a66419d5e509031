// libpcap (Debian: libpcap-dev): only pcap_compile / pcap_open_dead, to turn tcpdump filter expressions into
// classic BPF programs that PacketSocket attaches to its own AF_PACKET socket.
#include <pcap/pcap.h>
