/*
 * audit_file.h — `scrutin-verify --audit FILE`: an audited ballot
 * downloaded from the phone, checked against a verified record
 * (audit_file.c). Used by verify_main.c only.
 */
#ifndef SCRUTIN_AUDIT_AUDIT_FILE_H
#define SCRUTIN_AUDIT_AUDIT_FILE_H

#include "audit/verify.h"

/* Prints the verdict on stdout in lang. 0 the encryption holds the
 * choice the phone showed, 1 it does not (or the file is not this
 * record's), 2 the file is unreadable. */
int audit_file_check(const audit_summary *sum, const char *path,
    enum audit_lang lang);

#endif
