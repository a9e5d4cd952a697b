// crecv: the C receive loop that BenchmarkReceiveC puts beside netbuf/udp.
// It does what netbuf/udp's Receiver does per datagram (the bytes, the
// source address, the kernel's drop counter from SO_RXQ_OVFL), in the
// fewest system calls the kernel allows, into one flat buffer that is
// reused every call:
//
//   crecv batch   recvmmsg of up to 64 datagrams, each into a 1500-byte
//                 slot of the flat buffer
//   crecv gro     recvmsg with UDP_GRO: a coalesced run of up to 64 KiB,
//                 split at the segment size the kernel reports
//   crecv gro-scatter
//                 the same read laid out to land each datagram where its
//                 packet goes in a netbuf buffer: one iovec per segment (of
//                 the previous run's size, at most 128), 24 header bytes
//                 apart, then one iovec for the rest of the 64 KiB; to tell
//                 what that layout costs the kernel against one flat iovec
//
// It binds 127.0.0.1 on a free port and prints the port. Then for each
// number n read from stdin it receives exactly n datagrams, adds up their
// lengths (the work per datagram), and prints the receiving thread's CPU
// time and the wall time it took, in nanoseconds: "<cpu> <wall>".
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#ifndef UDP_GRO
#define UDP_GRO 104
#endif
#ifndef SO_RXQ_OVFL
#define SO_RXQ_OVFL 40
#endif

enum { MTU = 1500, BATCH = 64, RUN = 65536, CTRL = 64, HEADER = 24, IOVECS = 128 };

static char flat[3 * RUN]; // batch: 64 slots of MTU bytes; gro: a run; gro-scatter: a run with headers, then the rest
static struct mmsghdr msgs[BATCH];
static struct iovec iovs[IOVECS + 1];
static int guess; // gro-scatter: the segment size of the previous run
static struct sockaddr_in6 names[BATCH];
static char ctrl[BATCH][CTRL];
static uint64_t sum, drops;

static long long clock_ns(clockid_t c) {
	struct timespec ts;
	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what) {
	perror(what);
	exit(1);
}

// control reads the drop counter and the GRO segment size (0 if none).
static int control(struct msghdr *mh) {
	int seg = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
			uint32_t d;
			memcpy(&d, CMSG_DATA(c), sizeof d);
			drops = d;
		} else if (c->cmsg_level == IPPROTO_UDP && c->cmsg_type == UDP_GRO) {
			memcpy(&seg, CMSG_DATA(c), sizeof seg);
		}
	}
	return seg;
}

static long recv_batch(int fd) {
	for (int i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_namelen = sizeof names[i];
		msgs[i].msg_hdr.msg_controllen = CTRL;
	}
	int m = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL); // what is queued, at least one
	if (m < 0)
		die("recvmmsg");
	for (int i = 0; i < m; i++) {
		control(&msgs[i].msg_hdr);
		sum += msgs[i].msg_len;
	}
	return m;
}

static long recv_gro(int fd, int scatter) {
	struct msghdr *mh = &msgs[0].msg_hdr;
	mh->msg_namelen = sizeof names[0];
	mh->msg_controllen = CTRL;
	mh->msg_iov = iovs;
	mh->msg_iovlen = 1;
	iovs[0] = (struct iovec){flat, RUN};
	if (scatter && guess > 0) {
		size_t off = 0, covered = 0, k = 0;
		for (; k < IOVECS && covered + guess <= RUN; k++, off += HEADER + guess, covered += guess)
			iovs[k] = (struct iovec){flat + off + HEADER, guess};
		iovs[k++] = (struct iovec){flat + 2 * RUN, RUN - covered};
		mh->msg_iovlen = k;
	}
	ssize_t n = recvmsg(fd, mh, 0);
	if (n < 0)
		die("recvmsg");
	int seg = control(mh);
	guess = seg;
	if (seg <= 0 || seg > n)
		seg = n > 0 ? n : 1;
	long k = 0;
	for (ssize_t off = 0; off < n || (n == 0 && k == 0); off += seg, k++)
		sum += n - off < seg ? n - off : seg;
	return k;
}

int main(int argc, char **argv) {
	int scatter = argc == 2 && strcmp(argv[1], "gro-scatter") == 0;
	int gro = scatter || (argc == 2 && strcmp(argv[1], "gro") == 0);
	if (argc != 2 || (!gro && strcmp(argv[1], "batch") != 0)) {
		fprintf(stderr, "usage: crecv batch|gro|gro-scatter\n");
		return 2;
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0), one = 1, rcvbuf = 4 << 20;
	if (fd < 0)
		die("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one) < 0)
		die("setsockopt");
	struct timeval limit = {.tv_sec = 10}; // a lost datagram ends the run instead of hanging it
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) < 0)
		die("setsockopt SO_RCVTIMEO");
	if (gro && setsockopt(fd, IPPROTO_UDP, UDP_GRO, &one, sizeof one) < 0)
		die("setsockopt UDP_GRO");
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof a;
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || getsockname(fd, (struct sockaddr *)&a, &alen) < 0)
		die("bind");
	for (int i = 0; i < BATCH; i++) {
		iovs[i].iov_base = flat + i * MTU;
		iovs[i].iov_len = MTU;
		msgs[i].msg_hdr.msg_iov = &iovs[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_name = &names[i];
		msgs[i].msg_hdr.msg_control = ctrl[i];
	}
	printf("%d\n", ntohs(a.sin_port));
	fflush(stdout);
	long n;
	while (scanf("%ld", &n) == 1) {
		long long cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID), wall = clock_ns(CLOCK_MONOTONIC);
		for (long got = 0; got < n;)
			got += gro ? recv_gro(fd, scatter) : recv_batch(fd);
		printf("%lld %lld\n", clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu, clock_ns(CLOCK_MONOTONIC) - wall);
		fflush(stdout);
	}
	fprintf(stderr, "crecv: %llu bytes, %llu drops\n", (unsigned long long)sum, (unsigned long long)drops);
	return 0;
}
