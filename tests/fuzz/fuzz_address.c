/*
 * tests/fuzz/fuzz_address.c -- the address-list parser and the RFC 2047
 * decoder on arbitrary bytes.  Invariants checked: every decoded string
 * is valid UTF-8 without control characters, a valid mailbox has a
 * lower-case LDH A-label domain, counts stay within DG_ADDR_LIST_MAX.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarcguard/arena.h>
#include <dmarcguard/msg.h>

#include "util/limits.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(bool ok)
{
	if (!ok)
		abort();
}

/* Valid UTF-8, no C0 controls or DEL. */
static bool
clean_utf8(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 n, i;

	while (*u != '\0') {
		if (*u < 0x20 || *u == 0x7f)
			return false;
		if (*u < 0x80) {
			u++;
			continue;
		}
		if (*u >= 0xc2 && *u <= 0xdf)
			n = 2;
		else if (*u >= 0xe0 && *u <= 0xef)
			n = 3;
		else if (*u >= 0xf0 && *u <= 0xf4)
			n = 4;
		else
			return false;
		for (i = 1; i < n; i++)
			if ((u[i] & 0xc0) != 0x80)
				return false;
		u += n;
	}
	return true;
}

static bool
ldh_lower(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-' || *s == '.'))
			return false;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_arena		*a;
	struct dg_msg_addr_list	 l;
	const char		*p = (const char *)data, *dec;
	size_t			 i, declen;

	a = dg_arena_new(0);
	if (a == NULL)
		return 0;
	if (dg_msg_addr_parse(a, p, size, &l, NULL) == DG_OK) {
		check(l.n <= DG_ADDR_LIST_MAX);
		check(l.nempty_groups <= l.ngroups);
		for (i = 0; i < l.n; i++) {
			const struct dg_msg_mailbox	*m = &l.mb[i];

			check(m->local != NULL && m->domain != NULL);
			if (m->display != NULL)
				check(clean_utf8(m->display));
			if (m->group != NULL)
				check(clean_utf8(m->group));
			if (m->problem == DG_MSG_ADDR_P_NONE) {
				check(ldh_lower(m->domain));
				check(strlen(m->domain) <= DG_DNS_NAME_MAX);
				check(m->domain_utf8 != NULL);
			}
			check(m->display_has_addr ==
			    (m->display_addr != NULL));
			(void)dg_msg_addr_problem_str(m->problem);
		}
	}
	dg_arena_reset(a);
	if (dg_msg_rfc2047_decode(a, p, size, &dec, &declen) == DG_OK) {
		check(strlen(dec) == declen);
		check(clean_utf8(dec));
	}
	dg_arena_free(a);
	return 0;
}
