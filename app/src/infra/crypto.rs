//! Password hashing, encryption of personal data at rest, and opaque tokens.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordVerifier};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};

/// Argon2id hash (PHC string). Runs on the blocking pool: hashing takes tens of milliseconds.
pub async fn hash_password(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(AppError::internal)
    })
    .await
    .map_err(AppError::internal)?
}

/// Checks a password against a stored hash. With `None` (unknown account) it still spends the
/// same time on a dummy hash, so response time does not reveal which accounts exist.
pub async fn verify_password(password: String, stored: Option<String>) -> AppResult<bool> {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy_hash().to_string());
        let parsed = PasswordHash::new(&stored).map_err(AppError::internal)?;
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(ok && known)
    })
    .await
    .map_err(AppError::internal)?
}

/// A hash (same parameters as real ones) of a random password nobody knows.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let mut secret = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut secret);
        Argon2::default()
            .hash_password(&secret, &SaltString::generate(&mut OsRng))
            .map(|h| h.to_string())
            .expect("hashing random bytes cannot fail")
    })
}

/// Encrypts personal data (phone numbers, addresses) with AES-256-GCM and computes blind indexes
/// (HMAC-SHA256) so an encrypted column can still be looked up by exact value.
#[derive(Clone)]
pub struct FieldCipher {
    aead: Aes256Gcm,
    index_key: [u8; 32],
}

impl std::fmt::Debug for FieldCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FieldCipher(..)")
    }
}

impl FieldCipher {
    /// Derives independent encryption and index keys from one 32-byte master key.
    pub fn new(master: &[u8; 32]) -> Self {
        let enc_key = hmac_sha256(master, b"jishi field encryption v1");
        let index_key = hmac_sha256(master, b"jishi blind index v1");
        Self {
            aead: Aes256Gcm::new(&enc_key.into()),
            index_key,
        }
    }

    /// `base64(nonce ‖ ciphertext ‖ tag)` with a fresh random 96-bit nonce.
    pub fn encrypt(&self, plain: &str) -> AppResult<String> {
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let ct = self
            .aead
            .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
            .map_err(|_| AppError::internal("field encryption failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        Ok(STANDARD.encode(out))
    }

    pub fn decrypt(&self, stored: &str) -> AppResult<String> {
        let raw = STANDARD
            .decode(stored)
            .map_err(|_| AppError::internal("encrypted field is not base64"))?;
        if raw.len() < 12 + 16 {
            return Err(AppError::internal("encrypted field too short"));
        }
        let (nonce, ct) = raw.split_at(12);
        let plain = self
            .aead
            .decrypt(Nonce::from_slice(nonce), ct)
            .map_err(|_| AppError::internal("encrypted field fails authentication"))?;
        String::from_utf8(plain).map_err(AppError::internal)
    }

    /// Deterministic keyed hash of a normalised value, for unique lookups.
    pub fn blind_index(&self, value: &str) -> String {
        hex::encode(hmac_sha256(&self.index_key, value.as_bytes()))
    }
}

pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// A new opaque bearer token and the hash under which it is stored (the token itself never is).
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Parses a base64 master key of exactly 32 bytes.
pub fn parse_key(b64: &str) -> Result<[u8; 32], String> {
    let raw = STANDARD
        .decode(b64.trim())
        .map_err(|_| "data key must be base64".to_string())?;
    raw.try_into()
        .map_err(|_| "data key must be 32 bytes".to_string())
}

/// Reads `<data_dir>/data.key`, creating it with a random key on first start.
pub fn load_or_create_key_file(data_dir: &str) -> Result<[u8; 32], String> {
    let path = std::path::Path::new(data_dir).join("data.key");
    if let Ok(text) = std::fs::read_to_string(&path) {
        return parse_key(&text);
    }
    std::fs::create_dir_all(data_dir).map_err(|e| format!("cannot create {data_dir}: {e}"))?;
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    write_private(&path, &STANDARD.encode(key))?;
    Ok(key)
}

fn write_private(path: &std::path::Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    f.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encryption_round_trips_and_is_randomised() {
        let c = FieldCipher::new(&[7u8; 32]);
        let a = c.encrypt("13800001234").unwrap();
        let b = c.encrypt("13800001234").unwrap();
        assert_ne!(a, b, "nonce must differ per encryption");
        assert!(!a.contains("1380000"));
        assert_eq!(c.decrypt(&a).unwrap(), "13800001234");
    }

    #[test]
    fn tampered_ciphertext_is_refused() {
        let c = FieldCipher::new(&[7u8; 32]);
        let mut raw = STANDARD.decode(c.encrypt("x").unwrap()).unwrap();
        raw[13] ^= 1;
        assert!(c.decrypt(&STANDARD.encode(raw)).is_err());
    }

    #[test]
    fn blind_index_depends_on_key() {
        let a = FieldCipher::new(&[1u8; 32]);
        let b = FieldCipher::new(&[2u8; 32]);
        assert_eq!(a.blind_index("1"), a.blind_index("1"));
        assert_ne!(a.blind_index("1"), b.blind_index("1"));
    }

    #[tokio::test]
    async fn passwords_verify_only_with_the_right_secret() {
        let h = hash_password("abc12345".into()).await.unwrap();
        assert!(verify_password("abc12345".into(), Some(h.clone()))
            .await
            .unwrap());
        assert!(!verify_password("abc12346".into(), Some(h)).await.unwrap());
        assert!(!verify_password("anything".into(), None).await.unwrap());
    }

    #[test]
    fn tokens_are_stored_by_hash() {
        let (t, h) = new_token();
        assert_eq!(token_hash(&t), h);
        assert_eq!(t.len(), 43);
    }
}
