// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>

#include "audit.h"
#include "jump_audit.h"
#include "jump_names.h"
#include "jump_parse.h"
#include "log.h"

_Static_assert(__AUDIT_EVENT_MAX == JUMP_AUDIT_EVENTS,
	       "lib/jump_audit.c names every audit event");
_Static_assert(sizeof(((struct audit *)0)->prev) == JUMP_AUDIT_HASH_LEN,
	       "prev holds a hex SHA-256");

/*
 * journald's MESSAGE_ID per event, so `journalctl MESSAGE_ID=...` finds
 * one kind of record; made once with systemd-id128 new, never changed
 * (Documentation/audit.rst lists them).
 */
static const char *const message_ids[__AUDIT_EVENT_MAX] = {
	[AUDIT_START] = "0fa0a88e64464f37b284edd4faa2ed3b",
	[AUDIT_STOP] = "2fa9a2ba75ad4980baf6e2ee77d6b157",
	[AUDIT_RELOAD] = "e9d037aff1e34d09883200049603c565",
	[AUDIT_TRANSITION] = "dd2d77049b7b4fc995fed2181a2a24e5",
	[AUDIT_ACCEPT] = "09d898e05ee74b59b268b5e9b456f025",
	[AUDIT_REJECT] = "b084f7269fb54bffbb31e184605ffadc",
	[AUDIT_RATE_LIMIT] = "456b3726b40c4834a870b219a354a53e",
	[AUDIT_COOKIE] = "28eed7982521417aba3332111cf70fb0",
	[AUDIT_REKEY] = "7af801397a9f4aa9bb78bfe62d89cef9",
	[AUDIT_OWNERSHIP] = "e3d42c282b67463e9b212d9ca58940e5",
};

/* The entry's fields as strings: what both sinks print. */
struct audit_text {
	struct jump_audit_record r;
	char time[JUMP_AUDIT_TIME_LEN];
	char session[SESSION_ID_LEN];
	char peer[PUBKEY_B64_LEN];
};

/* ---- Opening: continue the chain ---- */

/* mkdir -p of @path's directory; the ones it makes are 0700. */
static int make_parent_dirs(const char *path)
{
	char *dir = strdup(path), *p;
	int err = 0;

	if (!dir)
		return -1;
	for (p = strchr(dir + 1, '/'); p && !err; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST)
			err = -1;
		*p = '/';
	}
	free(dir);
	return err;
}

/*
 * The last line of the file on @fd, read from its end only (the file grows
 * for ever). 0, 1 for an empty file, or -1 with why in @why.
 */
static int read_last_line(int fd, char buf[JUMP_AUDIT_LINE_MAX + 2], size_t *len,
			  const char **why)
{
	size_t n, start;
	struct stat st;
	ssize_t got;
	char *nl;

	*len = 0;
	if (fstat(fd, &st)) {
		*why = strerror(errno);
		return -1;
	}
	if (st.st_size == 0)
		return 1;
	/* A longest line, its newline and the newline before it. */
	n = st.st_size < JUMP_AUDIT_LINE_MAX + 2 ? st.st_size : JUMP_AUDIT_LINE_MAX + 2;
	got = pread(fd, buf, n, st.st_size - n);
	if (got != (ssize_t)n) {
		*why = got < 0 ? strerror(errno) : "it shrank while being read";
		return -1;
	}
	if (buf[n - 1] != '\n') {
		*why = "its last line is cut short (no newline)";
		return -1;
	}
	nl = memrchr(buf, '\n', n - 1);
	if (!nl && (off_t)n < st.st_size) {
		*why = "its last line is too long to be a record";
		return -1;
	}
	start = nl ? nl + 1 - buf : 0;
	*len = n - 1 - start;
	memmove(buf, buf + start, *len);
	buf[*len] = '\0';
	return 0;
}

