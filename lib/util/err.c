/*
 * lib/util/err.c -- names for enum dg_err and the library version.
 */
#include <dmarcguard/common.h>
#include <dmarcguard/version.h>

const char *
dg_strerror(enum dg_err err)
{
	switch (err) {
	case DG_OK:		return "success";
	case DG_ENOMEM:		return "out of memory";
	case DG_EINVAL:		return "invalid argument";
	case DG_ESYNTAX:	return "syntax error";
	case DG_ETOOBIG:	return "input exceeds a limit";
	case DG_EIO:		return "input/output error";
	case DG_EINTERNAL:	return "internal error";
	}
	return "unknown error";
}

const char *
dg_version(void)
{
	return DG_VERSION_STRING;
}
