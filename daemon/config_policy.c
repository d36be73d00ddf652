// SPDX-License-Identifier: GPL-2.0
/*
 * [Policy]: what its values mean. Durations (an integer and a unit) and
 * counts, each within the bounds of its entry in config.c's table of keys;
 * the order the liveness and retry times must keep; the defaults of every
 * key; and the accessors through which "jumpctl policy show" prints what
 * jumpd loads.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "config_parser.h"

/* The largest unit that says @ms exactly, as a person would write it. */
static const char *fmt_ms(uint32_t ms, char buf[CONFIG_VALUE_LEN])
{
	if (ms && ms % MS_PER_H == 0)
		snprintf(buf, CONFIG_VALUE_LEN, "%uh", ms / MS_PER_H);
	else if (ms && ms % MS_PER_M == 0)
		snprintf(buf, CONFIG_VALUE_LEN, "%um", ms / MS_PER_M);
	else if (ms && ms % MS_PER_S == 0)
		snprintf(buf, CONFIG_VALUE_LEN, "%us", ms / MS_PER_S);
	else
		snprintf(buf, CONFIG_VALUE_LEN, "%ums", ms);
	return buf;
}

static uint32_t *policy_field(struct config *c, size_t off)
{
	return (uint32_t *)((char *)&c->policy + off);
}

/* An integer and a unit: a bare number is too easy to misread. */
static int parse_duration(const char *val, uint32_t *ms, const char **why)
{
	static const struct { const char *unit; uint32_t ms; } units[] = {
		{ "ms", 1 }, { "s", MS_PER_S }, { "m", MS_PER_M }, { "h", MS_PER_H },
	};
	size_t digits = strspn(val, "0123456789"), i;
	char num[24];
	uint64_t v;

	*why = "is not a duration: an integer and ms, s, m or h, e.g. 500ms, 3s, 2m";
	if (!digits)
		return -1;
	*why = "is too long: at most 4294967295ms (about 49 days)";
	if (digits >= sizeof(num))
		return -1;
	memcpy(num, val, digits);
	num[digits] = '\0';
	if (parse_u64(num, &v))
		return -1;
	*why = "is not a duration: an integer and ms, s, m or h, e.g. 500ms, 3s, 2m";
	if (!val[digits]) {
		*why = "has no unit: add ms, s, m or h, e.g. 3s";
		return -1;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(val + digits, units[i].unit))
			continue;
		if (v > UINT32_MAX / units[i].ms) {
			*why = "is too long: at most 4294967295ms (about 49 days)";
			return -1;
		}
		*ms = v * units[i].ms;
		return 0;
	}
	return -1;
}

static int check_bounds(struct parser *p, const struct key_def *d, uint32_t v,
			bool ms)
{
	char lo[CONFIG_VALUE_LEN], hi[CONFIG_VALUE_LEN], got[CONFIG_VALUE_LEN];

	if (v >= d->min && v <= d->max)
		return 0;
	if (!ms)
		return config_fail(p, p->line, "%s = %u is out of bounds: %u to %u",
				   d->name, v, d->min, d->max);
	return config_fail(p, p->line, "%s = %s is out of bounds: %s to %s",
			   d->name, fmt_ms(v, got), fmt_ms(d->min, lo), fmt_ms(d->max, hi));
}

int config_read_duration(struct parser *p, enum key k, const char *val, uint32_t *ms)
{
	const struct key_def *d = config_key(k);
	const char *why;
	char b[SHOWN_LEN];

	if (parse_duration(val, ms, &why))
		return config_fail(p, p->line, "%s = %s %s", d->name, config_shown(val, b), why);
	return check_bounds(p, d, *ms, true);
}

int config_set_duration(struct parser *p, enum key k, char *val)
{
	const struct key_def *d = config_key(k);
	uint32_t ms;

	/* "Unlimited" is a number without a unit, so it is spelled 0. */
	if (!strcmp(val, "0")) {
		if (k != K_LIFETIME)
			return config_fail(p, p->line, "%s = 0: only SessionLifetime may be 0 (unlimited)",
					   d->name);
		*policy_field(p->c, d->off) = 0;
		return 0;
	}
	if (config_read_duration(p, k, val, &ms))
		return -1;
	*policy_field(p->c, d->off) = ms;
	return 0;
}

int config_set_count(struct parser *p, enum key k, char *val)
{
	const struct key_def *d = config_key(k);
	char b[SHOWN_LEN];
	uint32_t v;

	if (parse_u32(val, &v))
		return config_fail(p, p->line, "%s = %s is not a whole number", d->name,
				   config_shown(val, b));
	if (check_bounds(p, d, v, false))
		return -1;
	*policy_field(p->c, d->off) = v;
	return 0;
}

