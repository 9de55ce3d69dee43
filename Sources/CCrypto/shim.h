#ifndef PATHPROOF_CCRYPTO_SHIM_H
#define PATHPROOF_CCRYPTO_SHIM_H
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

/// BIO_get_mem_data is a function-like macro that Swift cannot import.
static inline long ccrypto_bio_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}
#endif
