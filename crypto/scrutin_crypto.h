/*
 * scrutin_crypto.h — the whole public interface of crypto/, the
 * cryptographic core of Scrutin (docs/protocol.md). Read in this order:
 * error.h (codes), group.h (encodings, hashing), elgamal.h, proof.h,
 * ballot.h, dkg.h, tally.h, dlog.h, credential.h, hex.h.
 *
 * crypto/ knows nothing of HTTP, SQL or JSON. Call group_init() once
 * before anything else.
 */
#ifndef SCRUTIN_CRYPTO_H
#define SCRUTIN_CRYPTO_H

#include "crypto/error.h"
#include "crypto/group.h"
#include "crypto/elgamal.h"
#include "crypto/proof.h"
#include "crypto/ballot.h"
#include "crypto/dkg.h"
#include "crypto/tally.h"
#include "crypto/dlog.h"
#include "crypto/credential.h"
#include "crypto/hex.h"

#endif
