/*
 * lib/spf/spf_str.c -- names of the SPF enums, for logs and JSON.  The
 * result names are RFC 7208 2.6's own words.
 */
#include <dmarcguard/spf.h>

#include "util/str.h"

static const char *const result_names[] = {
	[DG_SPF_UNSET] = "unset",
	[DG_SPF_NONE] = "none",
	[DG_SPF_NEUTRAL] = "neutral",
	[DG_SPF_PASS] = "pass",
	[DG_SPF_FAIL] = "fail",
	[DG_SPF_SOFTFAIL] = "softfail",
	[DG_SPF_TEMPERROR] = "temperror",
	[DG_SPF_PERMERROR] = "permerror",
};

const char *
dg_spf_result_str(enum dg_spf_result r)
{
	if ((size_t)r >= sizeof(result_names) / sizeof(result_names[0]))
		return "unknown";
	return result_names[r];
}

bool
dg_spf_result_parse(const char *s, enum dg_spf_result *out)
{
	size_t	i;

	if (s == NULL || out == NULL)
		return false;
	for (i = 1; i < sizeof(result_names) / sizeof(result_names[0]); i++) {
		if (dg_strcaseeq(s, result_names[i])) {
			*out = (enum dg_spf_result)i;
			return true;
		}
	}
	return false;
}

const char *
dg_spf_reason_str(enum dg_spf_reason r)
{
	switch (r) {
	case DG_SPF_R_UNSET:		return "unset";
	case DG_SPF_R_MECHANISM:	return "mechanism matched";
	case DG_SPF_R_DEFAULT:		return "no mechanism matched";
	case DG_SPF_R_NO_RECORD:	return "no SPF record";
	case DG_SPF_R_NO_DOMAIN:	return "domain does not exist";
	case DG_SPF_R_BAD_DOMAIN:	return "malformed domain";
	case DG_SPF_R_MULTIPLE:		return "multiple SPF records";
	case DG_SPF_R_SYNTAX:		return "record syntax error";
	case DG_SPF_R_MACRO:		return "macro error";
	case DG_SPF_R_DNS_LIMIT:	return "DNS lookup limit exceeded";
	case DG_SPF_R_VOID_LIMIT:	return "void lookup limit exceeded";
	case DG_SPF_R_MX_LIMIT:		return "MX name limit exceeded";
	case DG_SPF_R_DEPTH:		return "nesting too deep";
	case DG_SPF_R_INCLUDE_NONE:	return "include target has no record";
	case DG_SPF_R_REDIRECT_NONE:	return "redirect target has no record";
	case DG_SPF_R_BAD_TARGET:	return "invalid target name";
	case DG_SPF_R_DNS_ERROR:	return "DNS error";
	}
	return "unknown";
}

const char *
dg_spf_scope_str(enum dg_spf_scope s)
{
	switch (s) {
	case DG_SPF_SCOPE_UNSET:	return "unset";
	case DG_SPF_SCOPE_MFROM:	return "mfrom";
	case DG_SPF_SCOPE_HELO:		return "helo";
	}
	return "unknown";
}

const char *
dg_spf_issue_str(enum dg_spf_issue_code c)
{
	switch (c) {
	case DG_SPF_I_UNSET:		return "unset";
	case DG_SPF_I_NO_RECORD:	return "no-record";
	case DG_SPF_I_MULTIPLE:		return "multiple-records";
	case DG_SPF_I_SYNTAX:		return "syntax-error";
	case DG_SPF_I_DNS_ERROR:	return "dns-error";
	case DG_SPF_I_TOO_MANY_LOOKUPS:	return "too-many-lookups";
	case DG_SPF_I_VOID_LOOKUP:	return "void-lookup";
	case DG_SPF_I_TOO_MANY_VOIDS:	return "too-many-void-lookups";
	case DG_SPF_I_PASS_ALL:		return "pass-all";
	case DG_SPF_I_NEUTRAL_ALL:	return "neutral-all";
	case DG_SPF_I_SOFTFAIL_ALL:	return "softfail-all";
	case DG_SPF_I_NO_ALL:		return "no-all";
	case DG_SPF_I_PTR:		return "ptr";
	case DG_SPF_I_INCLUDE_NONE:	return "include-no-record";
	case DG_SPF_I_REDIRECT_NONE:	return "redirect-no-record";
	case DG_SPF_I_LOOP:		return "loop";
	case DG_SPF_I_MACRO:		return "macro-target";
	case DG_SPF_I_TOO_DEEP:		return "too-deep";
	case DG_SPF_I_MX_LIMIT:		return "mx-limit";
	}
	return "unknown";
}