/* The file's last record: its seq, hash and prev; seq 0 if empty. */
static int read_last_record(int fd, uint64_t *seq, char hash[JUMP_AUDIT_HASH_LEN],
			    char prev[JUMP_AUDIT_HASH_LEN], const char **why)
{
	struct jump_audit_parsed *p = malloc(sizeof(*p));
	char line[JUMP_AUDIT_LINE_MAX + 2];
	size_t len;
	int err = -1;

	*seq = 0;
	memcpy(hash, jump_audit_zero_hash, JUMP_AUDIT_HASH_LEN);
	memcpy(prev, jump_audit_zero_hash, JUMP_AUDIT_HASH_LEN);
	if (!p) {
		*why = "out of memory";
		return -1;
	}
	err = read_last_line(fd, line, &len, why);
	if (err) {
		err = err > 0 ? 0 : -1;
	} else if (jump_audit_parse(line, len, p)) {
		*why = "its last line is not an audit record";
		err = -1;
	} else {
		*seq = p->r.seq;
		jump_audit_hash(line, len, hash);
		memcpy(prev, p->r.prev, JUMP_AUDIT_HASH_LEN);
	}
	free(p);
	return err;
}

static int open_file(struct audit *a, const char *path)
{
	char last_prev[JUMP_AUDIT_HASH_LEN];
	const char *why = NULL;
	int fd;

	if (make_parent_dirs(path)) {
		log_err("audit: cannot create the directory of %s: %m", path);
		return -1;
	}
	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_err("audit: cannot open %s: %m", path);
		return -1;
	}
	if (read_last_record(fd, &a->seq, a->prev, last_prev, &why)) {
		log_err("audit: not appending to %s: %s; check it with \"jumpctl audit verify file %s\" and move it aside to start a new chain",
			path, why, path);
		close(fd);
		return -1;
	}
	a->size = lseek(fd, 0, SEEK_END);
	a->file = fdopen(fd, "a");
	if (a->size < 0 || !a->file) {
		log_err("audit: %s: %m", path);
		close(fd);
		return -1;
	}
	return 0;
}

/* The host name records carry: read again at each sync, not per record. */
static void read_host(struct audit *a)
{
	if (gethostname(a->host, sizeof(a->host) - 1))
		a->host[0] = '\0';
	a->host[sizeof(a->host) - 1] = '\0';
}

int audit_open(struct audit *a, const char *path, const char *ifname)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->ifname, sizeof(a->ifname), "%s", ifname ? ifname : "");
	memcpy(a->prev, jump_audit_zero_hash, JUMP_AUDIT_HASH_LEN);
	a->journal = 1;
	read_host(a);
	if (path && open_file(a, path))
		return -1;
	return 0;
}

/* ---- The head file ---- */

