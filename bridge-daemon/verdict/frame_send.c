/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The AF_PACKET socket replies leave through: see frame.h. */
#include "frame.h"

#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

G_DEFINE_QUARK(sipcid-frame-error-quark, sipcid_frame_error)

enum { PORTS_MAX = 8 };

struct sipcid_frame_sender {
	int fd;
	/* The bridge ports' own MAC addresses, asked once each. */
	struct {
		uint32_t ifindex;
		uint8_t mac[6];
	} ports[PORTS_MAX];
	unsigned n_ports, next_port;
	_Alignas(8) uint8_t buf[SIPCID_FRAME_MAX];
};

struct sipcid_frame_sender *sipcid_frame_sender_open(GError **error)
{
	/* Protocol 0: the socket receives nothing, so nothing queues on it. */
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		g_set_error(error, SIPCID_FRAME_ERROR, errno,
		            "opening a packet socket to answer blocked calls: %s (sipcidd needs "
		            "CAP_NET_RAW at start)", g_strerror(errno));
		return NULL;
	}
	struct sipcid_frame_sender *s = g_new0(struct sipcid_frame_sender, 1);
	s->fd = fd;
	return s;
}

void sipcid_frame_sender_close(struct sipcid_frame_sender *s)
{
	if (!s)
		return;
	close(s->fd);
	g_free(s);
}

static int port_mac(struct sipcid_frame_sender *s, uint32_t ifindex, uint8_t mac[6])
{
	for (unsigned i = 0; i < s->n_ports; i++)
		if (s->ports[i].ifindex == ifindex) {
			memcpy(mac, s->ports[i].mac, 6);
			return 0;
		}
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	ifr.ifr_ifindex = (int)ifindex;
	if (ioctl(s->fd, SIOCGIFNAME, &ifr) < 0 || ioctl(s->fd, SIOCGIFHWADDR, &ifr) < 0)
		return errno;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	/* Ports are few; past the table's size the oldest answer is replaced. */
	unsigned at = s->n_ports < PORTS_MAX ? s->n_ports++ : s->next_port++ % PORTS_MAX;
	s->ports[at].ifindex = ifindex;
	memcpy(s->ports[at].mac, mac, 6);
	return 0;
}

int sipcid_frame_send(struct sipcid_frame_sender *s, uint32_t ifindex, const uint8_t dst_mac[6],
                      const uint8_t *src_mac, const struct sipcid_endpoint *src,
                      const struct sipcid_endpoint *dst, const void *payload, size_t len)
{
	if (!ifindex)
		return ENODEV;
	uint8_t own[6];
	if (!src_mac) {
		int err = port_mac(s, ifindex, own);
		if (err)
			return err;
		src_mac = own;
	}
	size_t n = sipcid_frame_build(s->buf, sizeof s->buf, dst_mac, src_mac, src, dst, payload, len);
	if (!n)
		return EMSGSIZE;
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET,
		.sll_ifindex = (int)ifindex,
		.sll_halen = 6,
	};
	memcpy(to.sll_addr, dst_mac, 6);
	if (sendto(s->fd, s->buf, n, MSG_DONTWAIT, (struct sockaddr *)&to, sizeof to) < 0)
		return errno;
	return 0;
}
