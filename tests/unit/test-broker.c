/*
 * test-broker.c -- the jail broker (the real verdict-jail --broker)
 * through its client, brokerc.
 *
 *   broker_disjoint_ranges      two brokers running at once hold two
 *                               different uid ranges of 1024 that do
 *                               not overlap, and say so in their hello
 *   broker_refuses_bad_requests requests of the wrong size, version or
 *                               type, a slot out of range, a field that
 *                               must be 0, descriptors sent along: each
 *                               gets BROKER_REFUSED, and then the broker
 *                               still makes a jail
 *   broker_kill_stale_harmless  a KILL of an id never made or of a jail
 *                               already reaped does nothing (the live
 *                               jail ends by itself, not by SIGKILL); a
 *                               KILL of a live jail gets its EXITED with
 *                               SIGKILL, and the slot can be used again
 *   broker_eof_kills_jails      closing the socket: the broker kills its
 *                               running jails, reaps them and exits; no
 *                               process of the jail is left
 *
 * These need root (the broker maps host uids) and build/verdict-jail
 * (or $O/verdict-jail); without them they SKIP with the reason.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "tests/unit/test.h"
#include "sandbox/brokerc.h"

#define BROKER_TEST_WAIT_MS	10000

static struct brokerc *
broker_test_start(const char *jail, unsigned workers)
{
	struct brokerc_opts bo;
	struct brokerc	*bc;
	char		 err[256];

	memset(&bo, 0, sizeof(bo));
	bo.jail_path = jail;
	bo.workers = workers;
	bo.uid_base = BROKER_UID_BASE;
	bo.scratch_mb = 16;
	if (brokerc_start(&bo, &bc, err, sizeof(err)) < 0)
		TEST_FAIL_AT("brokerc_start: %s", err);
	return bc;
}

/* The next message, which must be of "type". */
static void
broker_test_next(struct brokerc *bc, enum broker_type type,
    struct broker_rep *rep, int fds[BROKER_NFDS])
{
	int	 r;

	if ((r = brokerc_recv(bc, rep, fds, BROKER_TEST_WAIT_MS)) != 1)
		TEST_FAIL_AT("brokerc_recv: %d", r);
	if (rep->type != (uint32_t)type)
		TEST_FAIL_AT("message %u (%s), not %d", rep->type, rep->text,
		    (int)type);
}

