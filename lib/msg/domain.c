/*
 * lib/msg/domain.c -- the domain of an addr-spec as a hostname: lower-case
 * A-label for DNS and comparison, U-label for display.
 *
 * RFC 5890/5891 via libidn2 (IDNA2008 with UTS #46 non-transitional
 * mapping, NFC input).  ASCII names must be LDH hostnames (RFC 1123 2.1,
 * RFC 5890 2.3.1): letters, digits, inner hyphens, labels of 1..63
 * octets, 253 octets in all (RFC 1035 2.3.4), and at least two labels,
 * since a single-label From domain cannot have a DMARC record that
 * matters.  This is the only file in lib/msg that includes <idn2.h>.
 */
#include <string.h>

#include <idn2.h>

#include <dmarcguard/msg.h>

#include "msg/msg_int.h"
#include "util/limits.h"
#include "util/str.h"

/* Check an ASCII name already lower-cased. */
static enum dg_msg_addr_problem
check_ldh(const char *s, size_t len)
{
	size_t	i, start = 0, last = 0, labels = 0;

	if (len > DG_DNS_NAME_MAX)
		return DG_MSG_ADDR_P_DOMAIN_TOO_LONG;
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '.') {
			if (!dg_isalnum((unsigned char)s[i]) && s[i] != '-')
				return DG_MSG_ADDR_P_DOMAIN_BAD_CHAR;
			continue;
		}
		if (i == start)
			return DG_MSG_ADDR_P_DOMAIN_EMPTY_LABEL;
		if (i - start > DG_DNS_LABEL_MAX)
			return DG_MSG_ADDR_P_LABEL_TOO_LONG;
		if (s[start] == '-' || s[i - 1] == '-')
			return DG_MSG_ADDR_P_DOMAIN_HYPHEN;
		labels++;
		last = start;
		start = i + 1;
	}
	if (labels < 2)
		return DG_MSG_ADDR_P_DOMAIN_SINGLE_LABEL;
	/* RFC 3696 2: a top-level label is never all-numeric. */
	for (i = last; i < len; i++)
		if (!dg_isdigit((unsigned char)s[i]))
			return DG_MSG_ADDR_P_NONE;
	return DG_MSG_ADDR_P_DOMAIN_NUMERIC_TLD;
}

/* Empty labels first: libidn2 reports them less precisely. */
static bool
has_empty_label(const char *p, size_t len)
{
	size_t	i;

	if (len == 0 || p[0] == '.' || p[len - 1] == '.')
		return true;
	for (i = 1; i < len; i++)
		if (p[i] == '.' && p[i - 1] == '.')
			return true;
	return false;
}

/* Does the ASCII name have an "xn--" label? */
static bool
has_alabel(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i + 4 <= len; i++)
		if ((i == 0 || s[i - 1] == '.') &&
		    dg_strncaseeq(s + i, "xn--", 4))
			return true;
	return false;
}

enum dg_msg_addr_problem
dg_msg_domain_norm(struct dg_arena *a, const char *p, size_t len,
    const char **alabel, const char **ulabel, enum dg_err *err)
{
	enum dg_msg_addr_problem	 prob;
	char				*low, *conv = NULL, *z;
	size_t				 i;
	bool				 ascii = true;
	int				 rc;

	*err = DG_OK;
	low = dg_arena_strndup(a, p, len);
	if (low == NULL) {
		*err = dg_arena_err(a);
		return DG_MSG_ADDR_P_NONE;
	}
	for (i = 0; i < len; i++) {
		if ((unsigned char)low[i] >= 0x80)
			ascii = false;
		low[i] = (char)dg_tolower((unsigned char)low[i]);
	}
	*alabel = low;
	*ulabel = low;
	if (has_empty_label(low, len))
		return DG_MSG_ADDR_P_DOMAIN_EMPTY_LABEL;
	if (memchr(low, '\0', len) != NULL)
		return DG_MSG_ADDR_P_DOMAIN_BAD_CHAR;

	if (ascii) {
		prob = check_ldh(low, len);
		if (prob != DG_MSG_ADDR_P_NONE || !has_alabel(low, len))
			return prob;
		/* A-labels must decode (RFC 5891 5.4). */
		rc = idn2_to_unicode_8z8z(low, &conv, 0);
		if (rc != IDN2_OK)
			return DG_MSG_ADDR_P_DOMAIN_BAD_IDN;
		z = dg_arena_strdup(a, conv);
		idn2_free(conv);
		if (z == NULL) {
			*err = dg_arena_err(a);
			return DG_MSG_ADDR_P_NONE;
		}
		*ulabel = z;
		return DG_MSG_ADDR_P_NONE;
	}

	rc = idn2_to_ascii_8z(low, &conv, IDN2_NFC_INPUT |
	    IDN2_NONTRANSITIONAL);
	if (rc != IDN2_OK)
		return rc == IDN2_TOO_BIG_DOMAIN ?
		    DG_MSG_ADDR_P_DOMAIN_TOO_LONG :
		    rc == IDN2_TOO_BIG_LABEL ? DG_MSG_ADDR_P_LABEL_TOO_LONG :
		    DG_MSG_ADDR_P_DOMAIN_BAD_IDN;
	z = dg_arena_strdup(a, conv);
	idn2_free(conv);
	if (z == NULL) {
		*err = dg_arena_err(a);
		return DG_MSG_ADDR_P_NONE;
	}
	dg_str_lower(z);
	prob = check_ldh(z, strlen(z));
	if (prob != DG_MSG_ADDR_P_NONE)
		return prob == DG_MSG_ADDR_P_DOMAIN_BAD_CHAR ?
		    DG_MSG_ADDR_P_DOMAIN_BAD_IDN : prob;
	*alabel = z;
	/* The U-label for display, normalised by a round trip. */
	conv = NULL;
	if (idn2_to_unicode_8z8z(z, &conv, 0) == IDN2_OK) {
		z = dg_arena_strdup(a, conv);
		idn2_free(conv);
		if (z == NULL) {
			*err = dg_arena_err(a);
			return DG_MSG_ADDR_P_NONE;
		}
		*ulabel = z;
	}
	return DG_MSG_ADDR_P_NONE;
}
