/*
 * lib/util/idn.c -- IDNA through libidn2, the only file that includes
 * <idn2.h>.  Results are copied into caller buffers so libidn2's own
 * allocations never escape this file.
 */
#include <stdbool.h>
#include <string.h>

#include <idn2.h>

#include <dmarcguard/idn.h>

#include "util/idn.h"
#include "util/limits.h"
#include "util/str.h"

static enum dg_idn_status
copy_out(char *res, char *out, size_t cap, int rc)
{
	size_t	len;

	if (rc != IDN2_OK || res == NULL) {
		idn2_free(res);
		switch (rc) {
		case IDN2_TOO_BIG_DOMAIN:
			return DG_IDN_DOMAIN_TOO_LONG;
		case IDN2_TOO_BIG_LABEL:
			return DG_IDN_LABEL_TOO_LONG;
		default:
			return DG_IDN_INVALID;
		}
	}
	len = strlen(res);
	if (len + 1 > cap) {
		idn2_free(res);
		return DG_IDN_NO_ROOM;
	}
	memcpy(out, res, len + 1);
	idn2_free(res);
	return DG_IDN_OK;
}

enum dg_idn_status
dg_idn_to_ascii(const char *utf8, char *out, size_t cap)
{
	char			*res = NULL;
	enum dg_idn_status	 st;
	int			 rc;

	/* UTS #46 non-transitional mapping lower-cases and NFC-normalises
	 * (RFC 5891 5). */
	rc = idn2_to_ascii_8z(utf8, &res, IDN2_NFC_INPUT |
	    IDN2_NONTRANSITIONAL);
	st = copy_out(res, out, cap, rc);
	if (st == DG_IDN_OK)
		dg_str_lower(out);
	return st;
}

enum dg_idn_status
dg_idn_to_unicode(const char *ascii, char *out, size_t cap)
{
	char	*res = NULL;
	int	 rc;

	rc = idn2_to_unicode_8z8z(ascii, &res, 0);
	return copy_out(res, out, cap, rc);
}

enum dg_err
dg_idn_name_to_ascii(const char *name, char *out, size_t cap, char *why,
    size_t whylen)
{
	const char	*p = name, *dot;
	size_t		 n = 0, len, i;
	bool		 high;

	if (name == NULL || out == NULL || cap == 0)
		return DG_EINVAL;
	/* Label by label, bounded by the input's length. */
	for (;;) {
		char	 label[DG_IDN_BUF], alabel[DG_IDN_BUF];
		char	*res = NULL;
		int	 rc;

		dot = strchr(p, '.');
		len = dot != NULL ? (size_t)(dot - p) : strlen(p);
		high = false;
		for (i = 0; i < len; i++)
			if ((unsigned char)p[i] >= 0x80)
				high = true;
		if (high) {
			if (len >= sizeof(label))
				goto toolong;
			memcpy(label, p, len);
			label[len] = '\0';
			rc = idn2_to_ascii_8z(label, &res, IDN2_NFC_INPUT |
			    IDN2_NONTRANSITIONAL);
			if (rc == IDN2_TOO_BIG_DOMAIN ||
			    rc == IDN2_TOO_BIG_LABEL)
				goto toolong;
			if (rc != IDN2_OK || res == NULL) {
				idn2_free(res);
				if (why != NULL)
					dg_fmt(why, whylen, "not a valid "
					    "internationalised name: %s",
					    idn2_strerror(rc));
				return DG_ESYNTAX;
			}
			if (strlen(res) >= sizeof(alabel)) {
				idn2_free(res);
				goto toolong;
			}
			dg_strlcpy(alabel, res, sizeof(alabel));
			idn2_free(res);
			dg_str_lower(alabel);
			p = alabel;
			len = strlen(alabel);
		}
		if (n + len + 1 >= cap || n + len > DG_DNS_NAME_MAX + 1)
			goto toolong;
		memcpy(out + n, p, len);
		n += len;
		if (dot == NULL)
			break;
		out[n++] = '.';
		p = dot + 1;
	}
	out[n] = '\0';
	/* 253 octets, or 254 with the final dot. */
	if (n > DG_DNS_NAME_MAX + 1 ||
	    (n == DG_DNS_NAME_MAX + 1 && out[n - 1] != '.'))
		goto toolong;
	return DG_OK;
toolong:
	if (why != NULL)
		dg_fmt(why, whylen, "name longer than %d octets",
		    DG_DNS_NAME_MAX);
	return DG_ETOOBIG;
}
