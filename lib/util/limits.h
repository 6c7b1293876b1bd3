/*
 * lib/util/limits.h -- every limit dmarcguard enforces, in one place.
 * Each has a name, a reason and, where one exists, the RFC that sets it.
 * Where configuration may relax a limit, the _HARD value still holds.
 */
#ifndef DG_UTIL_LIMITS_H
#define DG_UTIL_LIMITS_H

/* Arenas: default ceiling per unit of work (one message, one domain). */
#define DG_ARENA_DEFAULT_MAX	(64u * 1024 * 1024)
#define DG_ARENA_BLOCK		(16u * 1024)

/* DNS names, RFC 1035 2.3.4: 255 octets on the wire, so 253 as text
 * without the final dot; labels of 63. */
#define DG_DNS_NAME_MAX		253
#define DG_DNS_LABEL_MAX	63
#define DG_DNS_LABELS_MAX	127
/* Records kept from one answer; larger RRsets are truncated (DoS bound). */
#define DG_DNS_MAX_RRS		256
/* CNAME chain length followed by the zone backend (unbound uses 8-ish). */
#define DG_DNS_MAX_CNAME	8
/* Compression pointers followed in one name (RFC 1035 4.1.4 sets no
 * limit; a 255-octet name has at most 127 labels, so more is a loop). */
#define DG_DNS_WIRE_MAX_JUMPS	128
/* A TXT RR's rdata is at most 65535 octets (RFC 1035 3.3). */
#define DG_DNS_TXT_MAX		65535
#define DG_DNS_DEFAULT_TIMEOUT_MS	5000
/* libunbound contexts one resolver keeps (each has its own cache and
 * event base; queries beyond this many at once wait for one). */
#define DG_DNS_UNBOUND_CONTEXTS_MAX	64

/* Zone files: line and file size caps for hostile input. */
#define DG_ZONE_LINE_MAX	(128u * 1024)
#define DG_ZONE_FILE_MAX	(64u * 1024 * 1024)
#define DG_ZONE_PAREN_LINES	1000	/* lines one ( ... ) record may span */

/* RFC 5322 header section.  2.1.1 says 998 octets per line; we allow a
 * longer folded field but cap it, the count and the whole section. */
#define DG_HDR_LINE_MAX		998
#define DG_HDR_FIELD_MAX	(64u * 1024)
#define DG_HDR_FIELDS_MAX	1000
#define DG_HDR_SECTION_MAX	(1024u * 1024)
#define DG_HDR_NAME_MAX		256

/* Addresses: RFC 5321 4.5.3.1 local-part 64, path 256; our parse caps. */
#define DG_ADDR_LOCAL_MAX	64
#define DG_ADDR_MAX		320
#define DG_ADDR_LIST_MAX	1000	/* mailboxes in one header field */
#define DG_ADDR_COMMENT_DEPTH	32	/* nested comments */
#define DG_RFC2047_MAX_WORDS	200	/* encoded words in one phrase */
/* RFC 2047 2: an encoded word is at most 75 octets; senders exceed it, so
 * we decode words up to this size and leave longer ones as written. */
#define DG_RFC2047_WORD_MAX	1024
/* RFC 2047 2 charset token; IANA names are at most 40 characters
 * (RFC 2978 2.3), with room for an RFC 2231 "*lang" suffix. */
#define DG_RFC2047_CHARSET_MAX	64

/*
 * RFC 9989 4.10 (DNS Tree Walk), steps 3-4: a subject domain of eight or
 * more labels is shortened to its last seven after the first query, then
 * one label goes per query, so a walk makes at most 1 + 7 = 8 queries
 * ("Author Domains with more than eight labels do not result in more than
 * eight DNS queries").
 */
#define DG_DMARC_WALK_MAX_LABELS	7
#define DG_DMARC_WALK_MAX_QUERIES	(1 + DG_DMARC_WALK_MAX_LABELS)

/*
 * DMARC Policy Records (RFC 9989 4.7).  A record is the joined strings of
 * one TXT RR, so it can't be longer than that RR's rdata (RFC 1035 3.3).
 */
