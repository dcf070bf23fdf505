/*
 * elgamal.c — exponential ElGamal (docs/protocol.md §3).
 *
 * Trusts group.c for validation and arithmetic. Every input point is
 * checked before use; the randomness r and every product with it are
 * wiped on all paths.
 */
#include <string.h>

#include "crypto/elgamal.h"
#include "crypto/group.h"

int
elgamal_ciphertext_check(const uint8_t ct[64], int alpha_may_be_identity)
{
	int rc;

	rc = alpha_may_be_identity ? group_point_check(ct) :
	    group_point_check_nonidentity(ct);
	if (rc != 0)
		return rc;
	return group_point_check(ct + 32);
}

int
elgamal_encrypt(uint8_t ct[64], const uint8_t y[32], uint64_t m,
    const uint8_t r[32])
{
	uint8_t alpha[32], ry[32], mg[32], ms[32], beta[32];
	int rc;

	if ((rc = group_point_check_nonidentity(y)) != 0)
		goto out;
	if ((rc = group_scalar_check_nonzero(r)) != 0)
		goto out;
	group_mul_base(alpha, r);
	if ((rc = group_mul(ry, r, y)) != 0)
		goto out;
	group_scalar_from_u64(ms, m);
	group_mul_base(mg, ms);
	if ((rc = group_add(beta, ry, mg)) != 0)
		goto out;
	memcpy(ct, alpha, 32);
	memcpy(ct + 32, beta, 32);
out:
	if (rc != 0)
		memset(ct, 0, 64);
	sodium_memzero(ry, sizeof ry);
	sodium_memzero(mg, sizeof mg);
	sodium_memzero(ms, sizeof ms);
	sodium_memzero(beta, sizeof beta);
	sodium_memzero(alpha, sizeof alpha);
	return rc;
}

int
elgamal_encrypt_random(uint8_t ct[64], uint8_t *r_out, const uint8_t y[32],
    uint64_t m)
{
	uint8_t r[32];
	int rc;

	group_scalar_random(r);
	rc = elgamal_encrypt(ct, y, m, r);
	if (rc == 0 && r_out != NULL)
		memcpy(r_out, r, 32);
	sodium_memzero(r, sizeof r);
	return rc;
}

int
elgamal_add(uint8_t out[64], const uint8_t a[64], const uint8_t b[64])
{
	uint8_t alpha[32], beta[32];
	int rc;

	if ((rc = group_add(alpha, a, b)) != 0)
		goto out;
	if ((rc = group_add(beta, a + 32, b + 32)) != 0)
		goto out;
	memcpy(out, alpha, 32);
	memcpy(out + 32, beta, 32);
out:
	if (rc != 0)
		memset(out, 0, 64);
	return rc;
}

int
elgamal_rerandomise(uint8_t out[64], const uint8_t y[32], const uint8_t ct[64],
    const uint8_t r[32])
{
	uint8_t rg[32], ry[32], alpha[32], beta[32];
	int rc;

	if ((rc = group_point_check_nonidentity(y)) != 0)
		goto out;
	if ((rc = group_scalar_check_nonzero(r)) != 0)
		goto out;
	if ((rc = elgamal_ciphertext_check(ct, 1)) != 0)
		goto out;
	group_mul_base(rg, r);
	if ((rc = group_mul(ry, r, y)) != 0)
		goto out;
	if ((rc = group_add(alpha, ct, rg)) != 0)
		goto out;
	if ((rc = group_add(beta, ct + 32, ry)) != 0)
		goto out;
	memcpy(out, alpha, 32);
	memcpy(out + 32, beta, 32);
out:
	if (rc != 0)
		memset(out, 0, 64);
	sodium_memzero(rg, sizeof rg);
	sodium_memzero(ry, sizeof ry);
	return rc;
}

int
elgamal_decrypt_point(uint8_t m_point[32], const uint8_t x[32],
    const uint8_t ct[64])
{
	uint8_t xa[32];
	int rc;

	if ((rc = group_scalar_check(x)) != 0)
		goto out;
	if ((rc = elgamal_ciphertext_check(ct, 1)) != 0)
		goto out;
	if ((rc = group_mul(xa, x, ct)) != 0)
		goto out;
	rc = group_sub(m_point, ct + 32, xa);
out:
	if (rc != 0)
		memset(m_point, 0, 32);
	sodium_memzero(xa, sizeof xa);
	return rc;
}