static void sync_dir_of(const char *path)
{
	char *dir = strdup(path), *slash;
	int fd;

	if (!dir)
		return;
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	fd = open(slash ? (*dir ? dir : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* tmp + rename: a reader sees the old head or the new one, never half. */
static int write_head(const char *path, uint64_t seq, const char *hash)
{
	char tmp[4096], line[JUMP_AUDIT_HEAD_MAX];
	int fd, len, err = -1;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -1;
	len = snprintf(line, sizeof(line), "%" PRIu64 " %s\n", seq, hash);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, line, len) == len && !fdatasync(fd))
		err = 0;
	close(fd);
	if (!err)
		err = rename(tmp, path);
	if (err) {
		unlink(tmp);
		return -1;
	}
	/* The rename must last too, or a crash leaves the head far behind. */
	sync_dir_of(path);
	return 0;
}

static int read_head(const char *path, struct jump_audit_head *h)
{
	char line[JUMP_AUDIT_HEAD_MAX];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	if (n < 0)
		return -1;
	line[n] = '\0';
	if (strlen(line) != (size_t)n || jump_audit_head_parse(line, &h->seq, h->hash)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/*
 * Do the lines from the head's record to the end of the file chain? The
 * file ends at the head's record, or up to AUDIT_GROUP_MAX records past it
 * when jumpd stopped between appending records and the audit_sync() that
 * would have named the last one: each of those must name the one before it
 * as its prev, so that a cut followed by new records is still found.
 */
static bool chains_from_head(int fd, const struct jump_audit_head *h, uint64_t last)
{
	struct jump_audit_parsed *p = malloc(sizeof(*p));
	char hash[JUMP_AUDIT_HASH_LEN] = "";
	size_t n, i, start;
	bool found = false, ok = false;
	uint64_t seq = 0;
	struct stat st;
	char *buf = NULL;

	if (!p || fstat(fd, &st) || last < h->seq || last - h->seq > AUDIT_GROUP_MAX)
		goto out;
	n = (size_t)(last - h->seq + 2) * (JUMP_AUDIT_LINE_MAX + 1);
	if (n > (size_t)st.st_size)
		n = st.st_size;
	buf = malloc(n + 1);
	if (!buf || pread(fd, buf, n, st.st_size - n) != (ssize_t)n)
		goto out;
	/* Past the first newline unless the read began at the file's start. */
	start = 0;
	if (n < (size_t)st.st_size) {
		char *nl = memchr(buf, '\n', n);

		if (!nl)
			goto out;
		start = nl + 1 - buf;
	}
	for (i = start; i < n; i = start) {
		char *nl = memchr(buf + i, '\n', n - i);
		size_t len;

		if (!nl)
			goto out;
		len = nl - (buf + i);
		start = i + len + 1;
		if (jump_audit_parse(buf + i, len, p))
			goto out;
		if (!found) {
			if (p->r.seq != h->seq)
				continue;
			jump_audit_hash(buf + i, len, hash);
			if (strcmp(hash, h->hash))
				goto out;
			found = true;
			seq = p->r.seq;
			continue;
		}
		if (p->r.seq != seq + 1 || strcmp(p->r.prev, hash))
			goto out;
		seq = p->r.seq;
		jump_audit_hash(buf + i, len, hash);
	}
	ok = found && seq == last;
out:
	free(buf);
	free(p);
	return ok;
}

static int check_head(struct audit *a, const char *path)
{
	char hash[JUMP_AUDIT_HASH_LEN], prev[JUMP_AUDIT_HASH_LEN];
	struct jump_audit_head h;
	const char *why = "";
	uint64_t seq;

	if (read_head(path, &h)) {
		if (errno != ENOENT) {
			log_err("audit: cannot read %s: %m", path);
			return -1;
		}
		if (a->seq)
			log_warn("audit: no %s: whether records were cut off the end before now cannot be told; starting it at record %" PRIu64,
				 path, a->seq);
		return 0;
	}
	if (read_last_record(fileno(a->file), &seq, hash, prev, &why)) {
		log_err("audit: cannot read the audit file back: %s", why);
		return -1;
	}
	if ((h.seq == seq && !strcmp(h.hash, hash)) ||
	    (h.seq + 1 == seq && !strcmp(h.hash, prev)) ||
	    (h.seq < seq && chains_from_head(fileno(a->file), &h, seq)))
		return 0;
	log_err("audit: the file ends at record %" PRIu64 " but %s names record %" PRIu64
		" with another hash: records were cut off the end or the file was replaced; check it with \"jumpctl audit verify\" and move it aside to start a new chain",
		seq, path, h.seq);
	return -1;
}

int audit_set_head(struct audit *a, const char *path)
{
	if (!a->file)
		return 0;
	if (check_head(a, path))
		return -1;
	/* The head names only durable records. */
	if (fdatasync(fileno(a->file)) ||
	    make_parent_dirs(path) || write_head(path, a->seq, a->prev)) {
		log_err("audit: cannot write %s: %m", path);
		return -1;
	}
	free(a->head);
	a->head = strdup(path);
	return a->head ? 0 : -1;
}

/* ---- Writing ---- */

/* "0123456789": the last @n digits of @v into @p, zero-padded. */
static void put_digits(char *p, uint64_t v, int n)
{
	while (n--) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/*
 * jump_audit_time() without strftime(3) per record: the date and time to
 * the second are formatted once per second, the nanoseconds by hand.
 */
static void record_time(struct audit *a, const struct timespec *ts,
			char buf[JUMP_AUDIT_TIME_LEN])
{
	if (!a->date[0] || ts->tv_sec != a->date_sec) {
		jump_audit_time((uint64_t)ts->tv_sec * 1000000000, a->date);
		a->date_sec = ts->tv_sec;
	}
	if (a->date[0] == '?') {
		memcpy(buf, "?", 2);
		return;
	}
	memcpy(buf, a->date, 20);	/* through the '.' */
	put_digits(buf + 20, ts->tv_nsec, 9);
	buf[29] = 'Z';
	buf[30] = '\0';
}

/* The peer's base64: the same peer makes most records in a row. */
static const char *peer_text(struct audit *a, const uint8_t *peer)
{
	if (!a->peer_b64[0] || memcmp(a->peer, peer, sizeof(a->peer))) {
		memcpy(a->peer, peer, sizeof(a->peer));
		format_pubkey(peer, a->peer_b64);
	}
	return a->peer_b64;
}

static void entry_text(struct audit *a, const struct audit_entry *e,
		       const struct timespec *ts, struct audit_text *t)
{
	struct jump_audit_record *r = &t->r;

	memset(r, 0, sizeof(*r));
	record_time(a, ts, t->time);
	r->time = t->time;
	if (a->host[0])
		r->host = a->host;
	r->ifname = a->ifname[0] ? a->ifname : NULL;
	r->event = jump_audit_event_name(e->event);
	if (e->session) {
		format_session_id(e->session, t->session);
		r->session = t->session;
	}
	r->from = e->from >= 0 ? jump_state_name(e->from) : NULL;
	r->to = e->to >= 0 ? jump_state_name(e->to) : NULL;
	r->reason = e->reason >= 0 ? jump_reason_name(e->reason) :
		    e->owner >= 0 ? jump_owner_reason_name(e->owner) : NULL;
	r->reject = e->reject >= 0 ? jump_reject_name(e->reject) : NULL;
	r->version = e->version;
	if (e->peer)
		r->peer = peer_text(a, e->peer);
	r->source = e->source;
	r->detail = e->detail;
}

/*
 * One write(2), so a crash never leaves half a record to append after.
 * Only jumpd appends, so the size before it is the one it knows.
 */
static int append_line(struct audit *a, const char *line, size_t len)
{
	int fd = fileno(a->file);
	ssize_t n;

	n = write(fd, line, len);
	if (n == (ssize_t)len) {
		a->size += n;
		return 0;	/* durable at the next audit_sync() */
	}
	/* A short write (disk full): take it back so the chain stays whole. */
	if (n > 0 && ftruncate(fd, a->size))
		log_err("audit: cannot take back a partial record: %m");
	if (n >= 0)
		errno = ENOSPC;
	return -1;
}

static int write_file(struct audit *a, struct audit_text *t)
{
	char line[JUMP_AUDIT_LINE_MAX + 2];
	int len;

	len = jump_audit_format(line, sizeof(line) - 1, &t->r);
	if (len < 0) {
		log_err("audit: record %" PRIu64 " does not fit a line", t->r.seq);
		return -1;
	}
	line[len] = '\n';
	if (a->file && append_line(a, line, len + 1)) {
		log_err("audit: cannot append record %" PRIu64 ": %m", t->r.seq);
		return -1;
	}
	a->seq = t->r.seq;
	jump_audit_hash(line, len, a->prev);
	if (a->file && ++a->unsynced >= AUDIT_GROUP_MAX)
		return audit_sync(a);
	return 0;
}

int audit_sync(struct audit *a)
{
	if (!a->file || !a->unsynced)
		return 0;
	read_host(a);
	a->unsynced = 0;
	if (fdatasync(fileno(a->file))) {
		log_err("audit: cannot sync the audit file: %m");
		return -1;
	}
	if (a->head && write_head(a->head, a->seq, a->prev)) {
		log_err("audit: cannot write %s: %m", a->head);
		return -1;
	}
	return 0;
}

struct summary {
	char buf[1024];
	size_t len;
};

/* Appends to the one-line summary; control characters become '?'. */
static void say(struct summary *s, const char *str)
{
	size_t room = sizeof(s->buf) - 1 - s->len;
	char *p = s->buf + s->len;
	unsigned char ch;

	while (room && (ch = (unsigned char)*str++)) {
		*p++ = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
		room--;
	}
	*p = '\0';
	s->len = p - s->buf;
}

/* A decimal number (the u64's digits, no leading zeros). */
static const char *number(uint64_t v, char buf[24])
{
	char *p = buf + 23;

	*p = '\0';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return p;
}

static void say2(struct summary *s, const char *a, const char *b)
{
	say(s, a);
	say(s, b);
}

static void summarize(const struct jump_audit_record *r, struct summary *s)
{
	char num[24];

	s->len = 0;
	s->buf[0] = '\0';
	say2(s, "audit ", number(r->seq, num));
	say(s, ":");
	if (r->ifname)
		say2(s, " ", r->ifname);
	say2(s, " ", r->event);
	if (r->session)
		say2(s, " session ", r->session);
	if (r->from || r->to) {
		say2(s, " ", r->from ? r->from : "?");
		say2(s, " -> ", r->to ? r->to : "?");
	}
	if (r->reason)
		say2(s, " reason ", r->reason);
	if (r->reject)
		say2(s, " reject ", r->reject);
	if (r->version)
		say2(s, " version ", number(r->version, num));
	if (r->peer)
		say2(s, " peer ", r->peer);
	if (r->source)
		say2(s, " source ", r->source);
	if (r->detail)
		say2(s, ": ", r->detail);
}

struct journal_fields {
	struct iovec iov[16];
	char text[16][JUMP_AUDIT_DETAIL_MAX + 32];
	int n;
};

/* NAME=value, cut to the field's room; no printf. */
static void field(struct journal_fields *j, const char *name, const char *value)
{
	size_t room = sizeof(j->text[0]), nl, vl;
	char *p;

	if (!value || j->n == 16)
		return;
	p = j->text[j->n];
	nl = strlen(name);
	vl = strlen(value);
	if (nl + 1 + vl > room)
		vl = room - nl - 1;
	memcpy(p, name, nl);
	p[nl] = '=';
	memcpy(p + nl + 1, value, vl);
	j->iov[j->n].iov_base = p;
	j->iov[j->n].iov_len = nl + 1 + vl;
	j->n++;
}

static bool is_warning(const struct audit_entry *e)
{
	return e->event == AUDIT_REJECT || e->event == AUDIT_RATE_LIMIT ||
	       e->reject >= 0;
}

/*
 * Is journald there? Looked for once a second, not per record: without
 * it each record would cost a failed sendmsg(2).
 */
static bool journal_up(struct audit *a, time_t now)
{
	if (now != a->journal_checked) {
		a->journal_checked = now;
		a->journal_present = !access(AUDIT_JOURNAL_SOCKET, W_OK);
	}
	return a->journal_present;
}

static void send_journal(const struct audit_entry *e, const struct audit_text *t,
			 const char *message)
{
	/* Reused (jumpd has one thread): field() fills what it counts. */
	static struct journal_fields fields;
	const struct jump_audit_record *r = &t->r;
	struct journal_fields *j = &fields;
	char prio[2], version[24], seq[24];

	j->n = 0;
	prio[0] = (char)('0' + (is_warning(e) ? LOG_WARNING : LOG_NOTICE));
	prio[1] = '\0';
	field(j, "MESSAGE", message);
	field(j, "MESSAGE_ID", (unsigned int)e->event < __AUDIT_EVENT_MAX ?
	      message_ids[e->event] : NULL);
	field(j, "PRIORITY", prio);
	field(j, "JUMP_EVENT", r->event);
	field(j, "JUMP_SESSION", r->session);
	field(j, "JUMP_FROM", r->from);
	field(j, "JUMP_TO", r->to);
	/* One field to filter on for why, whichever enum said it. */
	field(j, "JUMP_REASON", r->reject ? r->reject : r->reason);
	field(j, "JUMP_REJECT", r->reject);
	field(j, "JUMP_VERSION", r->version ? number(r->version, version) : NULL);
	field(j, "JUMP_PEER", r->peer);
	field(j, "JUMP_SOURCE", r->source);
	field(j, "JUMP_IFNAME", r->ifname);
	field(j, "JUMP_SEQ", number(r->seq, seq));
	/* If journald went away since it was looked for, this fails: the file has it. */
	sd_journal_sendv(j->iov, j->n);
}

int audit_write(struct audit *a, const struct audit_entry *e)
{
	struct audit_text t;
	struct timespec ts;
	struct summary s;
	int err;

	clock_gettime(CLOCK_REALTIME, &ts);
	entry_text(a, e, &ts, &t);
	t.r.seq = a->seq + 1;
	t.r.prev = a->prev;
	err = write_file(a, &t);
	summarize(&t.r, &s);
	log_line(LOG_LEVEL_INFO, s.buf, s.len);
	if (a->journal && journal_up(a, ts.tv_sec))
		send_journal(e, &t, s.buf);
	return err;
}

void audit_close(struct audit *a)
{
	audit_sync(a);
	if (a->file)
		fclose(a->file);
	free(a->head);
	a->file = NULL;
	a->head = NULL;
}