#define DG_DMARC_RECORD_MAX	DG_DNS_TXT_MAX
/*
 * URIs kept per rua / ruf.  RFC 7489 6.2: receivers "MAY impose a limit on
 * the number of URIs that receive reports, but MUST support at least two";
 * RFC 9990 3.5 sends to every URI "up to the Receiver's limits".  Extra
 * URIs are dropped with a finding.
 */
#define DG_DMARC_MAX_URIS	16
/* Findings and unknown tags kept per record (no RFC limit; the record is
 * at most 64 KiB, so these only bound hostile input). */
#define DG_DMARC_MAX_FINDINGS	64
#define DG_DMARC_MAX_UNKNOWN	32
/* Bytes of a tag value quoted in a finding's message. */
#define DG_DMARC_QUOTE_MAX	40

/*
 * Tags in one tag-list (RFC 6376 3.2 sets no limit; DKIM-Signature defines
 * 15 tags and DMARC 11): a cap for hostile input, far above real records.
 */
#define DG_TAGLIST_MAX		64

/*
 * SPF, RFC 7208.  4.6.4: at most 10 terms that query DNS (include a mx
 * ptr exists redirect); more is permerror.  4.6.4: at most 2 void lookups
 * (NXDOMAIN or no answer); more is permerror.  4.6.4: an "mx" term may
 * look up at most 10 MX hosts (more is permerror) and a "ptr" term or
 * %{p} at most 10 PTR names (the rest are ignored).
 */
#define DG_SPF_MAX_DNS_MECH	10
#define DG_SPF_MAX_VOID		2
#define DG_SPF_MAX_MX_NAMES	10
#define DG_SPF_MAX_PTR_NAMES	10
/* include/redirect nesting; the 10-term budget already bounds it (4.6.4),
 * this is a belt for the recursion itself. */
#define DG_SPF_MAX_DEPTH	12
/* Terms in one record: a 64 KiB TXT has at most ~32K; we refuse more than
 * this many (permerror) to bound work on hostile records. */
#define DG_SPF_MAX_TERMS	1024
/* Macro expansion output (7.3): longer expansions are permerror (domain
 * specs) or drop the explanation (6.2).  Domain names are then cut to
 * 253 octets from the left as 7.3 says. */
#define DG_SPF_MACRO_MAX	4096
/* A macro's DIGIT transformer; larger values mean "all parts" (7.3). */
#define DG_SPF_MACRO_DIGITS_MAX	128
/* Labels split from one macro value (delimiters, 7.3). */
#define DG_SPF_MACRO_PARTS_MAX	512
/* exp= explanation kept in a verdict (6.2); longer text is truncated. */
#define DG_SPF_EXP_MAX		512
/* dg_spf_analyze(): records it follows in all (a domain's whole include
 * tree), a bound on work for hostile trees; evaluation would stop at the
 * 10-term limit (4.6.4) long before. */
#define DG_SPF_ANALYZE_MAX_RECORDS	64
/* DNS lookups kept in a verdict's trace; later ones are counted only. */
#define DG_SPF_TRACE_MAX	64
/* Parsed records kept during one dg_spf_check_many() call (hash table of
 * twice as many slots), and the bytes their text and terms may use; past
 * either, records are parsed per evaluation as dg_spf_check() does.
 * Ours: a speed cache, not an RFC 7208 limit. */
#define DG_SPF_PARSE_CACHE_MAX		1024
#define DG_SPF_PARSE_CACHE_BYTES	(8u * 1024 * 1024)

/*
 * Domain audit (`check`), lib/engine/audit*.c.  No RFC sets these: they
 * bound the work and memory of one domain's audit on hostile zones.
 * Findings, records seen and DKIM selectors per domain; external report
 * destinations checked per record (RFC 9990 4: one query each).
 */
#define DG_AUDIT_MAX_FINDINGS	128
#define DG_AUDIT_MAX_SEEN	64
#define DG_AUDIT_MAX_SELECTORS	64
#define DG_AUDIT_MAX_EXTAUTH	8
/* SPF terms kept when rewriting a record to publish (a 512-byte record
 * has at most 256 terms). */
#define DG_AUDIT_MAX_SPF_TERMS	256
/* The bulk-audit answer cache (audit_cache.c): slots, a hard ceiling,
 * the largest answer kept (bytes), the longest it is kept (seconds; the
 * record's TTL when shorter), and resolvers behind one cache. */
