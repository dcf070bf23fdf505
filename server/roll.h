/*
 * roll.h — the member roll: CSV parsing (pure, no I/O) and import into the
 * store with history.
 *
 * The parser trusts nothing: the file is bounded (size, rows, line and
 * field length), its encoding is decided per line (UTF-8 or Windows-1252,
 * converted to UTF-8), every record is one physical line (a quoted field
 * may not span lines, so every line number in the report is exact), and
 * every rejected row is reported with its line and a precise reason. A
 * defect of the file as a whole (header, size) refuses the whole file.
 */
#ifndef SCRUTIN_SERVER_ROLL_H
#define SCRUTIN_SERVER_ROLL_H

#include <stddef.h>
#include <stdint.h>

#include "server/scrutin.h"

#define ROLL_MAX_FILE (8u * 1024u * 1024u)
#define ROLL_MAX_ROWS 50000u
#define ROLL_MAX_LINE 4096u
#define ROLL_MAX_FIELD 200u
#define ROLL_MAX_COLS 32u

enum roll_col {
	COL_MEMBER_NO,
	COL_LAST_NAME,
	COL_FIRST_NAME,
	COL_EMAIL,
	COL_PHONE,
	COL_CATEGORY,
	COL_DUES_PAID,
	COL_JOINED,
	COL_ZONE,
	COL_BIRTH_DATE,
	COL_SEX,
	COL_CITY,
	COL_COUNT
};

/* Canonical column names (English, as stored). */
extern const char *const roll_col_name[COL_COUNT];
/* French names used in messages. */
extern const char *const roll_col_name_fr[COL_COUNT];

enum roll_reason {
	RR_UTF8_INVALID = 1,   /* UTF-8 file, line not valid UTF-8 */
	RR_ENCODING_MIXED,     /* Windows-1252 file, line in UTF-8 */
	RR_CP1252_INVALID,     /* byte undefined in Windows-1252 (n1) */
	RR_LINE_TOO_LONG,      /* n1 bytes */
	RR_QUOTE_UNTERMINATED,
	RR_QUOTE_STRAY,
	RR_COLUMN_COUNT,       /* n1 found, n2 expected */
	RR_REQUIRED_EMPTY,     /* col */
	RR_CONTROL_CHAR,       /* col */
	RR_INVISIBLE_CHAR,     /* col, n1 = the code point */
	RR_FIELD_TOO_LONG,     /* col, n1 bytes */
	RR_MEMBER_NO_INVALID,  /* col, value */
	RR_DATE_INVALID,       /* col, value */
	RR_EMAIL_INVALID,      /* col, value */
	RR_DUPLICATE,          /* value, n1 = first line */
};

struct roll_reject {
	unsigned long line;
	enum roll_reason reason;
	int col;               /* enum roll_col, or -1 */
	char value[64];        /* the offending value, cut to 60 bytes */
	unsigned long n1, n2;
};

enum roll_ferr {
	RF_NONE = 0,
	RF_TOO_BIG,
	RF_EMPTY,
	RF_BINARY,              /* NUL byte, line n1 */
	RF_TOO_MANY_ROWS,
	RF_HEADER_ENCODING,
	RF_HEADER_SYNTAX,       /* quotes in the header */
	RF_NO_SEPARATOR,
	RF_AMBIGUOUS_SEPARATOR,
	RF_UNKNOWN_COLUMN,      /* value */
	RF_DUPLICATE_COLUMN,    /* value */
	RF_MISSING_COLUMN,      /* value = canonical name */
	RF_TOO_MANY_COLUMNS,
};

enum roll_encoding { ROLL_UTF8, ROLL_CP1252 };

struct roll_member {
	unsigned long line;
	char *f[COL_COUNT];     /* UTF-8, "" when absent; dates as YYYY-MM-DD */
};

struct roll_parse {
	enum roll_encoding encoding;
	int bom;
	char sep;
	unsigned ncols;
	int colmap[ROLL_MAX_COLS];   /* file column -> enum roll_col */
	struct roll_member *rows;
	size_t nrows;
	struct roll_reject *rejects;
	size_t nrejects;
	enum roll_ferr ferr;
	unsigned long ferr_line;
	char ferr_value[64];
	unsigned long n1;
};

/*
 * Parses a roll. Returns 0 (rows and rejects filled) or -1 when the file
 * as a whole is refused (ferr set, no row kept). Either way the caller
 * frees with roll_parse_free.
 */
int roll_parse(struct roll_parse *out, const uint8_t *data, size_t len) WUR;
void roll_parse_free(struct roll_parse *p);

enum roll_lang { ROLL_FR, ROLL_EN };
/* Formats the reason of a rejected row (without the line number). */
void roll_reject_format(char *out, size_t cap, const struct roll_reject *r,
    enum roll_lang lang);
/* Formats a file-level error. */
void roll_ferr_format(char *out, size_t cap, const struct roll_parse *p,
    enum roll_lang lang);
/* Stable identifiers of the reasons, for JSON reports. */
const char *roll_reason_code(enum roll_reason r);
const char *roll_ferr_code(enum roll_ferr e);

/* Exposed for tests: "31/12/2024" and friends to "2024-12-31". */
int roll_date_parse(char out[11], const char *s) WUR;
/* Exposed for tests: a header cell to the column it names, or -1. */
int roll_header_lookup(const char *cell);

struct store;
struct roll_import_result {
	int64_t import_id;
	size_t created, updated, unchanged, removed;
	/* ROLL_ERR_FROZEN: why, in French and English. */
	char refused_fr[900], refused_en[900];
};
/* The import would change what the statutes count of a member on the
 * frozen roll of a convened or live meeting (docs/server.md). */
#define ROLL_ERR_FROZEN (-2)
/*
 * Applies a parsed roll in one transaction: new members are inserted,
 * changed members get their previous version copied to members_history
 * and their version raised, unchanged ones are left alone; with
 * remove_missing, active members absent from the file are marked removed
 * (with history). Records one "roll.import" event. On any error nothing is
 * changed. ROLL_ERR_FROZEN (nothing changed, res->refused_fr/en say why)
 * when the import would change the category, dues, membership date,
 * zone, birth date or sex of a member, or remove a member, on the frozen
 * roll of a meeting convened or live: the public record's credentials
 * and the roll the server counts from would no longer agree. Names and
 * contact details may change.
 */
int roll_import_apply(struct store *st, const struct roll_parse *p,
    const char *sha256_hex, int remove_missing,
    struct roll_import_result *res) WUR;

#endif
