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
/*
 * The code for a terminal, as UTF-8 text (caller frees; NULL on error):
 * one character cell holds two modules, one above the other, drawn with
 * U+2580 "▀", U+2584 "▄", U+2588 "█" and a space; each line ends with
 * "\n". As `qrencode -t UTF8`, the blocks are the light modules (quiet
 * zone included), so it reads on a terminal with a dark background.
 */
char *qr_text(const char *text);

#endif
