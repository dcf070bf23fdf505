/*
 * qr.h — QR codes (libqrencode, error correction M) as PNG and SVG.
 *
 * The text is encoded as 8-bit bytes, exactly as given. Both renderings
 * carry a 4-module quiet zone.
 */
#ifndef SCRUTIN_SERVER_QR_H
#define SCRUTIN_SERVER_QR_H

#include <stddef.h>
#include <stdint.h>

#include "server/scrutin.h"

#define QR_MAX_TEXT 1024u

/* OUT: *png (caller frees), *len. scale: pixels per module (1..32). */
int qr_png(const char *text, unsigned scale, uint8_t **png, size_t *len) WUR;
/* Returns a standalone SVG document (caller frees), or NULL. */
char *qr_svg(const char *text);

#endif