/* yes or no: a switch. */
int config_set_flag(struct parser *p, enum key k, char *val)
{
	const struct key_def *d = config_key(k);
	char b[SHOWN_LEN];
	uint32_t v;

	if (!strcmp(val, "yes"))
		v = 1;
	else if (!strcmp(val, "no"))
		v = 0;
	else
		return config_fail(p, p->line, "%s = %s is not yes or no", d->name,
				   config_shown(val, b));
	*policy_field(p->c, d->off) = v;
	return 0;
}

void config_policy_defaults(struct config_policy *p)
{
	*p = (struct config_policy){
		.keepalive_ms = JUMP_DEFAULT_KEEPALIVE_MS,
		.volatile_ms = JUMP_DEFAULT_VOLATILE_MS,
		.degraded_ms = JUMP_DEFAULT_DEGRADED_MS,
		.recovery_window_ms = 60 * MS_PER_S,
		.max_switches = 10,
		.switch_interval_ms = 60 * MS_PER_S,
		.retry_initial_ms = 250,
		.retry_max_ms = 4 * MS_PER_S,
		.birth_timeout_ms = 10 * MS_PER_S,
		.path_timeout_ms = 2 * MS_PER_S,
		.clock_skew_ms = 30 * MS_PER_S,
		.source_rate = 10,
		.source_burst = 20,
		.global_rate = 1000,
		.global_burst = 2000,
		.cookie_threshold = 500,
		.rekey_interval_ms = 120 * MS_PER_S,
		.session_lifetime_ms = 0,
		.max_sessions = 1024,
		.rebind_probe = 0,
		.standby_path = 0,
		.unlinkable = 0,
		.standby_keepalive_ms = JUMP_DEFAULT_STANDBY_KEEPALIVE_MS,
	};
}

_Static_assert(CONFIG_POLICY_KEYS == K_UNLINKABLE - K_KEEPALIVE + 1,
	       "one [Policy] key per field of struct config_policy");
_Static_assert(CONFIG_POLICY_KEYS <= 32, "config.policy_set has a bit per key");

/* The key of field @i of struct config_policy; K_COUNT if none. */
static enum key policy_key(size_t i)
{
	enum key k;

	for (k = K_KEEPALIVE; k <= K_UNLINKABLE; k++)
		if (config_key(k)->off == i * sizeof(uint32_t))
			return k;
	return K_COUNT;
}

const char *config_policy_name(size_t i)
{
	enum key k = policy_key(i);

	return k == K_COUNT ? NULL : config_key(k)->name;
}

bool config_policy_is_duration(size_t i)
{
	enum key k = policy_key(i);

	return k != K_COUNT && config_key(k)->set == config_set_duration;
}

uint32_t config_policy_value(const struct config_policy *p, size_t i)
{
	if (i >= CONFIG_POLICY_KEYS)
		return 0;
	return *(const uint32_t *)((const char *)p + i * sizeof(uint32_t));
}

const char *config_policy_format(const struct config_policy *p, size_t i,
				 char buf[CONFIG_VALUE_LEN])
{
	uint32_t v = config_policy_value(p, i);

	if (policy_key(i) != K_COUNT && config_key(policy_key(i))->set == config_set_flag)
		snprintf(buf, CONFIG_VALUE_LEN, "%s", v ? "yes" : "no");
	/* SessionLifetime's 0 (unlimited) is the one bare number a duration takes. */
	else if (!config_policy_is_duration(i) || !v)
		snprintf(buf, CONFIG_VALUE_LEN, "%u", v);
	else
		fmt_ms(v, buf);
	return buf;
}

/* The later of two keys' lines, or the section's when neither was set. */
static unsigned int later(struct parser *p, enum key a, enum key b)
{
	unsigned int la = p->policy_seen[a], lb = p->policy_seen[b];
	unsigned int l = la > lb ? la : lb;

	return l ? l : p->policy_line;
}

static int check_order(struct parser *p, enum key a, enum key b,
		       bool strict, const char *why)
{
	const struct key_def *ka = config_key(a), *kb = config_key(b);
	uint32_t va = *policy_field(p->c, ka->off);
	uint32_t vb = *policy_field(p->c, kb->off);
	char sa[CONFIG_VALUE_LEN], sb[CONFIG_VALUE_LEN];

	if (strict ? va < vb : va <= vb)
		return 0;
	return config_fail(p, later(p, a, b), "%s (%s) must be %s %s (%s)%s",
			   ka->name, fmt_ms(va, sa), strict ? "less than" : "at most",
			   kb->name, fmt_ms(vb, sb), why);
}

int config_end_policy(struct parser *p)
{
	static const char kernel[] = ": the kernel refuses liveness times that do not grow";

	return check_order(p, K_KEEPALIVE, K_VOLATILE, true, kernel) ?:
	       check_order(p, K_VOLATILE, K_DEGRADED, true, kernel) ?:
	       check_order(p, K_DEGRADED, K_RECOVERY, false,
			   ": a session must be able to reach DEGRADED before its recovery window closes") ?:
	       check_order(p, K_RETRY_INITIAL, K_RETRY_MAX, false, "");
}
