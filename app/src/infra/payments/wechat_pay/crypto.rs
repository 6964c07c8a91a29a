//! WeChat Pay API v3 cryptography.
//!
//! - Requests and the mini-program's `paySign` are signed SHA256-RSA (PKCS#1 v1.5) with the
//!   merchant's private key (`apiclient_key.pem`).
//! - Replies and notifications are signed by WeChat Pay; they are checked with the WeChat Pay
//!   public key (`pub_key.pem`, named by its `PUB_KEY_ID_…`).
//! - A notification's `resource` is sealed with AEAD_AES_256_GCM under the API v3 key.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ring::rand::SystemRandom;
use ring::signature::{
    RsaKeyPair, UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256,
};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{PrivatePkcs8KeyDer, SubjectPublicKeyInfoDer};

/// The merchant's private key: signs our requests and the mini-program's pay parameters.
pub struct MerchantKey(RsaKeyPair);

impl std::fmt::Debug for MerchantKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MerchantKey(..)")
    }
}

impl MerchantKey {
    /// From a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), as the merchant platform issues it.
    pub fn from_pem(pem: &[u8]) -> Result<Self, String> {
        let der = PrivatePkcs8KeyDer::from_pem_slice(pem)
            .map_err(|e| format!("merchant key is not a PKCS#8 PEM: {e}"))?;
        RsaKeyPair::from_pkcs8(der.secret_pkcs8_der())
            .map(Self)
            .map_err(|e| format!("merchant key is not a usable RSA key: {e}"))
    }

    /// Base64 SHA256-RSA signature of `message`.
    pub fn sign(&self, message: &[u8]) -> String {
        let mut sig = vec![0u8; self.0.public().modulus_len()];
        self.0
            .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), message, &mut sig)
            .expect("signing with a valid RSA key cannot fail");
        STANDARD.encode(sig)
    }
}

/// The WeChat Pay public key: checks what WeChat Pay signs.
#[derive(Debug, Clone)]
pub struct PlatformKey {
    /// PKCS#1 `RSAPublicKey`, what ring verifies with
    rsa_public_key: Vec<u8>,
}

impl PlatformKey {
    /// From a SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
    pub fn from_pem(pem: &[u8]) -> Result<Self, String> {
        let spki = SubjectPublicKeyInfoDer::from_pem_slice(pem)
            .map_err(|e| format!("WeChat Pay public key is not a PEM public key: {e}"))?;
        let key = spki_rsa_public_key(spki.as_ref())
            .ok_or("WeChat Pay public key is not an RSA public key")?;
        Ok(Self {
            rsa_public_key: key.to_vec(),
        })
    }

    /// Whether `signature` (base64) is WeChat Pay's signature of `message`.
    pub fn verify(&self, message: &[u8], signature: &str) -> bool {
        let Ok(sig) = STANDARD.decode(signature.trim()) else {
            return false;
        };
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &self.rsa_public_key)
            .verify(message, &sig)
            .is_ok()
    }
}

/// What a request signature covers: `METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n`.
pub fn request_message(
    method: &str,
    path: &str,
    timestamp: i64,
    nonce: &str,
    body: &str,
) -> String {
    format!("{method}\n{path}\n{timestamp}\n{nonce}\n{body}\n")
}

/// What WeChat Pay's signature of a reply or notification covers: `TIMESTAMP\nNONCE\nBODY\n`.
pub fn reply_message(timestamp: &str, nonce: &str, body: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(body.len() + 64);
    m.extend_from_slice(timestamp.as_bytes());
    m.push(b'\n');
    m.extend_from_slice(nonce.as_bytes());
    m.push(b'\n');
    m.extend_from_slice(body);
    m.push(b'\n');
    m
}

/// What `paySign` covers: `APPID\nTIMESTAMP\nNONCE\nPACKAGE\n`.
pub fn pay_message(appid: &str, timestamp: &str, nonce: &str, package: &str) -> String {
    format!("{appid}\n{timestamp}\n{nonce}\n{package}\n")
}

/// Opens a notification's `resource`: AEAD_AES_256_GCM with the API v3 key, the resource's
/// 12-byte nonce and associated data; the base64 ciphertext ends with the 16-byte tag.
/// `None` when anything does not check out.
pub fn decrypt_resource(
    api_v3_key: &[u8; 32],
    nonce: &str,
    associated_data: &str,
    ciphertext: &str,
) -> Option<Vec<u8>> {
    if nonce.len() != 12 {
        return None;
    }
    let sealed = STANDARD.decode(ciphertext).ok()?;
    Aes256Gcm::new(api_v3_key.into())
        .decrypt(
            Nonce::from_slice(nonce.as_bytes()),
            Payload {
                msg: &sealed,
                aad: associated_data.as_bytes(),
            },
        )
        .ok()
}

/// The `RSAPublicKey` inside an RSA SubjectPublicKeyInfo:
/// `SEQUENCE { SEQUENCE { rsaEncryption, NULL }, BIT STRING { RSAPublicKey } }`.
fn spki_rsa_public_key(spki: &[u8]) -> Option<&[u8]> {
    const RSA_ENCRYPTION: &[u8] = &[
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
    ];
    let (0x30, body, _) = der_next(spki)? else {
        return None;
    };
    let (0x30, algorithm, rest) = der_next(body)? else {
        return None;
    };
    if !algorithm.starts_with(RSA_ENCRYPTION) {
        return None;
    }
    let (0x03, bits, _) = der_next(rest)? else {
        return None;
    };
    // a key is a whole number of bytes: no unused bits
    bits.strip_prefix(&[0])
}

/// One DER element: (tag, contents, what follows).
fn der_next(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let (len_bytes, after) = rest.split_at_checked(n)?;
        rest = after;
        len_bytes
            .iter()
            .fold(0usize, |len, &b| (len << 8) | usize::from(b))
    };
    let (contents, after) = rest.split_at_checked(len)?;
    Some((tag, contents, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_lengths_short_and_long_form() {
        assert_eq!(
            der_next(&[0x04, 0x02, 1, 2, 9]),
            Some((0x04, &[1u8, 2][..], &[9u8][..]))
        );
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 0x80]);
        assert_eq!(der_next(&long).map(|(_, c, _)| c.len()), Some(0x80));
        // truncated, or a length that overruns the input
        assert_eq!(der_next(&[0x04, 0x05, 1]), None);
        assert_eq!(der_next(&[0x04, 0x80]), None);
        assert_eq!(der_next(&[0x30]), None);
    }

    #[test]
    fn bad_keys_are_refused_with_a_reason() {
        assert!(MerchantKey::from_pem(b"not a key").is_err());
        assert!(PlatformKey::from_pem(
            b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"
        )
        .is_err());
    }

    #[test]
    fn resources_that_do_not_open_are_none() {
        let key = [7u8; 32];
        assert_eq!(decrypt_resource(&key, "short", "", "AAAA"), None);
        assert_eq!(
            decrypt_resource(&key, "123456789012", "", "not base64!"),
            None
        );
        assert_eq!(
            decrypt_resource(&key, "123456789012", "", &STANDARD.encode([0u8; 32])),
            None
        );
    }
}