/* Send "len" raw bytes to the broker, with descriptor "fd" if >= 0. */
static void
broker_test_raw(struct brokerc *bc, const void *buf, size_t len, int fd)
{
	union {
		char		 buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr	 align;
	}		 u;
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cm;
	char		 copy[256];

	ASSERT(len <= sizeof(copy));
	memcpy(copy, buf, len);
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = copy;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (fd >= 0) {
		memset(&u, 0, sizeof(u));
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof(u.buf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	ASSERT_EQ(sendmsg(brokerc_fd(bc), &msg, MSG_NOSIGNAL), (ssize_t)len);
}

/* A well-formed request, for the tests to spoil. */
static struct broker_req
broker_test_req(enum broker_type type, unsigned slot, uint64_t jail)
{
	struct broker_req req;

	memset(&req, 0, sizeof(req));
	req.version = BROKER_VERSION;
	req.type = type;
	req.slot = slot;
	req.jail = jail;
	return req;
}

static void
broker_test_close_fds(const int fds[BROKER_NFDS])
{
	for (int i = 0; i < BROKER_NFDS; i++)
		ASSERT_OK(close(fds[i]));
}

TEST(broker_disjoint_ranges)
{
	const char	*jail = test_jail_path();
	struct brokerc	*a, *b;
	uid_t		 a0, a1, b0, b1;

	if (jail == NULL)
		RETURN_SKIP("needs root and a built verdict-jail");
	a = broker_test_start(jail, 2);
	b = broker_test_start(jail, 2);
	a0 = brokerc_uid_first(a);
	a1 = brokerc_uid_last(a);
	b0 = brokerc_uid_first(b);
	b1 = brokerc_uid_last(b);
	ASSERT_EQ(a1 - a0 + 1, BROKER_RANGE_UIDS);
	ASSERT_EQ(b1 - b0 + 1, BROKER_RANGE_UIDS);
	ASSERT_EQ((a0 - BROKER_UID_BASE) % BROKER_RANGE_UIDS, 0);
	ASSERT_EQ((b0 - BROKER_UID_BASE) % BROKER_RANGE_UIDS, 0);
	ASSERT(a1 < b0 || b1 < a0);
	ASSERT_EQ(brokerc_workers(a), 2);
	brokerc_close(a);
	brokerc_close(b);
	return TEST_PASS;
}

TEST(broker_refuses_bad_requests)
{
	const char	*jail = test_jail_path();
	struct brokerc	*bc;
	struct broker_req req, bad[7];
	struct broker_rep rep;
	char		 longer[sizeof(req) + 8];
	int		 fds[BROKER_NFDS];

	if (jail == NULL)
		RETURN_SKIP("needs root and a built verdict-jail");
	bc = broker_test_start(jail, 2);
	req = broker_test_req(BROKER_SPAWN, 0, 0);

	/* Too short, too long. */
	broker_test_raw(bc, &req, 3, -1);
	broker_test_next(bc, BROKER_REFUSED, &rep, fds);
	ASSERT_CONTAINS(rep.text, "3 bytes");
	memset(longer, 0, sizeof(longer));
	memcpy(longer, &req, sizeof(req));
	broker_test_raw(bc, longer, sizeof(longer), -1);
	broker_test_next(bc, BROKER_REFUSED, &rep, fds);
	ASSERT_EQ(rep.error, EINVAL);

	/* Right size, wrong content. */
	bad[0] = req;
	bad[0].version = BROKER_VERSION + 1;
	bad[1] = broker_test_req(99, 0, 0);
	bad[2] = broker_test_req(BROKER_HELLO, 0, 0);
	bad[3] = broker_test_req(BROKER_SPAWN, 2, 0);	/* of 2 slots */
	bad[4] = broker_test_req(BROKER_SPAWN, 0, 7);
	bad[5] = req;
	bad[5].pad = 1;
	bad[6] = broker_test_req(BROKER_KILL, 0, 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		broker_test_raw(bc, &bad[i], sizeof(bad[i]), -1);
		broker_test_next(bc, BROKER_REFUSED, &rep, fds);
		ASSERT(rep.error > 0);
		ASSERT(rep.text[0] != '\0');
	}

	/* A good request with a descriptor along: refused, not used. */
	broker_test_raw(bc, &req, sizeof(req), 2);
	broker_test_next(bc, BROKER_REFUSED, &rep, fds);
	ASSERT_CONTAINS(rep.text, "descriptors");

	/* Still serving. */
	ASSERT_OK(brokerc_spawn(bc, 1));
	broker_test_next(bc, BROKER_SPAWNED, &rep, fds);
	ASSERT_EQ(rep.slot, 1);
	ASSERT(rep.jail > 0);
	broker_test_close_fds(fds);
	brokerc_close(bc);
	return TEST_PASS;
}

TEST(broker_kill_stale_harmless)
{
	const char	*jail = test_jail_path();
	struct brokerc	*bc;
	struct broker_req req;
	struct broker_rep rep;
	int		 fds[BROKER_NFDS], fds2[BROKER_NFDS];
	uint64_t	 id, id2;

	if (jail == NULL)
		RETURN_SKIP("needs root and a built verdict-jail");
	bc = broker_test_start(jail, 1);
	ASSERT_OK(brokerc_spawn(bc, 0));
	broker_test_next(bc, BROKER_SPAWNED, &rep, fds);
	id = rep.jail;

	/* Ids that are no live jail: nothing.  The refused request after
	 * them shows they were read, with no EXITED before its answer. */
	ASSERT_OK(brokerc_kill(bc, id + 1000));
	ASSERT_OK(brokerc_kill(bc, UINT64_MAX));
	req = broker_test_req(99, 0, 0);
	broker_test_raw(bc, &req, sizeof(req), -1);
	broker_test_next(bc, BROKER_REFUSED, &rep, fds);

	/* The jail still runs: closing its job pipe ends it by itself
	 * (the zygote stops at the end of its input), not by SIGKILL. */
	ASSERT_OK(close(fds[0]));
	broker_test_next(bc, BROKER_EXITED, &rep, fds2);
	ASSERT_EQ(rep.jail, id);
	ASSERT_EQ(rep.signo, 0);
	ASSERT_OK(close(fds[1]));
	ASSERT_OK(close(fds[2]));

	/* Reaped: its id is stale now, and its slot is free. */
	ASSERT_OK(brokerc_kill(bc, id));
	ASSERT_OK(brokerc_spawn(bc, 0));
	broker_test_next(bc, BROKER_SPAWNED, &rep, fds2);
	id2 = rep.jail;
	ASSERT(id2 > id);

	/* A live jail (its pipes still open): killed, group and all. */
	ASSERT_OK(brokerc_kill(bc, id2));
	broker_test_next(bc, BROKER_EXITED, &rep, fds);
	ASSERT_EQ(rep.jail, id2);
	ASSERT_EQ(rep.signo, SIGKILL);
	broker_test_close_fds(fds2);
	brokerc_close(bc);
	return TEST_PASS;
}

TEST(broker_eof_kills_jails)
{
	const char	*jail = test_jail_path();
	struct brokerc	*bc;
	struct broker_rep rep;
	struct test_proc procs[16];
	struct pollfd	 pfd;
	uid_t		 first, last;
	char		 line[64];
	int		 fds[BROKER_NFDS], tries = 0;
	ssize_t		 n;

	if (jail == NULL)
		RETURN_SKIP("needs root and a built verdict-jail");
	bc = broker_test_start(jail, 1);
	first = brokerc_uid_first(bc);
	last = brokerc_uid_last(bc);
	ASSERT_OK(brokerc_spawn(bc, 0));
	broker_test_next(bc, BROKER_SPAWNED, &rep, fds);
	/* Wait for the jail's "ready": its zygote and judge run. */
	pfd.fd = fds[1];
	pfd.events = POLLIN;
	ASSERT_EQ(poll(&pfd, 1, BROKER_TEST_WAIT_MS), 1);
	ASSERT((n = read(fds[1], line, sizeof(line) - 1)) > 0);
	line[n] = '\0';
	ASSERT_CONTAINS(line, "\"ready\"");
	n = (ssize_t)test_procs_under(brokerc_pid(bc), first, last, 0, procs,
	    16);
	ASSERT(n >= 2 && n <= 16);

	/* Our ends of its pipes stay open: only the broker can end it. */
	brokerc_close(bc);
	while (test_procs_alive(procs, (size_t)n) > 0 && tries++ < 300)
		poll(NULL, 0, 10);
	ASSERT_EQ(test_procs_alive(procs, (size_t)n), 0);
	broker_test_close_fds(fds);
	return TEST_PASS;
}