#define DG_AUDIT_CACHE_DEFAULT	16384
#define DG_AUDIT_CACHE_HARD	(1u << 20)
#define DG_AUDIT_CACHE_MAX_ANSWER	(64u * 1024)
#define DG_AUDIT_CACHE_MAX_TTL	3600
#define DG_AUDIT_CACHE_MAX_INNER	16

/*
 * DKIM (RFC 6376, RFC 8301, RFC 8463).  RFC 6376 sets no cap on the
 * signatures in a message; 6.1 allows a verifier to limit how many it
 * evaluates "to avoid denial-of-service attacks".  The default is 8; a
 * caller may raise it, never past the hard ceiling.
 */
#define DG_DKIM_MAX_SIGS_DEFAULT	8
#define DG_DKIM_MAX_SIGS_HARD		64
/* Names in one h= list (RFC 6376 3.5 sets none): over-signing doubles a
 * real list of ~20; anything beyond this is hostile. */
#define DG_DKIM_MAX_H_NAMES		128
/* RFC 8301 3.2: RSA keys under 1024 bits MUST NOT be accepted. */
#define DG_DKIM_MIN_RSA_BITS		1024
/* Largest RSA key we verify with (RFC 8301 3.2 requires 1024-4096; we
 * go to 8192): bounds the RSA work an attacker's key record can cause. */
#define DG_DKIM_MAX_KEY_BITS		8192
/* Decoded p= bytes: an 8192-bit SubjectPublicKeyInfo is ~1.1 KB. */
#define DG_DKIM_MAX_KEY_DER		2048
/* Decoded b= bytes: one signature of the largest key we accept. */
#define DG_DKIM_MAX_SIG_BYTES		(DG_DKIM_MAX_KEY_BITS / 8)
/* RFC 6376 3.5: t= and x= are 1*12DIGIT, l= is 1*76DIGIT. */
#define DG_DKIM_TIME_DIGITS		12
#define DG_DKIM_L_DIGITS		76
/* RFC 6376 3.5 t= / 6.1.1: verifiers may allow a little clock skew for
 * signatures timestamped in the future (and past x=). */
#define DG_DKIM_CLOCK_SKEW		300
/* Key cache (RFC 6376 3.6.2 keys are DNS data: cached no longer than
 * their TTL, and never past a day). */
#define DG_DKIM_KEYCACHE_DEFAULT	1024
#define DG_DKIM_KEYCACHE_HARD		(1u << 20)
#define DG_DKIM_KEYCACHE_MAX_TTL	86400
/* Header section kept by the streaming verifier (fields are needed until
 * the end for h= selection): the RFC 5322 caps above apply. */

/*
 * Authentication-Results (RFC 8601 2.2 sets no counts): resinfos and
 * properties kept per field, a bound for hostile headers far above the
 * handful real MTAs write.  The field itself is capped by
 * DG_HDR_FIELD_MAX and comment nesting by DG_ADDR_COMMENT_DEPTH.
 */
#define DG_AR_MAX_RESULTS	64
#define DG_AR_MAX_PROPS		32
/* Generator: bytes of one value or comment we write (longer values are
 * cut; a DKIM b= prefix is 8 characters, RFC 6008 2). */
#define DG_AR_VALUE_MAX		256
#define DG_AR_B_PREFIX		8
/*
 * The local "p=none shield" (dmarc_shield.c) and its configuration.  No
 * RFC: bounds on configuration input.  Free-mail list entries and file
 * size, protected domains, one configuration line, and the largest
 * look-alike edit distance a configuration may ask for (beyond 3 almost
 * any short name matches).
 */
#define DG_SHIELD_FREEMAIL_MAX		20000
#define DG_SHIELD_FREEMAIL_FILE_MAX	(1024u * 1024)
#define DG_SHIELD_PROTECTED_MAX		256
#define DG_SHIELD_MAX_DISTANCE		3
#define DG_CONFIG_LINE_MAX		4096
#define DG_CONFIG_FILE_MAX		(1024u * 1024)

#endif /* DG_UTIL_LIMITS_H */
