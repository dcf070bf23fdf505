/*
 * scrutin_crypto.h — the whole public interface of crypto/, the
 * cryptographic core of Scrutin (docs/protocol.md). Read in this order:
 * error.h (codes), group.h (encodings, hashing), elgamal.h, proof.h,
 * ballot.h, dkg.h, tally.h, dlog.h, credential.h, hex.h.
 *
 * crypto/ knows nothing of HTTP, SQL or JSON. Call group_init() once
 * before anything else.
 *
 * Two implementations of verification. Everything secret (proving, key
 * generation, encryption randomness, decryption shares, credentials)
 * runs on libsodium's constant-time API only. VERIFICATION of public
 * data (proof_*_verify, ballot_verify, tally_share_verify, dkg checks,
 * tally_acc / tally_sum_ciphertexts) runs by default on a faster
 * VARIABLE-TIME path written for Scrutin from RFC 9496 and the HWCD
 * Edwards formulas: fe25519.c (field), ristretto_fast.c (points, wNAF,
 * Straus double-scalar multiplication, tables for G and for the election
 * key). Rules: never pass a secret to it; libsodium (group_point_check)
 * still decides whether an untrusted encoding is valid before it is
 * decoded there; results are identical to the reference path (the
 * libsodium-API-only *_ref functions, or rf_set_enabled(0) for
 * everything), which tests/unit/test_fast.c and the fastdiff fuzz target
 * check differentially. The protocol (docs/protocol.md) is unchanged.
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
