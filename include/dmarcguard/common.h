/* include/dmarcguard/common.h -- export macros, error codes, shared limits. */
#ifndef DMARCGUARD_COMMON_H
#define DMARCGUARD_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(DG_BUILDING_LIB) && defined(__GNUC__)
#define DG_API		__attribute__((visibility("default")))
#else
#define DG_API
#endif

#if defined(__GNUC__)
#define DG_NODISCARD	__attribute__((warn_unused_result))
#define DG_PRINTF(f, a)	__attribute__((format(printf, f, a)))
#else
#define DG_NODISCARD
#define DG_PRINTF(f, a)
#endif

/* Size of the fixed detail/reason text inside verdicts and error structs. */
#define DG_DETAIL_MAX	160

/*
 * Did the call work?  Protocol conclusions (fail, temperror, ...) are
 * verdicts, never one of these.
 */
enum dg_err {
	DG_OK = 0,
	DG_ENOMEM,	/* allocation failed */
	DG_EINVAL,	/* caller bug: bad argument */
	DG_ESYNTAX,	/* input does not parse */
	DG_ETOOBIG,	/* a documented limit was hit */
	DG_EIO,		/* reading or writing a file or socket failed */
	DG_EINTERNAL	/* a library we use failed unexpectedly */
};

/* A short English name for err ("out of memory", ...); never NULL. */
DG_API const char	*dg_strerror(enum dg_err err);

/* The library version string, e.g. "0.1.0". */
DG_API const char	*dg_version(void);

#ifdef __cplusplus
}
#endif
#endif /* DMARCGUARD_COMMON_H */
